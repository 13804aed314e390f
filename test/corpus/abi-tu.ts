// One translation unit per corpus × target, through portabi's pipeline and through clang-19 for
// that target: shared by the record-layout differential test (abi-records.test.ts) and the
// constants differential test.
//
// The TU is the declaration-completeness TU of the corpus (decl-corpora.ts: every public header
// that compiles together with the others, built with the corpus's reference compiler). It is
// then compiled for `target` with the corpus's include dirs (the reference compiler's search
// list, with the reference compiler's own builtin-header dirs), by portabi (computeAbi with the
// target's predefined macros) and by clang-19 with the target's clangTriple + clangFlags and
// -nostdinc plus the same dirs, so both read the same files.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { loadTarget } from '../../src/abi/target.js';
import type { Target } from '../../src/abi/target-types.js';
import { computeAbi, emptyInput } from '../../src/pipeline.js';
import { includeDirs } from './corpora.js';
import { DECL_CORPORA, buildCorpusTU, preprocessCorpus, toolAvailable, type CorpusTU, type DeclCorpus } from './decl-corpora.js';

const run = promisify(execFile);

export interface AbiCase {
  corpus: string; // DECL_CORPORA name
  target: string; // targets/<target>.yaml
  /** Headers of the corpus TU left out for this target (and why, in a comment). */
  exclude?: string[];
}

/** musl's headers are arch-generic except bits/; the x86_64 bits/ are used for every
 *  target (both compilers read the same files, so the comparison stays exact). */
export const ABI_CASES: AbiCase[] = [
  { corpus: 'newlib', target: 'thumbv7em-none-eabi' },
  { corpus: 'newlib', target: 'thumbv6m-none-eabi' },
  { corpus: 'picolibc', target: 'thumbv7em-none-eabi' },
  { corpus: 'picolibc', target: 'thumbv6m-none-eabi' },
  { corpus: 'musl', target: 'x86_64-unknown-linux-musl' },
  { corpus: 'musl', target: 'i686-unknown-linux-gnu' },
  // bits/io.h (and sys/io.h, which includes it): x86 port I/O in inline asm, which clang
  // rejects for other arches.
  { corpus: 'musl', target: 'aarch64-unknown-linux-gnu', exclude: ['bits/io.h', 'sys/io.h'] },
  { corpus: 'musl', target: 'riscv64gc-unknown-linux-gnu', exclude: ['bits/io.h', 'sys/io.h'] },
  // linux/vbox_vmmdev_types.h (and vboxguest.h, which includes it) asserts sizes that only hold
  // without the target's clangFlags' ABI (clang: "array with a negative size").
  { corpus: 'glibc', target: 'armv7-unknown-linux-gnueabihf', exclude: ['linux/vbox_vmmdev_types.h', 'linux/vboxguest.h'] },
];

export function caseLabel(c: AbiCase): string {
  return `${c.corpus} × ${c.target}`;
}

export function caseAvailable(c: AbiCase): boolean {
  const corpus = DECL_CORPORA.find((x) => x.name === c.corpus);
  return !!corpus && toolAvailable(corpus.cc) && toolAvailable('clang-19');
}

export function requireTarget(name: string): Target {
  const r = loadTarget(name);
  if (!r.ok) throw new Error(`cannot load target ${name}: ${r.error.map((d) => d.message).join('; ')}`);
  return r.value;
}

// Header lists are cached there (decl-corpora.ts).
const WORK = join(tmpdir(), 'portabi-abi-tu');
const tuCache = new Map<string, Promise<CorpusTU>>();

/** The corpus TU (built once per corpus and process; cached on disk by decl-corpora). */
export function corpusTU(name: string): Promise<CorpusTU> {
  let p = tuCache.get(name);
  if (!p) {
    const c = DECL_CORPORA.find((x) => x.name === name);
    if (!c) throw new Error(`unknown corpus ${name}`);
    p = buildCorpusTU(c, WORK);
    tuCache.set(name, p);
  }
  return p;
}

/** The corpus's include search list (the reference compiler's, which names its builtin-header
 *  dirs too), used as -isystem for both compilers. */
export function corpusIncludeDirs(c: DeclCorpus): string[] {
  return includeDirs(preprocessCorpus(c)).system;
}

export interface AbiTU {
  case: AbiCase;
  tu: CorpusTU;
  target: Target;
  dirs: string[];
  /** portabi's result for the TU. */
  abi: ReturnType<typeof computeAbi>;
  /** clang-19 argv (without the input file) for this target and these dirs. */
  clangArgs: string[];
}

export async function buildAbiTU(c: AbiCase): Promise<AbiTU> {
  const all = await corpusTU(c.corpus);
  // The C library's headers only: newlib's root also holds libstdc++'s c++/ tree.
  const headers = all.headers.filter((h) => !h.startsWith('c++/') && !(c.exclude ?? []).includes(h));
  const source = join(WORK, `${c.corpus}-${c.target}-abi.c`);
  writeFileSync(source, headers.map((h) => `#include <${h}>\n`).join(''));
  const tu: CorpusTU = { ...all, headers, source };
  const target = requireTarget(c.target);
  // A corpus whose reference compiler is clang (picolibc) compiled for a gcc-defined target:
  // gcc's builtin headers (stddef.h, ...) replace clang's, as when arm-none-eabi-gcc builds it
  // (clang's test __has_feature, which gcc and the target's __has_* answers do not have).
  let dirs = corpusIncludeDirs(tu.corpus);
  if (target.compiler === 'gcc' && tu.corpus.cc.startsWith('clang')) {
    dirs = [...dirs.filter((d) => !d.startsWith('/usr/lib/llvm-')), ...target.systemIncludes];
  }
  const abi = computeAbi(emptyInput({ headers: [tu.source], target: c.target, systemIncludePaths: dirs }));
  const clangArgs = [
    '-target', target.clangTriple, ...target.clangFlags, '-nostdinc', ...dirs.flatMap((d) => ['-isystem', d]),
    '-std=gnu11', '-w', '-ferror-limit=0',
  ];
  return { case: c, tu, target, dirs, abi, clangArgs };
}

/** Run clang-19 with `args` over `file`; stdout/stderr/exit code. */
export function runClang(args: string[], file: string): Promise<{ stdout: string; stderr: string; code: number }> {
  return runCompiler('clang-19', args, file);
}

/** Run a compiler with `args` over `file`; stdout/stderr/exit code. */
export async function runCompiler(cmd: string, args: string[], file: string): Promise<{ stdout: string; stderr: string; code: number }> {
  try {
    const { stdout, stderr } = await run(cmd, [...args, file], { maxBuffer: 1 << 30 });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: typeof err.code === 'number' ? err.code : 1 };
  }
}

/** Run `f` over `items`, at most `limit` at a time. */
export async function mapLimit<T, R>(items: T[], limit: number, f: (x: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: limit }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await f(items[i]!);
      }
    }),
  );
  return out;
}
