// The declaration parser's state: a token cursor, the typedef table that resolves C's
// typedef-name ambiguity (the "lexer hack"), the IR being built, the #pragma pack state.
// c-types.ts, expr.ts and attributes.ts are the grammar; they all read tokens through here.
import type { Diagnostic, Loc } from './diagnostics.js';
import type { TranslationUnitIR, Qualifiers, Attributes } from './ir.js';
import type { ConditionRecord, PragmaRecord } from './pp-types.js';
import type { ConditionIndex } from './conditions.js';
import type { Token } from './token.js';
import { PackState, packPragmaProblem } from './pragma-pack.js';

/** Thrown inside the parser only; declarations.ts catches it, records a diagnostic, resyncs. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly loc: Loc,
    /** Parsing cannot go on (clang's fatal errors): the declaration parser stops, not resyncs. */
    readonly fatal = false,
  ) {
    super(message);
  }
}

/** A construct nested deeper than MAX_NESTING. Recovery skips the whole declaration (the
 *  error is deep inside its brackets). */
export class NestingError extends ParseError {}

/** clang's -fbracket-depth default: an opening (, [ or { nested deeper than this among its own
 *  kind is a fatal error ("bracket nesting level exceeded maximum of 256"). */
export const MAX_BRACKET_DEPTH = 256;

/** How deep the recursive constructs may nest in all (brackets, prefix operators, casts, `?:`
 *  and assignment chains, operands of tighter operators, declarator suffixes and pointers):
 *  beyond it a located error, not a stack overflow. clang has no such limit (it crashes on
 *  100,000 nested unary minuses). At 512 the costliest nesting measured (a compound literal
 *  subscripted in parentheses, ~7 frames a level) needs 57% of node's default stack. */
export const MAX_NESTING = 512;

/** Indexes of the (, [ and { nested deeper than MAX_BRACKET_DEPTH among their kind; null when
 *  there are none (always, in real headers). */
function tooDeepOpeners(toks: readonly Token[]): Set<number> | null {
  if (toks.length <= MAX_BRACKET_DEPTH) return null;
  let out: Set<number> | null = null;
  let paren = 0;
  let square = 0;
  let brace = 0;
  for (let i = 0; i < toks.length; i++) {
    const t = toks[i]!;
    if (t.kind !== 'punct') continue;
    let depth = 0;
    switch (t.text) {
      case '(': depth = ++paren; break;
      case '[': depth = ++square; break;
      case '{': depth = ++brace; break;
      case ')': if (paren > 0) paren--; break;
      case ']': if (square > 0) square--; break;
      case '}': if (brace > 0) brace--; break;
    }
    if (depth > MAX_BRACKET_DEPTH) (out ??= new Set()).add(i);
  }
  return out;
}

export function emptyIR(): TranslationUnitIR {
  return {
    records: [],
    enums: [],
    typedefs: {},
    tags: { struct: {}, union: {}, enum: {} },
    functions: {},
    variables: {},
    macros: {},
    diagnostics: [],
  };
}

export class DeclContext {
  pos = 0;
  readonly typedefNames: Set<string>;
  /** Record ids in the order their definitions start (pre-order for nested records). */
  readonly definitionOrder: number[] = [];
  private readonly pack = new PackState();
  private pragmaIndex = 0;
  /** The preprocessor's `#if` branches by output token, when the tokens came from it. */
  conditionIndex: ConditionIndex | null = null;
  /** Reading one of these tokens is the fatal bracket-depth error (tooDeepOpeners). */
  private readonly tooDeep: Set<number> | null;
  /** Levels of nested constructs entered (enter/leave). */
  private nesting = 0;

  constructor(
    readonly toks: Token[],
    readonly ir: TranslationUnitIR,
    typedefNames: Iterable<string> = [],
    private readonly pragmas: readonly PragmaRecord[] = [],
    /** Use the caller's Set itself rather than a copy: for parsing that declares no typedef
     *  (a macro's expansion), done thousands of times against the same table. */
    shareTypedefNames = false,
  ) {
    this.typedefNames = shareTypedefNames && typedefNames instanceof Set ? typedefNames : new Set(typedefNames);
    this.tooDeep = tooDeepOpeners(toks);
  }

  get tok(): Token {
    return this.toks[this.pos]!;
  }
  peek(k = 1): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  atEnd(): boolean {
    return this.tok.kind === 'eof';
  }
  is(text: string): boolean {
    const t = this.tok;
    return t.text === text && t.kind !== 'string' && t.kind !== 'char';
  }
  next(): Token {
    if (this.tooDeep?.has(this.pos)) this.bracketsTooDeep();
    return this.skip();
  }
  /** Advances without the bracket-depth check: error recovery skips tokens as clang's
   *  SkipUntil does, which counts brackets but does not diagnose their depth. */
  skip(): Token {
    const t = this.toks[this.pos]!;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  accept(text: string): boolean {
    if (this.is(text)) {
      if (this.tooDeep?.has(this.pos)) this.bracketsTooDeep();
      this.pos++;
      return true;
    }
    return false;
  }
  private bracketsTooDeep(): never {
    throw new ParseError(`bracket nesting level exceeded maximum of ${MAX_BRACKET_DEPTH}`, this.tok.loc, true);
  }
  /** One level deeper into a nested construct, at the current token; leave() when done (in a
   *  finally). Past MAX_NESTING levels: a located ParseError instead of a stack overflow. */
  enter(): void {
    if (this.nesting >= MAX_NESTING) throw new NestingError(`nesting level exceeded maximum of ${MAX_NESTING}`, this.tok.loc);
    this.nesting++;
  }
  leave(): void {
    this.nesting--;
  }
  /** Levels entered so far; leaveTo(level) leaves every level entered since. */
  get nestingLevel(): number {
    return this.nesting;
  }
  leaveTo(level: number): void {
    this.nesting = level;
  }
  expect(text: string): Token {
    if (!this.is(text)) this.fail(`expected '${text}' before '${this.tok.text || 'end of input'}'`);
    return this.next();
  }
  fail(message: string, at: Token = this.tok): never {
    throw new ParseError(message, at.loc);
  }
  diag(severity: Diagnostic['severity'], message: string, loc: Loc | null, code = 'decl-parse'): void {
    this.ir.diagnostics.push({ severity, message, loc, code });
  }
  isTypedefName(t: Token): boolean {
    return t.kind === 'ident' && this.typedefNames.has(t.text);
  }

  /** Skips a balanced (), [] or {} group starting at the current opener; returns its tokens. */
  skipBalanced(): Token[] {
    const start = this.pos;
    let depth = 0;
    do {
      const t = this.next();
      if (t.kind === 'eof') break;
      if (t.kind === 'punct') {
        if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
        else if (t.text === ')' || t.text === ']' || t.text === '}') depth--;
      }
    } while (depth > 0);
    return this.toks.slice(start, this.pos);
  }

  /** The `#if` branches active at token `pos` (include guards left out), or undefined. */
  conditionsAt(pos: number): ConditionRecord[] | undefined {
    const c = this.conditionIndex?.at(pos);
    return c && c.length ? (c as ConditionRecord[]) : undefined; // shared: never mutated
  }

  /** `#pragma pack` value in effect at the current token. Tokens are visited in order. */
  packNow(): number | null {
    this.applyPragmas(this.pos);
    return this.pack.current;
  }
  /** Applies the pragmas up to token `pos` (all of them: Infinity), with clang's warnings for
   *  the pack pragmas it ignores. */
  applyPragmas(pos: number): void {
    while (this.pragmaIndex < this.pragmas.length && this.pragmas[this.pragmaIndex]!.tokenIndex <= pos) {
      const pr = this.pragmas[this.pragmaIndex++]!;
      const warnings = pr.pack ? this.pack.apply(pr.pack) : [packPragmaProblem(pr.text)];
      for (const w of warnings) if (w) this.diag('warning', w, pr.loc, 'pragma-pack');
    }
  }
}

export function textOf(toks: readonly Token[]): string {
  let s = '';
  for (const t of toks) s += (s && t.space ? ' ' : '') + t.text;
  return s;
}

export function hasQuals(q: Qualifiers | undefined): q is Qualifiers {
  return !!q && !!(q.const || q.volatile || q.restrict || q.atomic);
}

export function hasAttrs(a: Attributes | undefined): a is Attributes {
  return !!a && Object.keys(a).length > 0;
}

export function mergeAttrs(into: Attributes, from: Attributes): Attributes {
  if (from.packed) into.packed = true;
  if (from.aligned !== undefined) into.aligned = from.aligned;
  if (from.alignedAsType) into.alignedAsType = from.alignedAsType;
  if (from.mode) into.mode = from.mode;
  if (from.vectorSize) into.vectorSize = from.vectorSize;
  if (from.transparentUnion) into.transparentUnion = true;
  if (from.other) into.other = [...(into.other ?? []), ...from.other];
  return into;
}
