// Tokenizer: source text → preprocessing tokens (C17 6.4), with exact locations.
//
// Source text is handled as latin1 (one JS char per byte), so columns are byte columns and
// invalid UTF-8 or binary garbage can never make decoding fail. Line splices (backslash
// newline, also inside tokens) are removed first; a small offset map gives every token the
// line and column of its first character in the original file.
import type { Diagnostic, Loc } from './diagnostics.js';
import { diag } from './diagnostics.js';
import type { Token, TokenKind } from './token.js';
import type { Hideset } from './hideset.js';

/** A token inside the preprocessor: the public Token plus its hideset and deferred problems. */
export interface PPToken extends Token {
  /** Macro names this token may no longer expand (the "painted blue" set). */
  hs?: Hideset;
  /** Lexical problem reported only when the token is actually used (not in skipped groups). */
  bad?: string;
}

const enum C {
  TAB = 9, LF = 10, VT = 11, FF = 12, CR = 13, SPACE = 32, BANG = 33, DQUOTE = 34, HASH = 35,
  DOLLAR = 36, PERCENT = 37, AMP = 38, SQUOTE = 39, STAR = 42, PLUS = 43, MINUS = 45, DOT = 46,
  SLASH = 47, D0 = 48, D9 = 57, COLON = 58, LT = 60, EQ = 61, GT = 62, A = 65, Z = 90,
  BACKSLASH = 92, CARET = 94, UNDERSCORE = 95, a = 97, z = 122, PIPE = 124,
}

function isIdentStart(c: number): boolean {
  return (c >= C.a && c <= C.z) || (c >= C.A && c <= C.Z) || c === C.UNDERSCORE || c === C.DOLLAR || c >= 0x80;
}
function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= C.D0 && c <= C.D9);
}
function isDigit(c: number): boolean {
  return c >= C.D0 && c <= C.D9;
}

/** Removes line splices; `map(offset)` gives the original offset of a spliced-text offset. */
function splice(text: string): { text: string; at: number[]; removed: number[] } {
  if (text.indexOf('\\') < 0) return { text, at: [], removed: [] };
  const parts: string[] = [];
  const at: number[] = [];
  const removed: number[] = [];
  let start = 0;
  let outLen = 0;
  let total = 0;
  let i = text.indexOf('\\');
  while (i >= 0) {
    // backslash, optional horizontal whitespace (GNU), newline
    let j = i + 1;
    while (j < text.length && (text.charCodeAt(j) === C.SPACE || text.charCodeAt(j) === C.TAB)) j++;
    let nl = 0;
    if (text.charCodeAt(j) === C.LF) nl = 1;
    else if (text.charCodeAt(j) === C.CR && text.charCodeAt(j + 1) === C.LF) nl = 2;
    if (nl > 0) {
      parts.push(text.slice(start, i));
      outLen += i - start;
      total += j + nl - i;
      at.push(outLen);
      removed.push(total);
      start = j + nl;
      i = text.indexOf('\\', start);
    } else {
      i = text.indexOf('\\', i + 1);
    }
  }
  if (at.length === 0) return { text, at, removed };
  parts.push(text.slice(start));
  return { text: parts.join(''), at, removed };
}

export interface TokenizeOptions {
  /** Lex `<...>` after `#include` as a header-name token (default true). */
  headerNames?: boolean;
}

/**
 * Tokenizes one file. Always ends with an 'eof' token. Problems that matter even in skipped
 * groups (unterminated comment, NUL bytes, invalid UTF-8) go to `diags`; problems of a token
 * (unterminated string or character constant) are attached to it as `bad`.
 */
export function tokenize(source: string, file: string, diags: Diagnostic[], opts: TokenizeOptions = {}): PPToken[] {
  const headerNames = opts.headerNames !== false;
  const sp = splice(source);
  const s = sp.text;
  const n = s.length;
  const spAt = sp.at;
  const spRemoved = sp.removed;
  // Line starts in the original text.
  const lineStarts: number[] = [0];
  for (let k = source.indexOf('\n'); k >= 0; k = source.indexOf('\n', k + 1)) lineStarts.push(k + 1);
  let li = 0;
  let si = 0; // index into splice map
  const locOf = (off: number): Loc => {
    while (si < spAt.length && spAt[si]! <= off) si++;
    const orig = off + (si > 0 ? spRemoved[si - 1]! : 0);
    while (li + 1 < lineStarts.length && lineStarts[li + 1]! <= orig) li++;
    return { file, line: li + 1, col: orig - lineStarts[li]! + 1 };
  };

  if (/[\x80-\xff]/.test(source)) checkUtf8(source, file, diags, lineStarts);

  const toks: PPToken[] = [];
  let i = 0;
  let bol = true;
  let space = false;
  let sawNul = false;
  // Directive state for header-name lexing: 0 none, 1 after bol '#', 2 after '# include'.
  let dstate = 0;

  const push = (kind: TokenKind, start: number, end: number): PPToken => {
    const t: PPToken = { kind, text: s.slice(start, end), loc: locOf(start), space, bol };
    toks.push(t);
    bol = false;
    space = false;
    return t;
  };

  while (i < n) {
    const c = s.charCodeAt(i);
    // whitespace
    if (c === C.SPACE || c === C.TAB || c === C.VT || c === C.FF || c === C.CR) {
      i++;
      space = true;
      continue;
    }
    if (c === C.LF) {
      i++;
      bol = true;
      space = false;
      dstate = 0;
      continue;
    }
    if (c === 0) {
      if (!sawNul) {
        sawNul = true;
        diags.push(diag('warning', 'null character(s) ignored', locOf(i), 'null-char'));
      }
      i++;
      space = true;
      continue;
    }
    // comments
    if (c === C.SLASH) {
      const c2 = s.charCodeAt(i + 1);
      if (c2 === C.SLASH) {
        const e = s.indexOf('\n', i + 2);
        i = e < 0 ? n : e;
        space = true;
        continue;
      }
      if (c2 === C.STAR) {
        const e = s.indexOf('*/', i + 2);
        if (e < 0) {
          diags.push(diag('error', 'unterminated comment', locOf(i), 'unterminated-comment'));
          i = n;
        } else i = e + 2;
        space = true;
        continue;
      }
    }
    const start = i;
    const wasBol = bol;
    // header-name after #include
    if (dstate === 2 && c === C.LT) {
      let j = i + 1;
      while (j < n && s.charCodeAt(j) !== C.GT && s.charCodeAt(j) !== C.LF) j++;
      if (j < n && s.charCodeAt(j) === C.GT) {
        push('header-name', start, j + 1);
        i = j + 1;
        dstate = 0;
        continue;
      }
    }
    // identifiers (and literal prefixes)
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(s.charCodeAt(j))) j++;
      const q = s.charCodeAt(j);
      if ((q === C.DQUOTE || q === C.SQUOTE) && j - i <= 2) {
        const p = s.slice(i, j);
        if (p === 'L' || p === 'u' || p === 'U' || p === 'u8') {
          i = lexQuoted(i, j, q);
          continue;
        }
      }
      const t = push('ident', start, j);
      i = j;
      if (dstate === 1) dstate = t.text === 'include' || t.text === 'include_next' || t.text === 'import' ? (headerNames ? 2 : 0) : 0;
      continue;
    }
    dstate = 0;
    // pp-number
    if (isDigit(c) || (c === C.DOT && isDigit(s.charCodeAt(i + 1)))) {
      let j = i + 1;
      for (;;) {
        const d = s.charCodeAt(j);
        if ((d === C.PLUS || d === C.MINUS) && j > i) {
          const e = s.charCodeAt(j - 1) | 0x20;
          if (e === 0x65 || e === 0x70) {
            j++;
            continue;
          }
        }
        if (isIdentChar(d) || d === C.DOT) {
          j++;
          continue;
        }
        break;
      }
      push('number', start, j);
      i = j;
      continue;
    }
    if (c === C.DQUOTE || c === C.SQUOTE) {
      i = lexQuoted(i, i, c);
      continue;
    }
    // punctuators
    const len = punctLength(s, i);
    if (len > 0) {
      const t = push('punct', start, i + len);
      if (wasBol && (t.text === '#' || t.text === '%:')) dstate = 1;
      i += len;
      continue;
    }
    push('other', start, i + 1);
    i++;
  }
  const eofLoc = locOf(n);
  toks.push({ kind: 'eof', text: '', loc: eofLoc, space, bol: true });
  return toks;

  function lexQuoted(b: number, q0: number, quote: number): number {
    // b: start of the token (the prefix, if any); q0: offset of the opening quote.
    let j = q0 + 1;
    while (j < n) {
      const d = s.charCodeAt(j);
      if (d === quote) {
        push(quote === C.DQUOTE ? 'string' : 'char', b, j + 1);
        return j + 1;
      }
      if (d === C.LF) break;
      if (d === C.BACKSLASH && s.charCodeAt(j + 1) !== C.LF) j++;
      j++;
    }
    // Unterminated: like gcc and clang, the rest of the line becomes one stray token.
    const e = j > n ? n : j;
    const t = push('other', b, e);
    t.bad = quote === C.DQUOTE ? 'missing terminating " character' : "missing terminating ' character";
    return e;
  }
}

/** Length of the punctuator at `i` (longest match), or 0. */
function punctLength(s: string, i: number): number {
  const c = s.charCodeAt(i);
  const c1 = s.charCodeAt(i + 1);
  const c2 = s.charCodeAt(i + 2);
  switch (c) {
    case 0x5b: case 0x5d: case 0x28: case 0x29: case 0x7b: case 0x7d: case 0x3f: case 0x3b: case 0x2c: case 0x7e: // [ ] ( ) { } ? ; , ~
      return 1;
    case C.DOT:
      return c1 === C.DOT && c2 === C.DOT ? 3 : 1;
    case C.MINUS:
      return c1 === C.GT || c1 === C.MINUS || c1 === C.EQ ? 2 : 1;
    case C.PLUS:
      return c1 === C.PLUS || c1 === C.EQ ? 2 : 1;
    case C.AMP:
      return c1 === C.AMP || c1 === C.EQ ? 2 : 1;
    case C.PIPE:
      return c1 === C.PIPE || c1 === C.EQ ? 2 : 1;
    case C.STAR: case C.BANG: case C.EQ: case C.CARET: case C.SLASH:
      return c1 === C.EQ ? 2 : 1;
    case C.LT:
      if (c1 === C.LT) return c2 === C.EQ ? 3 : 2;
      return c1 === C.EQ || c1 === C.COLON || c1 === C.PERCENT ? 2 : 1;
    case C.GT:
      if (c1 === C.GT) return c2 === C.EQ ? 3 : 2;
      return c1 === C.EQ ? 2 : 1;
    case C.HASH:
      return c1 === C.HASH ? 2 : 1;
    case C.PERCENT:
      if (c1 === C.COLON) return s.charCodeAt(i + 2) === C.PERCENT && s.charCodeAt(i + 3) === C.COLON ? 4 : 2;
      return c1 === C.EQ || c1 === C.GT ? 2 : 1;
    case C.COLON:
      return c1 === C.GT ? 2 : 1;
    default:
      return 0;
  }
}

/** Reports the first invalid UTF-8 sequence of a file (as a warning; lexing goes on). */
function checkUtf8(s: string, file: string, diags: Diagnostic[], lineStarts: number[]): void {
  const n = s.length;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    let need = 0;
    if (c >= 0xc2 && c <= 0xdf) need = 1;
    else if (c >= 0xe0 && c <= 0xef) need = 2;
    else if (c >= 0xf0 && c <= 0xf4) need = 3;
    let ok = need > 0;
    for (let k = 1; ok && k <= need; k++) {
      const d = s.charCodeAt(i + k);
      if (!(d >= 0x80 && d <= 0xbf)) ok = false;
    }
    if (!ok) {
      let lo = 0;
      let hi = lineStarts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (lineStarts[mid]! <= i) lo = mid;
        else hi = mid - 1;
      }
      diags.push(diag('warning', 'invalid UTF-8 in source file', { file, line: lo + 1, col: i - lineStarts[lo]! + 1 }, 'invalid-utf8'));
      return;
    }
    i += need;
  }
}

/** Tokenizes a short string (a `##` result, a `_Pragma` body); no header names. */
export function tokenizeString(text: string, file: string): { tokens: PPToken[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const tokens = tokenize(text, file, diagnostics, { headerNames: false });
  return { tokens, diagnostics };
}
