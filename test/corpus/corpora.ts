// Real libc header corpora, each with the reference compiler and flags that define it.
// Shared by the differential tests (preprocessing equivalence, declarations, layout).
//
// "Public headers" = every .h under the libc include root that the reference compiler
// preprocesses without error; the tests filter with `referenceAccepts`.
import { execFileSync, execFile, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Corpus {
  name: string;
  /** Target name as used under targets/ (e.g. targets/predefined/<target>.<cc>.h). */
  target: string;
  /** The libc include root the headers are listed from. */
  root: string;
  /** Reference compiler executable. */
  compiler: string;
  /** Flags that select the target and include dirs (no -E, no input). */
  flags: string[];
}

const CLANG_RESOURCE = '/usr/lib/llvm-19/lib/clang/19/include';

export const corpora: Corpus[] = [
  {
    name: 'newlib',
    target: 'thumbv7em-none-eabi',
    root: '/usr/lib/arm-none-eabi/include',
    compiler: 'arm-none-eabi-gcc',
    flags: ['-mcpu=cortex-m4', '-mthumb'],
  },
  {
    name: 'picolibc',
    target: 'thumbv7em-none-eabi',
    root: '/usr/lib/picolibc/arm-none-eabi/include',
    compiler: 'clang-19',
    flags: ['-target', 'thumbv7em-none-eabi', '-isystem', '/usr/lib/picolibc/arm-none-eabi/include'],
  },
  {
    name: 'musl',
    target: 'x86_64-unknown-linux-musl',
    root: '/usr/include/x86_64-linux-musl',
    compiler: 'clang-19',
    flags: ['-target', 'x86_64-linux-musl', '-nostdinc', '-isystem', '/usr/include/x86_64-linux-musl', '-isystem', CLANG_RESOURCE],
  },
  {
    name: 'glibc-armhf',
    target: 'armv7-unknown-linux-gnueabihf',
    root: '/usr/arm-linux-gnueabihf/include',
    compiler: 'clang-19',
    flags: ['-target', 'armv7-unknown-linux-gnueabihf', '-nostdinc', '-isystem', CLANG_RESOURCE, '-isystem', '/usr/arm-linux-gnueabihf/include'],
  },
];

export function corpusAvailable(c: Corpus): boolean {
  try {
    execFileSync(c.compiler, ['--version'], { stdio: 'ignore' });
    return fs.existsSync(c.root);
  } catch {
    return false;
  }
}

/** Every .h under the root (following symlinks), sorted, as absolute paths under `root`. */
export function listHeaders(c: Corpus): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      let isDir = e.isDirectory();
      let isFile = e.isFile();
      if (e.isSymbolicLink()) {
        try {
          const st = fs.statSync(p);
          isDir = st.isDirectory();
          isFile = st.isFile();
        } catch {
          continue;
        }
      }
      if (isDir) walk(p);
      else if (isFile && e.name.endsWith('.h')) out.push(p);
    }
  };
  walk(c.root);
  return out.sort();
}

/** Include search dirs in order, from `<cc> <flags> -E -v -x c /dev/null`. */
export function includeDirs(c: Corpus): { quote: string[]; system: string[] } {
  const r = spawnSync(c.compiler, [...c.flags, '-E', '-v', '-x', 'c', '/dev/null'], { encoding: 'latin1' });
  const text = String(r.stderr ?? '');
  const quote: string[] = [];
  const system: string[] = [];
  let mode = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('#include "..." search starts here')) mode = 1;
    else if (line.startsWith('#include <...> search starts here')) mode = 2;
    else if (line.startsWith('End of search list')) mode = 0;
    else if (mode && line.startsWith(' ')) {
      const d = path.normalize(line.trim().replace(/ \(framework directory\)$/, ''));
      (mode === 1 ? quote : system).push(d);
    }
  }
  return { quote, system };
}

/** The compiler's predefined macros (`-dM -E` on an empty file with the corpus flags). */
export function predefinedMacros(c: Corpus): string {
  return execFileSync(c.compiler, [...c.flags, '-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'latin1' });
}

/** The reference command line for one header. */
export function referenceCommand(c: Corpus, header: string): { cmd: string; args: string[] } {
  return { cmd: c.compiler, args: [...c.flags, '-E', '-x', 'c', header] };
}

/** Runs the reference -E; stdout as latin1, or null when the compiler rejects the header. */
export function runReference(c: Corpus, header: string): Promise<{ ok: boolean; out: string; err: string }> {
  const { cmd, args } = referenceCommand(c, header);
  return new Promise((resolve) => {
    execFile(cmd, args, { encoding: 'latin1', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ ok: !error, out: String(stdout), err: String(stderr) });
    });
  });
}

/** Runs tasks with bounded concurrency. */
export async function pool<T, R>(items: T[], n: number, fn: (x: T) => Promise<R>): Promise<R[]> {
  const res: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (;;) {
      const k = next++;
      if (k >= items.length) return;
      res[k] = await fn(items[k]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
  return res;
}

/**
 * A synchronous, memoized `__has_*` oracle backed by the reference compiler: each distinct
 * (operator, name) is asked once with `-E` on a one-line file.
 */
export function hasOracle(c: Corpus): (op: string, name: string) => number {
  const cache = new Map<string, number>();
  return (op, name) => {
    const key = op + '\0' + name;
    let v = cache.get(key);
    if (v === undefined) {
      const arg = op === '__has_warning' ? JSON.stringify(name) : name;
      const src = `#if defined(${op})\nportabi_value ${op}(${arg})\n#else\nportabi_value 0\n#endif\n`;
      const r = spawnSync(c.compiler, [...c.flags, '-E', '-P', '-x', 'c', '-'], { input: src, encoding: 'latin1' });
      const m = /portabi_value\s+(-?\d+)/.exec(String(r.stdout ?? ''));
      v = m ? Number(m[1]) : 0;
      cache.set(key, v);
    }
    return v;
  };
}
