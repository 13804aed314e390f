// Check benchmark: `portabi check` against `clang-19 -fsyntax-only` on the same headers (the
// least a compiler does to know the same declarations), whole process, startup included; then
// what each extra configuration of `--config-matrix` costs.
//
//   npx tsx bench/check.ts [--runs N]   (default 10 runs; needs dist/, clang-19 and, for the
//                                        profiles, Debian's librust-libc-dev)
//
// 1. The example: examples/nuttx-like (8 headers, stm32 defconfig, thumbv7em-none-eabi) against
//    the Rust libc crate's arm-unknown-linux-gnueabihf profile with --scope headers; clang-19
//    compiles a TU including the same headers with the defconfig's options as -D.
// 2. Real libcs: the bench TUs of glibc armhf and musl (bench/common.ts) against the crate's
//    arm-unknown-linux-gnueabihf and x86_64-unknown-linux-musl profiles.
// 3. The matrix: the same check with 1, 2 and 4 configurations; the cost per extra
//    configuration is (t(4) - t(1)) / 3, shown next to a single check's time. In process, for
//    the glibc TU: computeAbi per configuration with and without the shared work
//    (src/pipeline.ts SharedWork: target and tokenized files).
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseKconfig } from '../src/parse/kconfig.js';
import { computeAbi, emptyInput, sharedWork } from '../src/pipeline.js';
import { BENCH_CORPORA, PORTABI, ROOT, WORK, buildBenchTU, median, ms, ratio, requireBuilt, runsArg, table, time, type Command, type Timing } from './common.js';

requireBuilt();
const n = runsArg();
const REGISTRY = '/usr/share/cargo/registry';
const crate = existsSync(REGISTRY)
  ? readdirSync(REGISTRY).filter((d) => /^libc-0\.2\.\d+$/.test(d)).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop())).map((d) => join(REGISTRY, d)).pop()
  : undefined;
if (!crate) {
  console.log('bench/check.ts needs the Rust libc crate: sudo apt-get install librust-libc-dev');
  process.exit(0);
}
mkdirSync(WORK, { recursive: true });

function profileFor(triple: string): string {
  const out = join(WORK, `rust-libc-${triple}.yaml`);
  execFileSync(process.execPath, [PORTABI, 'profile', 'from-rust-libc', crate!, '-t', triple, '-o', out], { stdio: ['ignore', 'ignore', 'ignore'] });
  return out;
}

const check = (label: string, headers: string[], flags: string[], profile: string, extra: string[] = []): Command => ({
  label,
  cmd: process.execPath,
  args: [PORTABI, 'check', ...headers, ...flags, '--profile', profile, '--format', 'json', '--fail-on', 'none', ...extra],
});
// cold: --no-cache (profile parsed, model computed); warm: the cache the untimed warm-up fills.
const cold = ['--no-cache'];
const warm = ['--cache-dir', join(WORK, 'check-cache')];
const clangCmd = (label: string, flags: string[], file: string): Command => ({ label, cmd: 'clang-19', args: [...flags, '-w', '-fsyntax-only', file] });

console.log(`whole process, startup included, median of ${n} runs (crate ${crate})\n`);
const rows: string[][] = [];
const errors: string[] = [];
const note = (t: Timing) => {
  if (t.error) errors.push(`${t.label}: ${t.error}`);
  return t;
};

// ---- 1. the example ------------------------------------------------------------------------
const ex = join(ROOT, 'examples', 'nuttx-like');
const exHeaders = ['errno.h', 'fcntl.h', 'pthread.h', 'semaphore.h', 'time.h', 'sys/ioctl.h', 'sys/socket.h', 'sys/types.h'].map((h) => join(ex, 'include', h));
const armProfile = profileFor('arm-unknown-linux-gnueabihf');
const exFlags = ['-I', join(ex, 'include'), '-t', 'thumbv7em-none-eabi'];
const stm32 = join(ex, 'configs', 'stm32.config');
const exTU = join(WORK, 'nuttx-like-check.c');
writeFileSync(exTU, exHeaders.map((h) => `#include "${h}"\n`).join(''));
const configDefines = (file: string) => parseKconfig(readFileSync(file, 'latin1'), file, []).flatMap((e) => (e.value === null ? [] : [`-D${e.name}=${e.value}`]));
const exClang = ['-target', 'thumbv7em-none-eabi', '-mcpu=cortex-m4', '-mfloat-abi=soft', '-fshort-enums', '-I', join(ex, 'include'), ...configDefines(stm32)];
{
  const p = note(time(check('portabi check (example)', exHeaders, [...exFlags, '--config', stm32], armProfile, ['--scope', 'headers', ...cold]), n));
  const w = note(time(check('portabi check (example, warm)', exHeaders, [...exFlags, '--config', stm32], armProfile, ['--scope', 'headers', ...warm]), n));
  const c = note(time(clangCmd('clang-19 -fsyntax-only (example)', exClang, exTU), n));
  rows.push(['nuttx-like (stm32)', 'thumbv7em-none-eabi', 'arm-unknown-linux-gnueabihf', String(exHeaders.length), ms(p.ms), ms(w.ms), ms(c.ms), ratio(p.ms, c.ms), ratio(w.ms, c.ms)]);
}

// ---- 2. real libcs ---------------------------------------------------------------------------
const libcs = [
  { corpus: 'glibc', triple: 'arm-unknown-linux-gnueabihf', profile: armProfile },
  { corpus: 'musl', triple: 'x86_64-unknown-linux-musl', profile: profileFor('x86_64-unknown-linux-musl') },
];
const tus = new Map<string, Awaited<ReturnType<typeof buildBenchTU>>>();
for (const l of libcs) {
  const c = BENCH_CORPORA.find((x) => x.name === l.corpus)!;
  const tu = await buildBenchTU(c);
  tus.set(l.corpus, tu);
  const flags = [...c.isystem.flatMap((d) => ['--isystem', d]), '-t', c.target];
  const p = note(time(check(`portabi check (${l.corpus})`, [tu.path], flags, l.profile, cold), n));
  const w = note(time(check(`portabi check (${l.corpus}, warm)`, [tu.path], flags, l.profile, warm), n));
  const s = note(time(clangCmd(`clang-19 -fsyntax-only (${l.corpus})`, c.clangFlags, tu.path), n));
  rows.push([l.corpus, c.target, l.triple, String(tu.headers.length), ms(p.ms), ms(w.ms), ms(s.ms), ratio(p.ms, s.ms), ratio(w.ms, s.ms)]);
}
console.log(table(['headers', 'target', 'profile (Rust libc)', 'files', 'check cold ms', 'check warm ms', 'clang -fsyntax-only ms', 'cold/clang', 'warm/clang'], rows));

// ---- 3. the matrix ---------------------------------------------------------------------------
// Configurations: the example's two defconfigs, and copies under other names (the same work).
function configDir(name: string, count: number, sources: string[]): string {
  const dir = join(WORK, `matrix-${name}-${count}`);
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (f.endsWith('.config')) writeFileSync(join(dir, f), '');
  for (let k = 0; k < count; k++) copyFileSync(sources[k % sources.length]!, join(dir, `c${k}.config`));
  return dir;
}
const exConfigs = [join(ex, 'configs', 'sim.config'), stm32];
// glibc has no CONFIG_ options: each configuration defines one that nothing tests.
const emptyConfigs = [0, 1, 2, 3].map((k) => {
  const f = join(WORK, `unused-${k}.config`);
  writeFileSync(f, `CONFIG_PORTABI_BENCH_${k}=y\n`);
  return f;
});
const mrows: string[][] = [];
for (const m of [
  { name: 'nuttx-like', headers: exHeaders, flags: exFlags, profile: armProfile, configs: exConfigs, extra: ['--scope', 'headers'] },
  {
    name: 'glibc',
    headers: [tus.get('glibc')!.path],
    flags: [...BENCH_CORPORA.find((x) => x.name === 'glibc')!.isystem.flatMap((d) => ['--isystem', d]), '-t', 'armv7-unknown-linux-gnueabihf'],
    profile: armProfile,
    configs: emptyConfigs,
    extra: [],
  },
]) {
  const t: Record<number, number | null> = {};
  for (const count of [1, 2, 4]) {
    const dir = configDir(m.name, count, m.configs);
    t[count] = note(time(check(`portabi check --config-matrix ×${count} (${m.name})`, m.headers, m.flags, m.profile, [...m.extra, ...cold, '--config-matrix', dir]), n)).ms;
  }
  const per = t[1] !== null && t[4] !== null ? (t[4]! - t[1]!) / 3 : null;
  mrows.push([m.name, ms(t[1]!), ms(t[2]!), ms(t[4]!), ms(per), per !== null && t[1] ? `${((100 * per) / t[1]!).toFixed(0)}%` : '-']);
}
console.log('');
console.log(table(['matrix', '1 config ms', '2 configs ms', '4 configs ms', 'per extra config ms', 'of one check'], mrows));

// In process: what the shared work saves per configuration (glibc TU, 4 configurations).
{
  const c = BENCH_CORPORA.find((x) => x.name === 'glibc')!;
  const input = emptyInput({ headers: [tus.get('glibc')!.path], target: c.target, systemIncludePaths: c.isystem });
  const runs = Math.min(n, 3);
  const measure = (shared: boolean): number => {
    const all: number[] = [];
    for (let r = 0; r < runs; r++) {
      const s = shared ? sharedWork() : undefined;
      const each: number[] = [];
      for (const cfg of emptyConfigs) {
        const t0 = process.hrtime.bigint();
        const res = computeAbi({ ...input, configFiles: [cfg] }, { guessInitializerTypes: true }, s);
        if (!res.ok) throw new Error(res.diagnostics.map((d) => d.message).join('; '));
        each.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
      all.push(median(each.slice(1))); // the configurations after the first
    }
    return median(all);
  };
  const without = measure(false);
  const withShared = measure(true);
  console.log(`\nin process, glibc TU, each configuration after the first (median of ${runs}): ${without.toFixed(0)} ms without shared work, ${withShared.toFixed(0)} ms with (target and tokenized files shared: ${(100 * (1 - withShared / without)).toFixed(0)}% less)`);
}
for (const e of errors) console.log(`  ! ${e}`);
