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

/** The tokens of one logical line and the offset where the next line starts. */
export interface Line {
  tokens: PPToken[];
  next: number;
}

const SPECIAL = /[\n"'/]/g;
// The rest of an identifier, and of a pp-number (C17 6.4.8: digits, identifier characters,
// '.', and e+ e- E+ E- p+ p- P+ P-), matched natively: most of a header's tokens are these.
const IDENT_REST = /[A-Za-z0-9_$\x80-\xff]*/y;
const PPNUM_REST = /(?:[eEpP][+-]|[A-Za-z0-9_$.\x80-\xff])*/y;

/**
 * One source file, lexed a logical line at a time and only when asked. The preprocessor asks
 * for the lines it executes and, inside skipped groups, only looks for the next directive
 * (`nextDirective`), so most of a header is never turned into tokens: in the newlib TU, 85%
 * of the tokens sit in groups `#if` skips. Offsets are into the spliced text; a line's
 * tokens are cached, so a file included again (stddef.h with another `__need_*`) is not
 * lexed again. File-wide problems (invalid UTF-8, NUL bytes) are reported on construction,
 * an unterminated comment where the lexer or the directive scan meets it.
 */
export class SourceFile {
  readonly file: string;
  /** Text with line splices removed. */
  private readonly s: string;
  private readonly n: number;
  private readonly spAt: number[];
  private readonly spRemoved: number[];
  /** Line starts in the original text. */
  private readonly lineStarts: number[];
  private readonly lines = new Map<number, Line>();
  private readonly headerNames: boolean;
  private reportedComment = false;

  constructor(source: string, file: string, private readonly diags: Diagnostic[], opts: TokenizeOptions = {}) {
    this.file = file;
    this.headerNames = opts.headerNames !== false;
    // A lone CR ends a line, as in clang (classic Mac OS files); one char for one keeps offsets.
    if (source.includes('\r')) source = source.replace(/\r(?!\n)/g, '\n');
    const sp = splice(source);
    // A UTF-8 byte order mark opening the file is skipped, as gcc and clang do (else it would
    // lex as an identifier and hide a `#` right after it): blanks keep every offset.
    this.s = sp.text.startsWith('\xef\xbb\xbf') ? '   ' + sp.text.slice(3) : sp.text;
    this.n = sp.text.length;
    this.spAt = sp.at;
    this.spRemoved = sp.removed;
    const ls: number[] = [0];
    for (let k = source.indexOf('\n'); k >= 0; k = source.indexOf('\n', k + 1)) ls.push(k + 1);
    this.lineStarts = ls;
    if (/[\x80-\xff]/.test(source)) checkUtf8(source, file, diags, ls);
    const nul = this.s.indexOf('\0');
    if (nul >= 0) diags.push(diag('warning', 'null character(s) ignored', this.locOf(nul), 'null-char'));
  }

  /**
   * Drops the cached lines. For a file whose include guard keeps it from being read again:
   * its directive lines are garbage from then on, and holding them only makes every young
   * generation GC copy them.
   */
  forgetLines(): void {
    this.lines.clear();
  }

  /** The end offset: `line(end)` is the eof token. */
  get end(): number {
    return this.n;
  }

  /** Location of a spliced-text offset in the original file. */
  private locOf(off: number): Loc {
    const orig = off + removedBefore(this.spAt, this.spRemoved, off);
    const ls = this.lineStarts;
    let lo = 0;
    let hi = ls.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (ls[mid]! <= orig) lo = mid;
      else hi = mid - 1;
    }
    return { file: this.file, line: lo + 1, col: orig - ls[lo]! + 1 };
  }

  private unterminatedComment(at: number): void {
    if (this.reportedComment) return;
    this.reportedComment = true;
    this.diags.push(diag('error', 'unterminated comment', this.locOf(at), 'unterminated-comment'));
  }

  /**
   * Start of the first logical line at or after `pos` (a line start) whose first token is
   * `#` or `%:`, or `end`. Used in skipped groups: nothing else on the way becomes a token,
   * but comments and quotes are followed exactly as the lexer does, so a `#` inside them is
   * never taken for a directive.
   */
  nextDirective(pos: number): number {
    const s = this.s;
    const n = this.n;
    let i = pos;
    let lineStart = pos;
    while (i < n) {
      i = this.blankEnd(i);
      if (i >= n) break;
      const c = s.charCodeAt(i);
      if (c === C.LF) {
        lineStart = ++i;
        continue;
      }
      if (c === C.SLASH && s.charCodeAt(i + 1) === C.SLASH) {
        const e = s.indexOf('\n', i + 2);
        i = e < 0 ? n : e;
        continue;
      }
      if (c === C.HASH || (c === C.PERCENT && s.charCodeAt(i + 1) === C.COLON)) return lineStart;
      // Not a directive: on to the newline that ends this logical line.
      i = this.skipRest(i);
      if (i < n) lineStart = ++i;
    }
    return n;
  }

  /**
   * The name of the directive on the logical line at `pos` (a start `nextDirective` returned)
   * and where the next line starts, without lexing the line: in a skipped group only
   * `if`/`ifdef`/`ifndef`/`elif…`/`else`/`endif` matter, and most lines there are `#define`s.
   * `name` is null when no identifier follows the `#` (a null directive, `# 33 "file"`).
   */
  directiveAt(pos: number): { name: string | null; next: number } {
    const s = this.s;
    const n = this.n;
    let i = this.blankEnd(pos);
    if (i >= n) return { name: null, next: n };
    i = this.blankEnd(i + (s.charCodeAt(i) === C.HASH ? 1 : 2)); // past the # or %: nextDirective found
    let name: string | null = null;
    if (i < n && isIdentStart(s.charCodeAt(i))) {
      IDENT_REST.lastIndex = i + 1;
      IDENT_REST.test(s);
      name = s.slice(i, IDENT_REST.lastIndex);
      i = IDENT_REST.lastIndex;
    }
    const e = this.skipRest(i);
    return { name, next: e < n ? e + 1 : n };
  }

  /**
   * Past horizontal white space and block comments (which may span lines: a comment is one
   * space, the logical line goes on) from `i`; `end` after an unterminated comment.
   */
  private blankEnd(i: number): number {
    const s = this.s;
    const n = this.n;
    while (i < n) {
      const c = s.charCodeAt(i);
      if (c === C.SPACE || c === C.TAB || c === C.VT || c === C.FF || c === C.CR || c === 0) i++;
      else if (c === C.SLASH && s.charCodeAt(i + 1) === C.STAR) {
        const e = s.indexOf('*/', i + 2);
        if (e < 0) {
          this.unterminatedComment(i);
          return n;
        }
        i = e + 2;
      } else break;
    }
    return i;
  }

  /** Offset of the newline ending the logical line that contains `i`, or `end`. */
  private skipRest(i: number): number {
    const s = this.s;
    const n = this.n;
    for (;;) {
      // test() rather than exec(): no match object per special character.
      SPECIAL.lastIndex = i;
      if (!SPECIAL.test(s)) return n;
      const j = SPECIAL.lastIndex - 1;
      const c = s.charCodeAt(j);
      if (c === C.LF) return j;
      if (c === C.SLASH) {
        const c2 = s.charCodeAt(j + 1);
        if (c2 === C.STAR) {
          const e = s.indexOf('*/', j + 2);
          if (e < 0) {
            this.unterminatedComment(j);
            return n;
          }
          i = e + 2;
        } else if (c2 === C.SLASH) {
          const e = s.indexOf('\n', j + 2);
          return e < 0 ? n : e;
        } else i = j + 1;
        continue;
      }
      // A quote: to the matching quote, or the end of the line (unterminated, like the lexer).
      let k = j + 1;
      while (k < n) {
        const d = s.charCodeAt(k);
        if (d === c || d === C.LF) break;
        if (d === C.BACKSLASH && s.charCodeAt(k + 1) !== C.LF) k++;
        k++;
      }
      if (k >= n) return n;
      if (s.charCodeAt(k) === C.LF) return k;
      i = k + 1;
    }
  }

  /**
   * The tokens of the first logical line at or after `pos` (a line start) that has any; at
   * the end of the file, the eof token alone. Problems of a token (unterminated string or
   * character constant) are attached to it as `bad`, reported only if the token is used.
   */
  line(pos: number): Line {
    let l = this.lines.get(pos);
    if (l === undefined) {
      l = this.lex(pos);
      this.lines.set(pos, l);
    }
    return l;
  }

  private lex(pos: number): Line {
    const s = this.s;
    const n = this.n;
    const file = this.file;
    const spAt = this.spAt;
    const spRemoved = this.spRemoved;
    const lineStarts = this.lineStarts;
    // Location cursors: seeded by binary search, then monotonic within the line.
    let si = splicesUpTo(spAt, pos);
    let li = this.locOf(pos).line - 1;
    const locOf = (off: number): Loc => {
      while (si < spAt.length && spAt[si]! <= off) si++;
      const orig = off + (si > 0 ? spRemoved[si - 1]! : 0);
      while (li + 1 < lineStarts.length && lineStarts[li + 1]! <= orig) li++;
      return { file, line: li + 1, col: orig - lineStarts[li]! + 1 };
    };
    const headerNames = this.headerNames;
    const toks: PPToken[] = [];
    let i = pos;
    let bol = true;
    let space = false;
    // Directive state for header-name lexing: 0 none, 1 after bol '#', 2 after '# include'.
    let dstate = 0;

    const push = (kind: TokenKind, start: number, end: number): PPToken => {
      const t: PPToken = { kind, text: s.slice(start, end), loc: locOf(start), space, bol };
      toks.push(t);
      bol = false;
      space = false;
      return t;
    };
    const lexQuoted = (b: number, q0: number, quote: number): number => {
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
    };

    while (i < n) {
      const c = s.charCodeAt(i);
      // whitespace
      if (c === C.SPACE || c === C.TAB || c === C.VT || c === C.FF || c === C.CR || c === 0) {
        i++;
        space = true;
        continue;
      }
      if (c === C.LF) {
        i++;
        if (toks.length > 0) return { tokens: toks, next: i };
        bol = true;
        space = false;
        dstate = 0;
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
            this.unterminatedComment(i);
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
        IDENT_REST.lastIndex = i + 1;
        IDENT_REST.test(s);
        const j = IDENT_REST.lastIndex;
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
        PPNUM_REST.lastIndex = i + 1;
        PPNUM_REST.test(s);
        const j = PPNUM_REST.lastIndex;
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
    if (toks.length === 0) toks.push({ kind: 'eof', text: '', loc: locOf(n), space, bol: true });
    return { tokens: toks, next: n };
  }
}

/** How many splices sit at or before spliced offset `off`. */
function splicesUpTo(at: number[], off: number): number {
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at[mid]! <= off) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** How many original characters line splices removed before spliced offset `off`. */
function removedBefore(at: number[], removed: number[], off: number): number {
  const k = splicesUpTo(at, off);
  return k > 0 ? removed[k - 1]! : 0;
}

/**
 * Tokenizes a whole file. Always ends with an 'eof' token. Problems that matter even in
 * skipped groups (unterminated comment, NUL bytes, invalid UTF-8) go to `diags`; problems of
 * a token (unterminated string or character constant) are attached to it as `bad`.
 */
export function tokenize(source: string, file: string, diags: Diagnostic[], opts: TokenizeOptions = {}): PPToken[] {
  const src = new SourceFile(source, file, diags, opts);
  const out: PPToken[] = [];
  for (let pos = 0; ; ) {
    const l = src.line(pos);
    for (const t of l.tokens) out.push(t);
    if (l.tokens[l.tokens.length - 1]!.kind === 'eof') return out;
    pos = l.next;
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
