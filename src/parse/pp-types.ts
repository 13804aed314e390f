// The contract between the preprocessor and its consumers (declarations, ABI evaluation,
// explain). Produced by `preprocess()` in preprocess.ts.
import type { Diagnostic, Loc } from './diagnostics.js';
import type { Token } from './token.js';

export type { ExpansionStep } from './token.js';

export interface MacroDef {
  name: string;
  kind: 'object' | 'function';
  /** Parameter names for function-like macros ('__VA_ARGS__' is implied by `variadic`). */
  params: string[];
  variadic: boolean;
  /** Name of a GNU named variadic parameter (`#define F(args...)`), if any. */
  variadicName?: string;
  body: Token[];
  loc: Loc;
  /** The active conditional blocks (innermost last) under which this #define was seen. */
  conditions: ConditionRecord[];
  /** True for predefined / command-line macros. */
  builtin: boolean;
}

/** An active `#if`-family branch: what selected it and which macros it looked at. */
export interface ConditionRecord {
  directive: 'if' | 'ifdef' | 'ifndef' | 'elif' | 'elifdef' | 'elifndef' | 'else';
  /** The condition as written (for #else: the negated chain, as text). */
  text: string;
  loc: Loc;
  /** Macro names the condition tested, with their values at that point (null = undefined). */
  tested: { name: string; value: string | null }[];
  /** The branch's output tokens: `PreprocessResult.tokens` indexes [firstToken, endToken).
   *  Branches nest, so the conditions active at a token are those whose range holds it
   *  (src/parse/conditions.ts). Absent for branches of expansion-only runs. */
  firstToken?: number;
  endToken?: number;
  /** True for its file's include guard (`#ifndef X_H` / `#if !defined X_H` around the whole
   *  file, X_H defined by its end): not configuration, so left out of provenance. */
  includeGuard?: boolean;
}

export interface PragmaRecord {
  /** Raw pragma text after `#pragma` (or the `_Pragma` string, destringized). */
  text: string;
  loc: Loc;
  /** Index in `PreprocessResult.tokens` of the first token after the pragma. */
  tokenIndex: number;
  /** Parsed `pack` state change, when this is a `#pragma pack`. */
  pack?: { action: 'push' | 'pop' | 'set' | 'reset'; value?: number; label?: string };
}

export interface IncludeRecord {
  file: string; // resolved path
  from: Loc | null; // the #include that opened it (null for the main file / forced includes)
  skipped: boolean; // true when #pragma once or an include guard prevented reopening
  /** Index in `PreprocessResult.tokens` of the first token produced after the #include. */
  tokenIndex?: number;
  /** Found in a system include directory (-isystem / default dirs). */
  system?: boolean;
}

/**
 * A GNU line marker for printed output (`# 12 "file.h" 1 3`): the output continues with
 * line `line` of `file` before token `tokenIndex`. flags: 1 = entering an include,
 * 2 = returning to the includer, 3 = system header.
 */
export interface PPLineMarker {
  tokenIndex: number;
  file: string;
  line: number;
  flags: number[];
}

export interface PreprocessOptions {
  includePaths: string[]; // -I
  systemIncludePaths: string[]; // -isystem and the target's default system dirs
  quoteIncludePaths: string[]; // -iquote
  defines: { name: string; value: string }[]; // -D NAME=VALUE (value '1' when omitted)
  undefines: string[]; // -U
  /**
   * The order -D and -U were given in, as the compilers apply them (`-U_FORTIFY_SOURCE
   * -D_FORTIFY_SOURCE=2` defines it): the k-th 'D' is defines[k], the k-th 'U' undefines[k].
   * Absent (or for entries past it): every -D, then every -U.
   */
  macroOrder?: ('D' | 'U')[];
  forcedIncludes: string[]; // --include
  /** Kconfig .config files, applied as defines before the main file (NuttX mkconfig semantics). */
  configFiles: string[];
  /** The target's predefined macros, as `#define` source text (targets/predefined/*.h). */
  predefined: string;
  /** Answers to __has_attribute / __has_builtin / __has_feature / __has_extension for the target. */
  hasAttribute: (name: string) => number;
  hasBuiltin: (name: string) => number;
  hasFeature: (name: string) => number;
  /** __has_extension; defaults to hasFeature. */
  hasExtension?: (name: string) => number;
  /** __has_c_attribute (C23 `[[...]]` attributes); defaults to 0. */
  hasCAttribute?: (name: string) => number;
  /** __has_cpp_attribute; defaults to 0 (C). */
  hasCppAttribute?: (name: string) => number;
  /** __has_warning("-W..."); defaults to 0. */
  hasWarning?: (name: string) => number;
  /**
   * Which compiler's built-in operators exist (`defined(__has_feature)` etc.). Default: 'clang'
   * when the predefined macros define __clang__, otherwise 'gcc' (version from __GNUC__).
   */
  dialect?: 'clang' | 'gcc';
  /** __DATE__ / __TIME__ text without quotes; default "Jan  1 1970" / "00:00:00" (reproducible). */
  date?: string;
  time?: string;
  limits?: Partial<PreprocessLimits>;
  /** Read a file; defaults to fs. Lets diff read headers from git without a checkout. */
  readFile?: (path: string) => Buffer | null;
  fileExists?: (path: string) => boolean;
  /** Tokenized files shared with other runs over the same tree (src/parse/source-cache.ts). */
  sourceCache?: import('./source-cache.js').SourceCache;
}

export interface PreprocessLimits {
  maxIncludeDepth: number; // default 200, like clang
  maxIncludes: number; // files entered per translation unit
  maxExpansionDepth: number; // nested macro invocations
  maxOutputTokens: number; // total output tokens before a macro bomb is declared
  maxLineLength: number; // bytes of one logical line
  /** Tokens one expansion written in the source may produce, rescans and argument
   *  pre-expansion included; past it the expansion is an error and is dropped. */
  maxExpansionTokens: number;
  /** The same count over the whole translation unit (or one macro expander); past it, fatal. */
  maxTotalExpansionTokens: number;
}

export interface PreprocessResult {
  /** Output tokens of the translation unit, in order. */
  tokens: Token[];
  /** Macro table at the end of the translation unit (what a header consumer sees). */
  macros: Map<string, MacroDef>;
  /** Every #define seen, in order, including later-undefined ones (for explain). */
  definitions: MacroDef[];
  pragmas: PragmaRecord[];
  includes: IncludeRecord[];
  diagnostics: Diagnostic[];
  /** False when a fatal diagnostic stopped processing. */
  ok: boolean;
  /** Line markers for printing the token stream like `cc -E` (see printPreprocessed). */
  markers?: PPLineMarker[];
  /** Every conditional branch that was taken, in order. */
  conditions?: ConditionRecord[];
}
