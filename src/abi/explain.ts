// `explain NAME`: where a constant, type or initializer comes from and what it computes to,
// as a pure function from the computed ABI to lines of text.
import { formatLoc } from '../parse/diagnostics.js';
import type { MacroDecl } from '../parse/ir.js';
import type { AbiModel, FieldEntry, Provenance } from './model.js';
import { conditionEntries } from './provenance.js';

export interface ExplainInput {
  model: AbiModel;
  macros: Record<string, MacroDecl>;
}

function provenanceLines(why: Provenance | undefined, macro: MacroDecl | undefined): string[] {
  const out: string[] = [];
  const chain = why?.chain ?? macro?.chain?.map((s) => ({ macro: s.macro, loc: formatLoc(s.definedAt) }));
  if (chain?.length) {
    out.push('expansion chain:');
    for (const s of chain) out.push(`  ${s.macro}  (${s.loc})`);
  }
  const conds = why ? why.conditions : conditionEntries(macro?.conditions);
  if (conds?.length) {
    out.push('selected by:');
    for (const c of conds) {
      const tested = c.tested.map((t) => `${t.name}=${t.value ?? '(undefined)'}`).join(', ');
      out.push(`  #${c.directive} ${c.text}  (${c.loc})${tested ? `  tested: ${tested}` : ''}`);
    }
    const config = [...new Set(conds.flatMap((c) => c.tested.map((t) => t.name)).filter((n) => n.startsWith('CONFIG_')))];
    if (config.length) out.push(`CONFIG_ options: ${config.join(', ')}`);
  }
  return out;
}

export function fieldLine(f: FieldEntry): string {
  const off = f.bitField ? `bit ${f.offsetBits}` : `offset ${f.offsetBits / 8}`;
  const size = f.bitField ? `${f.sizeBits} bits` : `${f.sizeBits / 8} bytes`;
  return `  ${f.name}: ${f.type}  ${off}, ${size}`;
}

/** Lines explaining NAME, or null when the model knows nothing by that name. */
export function explain(name: string, { model, macros }: ExplainInput): string[] | null {
  const out: string[] = [];
  const macro = macros[name];
  const c = model.constants[name];
  const init = model.initializers[name];
  const type = model.types[name];
  if (!c && !init && !type && !macro) return null;
  if (macro) {
    out.push(`${name}: macro defined at ${formatLoc(macro.loc)}`);
    out.push(`  #define ${name}${macro.kind === 'function' ? `(${macro.params.join(', ')})` : ''} ${macro.body}`);
    if (macro.expansion !== undefined && macro.expansion !== macro.body) out.push(`  expands to: ${macro.expansion}`);
    const cls = model.macros[name];
    if (cls) out.push(`  class: ${cls.class}${cls.detail ? ` (${cls.detail})` : ''}`);
  }
  if (c) {
    out.push(`value: ${c.value} (${c.type})${c.source === 'enumerator' ? `, enumerator at ${c.loc}` : ''}`);
  }
  if (init) {
    out.push(`initializer for ${init.type}: ${init.bytes.length / 2} bytes`);
    out.push(`  ${init.bytes}`);
  }
  out.push(...provenanceLines(c?.why ?? init?.why, macro));
  if (type) {
    out.push(`${name}: ${type.kind} defined at ${type.loc}${type.aliasOf ? `, alias of ${type.aliasOf}` : ''}`);
    out.push(type.complete ? `  size ${type.size}, align ${type.align}` : '  incomplete type (no size)');
    for (const f of type.fields ?? []) out.push(fieldLine(f));
    out.push(...provenanceLines(type.why ?? { loc: type.loc }, undefined));
  }
  return out;
}
