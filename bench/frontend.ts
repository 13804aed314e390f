// C front end benchmark: the newlib TU (every public newlib header that compiles together),
// whole process, startup included — `portabi dump` against `clang-19 -E` and
// `clang-19 -fsyntax-only` with equivalent flags — then portabi's in-process phase split.
//
//   npx tsx bench/frontend.ts [--runs N]      (default 10; needs dist/: npx tsc -p tsconfig.json)
import { loadInputTarget, emptyInput, preprocessOptionsFor, runFrontEnd } from '../src/pipeline.js';
import { preprocessHeaders } from '../src/parse/preprocess.js';
import { parseDeclarationTokens } from '../src/parse/declarations.js';
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

// ---- in-process phase split, through the library (no process startup, no JSON output)
const t = loadInputTarget(tu.corpus.target);
if (!t.ok) throw new Error(`target ${tu.corpus.target} does not load`);
const target = t.value;
const input = emptyInput({ headers: [tu.path], target: tu.corpus.target, systemIncludePaths: tu.corpus.isystem });
const opts = preprocessOptionsFor(input, target);

interface Split { preprocess: number; declarations: number; macroTable: number; abiModel: number; serialize: number }
const now = () => Number(process.hrtime.bigint()) / 1e6;
function once(): Split & { tokens: number; types: number } {
  const a = now();
  const pp = preprocessHeaders(input.headers, opts);
  const b = now();
  parseDeclarationTokens(pp.tokens, pp.pragmas);
  const c = now();
  // The full front end again (preprocess + declarations + the expanded macro table); what it
  // adds over the two phases above is the macro table.
  const fe = runFrontEnd(input, target);
  const d = now();
  const ctx = createAbiContext(fe.ir, fe.target);
  const values = evaluateMacros(ctx, { guessInitializerTypes: true });
  const types = buildTypeEntries(ctx);
  const functions = buildFunctionEntries(fe.ir);
  const e = now();
  JSON.stringify({ types, functions, constants: values.constants, initializers: values.initializers, macros: values.macros }, null, 2);
  const f = now();
  return {
    preprocess: b - a,
    declarations: c - b,
    macroTable: Math.max(0, d - c - (b - a) - (c - b)),
    abiModel: e - d,
    serialize: f - e,
    tokens: pp.tokens.length,
    types: Object.keys(types).length,
  };
}
const cold = once();
const warm: Split[] = [];
for (let k = 0; k < Math.min(n, 5); k++) warm.push(once());
const phases = ['preprocess', 'declarations', 'macroTable', 'abiModel', 'serialize'] as const;
const names: Record<(typeof phases)[number], string> = {
  preprocess: 'preprocess',
  declarations: 'declarations',
  macroTable: 'macro table (object-like macros expanded)',
  abiModel: 'abi model (layout, macro values, entries)',
  serialize: 'JSON.stringify of the model',
};
const total = (s: Split) => phases.reduce((x, p) => x + s[p], 0);
console.log(`\nportabi in-process phase split (newlib, ${cold.tokens} tokens, ${cold.types} types); first run, then median of ${warm.length} warm runs\n`);
console.log(table(
  ['phase', 'first ms', 'warm ms'],
  [
    ...phases.map((p) => [names[p], cold[p].toFixed(0), median(warm.map((w) => w[p])).toFixed(0)]),
    ['total', total(cold).toFixed(0), median(warm.map(total)).toFixed(0)],
  ],
));
