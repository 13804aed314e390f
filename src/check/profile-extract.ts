// Profiles from an ABI model (`portabi profile extract`), and the one YAML rendering of a
// profile, shared with the Rust libc importer: deterministic key order, so regenerated profiles
// diff cleanly.
import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import type { AbiModel } from '../abi/model.js';
import { compareStrings } from './finding.js';
import type { Profile, ProfileField, ProfileType } from './profile-types.js';

export interface ExtractOptions {
  name: string;
  description: string;
  /** Only these items (exact model keys: "struct stat", "O_RDONLY", …); names found nowhere
   *  are listed under `unresolved`. Default: everything. */
  names?: string[];
}

/** A profile that states everything the model knows: what the headers say today. */
export function extractProfile(model: AbiModel, opts: ExtractOptions): Profile {
  const want = opts.names ? new Set(opts.names) : null;
  const take = (n: string) => !want || want.has(n);
  const p: Profile = { name: opts.name, description: opts.description, target: model.target, types: {}, constants: {}, initializers: {}, functions: {}, unresolved: [] };

  for (const [name, t] of Object.entries(model.types)) {
    if (!take(name)) continue;
    const item: ProfileType = {};
    if (t.complete && t.size !== null && t.align !== null) {
      item.size = t.size;
      item.align = t.align;
      const fields: Record<string, ProfileField> = {};
      for (const f of t.fields ?? []) {
        if (f.name === '(anonymous)' || f.name in fields) continue;
        fields[f.name] = f.bitField || f.offsetBits % 8 !== 0 ? { offsetBits: f.offsetBits, sizeBits: f.sizeBits } : { offset: f.offsetBits / 8 };
      }
      if (Object.keys(fields).length) item.fields = fields;
    }
    p.types[name] = item;
  }
  for (const [name, c] of Object.entries(model.constants)) if (take(name)) p.constants[name] = { value: c.value, type: c.type };
  for (const [name, i] of Object.entries(model.initializers)) if (take(name)) p.initializers[name] = { type: i.type, bytes: i.bytes.toLowerCase() };
  for (const [name, f] of Object.entries(model.functions)) if (take(name)) p.functions[name] = { signature: f.signature };

  if (want) {
    for (const n of [...want].sort(compareStrings)) {
      if (n in p.types || n in p.constants || n in p.initializers || n in p.functions) continue;
      const m = model.macros[n];
      p.unresolved.push({ item: n, reason: m ? `a ${m.class} macro${m.detail ? ` (${m.detail})` : ''}, not a constant or initializer` : 'not defined in the headers' });
    }
  }
  return p;
}

// ---- rendering ------------------------------------------------------------------------------

const sortedKeys = (o: Record<string, unknown>) => Object.keys(o).sort(compareStrings);

/** Decimal strings that a double holds exactly are written as YAML integers, others quoted. */
function yamlInteger(v: string): number | string {
  const n = Number(v);
  return Number.isSafeInteger(n) && String(n) === v ? n : v;
}

function fieldOrder(fields: Record<string, ProfileField>): string[] {
  const pos = (f: ProfileField) => f.offsetBits ?? (f.offset !== undefined ? f.offset * 8 : Number.POSITIVE_INFINITY);
  return Object.keys(fields).sort((a, b) => pos(fields[a]!) - pos(fields[b]!) || compareStrings(a, b));
}

/** The profile as plain data with every key in its canonical order (what the YAML shows). */
export function profileToOrderedData(p: Profile): Record<string, unknown> {
  const control = (i: { rustName?: string; optional?: boolean; ignore?: string }, o: Record<string, unknown>) => {
    if (i.rustName !== undefined) o.rustName = i.rustName;
    if (i.optional !== undefined) o.optional = i.optional;
    if (i.ignore !== undefined) o.ignore = i.ignore;
  };
  const types: Record<string, unknown> = {};
  for (const k of sortedKeys(p.types)) {
    const t = p.types[k]!;
    const o: Record<string, unknown> = {};
    control(t, o);
    if (t.candidates) o.candidates = [...t.candidates];
    if (t.aliasOf !== undefined) o.aliasOf = t.aliasOf;
    if (t.size !== undefined) o.size = t.size;
    if (t.align !== undefined) o.align = t.align;
    if (t.fields) {
      const fo: Record<string, unknown> = {};
      for (const fname of fieldOrder(t.fields)) {
        const f = t.fields[fname]!;
        const x: Record<string, number> = {};
        if (f.offset !== undefined) x.offset = f.offset;
        if (f.offsetBits !== undefined) x.offsetBits = f.offsetBits;
        if (f.sizeBits !== undefined) x.sizeBits = f.sizeBits;
        fo[fname] = x;
      }
      o.fields = fo;
    }
    types[k] = o;
  }
  const constants: Record<string, unknown> = {};
  for (const k of sortedKeys(p.constants)) {
    const c = p.constants[k]!;
    const o: Record<string, unknown> = {};
    control(c, o);
    if (c.value !== undefined) o.value = yamlInteger(c.value);
    if (c.type !== undefined) o.type = c.type;
    constants[k] = o;
  }
  const initializers: Record<string, unknown> = {};
  for (const k of sortedKeys(p.initializers)) {
    const i = p.initializers[k]!;
    const o: Record<string, unknown> = {};
    control(i, o);
    if (i.type !== undefined) o.type = i.type;
    if (i.bytes !== undefined) o.bytes = i.bytes.toLowerCase();
    initializers[k] = o;
  }
  const functions: Record<string, unknown> = {};
  for (const k of sortedKeys(p.functions)) {
    const f = p.functions[k]!;
    const o: Record<string, unknown> = {};
    control(f, o);
    if (f.signature !== undefined) o.signature = f.signature;
    functions[k] = o;
  }
  const unresolved = [...p.unresolved]
    .sort((a, b) => compareStrings(a.item, b.item) || compareStrings(a.reason, b.reason))
    .map((u) => ({ item: u.item, reason: u.reason }));
  const out: Record<string, unknown> = { name: p.name, description: p.description, target: p.target, types, constants, initializers, functions };
  if (unresolved.length) out.unresolved = unresolved;
  return out;
}

/** YAML text of a profile: canonical key order, fields and candidates as flow collections,
 *  no line folding. `header` lines are written as leading comments. */
export function renderProfileYaml(p: Profile, header: string[] = []): string {
  const doc = new Document(profileToOrderedData(p));
  visit(doc, {
    Pair(_key, pair) {
      if (!isPair(pair) || !isScalar(pair.key)) return;
      if (pair.key.value === 'fields' && isMap(pair.value)) {
        for (const f of pair.value.items) if (isMap(f.value)) f.value.flow = true;
      } else if (pair.key.value === 'candidates' && isSeq(pair.value)) {
        pair.value.flow = true;
      }
    },
  });
  const head = header.map((l) => `# ${l}`.trimEnd() + '\n').join('');
  return head + doc.toString({ lineWidth: 0, indent: 2, flowCollectionPadding: true });
}
