// runs-on isr, scope stream: what an overflow of the shim's ring does to the streams pending on
// it when one of the dropped events was a stream's final one. cbl_sampler_start gets a ring of 2
// events here, so a third interrupt that fires while the JS thread is busy (the ring is drained
// only on the event loop) is dropped. From callback_lib.h/.c, section 8:
// - sampler interrupt i (0-based, the first interval_ms after the start, then one every
//   interval_ms) fires handler(user, channel, channel * 1000 + i * i - 50, i, i + 1 == count);
// - its last interrupt is its final callback (`done: last`): the hardware thread frees the sampler
//   before raising it, so a cbl_sampler_stop after that names a finished sampler (for a C API that
//   frees a handle there, a use after free);
// - cbl_cancel_calls counts every cbl_sampler_stop call, finished sampler or not.
// The shim records which dropped events were final (by operation id); a stream whose final event
// was dropped fails without a cancel, a stream still running in C fails and is cancelled, and when
// a dropped final event could not be recorded no stream on the ring is cancelled. Every expected
// value comes from the rules above, by hand.
import { join, resolve } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCallbackLibrary, busyUntilFired, CALLBACK_LIB, generateProject, importGenerated, removeDirs, run, sleep, until } from '../helpers/generate.js';

let libDir: string;
let libPath: string;
let work: string;
let tiny: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let m: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let lib: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let m1: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let lib1: any;

/** Blocks until `target` interrupt handlers have run (see busyUntilFired in the helpers). */
function busyUntil(target: number): void {
  expect(busyUntilFired(lib, target)).toBe(target);
}

function yaml(extra: { cflags: string; done: string }): string {
  return `headers: [include/callback_lib.h]
target: x86_64-unknown-linux-gnu
outputs:
  - lang: ts
    path: gen/callback_lib.ts
    library: ${JSON.stringify(libPath)}
isr-shim:
  path: gen/callback_lib_isr_shim.c
  cc: cc
  cflags: [-O2, -Wall, -Wextra, -Werror${extra.cflags}]
async:
  cbl_sampler_start:
    scope: stream
    runs-on: isr
    cancel: cbl_sampler_stop
    done: ${extra.done}
    queue: 2
    result: { seq: seq, sample: sample }
`;
}

beforeAll(async () => {
  ({ dir: libDir, path: libPath } = buildCallbackLibrary('portabi-isr-stream-'));
  work = resolve(__dirname, `.isr-stream-work-${process.pid}`);
  tiny = resolve(__dirname, `.isr-stream-tiny-${process.pid}`);
  generateProject(work, [join(CALLBACK_LIB, 'callback_lib.h')], yaml({ cflags: '', done: 'last' }));
  // The same API with a side table of one entry (-DPORTABI_ISR_FINAL_DROPS=1), so a second
  // dropped final event cannot be recorded. Its `done:` is `last` for every value the fixture
  // passes (seq + 1 > 0 and sample >= INT32_MIN always hold), written so that the shim's C for it
  // compares an unsigned argument with 0 and an int32_t with INT32_MIN: -Wextra -Werror rejects
  // both unless the shim widens the arguments.
  generateProject(tiny, [join(CALLBACK_LIB, 'callback_lib.h')], yaml({ cflags: ', -DPORTABI_ISR_FINAL_DROPS=1', done: 'last != 0 && seq + 1 > 0 || sample < -2147483647 - 1' }));
  // Both modules open the same callback library (one SIGALRM handler, one set of counters).
  ({ m, lib } = await importGenerated(join(work, 'gen', 'callback_lib.ts')));
  ({ m: m1, lib: lib1 } = await importGenerated(join(tiny, 'gen', 'callback_lib.ts')));
  // The first operation of each opens its shim's pipe; the first installs the SIGALRM handler.
  const warm = async (l: typeof lib): Promise<unknown[]> => {
    const got: unknown[] = [];
    for await (const e of l.cbl_sampler_start_async(0, 1, 1)) got.push(e);
    return got;
  };
  expect(await warm(lib)).toEqual([{ seq: 0, sample: -50 }]); // 0 * 1000 + 0 - 50
  expect(await warm(lib1)).toEqual([{ seq: 0, sample: -50 }]);
});

afterAll(() => removeDirs(work, tiny, libDir));

describe('runs-on isr, scope stream: a ring overflow that dropped a final event', () => {
  test('the stream whose final event was dropped fails with IsrOverflowError and is not cancelled (0 cbl_sampler_stop)', async () => {
    const cancels = lib.cbl_cancel_calls();
    const isrDropped = m.runtimeStats().isrDropped;
    const fired = lib.cbl_irq_fired();
    // Sampler on channel 1, 3 interrupts 1 ms apart. The ring (2) keeps seq 0 and 1; seq 2, the
    // final one, is dropped: C has finished the sampler.
    const a = lib.cbl_sampler_start_async(1, 3, 1)[Symbol.asyncIterator]();
    const first = a.next(); // starts the sampler
    busyUntil(fired + 3);
    expect(await first).toEqual({ value: { seq: 0, sample: 950 }, done: false }); // 1000 + 0 - 50
    const err = await a.next().catch((e: unknown) => e); // seq 1 was queued: discarded with the failure
    expect(err).toBeInstanceOf(m.IsrOverflowError);
    expect(err).toMatchObject({ symbol: 'cbl_sampler_start', lost: 1, capacity: 2, code: 'ISR_OVERFLOW' });
    expect(await a.next()).toEqual({ value: undefined, done: true });
    expect(m.runtimeStats().isrDropped).toBe(isrDropped + 1);
    expect(lib.cbl_cancel_calls()).toBe(cancels);
    expect(m.runtimeStats()).toMatchObject({ pending: 0, keepAlive: false });
  });

  test('beside it, a stream still running in C fails too and is cancelled: exactly 1 cbl_sampler_stop, and it fires no more', async () => {
    const cancels = lib.cbl_cancel_calls();
    const fired = lib.cbl_irq_fired();
    // Channel 2: 3 interrupts 1 ms apart, the final one dropped as above. Channel 3: 1000
    // interrupts 200 ms apart, none fired yet when the drain finds the drop (it runs in C).
    const a = lib.cbl_sampler_start_async(2, 3, 1)[Symbol.asyncIterator]();
    const b = lib.cbl_sampler_start_async(3, 1000, 200)[Symbol.asyncIterator]();
    const aFirst = a.next();
    const bFirst = b.next().catch((e: unknown) => e);
    busyUntil(fired + 3);
    expect(await aFirst).toEqual({ value: { seq: 0, sample: 1950 }, done: false }); // 2000 + 0 - 50
    const aErr = await a.next().catch((e: unknown) => e);
    expect(aErr).toMatchObject({ symbol: 'cbl_sampler_start', lost: 1, capacity: 2 });
    expect(await bFirst).toBe(aErr); // failed by the same drain
    // One cbl_sampler_stop: channel 3's. Channel 2's sampler had made its final callback.
    expect(lib.cbl_cancel_calls()).toBe(cancels + 1);
    expect(m.runtimeStats()).toMatchObject({ pending: 0, keepAlive: false });
    // Stopped in C: its first interrupt (due 200 ms after its start) never fires.
    await sleep(400);
    expect(lib.cbl_irq_fired()).toBe(fired + 3);
  });
});

describe('runs-on isr, scope stream: a dropped final event the shim could not record (side table of 1)', () => {
  test('no stream on the ring is cancelled: the one still running in C finishes on its own, its events dropped', async () => {
    const cancels = lib1.cbl_cancel_calls();
    const isrDropped = m1.runtimeStats().isrDropped;
    const dropped = m1.runtimeStats().dropped;
    const fired = lib1.cbl_irq_fired();
    // Channel 4: 3 interrupts 1 ms apart; the ring keeps seq 0 and 1, seq 2 (final) is dropped
    // and recorded (the table's one entry). Channel 5: 1 interrupt after 10 ms, final, dropped;
    // the table is full: not recorded. Channel 6: 2 interrupts 150 ms apart, none fired yet.
    // Any pending stream may be the one whose final event went unrecorded, so none is cancelled.
    const a = lib1.cbl_sampler_start_async(4, 3, 1)[Symbol.asyncIterator]();
    const c = lib1.cbl_sampler_start_async(5, 1, 10)[Symbol.asyncIterator]();
    const b = lib1.cbl_sampler_start_async(6, 2, 150)[Symbol.asyncIterator]();
    const aFirst = a.next();
    const cFirst = c.next().catch((e: unknown) => e);
    const bFirst = b.next().catch((e: unknown) => e);
    busyUntil(fired + 4);
    expect(await aFirst).toEqual({ value: { seq: 0, sample: 3950 }, done: false }); // 4000 + 0 - 50
    const aErr = await a.next().catch((e: unknown) => e);
    expect(aErr).toBeInstanceOf(m1.IsrOverflowError);
    expect(aErr).toMatchObject({ symbol: 'cbl_sampler_start', lost: 2, capacity: 2 });
    expect(await cFirst).toBe(aErr);
    expect(await bFirst).toBe(aErr);
    expect(m1.runtimeStats().isrDropped).toBe(isrDropped + 2);
    expect(lib1.cbl_cancel_calls()).toBe(cancels);
    expect(m1.runtimeStats()).toMatchObject({ pending: 0, keepAlive: false });
    // Channel 6 runs on in C: its 2 interrupts fire (150 and 300 ms), and the runtime drops
    // their events (no operation has that id any more).
    await until(() => lib1.cbl_irq_fired() === fired + 6 && m1.runtimeStats().dropped === dropped + 2);
    expect(lib1.cbl_irq_fired()).toBe(fired + 6);
    expect(m1.runtimeStats().dropped).toBe(dropped + 2);
    expect(lib1.cbl_cancel_calls()).toBe(cancels);
    // The ring (and its table) works again afterwards.
    const got: unknown[] = [];
    for await (const e of lib1.cbl_sampler_start_async(7, 2, 1)) got.push(e);
    expect(got).toEqual([
      { seq: 0, sample: 6950 }, // 7000 + 0 - 50
      { seq: 1, sample: 6951 }, // 7000 + 1 - 50
    ]);
    expect(m1.runtimeStats()).toMatchObject({ pending: 0, keepAlive: false });
  });
});

const TABLE_FNS = ['callback_lib_isr_shim_cbl_sampler_start_final_drops', 'callback_lib_isr_shim_cbl_sampler_start_final_lost'];

describe('the shim with a side table', () => {
  test('compiles as strict ISO C11 with -Wall -Wextra -Wpedantic -Werror, the done: expression included, and defines the table\'s consumer functions', () => {
    for (const dir of [work, tiny]) {
      const out = join(dir, 'shim-c11.o');
      const r = run('cc', ['-std=c11', '-Wall', '-Wextra', '-Wpedantic', '-Werror', '-c', '-o', out, join(dir, 'gen', 'callback_lib_isr_shim.c')], { cwd: dir });
      expect(r.out).toBe('');
      expect(r.status).toBe(0);
      const nm = execFileSync('nm', [out], { encoding: 'utf8' });
      for (const f of TABLE_FNS) expect(nm).toMatch(new RegExp(` T ${f}\\n`));
    }
  });

  test('bare metal: arm-none-eabi-gcc -mcpu=cortex-m4 compiles it with no undefined symbol (no atomic or 64-bit helper calls)', () => {
    const out = join(tiny, 'shim-m4.o');
    const r = run('arm-none-eabi-gcc', ['-mcpu=cortex-m4', '-mthumb', '-O2', '-Wall', '-Wextra', '-Werror', '-std=c11', '-c', '-o', out, join(tiny, 'gen', 'callback_lib_isr_shim.c')], { cwd: tiny });
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
    const nm = execFileSync('arm-none-eabi-nm', [out], { encoding: 'utf8' });
    expect(nm.split('\n').filter((l) => / U /.test(l))).toEqual([]);
    for (const f of TABLE_FNS) expect(nm).toMatch(new RegExp(` T ${f}\\n`));
  });

  test('a table size that is not a power of two is a compile error', () => {
    const r = run('cc', ['-std=c11', '-DPORTABI_ISR_FINAL_DROPS=6', '-c', '-o', join(work, 'shim-6.o'), join(work, 'gen', 'callback_lib_isr_shim.c')], { cwd: work });
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/PORTABI_ISR_FINAL_DROPS must be a power of two/);
  });
});
