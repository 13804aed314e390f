// Shared by the benchmarks: the corpus TUs, the equivalent command lines for portabi, clang
// and bindgen, and whole-process timing (startup included).
//
// A corpus TU is the one the declaration-completeness test builds (test/corpus/decl-corpora.ts:
// every public header that compiles together with the corpus' reference compiler), then
// reduced to the headers clang-19 also accepts together under the benchmark's flags (newlib's
// stdatomic.h, for one, clashes with clang's own under clang). Every tool reads that same file.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DECL_CORPORA, buildCorpusTU, compileTogether } from '../test/corpus/decl-corpora.js';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const PORTABI = join(ROOT, 'bin', 'portabi.js');
export const WORK = join(tmpdir(), 'portabi-bench');

const CLANG19_RESOURCE = '/usr/lib/llvm-19/lib/clang/19/include';
/** Debian's bindgen 0.60 panics with libclang 19; libclang 15 works. */
export const LIBCLANG15 = '/usr/lib/llvm-15/lib';
const CLANG15_RESOURCE = '/usr/lib/llvm-15/lib/clang/15.0.6/include';

export interface BenchCorpus {
  /** Name in DECL_CORPORA. */
  name: string;
  /** portabi target (targets/<name>.yaml). */
  target: string;
  /** --isystem dirs for portabi (the target adds its compiler's own dirs last). */
  isystem: string[];
  /** clang-19 flags equivalent to the portabi target and dirs. */
  clangFlags: string[];
}

const THUMB = ['-target', 'thumbv7em-none-eabi', '-mcpu=cortex-m4', '-mfloat-abi=soft', '-fshort-enums'];

export const BENCH_CORPORA: BenchCorpus[] = [
  {
    name: 'newlib',
    target: 'thumbv7em-none-eabi',
    isystem: ['/usr/lib/arm-none-eabi/include'],
    clangFlags: [...THUMB, '-isystem', '/usr/lib/arm-none-eabi/include'],
  },
  {
    name: 'picolibc',
    target: 'thumbv7em-none-eabi',
    isystem: ['/usr/lib/picolibc/arm-none-eabi/include'],
    clangFlags: [...THUMB, '-isystem', '/usr/lib/picolibc/arm-none-eabi/include'],
  },
  {
    name: 'musl',
    target: 'x86_64-unknown-linux-musl',
    isystem: ['/usr/include/x86_64-linux-musl'],
    clangFlags: ['-target', 'x86_64-linux-musl', '-nostdinc', '-isystem', '/usr/include/x86_64-linux-musl', '-isystem', CLANG19_RESOURCE],
  },
  {
    name: 'glibc',
    target: 'armv7-unknown-linux-gnueabihf',
    isystem: ['/usr/arm-linux-gnueabihf/include'],
    // libc dir before clang's own, as portabi searches (--isystem first, the target's dirs
    // last): with clang's dir first, <tgmath.h> would be clang's and declare its __tg_* overloads.
    clangFlags: ['-target', 'armv7-unknown-linux-gnueabihf', '-nostdinc', '-isystem', '/usr/arm-linux-gnueabihf/include', '-isystem', CLANG19_RESOURCE],
  },
];

export interface BenchTU {
  corpus: BenchCorpus;
  /** The TU file every tool reads. */
  path: string;
  headers: string[];
  /** Headers of the completeness TU that clang-19 rejects together under clangFlags. */
  droppedForClang: string[];
}

export async function buildBenchTU(c: BenchCorpus): Promise<BenchTU> {
  const decl = DECL_CORPORA.find((d) => d.name === c.name);
  if (!decl) throw new Error(`no declaration corpus named ${c.name}`);
  mkdirSync(WORK, { recursive: true });
  const tu = await buildCorpusTU(decl, join(WORK, 'decl'));
  const path = join(WORK, `${c.name}-bench.c`);
  const { headers, dropped } = await compileTogether('clang-19', c.clangFlags, tu.headers, path);
  return { corpus: c, path, headers, droppedForClang: dropped };
}

export interface Command {
  label: string;
  cmd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
}

/**
 * Node itself starting an empty ES module and exiting: the floor under every portabi run
 * (bin/portabi.js is an ES module), printed beside the ratios so they can be read against it.
 */
export function nodeFloor(): Command {
  const empty = join(WORK, 'empty.mjs');
  mkdirSync(WORK, { recursive: true });
  writeFileSync(empty, '');
  return { label: 'node, empty ES module', cmd: process.execPath, args: [empty] };
}

/**
 * `portabi dump` of the TU. `cold`: --no-cache, everything computed (preprocess, parse, layout,
 * evaluation). `warm`: through the model cache in $TMPDIR/portabi-bench/dump-cache, which the
 * untimed warm-up run of `time` fills: what a build system's second run with unchanged headers
 * costs.
 */
export function portabiDump(tu: BenchTU, mode: 'cold' | 'warm' = 'cold'): Command {
  const c = tu.corpus;
  const cache = mode === 'cold' ? ['--no-cache'] : ['--cache-dir', join(WORK, 'dump-cache')];
  return {
    label: `portabi dump (${mode})`,
    cmd: process.execPath,
    args: [PORTABI, 'dump', tu.path, ...c.isystem.flatMap((d) => ['--isystem', d]), '-t', c.target, ...cache],
  };
}

export function clang(tu: BenchTU, mode: '-E' | '-fsyntax-only'): Command {
  return {
    label: `clang-19 ${mode}`,
    cmd: 'clang-19',
    args: [...tu.corpus.clangFlags, '-w', mode, ...(mode === '-E' ? ['-o', '/dev/null'] : []), tu.path],
  };
}

/** bindgen with libclang 15: clang-19's resource dir swapped for clang-15's, output discarded, no rustfmt. */
export function bindgen(tu: BenchTU): Command {
  const args = tu.corpus.clangFlags.map((a) => (a === CLANG19_RESOURCE ? CLANG15_RESOURCE : a));
  return {
    label: 'bindgen 0.60 (libclang 15)',
    cmd: 'bindgen',
    args: ['--no-rustfmt-bindings', tu.path, '-o', '/dev/null', '--', ...args, '-w'],
    env: { ...process.env, LIBCLANG_PATH: LIBCLANG15 },
  };
}

export interface Timing {
  label: string;
  /** Median wall time in ms, or null when the command failed. */
  ms: number | null;
  runs: number[];
  /** First error line when the command failed. */
  error?: string;
}

/** Runs the command `n` times (after one untimed warm-up for the file cache); median wall ms. */
export function time(c: Command, n: number): Timing {
  const runs: number[] = [];
  for (let k = -1; k < n; k++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(c.cmd, c.args, { env: c.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 28, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.error || r.status !== 0) {
      const text = String(r.error ?? r.stderr ?? '');
      const line = text.split('\n').find((l) => /error|panic/i.test(l)) ?? text.split('\n')[0] ?? '';
      return { label: c.label, ms: null, runs, error: `exit ${r.status ?? r.signal}: ${line.trim().slice(0, 200)}` };
    }
    if (k >= 0) runs.push(ms);
  }
  return { label: c.label, ms: median(runs), runs };
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

export function runsArg(): number {
  const k = process.argv.indexOf('--runs');
  const v = k >= 0 ? Number(process.argv[k + 1]) : Number(process.env.PORTABI_BENCH_RUNS ?? 10);
  return Number.isInteger(v) && v > 0 ? v : 10;
}

/**
 * The built CLI, as users run it: bin/portabi.js takes the esbuild bundle when it is not older
 * than dist/cli.js, so a bundle a later `tsc` (the CLI tests run one) made stale is rebuilt
 * here; otherwise the benchmarks would time the slower-starting unbundled dist/.
 */
export function requireBuilt(): void {
  const cli = join(ROOT, 'dist', 'cli.js');
  if (!existsSync(cli)) throw new Error('dist/cli.js missing: run `npm run build` first');
  const bundle = join(ROOT, 'dist', 'bundle', 'cli.js');
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < statSync(cli).mtimeMs) {
    spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
  }
}

/** A plain-text table, columns padded; numbers right-aligned. */
export function table(head: string[], rows: string[][]): string {
  const w = head.map((h, k) => Math.max(h.length, ...rows.map((r) => (r[k] ?? '').length)));
  const fmt = (r: string[]) => r.map((x, k) => (k === 0 ? x.padEnd(w[k]!) : x.padStart(w[k]!))).join('  ');
  return [fmt(head), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(fmt)].join('\n');
}

export const ms = (x: number | null) => (x === null ? 'failed' : x.toFixed(0));
export const ratio = (a: number | null, b: number | null) => (a === null || b === null ? '-' : (a / b).toFixed(2));
