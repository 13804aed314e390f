// Human-readable report, compiler style: `file:line:col: severity: message [rule]`, then the
// provenance as indented notes, then a summary line. Colour only when the caller asks (the CLI
// decides from the TTY and NO_COLOR).
import type { FindingSeverity } from '../finding.js';
import { summaryLine, type ReportResult } from './result.js';

export interface TextOptions {
  color: boolean;
  /** Prefix for the summary line, e.g. "portabi check: profile nuttx on thumbv7em-none-eabi". */
  heading?: string;
  /** Replaces the counts after the heading (diff: "2 breaking, 0 source-only, 1 compatible"). */
  summary?: string;
}

const SGR = { reset: '\x1b[0m', bold: '\x1b[1m', red: '\x1b[31m', magenta: '\x1b[35m', cyan: '\x1b[36m', green: '\x1b[32m' };
const LEVEL_COLOUR: Record<FindingSeverity, string> = { error: SGR.red, warning: SGR.magenta, note: SGR.cyan };

export function renderText(results: readonly ReportResult[], opts: TextOptions): string {
  const paint = (s: string, ...codes: string[]) => (opts.color ? codes.join('') + s + SGR.reset : s);
  const lines: string[] = [];
  for (const r of results) {
    const where = r.loc ?? '<no location>';
    lines.push(`${paint(`${where}:`, SGR.bold)} ${paint(`${r.level}:`, SGR.bold, LEVEL_COLOUR[r.level])} ${r.message} ${paint(`[${r.ruleId}]`, SGR.bold)}`);
    for (const d of r.details ?? []) lines.push(`    ${paint('note:', SGR.bold, SGR.cyan)} ${d}`);
  }
  const summary = `${opts.heading ? `${opts.heading}: ` : ''}${opts.summary ?? (results.length === 0 ? 'no findings' : summaryLine(results))}`;
  const anyError = results.some((r) => r.level === 'error');
  lines.push(paint(summary, SGR.bold, results.length === 0 ? SGR.green : anyError ? SGR.red : ''));
  return lines.join('\n') + '\n';
}
