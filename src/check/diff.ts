// ABI changes between two ABI models of the same target: the old one and the new one. Pure:
// two AbiModels in, a sorted list of classified Changes out (no I/O, no C parsing).
//
// Classes, as users of abidiff and abi-compliance-checker expect:
//   breaking     a type's size or alignment changed, or it became opaque; a field's offset,
//                type or width changed, or a field was removed; a constant's value or type
//                changed (enumerators included); an initializer's bytes changed; a function was
//                removed, its prototype changed or it became static (no symbol); anything
//                removed.
//   compatible   additions (a type, field, constant, initializer, function or macro; an opaque
//                type that became complete).
//   source-only  a rename that keeps the layout (type, field, constant, initializer; not a
//                function, whose name is its symbol), or a type spelled differently that is the
//                same type once typedefs are expanded.
// When the engine cannot tell, it says breaking: a rename is recognised only when exactly one
// removed item and one added item of the same section, in the same file, have the same layout
// or value; anything else is a removal plus an addition.
import type { AbiModel, FieldEntry, Provenance, TypeEntry } from '../abi/model.js';
import { compareStrings } from './finding.js';

export type ChangeClass = 'breaking' | 'source-only' | 'compatible';
export const CHANGE_CLASSES: readonly ChangeClass[] = ['breaking', 'source-only', 'compatible'];

export type ChangeSection = 'type' | 'constant' | 'initializer' | 'function' | 'macro';

export type ChangeKind =
  | 'removed'
  | 'added'
  | 'renamed'
  | 'type-kind'
  | 'size'
  | 'align'
  | 'opaque'
  | 'completed'
  | 'alias'
  | 'alias-spelling'
  | 'field-removed'
  | 'field-added'
  | 'field-renamed'
  | 'field-offset'
  | 'field-width'
  | 'field-bitfield'
  | 'field-type'
  | 'field-type-spelling'
  | 'value'
  | 'enum-value'
  | 'value-type'
  | 'constant-source'
  | 'bytes'
  | 'initializer-type'
  | 'initializer-type-spelling'
  | 'signature'
  | 'signature-spelling'
  | 'linkage'
  | 'macro-class'
  | 'macro-value';

/** A configuration macro (Kconfig CONFIG_ or -D/-U) whose value differs between the sides;
 *  null = not defined. */
export interface ConfigMacroDelta {
  name: string;
  old: string | null;
  new: string | null;
}

export interface ChangeCause {
  /** True when the headers both sides read are byte-identical (or, for a constant or
   *  initializer, every file its provenance names is), so only the configuration differs. */
  configOnly: boolean;
  /** Configuration macros whose values differ and that this item's provenance names. */
  macros: ConfigMacroDelta[];
}

export interface Change {
  class: ChangeClass;
  kind: ChangeKind;
  section: ChangeSection;
  /** The item's key in the new model (in the old one for removals). */
  item: string;
  /** Field (C access name), for field changes. */
  field?: string;
  /** For renames: the old name (of the item, or of the field). */
  renamedFrom?: string;
  /** Old and new value as text (decimal, hex bytes, C spelling or prototype). */
  old?: string;
  new?: string;
  unit?: 'bytes' | 'bits';
  /** One line, self-contained. */
  message: string;
  oldLoc: string | null;
  newLoc: string | null;
  oldWhy?: Provenance;
  newWhy?: Provenance;
  /** Types this change follows from (a member or alias whose own layout changed). */
  because?: string[];
  cause?: ChangeCause;
}

export interface DiffOptions {
  /** Side roots: file names in locations are compared relative to these (a rename must stay in
   *  the same file). '' or '.' when locations are already relative. */
  oldRoot?: string;
  newRoot?: string;
  /** Configuration differences between the sides, for ChangeCause. */
  config?: {
    deltas: ConfigMacroDelta[];
    /** Every header file both sides read is the same (relative path and content). */
    headersIdentical: boolean;
    /** Content hash of each header each side read, by path relative to its root; used to tell
     *  whether the files a constant's provenance names are unchanged. */
    oldFiles?: Record<string, string>;
    newFiles?: Record<string, string>;
    /** The Kconfig files of both sides (as locations name them): configuration, not headers. */
    configFiles?: string[];
  };
}

const CLASS_RANK: Record<ChangeClass, number> = { breaking: 0, 'source-only': 1, compatible: 2 };

export function compareChanges(a: Change, b: Change): number {
  return (
    CLASS_RANK[a.class] - CLASS_RANK[b.class] ||
    compareStrings(a.item, b.item) ||
    compareStrings(a.field ?? '', b.field ?? '') ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.message, b.message)
  );
}

// ---- C spellings ------------------------------------------------------------------------------

const TOKEN_RE = /[A-Za-z_][A-Za-z0-9_]*|[0-9][A-Za-z0-9_.]*|\.\.\.|<anonymous>|\S/g;
const QUALIFIERS = new Set(['const', 'volatile', 'restrict', '__restrict', '__restrict__']);

function tokens(s: string): string[] {
  return s.match(TOKEN_RE) ?? [];
}

/** Tokens joined with a space only where two words meet: one text per C spelling. */
function joinTokens(ts: readonly string[]): string {
  let out = '';
  let prevWord = false;
  for (const t of ts) {
    const word = /^[A-Za-z0-9_<]/.test(t);
    if (word && prevWord) out += ' ';
    out += t;
    prevWord = word;
  }
  return out;
}

/**
 * A spelling with every typedef name replaced by what it aliases (recursively), and tags
 * renamed by `tagRenames` (old side: `struct a` → `struct b` when a was renamed to b). Two
 * spellings that are equal after this denote the same type. An alias holding `*`, `(` or `[`
 * is not substituted next to a qualifier (`const T` with T a pointer is not textual).
 */
export function canonicalSpelling(s: string, model: AbiModel, tagRenames?: ReadonlyMap<string, string>, depth = 0): string {
  const ts = tokens(s);
  const out: string[] = [];
  for (let i = 0; i < ts.length; i++) {
    const t = ts[i]!;
    const prev = ts[i - 1];
    if ((t === 'struct' || t === 'union' || t === 'enum') && ts[i + 1] !== undefined) {
      const tag = `${t} ${ts[i + 1]}`;
      const renamed = tagRenames?.get(tag);
      out.push(...(renamed ? tokens(renamed) : [t, ts[i + 1]!]));
      i++;
      continue;
    }
    const e = model.types[t];
    if (!e || e.kind !== 'typedef' || e.aliasOf === undefined || depth >= 16) {
      out.push(t);
      continue;
    }
    if (/[*([]/.test(e.aliasOf) && (QUALIFIERS.has(prev ?? '') || QUALIFIERS.has(ts[i + 1] ?? ''))) {
      out.push(t);
      continue;
    }
    const sub = canonicalSpelling(e.aliasOf, model, tagRenames, depth + 1);
    // A pointer or array alias in the middle of a declarator keeps its grouping.
    out.push(...(/[*([]/.test(e.aliasOf) && ts.length > 1 ? ['(', ...tokens(sub), ')'] : tokens(sub)));
  }
  return joinTokens(out);
}

// ---- locations --------------------------------------------------------------------------------

function splitLoc(loc: string | null | undefined): string | null {
  if (!loc) return null;
  const m = /^(.*):\d+:\d+$/.exec(loc) ?? /^(.*):\d+$/.exec(loc);
  return m ? m[1]! : loc;
}

function normRoot(root: string | undefined): string {
  if (!root || root === '.' || root === './') return '';
  return root.replace(/\/+$/, '') + '/';
}

/** A location's file relative to its side's root ('' root: as written, './' stripped). */
export function relativeFile(file: string, root: string | undefined): string {
  const r = normRoot(root);
  const f = file.replace(/^\.\//, '');
  return r && f.startsWith(r) ? f.slice(r.length) : f;
}

// ---- the diff ---------------------------------------------------------------------------------

interface Sides {
  o: AbiModel;
  n: AbiModel;
  opts: DiffOptions;
  /** Old tag → new tag for renamed records/enums; used when canonicalising old spellings. */
  tagRenames: Map<string, string>;
}

function sameFile(s: Sides, oldLoc: string | null | undefined, newLoc: string | null | undefined): boolean {
  const a = splitLoc(oldLoc);
  const b = splitLoc(newLoc);
  return a !== null && b !== null && relativeFile(a, s.opts.oldRoot) === relativeFile(b, s.opts.newRoot);
}

/** The old spelling in the new side's names, typedefs expanded on each side. */
function sameTypeSpelling(s: Sides, oldSpelling: string, newSpelling: string): boolean {
  if (oldSpelling === newSpelling) return true;
  return canonicalSpelling(oldSpelling, s.o, s.tagRenames) === canonicalSpelling(newSpelling, s.n);
}

const bytesOrBits = (bits: number) => (bits % 8 === 0 ? `${bits / 8}` : `${bits} bits`);

/**
 * One-to-one matches between removed and added names: pairs whose signature (`sig`, null = not
 * a candidate) is equal and unique on both sides, and that are defined in the same file.
 */
function matchRenames(
  s: Sides,
  removed: string[],
  added: string[],
  sig: (side: 'o' | 'n', name: string) => string | null,
  locOf: (side: 'o' | 'n', name: string) => string | null,
): Map<string, string> {
  const group = (side: 'o' | 'n', names: string[]) => {
    const m = new Map<string, string[]>();
    for (const name of names) {
      const k = sig(side, name);
      if (k === null) continue;
      const g = m.get(k);
      if (g) g.push(name);
      else m.set(k, [name]);
    }
    return m;
  };
  const ro = group('o', removed);
  const an = group('n', added);
  const out = new Map<string, string>();
  for (const [k, olds] of ro) {
    const news = an.get(k);
    if (olds.length !== 1 || news?.length !== 1) continue;
    if (!sameFile(s, locOf('o', olds[0]!), locOf('n', news[0]!))) continue;
    out.set(olds[0]!, news[0]!);
  }
  return out;
}

function keyedFields(fields: readonly FieldEntry[] | undefined): Map<string, FieldEntry> {
  const out = new Map<string, FieldEntry>();
  const seen = new Map<string, number>();
  for (const f of fields ?? []) {
    const n = seen.get(f.name) ?? 0;
    seen.set(f.name, n + 1);
    out.set(n === 0 ? f.name : `${f.name}#${n + 1}`, f);
  }
  return out;
}

function typeLayoutSignature(s: Sides, side: 'o' | 'n', e: TypeEntry): string | null {
  // Only types with something to compare: complete records with fields, or typedefs.
  if (!e.complete) return null;
  if (e.kind !== 'typedef' && !(e.fields && e.fields.length)) return null;
  const model = side === 'o' ? s.o : s.n;
  const canon = (t: string) => canonicalSpelling(t, model, side === 'o' ? s.tagRenames : undefined);
  return JSON.stringify([
    e.kind, e.size, e.align,
    e.aliasOf !== undefined ? canon(e.aliasOf) : null,
    (e.fields ?? []).map((f) => [f.name, f.offsetBits, f.sizeBits, f.bitField, canon(f.type)]),
  ]);
}

function diffTypes(s: Sides, out: Change[]): void {
  const oldNames = Object.keys(s.o.types);
  const newNames = Object.keys(s.n.types);
  const removed = oldNames.filter((n) => !(n in s.n.types));
  const added = newNames.filter((n) => !(n in s.o.types));
  // Records first (their renames feed the spellings typedefs and fields are compared by), then
  // typedefs.
  const isTag = (n: string) => /^(struct|union|enum) /.test(n);
  const tagRenames = matchRenames(
    s, removed.filter(isTag), added.filter(isTag),
    (side, n) => typeLayoutSignature(s, side, (side === 'o' ? s.o : s.n).types[n]!),
    (side, n) => (side === 'o' ? s.o : s.n).types[n]!.loc,
  );
  for (const [a, b] of tagRenames) s.tagRenames.set(a, b);
  const tdRenames = matchRenames(
    s, removed.filter((n) => !isTag(n)), added.filter((n) => !isTag(n)),
    (side, n) => typeLayoutSignature(s, side, (side === 'o' ? s.o : s.n).types[n]!),
    (side, n) => (side === 'o' ? s.o : s.n).types[n]!.loc,
  );
  const renamedTo = new Map([...tagRenames, ...tdRenames]);
  const renamedFrom = new Set(renamedTo.values());

  for (const name of removed) {
    const e = s.o.types[name]!;
    const to = renamedTo.get(name);
    if (to !== undefined) {
      const n = s.n.types[to]!;
      out.push({
        class: 'source-only', kind: 'renamed', section: 'type', item: to, renamedFrom: name, old: name, new: to,
        message: `${name} renamed to ${to}; layout unchanged`,
        oldLoc: e.loc, newLoc: n.loc, ...why(e.why, n.why),
      });
      continue;
    }
    out.push({
      class: 'breaking', kind: 'removed', section: 'type', item: name,
      message: `${name} removed${e.complete && e.size !== null ? ` (was ${e.size} bytes)` : ''}`,
      oldLoc: e.loc, newLoc: null, ...why(e.why, undefined),
    });
  }
  for (const name of added) {
    if (renamedFrom.has(name)) continue;
    const e = s.n.types[name]!;
    out.push({
      class: 'compatible', kind: 'added', section: 'type', item: name,
      message: `${name} added${e.complete && e.size !== null ? ` (${e.size} bytes)` : ''}`,
      oldLoc: null, newLoc: e.loc, ...why(undefined, e.why),
    });
  }
  for (const name of oldNames) {
    if (name in s.n.types) compareType(s, name, name, out);
  }
}

function why(o: Provenance | undefined, n: Provenance | undefined): { oldWhy?: Provenance; newWhy?: Provenance } {
  const r: { oldWhy?: Provenance; newWhy?: Provenance } = {};
  if (o) r.oldWhy = o;
  if (n) r.newWhy = n;
  return r;
}

function compareType(s: Sides, oldName: string, name: string, out: Change[]): void {
  const o = s.o.types[oldName]!;
  const n = s.n.types[name]!;
  const base = { section: 'type' as const, item: name, oldLoc: o.loc, newLoc: n.loc, ...why(o.why, n.why) };
  if (o.kind !== n.kind) {
    out.push({ ...base, class: 'breaking', kind: 'type-kind', old: o.kind, new: n.kind, message: `${name} is now a ${n.kind} (was a ${o.kind})` });
  }
  if (o.complete && !n.complete) {
    out.push({ ...base, class: 'breaking', kind: 'opaque', old: 'complete', new: 'incomplete', message: `${name} became opaque (was complete, ${o.size} bytes)` });
    return;
  }
  if (!o.complete && n.complete) {
    out.push({ ...base, class: 'compatible', kind: 'completed', old: 'incomplete', new: 'complete', message: `${name} is now complete (${n.size} bytes; was opaque)` });
    return;
  }
  if (!o.complete || !n.complete) return;
  if (o.size !== n.size) {
    out.push({ ...base, class: 'breaking', kind: 'size', old: String(o.size), new: String(n.size), unit: 'bytes', message: `size of ${name}: ${o.size} → ${n.size} bytes` });
  }
  if (o.align !== n.align) {
    out.push({ ...base, class: 'breaking', kind: 'align', old: String(o.align), new: String(n.align), unit: 'bytes', message: `alignment of ${name}: ${o.align} → ${n.align} bytes` });
  }
  if (o.aliasOf !== undefined && n.aliasOf !== undefined && o.aliasOf !== n.aliasOf) {
    if (sameTypeSpelling(s, o.aliasOf, n.aliasOf)) {
      out.push({ ...base, class: 'source-only', kind: 'alias-spelling', old: o.aliasOf, new: n.aliasOf, message: `${name} aliases ${n.aliasOf} (was ${o.aliasOf}); the same type` });
    } else {
      out.push({ ...base, class: 'breaking', kind: 'alias', old: o.aliasOf, new: n.aliasOf, message: `${name} aliases ${n.aliasOf} (was ${o.aliasOf})` });
    }
  }
  // A typedef of a named struct or union: its members are reported once, on the tag.
  const namedTag = (e: TypeEntry, m: AbiModel) => e.kind === 'typedef' && e.aliasOf !== undefined && /^(struct|union) [A-Za-z_]\w*$/.test(e.aliasOf) && e.aliasOf in m.types;
  if (namedTag(o, s.o) && namedTag(n, s.n) && (s.tagRenames.get(o.aliasOf!) ?? o.aliasOf) === n.aliasOf) return;
  compareFields(s, name, o, n, base, out);
}

function compareFields(
  s: Sides,
  name: string,
  o: TypeEntry,
  n: TypeEntry,
  base: Pick<Change, 'section' | 'item' | 'oldLoc' | 'newLoc' | 'oldWhy' | 'newWhy'>,
  out: Change[],
): void {
  if (!o.fields && !n.fields) return;
  const of = keyedFields(o.fields);
  const nf = keyedFields(n.fields);
  const removed = [...of.keys()].filter((k) => !nf.has(k));
  const added = [...nf.keys()].filter((k) => !of.has(k));
  const fieldSig = (side: 'o' | 'n', k: string) => {
    const f = (side === 'o' ? of : nf).get(k)!;
    if (f.name === '(anonymous)') return null;
    return JSON.stringify([f.offsetBits, f.sizeBits, f.bitField, canonicalSpelling(f.type, side === 'o' ? s.o : s.n, side === 'o' ? s.tagRenames : undefined)]);
  };
  // Field renames: one removed and one added field with the same place, width and type.
  const renames = matchRenames(s, removed, added, fieldSig, (side) => (side === 'o' ? o.loc : n.loc));
  const renamedTo = new Set(renames.values());
  const describe = (f: FieldEntry) => `${f.type}${f.bitField ? `:${f.sizeBits}` : ''} at ${f.bitField || f.offsetBits % 8 ? `bit ${f.offsetBits}` : `offset ${f.offsetBits / 8}`}`;
  for (const k of removed) {
    const f = of.get(k)!;
    const to = renames.get(k);
    if (to !== undefined) {
      out.push({ ...base, class: 'source-only', kind: 'field-renamed', field: nf.get(to)!.name, renamedFrom: f.name, old: f.name, new: nf.get(to)!.name, message: `${name}.${f.name} renamed to ${nf.get(to)!.name}; same place, width and type` });
      continue;
    }
    out.push({ ...base, class: 'breaking', kind: 'field-removed', field: f.name, old: describe(f), message: `${name}.${f.name} removed (was ${describe(f)})` });
  }
  for (const k of added) {
    if (renamedTo.has(k)) continue;
    const f = nf.get(k)!;
    out.push({ ...base, class: 'compatible', kind: 'field-added', field: f.name, new: describe(f), message: `${name}.${f.name} added (${describe(f)})` });
  }
  for (const [k, a] of of) {
    const b = nf.get(k);
    if (!b) continue;
    const fb = { ...base, field: a.name };
    if (a.offsetBits !== b.offsetBits) {
      const bytes = a.offsetBits % 8 === 0 && b.offsetBits % 8 === 0 && !a.bitField && !b.bitField;
      out.push({
        ...fb, class: 'breaking', kind: 'field-offset',
        old: bytes ? String(a.offsetBits / 8) : String(a.offsetBits), new: bytes ? String(b.offsetBits / 8) : String(b.offsetBits), unit: bytes ? 'bytes' : 'bits',
        message: bytes ? `offset of ${name}.${a.name}: ${a.offsetBits / 8} → ${b.offsetBits / 8} bytes` : `bit offset of ${name}.${a.name}: ${a.offsetBits} → ${b.offsetBits}`,
      });
    }
    if (a.bitField !== b.bitField) {
      out.push({
        ...fb, class: 'breaking', kind: 'field-bitfield', old: a.bitField ? `bit-field:${a.sizeBits}` : 'member', new: b.bitField ? `bit-field:${b.sizeBits}` : 'member',
        message: `${name}.${a.name} is ${b.bitField ? `now a ${b.sizeBits}-bit bit-field` : 'no longer a bit-field'}`,
      });
    } else if (a.sizeBits !== b.sizeBits) {
      out.push({
        ...fb, class: 'breaking', kind: 'field-width', old: String(a.sizeBits), new: String(b.sizeBits), unit: 'bits',
        message: a.bitField ? `bit-width of ${name}.${a.name}: ${a.sizeBits} → ${b.sizeBits}` : `width of ${name}.${a.name}: ${bytesOrBits(a.sizeBits)} → ${bytesOrBits(b.sizeBits)}${a.sizeBits % 8 === 0 && b.sizeBits % 8 === 0 ? ' bytes' : ''}`,
      });
    }
    if (a.type !== b.type) {
      if (sameTypeSpelling(s, a.type, b.type)) {
        out.push({ ...fb, class: 'source-only', kind: 'field-type-spelling', old: a.type, new: b.type, message: `${name}.${a.name} is declared ${b.type} (was ${a.type}); the same type` });
      } else {
        out.push({ ...fb, class: 'breaking', kind: 'field-type', old: a.type, new: b.type, message: `type of ${name}.${a.name}: ${a.type} → ${b.type}` });
      }
    }
  }
}

function diffConstants(s: Sides, out: Change[]): void {
  const oc = s.o.constants;
  const nc = s.n.constants;
  const removed = Object.keys(oc).filter((k) => !(k in nc));
  const added = Object.keys(nc).filter((k) => !(k in oc));
  const renames = matchRenames(
    s, removed, added,
    (side, k) => {
      const c = (side === 'o' ? oc : nc)[k]!;
      return JSON.stringify([c.value, c.type, c.source]);
    },
    (side, k) => (side === 'o' ? oc : nc)[k]!.loc,
  );
  const renamedTo = new Set(renames.values());
  for (const k of removed) {
    const c = oc[k]!;
    const to = renames.get(k);
    if (to !== undefined) {
      const d = nc[to]!;
      out.push({ class: 'source-only', kind: 'renamed', section: 'constant', item: to, renamedFrom: k, old: k, new: to, message: `${k} renamed to ${to}; value ${d.value} (${d.type}) unchanged`, oldLoc: c.loc, newLoc: d.loc, ...why(c.why, d.why) });
      continue;
    }
    const now = s.n.macros[k];
    const note = now ? `; now a ${now.class} macro${now.detail ? ` (${now.detail})` : ''}` : '';
    out.push({ class: 'breaking', kind: 'removed', section: 'constant', item: k, old: c.value, message: `${k} removed (was ${c.value}, ${c.type})${note}`, oldLoc: c.loc, newLoc: now?.loc ?? null, ...why(c.why, undefined) });
  }
  for (const k of added) {
    if (renamedTo.has(k)) continue;
    const c = nc[k]!;
    out.push({ class: 'compatible', kind: 'added', section: 'constant', item: k, new: c.value, message: `${k} added (${c.value}, ${c.type})`, oldLoc: null, newLoc: c.loc, ...why(undefined, c.why) });
  }
  for (const [k, a] of Object.entries(oc)) {
    const b = nc[k];
    if (!b) continue;
    const base = { section: 'constant' as const, item: k, oldLoc: a.loc, newLoc: b.loc, ...why(a.why, b.why) };
    if (a.value !== b.value) {
      const en = a.source === 'enumerator' || b.source === 'enumerator';
      out.push({ ...base, class: 'breaking', kind: en ? 'enum-value' : 'value', old: a.value, new: b.value, message: `${en ? 'enumerator' : 'value of'} ${k}: ${a.value} → ${b.value} (${b.type === a.type ? b.type : `${a.type} → ${b.type}`})` });
    } else if (a.type !== b.type) {
      out.push({ ...base, class: 'breaking', kind: 'value-type', old: a.type, new: b.type, message: `type of ${k}: ${a.type} → ${b.type} (value ${a.value})` });
    } else if (a.source !== b.source) {
      out.push({ ...base, class: 'source-only', kind: 'constant-source', old: a.source, new: b.source, message: `${k} is now ${b.source === 'macro' ? 'a macro' : 'an enumerator'} (was ${a.source === 'macro' ? 'a macro' : 'an enumerator'}); value ${a.value} unchanged` });
    }
  }
}

function diffInitializers(s: Sides, out: Change[]): void {
  const oi = s.o.initializers;
  const ni = s.n.initializers;
  const removed = Object.keys(oi).filter((k) => !(k in ni));
  const added = Object.keys(ni).filter((k) => !(k in oi));
  const renames = matchRenames(
    s, removed, added,
    (side, k) => {
      const i = (side === 'o' ? oi : ni)[k]!;
      return JSON.stringify([i.bytes, canonicalSpelling(i.type, side === 'o' ? s.o : s.n, side === 'o' ? s.tagRenames : undefined)]);
    },
    (side, k) => (side === 'o' ? oi : ni)[k]!.loc,
  );
  const renamedTo = new Set(renames.values());
  for (const k of removed) {
    const i = oi[k]!;
    const to = renames.get(k);
    if (to !== undefined) {
      out.push({ class: 'source-only', kind: 'renamed', section: 'initializer', item: to, renamedFrom: k, old: k, new: to, message: `${k} renamed to ${to}; bytes unchanged`, oldLoc: i.loc, newLoc: ni[to]!.loc, ...why(i.why, ni[to]!.why) });
      continue;
    }
    out.push({ class: 'breaking', kind: 'removed', section: 'initializer', item: k, old: i.bytes, message: `${k} removed (was ${i.bytes.length / 2} bytes of ${i.type})`, oldLoc: i.loc, newLoc: null, ...why(i.why, undefined) });
  }
  for (const k of added) {
    if (renamedTo.has(k)) continue;
    const i = ni[k]!;
    out.push({ class: 'compatible', kind: 'added', section: 'initializer', item: k, new: i.bytes, message: `${k} added (${i.bytes.length / 2} bytes of ${i.type})`, oldLoc: null, newLoc: i.loc, ...why(undefined, i.why) });
  }
  for (const [k, a] of Object.entries(oi)) {
    const b = ni[k];
    if (!b) continue;
    const base = { section: 'initializer' as const, item: k, oldLoc: a.loc, newLoc: b.loc, ...why(a.why, b.why) };
    if (a.bytes !== b.bytes) {
      out.push({ ...base, class: 'breaking', kind: 'bytes', old: a.bytes, new: b.bytes, message: `bytes of ${k}: ${describeBytes(a.bytes, b.bytes)}` });
    }
    if (a.type !== b.type) {
      if (sameTypeSpelling(s, a.type, b.type)) {
        out.push({ ...base, class: 'source-only', kind: 'initializer-type-spelling', old: a.type, new: b.type, message: `${k} initializes ${b.type} (was ${a.type}); the same type` });
      } else {
        out.push({ ...base, class: 'breaking', kind: 'initializer-type', old: a.type, new: b.type, message: `${k} initializes ${b.type} (was ${a.type})` });
      }
    }
  }
}

/** "8 → 12 bytes" or "byte 4: 00 → 01 (and 2 more)". */
function describeBytes(a: string, b: string): string {
  if (a.length !== b.length) return `${a.length / 2} → ${b.length / 2} bytes`;
  const diffs: number[] = [];
  for (let i = 0; i < a.length; i += 2) if (a.slice(i, i + 2) !== b.slice(i, i + 2)) diffs.push(i / 2);
  const first = diffs[0]!;
  return `byte ${first}: ${a.slice(first * 2, first * 2 + 2)} → ${b.slice(first * 2, first * 2 + 2)}${diffs.length > 1 ? ` (and ${diffs.length - 1} more)` : ''}`;
}

/** A prototype with the function's own name replaced, for rename matching. */
function unnamedSignature(name: string, sig: string): string {
  return sig.replace(new RegExp(`(^|[^A-Za-z0-9_])${name}(?=\\s*\\()`), '$1<fn>');
}

function diffFunctions(s: Sides, out: Change[]): void {
  const of = s.o.functions;
  const nf = s.n.functions;
  const removed = Object.keys(of).filter((k) => !(k in nf));
  const added = Object.keys(nf).filter((k) => !(k in of));
  const renames = matchRenames(
    s, removed, added,
    (side, k) => canonicalSpelling(unnamedSignature(k, (side === 'o' ? of : nf)[k]!.signature), side === 'o' ? s.o : s.n, side === 'o' ? s.tagRenames : undefined),
    (side, k) => (side === 'o' ? of : nf)[k]!.loc,
  );
  // A function's name is its symbol: a rename breaks binaries that call the old one, so it
  // stays a removal (and an addition); the message names the likely new name.
  for (const k of removed) {
    const f = of[k]!;
    const to = renames.get(k);
    const hint = to !== undefined ? `; ${to}, added, has the same prototype: a rename, which breaks callers of the ${k} symbol` : '';
    out.push({ class: 'breaking', kind: 'removed', section: 'function', item: k, old: f.signature, message: `${k} removed (was ${f.signature})${hint}`, oldLoc: f.loc, newLoc: to !== undefined ? nf[to]!.loc : null });
  }
  for (const k of added) {
    const f = nf[k]!;
    out.push({ class: 'compatible', kind: 'added', section: 'function', item: k, new: f.signature, message: `${k} added (${f.signature})`, oldLoc: null, newLoc: f.loc });
  }
  for (const [k, a] of Object.entries(of)) {
    const b = nf[k];
    if (b && (a.linkage ?? 'external') !== (b.linkage ?? 'external')) {
      // A `static` (inline) function has no symbol: binaries that call the external one break.
      const gone = b.linkage === 'internal';
      out.push({
        class: gone ? 'breaking' : 'compatible', kind: 'linkage', section: 'function', item: k, old: a.linkage ?? 'external', new: b.linkage ?? 'external',
        message: gone ? `${k} is now static (internal linkage): the ${k} symbol is gone` : `${k} now has external linkage (was static): a ${k} symbol is added`,
        oldLoc: a.loc, newLoc: b.loc,
      });
    }
    if (!b || a.signature === b.signature) continue;
    const base = { section: 'function' as const, item: k, old: a.signature, new: b.signature, oldLoc: a.loc, newLoc: b.loc };
    if (sameTypeSpelling(s, a.signature, b.signature)) {
      out.push({ ...base, class: 'source-only', kind: 'signature-spelling', message: `prototype of ${k} spelled ${b.signature} (was ${a.signature}); the same type` });
    } else {
      out.push({ ...base, class: 'breaking', kind: 'signature', message: `prototype of ${k}: ${a.signature} → ${b.signature}` });
    }
  }
}

/** Object-like macros that are neither integer constants nor initializers with bytes on either
 *  side (those are compared above): strings, floating values, type names, initializers whose
 *  object type is unknown (by their expansion), empty macros and macros that are not constants. */
function diffMacros(s: Sides, out: Change[]): void {
  const covered = (k: string) => k in s.o.constants || k in s.n.constants || k in s.o.initializers || k in s.n.initializers;
  const om = s.o.macros;
  const nm = s.n.macros;
  const show = (m: { class: string; detail?: string }) => `${m.class}${m.detail !== undefined ? ` (${m.detail})` : ''}`;
  for (const [k, a] of Object.entries(om)) {
    if (covered(k)) continue;
    const b = nm[k];
    if (!b) {
      out.push({ class: 'breaking', kind: 'removed', section: 'macro', item: k, old: show(a), message: `macro ${k} removed (was ${show(a)})`, oldLoc: a.loc, newLoc: null });
      continue;
    }
    if (a.class !== b.class) {
      out.push({ class: 'breaking', kind: 'macro-class', section: 'macro', item: k, old: show(a), new: show(b), message: `macro ${k} is now ${show(b)} (was ${show(a)})`, oldLoc: a.loc, newLoc: b.loc });
    } else if ((a.class === 'string' || a.class === 'floating' || a.class === 'type' || a.class === 'initializer') && a.detail !== b.detail) {
      // An initializer without bytes on either side: its expansion changed, and what that does
      // to the bytes is unknown, so it is breaking.
      const same = a.class === 'type' && a.detail !== undefined && b.detail !== undefined && sameTypeSpelling(s, a.detail, b.detail);
      out.push({
        class: same ? 'source-only' : 'breaking', kind: 'macro-value', section: 'macro', item: k, old: a.detail ?? '', new: b.detail ?? '',
        message: `macro ${k}: ${a.detail} → ${b.detail}${same ? '; the same type' : ''}`, oldLoc: a.loc, newLoc: b.loc,
      });
    }
  }
  for (const [k, b] of Object.entries(nm)) {
    if (covered(k) || k in om) continue;
    out.push({ class: 'compatible', kind: 'added', section: 'macro', item: k, new: show(b), message: `macro ${k} added (${show(b)})`, oldLoc: null, newLoc: b.loc });
  }
}

// ---- follow-on changes and causes -------------------------------------------------------------

const LAYOUT_KINDS = new Set<ChangeKind>(['size', 'align', 'opaque', 'type-kind', 'field-offset', 'field-width', 'field-removed', 'field-bitfield', 'field-type']);

/** Member and alias types (by value, not through pointers) whose own layout changed. */
function annotateBecause(s: Sides, changes: Change[]): void {
  const changed = new Set(changes.filter((c) => c.section === 'type' && (c.kind === 'size' || c.kind === 'align' || c.kind === 'opaque')).map((c) => c.item));
  if (!changed.size) return;
  const namesIn = (spelling: string): string[] => {
    if (spelling.includes('*') || spelling.includes('(')) return [];
    const ts = tokens(spelling);
    const out: string[] = [];
    for (let i = 0; i < ts.length; i++) {
      if ((ts[i] === 'struct' || ts[i] === 'union' || ts[i] === 'enum') && ts[i + 1]) out.push(`${ts[i]} ${ts[++i]}`);
      else if (/^[A-Za-z_]/.test(ts[i]!)) out.push(ts[i]!);
    }
    return out;
  };
  const memo = new Map<string, string[]>();
  const becauseOf = (name: string): string[] => {
    let r = memo.get(name);
    if (r) return r;
    const e = s.n.types[name];
    const set = new Set<string>();
    // A typedef of a named tag follows from the tag; other types from their members.
    const viaTag = e?.kind === 'typedef' && e.aliasOf !== undefined && /^(struct|union) [A-Za-z_]\w*$/.test(e.aliasOf);
    for (const sp of viaTag ? [e.aliasOf] : [e?.aliasOf, ...(e?.fields ?? []).map((f) => f.type)]) {
      if (sp === undefined) continue;
      for (const t of namesIn(sp)) if (t !== name && changed.has(t)) set.add(t);
    }
    r = [...set].sort(compareStrings);
    memo.set(name, r);
    return r;
  };
  for (const c of changes) {
    if (c.section !== 'type' || !LAYOUT_KINDS.has(c.kind)) continue;
    const b = becauseOf(c.item);
    if (b.length) c.because = b;
  }
}

function provenanceFiles(w: Provenance | undefined, loc: string | null): string[] {
  const files: string[] = [];
  const add = (l: string | null | undefined) => {
    const f = splitLoc(l);
    if (f) files.push(f);
  };
  add(loc);
  add(w?.loc);
  for (const st of w?.chain ?? []) add(st.loc);
  for (const c of w?.conditions ?? []) add(c.loc);
  return files;
}

function provenanceNames(w: Provenance | undefined): Map<string, string | null> {
  const out = new Map<string, string | null>();
  for (const st of w?.chain ?? []) if (!out.has(st.macro)) out.set(st.macro, null);
  for (const c of w?.conditions ?? []) for (const t of c.tested) out.set(t.name, t.value);
  return out;
}

function annotateCauses(s: Sides, changes: Change[]): void {
  const cfg = s.opts.config;
  const deltas = new Map((cfg?.deltas ?? []).map((d) => [d.name, d]));
  const isEnumerator = (k: string) => s.o.constants[k]?.source === 'enumerator' || s.n.constants[k]?.source === 'enumerator';
  // Where the headers differ, a macro constant's or an initializer's provenance names the
  // macros it expanded and the #if that chose it, but not the types (sizeof, casts, the
  // initializer's own type) or the enumerators it uses. While any of those changed too, no
  // value can be said to follow from the configuration alone.
  const headerLayoutChanged = changes.some((c) => c.section === 'type' || (c.section === 'constant' && isEnumerator(c.renamedFrom ?? c.item)));
  const provenanceComplete = (c: Change) => c.section === 'initializer' || (c.section === 'constant' && !isEnumerator(c.item));
  for (const c of changes) {
    const on = provenanceNames(c.oldWhy);
    const nn = provenanceNames(c.newWhy);
    const macros = new Map<string, ConfigMacroDelta>();
    for (const name of [...on.keys(), ...nn.keys()]) {
      const d = deltas.get(name);
      if (d) macros.set(name, d);
      else if (/^CONFIG_/.test(name) && on.has(name) && nn.has(name) && on.get(name) !== nn.get(name)) {
        // A CONFIG_ option tested on both sides with other values (e.g. from a snapshot).
        macros.set(name, { name, old: on.get(name)!, new: nn.get(name)! });
      }
    }
    let configOnly = false;
    if (cfg && deltas.size) {
      if (cfg.headersIdentical) configOnly = true;
      else if (provenanceComplete(c) && !headerLayoutChanged && macros.size && cfg.oldFiles && cfg.newFiles) {
        // Every file the provenance names is the same on both sides.
        const of = provenanceFiles(c.oldWhy, c.oldLoc).map((f) => relativeFile(f, s.opts.oldRoot));
        const nf = provenanceFiles(c.newWhy, c.newLoc).map((f) => relativeFile(f, s.opts.newRoot));
        const config = new Set(cfg.configFiles ?? []);
        const all = [...new Set([...of, ...nf])].filter((f) => f !== '<command line>' && f !== '<built-in>' && !config.has(f));
        configOnly = all.length > 0 && all.every((f) => cfg.oldFiles![f] !== undefined && cfg.oldFiles![f] === cfg.newFiles![f]);
      }
    }
    if (configOnly || macros.size) c.cause = { configOnly, macros: [...macros.values()].sort((a, b) => compareStrings(a.name, b.name)) };
  }
}

/** Every ABI change from `oldModel` to `newModel`, classified and sorted (compareChanges). */
export function diffModels(oldModel: AbiModel, newModel: AbiModel, opts: DiffOptions = {}): Change[] {
  const s: Sides = { o: oldModel, n: newModel, opts, tagRenames: new Map() };
  const out: Change[] = [];
  diffTypes(s, out);
  diffConstants(s, out);
  diffInitializers(s, out);
  diffFunctions(s, out);
  diffMacros(s, out);
  annotateBecause(s, out);
  annotateCauses(s, out);
  return out.sort(compareChanges);
}

export function countByClass(changes: readonly { class: ChangeClass }[]): Record<ChangeClass, number> {
  const out: Record<ChangeClass, number> = { breaking: 0, 'source-only': 0, compatible: 0 };
  for (const c of changes) out[c.class]++;
  return out;
}
