// The `types` and `functions` sections of the ABI model: every named record, enum and typedef
// with its layout, fields flattened to C access names.
import { formatLoc, type Loc } from '../parse/diagnostics.js';
import type { CType, TranslationUnitIR } from '../parse/ir.js';
import type { ConditionRecord } from '../parse/pp-types.js';
import { conditionEntries } from './provenance.js';
import { abstractTypeToC, typeToC } from '../parse/c-text.js';
import { enumUnderlying } from './enum-values.js';
import type { AbiContext, RecordLayout } from './context.js';
import type { FieldEntry, FunctionEntry, TypeEntry } from './model.js';

/** Fields with C access names: members of anonymous struct/union members are listed both
 *  under the anonymous member ("(anonymous)") and under their own names, offsets absolute.
 *  A named member of an untagged struct/union type (`union { char ifrn_name[16]; } ifr_ifrn;`)
 *  also carries that type's fields, offsets relative to the member: the type has no name to be
 *  found under in `types`, and member-path macros (`#define ifr_name ifr_ifrn.ifrn_name`) step
 *  through it. */
export function flattenFields(rec: RecordLayout, ctx: AbiContext, baseBits = 0, out: FieldEntry[] = []): FieldEntry[] {
  for (const f of rec.fields) {
    if (f.name === null && f.bitField) continue; // unnamed bit-field: padding, not a member
    const e: FieldEntry = {
      name: f.name ?? '(anonymous)',
      offsetBits: baseBits + f.offsetBits,
      sizeBits: f.sizeBits,
      bitField: f.bitField,
      type: typeToC(f.type, ctx.ir),
    };
    const untagged = f.name !== null ? untaggedRecordLayout(f.type, ctx) : null;
    if (untagged) e.fields = flattenFields(untagged, ctx);
    out.push(e);
    if (f.name === null && f.anonymous) flattenFields(f.anonymous, ctx, baseBits + f.offsetBits, out);
  }
  return out;
}

/** The layout of a struct/union type without a tag (spelled `struct <anonymous>`), else null. */
function untaggedRecordLayout(type: CType, ctx: AbiContext): RecordLayout | null {
  if (type.kind !== 'record' || ctx.ir.records[type.id]?.name !== null) return null;
  const l = ctx.layoutOf(type);
  return l.complete ? l.record ?? null : null;
}

function entryFor(type: CType, kind: TypeEntry['kind'], decl: { loc: Loc; conditions?: ConditionRecord[] }, ctx: AbiContext): TypeEntry {
  const l = ctx.layoutOf(type);
  const loc = formatLoc(decl.loc);
  const e: TypeEntry = l.complete ? { kind, size: l.size, align: l.align, complete: true, loc } : { kind, size: null, align: null, complete: false, loc };
  if (l.complete && l.record) e.fields = flattenFields(l.record, ctx);
  // `why` only when #if branches selected the definition (include guards left out).
  const conditions = conditionEntries(decl.conditions);
  if (conditions) e.why = { loc, conditions };
  return e;
}

export function buildTypeEntries(ctx: AbiContext): Record<string, TypeEntry> {
  const { ir } = ctx;
  const types: Record<string, TypeEntry> = {};
  for (const tag of ['struct', 'union'] as const) {
    for (const [name, id] of Object.entries(ir.tags[tag])) {
      const r = ir.records[id]!;
      types[`${tag} ${name}`] = entryFor({ kind: 'record', id }, tag, r, ctx);
    }
  }
  for (const [name, id] of Object.entries(ir.tags.enum)) {
    const en = ir.enums[id]!;
    const e = entryFor({ kind: 'enum', id }, 'enum', en, ctx);
    const u = e.complete ? enumUnderlying(en, ctx) : null;
    if (u?.ok) e.underlying = u.type;
    types[`enum ${name}`] = e;
  }
  for (const [name, td] of Object.entries(ir.typedefs)) {
    const e = entryFor({ kind: 'typedef', name }, 'typedef', td, ctx);
    e.aliasOf = abstractTypeToC(td.type, ir);
    types[name] = e;
  }
  return sortKeys(types);
}

export function buildFunctionEntries(ir: TranslationUnitIR): Record<string, FunctionEntry> {
  const out: Record<string, FunctionEntry> = {};
  for (const [name, f] of Object.entries(ir.functions)) {
    out[name] = { signature: f.signature, loc: formatLoc(f.loc) };
    if (f.storage === 'static') out[name]!.linkage = 'internal';
  }
  return sortKeys(out);
}

export function sortKeys<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort()) out[k] = o[k]!;
  return out;
}
