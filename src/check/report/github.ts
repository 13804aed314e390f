// GitHub Actions workflow commands: one `::error file=…,line=…,col=…,title=…::message` per
// result, so findings appear as annotations on the pull request. Escaping follows the runner's
// rules (actions/toolkit command.ts): in the message, % CR LF; in properties also ':' and ','.
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { parseLocString, type FindingSeverity } from '../finding.js';
import type { ReportResult } from './result.js';

export interface GithubOptions {
  /** Repository root: annotation file names are relative to it. */
  baseDir: string;
  /** Relative file names in locations are resolved against this. Default: baseDir. */
  cwd?: string;
}

export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const COMMAND: Record<FindingSeverity, string> = { error: 'error', warning: 'warning', note: 'notice' };

export function renderGithub(results: readonly ReportResult[], opts: GithubOptions): string {
  const lines: string[] = [];
  for (const r of results) {
    const props: string[] = [];
    const p = parseLocString(r.loc);
    if (p) {
      const abs = resolve(opts.cwd ?? opts.baseDir, p.file);
      const rel = relative(resolve(opts.baseDir), abs);
      const file = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel.split(sep).join('/') : abs;
      props.push(`file=${escapeProperty(file)}`, `line=${p.line}`, `col=${p.col}`);
    }
    props.push(`title=${escapeProperty(`portabi ${r.title}`)}`);
    const body = [r.message, ...(r.details ?? [])].join('\n');
    lines.push(`::${COMMAND[r.level]} ${props.join(',')}::${escapeData(body)}`);
  }
  return lines.length ? lines.join('\n') + '\n' : '';
}
