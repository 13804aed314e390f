// `portabi diff` benchmark: newlib against picolibc for thumbv7em-none-eabi, over the headers
// both ship that clang-19 accepts together in each tree (the bench TUs of bench/common.ts,
// intersected). Whole process, startup included:
//   cold  `portabi diff` with an empty cache (both sides preprocessed, parsed, laid out);
//   warm  the same command again, headers unchanged (models and result from the cache);
// side by side with `clang-19 -fsyntax-only` on a TU of the same headers in each tree.
//
//   npx tsx bench/diff.ts [--runs N]   (default 10 runs; needs dist/)
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BENCH_CORPORA, PORTABI, WORK, buildBenchTU, median, ms, nodeFloor, ratio, requireBuilt, runsArg, table, time, type BenchTU, type Command } from './common.js';

requireBuilt();
const n = runsArg();
const [newlib, picolibc] = ['newlib', 'picolibc'].map((name) => BENCH_CORPORA.find((c) => c.name === name)!) as [typeof BENCH_CORPORA[0], typeof BENCH_CORPORA[0]];
const tus = (await Promise.all([buildBenchTU(newlib), buildBenchTU(picolibc)])) as [BenchTU, BenchTU];
const inPico = new Set(tus[1].headers);
const headers = tus[0].headers.filter((h) => inPico.has(h));
const cache = join(WORK, 'diff-cache');

const diffArgs = [PORTABI, 'diff', newlib.isystem[0]!, picolibc.isystem[0]!, ...headers.flatMap((h) => ['--header', h]), '-t', newlib.target, '--fail-on', 'none', '--cache-dir', cache];
const diffCmd: Command = { label: 'portabi diff', cmd: process.execPath, args: diffArgs };

/** Median of n runs, each with an empty cache. */
function cold(c: Command, runs: number): number {
  const out: number[] = [];
  for (let k = 0; k < runs; k++) {
    rmSync(cache, { recursive: true, force: true });
    const t0 = process.hrtime.bigint();
    const r = spawnSync(c.cmd, c.args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
    out.push(Number(process.hrtime.bigint() - t0) / 1e6);
    if (r.status !== 0) throw new Error(`portabi diff failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  }
  return median(out);
}

// clang-19 on the same headers in each tree.
const clangRows: { label: string; ms: number | null }[] = [];
for (const tu of tus) {
  const path = join(WORK, `${tu.corpus.name}-diff-bench.c`);
  writeFileSync(path, headers.map((h) => `#include <${h}>\n`).join(''));
  const t = time({ label: `clang-19 -fsyntax-only (${tu.corpus.name})`, cmd: 'clang-19', args: [...tu.corpus.clangFlags, '-w', '-fsyntax-only', path] }, n);
  clangRows.push({ label: t.label, ms: t.ms });
}

console.log(`newlib → picolibc, ${newlib.target}: ${headers.length} headers both ship and clang-19 accepts together in each tree`);
console.log(`whole process, startup included, median of ${n} runs\n`);
const coldMs = cold(diffCmd, n);
rmSync(cache, { recursive: true, force: true });
const warm = time(diffCmd, n); // its untimed first run fills the cache
if (warm.ms === null) throw new Error(`portabi diff failed: ${warm.error}`);
const warmMs = warm.ms;
const clangBoth = clangRows.every((r) => r.ms !== null) ? clangRows.reduce((s, r) => s + r.ms!, 0) : null;
console.log(
  table(
    ['run', 'ms', 'vs clang-19 -fsyntax-only on both trees'],
    [
      ['portabi diff, cold (empty cache)', ms(coldMs), ratio(coldMs, clangBoth)],
      ['portabi diff, warm (headers unchanged)', ms(warmMs), ratio(warmMs, clangBoth)],
      ...clangRows.map((r) => [r.label, ms(r.ms), '']),
      ['clang-19 -fsyntax-only, both trees', ms(clangBoth), '1.00'],
    ],
  ),
);
const floor = time(nodeFloor(), n);
console.log(`\nwarm / cold = ${ratio(warmMs, coldMs)} (bar ≤ 0.10)`);
console.log(`node starting an empty ES module alone: ${ms(floor.ms)} ms = ${ratio(floor.ms, coldMs)} of cold; warm above that: ${ms(floor.ms === null ? null : warmMs - floor.ms)} ms`);
