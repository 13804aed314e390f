// The declaration parser's state: a token cursor, the typedef table that resolves C's
// typedef-name ambiguity (the "lexer hack"), the IR being built, the #pragma pack state.
// c-types.ts, expr.ts and attributes.ts are the grammar; they all read tokens through here.
import type { Diagnostic, Loc } from './diagnostics.js';
import type { TranslationUnitIR, Qualifiers, Attributes } from './ir.js';
import type { ConditionRecord, PragmaRecord } from './pp-types.js';
import type { ConditionIndex } from './conditions.js';
import type { Token } from './token.js';
import { PackState } from './pragma-pack.js';

/** Thrown inside the parser only; declarations.ts catches it, records a diagnostic, resyncs. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly loc: Loc,
  ) {
    super(message);
  }
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
    const t = this.toks[this.pos]!;
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  accept(text: string): boolean {
    if (this.is(text)) {
      this.pos++;
      return true;
    }
    return false;
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
    while (this.pragmaIndex < this.pragmas.length && this.pragmas[this.pragmaIndex]!.tokenIndex <= this.pos) {
      const pr = this.pragmas[this.pragmaIndex++]!;
      if (pr.pack) this.pack.apply(pr.pack);
    }
    return this.pack.current;
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
