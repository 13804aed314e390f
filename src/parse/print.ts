// Printing a preprocessed token stream like `cc -E`: GNU line markers (`# 12 "f.h" 1 3`),
// `#pragma` lines in order, and source tokens at their original column when possible, so
// a parser of the text recovers exact file:line:col. Tokens produced by a macro expansion
// are placed at the outermost invocation.
import type { PreprocessResult } from './pp-types.js';
import type { Token } from './token.js';

export interface PrintOptions {
  /** Omit line markers (like `cc -E -P`). */
  noLineMarkers?: boolean;
}

function quoteFile(f: string): string {
  return '"' + f.replace(/[\\"]/g, '\\$&') + '"';
}

/** True when `a` directly followed by `b` could lex as a different token sequence. */
function needsSpace(a: Token, b: Token): boolean {
  const x = a.text;
  const y = b.text;
  if (x === '' || y === '') return false;
  const wa = a.kind === 'ident' || a.kind === 'number';
  const wb = b.kind === 'ident' || b.kind === 'number' || b.kind === 'string' || b.kind === 'char';
  if (wa && wb) return true;
  if (a.kind === 'number' && (y[0] === '.' || y[0] === '+' || y[0] === '-')) return true;
  if (a.kind === 'punct' && b.kind === 'punct') return true;
  if (a.kind === 'punct' && b.kind === 'number' && x === '.') return true;
  if (a.kind === 'punct' && y[0] === '/' ) return true;
  if (x.endsWith('/') && (y[0] === '/' || y[0] === '*')) return true;
  return a.kind === 'other' || b.kind === 'other';
}

export function printPreprocessed(result: PreprocessResult, opts: PrintOptions = {}): string {
  const out: string[] = [];
  const toks = result.tokens;
  const markers = result.markers ?? [];
  const pragmas = result.pragmas;
  let mi = 0;
  let pi = 0;
  let curFile = '';
  let curLine = 0; // line of the output cursor in curFile
  let col = 0; // 0 = at the start of a line
  let prev: Token | null = null;
  let prevEnd = -1; // column just after the previous source token (same line), or -1

  const newline = () => {
    if (col > 0 || out.length > 0) out.push('\n');
    col = 0;
    prev = null;
    prevEnd = -1;
  };
  const marker = (line: number, file: string, flags: number[]) => {
    if (col > 0) newline();
    if (!opts.noLineMarkers) out.push(`# ${line} ${quoteFile(file)}${flags.length ? ' ' + flags.join(' ') : ''}\n`);
    curFile = file;
    curLine = line;
    col = 0;
    prev = null;
  };

  for (let i = 0; i <= toks.length; i++) {
    while (mi < markers.length && markers[mi]!.tokenIndex <= i) {
      const m = markers[mi++]!;
      // a marker only matters if tokens of that file follow before the next marker
      const nextM = markers[mi];
      if (nextM && nextM.tokenIndex === m.tokenIndex && m.flags.length === 0 && nextM.flags.length === 0) continue;
      marker(m.line, m.file, m.flags);
    }
    while (pi < pragmas.length && pragmas[pi]!.tokenIndex <= i) {
      const p = pragmas[pi++]!;
      if (col > 0) {
        newline();
        curLine++;
      }
      if (p.loc.file === curFile && p.loc.line > curLine && p.loc.line - curLine <= 8) {
        while (curLine < p.loc.line) {
          out.push('\n');
          curLine++;
        }
      } else if (p.loc.file !== curFile || p.loc.line !== curLine) marker(p.loc.line, p.loc.file, []);
      out.push(`#pragma ${p.text}\n`);
      curLine++;
    }
    if (i === toks.length) break;
    const t = toks[i]!;
    const at = t.expansion && t.expansion.length > 0 ? t.expansion[0]!.invokedAt : t.loc;
    const fromSource = !t.expansion;
    if (at.file !== curFile || at.line < curLine || (at.line > curLine && at.line - curLine > 8)) {
      marker(at.line, at.file, []);
    } else if (at.line > curLine) {
      while (curLine < at.line) {
        newline();
        curLine++;
      }
    }
    if (col === 0) {
      const pad = Math.max(0, at.col - 1);
      if (pad > 0) out.push(' '.repeat(pad));
      col = pad;
    } else if (fromSource && t.loc.col > col && (prev === null || t.loc.col > col + (needsSpace(prev, t) ? 1 : 0))) {
      out.push(' '.repeat(t.loc.col - 1 - col));
      col = t.loc.col - 1;
      if (prev && needsSpace(prev, t) && t.loc.col - 1 === prevEnd) {
        out.push(' ');
        col++;
      }
    } else if (t.space || (prev && needsSpace(prev, t))) {
      out.push(' ');
      col++;
    }
    out.push(t.text);
    col += t.text.length;
    prev = t;
    prevEnd = col;
  }
  if (col > 0) out.push('\n');
  return out.join('');
}
