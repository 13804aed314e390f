// Check an ABI model (what the headers define) against a profile (what a binding assumes).
// Pure: model + profile in, sorted findings out.
//
// Severity policy (targets/profiles/SCHEMA.md, "Findings"):
//   - a mismatch (size, align, offset, field-size, value, bytes, signature) is an error, whether
//     or not the item is optional: optional means "may be absent", not "may differ";
//   - a missing item or field is an error, or a warning when the item is `optional: true`;
//   - an item with `ignore: "reason"` produces nothing;
//   - each `unresolved` entry of the profile is a note (the producer's blind spot, not a
//     disagreement); CheckOptions can raise it.
import type { AbiModel, FieldEntry, Provenance, TypeEntry } from '../abi/model.js';
import { compareFindings, type Finding, type FindingKind, type FindingSeverity } from './finding.js';
import type { Profile, ProfileItemControl, ProfileSection } from './profile-types.js';

export interface CheckOptions {
  /** Severity of a missing optional item. Default 'warning'. */
  missingOptional?: FindingSeverity;
  /** Severity of the profile's `unresolved` entries. Default 'note'. */
  unresolved?: FindingSeverity;
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
  if (!e?.fields) return null;
  const out = new Map<string, FieldEntry>();
  for (const f of e.fields) if (!out.has(f.name)) out.set(f.name, f);
  return out;
}

/**
 * Whether two prototypes are the same: equal token by token, or equal once every typedef name
 * the model knows is replaced by what it aliases (recursively), so `pid_t getpid(void)` matches
 * `__pid_t getpid(void)`. A name after struct/union/enum is a tag and is kept; an alias holding
 * `*`, `(` or `[` is substituted only where no qualifier is next to it (`const T` with T a
 * pointer is not `const` + T's text).
 */
export function sameSignature(a: string, b: string, model: AbiModel): boolean {
  if (normaliseSignature(a) === normaliseSignature(b)) return true;
  return normaliseSignature(expandTypedefs(a, model)) === normaliseSignature(expandTypedefs(b, model));
}

const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__']);

function expandTypedefs(s: string, model: AbiModel, depth = 0): string {
  const tokens = s.match(/[A-Za-z_][A-Za-z0-9_]*|[0-9][A-Za-z0-9_.]*|\.\.\.|\S/g) ?? [];
  const out = tokens.map((t, i) => {
    const e = model.types[t];
    if (!e || e.kind !== 'typedef' || e.aliasOf === undefined) return t;
    const prev = tokens[i - 1];
    if (prev === 'struct' || prev === 'union' || prev === 'enum') return t;
    if (/[*([]/.test(e.aliasOf) && (QUALIFIERS.has(prev ?? '') || QUALIFIERS.has(tokens[i + 1] ?? ''))) return t;
    return depth < 16 ? expandTypedefs(e.aliasOf, model, depth + 1) : e.aliasOf;
  });
  return out.join(' ');
}

/** Prototype text compared token by token: whitespace only where two words meet. */
export function normaliseSignature(s: string): string {
  const tokens = s.match(/[A-Za-z_][A-Za-z0-9_]*|[0-9][A-Za-z0-9_.]*|\.\.\.|\S/g) ?? [];
  let out = '';
  let prevWord = false;
  for (const t of tokens) {
    const word = /^[A-Za-z0-9_]/.test(t);
    if (word && prevWord) out += ' ';
    out += t;
    prevWord = word;
  }
  return out;
}

export function checkModel(model: AbiModel, profile: Profile, opts: CheckOptions = {}): Finding[] {
  const missingOptional = opts.missingOptional ?? 'warning';
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
    if (item.ignore !== undefined) continue;
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
      const f = fields?.get(fname);
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
    if (item.ignore !== undefined) continue;
    const c = model.constants[name];
    if (!c) {
      const m = macroNote(name);
      push(missing(base(name, item, 'constants', name, m.loc), item, `constant ${name} is ${m.text}`, item.value !== undefined ? { expected: item.value } : {}));
      continue;
    }
    if (item.value !== undefined && BigInt(item.value) !== BigInt(c.value)) {
      push(mismatch(base(name, item, 'constants', name, c.loc, c.why), 'value', item.value, c.value, `value of ${name}: profile ${item.value}, headers ${c.value} (${c.type})`));
    }
  }

  // ---- initializers -------------------------------------------------------------------------
  for (const [name, item] of Object.entries(profile.initializers)) {
    if (item.ignore !== undefined) continue;
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
    if (item.ignore !== undefined) continue;
    const fn = model.functions[name];
    if (!fn) {
      push(missing(base(name, item, 'functions', name, null), item, `function ${name} is not declared in the headers`, item.signature !== undefined ? { expected: item.signature } : {}));
      continue;
    }
    if (item.signature !== undefined && !sameSignature(item.signature, fn.signature, model)) {
      push(mismatch(base(name, item, 'functions', name, fn.loc), 'signature', item.signature, fn.signature, `prototype of ${name}: profile \`${item.signature}\`, headers \`${fn.signature}\``));
    }
  }

  // ---- what the profile's producer could not resolve ----------------------------------------
  profile.unresolved.forEach((u, i) => {
    const f: Finding = { kind: 'unresolved', severity: opts.unresolved ?? 'note', item: u.item, message: `${u.item} was not checked: ${u.reason}`, loc: null };
    const pl = locs[`unresolved/${i}`];
    if (pl) f.profileLoc = pl;
    push(f);
  });

  return out.sort(compareFindings);
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
