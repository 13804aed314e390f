// A pull-request comment: heading and counts, a summary table (one row per result), then one
// <details> block per result with its provenance.
import type { FindingSeverity } from '../finding.js';
import { summaryLine, type ReportResult } from './result.js';

export interface MarkdownOptions {
  /** e.g. "portabi check: `nuttx-arm` on `thumbv7em-none-eabi`". */
  heading: string;
  /** Rows beyond this are left out of the table (the details still list all). Default 200. */
  maxRows?: number;
}

const ICON: Record<FindingSeverity, string> = { error: '❌', warning: '⚠️', note: 'ℹ️' };

/** Text safe inside a table cell: no pipes, no newlines, no HTML. */
export function escapeCell(s: string): string {
  return escapeHtml(s).replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code that survives backticks inside (CommonMark: a longer fence, padded). */
export function code(s: string): string {
  if (s === '') return '';
  const longest = Math.max(0, ...(s.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${s}${pad}${fence}`;
}

function cellCode(s: string | undefined): string {
  if (s === undefined || s === '') return '';
  return code(s.replace(/\r?\n/g, ' ')).replace(/\|/g, '\\|');
}

function shortHex(s: string | undefined): string | undefined {
  return s !== undefined && s.length > 48 && /^[0-9a-f]+$/.test(s) ? `${s.slice(0, 44)}… (${s.length / 2} bytes)` : s;
}

export function renderMarkdown(results: readonly ReportResult[], opts: MarkdownOptions): string {
  const out: string[] = [`### ${opts.heading}`, ''];
  if (results.length === 0) {
    out.push('✅ No findings.');
    return out.join('\n') + '\n';
  }
  out.push(`**${summaryLine(results)}**`, '');
  out.push('| | item | field | check | expected | actual | where |', '|---|---|---|---|---|---|---|');
  const max = opts.maxRows ?? 200;
  for (const r of results.slice(0, max)) {
    out.push(
      `| ${ICON[r.level]} | ${cellCode(r.item ?? r.title)} | ${cellCode(r.field)} | ${escapeCell(r.ruleId)} | ${cellCode(shortHex(r.expected))} | ${cellCode(shortHex(r.actual))} | ${r.loc ? cellCode(r.loc) : ''} |`,
    );
  }
  if (results.length > max) out.push('', `_${results.length - max} more not shown in the table; all are listed below._`);
  out.push('');
  for (const r of results) {
    out.push('<details>', `<summary>${ICON[r.level]} ${escapeHtml(r.title)}</summary>`, '');
    out.push(escapeHtml(r.message), '');
    if (r.loc) out.push(`- at ${code(r.loc)}`);
    if (r.expected !== undefined) out.push(`- profile: ${code(r.expected)}`);
    if (r.actual !== undefined) out.push(`- headers: ${code(r.actual)}`);
    for (const d of r.details ?? []) out.push(`- ${escapeHtml(d)}`);
    out.push('', '</details>', '');
  }
  return out.join('\n');
}
