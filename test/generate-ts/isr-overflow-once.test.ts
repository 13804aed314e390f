// runs-on isr, scope once: what an overflow of the shim's ring does to the promises still
// pending on it. cbl_adc_convert gets a ring of 2 events here, so a third interrupt that fires
// while the JS thread is busy (the ring is drained only on the event loop) is dropped. Each
// conversion fires exactly one interrupt, its final one (callback_lib.h section 8): a pending
// conversion's interrupt has either been dropped (C has finished it) or not fired yet (C still
// owns it), and the shim only counts drops, so the runtime cannot tell which; it must reject
// every pending promise and cancel none of them. Expected values come from callback_lib.h/.c.
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildCallbackLibrary, busyUntilFired, CALLBACK_LIB, generateProject, importGenerated, removeDirs, until } from '../helpers/generate.js';

let libDir: string;
let work: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let m: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let lib: any;

/** Blocks until `target` interrupt handlers have run (see busyUntilFired in the helpers). */
function busyUntil(target: number): void {
  expect(busyUntilFired(lib, target)).toBe(target);
}

/** Settles a promise into its value or its rejection reason, and when it settled. */
function settle<T>(p: Promise<T>): Promise<{ ok: boolean; v: unknown; fired: number }> {
  return p.then(
    (v) => ({ ok: true, v, fired: lib.cbl_irq_fired() }),
    (e: unknown) => ({ ok: false, v: e, fired: lib.cbl_irq_fired() }),
  );
}

beforeAll(async () => {
  const built = buildCallbackLibrary('portabi-isr-once-');
  libDir = built.dir;
  work = resolve(__dirname, `.isr-once-work-${process.pid}`);
  generateProject(
    work,
    [join(CALLBACK_LIB, 'callback_lib.h')],
    `headers: [include/callback_lib.h]
target: x86_64-unknown-linux-gnu
outputs:
  - lang: ts
    path: gen/callback_lib.ts
    library: ${JSON.stringify(built.path)}
isr-shim:
  path: gen/callback_lib_isr_shim.c
  cc: cc
  cflags: [-O2, -Wall, -Wextra, -Werror]
async:
  cbl_adc_convert:
    scope: once
    runs-on: isr
    cancel: cbl_adc_cancel
    result: sample
    queue: 2
`,
  );
  ({ m, lib } = await importGenerated(join(work, 'gen', 'callback_lib.ts')));
  // The first operation opens the shim's pipe; the first interrupt installs the SIGALRM handler.
  await expect(lib.cbl_adc_convert_async(0, 0)).resolves.toBe(7);
});

afterAll(() => removeDirs(work, libDir));

describe('runs-on isr, scope once: a ring overflow', () => {
  test('whose dropped interrupt was the final one: the promise rejects and its finished conversion is not cancelled', async () => {
    const cancels = lib.cbl_cancel_calls();
    const late = lib.cbl_irq_late();
    const isrDropped = m.runtimeStats().isrDropped;
    const fired = lib.cbl_irq_fired();
    // Due 1, 5 and 10 ms from now: they fire in that order. The ring (2) keeps channels 0
    // and 1; channel 2's interrupt (its only, final one) is dropped. Its conversion is then
    // finished in C (the hardware thread freed it before raising the interrupt).
    const p = [settle(lib.cbl_adc_convert_async(0, 1)), settle(lib.cbl_adc_convert_async(1, 5)), settle(lib.cbl_adc_convert_async(2, 10))];
    busyUntil(fired + 3);
    const [a, b, c] = await Promise.all(p);
    expect(a).toMatchObject({ ok: true, v: 7 }); // 0 * 100 + 7
    expect(b).toMatchObject({ ok: true, v: 107 }); // 1 * 100 + 7
    expect(c.ok).toBe(false);
    expect(c.v).toBeInstanceOf(m.IsrOverflowError);
    expect(c.v).toMatchObject({ symbol: 'cbl_adc_convert', lost: 1, capacity: 2, code: 'ISR_OVERFLOW' });
    expect(m.runtimeStats().isrDropped).toBe(isrDropped + 1);
    // No cbl_adc_cancel: the only pending conversion had made its final callback.
    expect(lib.cbl_cancel_calls()).toBe(cancels);
    expect(lib.cbl_irq_late()).toBe(late);
    expect(m.runtimeStats()).toMatchObject({ pending: 0, keepAlive: false });
  });

  test('while another conversion has not fired yet: both pending promises reject at once, none is cancelled, its later interrupt is dropped', async () => {
    const cancels = lib.cbl_cancel_calls();
    const late = lib.cbl_irq_late();
    const dropped = m.runtimeStats().dropped;
    const fired = lib.cbl_irq_fired();
    // Channels 0, 1, 2 overflow the ring as above (channel 2's interrupt dropped). Before the
    // next drain, channel 5 starts, due in 300 ms: C owns it when the drain finds the drop. The
    // runtime cannot tell it from channel 2 (the shim counts drops, nothing else), so both
    // fail with the overflow, and neither is cancelled.
    const p = [settle(lib.cbl_adc_convert_async(0, 1)), settle(lib.cbl_adc_convert_async(1, 5)), settle(lib.cbl_adc_convert_async(2, 10))];
    busyUntil(fired + 3);
    const x = settle(lib.cbl_adc_convert_async(5, 300));
    const [a, b, c] = await Promise.all(p);
    expect(a).toMatchObject({ ok: true, v: 7 });
    expect(b).toMatchObject({ ok: true, v: 107 });
    expect(c.v).toMatchObject({ symbol: 'cbl_adc_convert', lost: 1, capacity: 2 });
    const xr = await x;
    expect(xr.ok).toBe(false);
    expect(xr.v).toBeInstanceOf(m.IsrOverflowError);
    expect(xr.v).toBe(c.v); // failed by the same drain
    expect(xr.fired).toBe(fired + 3); // rejected before channel 5's interrupt: no wait for it
    expect(lib.cbl_cancel_calls()).toBe(cancels);
    expect(m.runtimeStats()).toMatchObject({ pending: 0, keepAlive: false });
    // C finishes channel 5 on its own: its interrupt fires, not late (never cancelled), and the
    // runtime drops the event (no operation has that id any more).
    await until(() => lib.cbl_irq_fired() === fired + 4 && m.runtimeStats().dropped === dropped + 1);
    expect(lib.cbl_irq_fired()).toBe(fired + 4);
    expect(lib.cbl_irq_late()).toBe(late);
    expect(m.runtimeStats().dropped).toBe(dropped + 1);
    expect(lib.cbl_cancel_calls()).toBe(cancels);
  });

  test('the ring works again afterwards', async () => {
    const all = await Promise.all([3, 4].map((ch) => lib.cbl_adc_convert_async(ch, 1)));
    expect(all).toEqual([307, 407]);
    expect(m.runtimeStats()).toMatchObject({ pending: 0, keepAlive: false, registered: 0 });
  });
});
