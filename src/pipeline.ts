// The phases in order, for a set of headers, a target and a configuration:
//   headers + target + config → preprocess (tokens) → declarations (IR) → ABI context → model.
// Each step returns values and diagnostics; nothing here re-parses C text.
import { existsSync } from 'node:fs';
import type { Diagnostic } from './parse/diagnostics.js';
import type { TranslationUnitIR } from './parse/ir.js';
import type { PreprocessOptions, PreprocessResult } from './parse/pp-types.js';
import type { ExpansionStep, Token } from './parse/token.js';
import { DEFAULT_LIMITS, createMacroExpander, preprocessHeaders, spell } from './parse/preprocess.js';
import { parseDeclarationTokens, type MacroInput } from './parse/declarations.js';
import { hasAnswer, loadTarget, predefinedSource } from './abi/target.js';
import type { Target } from './abi/target-types.js';
import type { AbiContext } from './abi/context.js';
import { createAbiContext } from './abi/context-impl.js';
import { checkDeclaredSizes } from './abi/layout.js';
import { checkStaticAsserts } from './abi/static-asserts.js';
import { evaluateMacros, type MacroValueOptions } from './abi/macro-values.js';
import { buildFunctionEntries, buildTypeEntries, sortKeys } from './abi/model-types.js';
import { SCHEMA_VERSION, type AbiModel } from './abi/model.js';
import { diag, formatDiagnostic } from './parse/diagnostics.js';
import { SourceCache } from './parse/source-cache.js';

export interface InputOptions {
  headers: string[];
  target: string;
  includePaths: string[];
  systemIncludePaths: string[];
  quoteIncludePaths: string[];
  defines: { name: string; value: string }[];
  undefines: string[];
  /** The order of -D and -U on the command line (PreprocessOptions.macroOrder). */
  macroOrder?: ('D' | 'U')[];
  forcedIncludes: string[];
  configFiles: string[];
  /** Where header and Kconfig files are read from; default the file system. diff reads a git
   *  revision through these, and its parse cache records every file read. */
  files?: Pick<PreprocessOptions, 'readFile' | 'fileExists'>;
}

export function emptyInput(over: Partial<InputOptions> = {}): InputOptions {
  return {
    headers: [],
    target: 'x86_64-unknown-linux-gnu',
    includePaths: [],
    systemIncludePaths: [],
    quoteIncludePaths: [],
    defines: [],
    undefines: [],
    forcedIncludes: [],
    configFiles: [],
    ...over,
  };
}

/** Preprocessor options for a target: its predefined macros, __has_* answers and system dirs. */
export function preprocessOptionsFor(input: InputOptions, target: Target): PreprocessOptions {
  return {
    includePaths: input.includePaths,
    // The compiler's own header dirs come last, as with `cc`; dirs missing here are skipped.
    systemIncludePaths: [...input.systemIncludePaths, ...target.systemIncludes.filter((d) => existsSync(d))],
    quoteIncludePaths: input.quoteIncludePaths,
    defines: input.defines,
    undefines: input.undefines,
    ...(input.macroOrder ? { macroOrder: input.macroOrder } : {}),
    forcedIncludes: input.forcedIncludes,
    configFiles: input.configFiles,
    predefined: predefinedSource(target),
    hasAttribute: (n) => hasAnswer(target, '__has_attribute', n),
    hasBuiltin: (n) => hasAnswer(target, '__has_builtin', n),
    hasFeature: (n) => hasAnswer(target, '__has_feature', n),
    ...input.files,
  };
}

export interface FrontEnd {
  target: Target;
  pp: PreprocessResult;
  ir: TranslationUnitIR;
  diagnostics: Diagnostic[];
  /** False when a fatal diagnostic stopped processing. */
  ok: boolean;
}

export type Loaded<T> = { ok: true; value: T } | { ok: false; diagnostics: Diagnostic[] };

/** The macros the expansion of one macro went through, outermost first, each once. */
function chainOf(tokens: readonly Token[]): ExpansionStep[] {
  const seen = new Set<string>();
  const out: ExpansionStep[] = [];
  for (const t of tokens) {
    for (const s of t.expansion ?? []) {
      if (seen.has(s.macro)) continue;
      seen.add(s.macro);
      out.push(s);
    }
  }
  return out;
}

interface MacroInputs {
  macros: MacroInput[];
  /** Object-like macros whose expansion is not known (a macro bomb), with the reason: they
   *  are not constants, whatever their body looks like. */
  unexpanded: Map<string, string>;
  diagnostics: Diagnostic[];
}

/** The final macro table as the declaration phase takes it: each object-like macro expanded. */
function macroInputs(pp: PreprocessResult, opts: PreprocessOptions): MacroInputs {
  const out: MacroInput[] = [];
  const unexpanded = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const limits = { ...DEFAULT_LIMITS, ...opts.limits };
  let overTotal = false;
  const expand = createMacroExpander(pp.macros, opts);
  for (const m of pp.macros.values()) {
    if (m.builtin) continue;
    const input: MacroInput = {
      name: m.name,
      kind: m.kind,
      params: m.params,
      variadic: m.variadic,
      body: spell(m.body),
      loc: m.loc,
      conditions: m.conditions,
      builtin: m.builtin,
    };
    if (m.kind === 'object') {
      // The name as a token, as tokenize(m.name, '<expand>') gives it, without lexing a file per macro.
      const { tokens, diagnostics: ds } = expand([{ kind: 'ident', text: m.name, loc: { file: '<expand>', line: 1, col: 1 }, space: false, bol: true }]);
      // An expansion that failed is not known, never empty: the macro is not a constant, with
      // the reason. A macro bomb (unused, or the preprocessor would have said so at its use)
      // also gets a warning at its #define.
      const failed = ds.find((d) => d.severity === 'error' || d.severity === 'fatal');
      if (failed) {
        const total = failed.code === 'macro-bomb' && failed.severity === 'fatal';
        const reason = total
          ? `not expanded: the expansions of the macros exceed ${limits.maxTotalExpansionTokens} tokens in total`
          : failed.code === 'macro-bomb'
            ? `expansion exceeds ${limits.maxExpansionTokens} tokens`
            : failed.code === 'expansion-depth'
              ? `expansion nests macro arguments more than ${limits.maxExpansionDepth} levels deep`
              : `expansion failed: ${failed.message}`;
        unexpanded.set(m.name, reason);
        const bomb = failed.code === 'macro-bomb' || failed.code === 'expansion-depth';
        if (bomb && (!total || !overTotal)) diagnostics.push(diag('warning', `macro '${m.name}' is not a constant: ${reason} (macro bomb?)`, m.loc, failed.code));
        overTotal ||= total;
      } else {
        input.expansion = spell(tokens);
        const chain = chainOf(tokens);
        if (chain.length) input.chain = chain;
      }
    }
    out.push(input);
  }
  return { macros: out, unexpanded, diagnostics };
}

/** Work several runs over the same tree share (check --config-matrix: one run per
 *  configuration): the targets, loaded once, and the tokenized files. */
export interface SharedWork {
  sources: SourceCache;
  targets: Map<string, Target>;
}

export function sharedWork(): SharedWork {
  return { sources: new SourceCache(), targets: new Map() };
}

export function runFrontEnd(input: InputOptions, target: Target, shared?: SharedWork): FrontEnd {
  const opts = preprocessOptionsFor(input, target);
  if (shared) opts.sourceCache = shared.sources;
  const pp = preprocessHeaders(input.headers, opts);
  const mi = macroInputs(pp, opts);
  const ir = parseDeclarationTokens(pp.tokens, pp.pragmas, { macros: mi.macros, conditions: pp.conditions ?? [] });
  for (const [name, reason] of mi.unexpanded) {
    const m = ir.macros[name];
    if (m) m.parsed = { form: 'other', reason };
  }
  // After a fatal error the token stream is cut short: what the later phases say of it is
  // noise (clang reports nothing after a fatal error either).
  return { target, pp, ir, diagnostics: pp.ok ? [...pp.diagnostics, ...mi.diagnostics, ...ir.diagnostics] : pp.diagnostics, ok: pp.ok };
}

export function loadInputTarget(name: string): Loaded<Target> {
  const t = loadTarget(name);
  return t.ok ? { ok: true, value: t.value } : { ok: false, diagnostics: t.error };
}

export interface Computed extends FrontEnd {
  ctx: AbiContext;
  model: AbiModel;
}

/** The whole way from headers to the ABI model. */
export function computeAbi(input: InputOptions, macroOpts: MacroValueOptions = { guessInitializerTypes: true }, shared?: SharedWork): Loaded<Computed> {
  const known = shared?.targets.get(input.target);
  const t = known ? ({ ok: true, value: known } as const) : loadInputTarget(input.target);
  if (!t.ok) return t;
  shared?.targets.set(input.target, t.value);
  const fe = runFrontEnd(input, t.value, shared);
  const ctx = createAbiContext(fe.ir, t.value);
  const values = evaluateMacros(ctx, macroOpts);
  const diagnostics = [...fe.diagnostics, ...checkDeclaredSizes(ctx), ...checkStaticAsserts(ctx), ...ctx.diagnostics];
  const model: AbiModel = {
    schemaVersion: SCHEMA_VERSION,
    target: t.value.name,
    types: buildTypeEntries(ctx),
    constants: sortKeys(values.constants),
    initializers: sortKeys(values.initializers),
    functions: buildFunctionEntries(fe.ir),
    macros: sortKeys(values.macros),
    diagnostics: diagnostics.map(formatDiagnostic),
  };
  return { ok: true, value: { ...fe, diagnostics, ctx, model } };
}

