// ABI engine benchmark: for each corpus TU (every public header that compiles together),
// whole process, startup included — `portabi dump` against `clang-19 -fsyntax-only` (the
// least a compiler does to know the same declarations) and bindgen (the usual way to get
// them out of libclang) with equivalent flags.
//
//   npx tsx bench/dump.ts [--runs N] [corpus…]   (default 10 runs, all corpora; needs dist/)
import { BENCH_CORPORA, bindgen, buildBenchTU, clang, ms, nodeFloor, portabiDump, ratio, requireBuilt, runsArg, table, time, type Timing } from './common.js';

requireBuilt();
const n = runsArg();
const only = process.argv.slice(2).filter((a, k, all) => !a.startsWith('--') && all[k - 1] !== '--runs');
const corpora = BENCH_CORPORA.filter((c) => only.length === 0 || only.includes(c.name));
console.log(`whole process, startup included, median of ${n} runs\n`);
const floor = time(nodeFloor(), n);

const rows: string[][] = [];
const errors: string[] = [];
let newlibBar: string | null = null;
for (const c of corpora) {
  const tu = await buildBenchTU(c);
  const note = tu.droppedForClang.length ? `; dropped as rejected by clang-19 together: ${tu.droppedForClang.join(' ')}` : '';
  console.log(`${c.name}: ${tu.headers.length} headers, target ${c.target}${note}`);
  const [p, w, s, b] = [time(portabiDump(tu, 'cold'), n), time(portabiDump(tu, 'warm'), n), time(clang(tu, '-fsyntax-only'), n), time(bindgen(tu), n)] as [Timing, Timing, Timing, Timing];
  for (const r of [p, w, s, b]) if (r.error) errors.push(`${c.name}: ${r.label}: ${r.error}`);
  rows.push([c.name, c.target, ms(p.ms), ms(w.ms), ms(s.ms), ms(b.ms), ratio(p.ms, s.ms), ratio(w.ms, s.ms), ratio(p.ms, b.ms)]);
  if (c.name === 'newlib') {
    newlibBar = `newlib: portabi dump / clang -fsyntax-only = ${ratio(p.ms, s.ms)} cold (--no-cache), ${ratio(w.ms, s.ms)} warm (model cache) (bar ≤ 2.0)\n` +
      `        node starting an empty ES module alone: ${ms(floor.ms)} ms = ${ratio(floor.ms, s.ms)} × clang -fsyntax-only`;
  }
}
console.log('');
console.log(table(['corpus', 'target', 'dump cold ms', 'dump warm ms', 'clang -fsyntax-only ms', 'bindgen ms', 'cold/clang', 'warm/clang', 'cold/bindgen'], rows));
for (const e of errors) console.log(`  ! ${e}`);
if (newlibBar) console.log(`\n${newlibBar}`);
