// Corpora for the declaration-completeness test: one translation unit per libc that
// includes every public header, preprocessed by the reference compiler, and what clang's
// AST says that unit declares.
//
// "Public headers" = the .h files under the include root that the reference compiler
// accepts on their own (`#include <h>` alone compiles). Of those, the ones that also compile
// together: all are put in one TU; every header an error is attributed to (through the
// "In file included from TU:N" chain) is dropped, and the rest recompiled, until clean.
// Dropped headers are those that conflict with others (newlib's setjmp-dj.h vs setjmp.h,
// glibc's alternative definitions of the same struct) — reported in `dropped`.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { corpora, pool, type Corpus } from './corpora.js';

const run = promisify(execFile);

export interface DeclCorpus {
  name: string;
  cc: string;
  /** Flags for compiling and preprocessing with the reference compiler. */
  flags: string[];
  /** Target flags for `clang-19 -x cpp-output` on the reference -E output (the AST dump). */
  astFlags: string[];
  includeRoot: string;
  /** The preprocessing-equivalence corpus (corpora.ts) with the same compiler and flags. */
  ppCorpus: string;
}

const CLANG_INCLUDE = '/usr/lib/llvm-19/lib/clang/19/include';

export const DECL_CORPORA: DeclCorpus[] = [
  {
    name: 'newlib',
    ppCorpus: 'newlib',
    cc: 'arm-none-eabi-gcc',
    flags: ['-mcpu=cortex-m4', '-mthumb'],
    astFlags: ['-target', 'thumbv7em-none-eabi', '-mfloat-abi=soft'],
    includeRoot: '/usr/lib/arm-none-eabi/include',
  },
  {
    name: 'picolibc',
    ppCorpus: 'picolibc',
    cc: 'clang-19',
    flags: ['-target', 'thumbv7em-none-eabi', '-isystem', '/usr/lib/picolibc/arm-none-eabi/include'],
    astFlags: ['-target', 'thumbv7em-none-eabi'],
    includeRoot: '/usr/lib/picolibc/arm-none-eabi/include',
  },
  {
    name: 'musl',
    ppCorpus: 'musl',
    cc: 'clang-19',
    flags: ['-target', 'x86_64-linux-musl', '-nostdinc', '-isystem', '/usr/include/x86_64-linux-musl', '-isystem', CLANG_INCLUDE],
    astFlags: ['-target', 'x86_64-linux-musl'],
    includeRoot: '/usr/include/x86_64-linux-musl',
  },
  {
    name: 'glibc',
    ppCorpus: 'glibc-armhf',
    cc: 'clang-19',
    flags: ['-target', 'armv7-unknown-linux-gnueabihf', '-nostdinc', '-isystem', CLANG_INCLUDE, '-isystem', '/usr/arm-linux-gnueabihf/include'],
    astFlags: ['-target', 'armv7-unknown-linux-gnueabihf'],
    includeRoot: '/usr/arm-linux-gnueabihf/include',
  },
];

/**
 * The corpora.ts corpus a TU is preprocessed with by portabi: same reference compiler and
 * flags, hence the same predefined macros, include dirs and __has_* answers.
 */
export function preprocessCorpus(c: DeclCorpus): Corpus {
  const p = corpora.find((x) => x.name === c.ppCorpus);
  if (!p || p.compiler !== c.cc || p.flags.join(' ') !== c.flags.join(' ')) {
    throw new Error(`${c.name}: no corpora.ts corpus '${c.ppCorpus}' with the same compiler and flags`);
  }
  return p;
}

export function toolAvailable(cmd: string): boolean {
  try {
    execFileSync(cmd, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function listHeaders(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir).sort()) {
      const p = join(dir, e);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else if (e.endsWith('.h')) out.push(relative(root, p));
    }
  };
  walk(root);
  return out;
}

async function compiles(c: DeclCorpus, source: string): Promise<boolean> {
  try {
    const child = run(c.cc, [...c.flags, '-fsyntax-only', '-w', '-x', 'c', '-'], { maxBuffer: 1 << 26 });
    child.child.stdin!.end(source);
    await child;
    return true;
  } catch {
    return false;
  }
}

export interface CorpusTU {
  corpus: DeclCorpus;
  headers: string[];
  dropped: string[];
  /** Path of the TU source file and of its reference -E output. */
  source: string;
  preprocessedPath: string;
}

/** Which TU lines (1-based) the compiler's errors come from. */
function culpritLines(stderr: string, tu: string): Set<number> {
  const out = new Set<number>();
  let cur: number | null = null;
  let inChain = false;
  const esc = tu.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const fromTU = new RegExp(`(?:In file included from|^\\s+from) ${esc}:(\\d+)`);
  const diagRe = /^(.*?):(\d+):\d+: (?:fatal )?(error|warning|note)/;
  for (const line of stderr.split('\n')) {
    const chainLine = /^In file included from|^\s+from /.test(line);
    if (chainLine) {
      if (!inChain) cur = null; // a new include chain starts
      inChain = true;
      const f = fromTU.exec(line);
      if (f) cur = Number(f[1]);
      continue;
    }
    inChain = false;
    const d = diagRe.exec(line);
    if (!d) continue;
    if (d[1] === tu) {
      if (d[3] === 'error') out.add(Number(d[2]));
    } else if (d[3] === 'error' && cur !== null) out.add(cur);
  }
  return out;
}

/**
 * Writes `source` as one #include per header and drops every header an error is attributed
 * to, recompiling with `cc flags -fsyntax-only` until the TU is clean. Returns what is left
 * and what was dropped; `source` holds the final TU.
 */
export async function compileTogether(cc: string, flags: string[], headers: string[], source: string): Promise<{ headers: string[]; dropped: string[] }> {
  const dropped: string[] = [];
  for (let iter = 0; iter < 30; iter++) {
    writeFileSync(source, headers.map((h) => `#include <${h}>\n`).join(''));
    try {
      await run(cc, [...flags, '-fsyntax-only', '-w', ...(cc.startsWith('clang') ? ['-ferror-limit=0'] : []), source], { maxBuffer: 1 << 28 });
      break;
    } catch (e) {
      const stderr = String((e as { stderr?: string }).stderr ?? '');
      const bad = culpritLines(stderr, source);
      if (bad.size === 0) throw new Error(`${cc}: TU fails but no culprit found:\n${stderr.slice(0, 2000)}`);
      dropped.push(...headers.filter((_, i) => bad.has(i + 1)));
      headers = headers.filter((_, i) => !bad.has(i + 1));
    }
  }
  return { headers, dropped };
}

export async function buildCorpusTU(c: DeclCorpus, workDir: string): Promise<CorpusTU> {
  mkdirSync(workDir, { recursive: true });
  const all = listHeaders(c.includeRoot);
  const cachePath = join(workDir, `${c.name}-headers.json`);
  type HeaderCache = { all: string[]; headers: string[]; dropped: string[] };
  let cached: HeaderCache | null = null;
  if (existsSync(cachePath)) {
    cached = JSON.parse(readFileSync(cachePath, 'utf8')) as HeaderCache;
    if (cached && cached.all.join('\n') !== all.join('\n')) cached = null;
  }
  let headers: string[];
  const dropped: string[] = cached ? [...cached.dropped] : [];
  if (cached) headers = cached.headers;
  else {
    const ok = await pool(all, 4, (h) => compiles(c, `#include <${h}>\n`));
    headers = all.filter((_, i) => ok[i]);
  }
  const source = join(workDir, `${c.name}-all.c`);
  const together = await compileTogether(c.cc, c.flags, headers, source);
  headers = together.headers;
  dropped.push(...together.dropped);
  writeFileSync(cachePath, JSON.stringify({ all, headers, dropped }));
  const preprocessedPath = join(workDir, `${c.name}-all.i`);
  const { stdout } = await run(c.cc, [...c.flags, '-E', source], { maxBuffer: 1 << 30 });
  writeFileSync(preprocessedPath, stdout);
  return { corpus: c, headers, dropped, source, preprocessedPath };
}


// ---------------------------------------------------------------------------------------
// What clang's AST says the TU declares.

export interface DeclaredNames {
  struct: Set<string>;
  union: Set<string>;
  enum: Set<string>;
  typedef: Set<string>;
  function: Set<string>;
  variable: Set<string>;
  /** One entry per record definition: "struct name{a,b,}" with '' for unnamed members. */
  records: string[];
}

export function emptyNames(): DeclaredNames {
  return { struct: new Set(), union: new Set(), enum: new Set(), typedef: new Set(), function: new Set(), variable: new Set(), records: [] };
}

export function recordKey(tag: string, name: string | null, members: (string | null)[]): string {
  return `${tag} ${name ?? '<anon>'}{${members.map((m) => m ?? '').join(',')}}`;
}

interface AstNode {
  kind: string;
  name?: string;
  tagUsed?: string;
  isImplicit?: boolean;
  completeDefinition?: boolean;
  inner?: AstNode[];
}

export async function clangDeclaredNames(tu: CorpusTU): Promise<DeclaredNames> {
  const args = [...tu.corpus.astFlags, '-x', 'cpp-output', '-fsyntax-only', '-w', '-Xclang', '-ast-dump=json', tu.preprocessedPath];
  let stdout: string;
  try {
    stdout = (await run('clang-19', args, { maxBuffer: 1 << 30 })).stdout;
  } catch (e) {
    stdout = String((e as { stdout?: string }).stdout ?? '');
  }
  const root = JSON.parse(stdout) as AstNode;
  const names = emptyNames();
  const visitRecord = (n: AstNode) => {
    const tag = n.tagUsed === 'union' ? 'union' : 'struct';
    if (n.name) names[tag].add(n.name);
    if (!n.completeDefinition) return;
    const members: (string | null)[] = [];
    for (const ch of n.inner ?? []) {
      if (ch.kind === 'FieldDecl') members.push(ch.name ?? null);
    }
    names.records.push(recordKey(tag, n.name ?? null, members));
    for (const ch of n.inner ?? []) {
      // C17 6.2.1p4: tags declared inside a struct body have file scope.
      if (ch.kind === 'RecordDecl') visitRecord(ch);
      else if (ch.kind === 'EnumDecl' && ch.name) names.enum.add(ch.name);
    }
  };
  for (const n of root.inner ?? []) {
    if (n.isImplicit) continue;
    switch (n.kind) {
      case 'RecordDecl': visitRecord(n); break;
      case 'EnumDecl': if (n.name) names.enum.add(n.name); break;
      case 'TypedefDecl': names.typedef.add(n.name!); break;
      case 'FunctionDecl': names.function.add(n.name!); break;
      case 'VarDecl': names.variable.add(n.name!); break;
    }
  }
  return names;
}
