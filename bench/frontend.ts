// C front end benchmark: the newlib TU (every public newlib header that compiles together),
// whole process, startup included — `portabi dump` against `clang-19 -E` and
// `clang-19 -fsyntax-only` with equivalent flags — then portabi's in-process phase split.
//
//   npx tsx bench/frontend.ts [--runs N]      (default 10; needs dist/: npx tsc -p tsconfig.json)
import { loadInputTarget, emptyInput, preprocessOptionsFor } from '../src/pipeline.js';
import { expandMacroTokens, preprocessHeaders, spell } from '../src/parse/preprocess.js';
import { parseDeclarationTokens, type MacroInput } from '../src/parse/declarations.js';
import type { ExpansionStep, PreprocessResult } from '../src/parse/pp-types.js';
import { createAbiContext } from '../src/abi/context-impl.js';
import { evaluateMacros } from '../src/abi/macro-values.js';
import { buildFunctionEntries, buildTypeEntries } from '../src/abi/model-types.js';
import { BENCH_CORPORA, buildBenchTU, clang, median, ms, portabiDump, ratio, requireBuilt, runsArg, table, time } from './common.js';

requireBuilt();
const n = runsArg();
const tu = await buildBenchTU(BENCH_CORPORA.find((c) => c.name === 'newlib')!);
console.log(`newlib TU: ${tu.path}, ${tu.headers.length} headers` + (tu.droppedForClang.length ? ` (dropped as rejected by clang-19 together: ${tu.droppedForClang.join(' ')})` : ''));
console.log(`target ${tu.corpus.target}; clang flags: ${tu.corpus.clangFlags.join(' ')}`);
console.log(`whole process, startup included, median of ${n} runs\n`);

const results = [time(portabiDump(tu), n), time(clang(tu, '-E'), n), time(clang(tu, '-fsyntax-only'), n)];
const [, cE, cS] = results.map((r) => r.ms);
console.log(table(
  ['tool', 'median ms', 'vs clang -fsyntax-only', 'vs clang -E'],
  results.map((r) => [r.label, ms(r.ms), ratio(r.ms, cS!), ratio(r.ms, cE!)]),
));
for (const r of results) if (r.error) console.log(`  ${r.label}: ${r.error}`);

// ---- in-process phase split, through the library (no process startup, no CLI output).
// The macro table step mirrors pipeline.ts's macroInputs (not exported): every object-like
// macro fully expanded, then classified by the declaration phase.
const t = loadInputTarget(tu.corpus.target);
if (!t.ok) throw new Error(`target ${tu.corpus.target} does not load`);
const target = t.value;
const input = emptyInput({ headers: [tu.path], target: tu.corpus.target, systemIncludePaths: tu.corpus.isystem });
const opts = preprocessOptionsFor(input, target);

function macroInputs(pp: PreprocessResult): MacroInput[] {
  const out: MacroInput[] = [];
  for (const m of pp.macros.values()) {
    if (m.builtin) continue;
    const mi: MacroInput = { name: m.name, kind: m.kind, params: m.params, variadic: m.variadic, body: spell(m.body), loc: m.loc, conditions: m.conditions, builtin: m.builtin };
    if (m.kind === 'object') {
      const { tokens } = expandMacroTokens(m.name, pp.macros, opts);
      mi.expansion = spell(tokens);
      const chain: ExpansionStep[] = [];
      const seen = new Set<string>();
      for (const tok of tokens) for (const st of tok.expansion ?? []) if (!seen.has(st.macro)) { seen.add(st.macro); chain.push(st); }
      if (chain.length) mi.chain = chain;
    }
    out.push(mi);
  }
  return out;
}

const phases = ['preprocess', 'declarations', 'macroExpand', 'macroClassify', 'abiModel', 'serialize'] as const;
type Split = Record<(typeof phases)[number], number>;
const names: Record<(typeof phases)[number], string> = {
  preprocess: 'preprocess',
  declarations: 'declarations',
  macroExpand: 'macro table: expand object-like macros',
  macroClassify: 'macro table: classify (declaration phase)',
  abiModel: 'abi model (layout, macro values, entries)',
  serialize: 'JSON.stringify of the model',
};
const now = () => Number(process.hrtime.bigint()) / 1e6;
function once(): Split & { tokens: number; types: number; macros: number } {
  const a = now();
  const pp = preprocessHeaders(input.headers, opts);
  const b = now();
  parseDeclarationTokens(pp.tokens, pp.pragmas);
  const c = now();
  const macros = macroInputs(pp);
  const d = now();
  const ir = parseDeclarationTokens(pp.tokens, pp.pragmas, { macros });
  const e = now();
  const ctx = createAbiContext(ir, target);
  const values = evaluateMacros(ctx, { guessInitializerTypes: true });
  const types = buildTypeEntries(ctx);
  const functions = buildFunctionEntries(ir);
  const f = now();
  JSON.stringify({ types, functions, constants: values.constants, initializers: values.initializers, macros: values.macros }, null, 2);
  const g = now();
  return {
    preprocess: b - a,
    declarations: c - b,
    macroExpand: d - c,
    // declarations with the macro table, minus declarations alone
    macroClassify: Math.max(0, e - d - (c - b)),
    abiModel: f - e,
    serialize: g - f,
    tokens: pp.tokens.length,
    types: Object.keys(types).length,
    macros: macros.length,
  };
}
const cold = once();
const warm: Split[] = [];
for (let k = 0; k < Math.min(n, 5); k++) warm.push(once());
const total = (s: Split) => phases.reduce((x, p) => x + s[p], 0);
console.log(`\nportabi in-process phase split (newlib: ${cold.tokens} tokens, ${cold.macros} macros, ${cold.types} types); first run, then median of ${warm.length} warm runs\n`);
console.log(table(
  ['phase', 'first ms', 'warm ms'],
  [
    ...phases.map((p) => [names[p], cold[p].toFixed(0), median(warm.map((w) => w[p])).toFixed(0)]),
    ['total', total(cold).toFixed(0), median(warm.map(total)).toFixed(0)],
  ],
));
