// Acceptance measurement "real crate against real headers": Debian's libc crate
// (librust-libc-dev) imported for a Rust triple, checked against the C library's public
// headers for the matching target. Prints matched / mismatched / sign / missing / unresolved
// item counts per pair and every mismatch (kind, item, field, expected vs actual).
//
// Asserted: fewer than 2% of the profile's items unresolved, and `portabi probe --verify-with
// clang-19 -target …` on the headers' ABI (every size, alignment, field offset and width,
// constant, prototype and initializer portabi computed for the TU) compiles cleanly, every
// check passing; the number of checks is printed. Mismatch counts are measured and
// printed only: many are the TU's composition (it includes kernel <asm/…>/<linux/…> headers
// whose definitions of struct stat, NCCS, SYS_* … replace glibc's), some are the crate's
// (older kernel constants, signedness of 32-bit magic numbers, execv's const char *const *).
//
// Headers: musl, the declaration-completeness TU (decl-corpora.ts). glibc (armhf and x86_64):
// the armhf corpus's public headers (kept and dropped), restricted to those present for the
// target, glibc's before the kernel's <asm/…>, <linux/…>, recompiled together by clang-19 for the
// target, dropping what conflicts (see glibcHeaders).
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../../src/check/check.js';
import type { Finding } from '../../src/check/finding.js';
import { generateProbe, verifyProbe, writeProbe } from '../../src/check/probe.js';
import type { Profile } from '../../src/check/profile-types.js';
import { importRustLibc } from '../../src/check/rust-libc/import.js';
import { computeAbi, emptyInput } from '../../src/pipeline.js';
import { corpusTU } from '../corpus/abi-tu.js';
import { compileTogether, toolAvailable } from '../corpus/decl-corpora.js';

const REGISTRY = '/usr/share/cargo/registry';
const crateDir = existsSync(REGISTRY)
  ? readdirSync(REGISTRY).filter((d) => /^libc-0\.2\.\d+$/.test(d)).map((d) => `${REGISTRY}/${d}`).sort().pop()
  : undefined;
const CLANG_INCLUDE = '/usr/lib/llvm-19/lib/clang/19/include';
const WORK = join(tmpdir(), 'portabi-real-crate');

interface Pair {
  rustTriple: string;
  target: string;
  /** System include dirs, in search order (portabi and clang alike). */
  dirs: string[];
  /** The TU's headers (#include <h> lines). */
  headers: () => Promise<string[]>;
  available: boolean;
}

/** Kernel uapi headers: their struct stat, struct termios, struct ipc_perm, __NR_* (asm-generic)
 *  … conflict with glibc's <sys/stat.h>, <termios.h>, <sys/ipc.h>, <asm/unistd.h>. */
const isKernel = (h: string) => /^(asm|asm-generic|linux)\//.test(h);

/** glibc's public headers (the armhf declaration corpus: those that compile on their own), the C
 *  library's first, compiled together for the target so that a conflict drops the kernel header
 *  (the later one), not glibc's. (decl-corpora's alphabetical order keeps <asm/stat.h> and drops
 *  <sys/stat.h>, which would measure the crate against the kernel's struct stat.) */
async function glibcHeaders(name: string, target: string, dirs: string[]): Promise<string[]> {
  const tu = await corpusTU('glibc');
  const hs = [...tu.headers, ...tu.dropped]
    // <asm-generic/unistd.h> is the syscall table of the asm-generic arches (aarch64, riscv),
    // not armhf's or x86_64's: included, it redefines every __NR_* (hence SYS_*) without error.
    .filter((h) => !h.startsWith('c++/') && h !== 'asm-generic/unistd.h' && dirs.some((d) => existsSync(join(d, h))))
    .sort((a, b) => Number(isKernel(a)) - Number(isKernel(b)) || (a < b ? -1 : a > b ? 1 : 0));
  mkdirSync(WORK, { recursive: true });
  const flags = ['-target', target, '-nostdinc', '-isystem', CLANG_INCLUDE, ...dirs.flatMap((d) => ['-isystem', d])];
  return (await compileTogether('clang-19', flags, [...new Set(hs)], join(WORK, `${name}-headers.c`))).headers;
}

const PAIRS: Pair[] = [
  {
    rustTriple: 'arm-unknown-linux-gnueabihf',
    target: 'armv7-unknown-linux-gnueabihf',
    dirs: [CLANG_INCLUDE, '/usr/arm-linux-gnueabihf/include'],
    headers: () => glibcHeaders('glibc-armhf', 'armv7-unknown-linux-gnueabihf', ['/usr/arm-linux-gnueabihf/include']),
    available: existsSync('/usr/arm-linux-gnueabihf/include/stdio.h'),
  },
  {
    rustTriple: 'x86_64-unknown-linux-gnu',
    target: 'x86_64-unknown-linux-gnu',
    dirs: [CLANG_INCLUDE, '/usr/include/x86_64-linux-gnu', '/usr/include'],
    headers: () => glibcHeaders('glibc-x86_64', 'x86_64-unknown-linux-gnu', ['/usr/include/x86_64-linux-gnu', '/usr/include']),
    available: existsSync('/usr/include/x86_64-linux-gnu/bits/types.h') && existsSync('/usr/arm-linux-gnueabihf/include/stdio.h'),
  },
  {
    rustTriple: 'x86_64-unknown-linux-musl',
    target: 'x86_64-unknown-linux-musl',
    dirs: ['/usr/include/x86_64-linux-musl', CLANG_INCLUDE],
    headers: async () => (await corpusTU('musl')).headers,
    available: existsSync('/usr/include/x86_64-linux-musl/stdio.h'),
  },
];

const MISMATCH_KINDS = new Set(['size', 'align', 'offset', 'field-size', 'value', 'bytes', 'signature']);

interface Counts {
  items: number;
  matched: number;
  mismatched: number;
  /** Present, no mismatch, but a profile field not found by name (opaque/private padding
   *  named differently: the crate's `size` vs glibc's `__size`). */
  fieldMissing: number;
  /** Constants that are the same bits in the crate's type, read with the other sign. */
  sign: number;
  missing: number;
  unresolved: number;
}

/** Per profile item: unresolved, else missing (the item itself), else mismatched (any
 *  size/align/offset/field-size/value/bytes/signature finding), else fieldMissing (a profile
 *  field not in the headers' record), else matched. */
function countItems(profile: Profile, findings: Finding[]): Counts {
  const names = new Set([
    ...Object.keys(profile.types),
    ...Object.keys(profile.constants),
    ...Object.keys(profile.initializers),
    ...Object.keys(profile.functions),
    ...profile.unresolved.map((u) => u.item),
  ]);
  type State = 'unresolved' | 'missing' | 'mismatched' | 'sign' | 'fieldMissing';
  const state = new Map<string, State>();
  const rank = { fieldMissing: 0, sign: 1, mismatched: 2, missing: 3, unresolved: 4 } as const;
  const set = (item: string, s: State) => {
    const cur = state.get(item);
    if (!cur || rank[s] > rank[cur]) state.set(item, s);
  };
  for (const f of findings) {
    // Findings name a type by its C spelling (`struct stat`); the profile by its key.
    const item = names.has(f.item) ? f.item : f.item.replace(/^(struct|union|enum) /, '');
    names.add(item);
    if (f.kind === 'unresolved') set(item, 'unresolved');
    else if (f.kind === 'missing' && !f.field) set(item, 'missing');
    else if (f.kind === 'missing') set(item, 'fieldMissing');
    else if (f.kind === 'sign') set(item, 'sign');
    else if (MISMATCH_KINDS.has(f.kind)) set(item, 'mismatched');
  }
  const c: Counts = { items: names.size, matched: 0, mismatched: 0, fieldMissing: 0, sign: 0, missing: 0, unresolved: 0 };
  for (const n of names) {
    const s = state.get(n);
    if (s) c[s]++;
    else c.matched++;
  }
  return c;
}

describe.skipIf(!crateDir || !toolAvailable('clang-19'))('real libc crate against real headers', () => {
  const table: string[] = [];

  for (const pair of PAIRS) {
    it.skipIf(!pair.available)(`${pair.rustTriple} vs ${pair.target}`, async () => {
      const { profile, stats } = importRustLibc(crateDir!, pair.rustTriple);
      expect(stats.unresolved / stats.items).toBeLessThan(0.02);

      const headers = await pair.headers();
      mkdirSync(WORK, { recursive: true });
      const source = join(WORK, `${pair.rustTriple}-tu.c`);
      const { writeFileSync } = await import('node:fs');
      writeFileSync(source, headers.map((h) => `#include <${h}>\n`).join(''));
      const abi = computeAbi(emptyInput({ headers: [source], target: pair.target, systemIncludePaths: pair.dirs }));
      if (!abi.ok) throw new Error(abi.diagnostics.map((d) => d.message).join('; '));
      const findings = checkModel(abi.value.model, profile, { scalars: abi.value.target.scalars });
      const c = countItems(profile, findings);
      expect(c.unresolved / c.items).toBeLessThan(0.02);

      const mismatches = findings.filter((f) => MISMATCH_KINDS.has(f.kind) || f.kind === 'sign' || (f.kind === 'missing' && f.field));
      const lines = mismatches.map(
        (f) => `  ${f.kind} ${f.item}${f.field ? '.' + f.field : ''}: expected ${f.expected ?? '-'} actual ${f.actual ?? '-'}`,
      );

      // The headers' ABI as a probe, compiled by clang-19 for the target with the same include
      // dirs: every number portabi computed for this TU, confirmed by the compiler.
      const t = abi.value.target;
      const probeFile = join(WORK, `${pair.rustTriple}-probe.c`);
      const probe = generateProbe(abi.value.model, undefined, { includes: [source], endian: t.endian });
      writeProbe(probeFile, probe);
      const v = await verifyProbe(probeFile, 'clang-19', ['-target', t.clangTriple, ...t.clangFlags, '-nostdinc', ...pair.dirs.flatMap((d) => ['-isystem', d])]);
      const failed = v.results.filter((r) => r.status !== 'pass');
      const byKind = new Map<string, number>();
      for (const r of v.results) byKind.set(r.kind, (byKind.get(r.kind) ?? 0) + 1);
      const probeRow = `  probe (clang-19 -target ${t.clangTriple}): ${v.results.length - failed.length}/${v.results.length} checks passed (${[...byKind].map(([k, n]) => `${k} ${n}`).join(', ')})`;
      const row = `${pair.rustTriple} vs ${pair.target} (${headers.length} headers): items ${c.items}, matched ${c.matched}, mismatched ${c.mismatched}, sign ${c.sign}, field-missing ${c.fieldMissing}, missing ${c.missing}, unresolved ${c.unresolved}\n${probeRow}`;
      table.push(row);
      console.log(`${row}\n${lines.join('\n')}`);
      for (const f of failed.slice(0, 50)) console.log(`  probe ${f.status}: ${f.kind} ${f.item}${f.field ? '.' + f.field : ''}: expected ${f.expected}${f.actual !== undefined ? `, clang says ${f.actual}` : ''}${f.message ? ` (${f.message})` : ''}`);
      for (const u of v.unattributed.slice(0, 10)) console.log(`  probe: ${u}`);
      expect(v.results.length).toBeGreaterThan(1000);
      expect(failed.map((f) => `${f.kind} ${f.item}${f.field ? '.' + f.field : ''}`)).toEqual([]);
      expect(v.unattributed).toEqual([]);
    }, 600_000);
  }

  it('summary', () => {
    console.log(table.join('\n'));
  });
});
