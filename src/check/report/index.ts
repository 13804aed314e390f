// One entry point for the CLI: render check findings in a named format.
import type { CheckSummary } from '../check.js';
import type { Finding } from '../finding.js';
import { renderGithub } from './github.js';
import { renderJson } from './json.js';
import { renderMarkdown } from './markdown.js';
import { CHECK_RULES, findingToResult } from './result.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';

export type ReportFormat = 'text' | 'json' | 'sarif' | 'markdown' | 'github';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'sarif', 'markdown', 'github'];

export interface CheckReportContext {
  target: string;
  profile: string;
  /** text only. */
  color?: boolean;
  /** sarif, github: artifact paths relative to this (default: process.cwd() is the CLI's to pass). */
  baseDir: string;
  /** Where relative locations in findings are relative to. Default baseDir. */
  cwd?: string;
  toolVersion: string;
  /** What was checked; text adds a line and json a `scope` key when the scope is 'headers'. */
  summary?: CheckSummary;
}

/** "checked 80 profile items the headers define; 5212 others not defined in them (--scope headers)". */
export function scopeLine(s: CheckSummary): string {
  return `checked ${s.checked} profile item${s.checked === 1 ? '' : 's'} the headers define; ${s.notInHeaders} other${s.notInHeaders === 1 ? '' : 's'} not defined in them, not checked (--scope headers)`;
}

export function renderCheckReport(format: ReportFormat, findings: readonly Finding[], ctx: CheckReportContext): string {
  const results = findings.map(findingToResult);
  const heading = `portabi check: profile ${ctx.profile} on ${ctx.target}`;
  switch (format) {
    case 'text':
      return renderText(results, { color: ctx.color ?? false, heading }) + (ctx.summary?.scope === 'headers' ? scopeLine(ctx.summary) + '\n' : '');
    case 'json':
      return renderJson(findings, { target: ctx.target, profile: ctx.profile, ...(ctx.summary ? { scope: ctx.summary } : {}) });
    case 'sarif':
      return renderSarif(results, { baseDir: ctx.baseDir, cwd: ctx.cwd ?? ctx.baseDir, rules: CHECK_RULES, toolVersion: ctx.toolVersion });
    case 'markdown':
      return renderMarkdown(results, { heading: `portabi check: profile \`${ctx.profile}\` on \`${ctx.target}\`` });
    case 'github':
      return renderGithub(results, { baseDir: ctx.baseDir, cwd: ctx.cwd ?? ctx.baseDir });
  }
}
