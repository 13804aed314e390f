// End to end for `runs-on: isr`: the callback-lib fixture's section 8 calls its callbacks from a
// SIGALRM handler (async-signal context, interrupting the JS thread). portabi gen writes the C
// shim, builds it with cc (isr-shim: cc:), and the generated TypeScript passes the shim's
// producers to C and drains their rings. Expected values come from callback_lib.h/.c, by hand.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runGen } from '../../src/generate/ts/gen.js';
import { buildCallbackLibrary, CALLBACK_LIB, generateProject, generateTwice, importGenerated, removeDirs, run, sleep, tsc as tscIn, TSC_FLAGS, until } from '../helpers/generate.js';

const PREFIX = 'callback_lib_isr_shim'; // the default prefix: the shim file's stem
let libDir: string;
let work: string;
let libPath: string;
let shimC: string;
let shimH: string;
let shimLib: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let m: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let lib: any;

const ASYNC = `async:
  cbl_adc_convert:
    scope: once
    runs-on: isr
    cancel: cbl_adc_cancel
    result: sample
  cbl_sampler_start:
    scope: stream
    runs-on: isr
    cancel: cbl_sampler_stop
    done: last
    queue: 8
    result: { seq: seq, sample: sample }
  cbl_irq_burst:
    scope: call
    runs-on: isr
    queue: 32
    result: { seq: seq, sample: sample }
  cbl_const_burst:
    scope: call
    runs-on: isr
    queue: 4
    result: value
`;

function yaml(): string {
  return `headers: [include/callback_lib.h]
target: x86_64-unknown-linux-gnu
outputs:
  - lang: ts
    path: gen/callback_lib.ts
    library: ${JSON.stringify(libPath)}
isr-shim:
  path: gen/callback_lib_isr_shim.c
  cc: cc
  cflags: [-O2, -Wall, -Wextra, -Werror]
${ASYNC}`;
}

const tsc = (args: string[]): { status: number | null; out: string } => tscIn(work, args);
const cc = (compiler: string, args: string[]): { status: number | null; out: string } => run(compiler, args, { cwd: work });

/** Waits until no late event has been dropped for 50 ms (earlier tests' stragglers), so that
 *  a test can count its own. */
async function quiet(): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const d = m.runtimeStats().dropped;
    await sleep(50);
    if (m.runtimeStats().dropped === d) return;
  }
}

/** A directory under `work` with its own portabi.yaml over the same header. */
function project(name: string, text: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'portabi.yaml'), text);
  return dir;
}

beforeAll(async () => {
  ({ dir: libDir, path: libPath } = buildCallbackLibrary('portabi-isr-'));
  work = resolve(__dirname, `.isr-work-${process.pid}`);
  generateProject(work, [join(CALLBACK_LIB, 'callback_lib.h')], yaml());
  shimC = join(work, 'gen', 'callback_lib_isr_shim.c');
  shimH = join(work, 'gen', 'callback_lib_isr_shim.h');
  shimLib = join(work, 'gen', 'libcallback_lib_isr_shim.so');
  ({ m, lib } = await importGenerated(join(work, 'gen', 'callback_lib.ts')));
});

afterAll(() => removeDirs(work, libDir));

describe('the generated C shim', () => {
  test('portabi gen wrote the .c and .h and built the shared library with cc', () => {
    expect(existsSync(shimC)).toBe(true);
    expect(existsSync(shimH)).toBe(true);
    expect(existsSync(shimLib)).toBe(true);
    const h = readFileSync(shimH, 'utf8');
    // A producer of exactly the callback's prototype, per start function (header lines 8-9).
    expect(h).toContain(`void ${PREFIX}_cbl_adc_convert_isr(void *user, uint32_t channel, int32_t sample, uint32_t seq, int last);`);
    expect(h).toContain(`cbl_irq_handler ${PREFIX}_cbl_adc_convert_pointer(void);`);
    // Capacities: queue 8 and 32 as given, the default 1024 (DEFAULT_QUEUE_CAPACITY) for adc.
    expect(h).toMatch(/cbl_sampler_start: a ring of 8 events/);
    expect(h).toMatch(/cbl_irq_burst: a ring of 32 events/);
    expect(h).toMatch(/cbl_adc_convert: a ring of 1024 events/);
  });

  test('compiles with cc -Wall -Wextra -Werror, also as strict ISO C11', () => {
    const out = join(work, 'shim-host.o');
    for (const extra of [[], ['-std=c11', '-Wpedantic']]) {
      const r = cc('cc', ['-Wall', '-Wextra', '-Werror', ...extra, '-c', '-o', out, shimC]);
      expect(r.out).toBe('');
      expect(r.status).toBe(0);
    }
  });

  test('parameters const through a typedef become plain members (the pointee keeps its const)', () => {
    // cbl_const_reg is `const int32_t`, cbl_const_tag `const char *const`: the producer assigns
    // them to the event record, so its members are `int32_t` and `const char *` (the build
    // above, with -Werror, rejects a const member or a dropped pointee const).
    const h = readFileSync(shimH, 'utf8');
    expect(h).toMatch(/^ {2}int32_t value;$/m);
    expect(h).toMatch(/^ {2}const char \*tag;$/m);
    expect(lib.cbl_const_burst_async(-7)).toEqual([-7]); // handler(user, value, "const") once
  });

  test('the producer has exactly the callback type (assigning it to a cbl_irq_handler is clean)', () => {
    const t = join(work, 'proto-check.c');
    writeFileSync(t, `#include "gen/callback_lib_isr_shim.h"\ncbl_irq_handler const a = ${PREFIX}_cbl_adc_convert_isr, b = ${PREFIX}_cbl_sampler_start_isr, c = ${PREFIX}_cbl_irq_burst_isr;\n`);
    const r = cc('cc', ['-Wall', '-Wextra', '-Werror', '-std=c11', '-Wpedantic', '-c', '-o', join(work, 'proto-check.o'), t]);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  test('bare metal: arm-none-eabi-gcc -mcpu=cortex-m4 -mthumb -c compiles it; no libc calls, no atomic library calls, a weak notify hook', () => {
    const out = join(work, 'shim-m4.o');
    const r = cc('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-O2', '-Wall', '-Wextra', '-Werror', '-std=c11', '-c', '-o', out, shimC]);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
    const nm = execFileSync('arm-none-eabi-nm', [out], { encoding: 'utf8' });
    // Not hosted (no __unix__): no pipe/write; lock-free atomics inline (LDREX/STREX), so no
    // undefined symbol at all (no __atomic_* helpers, no locks).
    expect(nm.split('\n').filter((l) => / U /.test(l))).toEqual([]);
    expect(nm).toMatch(new RegExp(` W ${PREFIX}_notify\\n`));
    expect(nm).toMatch(new RegExp(` T ${PREFIX}_cbl_adc_convert_isr\\n`));
  });

  test('hosted: the only functions the shim calls are pipe, fcntl, close and write', () => {
    const undef = execFileSync('nm', ['-u', '--format=just-symbols', shimLib], { encoding: 'utf8' })
      .split('\n')
      .map((l) => l.replace(/@.*/, '').trim())
      .filter((s) => s && !/^(_ITM_|__gmon_start__|__cxa_finalize)/.test(s));
    expect(undef.sort()).toEqual(['__errno_location', 'close', 'fcntl', 'pipe', 'write']);
  });
});

describe('runs-on isr wrappers: callbacks from a SIGALRM handler', () => {
  test('once: promises resolve with the sample the interrupt carried (channel * 100 + 7)', async () => {
    const fired = lib.cbl_irq_fired();
    await expect(lib.cbl_adc_convert_async(3, 2)).resolves.toBe(307);
    const all = await Promise.all([0, 1, 2, 3, 4, 5, 6, 7].map((c) => lib.cbl_adc_convert_async(c, 1)));
    expect(all).toEqual([7, 107, 207, 307, 407, 507, 607, 707]);
    // Nine interrupt handlers ran; no koffi callback was ever registered.
    expect(lib.cbl_irq_fired()).toBe(fired + 9);
    expect(m.runtimeStats().registered).toBe(0);
  });

  test('errno: channel 8 (>= CBL_ADC_CHANNELS) rejects with EINVAL at start', async () => {
    await expect(lib.cbl_adc_convert_async(8, 1)).rejects.toMatchObject({ code: 'EINVAL', errno: 22 });
  });

  test('stream: yields exactly the fired samples in order, ends on last', async () => {
    const got: { seq: number; sample: number }[] = [];
    for await (const e of lib.cbl_sampler_start_async(2, 5, 2)) got.push(e);
    // sample i = 2 * 1000 + i * i - 50
    expect(got).toEqual([
      { seq: 0, sample: 1950 },
      { seq: 1, sample: 1951 },
      { seq: 2, sample: 1954 },
      { seq: 3, sample: 1959 },
      { seq: 4, sample: 1966 },
    ]);
  });

  test('call: a burst of 32 interrupts inside the call (the ring holds 32) gives the 32 events', () => {
    const ev = lib.cbl_irq_burst_async(1, 32);
    expect(ev).toEqual(Array.from({ length: 32 }, (_, i) => ({ seq: i, sample: 0 - i || 0 }))); // -(int32_t)i; 0, not -0
  });

  test('overflow (call): 40 interrupts into a 32-event ring drop 8, counted, and the call throws IsrOverflowError', () => {
    const before = m.runtimeStats().isrDropped;
    let err: unknown = null;
    try {
      lib.cbl_irq_burst_async(1, 40);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(m.IsrOverflowError);
    expect(err).toMatchObject({ symbol: 'cbl_irq_burst', lost: 8, capacity: 32, code: 'ISR_OVERFLOW' });
    expect(m.runtimeStats().isrDropped).toBe(before + 8);
    // The ring works again afterwards.
    expect(lib.cbl_irq_burst_async(4, 3)).toEqual([
      { seq: 0, sample: 0 },
      { seq: 1, sample: -1 },
      { seq: 2, sample: -2 },
    ]);
  });

  test('overflow (stream): interrupts while the JS thread is busy fill the 8-event ring; the stream fails with IsrOverflowError and the sampler is stopped', async () => {
    const cancels = lib.cbl_cancel_calls();
    const before = m.runtimeStats().isrDropped;
    const it = lib.cbl_sampler_start_async(5, 100000, 1)[Symbol.asyncIterator]();
    const first = it.next(); // starts the sampler
    const t0 = Date.now();
    while (Date.now() - t0 < 150) {
      // busy: SIGALRM interrupts this loop ~150 times, the ring keeps 8
    }
    expect(await first).toEqual({ value: { seq: 0, sample: 4950 }, done: false }); // 5 * 1000 - 50
    const err = await it.next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(m.IsrOverflowError);
    expect(err.capacity).toBe(8);
    expect(err.lost).toBeGreaterThan(50);
    expect(m.runtimeStats().isrDropped).toBe(before + err.lost);
    expect(lib.cbl_cancel_calls()).toBe(cancels + 1); // cbl_sampler_stop
    expect(await it.next()).toEqual({ value: undefined, done: true });
    const fired = lib.cbl_irq_fired();
    await sleep(30);
    expect(lib.cbl_irq_fired()).toBe(fired); // stopped in C: no more interrupts
  });

  test('abort: calls cbl_adc_cancel, rejects with AbortError; the late interrupt is dropped', async () => {
    await quiet();
    const cancels = lib.cbl_cancel_calls();
    const late = lib.cbl_irq_late();
    const dropped = m.runtimeStats().dropped;
    const ac = new AbortController();
    let delivered = false;
    const p = lib.cbl_adc_convert_async(6, 200, { signal: ac.signal }).then(
      () => (delivered = true),
      (e: unknown) => e,
    );
    setTimeout(() => ac.abort(), 20);
    expect(await p).toBeInstanceOf(m.AbortError);
    expect(lib.cbl_cancel_calls()).toBe(cancels + 1);
    // A started conversion cannot be stopped: its interrupt still fires (callback_lib.h).
    await until(() => lib.cbl_irq_late() === late + 1);
    expect(lib.cbl_irq_late()).toBe(late + 1);
    await until(() => m.runtimeStats().dropped === dropped + 1);
    expect(m.runtimeStats().dropped).toBe(dropped + 1);
    expect(delivered).toBe(false);
  });

  test('timeoutMs: cancels and rejects with TimeoutError; its late interrupt is dropped too', async () => {
    await quiet();
    const late = lib.cbl_irq_late();
    const dropped = m.runtimeStats().dropped;
    const err = await lib.cbl_adc_convert_async(1, 100, { timeoutMs: 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(m.TimeoutError);
    await until(() => lib.cbl_irq_late() === late + 1 && m.runtimeStats().dropped === dropped + 1);
    expect(m.runtimeStats().dropped).toBe(dropped + 1);
  });

  test('nothing pending afterwards, keep-alive released', () => {
    expect(m.runtimeStats()).toMatchObject({ pending: 0, keepAlive: false, registered: 0 });
  });
});

describe('types and leaks', () => {
  test('tsc --noEmit --strict accepts the module; wrong use of the isr wrappers fails', () => {
    writeFileSync(
      join(work, 'use.ts'),
      `import { load } from './gen/callback_lib.js';
const lib = load();
const a: Promise<number> = lib.cbl_adc_convert_async(1, 2, { timeoutMs: 5 });
const b: AsyncIterable<{ seq: number; sample: number }> = lib.cbl_sampler_start_async(1, 2, 3);
const c: { seq: number; sample: number }[] = lib.cbl_irq_burst_async(1, 2);
// @ts-expect-error missing argument
void lib.cbl_adc_convert_async(1);
// @ts-expect-error the result is a number
const d: Promise<string> = lib.cbl_adc_convert_async(1, 2);
const e: number | bigint = lib.cbl_sum(2, ['int64_t', 1], ['int64_t', 2n]);
// @ts-expect-error a variadic argument is a [type, value] pair
lib.cbl_sum(1, 5);
void a; void b; void c; void d; void e;
`,
    );
    const r = tsc(['--noEmit', ...TSC_FLAGS, 'gen/callback_lib.ts', 'use.ts']);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  test('5,000 sequential and 1,000 concurrent interrupt-driven operations, streams and bursts: nothing left, the process exits by itself', () => {
    const c = tsc([...TSC_FLAGS, '--outDir', 'out', 'gen/callback_lib.ts']);
    expect(c.out).toBe('');
    writeFileSync(
      join(work, 'out', 'stress.mjs'),
      `import { load, runtimeStats } from './callback_lib.js';
const lib = load(undefined, ${JSON.stringify(shimLib)});
for (let i = 0; i < 5000; i++) {
  const v = await lib.cbl_adc_convert_async(i % 8, 0);
  if (v !== (i % 8) * 100 + 7) throw new Error('conversion ' + i + ' gave ' + v);
}
const all = await Promise.all(Array.from({ length: 1000 }, (_, i) => lib.cbl_adc_convert_async(i % 8, 1 + (i % 3))));
all.forEach((v, i) => { if (v !== (i % 8) * 100 + 7) throw new Error('concurrent ' + i); });
for (let s = 0; s < 20; s++) {
  let n = 0;
  for await (const e of lib.cbl_sampler_start_async(s % 8, 6, 0)) {
    if (e.seq !== n || e.sample !== (s % 8) * 1000 + n * n - 50) throw new Error('stream ' + s + ' event ' + n);
    n++;
  }
  if (n !== 6) throw new Error('stream ' + s + ' gave ' + n);
}
for (let b = 0; b < 300; b++) if (lib.cbl_irq_burst_async(b % 8, 32).length !== 32) throw new Error('burst ' + b);
const s = runtimeStats();
if (s.pending !== 0 || s.keepAlive || s.registered !== 0 || s.isrDropped !== 0 || s.dropped !== 0) throw new Error('leftovers: ' + JSON.stringify(s));
console.log(JSON.stringify({ ...s, fired: lib.cbl_irq_fired() }));
`,
    );
    const r = spawnSync(process.execPath, [join(work, 'out', 'stress.mjs')], { encoding: 'utf8', timeout: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull(); // not killed by the timeout: it exited on its own
    expect(r.status).toBe(0);
    // 5000 + 1000 conversions, 20 streams of 6, 300 bursts of 32
    expect(JSON.parse(r.stdout)).toEqual({ registered: 0, pending: 0, dropped: 0, keepAlive: false, queued: 0, isrDropped: 0, fired: 6000 + 120 + 9600 });
  });
});

describe('portabi gen and the shim', () => {
  test('output is byte-identical across runs, the shim included', () => {
    const [a, b] = generateTwice(work);
    expect(a.map((f) => f.path)).toEqual([shimH, shimC, join(work, 'gen', 'callback_lib.ts')]);
    expect(b).toEqual(a);
    for (const f of a) expect(readFileSync(f.path, 'utf8')).toBe(f.text);
    const again = runGen(work, {});
    expect(again.exitCode).toBe(0);
    expect(again.messages.filter((x) => /up to date/.test(x))).toHaveLength(4); // .h, .c, .ts, .so
  });

  test('--check covers the shim and its build: an edited shim, then a stale library, fail with exit 1', () => {
    expect(runGen(work, { check: true }).exitCode).toBe(0);
    const orig = readFileSync(shimC, 'utf8');
    writeFileSync(shimC, orig.replace('return n;', 'return n; /* edited */'));
    const r1 = runGen(work, { check: true });
    expect(r1.exitCode).toBe(1);
    expect(r1.messages.join('\n')).toMatch(/callback_lib_isr_shim\.c: out of date/);
    writeFileSync(shimC, orig); // same text, newer than the library
    const r2 = runGen(work, { check: true });
    expect(r2.exitCode).toBe(1);
    expect(r2.messages.join('\n')).toMatch(/libcallback_lib_isr_shim\.so: out of date \(not built from the current shim; portabi gen builds it with cc\)/);
    const g = runGen(work, {});
    expect(g.exitCode).toBe(0);
    expect(g.messages.join('\n')).toMatch(/libcallback_lib_isr_shim\.so: built with cc/);
    expect(runGen(work, { check: true }).exitCode).toBe(0);
  });

  test('--check: the library is out of date when a header included by a listed one changes (not only the listed ones)', () => {
    const dir = project('transitive', `headers: [include/wrap.h]\nisr-shim:\n  path: gen/t_shim.c\n  cc: cc\n${ASYNC}`);
    mkdirSync(join(dir, 'include'), { recursive: true });
    writeFileSync(join(dir, 'include', 'wrap.h'), '#include "callback_lib.h"\n');
    const inner = join(dir, 'include', 'callback_lib.h');
    writeFileSync(inner, readFileSync(join(CALLBACK_LIB, 'callback_lib.h')));
    expect(runGen(dir, {}).exitCode).toBe(0);
    expect(runGen(dir, { check: true }).exitCode).toBe(0);
    const later = new Date(Date.now() + 60_000);
    utimesSync(inner, later, later); // edited after the build; wrap.h and the shim's text are unchanged
    const r = runGen(dir, { check: true });
    expect(r.exitCode).toBe(1);
    expect(r.messages.join('\n')).toMatch(/t_shim\.so: out of date \(not built from the current shim/);
  });

  test('bare metal through portabi.yaml: cc arm-none-eabi-gcc with Cortex-M4 cflags and a .o library', () => {
    const dir = project(
      'bare',
      `headers: [../include/callback_lib.h]
isr-shim:
  path: shim/m4_shim.c
  library: shim/m4_shim.o
  cc: arm-none-eabi-gcc
  cflags: -mcpu=cortex-m4 -mthumb -O2 -Wall -Wextra -Werror
${ASYNC}`,
    );
    const r = runGen(dir, {});
    expect(r.messages.join('\n')).toMatch(/m4_shim\.o: built with arm-none-eabi-gcc/);
    expect(r.exitCode).toBe(0);
    expect(execFileSync('arm-none-eabi-objdump', ['-f', join(dir, 'shim', 'm4_shim.o')], { encoding: 'utf8' })).toMatch(/file format elf32-littlearm/);
    // The prefix is the stem: m4_shim_<symbol>_isr.
    expect(readFileSync(join(dir, 'shim', 'm4_shim.h'), 'utf8')).toContain('void m4_shim_cbl_irq_burst_isr(void *user, uint32_t channel, int32_t sample, uint32_t seq, int last);');
  });

  test('located errors: isr without isr-shim, string() results, unknown keys, a failing or missing compiler', () => {
    const noShim = project('noshim', `headers: [../include/callback_lib.h]\noutputs: [{ lang: ts, path: gen/x.ts }]\nasync:\n  cbl_adc_convert:\n    runs-on: isr\n`);
    const r1 = runGen(noShim, {});
    expect(r1.exitCode).toBe(2);
    expect(r1.messages).toContain(`${join(noShim, 'portabi.yaml')}:4:3: error: cbl_adc_convert: runs-on isr needs an 'isr-shim:' entry in portabi.yaml (path of the C shim to generate; cc and cflags to build it)`);

    const str = project('str', `headers: [../include/callback_lib.h]\nisr-shim: { path: s.c }\nasync:\n  cbl_set_log_handler:\n    scope: stream\n    runs-on: isr\n`);
    const r2 = runGen(str, {});
    expect(r2.exitCode).toBe(2);
    expect(r2.messages.join('\n')).toContain(
      `${join(str, 'portabi.yaml')}:4:3: error: cbl_set_log_handler: runs-on isr: result string(message) reads memory that is valid only while the interrupt handler runs`,
    );

    const unknown = project('unknown', `headers: [../include/callback_lib.h]\nisr-shim:\n  path: s.c\n  compiler: cc\n`);
    const r3 = runGen(unknown, {});
    expect(r3.exitCode).toBe(2);
    expect(r3.messages).toEqual([`${join(unknown, 'portabi.yaml')}:4:3: error: unknown key 'compiler' in isr-shim (known: path, prefix, library, cc, cflags)`]);

    const bad = project('badflag', `headers: [../include/callback_lib.h]\nisr-shim:\n  path: s.c\n  cc: cc\n  cflags: [-DPORTABI_BROKEN=1, -include, no-such-header.h]\n${ASYNC}`);
    const r4 = runGen(bad, {});
    expect(r4.exitCode).toBe(2);
    const last = r4.messages[r4.messages.length - 1]!;
    expect(last).toMatch(new RegExp(`^${join(bad, 'portabi.yaml').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: error: isr-shim: building .*libs\\.so failed: cc exited with 1:\\n`));
    expect(last).toMatch(/no-such-header\.h/);
    expect(last).not.toMatch(/\n\s+at /); // no stack trace

    const none = project('nocc', `headers: [../include/callback_lib.h]\nisr-shim:\n  path: s.c\n  cc: no-such-cc-for-portabi\n${ASYNC}`);
    const r5 = runGen(none, {});
    expect(r5.exitCode).toBe(2);
    expect(r5.messages[r5.messages.length - 1]).toMatch(/:2:1: error: isr-shim: building .*libs\.so failed: compiler 'no-such-cc-for-portabi' not found$/);
  });
});

describe('signatures koffi cannot bind as declared (callback_lib.h section 9)', () => {
  test('variadic: bound, extra arguments as [C type, value] pairs', () => {
    // cbl_sum adds `count` int64_t arguments.
    expect(lib.cbl_sum(3, ['int64_t', 1], ['int64_t', 2n ** 40n], ['int64_t', -5])).toBe(2 ** 40 - 4);
    expect(lib.cbl_sum(0)).toBe(0);
  });

  test('long double and __int128: not bound, each reported at its declaration with file:line:col', () => {
    const r = runGen(work, {});
    const h = join(work, 'include', 'callback_lib.h');
    const lines = readFileSync(h, 'utf8').split('\n');
    const at = (name: string): string => {
      const i = lines.findIndex((l) => l.includes(`${name}(`));
      return `${h}:${i + 1}:${lines[i]!.indexOf(name) + 1}`;
    };
    expect(r.messages).toContain(`${at('cbl_ld_half')}: warning: cbl_ld_half: not bound in TypeScript: returns long double, which koffi cannot represent`);
    expect(r.messages).toContain(`${at('cbl_mul_wide')}: warning: cbl_mul_wide: not bound in TypeScript: returns unsigned __int128, which koffi cannot represent`);
    expect(lib.cbl_ld_half).toBeUndefined();
    expect(readFileSync(join(work, 'gen', 'callback_lib.ts'), 'utf8')).toContain('// cbl_ld_half: not bound (returns long double, which koffi cannot represent) — include/callback_lib.h:');
  });
});
