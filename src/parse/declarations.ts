// Preprocessed C → TranslationUnitIR. The entry of the declaration phase: external
// declarations are read in order (typedef names become known as they are declared, which
// is what resolves `(T)x` and `T * p;`), function bodies and initializers are skipped, and
// every problem becomes a Diagnostic with the original file:line:col; parsing then resumes
// at the next declaration. Nothing here throws.
//
// Why not tree-sitter-c: its grammar cannot know typedef names, so `(T)x`, `T * p;` and
// `T (*f)(void)` need re-reading anyway, and on newlib's TU it produced 40 ERROR nodes (from
// `_Complex` on) and took ~100 ms for the tree alone; this parser sees typedef names as they
// are declared and reads the same TU in ~17 ms.
import type { Loc } from './diagnostics.js';
import type { Attributes, CType, FunctionDecl, MacroDecl, TranslationUnitIR, TypedefDecl } from './ir.js';
import type { ConditionRecord, PragmaRecord } from './pp-types.js';
import type { Token } from './token.js';
import { DeclContext, NestingError, ParseError, emptyIR, hasAttrs, mergeAttrs } from './decl-context.js';
import { own, parseDeclarator, parseDeclSpecs, setConditions, type DeclSpecs, type Declarator } from './c-types.js';
import { ConditionIndex } from './conditions.js';
import { signatureOf } from './c-text.js';
import { lexPreprocessedText } from './pp-text.js';
import { classifyMacros } from './macro-forms.js';
import { parseStaticAssert } from './static-assert.js';

/** A macro as the pipeline hands it over (MacroDecl without the parsed form). */
export type MacroInput = Omit<MacroDecl, 'parsed'>;

export interface ParseDeclarationsOptions {
  /** File name for text before the first line marker. */
  file?: string;
  /** Exact original location of a text offset, when the caller knows it. */
  locate?: (offset: number) => Loc;
  /** Typedef names declared before this text (e.g. by a prelude). */
  typedefNames?: Iterable<string>;
  /** The final macro table; object-like macros get `parsed` from classifyMacros. */
  macros?: MacroInput[];
  /** The preprocessor's taken `#if` branches with their token ranges (PreprocessResult
   *  .conditions): records, enums, enumerators and typedefs get the ones that selected them. */
  conditions?: readonly ConditionRecord[];
}

/** Parses preprocessed text in `cc -E` form (GNU line markers, #pragma lines). */
export function parseDeclarations(text: string, opts: ParseDeclarationsOptions = {}): TranslationUnitIR {
  const lexOpts: { file?: string; locate?: (offset: number) => Loc } = {};
  if (opts.file !== undefined) lexOpts.file = opts.file;
  if (opts.locate) lexOpts.locate = opts.locate;
  const { tokens, pragmas } = lexPreprocessedText(text, lexOpts);
  return parseDeclarationTokens(tokens, pragmas, opts);
}

/** Same, from the preprocessor's tokens and pragma records (PreprocessResult). */
export function parseDeclarationTokens(
  tokens: Token[],
  pragmas: readonly PragmaRecord[],
  opts: ParseDeclarationsOptions = {},
): TranslationUnitIR {
  const toks = tokens.length && tokens[tokens.length - 1]!.kind === 'eof' ? tokens : [...tokens, eofAfter(tokens)];
  const ir = emptyIR();
  const p = new DeclContext(toks, ir, opts.typedefNames ?? [], pragmas);
  if (opts.conditions?.length) p.conditionIndex = new ConditionIndex(opts.conditions);
  let externC = 0;
  let stoppedAt = Infinity;
  while (!p.atEnd()) {
    const start = p.pos;
    try {
      if (p.tok.kind === 'ident' && p.tok.text === 'extern' && p.peek().kind === 'string' && p.peek(2).text === '{') {
        p.pos += 3; // extern "C" { — not C, but harmless to read through
        externC++;
        continue;
      }
      if (p.is('}') && externC > 0) {
        p.next();
        externC--;
        continue;
      }
      parseExternalDeclaration(p);
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      if (e.fatal) {
        // As clang: the rest of the translation unit is not parsed (nor its pragmas read).
        stoppedAt = p.pos;
        p.applyPragmas(stoppedAt);
        p.diag('fatal', e.message, e.loc);
        break;
      }
      p.diag('error', e.message, e.loc);
      if (e instanceof NestingError) p.pos = start; // resync over the declaration's brackets
      if (p.pos === start) p.skip();
      resync(p);
    }
  }
  p.applyPragmas(stoppedAt); // the ones after the last record definition, for their warnings
  if (opts.macros) {
    const objectLike = opts.macros.filter((m) => m.kind === 'object');
    const forms = classifyMacros(
      objectLike.map((m) => ({ name: m.name, expansion: m.expansion ?? m.body })),
      p.typedefNames,
      ir,
    );
    for (const m of opts.macros) {
      const decl: MacroDecl = { ...m };
      const f = forms.get(m.name);
      if (m.kind === 'object' && f) decl.parsed = f;
      ir.macros[m.name] = decl;
    }
  }
  return ir;
}

function eofAfter(tokens: Token[]): Token {
  const last = tokens[tokens.length - 1];
  return { kind: 'eof', text: '', loc: last ? last.loc : { file: '<input>', line: 1, col: 1 }, space: false, bol: true };
}

/** Skip to the end of the broken declaration: the next `;` outside brackets. */
function resync(p: DeclContext): void {
  let depth = 0;
  while (!p.atEnd()) {
    const t = p.skip();
    if (t.kind !== 'punct') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') depth++;
    else if (t.text === ')' || t.text === ']') depth = Math.max(0, depth - 1);
    else if (t.text === '}') {
      depth--;
      if (depth <= 0) {
        if (depth < 0 || !isDeclaratorContinuation(p)) return;
        depth = 0;
      }
    } else if (t.text === ';' && depth === 0) return;
  }
}

/** After a `}` at depth 0: does a declarator list follow (`} name;`), or a new declaration? */
function isDeclaratorContinuation(p: DeclContext): boolean {
  return p.is(';') || p.is('*') || (p.tok.kind === 'ident' && !p.typedefNames.has(p.tok.text) && p.peek().text !== '(');
}

function parseExternalDeclaration(p: DeclContext): void {
  if (p.accept(';')) return;
  const t = p.tok;
  if (t.kind === 'ident') {
    if (t.text === '_Static_assert' || t.text === 'static_assert') {
      parseStaticAssert(p);
      return;
    }
    if ((t.text === '__asm__' || t.text === '__asm' || t.text === 'asm') && p.peek().text === '(') {
      p.next();
      p.skipBalanced();
      p.expect(';');
      return;
    }
  }
  const specs = parseDeclSpecs(p);
  if (p.accept(';')) return;
  let first = true;
  for (;;) {
    const d = parseDeclarator(p, specs.type, 'named');
    if (first && d.type.kind === 'function' && specs.storage !== 'typedef' && (p.is('{') || isKnRDeclarations(p, d))) {
      declare(p, specs, d);
      while (!p.is('{') && !p.atEnd()) p.next(); // K&R parameter declarations
      p.skipBalanced();
      return;
    }
    first = false;
    if (p.accept('=')) skipInitializer(p);
    declare(p, specs, d);
    if (p.accept(',')) continue;
    p.expect(';');
    return;
  }
}

function isKnRDeclarations(p: DeclContext, d: Declarator): boolean {
  return d.type.kind === 'function' && !d.type.prototyped && d.type.params.length > 0 && !p.is(';') && !p.is(',');
}

function skipInitializer(p: DeclContext): void {
  while (!p.atEnd() && !p.is(',') && !p.is(';')) {
    if (p.is('(') || p.is('[') || p.is('{')) p.skipBalanced();
    else p.next();
  }
}

function declare(p: DeclContext, specs: DeclSpecs, d: Declarator): void {
  const ir = p.ir;
  const name = d.name!;
  const declAttrs: Attributes = mergeAttrs(mergeAttrs({}, specs.attrs), d.attrs);
  let type: CType = d.type;
  if (specs.storage === 'typedef') {
    if (hasAttrs(declAttrs)) type = { ...type, attrs: mergeAttrs({ ...type.attrs }, declAttrs) };
    if (!own(ir.typedefs, name)) {
      const td: TypedefDecl = { name, type, loc: d.nameLoc };
      setConditions(td, p.conditionsAt(d.namePos));
      ir.typedefs[name] = td;
    }
    p.typedefNames.add(name);
    return;
  }
  const storage = specs.storage === 'extern' ? 'extern' : specs.storage === 'static' ? 'static' : 'none';
  const fn = type.kind === 'function' ? type : resolveFunction(ir, type);
  if (fn) {
    const old = own(ir.functions, name);
    if (old) {
      old.inline ||= specs.inline;
      if (!old.type.prototyped && fn.prototyped) {
        old.type = fn;
        old.signature = signatureOf(name, fn, ir);
      }
      return;
    }
    const f: FunctionDecl = { name, type: fn, storage, inline: specs.inline, signature: signatureOf(name, fn, ir), loc: d.nameLoc };
    ir.functions[name] = f;
    return;
  }
  if (hasAttrs(declAttrs)) type = { ...type, attrs: mergeAttrs({ ...type.attrs }, declAttrs) };
  const old = own(ir.variables, name);
  if (!old || (old.type.kind === 'array' && old.type.length === null && type.kind === 'array' && type.length !== null)) {
    ir.variables[name] = { name, type, storage: old ? old.storage : storage, loc: old ? old.loc : d.nameLoc };
  }
}

/** `typedef int F(void); F f;` declares a function through a typedef. */
function resolveFunction(ir: TranslationUnitIR, t: CType): Extract<CType, { kind: 'function' }> | null {
  for (let i = 0; i < 100 && t.kind === 'typedef'; i++) {
    const td = own(ir.typedefs, t.name);
    if (!td) return null;
    t = td.type;
  }
  return t.kind === 'function' ? t : null;
}
