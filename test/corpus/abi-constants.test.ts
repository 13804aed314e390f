// Constants differential on real libc corpora: for each corpus × target, one TU that includes
// every public header goes through portabi's own pipeline (computeAbi); the same TU plus a probe
// makes the compiler tell the value and the C type of every object-like macro it can evaluate
// as an integer constant expression, and of every enumerator. portabi must agree on both.
//
// Which macros are integer constants is the compiler's judgement, not portabi's: a first
// `-fsyntax-only` pass wraps each candidate in `_Static_assert(TYPE_CODE(NAME) != 0 &&
// ((NAME) || 1), "")` on a line of its own; the lines the compiler reports errors on are
// dropped (repeated until the probe compiles). The survivors are compiled with `-c` into
// `const unsigned long long v[] = { (unsigned long long)(NAME), TYPE_CODE(NAME), ... }` and
// read back from the object file (elf-object.ts).
//
// portabi is run with the oracle's own predefined macro set and include search list, so the
// two sides see the same text: clang-19 (target clangTriple + clangFlags) for every target,
// and arm-none-eabi-gcc as a second oracle on the gcc-ABI thumb targets.
//
// musl is only installed for x86_64 (/usr/include/x86_64-linux-musl); on i686, aarch64 and
// riscv64 the same headers are used (its bits/ are x86_64's), as in abi-tu.ts. Both sides read
// the same headers, so the comparison still holds. The header list is the corpus's (abi-tu.ts
// corpusTU, shared with the records test); headers the oracle rejects together on a target
// are dropped by the oracle's own errors (decl-corpora.ts buildCorpusTU).
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createAbiContext } from '../../src/abi/context-impl.js';
import { evaluateMacros } from '../../src/abi/macro-values.js';
import { loadTarget } from '../../src/abi/target.js';
import type { Target } from '../../src/abi/target-types.js';
import { emptyInput, runFrontEnd } from '../../src/pipeline.js';
import { hasCommand, readSymbolBytes } from '../abi/elf-object.js';
import { includeDirs } from './corpora.js';
import { corpusTU } from './abi-tu.js';
import { buildCorpusTU, type DeclCorpus } from './decl-corpora.js';

const run = promisify(execFile);
const RES = '/usr/lib/llvm-19/lib/clang/19/include';
const work = join(tmpdir(), 'portabi-abi-constants');

interface Libc {
  name: string;
  /** The corpus in decl-corpora.ts / abi-tu.ts. */
  corpus: string;
  root: string;
  /** Include dirs for clang-19 -nostdinc, in order. */
  clangDirs: string[];
  /** Extra flags for the gcc oracle (thumb only). */
  gccFlags?: string[];
  targets: string[];
}

const NEWLIB = '/usr/lib/arm-none-eabi/include';
const PICOLIBC = '/usr/lib/picolibc/arm-none-eabi/include';
const MUSL = '/usr/include/x86_64-linux-musl';
const GLIBC_ARMHF = '/usr/arm-linux-gnueabihf/include';

const LIBCS: Libc[] = [
  { name: 'newlib', corpus: 'newlib', root: NEWLIB, clangDirs: [RES, NEWLIB], gccFlags: [], targets: ['thumbv7em-none-eabi', 'thumbv6m-none-eabi'] },
  { name: 'picolibc', corpus: 'picolibc', root: PICOLIBC, clangDirs: [PICOLIBC, RES], gccFlags: ['-isystem', PICOLIBC], targets: ['thumbv7em-none-eabi', 'thumbv6m-none-eabi'] },
  {
    name: 'musl', corpus: 'musl', root: MUSL, clangDirs: [MUSL, RES],
    targets: ['x86_64-unknown-linux-musl', 'i686-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'riscv64gc-unknown-linux-gnu'],
  },
  { name: 'glibc-armhf', corpus: 'glibc', root: GLIBC_ARMHF, clangDirs: [RES, GLIBC_ARMHF], targets: ['armv7-unknown-linux-gnueabihf'] },
];

const KINDS = [
  '_Bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int',
  'long', 'unsigned long', 'long long', 'unsigned long long',
];
const TYPE_CODE = `#define PORTABI_TYPE_CODE(x) _Generic((x), ${KINDS.map((k, i) => `${k}: ${i + 1}`).join(', ')}, default: 0)`;

function loadT(name: string): Target {
  const t = loadTarget(name);
  if (!t.ok) throw new Error(`target ${name}`);
  return t.value;
}

interface Oracle {
  who: 'clang' | 'gcc';
  cc: string;
  flags: string[];
}

function oraclesFor(l: Libc, t: Target): Oracle[] {
  const dirs = l.clangDirs.flatMap((d) => ['-isystem', d]);
  const out: Oracle[] = [{ who: 'clang', cc: 'clang-19', flags: ['-target', t.clangTriple, ...t.clangFlags, '-nostdinc', ...dirs] }];
  if (t.compiler === 'gcc' && t.gcc && l.gccFlags && hasCommand(t.gcc.command)) {
    out.push({ who: 'gcc', cc: t.gcc.command, flags: [...t.gcc.flags, ...l.gccFlags] });
  }
  return out;
}

/** The compiler's final object-like macro names (`-dM -E` on the TU, or on an empty file). */
async function compilerMacros(o: Oracle, tu: string): Promise<string[]> {
  const { stdout } = await run(o.cc, [...o.flags, '-std=gnu17', '-dM', '-E', '-x', 'c', tu], { maxBuffer: 1 << 28 });
  const out: string[] = [];
  for (const line of stdout.split('\n')) {
    const m = /^#define ([A-Za-z_]\w*)(\(| |$)/.exec(line);
    if (m && m[2] !== '(') out.push(m[1]!);
  }
  return out;
}

async function compile(o: Oracle, file: string, mode: '-fsyntax-only' | '-c', out?: string): Promise<{ ok: boolean; stderr: string }> {
  const args = [...o.flags, '-std=gnu17', '-O0', '-w', mode, file, ...(out ? ['-o', out] : [])];
  if (o.cc.startsWith('clang')) args.push('-ferror-limit=0');
  try {
    await run(o.cc, args, { maxBuffer: 1 << 28 });
    return { ok: true, stderr: '' };
  } catch (e) {
    return { ok: false, stderr: String((e as { stderr?: string }).stderr ?? '') };
  }
}

/** Error lines the compiler reports in `file` itself (1-based). */
function errorLines(stderr: string, file: string): Set<number> {
  const out = new Set<number>();
  const esc = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(`^${esc}:(\\d+):\\d+: (?:fatal )?error`, 'gm');
  for (const m of stderr.matchAll(re)) out.add(Number(m[1]));
  // gcc reports an error inside a macro at its definition, with the use site in a note (-w
  // leaves no other diagnostics those notes could belong to).
  const re2 = new RegExp(`^${esc}:(\\d+):\\d+: note: in expansion of macro`, 'gm');
  for (const m of stderr.matchAll(re2)) out.add(Number(m[1]));
  return out;
}

interface Probe {
  names: string[];
  values: Map<string, { value: bigint; type: string }>;
  dropped: number;
}

/** Ask the compiler for the value and type of every candidate it accepts as an integer constant. */
async function probe(o: Oracle, tuSource: string, candidates: string[], tag: string, little: boolean): Promise<Probe> {
  const head = `${readFileSync(tuSource, 'utf8')}\n${TYPE_CODE}\n`;
  const base = head.split('\n').length - 1; // lines before the first candidate line
  const file = join(work, `${tag}-probe.c`);
  let names = [...candidates];
  const initial = names.length;
  for (let iter = 0; iter < 40; iter++) {
    const body = names.map((n) => `_Static_assert(PORTABI_TYPE_CODE(${n}) != 0 && ((${n}) || 1), "");`).join('\n');
    writeFileSync(file, head + body + '\n');
    const r = await compile(o, file, '-fsyntax-only');
    if (r.ok) break;
    const bad = [...errorLines(r.stderr, file)].filter((l) => l > base).map((l) => l - base - 1);
    if (bad.length === 0) throw new Error(`${tag}: probe fails outside the candidate lines:\n${r.stderr.slice(0, 3000)}`);
    const drop = new Set(bad);
    names = names.filter((_, i) => !drop.has(i));
  }
  const obj = join(work, `${tag}-probe.o`);
  for (let iter = 0; ; iter++) {
    const items = names.map((n) => `(unsigned long long)(${n}), PORTABI_TYPE_CODE(${n})`).join(',\n');
    writeFileSync(file, `${head}const unsigned long long portabi_v[] = {\n${items}\n};\n`);
    const r = await compile(o, file, '-c', obj);
    if (r.ok) break;
    // gcc folds some `_Static_assert` operands it then refuses as initializers
    // ("initializer element is not constant ... near initialization for 'portabi_v[N]'").
    const bad = new Set([...r.stderr.matchAll(/near initialization for 'portabi_v\[(\d+)\]'/g)].map((m) => Math.floor(Number(m[1]) / 2)));
    if (bad.size === 0 || iter > 10) throw new Error(`${tag}: probe object fails:\n${r.stderr.slice(0, 3000)}`);
    names = names.filter((_, i) => !bad.has(i));
  }
  const bytes = readSymbolBytes(new Uint8Array(readFileSync(obj)), 'portabi_v').bytes;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values = new Map<string, { value: bigint; type: string }>();
  names.forEach((n, i) => {
    values.set(n, { value: dv.getBigUint64(16 * i, little), type: KINDS[Number(dv.getBigUint64(16 * i + 8, little)) - 1] ?? '?' });
  });
  return { names, values, dropped: initial - names.length };
}

function portabiConstants(tuSource: string, t: Target, o: Oracle, dirs: string[]) {
  // portabi sees the oracle's predefined set (clang's or gcc's) and its include search list.
  const pre = o.who === 'gcc' ? t.predefinedFiles.gcc : t.predefinedFiles.clang;
  const tt: Target = { ...t, predefinedFile: pre ?? t.predefinedFile, systemIncludes: [] };
  const fe = runFrontEnd(emptyInput({ headers: [tuSource], target: t.name, systemIncludePaths: dirs }), tt);
  const ctx = createAbiContext(fe.ir, tt);
  const values = evaluateMacros(ctx, { guessInitializerTypes: true });
  return { fe, values };
}

mkdirSync(work, { recursive: true });

describe('integer constants of real libc headers equal the compiler\'s value and type', () => {
  for (const l of LIBCS) {
    for (const tn of l.targets) {
      const t = loadT(tn);
      for (const o of oraclesFor(l, t)) {
        const tag = `${l.name}-${tn}-${o.who}`;
        it.concurrent(`${l.name} × ${tn} (${o.cc})`, async () => {
          const dc: DeclCorpus = { name: tag, cc: o.cc, flags: o.flags, astFlags: [], includeRoot: l.root };
          // The header list starts from the corpus's public headers as abi-tu.ts builds them once
          // per corpus (shared with the records test); buildCorpusTU then drops, by the oracle's
          // own errors, any that do not compile together for this target and compiler.
          const ownCache = join(work, `${tag}-headers.json`);
          if (!existsSync(ownCache)) {
            await corpusTU(l.corpus);
            const shared = JSON.parse(readFileSync(join(tmpdir(), 'portabi-abi-tu', `${l.corpus}-headers.json`), 'utf8')) as { all: string[]; headers: string[] };
            const headers = shared.headers.filter((h) => !h.startsWith('c++/'));
            writeFileSync(ownCache, JSON.stringify({ all: shared.all, headers, dropped: [] }));
          }
          const tu = await buildCorpusTU(dc, work);
          const dirs = includeDirs({ name: tag, target: tn, root: l.root, compiler: o.cc, flags: o.flags }).system;
          const { fe, values } = portabiConstants(tu.source, t, o, dirs);
          const enumerators = Object.entries(values.constants).filter(([, c]) => c.source === 'enumerator').map(([n]) => n);
          // The compiler's predefined macros are target facts (targets/predefined/*.h), not the
          // headers' constants: the model lists only macros the headers define.
          const predefined = new Set(await compilerMacros(o, '/dev/null'));
          const macros = (await compilerMacros(o, tu.source)).filter((n) => !predefined.has(n) || values.macros[n]);
          const macroSet = new Set(macros);
          const candidates = [...new Set([...macros, ...enumerators.filter((e) => !macroSet.has(e))])]
            .filter((n) => !n.startsWith('PORTABI_'));
          const p = await probe(o, tu.source, candidates, tag, t.endian === 'little');
          const mismatches: string[] = [];
          for (const n of p.names) {
            const want = p.values.get(n)!;
            const got = values.constants[n];
            if (!got) {
              const m = values.macros[n];
              mismatches.push(`${n}: compiler ${want.value} (${want.type}), portabi ${m ? `${m.class}${m.detail ? `: ${m.detail}` : ''}` : 'absent'}`);
              continue;
            }
            const gv = BigInt.asUintN(64, BigInt(got.value));
            if (gv !== want.value || got.type !== want.type) {
              mismatches.push(`${n}: compiler ${want.value} (${want.type}), portabi ${gv} (${got.type})`);
            }
          }
          const okN = p.names.length - mismatches.length;
          console.log(`${tag}: ${okN}/${p.names.length} constants agree (${tu.headers.length} headers, ${p.dropped} candidates not integer constants, ${fe.diagnostics.length} diagnostics)`);
          writeFileSync(join(work, `${tag}-mismatches.txt`), mismatches.join('\n') + '\n');
          expect(mismatches.slice(0, 60).join('\n')).toBe('');
        }, 300_000);
      }
    }
  }
});
