// Preprocessed text (`cc -E` form) → tokens. Line markers give each token its original
// location; `#pragma` lines become PragmaRecords placed between tokens; other directive
// lines (#ident, -dD #defines) are skipped. This lets the declaration parser read either a
// reference compiler's -E output or portabi's own preprocessor tokens the same way.
import type { Loc } from './diagnostics.js';
import type { PragmaRecord } from './pp-types.js';
import type { Token, TokenKind } from './token.js';
import { parseLineMarker } from './line-map.js';
import { parsePackPragma } from './pragma-pack.js';

export interface LexTextOptions {
  /** File name used before the first line marker. */
  file?: string;
  /** Exact location of an offset in `text`, when the caller knows better than line markers. */
  locate?: (offset: number) => Loc;
}

export interface LexedText {
  tokens: Token[];
  pragmas: PragmaRecord[];
}

const PUNCT3 = new Set(['...', '<<=', '>>=']);
const PUNCT2 = new Set([
  '->', '++', '--', '<<', '>>', '<=', '>=', '==', '!=', '&&', '||', '*=', '/=', '%=', '+=', '-=', '&=', '^=', '|=', '##', '::',
]);

function isIdStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c === 36 || c >= 128;
}
function isIdChar(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Where a text line came from; shared by the tokens on it. */
interface LineOrigin {
  file: string;
  line: number;
  start: number;
}

/** A token whose location is computed when asked for (most never are): lexing stays cheap. */
class TextToken implements Token {
  private cached: Loc | undefined;
  constructor(
    readonly kind: TokenKind,
    readonly text: string,
    readonly space: boolean,
    readonly bol: boolean,
    private readonly offset: number,
    private readonly origin: LineOrigin | ((offset: number) => Loc),
  ) {}
  get loc(): Loc {
    if (this.cached) return this.cached;
    const o = this.origin;
    this.cached = typeof o === 'function' ? o(this.offset) : { file: o.file, line: o.line, col: this.offset - o.start + 1 };
    return this.cached;
  }
}

export function lexPreprocessedText(text: string, opts: LexTextOptions = {}): LexedText {
  const tokens: Token[] = [];
  const pragmas: PragmaRecord[] = [];
  let file = opts.file ?? '<input>';
  let line = 1; // original line of the current text line
  let lineStart = 0; // offset of the current text line
  let bol = true;
  let space = false;
  const n = text.length;
  let i = 0;
  let origin: LineOrigin | null = null; // of the current line, made when its first token is
  const locate = opts.locate;
  const locAt = locate ?? ((off: number): Loc => ({ file, line, col: off - lineStart + 1 }));

  const push = (kind: TokenKind, start: number, end: number) => {
    if (!locate && (origin === null || origin.start !== lineStart)) origin = { file, line, start: lineStart };
    tokens.push(new TextToken(kind, text.slice(start, end), space, bol, start, locate ?? origin!));
    space = false;
    bol = false;
  };

  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      bol = true;
      space = false;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      space = true;
      continue;
    }
    if (c === 35 /* # */ && bol) {
      let end = text.indexOf('\n', i);
      if (end < 0) end = n;
      const dl = text.slice(i, end);
      const mk = parseLineMarker(dl);
      if (mk) {
        if (mk.file) file = mk.file;
        line = mk.line - 1; // the newline below moves to mk.line
      } else {
        const pm = /^#\s*pragma\s+(.*)$/.exec(dl);
        if (pm) addPragma(pm[1]!.trim(), locAt(i));
      }
      i = end;
      continue;
    }
    if (c === 47 /* / */ && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end + 2;
      for (let j = i; j < stop; j++) {
        if (text.charCodeAt(j) === 10) {
          line++;
          lineStart = j + 1;
        }
      }
      i = stop;
      space = true;
      continue;
    }
    if (c === 47 && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
      space = true;
      continue;
    }
    const start = i;
    if (isIdStart(c)) {
      i++;
      while (i < n && isIdChar(text.charCodeAt(i))) i++;
      const q = text.charCodeAt(i);
      if (q === 34 || q === 39) {
        const word = text.slice(start, i);
        if (word === 'L' || word === 'u' || word === 'U' || word === 'u8') {
          i = skipQuoted(text, i, q);
          push(q === 34 ? 'string' : 'char', start, i);
          continue;
        }
      }
      if (i - start === 7 && text.startsWith('_Pragma', start) && lexPragmaOperator(start)) continue;
      push('ident', start, i);
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      i++;
      while (i < n) {
        const d = text.charCodeAt(i);
        if ((d === 43 || d === 45) && /[eEpP]/.test(text[i - 1]!)) i++;
        else if (isIdChar(d) || d === 46) i++;
        else if (d === 39 && isIdChar(text.charCodeAt(i + 1))) i += 2;
        else break;
      }
      push('number', start, i);
      continue;
    }
    if (c === 34 || c === 39) {
      i = skipQuoted(text, i, c);
      push(c === 34 ? 'string' : 'char', start, i);
      continue;
    }
    const c1 = text.charCodeAt(i + 1);
    if (c1 === 46 || c1 === 61 || c1 === 60 || c1 === 62 || c1 === 45 || c1 === 43 || c1 === 38 || c1 === 124 || c1 === 35 || c1 === 58) {
      const s3 = text.slice(i, i + 3);
      if (PUNCT3.has(s3)) {
        i += 3;
        push('punct', start, i);
        continue;
      }
      if (PUNCT2.has(s3.slice(0, 2))) {
        i += 2;
        push('punct', start, i);
        continue;
      }
    }
    i++;
    push('{}[]()<>;:,.?!~+-*/%^&|=#'.includes(text[start]!) ? 'punct' : 'other', start, i);
  }
  tokens.push(new TextToken('eof', '', false, true, n, locate ?? { file, line, start: lineStart }));
  return { tokens, pragmas };

  function addPragma(body: string, loc: Loc): void {
    const rec: PragmaRecord = { text: body, loc, tokenIndex: tokens.length };
    const pack = parsePackPragma(body);
    if (pack) rec.pack = pack;
    pragmas.push(rec);
  }

  /** `_Pragma ( "string" )` left in the text: record it as a pragma. */
  function lexPragmaOperator(start: number): boolean {
    const m = /^_Pragma\s*\(\s*(L?"(?:[^"\\\n]|\\.)*")\s*\)/.exec(text.slice(start, start + 4096));
    if (!m) return false;
    const lit = m[1]!.replace(/^L/, '');
    addPragma(lit.slice(1, -1).replace(/\\(["\\])/g, '$1').trim(), locAt(start));
    i = start + m[0].length;
    return true;
  }
}

function skipQuoted(text: string, i: number, q: number): number {
  i++;
  while (i < text.length) {
    const d = text.charCodeAt(i);
    if (d === 92) i += 2;
    else if (d === q) return i + 1;
    else if (d === 10) return i;
    else i++;
  }
  return i;
}
