// Check an ABI model (what the headers define) against a profile (what a binding assumes).
// Pure: model + profile in, sorted findings out.
//
// Severity policy (targets/profiles/SCHEMA.md, "Findings"):
//   - a mismatch (size, align, offset, field-size, value, bytes, signature) is an error, whether
//     or not the item is optional: optional means "may be absent", not "may differ";
//   - a missing item or field is an error, or a warning when the item is `optional: true`;
//   - an item with `ignore: "reason"` produces nothing;
//   - each `unresolved` entry of the profile is a note (the producer's blind spot, not a
//     disagreement); CheckOptions can raise it;
//   - a constant whose two values are the same bits in the profile's type (EPOLLET: the binding's
//     `int` -2147483648, the header's `unsigned int` 2147483648) is kind `sign`, a warning: what
//     the binding passes is right at that width, but it widens differently (sign extension).
//
// Scope: `profile` (default) checks every profile item; `headers` checks only the items the
// headers define (a type, field owner, constant, initializer, macro or function of that name)
// and counts the others, for a small header tree checked against a whole libc profile.
import type { AbiModel, FieldEntry, Provenance, TypeEntry } from '../abi/model.js';
import { compareFindings, type Finding, type FindingKind, type FindingSeverity } from './finding.js';
import type { Profile, ProfileItemControl, ProfileSection } from './profile-types.js';

export type CheckScope = 'profile' | 'headers';
export const CHECK_SCOPES: readonly CheckScope[] = ['profile', 'headers'];

export interface CheckOptions {
  /** Severity of a missing optional item. Default 'warning'. */
  missingOptional?: FindingSeverity;
  /** Severity of the profile's `unresolved` entries. Default 'note'. */
  unresolved?: FindingSeverity;
  /** Severity of a `sign` finding (same bits, different sign). Default 'warning'. */
  sign?: FindingSeverity;
  /** Which profile items are checked. Default 'profile' (all of them). */
  scope?: CheckScope;
  /** With scope 'headers': an item is in scope when any of these models defines it (default:
   *  the model checked). A config matrix passes every configuration's model, so an item one
   *  configuration lacks is reported missing there, not left out. */
  scopeModels?: readonly AbiModel[];
  /** Sizes of the target's scalar types (`int`, `unsigned long`, …), for the width of a
   *  constant's type in the `sign` policy. Without it a constant's type is sized through the
   *  profile's and the model's typedefs only. */
  scalars?: Readonly<Record<string, { size: number }>>;
}

/** What a check looked at: profile items checked, and those left out by the scope. */
export interface CheckSummary {
  scope: CheckScope;
  /** Profile items checked (ignored ones excluded). */
  checked: number;
  /** Profile items the headers do not define, not checked (scope 'headers'); 0 otherwise. */
  notInHeaders: number;
}

/** The C spellings a profile type item is looked up under, in order. */
export function typeCandidates(key: string, item: { candidates?: string[] }): string[] {
  return item.candidates && item.candidates.length ? item.candidates : [key];
}

/** The model's entry for a profile type item: the first candidate the model defines. */
export function resolveType(model: AbiModel, key: string, item: { candidates?: string[] }): { name: string; entry: TypeEntry } | null {
  for (const c of typeCandidates(key, item)) {
    const entry = model.types[c];
    if (entry) return { name: c, entry };
  }
  return null;
}

/** Fields of a type; a typedef without its own fields borrows its alias's. First entry wins
 *  for repeated names ("(anonymous)"). */
export function fieldsOf(model: AbiModel, entry: TypeEntry): Map<string, FieldEntry> | null {
  let e: TypeEntry | undefined = entry;
  for (let hops = 0; e && !e.fields && e.aliasOf && hops < 16; hops++) e = model.types[e.aliasOf];
  return e?.fields ? byName(e.fields) : null;
}

function byName(fields: readonly FieldEntry[]): Map<string, FieldEntry> {
  const out = new Map<string, FieldEntry>();
  for (const f of fields) if (!out.has(f.name)) out.set(f.name, f);
  return out;
}

/**
 * A field the headers spell through a macro naming a member path (glibc: `#define st_atime
 * st_atim.tv_sec`; the Rust crate calls the field `st_atime`): the path followed through the
 * model's records, its offset the sum of the steps', its size and type the last step's.
 */
export function memberThroughMacro(model: AbiModel, entry: TypeEntry, name: string): FieldEntry | null {
  const path = model.macros[name]?.member;
  if (!path) return null;
  let fields = fieldsOf(model, entry);
  let offsetBits = 0;
  let last: FieldEntry | null = null;
  for (const step of path.split('.')) {
    const f = fields?.get(step);
    if (!f) return null;
    offsetBits += f.offsetBits;
    last = f;
    // The next step's record: an untagged one (`union { … } ifr_ifrn;`) has no entry in `types`,
    // the member carries its fields; a tagged one or a typedef is there under the member's type.
    // (Only the last step can be an array: the path has no subscripts.)
    const t: TypeEntry | undefined = model.types[f.type];
    fields = f.fields ? byName(f.fields) : t ? fieldsOf(model, t) : null;
  }
  return last && { ...last, name, offsetBits };
}

/**
 * Whether two prototypes are the same: equal token by token, or equal once every typedef name
 * the model knows is replaced by what it aliases (recursively), so `pid_t getpid(void)` matches
 * `__pid_t getpid(void)`. A name after struct/union/enum is a tag and is kept; an alias holding
 * `*`, `(` or `[` is substituted only where no qualifier is next to it (`const T` with T a
 * pointer is not `const` + T's text).
 */
export function sameSignature(profileSig: string, headerSig: string, model: AbiModel, profileTypes?: Profile['types']): boolean {
  if (normaliseSignature(profileSig) === normaliseSignature(headerSig)) return true;
  return canonicalProfilePrototype(profileSig, model, profileTypes) === canonicalHeaderPrototype(headerSig, model);
}

/**
 * A profile's prototype in the form it is compared in:
 *   1. `struct X` / `union X` the headers do not define as a tag but as a typedef name is read
 *      as that typedef (the importer's "typedef X, else struct X" resolved against the headers:
 *      musl's `typedef struct {…} Dl_info`);
 *   2. typedef names are replaced by what the headers alias them to; a name the headers do not
 *      define, by the profile's own meaning (`aliasOf`): glibc without _GNU_SOURCE has no
 *      `sighandler_t`, the Rust crate's is `size_t`. A name both define is compared by name:
 *      the type item compares its layout (the crate's `time_t` is `i32`, spelled `int`, glibc's
 *      `long`: the same ABI, another C spelling);
 *   3. `enum E` becomes E's underlying integer type (C17 6.7.2.2p4: the enum type is compatible
 *      with it; glibc's `ptrace(enum __ptrace_request, ...)` is the crate's `ptrace(c_uint, ...)`).
 */
export function canonicalProfilePrototype(s: string, model: AbiModel, profileTypes?: Profile['types']): string {
  const tokens = signatureTokens(s);
  const untagged: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const name = tokens[i + 1];
    if ((t === 'struct' || t === 'union') && name && !model.types[`${t} ${name}`] && model.types[name]?.kind === 'typedef') continue;
    untagged.push(t);
  }
  const lookups: AliasLookup[] = [modelAlias(model)];
  if (profileTypes) lookups.push((n) => profileTypes[n]?.aliasOf);
  return normaliseSignature(enumsAsUnderlying(expandAliases(untagged, lookups), model));
}

/** A header prototype in the form it is compared in: typedefs expanded, enums as their
 *  underlying types. */
export function canonicalHeaderPrototype(s: string, model: AbiModel): string {
  return normaliseSignature(enumsAsUnderlying(expandAliases(signatureTokens(s), [modelAlias(model)]), model));
}

const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__']);

type AliasLookup = (name: string) => string | undefined;

const modelAlias = (model: AbiModel): AliasLookup => (n) => {
  const e = model.types[n];
  return e && e.kind === 'typedef' ? e.aliasOf : undefined;
};

function signatureTokens(s: string): string[] {
  return s.match(/[A-Za-z_][A-Za-z0-9_]*|[0-9][A-Za-z0-9_.]*|\.\.\.|\S/g) ?? [];
}

/** Typedef names replaced by what they alias, recursively; the first lookup that knows a name
 *  wins. A name after struct/union/enum is a tag and is kept; an alias holding `*`, `(` or `[`
 *  is substituted only where no qualifier is next to it (`const T` with T a pointer is not
 *  `const` + T's text). */
function expandAliases(tokens: readonly string[], lookups: readonly AliasLookup[], depth = 0): string {
  const out = tokens.map((t, i) => {
    const prev = tokens[i - 1];
    if (prev === 'struct' || prev === 'union' || prev === 'enum') return t;
    let alias: string | undefined;
    for (const l of lookups) if ((alias = l(t)) !== undefined) break;
    if (alias === undefined || alias === t) return t;
    if (/[*([]/.test(alias) && (QUALIFIERS.has(prev ?? '') || QUALIFIERS.has(tokens[i + 1] ?? ''))) return t;
    return depth < 16 ? expandAliases(signatureTokens(alias), lookups, depth + 1) : alias;
  });
  return out.join(' ');
}

function enumsAsUnderlying(s: string, model: AbiModel): string {
  return s.replace(/\benum\s+([A-Za-z_][A-Za-z0-9_]*)/g, (all, name: string) => model.types[`enum ${name}`]?.underlying ?? all);
}

const RESTRICT = new Set(['restrict', '__restrict', '__restrict__']);

/**
 * Prototype text compared token by token: whitespace only where two words meet. `restrict` is
 * left out at every level: it promises no aliasing, changes neither representation nor calling
 * convention, and no binding language states it (musl's `lio_listio(int, struct aiocb *const
 * restrict *, …)` is the Rust crate's `*const *mut aiocb`).
 */
export function normaliseSignature(s: string): string {
  const tokens = s.match(/[A-Za-z_][A-Za-z0-9_]*|[0-9][A-Za-z0-9_.]*|\.\.\.|\S/g) ?? [];
  let out = '';
  let prevWord = false;
  for (const t of tokens) {
    if (RESTRICT.has(t)) continue;
    const word = /^[A-Za-z0-9_]/.test(t);
    if (word && prevWord) out += ' ';
    out += t;
    prevWord = word;
  }
  return out;
}

export function checkModel(model: AbiModel, profile: Profile, opts: CheckOptions = {}): Finding[] {
  return checkWithSummary(model, profile, opts).findings;
}

/** Whether the headers define something of this name in the section's sense (a type under any
 *  candidate spelling, a constant or initializer or any macro of the name, a function). */
export function definedInHeaders(model: AbiModel, profile: Profile, section: ProfileSection | 'unresolved', key: string): boolean {
  switch (section) {
    case 'types':
      return resolveType(model, key, profile.types[key] ?? {}) !== null;
    case 'constants':
      return key in model.constants || key in model.macros;
    case 'initializers':
      return key in model.initializers || key in model.macros;
    case 'functions':
      return key in model.functions;
    case 'unresolved':
      return [key, `struct ${key}`, `union ${key}`, `enum ${key}`].some((k) => k in model.types) || key in model.constants || key in model.macros || key in model.functions;
  }
}

/** The bit width of a profile constant's C type: the profile's own size of the name, else the
 *  headers', else the target's scalar (after the profile's aliases). */
function typeWidth(type: string, model: AbiModel, profile: Profile, scalars: CheckOptions['scalars']): number | null {
  let t = type.trim();
  for (let hops = 0; hops < 16; hops++) {
    const size = profile.types[t]?.size ?? (model.types[t]?.complete ? model.types[t]!.size : null) ?? scalars?.[t]?.size;
    if (size) return size * 8;
    const next = profile.types[t]?.aliasOf ?? model.types[t]?.aliasOf;
    if (!next) return null;
    t = next.trim();
  }
  return null;
}

/** True when a and b are the same `width`-bit pattern: both representable in `width` bits (as
 *  a signed or an unsigned value) and congruent modulo 2^width. */
export function sameBits(a: bigint, b: bigint, width: number): boolean {
  const w = BigInt(width);
  const fits = (x: bigint) => x >= -(1n << (w - 1n)) && x < 1n << w;
  return fits(a) && fits(b) && BigInt.asUintN(width, a) === BigInt.asUintN(width, b);
}

export function checkWithSummary(model: AbiModel, profile: Profile, opts: CheckOptions = {}): { findings: Finding[]; summary: CheckSummary } {
  const missingOptional = opts.missingOptional ?? 'warning';
  const scope = opts.scope ?? 'profile';
  const summary: CheckSummary = { scope, checked: 0, notInHeaders: 0 };
  /** Whether an item is checked under the scope (counted either way). */
  const inScope = (section: ProfileSection | 'unresolved', key: string): boolean => {
    if (scope === 'headers' && !(opts.scopeModels ?? [model]).some((m) => definedInHeaders(m, profile, section, key))) {
      summary.notInHeaders++;
      return false;
    }
    summary.checked++;
    return true;
  };
  const out: Finding[] = [];
  const locs = profile.source?.locs ?? {};

  const push = (f: Finding) => out.push(f);
  const base = (item: string, control: ProfileItemControl, section: ProfileSection, key: string, loc: string | null, why?: Provenance) => {
    const b: Pick<Finding, 'item' | 'loc'> & Partial<Finding> = { item, loc };
    const pl = locs[`${section}/${key}`];
    if (pl) b.profileLoc = pl;
    if (why) b.why = why;
    if (control.rustName) b.rustName = control.rustName;
    return b;
  };
  const mismatch = (
    b: ReturnType<typeof base>,
    kind: FindingKind,
    expected: string,
    actual: string,
    message: string,
    extra: Partial<Finding> = {},
  ): Finding => ({ kind, severity: 'error', ...b, ...extra, expected, actual, message } as Finding);
  const missing = (b: ReturnType<typeof base>, control: ProfileItemControl, message: string, extra: Partial<Finding> = {}): Finding =>
    ({ kind: 'missing', severity: control.optional ? missingOptional : 'error', ...b, ...extra, message } as Finding);
  /** Why a name the profile wants is not a constant/initializer: the macro's classification. */
  const macroNote = (name: string): { text: string; loc: string | null } => {
    const m = model.macros[name];
    if (!m) return { text: 'not defined in the headers', loc: null };
    return { text: `defined as a${/^[aeiou]/.test(m.class) ? 'n' : ''} ${m.class} macro${m.detail ? ` (${m.detail})` : ''}`, loc: m.loc };
  };

  // ---- types --------------------------------------------------------------------------------
  for (const [key, item] of Object.entries(profile.types)) {
    if (item.ignore !== undefined || !inScope('types', key)) continue;
    const r = resolveType(model, key, item);
    if (!r) {
      const tried = typeCandidates(key, item);
      push(missing(base(key, item, 'types', key, null), item, `type ${key} is not defined in the headers${tried.length > 1 || tried[0] !== key ? ` (tried ${tried.join(', ')})` : ''}`));
      continue;
    }
    const { name, entry } = r;
    const b = base(name, item, 'types', key, entry.loc, entry.why);
    if (!entry.complete || entry.size === null || entry.align === null) {
      if (item.size !== undefined || item.align !== undefined || item.fields) {
        push(missing(b, item, `type ${name} is declared but incomplete in the headers; the profile expects a layout`));
      }
      continue;
    }
    if (item.size !== undefined && item.size !== entry.size) {
      push(mismatch(b, 'size', String(item.size), String(entry.size), `size of ${name}: profile ${item.size}, headers ${entry.size} bytes`, { unit: 'bytes' }));
    }
    if (item.align !== undefined && item.align !== entry.align) {
      push(mismatch(b, 'align', String(item.align), String(entry.align), `alignment of ${name}: profile ${item.align}, headers ${entry.align} bytes`, { unit: 'bytes' }));
    }
    if (!item.fields) continue;
    const fields = fieldsOf(model, entry);
    for (const [fname, pf] of Object.entries(item.fields)) {
      const fb = { ...b, field: fname };
      const fl = locs[`types/${key}/fields/${fname}`];
      if (fl) fb.profileLoc = fl;
      const f = fields?.get(fname) ?? memberThroughMacro(model, entry, fname);
      if (!f) {
        push(missing(fb, item, `${name} has no field ${fname} in the headers`));
        continue;
      }
      if (pf.offset !== undefined && pf.offset * 8 !== f.offsetBits) {
        if (f.offsetBits % 8 === 0) {
          push(mismatch(fb, 'offset', String(pf.offset), String(f.offsetBits / 8), `offset of ${name}.${fname}: profile ${pf.offset}, headers ${f.offsetBits / 8} bytes`, { unit: 'bytes' }));
        } else {
          // A bit-field that does not start on a byte: compare in bits.
          push(mismatch(fb, 'offset', String(pf.offset * 8), String(f.offsetBits), `offset of ${name}.${fname}: profile byte ${pf.offset} (bit ${pf.offset * 8}), headers bit ${f.offsetBits}`, { unit: 'bits' }));
        }
      }
      if (pf.offsetBits !== undefined && pf.offsetBits !== f.offsetBits) {
        push(mismatch(fb, 'offset', String(pf.offsetBits), String(f.offsetBits), `bit offset of ${name}.${fname}: profile ${pf.offsetBits}, headers ${f.offsetBits} bits`, { unit: 'bits' }));
      }
      if (pf.sizeBits !== undefined && pf.sizeBits !== f.sizeBits) {
        push(mismatch(fb, 'field-size', String(pf.sizeBits), String(f.sizeBits), `width of ${name}.${fname}: profile ${pf.sizeBits}, headers ${f.sizeBits} bits`, { unit: 'bits' }));
      }
    }
  }

  // ---- constants ------------------------------------------------------------------------------
  for (const [name, item] of Object.entries(profile.constants)) {
    if (item.ignore !== undefined || !inScope('constants', name)) continue;
    const c = model.constants[name];
    if (!c) {
      const m = macroNote(name);
      push(missing(base(name, item, 'constants', name, m.loc), item, `constant ${name} is ${m.text}`, item.value !== undefined ? { expected: item.value } : {}));
      continue;
    }
    if (item.value !== undefined && BigInt(item.value) !== BigInt(c.value)) {
      const b = base(name, item, 'constants', name, c.loc, c.why);
      const width = item.type ? typeWidth(item.type, model, profile, opts.scalars) : null;
      if (width !== null && sameBits(BigInt(item.value), BigInt(c.value), width)) {
        push({ ...mismatch(b, 'sign', item.value, c.value, `value of ${name}: profile ${item.value} (${item.type}), headers ${c.value} (${c.type}): the same ${width} bits, read with the other sign`), severity: opts.sign ?? 'warning' });
      } else {
        push(mismatch(b, 'value', item.value, c.value, `value of ${name}: profile ${item.value}, headers ${c.value} (${c.type})`));
      }
    }
  }

  // ---- initializers -------------------------------------------------------------------------
  for (const [name, item] of Object.entries(profile.initializers)) {
    if (item.ignore !== undefined || !inScope('initializers', name)) continue;
    const init = model.initializers[name];
    if (!init) {
      const m = macroNote(name);
      push(missing(base(name, item, 'initializers', name, m.loc), item, `initializer ${name} is ${m.text}`, item.bytes !== undefined ? { expected: item.bytes } : {}));
      continue;
    }
    if (item.bytes !== undefined && item.bytes !== init.bytes.toLowerCase()) {
      push(mismatch(base(name, item, 'initializers', name, init.loc, init.why), 'bytes', item.bytes, init.bytes.toLowerCase(), `bytes of ${name}: ${describeByteDifference(item.bytes, init.bytes.toLowerCase())}`));
    }
  }

  // ---- functions ----------------------------------------------------------------------------
  for (const [name, item] of Object.entries(profile.functions)) {
    if (item.ignore !== undefined || !inScope('functions', name)) continue;
    const fn = model.functions[name];
    if (!fn) {
      push(missing(base(name, item, 'functions', name, null), item, `function ${name} is not declared in the headers`, item.signature !== undefined ? { expected: item.signature } : {}));
      continue;
    }
    if (item.signature !== undefined && !sameSignature(item.signature, fn.signature, model, profile.types)) {
      const p = canonicalProfilePrototype(item.signature, model, profile.types);
      const h = canonicalHeaderPrototype(fn.signature, model);
      const through = p !== normaliseSignature(item.signature) || h !== normaliseSignature(fn.signature) ? ` (through typedefs: \`${p.replace(/,/g, ', ')}\` vs \`${h.replace(/,/g, ', ')}\`)` : '';
      push(mismatch(base(name, item, 'functions', name, fn.loc), 'signature', item.signature, fn.signature, `prototype of ${name}: profile \`${item.signature}\`, headers \`${fn.signature}\`${through}`));
    }
  }

  // ---- what the profile's producer could not resolve ----------------------------------------
  profile.unresolved.forEach((u, i) => {
    if (!inScope('unresolved', u.item)) return;
    const f: Finding = { kind: 'unresolved', severity: opts.unresolved ?? 'note', item: u.item, message: `${u.item} was not checked: ${u.reason}`, loc: null };
    const pl = locs[`unresolved/${i}`];
    if (pl) f.profileLoc = pl;
    push(f);
  });

  return { findings: out.sort(compareFindings), summary };
}

/** "48 vs 40 bytes; first difference at byte 4 (00 vs 01)". */
export function describeByteDifference(expected: string, actual: string): string {
  const e = expected.length / 2;
  const a = actual.length / 2;
  let i = 0;
  while (i < Math.min(e, a) && expected.slice(2 * i, 2 * i + 2) === actual.slice(2 * i, 2 * i + 2)) i++;
  const size = e === a ? `${e} bytes` : `profile ${e} bytes, headers ${a} bytes`;
  if (i === Math.min(e, a)) return `${size}; equal up to the shorter length`;
  return `${size}; first difference at byte ${i} (profile ${expected.slice(2 * i, 2 * i + 2)}, headers ${actual.slice(2 * i, 2 * i + 2)})`;
}
