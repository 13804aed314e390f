// Helpers for the preprocessing-equivalence test: run portabi with the reference compiler's
// predefined macros, include dirs and __has_* answers, and compare token sequences.
import { tokenize } from '../../src/parse/tokenize.js';
import { preprocess } from '../../src/parse/preprocess.js';
import type { PreprocessOptions, PreprocessResult } from '../../src/parse/pp-types.js';
import type { Corpus } from './corpora.js';
import { hasOracle, includeDirs, predefinedMacros } from './corpora.js';

export interface Seq {
  tokens: string[];
  /** `#pragma` lines (normalized spelling), each with the number of tokens before it. */
  pragmas: string[];
}

const norm = (text: string) => {
  const toks = tokenize(text, '<pragma>', []);
  toks.pop();
  return toks.map((t) => t.text).join(' ');
};

/** Tokens of `cc -E` text, ignoring line markers and other directive lines; pragmas kept as lines. */
export function referenceSequence(text: string): Seq {
  const toks = tokenize(text, '<reference>', [], { headerNames: false });
  const tokens: string[] = [];
  const pragmas: string[] = [];
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    if (t.kind === 'eof') break;
    if (t.bol && t.text === '#') {
      let j = k + 1;
      while (toks[j]!.kind !== 'eof' && !toks[j]!.bol) j++;
      const n = toks[k + 1]!;
      if (n.text === 'pragma' && !n.bol) pragmas.push(`@${tokens.length} ` + toks.slice(k + 2, j).map((x) => x.text).join(' '));
      k = j - 1;
      continue;
    }
    tokens.push(t.text);
  }
  return { tokens, pragmas };
}

export function portabiSequence(r: PreprocessResult): Seq {
  return {
    tokens: r.tokens.map((t) => t.text),
    pragmas: r.pragmas.map((p) => `@${p.tokenIndex} ` + norm(p.text)),
  };
}

/** First difference, described with context; null when equal. */
export function compareSeq(a: Seq, ref: Seq, r: PreprocessResult): string | null {
  const n = Math.min(a.tokens.length, ref.tokens.length);
  for (let k = 0; k < n; k++) {
    if (a.tokens[k] !== ref.tokens[k]) {
      const t = r.tokens[k]!;
      const where = t.expansion ? `${t.loc.file}:${t.loc.line}:${t.loc.col} via ${t.expansion.map((s) => s.macro).join('>')} at ${t.expansion[0]!.invokedAt.file}:${t.expansion[0]!.invokedAt.line}` : `${t.loc.file}:${t.loc.line}:${t.loc.col}`;
      return `token ${k}: portabi '${a.tokens[k]}' vs reference '${ref.tokens[k]}' at ${where}\n  portabi:   ${a.tokens.slice(Math.max(0, k - 8), k + 8).join(' ')}\n  reference: ${ref.tokens.slice(Math.max(0, k - 8), k + 8).join(' ')}`;
    }
  }
  if (a.tokens.length !== ref.tokens.length) {
    const k = n;
    return `length ${a.tokens.length} vs reference ${ref.tokens.length}; next: portabi ${a.tokens.slice(k, k + 10).join(' ')} | reference ${ref.tokens.slice(k, k + 10).join(' ')}`;
  }
  const m = Math.max(a.pragmas.length, ref.pragmas.length);
  for (let k = 0; k < m; k++) {
    if (a.pragmas[k] !== ref.pragmas[k]) return `pragma ${k}: portabi '${a.pragmas[k]}' vs reference '${ref.pragmas[k]}'`;
  }
  return null;
}

/** PreprocessOptions equivalent to the corpus' reference compiler invocation. */
export function corpusOptions(c: Corpus): PreprocessOptions {
  const dirs = includeDirs(c);
  const ask = hasOracle(c);
  return {
    includePaths: [],
    quoteIncludePaths: dirs.quote,
    systemIncludePaths: dirs.system,
    defines: [],
    undefines: [],
    forcedIncludes: [],
    configFiles: [],
    predefined: predefinedMacros(c),
    hasAttribute: (n) => ask('__has_attribute', n),
    hasBuiltin: (n) => ask('__has_builtin', n),
    hasFeature: (n) => ask('__has_feature', n),
    hasExtension: (n) => ask('__has_extension', n),
    hasCAttribute: (n) => ask('__has_c_attribute', n),
    hasCppAttribute: (n) => ask('__has_cpp_attribute', n),
    hasWarning: (n) => ask('__has_warning', n),
  };
}

export function runPortabi(header: string, opts: PreprocessOptions): PreprocessResult {
  return preprocess(header, opts);
}
