// End to end: the callback-lib fixture (test/fixtures/callback-lib) compiled with cc, bindings
// generated through portabi.yaml, imported and exercised. Expected values come from the
// fixture's C source (callback_lib.c), derived by hand.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runGen } from '../../src/generate/ts/gen.js';
import { buildCallbackLibrary, CALLBACK_LIB, CALLBACK_LIB_ASYNC, generateProject, generateTwice, importGenerated, removeDirs, tsc as tscIn, TSC_FLAGS } from '../helpers/generate.js';

let libDir: string;
let work: string;
let libPath: string;
let genFile: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let m: any;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let lib: any;

function yaml(): string {
  return `headers: [include/callback_lib.h]
target: x86_64-unknown-linux-gnu
outputs:
  - lang: ts
    path: gen/callback_lib.ts
    library: ${JSON.stringify(libPath)}
${CALLBACK_LIB_ASYNC}`;
}

const tsc = (args: string[]): { status: number | null; out: string } => tscIn(work, args);

beforeAll(async () => {
  ({ dir: libDir, path: libPath } = buildCallbackLibrary('portabi-cbl-'));
  // Inside the repository, so that the generated module resolves 'koffi' and vitest imports it.
  work = resolve(__dirname, `.work-${process.pid}`);
  generateProject(work, [join(CALLBACK_LIB, 'callback_lib.h')], yaml());
  genFile = join(work, 'gen', 'callback_lib.ts');
  ({ m, lib } = await importGenerated(genFile));
});

afterAll(() => removeDirs(work, libDir));

describe('generated bindings', () => {
  test('constants: macros and enumerators, bigint beyond 2^53', () => {
    expect(m.CBL_VERSION_MAJOR).toBe(2);
    expect(m.CBL_VERSION_MINOR).toBe(23); // 2 * 10 + 3
    expect(m.CBL_MAGIC).toBe(0xcafef00ddeadbeefn);
    expect(m.CBL_MAX_DELAY_MS).toBe(60000);
    expect(m.CBL_NAME).toBe('callback-lib');
    expect(m.cbl_level).toEqual({ CBL_LEVEL_LOW: 1, CBL_LEVEL_HIGH: 5, CBL_LEVEL_MAX: 10 });
  });

  test('doc comments carry provenance', () => {
    const text = readFileSync(genFile, 'utf8');
    expect(text).toContain('struct cbl_point — include/callback_lib.h:19');
    expect(text).toContain('#define CBL_MAGIC (unsigned long long) — include/callback_lib.h:13');
  });

  test('plain functions, structs by value, 64-bit integers, opaque handles', () => {
    expect(lib.cbl_point_dot({ x: 2, y: 3 }, { x: 4, y: 5 })).toBe(23);
    expect(lib.cbl_add64(2n ** 60n, 1)).toBe(2n ** 60n + 1n);
    expect(lib.cbl_add64(40, 2)).toBe(42);
    const c = lib.cbl_client_open('x');
    expect(c).not.toBeNull();
    lib.cbl_client_close(c);
  });

  test('bit-field accessors over the storage unit', () => {
    const bits = m.cbl_status_word_bits;
    const w = { kind: 9, tail: 7 };
    bits.ready.set(w, 1);
    bits.mode.set(w, 5);
    bits.delta.set(w, -3);
    bits.count.set(w, 1234);
    expect([bits.ready.get(w), bits.mode.get(w), bits.delta.get(w), bits.count.get(w)]).toEqual([1, 5, -3, 1234]);
    expect(lib.cbl_status_count(w)).toBe(1234); // C reads w->count
    bits.count.set(w, 4095 + 1); // 12 bits: wraps to 0
    expect(lib.cbl_status_count(w)).toBe(0);
    expect(bits.mode.get(w)).toBe(5);
  });

  test('once: timer resolves with the value passed to the callback', async () => {
    await expect(lib.cbl_timer_start_async(5, 77)).resolves.toBe(77);
  });

  test('once: request/response result comes from the callback arguments', async () => {
    const c = lib.cbl_client_open('req');
    await expect(lib.cbl_request_send_async(c, 6, 7)).resolves.toEqual({ sum: 13, product: 42 });
    lib.cbl_client_close(c);
  });

  test('once: struct-shaped start (callback + arg fields)', async () => {
    await expect(lib.cbl_op_start_async({ delay_ms: 2, input: 14 })).resolves.toBe(42);
  });

  test('errno: start functions returning -errno reject with ErrnoError', async () => {
    const e1 = await lib.cbl_connect_async('unreachable').catch((e: unknown) => e);
    expect(e1).toBeInstanceOf(m.ErrnoError);
    expect(e1.code).toBe('ETIMEDOUT');
    expect(e1.errno).toBe(110);
    await expect(lib.cbl_timer_start_async(60001, 1)).rejects.toMatchObject({ code: 'EINVAL', errno: 22 });
    await expect(lib.cbl_request_send_async(null, 1, 2)).rejects.toMatchObject({ code: 'ENOTCONN' });
    await expect(lib.cbl_connect_async('host')).resolves.toBe(42);
  });

  test('stream: yields exactly the fired blocks in order, ends on last_block', async () => {
    const c = lib.cbl_client_open('rx');
    const got: { seq: number; data: number[] }[] = [];
    for await (const b of lib.cbl_recv_start_async(c, 6, 2)) got.push({ seq: b.seq, data: [...b.data] });
    // block i: len = i % 4 + 1 bytes i, i+1, ...
    expect(got).toEqual([
      { seq: 0, data: [0] },
      { seq: 1, data: [1, 2] },
      { seq: 2, data: [2, 3, 4] },
      { seq: 3, data: [3, 4, 5, 6] },
      { seq: 4, data: [4] },
      { seq: 5, data: [5, 6] },
    ]);
    lib.cbl_client_close(c);
  });

  test('stream: leaving early calls the stop function', async () => {
    const c = lib.cbl_client_open('rx2');
    const before = lib.cbl_cancel_calls();
    const seqs: number[] = [];
    for await (const b of lib.cbl_recv_start_async(c, 1000, 2)) {
      seqs.push(b.seq);
      if (seqs.length === 3) break;
    }
    expect(seqs).toEqual([0, 1, 2]);
    expect(lib.cbl_cancel_calls()).toBe(before + 1);
  });

  test('stream: overflowing the bounded queue (64, policy error) fails the stream and stops C', async () => {
    const c = lib.cbl_client_open('rx3');
    const before = lib.cbl_cancel_calls();
    const it = lib.cbl_recv_start_async(c, 500, 0)[Symbol.asyncIterator]();
    expect((await it.next()).value.seq).toBe(0);
    // Do not consume: C keeps firing, the queue fills past 64.
    const t0 = Date.now();
    while (lib.cbl_cancel_calls() === before && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 5));
    const err = await it.next().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(m.QueueOverflowError);
    expect(lib.cbl_cancel_calls()).toBe(before + 1);
    expect(await it.next()).toEqual({ value: undefined, done: true });
  });

  test('stream: a final callback (error status, or one that overflows the queue) ends it without cancelling the finished C job', async () => {
    const before = lib.cbl_finished_cancels();
    // cbl_job_start(2, -EIO, 1): steps 0 and 1, then the final callback with status -EIO (5).
    const got: number[] = [];
    const err = await (async () => {
      for await (const step of lib.cbl_job_start_async(2, -5, 1)) got.push(step);
    })().catch((e: unknown) => e);
    expect(got).toEqual([0, 1]);
    expect(err).toMatchObject({ code: 'EIO', errno: 5 });
    // cbl_job_start(5, 0, 0) with a queue of 4: step 0 goes to the waiting next(), steps 1-4
    // fill the queue, and the 5th callback, the final one (step 5, last), overflows it: the
    // stream fails (its queued events discarded).
    const it = lib.cbl_job_start_async(5, 0, 0)[Symbol.asyncIterator]();
    expect(await it.next()).toEqual({ value: 0, done: false });
    await new Promise((r) => setTimeout(r, 200)); // C makes all its callbacks meanwhile
    expect(await it.next().catch((e: unknown) => e)).toBeInstanceOf(m.QueueOverflowError);
    expect(await it.next()).toEqual({ value: undefined, done: true });
    expect(lib.cbl_finished_cancels()).toBe(before);
  });

  test('stream: set_cb(NULL) registration, callbacks on the calling thread', async () => {
    const before = lib.cbl_cancel_calls();
    const it = lib.cbl_set_log_handler_async()[Symbol.asyncIterator]();
    const first = it.next();
    lib.cbl_log_emit(3, 'hello');
    lib.cbl_log_emit(4, 'world');
    expect(await first).toEqual({ value: { level: 3, message: 'hello' }, done: false });
    expect(await it.next()).toEqual({ value: { level: 4, message: 'world' }, done: false });
    await it.return();
    expect(lib.cbl_cancel_calls()).toBe(before + 1); // cbl_set_log_handler(NULL, ...)
  });

  test('stream: thread-context streams wait for admission like once operations', async () => {
    const c = lib.cbl_client_open('rx-many');
    const its = Array.from({ length: 300 }, () => lib.cbl_recv_start_async(c, 2, 20)[Symbol.asyncIterator]());
    const firsts = its.map((it: AsyncIterator<unknown>) => it.next());
    // koffi's max_async_calls (256) less the runtime's margin of 8: 248 streams start C (a
    // worker thread each, whose callback blocks in koffi's relay); the other 52 wait.
    expect(m.runtimeStats()).toMatchObject({ pending: 248, queued: 52 });
    const got = await Promise.all(
      its.map(async (it: AsyncIterator<{ seq: number; data: Uint8Array }>, i: number) => {
        const blocks = [(await firsts[i]).value];
        for (let r = await it.next(); !r.done; r = await it.next()) blocks.push(r.value);
        return blocks.map((b) => [b.seq, [...b.data]]);
      }),
    );
    // count 2: block 0 = [0], block 1 = [1, 2] (len = i % 4 + 1, bytes i, i+1, ...).
    expect(new Set(got.map((g) => JSON.stringify(g)))).toEqual(new Set([JSON.stringify([[0, [0]], [1, [1, 2]]])]));
    expect(got.length).toBe(300);
    expect(m.runtimeStats()).toMatchObject({ pending: 0, queued: 0 });
    lib.cbl_client_close(c);
  });

  test('call: synchronous visitor returns the events in order', () => {
    expect(lib.cbl_foreach_async(4)).toEqual([
      { index: 0, square: 0 },
      { index: 1, square: 1 },
      { index: 2, square: 4 },
      { index: 3, square: 9 },
    ]);
  });

  test('abort: calls the cancel function, rejects with AbortError, drops the late callback', async () => {
    const cancels = lib.cbl_cancel_calls();
    const late = lib.cbl_late_callbacks();
    const dropped = m.runtimeStats().dropped;
    const ac = new AbortController();
    let delivered = false;
    const p = lib.cbl_op_start_async({ delay_ms: 5000, input: 1 }, { signal: ac.signal }).then(
      () => (delivered = true),
      (e: unknown) => e,
    );
    setTimeout(() => ac.abort(), 20);
    const err = await p;
    expect(err).toBeInstanceOf(m.AbortError);
    expect(lib.cbl_cancel_calls()).toBe(cancels + 1);
    // The fixture still calls back (status -ECANCELED) after a cancel: wait for it.
    const t0 = Date.now();
    while (lib.cbl_late_callbacks() === late && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 5));
    expect(lib.cbl_late_callbacks()).toBe(late + 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(m.runtimeStats().dropped).toBe(dropped + 1);
    expect(delivered).toBe(false);
  });

  test('abort before start: rejects without calling C', async () => {
    const cancels = lib.cbl_cancel_calls();
    await expect(lib.cbl_timer_start_async(1, 1, { signal: AbortSignal.abort() })).rejects.toBeInstanceOf(m.AbortError);
    expect(lib.cbl_cancel_calls()).toBe(cancels);
  });

  test('timeoutMs: cancels and rejects with TimeoutError', async () => {
    const cancels = lib.cbl_cancel_calls();
    const err = await lib.cbl_timer_start_async(5000, 1, { timeoutMs: 20 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(m.TimeoutError);
    expect(err).toBeInstanceOf(m.AbortError);
    expect(lib.cbl_cancel_calls()).toBe(cancels + 1);
  });

  test('no pending operations left, one registration per prototype', () => {
    const s = m.runtimeStats();
    expect(s.pending).toBe(0);
    expect(s.keepAlive).toBe(false);
    // timer, response, op, connect, recv, log, visit, job prototypes were used: 8 slots at most.
    expect(s.registered).toBeLessThanOrEqual(8);
  });
});

describe('types', () => {
  test('tsc --strict accepts the generated module; wrong pointers and missing arguments fail', () => {
    writeFileSync(
      join(work, 'use.ts'),
      `import { load, type Ptr } from './gen/callback_lib.js';
const lib = load();
const c = lib.cbl_client_open('t');
declare const point: Ptr<'struct cbl_point'>;
// @ts-expect-error a pointer to another struct is not a struct cbl_client *
lib.cbl_client_close(point);
// @ts-expect-error missing argument
void lib.cbl_request_send_async(c, 1);
// @ts-expect-error the result is { sum, product }, not a number
const n: Promise<number> = lib.cbl_request_send_async(c, 1, 2);
// @ts-expect-error a stream is not a promise
const q: Promise<unknown> = lib.cbl_recv_start_async(c, 1, 1);
const ok: Promise<{ sum: number; product: number }> = lib.cbl_request_send_async(c, 1, 2, { timeoutMs: 5 });
void n; void q; void ok;
lib.cbl_client_close(c);
`,
    );
    const r = tsc(['--noEmit', ...TSC_FLAGS, 'gen/callback_lib.ts', 'use.ts']);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
  });

  test('a wrong pointer type without @ts-expect-error is a compile error', () => {
    writeFileSync(join(work, 'bad.ts'), `import { load, type Ptr } from './gen/callback_lib.js';\ndeclare const p: Ptr<'struct cbl_point'>;\nload().cbl_client_close(p);\n`);
    const r = tsc(['--noEmit', ...TSC_FLAGS, 'bad.ts']);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/struct cbl_point/);
  });
});

describe('leaks and process exit', () => {
  test('20,000 sequential and 1,000 concurrent operations: no leftovers, the process exits by itself', () => {
    const c = tsc([...TSC_FLAGS, '--outDir', 'out', 'gen/callback_lib.ts']);
    expect(c.out).toBe('');
    writeFileSync(
      join(work, 'out', 'stress.mjs'),
      `import { load, runtimeStats } from './callback_lib.js';
const lib = load();
for (let i = 0; i < 20000; i++) {
  const v = await lib.cbl_timer_start_async(0, i);
  if (v !== i) throw new Error('timer ' + i + ' gave ' + v);
}
const c = lib.cbl_client_open('stress');
const rs = await Promise.all(Array.from({ length: 1000 }, (_, i) => lib.cbl_request_send_async(c, i, 3)));
rs.forEach((r, i) => { if (r.sum !== i + 3 || r.product !== i * 3) throw new Error('request ' + i); });
const s = runtimeStats();
if (s.pending !== 0 || s.keepAlive || s.registered !== 2) throw new Error('leftovers: ' + JSON.stringify(s));
console.log(JSON.stringify(s));
`,
    );
    const r = spawnSync(process.execPath, [join(work, 'out', 'stress.mjs')], { encoding: 'utf8', timeout: 90_000 });
    expect(r.stderr).toBe('');
    expect(r.signal).toBeNull(); // not killed by the timeout: it exited on its own
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ pending: 0, registered: 2, keepAlive: false });
  });
});

describe('portabi gen over portabi.yaml', () => {
  test('output is byte-identical across runs; a second gen writes nothing', () => {
    const [first, second] = generateTwice(work);
    const a = first[0]!.text;
    expect(second[0]!.text).toBe(a);
    expect(readFileSync(genFile, 'utf8')).toBe(a);
    expect(runGen(work, {}).messages.join('\n')).toMatch(/up to date/);
  });

  test('--check passes when current and fails (exit 1) after a header change', () => {
    expect(runGen(work, { check: true }).exitCode).toBe(0);
    const h = join(work, 'include', 'callback_lib.h');
    const orig = readFileSync(h, 'utf8');
    writeFileSync(h, orig.replace('#define CBL_MAX_DELAY_MS 60000', '#define CBL_MAX_DELAY_MS 30000'));
    try {
      const r = runGen(work, { check: true });
      expect(r.exitCode).toBe(1);
      expect(r.messages.join('\n')).toMatch(/callback_lib\.ts: out of date/);
    } finally {
      writeFileSync(h, orig);
    }
    expect(runGen(work, { check: true }).exitCode).toBe(0);
  });

  test('--explain-async lists proposals with reasons and a YAML entry', () => {
    const r = runGen(work, { explainAsync: true });
    const text = r.messages.join('\n');
    expect(text).toMatch(/cbl_timer_start: once, confirmed in portabi.yaml/);
    expect(text).toMatch(/cbl_request_send: once, proposed/);
    expect(text).toMatch(/cancel: cbl_request_cancel \(name cbl_request_cancel; arguments client, result\)/);
    expect(text).toMatch(/cbl_op_start: once, proposed[\s\S]*struct cbl_op_request, whose field 'done'/);
    expect(text).toMatch(/cbl_foreach: call/);
    expect(text).toMatch(/cbl_set_log_handler\(NULL\)/);
  });
});
