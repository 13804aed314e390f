// One entry point for the CLI: render check findings in a named format.
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
}

export function renderCheckReport(format: ReportFormat, findings: readonly Finding[], ctx: CheckReportContext): string {
  const results = findings.map(findingToResult);
  const heading = `portabi check: profile ${ctx.profile} on ${ctx.target}`;
  switch (format) {
    case 'text':
      return renderText(results, { color: ctx.color ?? false, heading });
    case 'json':
      return renderJson(findings, { target: ctx.target, profile: ctx.profile });
    case 'sarif':
      return renderSarif(results, { baseDir: ctx.baseDir, cwd: ctx.cwd ?? ctx.baseDir, rules: CHECK_RULES, toolVersion: ctx.toolVersion });
    case 'markdown':
      return renderMarkdown(results, { heading: `portabi check: profile \`${ctx.profile}\` on \`${ctx.target}\`` });
    case 'github':
      return renderGithub(results, { baseDir: ctx.baseDir, cwd: ctx.cwd ?? ctx.baseDir });
  }
}
