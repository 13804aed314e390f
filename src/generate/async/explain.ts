// `portabi gen --explain-async`: what detection proposes, why, and the portabi.yaml entry that
// would confirm it. Pure: specs in, text out.
import { argExprText, resultValueText } from './arg-expr.js';
import { cancelArgText, siteText } from './detect.js';
import type { AsyncSpec, ResultMapping } from './model.js';
import type { AsyncProblem } from './resolve.js';

function resultText(r: ResultMapping): string {
  if (r.k === 'void') return 'null';
  if (r.k === 'value') return JSON.stringify(resultValueText(r.value));
  return `{ ${r.fields.map((f) => `${f.name}: ${JSON.stringify(resultValueText(f.value))}`).join(', ')} }`;
}

/** The YAML lines of one annotation (indented under `async:`). */
export function annotationYaml(s: AsyncSpec, indent = '  '): string[] {
  const i2 = indent + '  ';
  const out = [`${indent}${s.symbol}:`, `${i2}scope: ${s.scope}`, `${i2}callback: ${siteText(s.callback)}`, `${i2}context: ${siteText(s.context)}`];
  if (s.cancel?.k === 'function') {
    out.push(`${i2}cancel: ${s.cancel.symbol}`);
    out.push(`${i2}cancel-args: [${s.cancel.args.map(cancelArgText).join(', ')}]`);
  } else if (s.cancel?.k === 'set-null') out.push(`${i2}cancel: set-null`);
  else out.push(`${i2}cancel: null`);
  if (s.done) out.push(`${i2}done: ${JSON.stringify(argExprText(s.done))}`);
  if (s.errors.length) out.push(`${i2}errors: [${s.errors.join(', ')}]`);
  if (s.status) out.push(`${i2}status: ${s.status}`);
  out.push(`${i2}result: ${resultText(s.result)}`);
  out.push(`${i2}runs-on: ${s.runsOn}`);
  if (s.scope === 'stream') out.push(`${i2}queue: ${s.queue.capacity}`, `${i2}overflow: ${s.queue.overflow}`);
  return out;
}

export function explainAsync(proposals: AsyncSpec[], final: AsyncSpec[], problems: AsyncProblem[]): string {
  const lines: string[] = [];
  const finalBy = new Map(final.map((s) => [s.symbol, s]));
  if (proposals.length === 0) lines.push('async detection found no callback APIs.');
  for (const p of proposals) {
    const f = finalBy.get(p.symbol);
    const state = !f ? 'disabled in portabi.yaml' : f.origin === 'detected' ? 'proposed (not yet confirmed in portabi.yaml)' : 'confirmed in portabi.yaml';
    lines.push(`${p.symbol}: ${p.scope}, ${state}`);
    for (const r of p.reasons) lines.push(`  - ${r}`);
  }
  for (const f of final) if (f.origin === 'configured') lines.push(`${f.symbol}: ${f.scope}, from portabi.yaml only (detection did not propose it)`);
  for (const pr of problems) lines.push(`${pr.loc}: error: ${pr.message}`);
  const unconfirmed = final.filter((s) => s.origin === 'detected');
  if (unconfirmed.length) {
    lines.push('', 'To confirm, add to portabi.yaml:', 'async:');
    for (const s of unconfirmed) lines.push(...annotationYaml(s));
  }
  return lines.join('\n') + '\n';
}
