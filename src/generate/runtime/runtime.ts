// The runtime that generated TypeScript bindings use. `portabi gen ts` copies everything after
// the marker line below into each generated module (so a generated module needs only koffi),
// and this file is also compiled with the project, so the runtime is type-checked once here.
//
// Async wrappers over C callback APIs follow koffi's rules for callbacks:
// - registered callbacks are a limited resource (8192 slots), so each prototype gets ONE
//   trampoline (`koffi.register` once, never unregistered while C may call it) and the C
//   `void *` user data carries an operation id into a map of pending operations;
// - a callback from another native thread is queued by koffi to the JS main thread (the C
//   thread blocks until JS ran it), and that relay does not keep the event loop alive, so a
//   ref'd timer is held while any operation is pending and unref'd when none is;
// - after an abort / timeout / end the operation leaves the map first, so a late callback
//   finds no operation and is dropped (counted in `runtimeStats().dropped`).
// `runs-on: isr` callbacks never reach JS from C: C calls the generated C shim
// (src/generate/c/isr-shim.ts), which copies the arguments into a lock-free ring and writes a
// byte to a pipe; an IsrShim watches the pipe on the event loop and its IsrRings drain the
// events into the same pending-operation map (see IsrShim below).
import koffi from 'koffi';
import { Socket } from 'node:net';
import { constants as osConstants } from 'node:os';

// @portabi-runtime-begin
declare const pointerBrand: unique symbol;
declare const callbackBrand: unique symbol;

/** A C pointer to `T` (a C type spelling such as 'struct timer'). Values come only from C. */
export type Ptr<T extends string> = { readonly [pointerBrand]: T };
/** What a `void *` parameter accepts: any pointer or raw memory. */
export type AnyPtr = Ptr<string> | ArrayBufferView;
/** A registered C function pointer of the prototype named `P`. */
export type Callback<P extends string> = { readonly [callbackBrand]: P };
/** 64-bit integers: koffi returns a number when it is exactly representable, else a bigint. */
export type Int64 = number | bigint;
/** A koffi type object. */
export type KoffiType = ReturnType<typeof koffi.opaque>;
/** One extra argument of a variadic C function: its C type (after the default argument
 *  promotions: 'int' for char/short, 'double' for float) and its value. */
export type VarArg = readonly [type: string | KoffiType, value: unknown];

export interface AsyncOptions {
  /** Aborting calls the C cancel function and rejects with AbortError. */
  signal?: AbortSignal;
  /** Deadline in milliseconds; on expiry behaves like abort but rejects with TimeoutError. */
  timeoutMs?: number;
}

/** A C function failed with an errno value (negative return or callback status). */
export class ErrnoError extends Error {
  readonly errno: number;
  readonly code: string;
  readonly syscall: string;
  constructor(syscall: string, errno: number) {
    const code = errnoName(errno);
    super(`${syscall} failed: ${code} (errno ${errno})`);
    this.name = 'ErrnoError';
    this.errno = errno;
    this.code = code;
    this.syscall = syscall;
  }
}

/** The operation was aborted through its AbortSignal (after calling the C cancel function). */
export class AbortError extends Error {
  readonly code: string = 'ABORT_ERR';
  constructor(message = 'The operation was aborted', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AbortError';
  }
}

/** The operation's `timeoutMs` expired (after calling the C cancel function). */
export class TimeoutError extends AbortError {
  constructor(message = 'The operation timed out') {
    super(message);
    this.name = 'TimeoutError';
  }
}

/** A stream's bounded queue overflowed under the 'error' policy. */
export class QueueOverflowError extends Error {
  constructor(what: string, capacity: number) {
    super(`${what}: more than ${capacity} undelivered events (overflow policy 'error')`);
    this.name = 'QueueOverflowError';
  }
}

/** An interrupt-context ring was full (or a nested interrupt hit it): the shim dropped events,
 *  so every operation pending on that ring fails with this error. A stream is cancelled unless
 *  C may have finished it: the shim recorded its final event among the dropped ones, or could
 *  not record one (then no stream on the ring is cancelled). A once operation is not cancelled,
 *  as its dropped event may have been its final one. Size the ring with portabi.yaml `queue:`. */
export class IsrOverflowError extends Error {
  readonly code: string = 'ISR_OVERFLOW';
  constructor(
    readonly symbol: string,
    readonly lost: number,
    readonly capacity: number,
  ) {
    super(`${symbol}: the interrupt-context ring (${capacity} events) dropped ${lost} event${lost === 1 ? '' : 's'}`);
    this.name = 'IsrOverflowError';
  }
}

/** The C start function reported failure by returning 0 / NULL. */
export class StartError extends Error {
  constructor(symbol: string) {
    super(`${symbol} failed`);
    this.name = 'StartError';
  }
}

let errnoNames: Map<number, string> | null = null;

/** 'ETIMEDOUT' for 110 on Linux: the host's errno table (koffi runs on the host). */
export function errnoName(errno: number): string {
  if (!errnoNames) {
    errnoNames = new Map();
    for (const [name, value] of Object.entries(osConstants.errno)) {
      if (!errnoNames.has(value)) errnoNames.set(value, name);
    }
  }
  return errnoNames.get(errno) ?? `E${errno}`;
}

/** Runtime counters, for tests and leak checks. */
export interface RuntimeStats {
  /** koffi.register slots held (one per prototype used by an async wrapper). */
  registered: number;
  /** Operations started and not yet settled / ended / cancelled. */
  pending: number;
  /** Callbacks that arrived for no pending operation (after abort, timeout or end). */
  dropped: number;
  /** Whether the keep-alive handle is currently ref'd. */
  keepAlive: boolean;
  /** Operations waiting for an admission slot (koffi's max_async_calls). */
  queued: number;
  /** Events the ISR shims could not queue (full ring or nested interrupt), as drained so far. */
  isrDropped: number;
}

/** What an overflowing ISR ring knows of an operation's final event (the callback after which
 *  C has finished it): 'dropped', the shim recorded it among the dropped events (C has
 *  finished the operation: cancelling it would name a finished one); 'not-dropped', no final
 *  event of it was dropped (C still owns it, unless it finishes it right now, as with any
 *  cancel); 'unknown', a dropped final event went unrecorded, or the ring records none. */
export type IsrFinal = 'dropped' | 'not-dropped' | 'unknown';

interface PendingOp {
  deliver(args: unknown[]): unknown;
  /** The ISR ring the operation's events come through, if any. */
  ring?: IsrRing;
  /** Ends the operation with an error after its ring dropped events; the operation decides,
   *  with what the ring knows of its final event, whether C may still own it (and so whether
   *  to cancel). */
  fail?(e: Error, final: IsrFinal): void;
}

const pending = new Map<number, PendingOp>();
let nextId = 1;
let dropped = 0;
let registered = 0;
let keepAlive: ReturnType<typeof setInterval> | null = null;
let isrDropped = 0;

export function runtimeStats(): RuntimeStats {
  return { registered, pending: pending.size, dropped, keepAlive: keepAlive !== null && keepAlive.hasRef(), queued: admission.length, isrDropped };
}

function addPending(op: PendingOp): number {
  const id = nextId;
  nextId = nextId >= Number.MAX_SAFE_INTEGER ? 1 : nextId + 1;
  pending.set(id, op);
  if (pending.size === 1) {
    if (!keepAlive) keepAlive = setInterval(() => {}, 1 << 30);
    keepAlive.ref();
  }
  return id;
}

function removePending(id: number): boolean {
  const had = pending.delete(id);
  if (had && pending.size === 0 && keepAlive) keepAlive.unref();
  return had;
}

/**
 * One trampoline per C prototype: registered once on first use and kept for the life of the
 * process (C may still hold the pointer). `userData` is the index of the callback parameter
 * that carries the operation id (declared `uintptr_t` in the koffi prototype).
 */
export class Trampoline {
  private slot: unknown = null;
  constructor(
    private readonly proto: KoffiType,
    private readonly userData: number,
    private readonly defaultReturn: unknown,
  ) {}

  pointer(): unknown {
    if (this.slot === null) {
      const userData = this.userData;
      const defaultReturn = this.defaultReturn;
      this.slot = koffi.register((...args: unknown[]) => {
        const id = Number(args[userData]);
        const op = pending.get(id);
        if (!op) {
          dropped++;
          return defaultReturn;
        }
        return op.deliver(args);
      }, koffi.pointer(this.proto));
      registered++;
    }
    return this.slot;
  }
}

/** What a generated module gives an IsrShim for one start function's ring (the C functions
 *  of the generated shim, bound with koffi). */
export interface IsrRingSpec {
  symbol: string;
  /** The ring's capacity (a power of two). */
  capacity: number;
  /** The shim's producer, as the callback pointer C is given. */
  pointer: () => unknown;
  /** Copies up to `max` events (oldest first) into `out`; returns how many. */
  drain: (out: Uint8Array, max: number) => number;
  /** Events the producer could not queue so far (wraps at 2^32). */
  dropped: () => number;
  /** koffi struct of one event (the shim's `struct <prefix>_<proto>_event`). */
  event: KoffiType;
  /** 0: sizeof the C event record; i: offsetof its field i - 1 (checked against koffi). */
  layout: (i: number) => number | bigint;
  /** The event field of each callback parameter, in order (the user data's is 'id'). */
  fields: readonly string[];
  /** The final events (after which C has finished an operation) the ring dropped. A stream that
   *  ends on a callback: the shim's side table, `drops` copying the ids recorded since the last
   *  call (uintptr_t each; returns how many) and `lost` counting those not recorded (wraps at
   *  2^32). 'none': a stream with no final callback (only its cancel ends it). 'untracked':
   *  once and call operations, whose final events the shim does not record. */
  finals: { drops: (out: Uint8Array, max: number) => number; lost: () => number } | 'none' | 'untracked';
}

const isrShims = new Map<string, IsrShim>();

/**
 * The consumer side of a generated ISR shim (one per shim library: its rings and pipe are
 * process-wide C state). On the first operation it opens the shim's notification pipe and
 * watches it on the event loop (an unref'd socket: the keep-alive handle of the pending
 * operations keeps the process up); each wake-up re-arms the shim (`ack`) and drains every
 * ring, delivering events by operation id exactly like the trampolines do.
 */
export class IsrShim {
  private readonly rings = new Map<string, IsrRing>();
  private watching = false;
  private socket: Socket | null = null;
  private poll: ReturnType<typeof setInterval> | null = null;

  private constructor(
    readonly file: string,
    private readonly open: () => number,
    private readonly ack: () => void,
  ) {}

  static get(file: string, open: () => number, ack: () => void): IsrShim {
    let s = isrShims.get(file);
    if (!s) {
      s = new IsrShim(file, open, ack);
      isrShims.set(file, s);
    }
    return s;
  }

  /** The ring of one start function (created once; its event layout is checked against C). */
  ring(spec: IsrRingSpec): IsrRing {
    let r = this.rings.get(spec.symbol);
    if (!r) {
      r = new IsrRing(this, spec);
      this.rings.set(spec.symbol, r);
    }
    return r;
  }

  /** Opens and watches the pipe, once. */
  watch(): void {
    if (this.watching) return;
    const fd = this.open();
    if (fd < 0) throw new ErrnoError(`${this.file}: opening the ISR shim's notification pipe`, -fd);
    if (fd > 0) {
      this.socket = new Socket({ fd, readable: true, writable: false });
      this.socket.on('data', () => this.drain());
      this.socket.unref();
    } else {
      // A shim built without a pipe (PORTABI_ISR_BARE_METAL): poll while the loop runs.
      this.poll = setInterval(() => this.drain(), 1);
      this.poll.unref();
    }
    this.watching = true;
    this.drain(); // events queued before the pipe existed woke nobody
  }

  /** Re-arms the wake-up, then drains every ring. */
  drain(): void {
    this.ack();
    for (const r of this.rings.values()) r.drain();
  }
}

/** One start function's ring in a generated ISR shim. */
export class IsrRing {
  private readonly size: number;
  private readonly batch: number;
  private readonly buf: Uint8Array;
  private seen: number;
  private finalsSeen: number;
  private ptr: unknown = null;

  constructor(
    readonly shim: IsrShim,
    readonly spec: IsrRingSpec,
  ) {
    const problems: string[] = [];
    const size = Number(spec.layout(0));
    if (koffi.sizeof(spec.event) !== size) problems.push(`size ${koffi.sizeof(spec.event)}, the shim says ${size}`);
    spec.fields.forEach((f, i) => {
      const c = Number(spec.layout(i + 1));
      const k = koffi.offsetof(spec.event, f);
      if (c !== k) problems.push(`offsetof(${f}) ${k}, the shim says ${c}`);
    });
    if (problems.length) throw new Error(`portabi: ISR shim ${shim.file}: event of ${spec.symbol}: koffi has ${problems.join('; ')} (rebuild the shim)`);
    this.size = size;
    this.batch = Math.min(spec.capacity, 256);
    this.buf = new Uint8Array(size * this.batch);
    this.seen = spec.dropped();
    this.finalsSeen = typeof spec.finals === 'string' ? 0 : spec.finals.lost();
  }

  /** The producer's C function pointer; starts watching the shim. */
  pointer(): unknown {
    this.shim.watch();
    if (this.ptr === null) this.ptr = this.spec.pointer();
    return this.ptr;
  }

  /** Delivers the queued events in order; then, if the shim dropped events since the last
   *  drain, fails every operation still pending on this ring (declared overflow policy: a lost
   *  event's data cannot be recovered), telling each what the shim knows of its final event. */
  drain(): void {
    // At most one ring's worth: events queued after the drain began woke the shim again.
    let left = this.spec.capacity;
    while (left > 0) {
      const max = Math.min(this.batch, left);
      const n = this.spec.drain(this.buf, max);
      left -= n;
      for (let i = 0; i < n; i++) {
        const ev = koffi.decode(this.buf, i * this.size, this.spec.event) as Record<string, unknown>;
        const op = pending.get(Number(ev.id));
        if (!op) {
          dropped++;
          continue;
        }
        op.deliver(this.spec.fields.map((f) => ev[f]));
      }
      if (n < max) break;
    }
    const now = this.spec.dropped();
    const lost = (now - this.seen) >>> 0;
    if (lost === 0) return;
    this.seen = now;
    isrDropped += lost;
    const err = new IsrOverflowError(this.spec.symbol, lost, this.spec.capacity);
    const final = this.droppedFinals();
    for (const [id, op] of [...pending]) if (op.ring === this) op.fail?.(err, final(id));
  }

  /** After an overflow: what the shim recorded of the final events it dropped. Read after the
   *  drop count: the shim records a final event (or counts it as not recorded) before it
   *  counts the drop, so every final event among the counted drops is known here. An id
   *  recorded after that count is true as well (C has finished that operation). */
  private droppedFinals(): (id: number) => IsrFinal {
    const f = this.spec.finals;
    if (f === 'none') return () => 'not-dropped';
    if (f === 'untracked') return () => 'unknown';
    const now = f.lost();
    const unrecorded = (now - this.finalsSeen) >>> 0;
    this.finalsSeen = now;
    const ids = new Set<number>();
    const width = koffi.sizeof('uintptr_t');
    const max = 64;
    const out = new Uint8Array(width * max);
    for (;;) {
      const n = f.drops(out, max);
      for (let i = 0; i < n; i++) ids.add(Number(koffi.decode(out, i * width, 'uintptr_t') as number | bigint));
      if (n < max) break;
    }
    // One dropped final event went unrecorded: any operation on this ring may be finished in C.
    if (unrecorded > 0) return () => 'unknown';
    return (id) => (ids.has(id) ? 'dropped' : 'not-dropped');
  }
}

/** How a start function's return value says it failed (null: it did not). */
export type StartCheck = (ret: unknown) => Error | null;

export function negErrno(symbol: string): StartCheck {
  return (ret) => {
    const n = typeof ret === 'bigint' ? Number(ret) : typeof ret === 'number' ? ret : 0;
    return n < 0 ? new ErrnoError(symbol, -n) : null;
  };
}

export function zeroFail(symbol: string): StartCheck {
  return (ret) => {
    if (ret === 0 || ret === 0n || ret === null || ret === false) {
      const e = koffi.errno();
      return e > 0 ? new ErrnoError(symbol, e) : new StartError(symbol);
    }
    return null;
  };
}

export const noCheck: StartCheck = () => null;

/** A callback status argument: 0 is success, otherwise ±errno. */
export function statusError(symbol: string, status: unknown): Error | null {
  const n = typeof status === 'bigint' ? Number(status) : Number(status);
  return n === 0 ? null : new ErrnoError(symbol, Math.abs(n));
}

/** Copy `len` bytes at a C pointer (valid only during the callback) into a fresh Uint8Array. */
export function copyBytes(ptr: unknown, len: unknown): Uint8Array {
  const n = Number(len);
  if (ptr === null || n === 0) return new Uint8Array(0);
  return new Uint8Array(koffi.decode(ptr, koffi.array('uint8_t', n, 'Typed')) as Uint8Array);
}

/** Read a NUL-terminated C string (valid only during the callback). */
export function copyString(ptr: unknown): string | null {
  if (ptr === null || typeof ptr === 'string') return ptr as string | null;
  return koffi.decode(ptr, 'char', -1) as string;
}

interface Deadline {
  clear(): void;
}

function watch(opts: AsyncOptions, onAbort: (err: AbortError) => void): Deadline {
  const { signal, timeoutMs } = opts;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const abortListener = (): void => onAbort(new AbortError(undefined, { cause: signal?.reason }));
  if (signal) signal.addEventListener('abort', abortListener, { once: true });
  if (timeoutMs !== undefined) timer = setTimeout(() => onAbort(new TimeoutError()), timeoutMs);
  return {
    clear() {
      if (signal) signal.removeEventListener('abort', abortListener);
      if (timer) clearTimeout(timer);
    },
  };
}

export interface OnceSpec<T> {
  symbol: string;
  /** Calls the C start function with the trampoline and the id as user data. */
  start(id: number): unknown;
  check: StartCheck;
  /** Calls the C cancel function (given the start function's return value), if any. */
  cancel: ((ret: unknown, id: number) => void) | null;
  /** Maps the callback's arguments to the result, or throws / returns an Error. */
  event(args: unknown[]): { value: T } | { error: Error };
  /** Value returned to C from the callback. */
  callbackReturn?: unknown;
  /** runs-on isr: the shim ring the events come through (no koffi relay, so no admission). */
  ring?: IsrRing;
}

/**
 * Admission: koffi relays a callback from a foreign thread with a per-call memory block and
 * has at most `max_async_calls` (default 256) of them at once; past that it fails on the C
 * thread (a crash, not an exception). So at most that many thread-context operations run at
 * once (each has at most one callback blocked at a time); the others wait in FIFO order.
 */
let inFlight = 0;
let limit: number | null = null;
const admission: (() => void)[] = [];

function admissionLimit(): number {
  if (limit === null) limit = Math.max(1, (koffi.config().max_async_calls ?? 256) - 8);
  return limit;
}

/** Runs `run` now or when a slot frees; returns a function that withdraws a queued `run`. */
function acquire(run: () => void): () => void {
  if (inFlight < admissionLimit()) {
    inFlight++;
    run();
    return () => {};
  }
  admission.push(run);
  return () => {
    const i = admission.indexOf(run);
    if (i >= 0) admission.splice(i, 1);
  };
}

function release(): void {
  inFlight--;
  const next = admission.shift();
  if (next) {
    inFlight++;
    queueMicrotask(next);
  }
}

/** scope: once — one callback settles a Promise. */
export function runOnce<T>(opts: AsyncOptions, spec: OnceSpec<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (opts.signal?.aborted) {
      reject(new AbortError(undefined, { cause: opts.signal.reason }));
      return;
    }
    let phase: 'queued' | 'running' | 'done' = 'queued';
    let started = false;
    let ret: unknown;
    let id = 0;
    let unqueue: () => void = () => {};
    const viaAdmission = !spec.ring;
    const finish = (f: () => void): void => {
      if (phase === 'done') return;
      const held = phase === 'running';
      phase = 'done';
      if (id) removePending(id);
      deadline.clear();
      if (held && viaAdmission) release();
      f();
    };
    const stopWith = (err: Error): void => {
      if (phase === 'queued') {
        unqueue();
        finish(() => reject(err));
        return;
      }
      finish(() => {
        if (started && spec.cancel) {
          try {
            spec.cancel(ret, id);
          } catch {
            // the operation is abandoned either way; its late callback is dropped
          }
        }
        reject(err);
      });
    };
    const deadline = watch(opts, stopWith);
    const run = (): void => {
      if (phase !== 'queued') {
        if (viaAdmission) release(); // withdrawn between the slot being given and this run
        return;
      }
      phase = 'running';
      id = addPending({
        ...(spec.ring ? { ring: spec.ring } : {}),
        // The ring dropped events (the shim records the final events of streams only: `final`
        // is 'unknown' here). A once operation has one callback, its final one: if it was among
        // the dropped, C has finished the operation, and cancelling it would name a finished
        // (maybe freed) one; if not, C still owns it and will call later. Both look the same
        // here, so reject and leave the pending map without cancelling: a wrongful cancel may
        // be a use after free in C, a missing one only lets C finish, and its late event finds
        // no operation and is dropped (ids are not reused).
        fail: (err: Error) => finish(() => reject(err)),
        deliver(args) {
          let r: { value: T } | { error: Error };
          try {
            r = spec.event(args);
          } catch (e) {
            r = { error: e as Error };
          }
          finish(() => ('error' in r ? reject(r.error) : resolve(r.value)));
          return spec.callbackReturn ?? 0;
        },
      });
      try {
        ret = spec.start(id);
      } catch (e) {
        finish(() => reject(e));
        return;
      }
      started = true;
      const failed = spec.check(ret);
      if (failed) finish(() => reject(failed));
    };
    if (viaAdmission) unqueue = acquire(run);
    else run();
  });
}

export type OverflowPolicy = 'error' | 'drop-oldest' | 'drop-newest';

export interface StreamSpec<T> {
  symbol: string;
  start(id: number): unknown;
  check: StartCheck;
  cancel: ((ret: unknown, id: number) => void) | null;
  /** Maps one callback to an event; `end` true: the C side will call no more (a non-zero
   *  callback status is such a final callback: C has finished the operation). */
  event(args: unknown[]): { value?: T; end: boolean } | { error: Error; end?: boolean };
  capacity: number;
  overflow: OverflowPolicy;
  callbackReturn?: unknown;
  ring?: IsrRing;
}

/** scope: stream — callbacks become an AsyncIterable with a bounded queue. Each iteration
 *  starts the C operation on its first `next()` and cancels it when left early. */
export function runStream<T>(opts: AsyncOptions, spec: StreamSpec<T>): AsyncIterable<T> {
  return {
    [Symbol.asyncIterator](): AsyncIterator<T> {
      return new StreamIterator<T>(opts, spec);
    },
  };
}

class StreamIterator<T> implements AsyncIterator<T> {
  private queue: T[] = [];
  private waiter: { resolve: (r: IteratorResult<T>) => void; reject: (e: unknown) => void } | null = null;
  private state: 'new' | 'running' | 'ended' | 'failed' | 'closed' = 'new';
  private failure: unknown = null;
  private id = 0;
  private ret: unknown;
  private deadline: Deadline | null = null;
  /** Holds an admission slot (thread / caller context), like a running once operation. */
  private slot = false;
  /** Whether C was called (not while waiting for admission: nothing to cancel then). */
  private started = false;
  private unqueue: () => void = () => {};

  constructor(
    private readonly opts: AsyncOptions,
    private readonly spec: StreamSpec<T>,
  ) {}

  next(): Promise<IteratorResult<T>> {
    if (this.state === 'new') this.begin();
    if (this.queue.length > 0) return Promise.resolve({ value: this.queue.shift() as T, done: false });
    if (this.state === 'failed') {
      this.state = 'closed';
      return Promise.reject(this.failure);
    }
    if (this.state === 'ended' || this.state === 'closed') return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  return(): Promise<IteratorResult<T>> {
    if (this.state === 'running') this.stop(true);
    this.state = 'closed';
    this.queue = [];
    return Promise.resolve({ value: undefined, done: true });
  }

  private begin(): void {
    if (this.opts.signal?.aborted) {
      this.fail(new AbortError(undefined, { cause: this.opts.signal.reason }));
      return;
    }
    this.state = 'running';
    // The deadline covers the wait for admission too (as for once operations).
    this.deadline = watch(this.opts, (err) => {
      if (this.state !== 'running') return;
      this.stop(true);
      this.fail(err);
    });
    if (this.spec.ring) {
      this.startC();
      return;
    }
    // A thread-context stream has a callback blocked in koffi's relay like a once operation:
    // it counts against the same admission limit, and waits for a slot when none is free.
    this.unqueue = acquire(() => {
      if (this.state !== 'running') {
        release(); // stopped while waiting for admission
        return;
      }
      this.slot = true;
      this.startC();
    });
  }

  private startC(): void {
    this.unqueue = () => {};
    this.id = addPending({
      deliver: (args) => this.deliver(args),
      ...(this.spec.ring ? { ring: this.spec.ring } : {}),
      // ISR ring overflow: cancelled only while C still owns the stream. Its final event among
      // the dropped ones means C has finished it (a cancel would name a finished, maybe freed,
      // operation); when the shim could not record every dropped final event, it may have, and
      // it is left alone: a stream left running only leaks until it ends on its own or the
      // process does, a wrong cancel can corrupt C's memory.
      fail: (e, final) => {
        if (this.state !== 'running') return;
        this.stop(final === 'not-dropped');
        this.fail(e);
      },
    });
    this.started = true;
    try {
      this.ret = this.spec.start(this.id);
    } catch (e) {
      this.stop(false);
      this.fail(e);
      return;
    }
    const failed = this.spec.check(this.ret);
    if (failed) {
      this.stop(false);
      this.fail(failed);
    }
  }

  private deliver(args: unknown[]): unknown {
    if (this.state !== 'running') return this.spec.callbackReturn ?? 0;
    let r: { value?: T; end: boolean } | { error: Error; end?: boolean };
    try {
      r = this.spec.event(args);
    } catch (e) {
      r = { error: e as Error };
    }
    if ('error' in r) {
      // C still owns the operation unless this was its final callback (then cancelling it
      // would name a finished operation, freed by many C APIs).
      this.stop(!r.end);
      this.fail(r.error);
      return this.spec.callbackReturn ?? 0;
    }
    if ('value' in r) this.push(r.value as T, r.end);
    if (r.end && this.state === 'running') {
      this.stop(false);
      this.state = 'ended';
      if (this.waiter && this.queue.length === 0) {
        const w = this.waiter;
        this.waiter = null;
        w.resolve({ value: undefined, done: true });
      }
    }
    return this.spec.callbackReturn ?? 0;
  }

  /** Queues an event; `final`: it is C's last callback (an overflow then cancels nothing). */
  private push(value: T, final: boolean): void {
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      w.resolve({ value, done: false });
      return;
    }
    if (this.queue.length >= this.spec.capacity) {
      if (this.spec.overflow === 'drop-newest') {
        dropped++;
        return;
      }
      if (this.spec.overflow === 'drop-oldest') {
        dropped++;
        this.queue.shift();
      } else {
        this.stop(!final);
        this.fail(new QueueOverflowError(this.spec.symbol, this.spec.capacity));
        return;
      }
    }
    this.queue.push(value);
  }

  /** Leave the pending map (late callbacks are dropped); cancel the C side if asked. */
  private stop(cancel: boolean): void {
    this.unqueue();
    this.unqueue = () => {};
    if (this.id) removePending(this.id);
    if (this.slot) {
      this.slot = false;
      release();
    }
    this.deadline?.clear();
    this.deadline = null;
    if (cancel && this.started && this.spec.cancel) {
      try {
        this.spec.cancel(this.ret, this.id);
      } catch {
        // abandoned either way
      }
    }
  }

  private fail(e: unknown): void {
    this.queue = [];
    if (this.waiter) {
      const w = this.waiter;
      this.waiter = null;
      this.state = 'closed';
      w.reject(e);
      return;
    }
    this.state = 'failed';
    this.failure = e;
  }
}

export interface CallSpec<T> {
  symbol: string;
  start(id: number): unknown;
  check: StartCheck;
  event(args: unknown[]): { value?: T } | { error: Error };
  callbackReturn?: unknown;
  /** runs-on isr: the events are drained from this ring when the call returns. */
  ring?: IsrRing;
}

/** scope: call — the callback runs only during the call, on the calling thread; the events
 *  are returned in order. */
export function runCall<T>(opts: AsyncOptions, spec: CallSpec<T>): T[] {
  if (opts.signal?.aborted) throw new AbortError(undefined, { cause: opts.signal.reason });
  const events: T[] = [];
  let error: Error | null = null;
  const id = addPending({
    ...(spec.ring ? { ring: spec.ring } : {}),
    fail(e) {
      error ??= e;
    },
    deliver(args) {
      if (error) return spec.callbackReturn ?? 0;
      try {
        const r = spec.event(args);
        if ('error' in r) error = r.error;
        else if ('value' in r) events.push(r.value as T);
      } catch (e) {
        error = e as Error;
      }
      return spec.callbackReturn ?? 0;
    },
  });
  let ret: unknown;
  try {
    ret = spec.start(id);
    spec.ring?.drain();
  } finally {
    removePending(id);
  }
  const failed = spec.check(ret) ?? error;
  if (failed) throw failed;
  return events;
}

/** Bit-field access over storage units: `units` are the koffi field names of the integer
 *  units covering a run of bit-fields, each with its byte offset and size (little endian). */
export interface BitUnit {
  field: string;
  byte: number;
  size: number;
}

function unitsValue(obj: Record<string, unknown>, units: readonly BitUnit[], base: number): bigint {
  let v = 0n;
  for (const u of units) v |= BigInt.asUintN(u.size * 8, BigInt((obj[u.field] as number | bigint | undefined) ?? 0)) << BigInt((u.byte - base) * 8);
  return v;
}

export function readBits(obj: object, units: readonly BitUnit[], bitOffset: number, width: number, signed: boolean): number {
  const base = units[0]!.byte;
  const raw = (unitsValue(obj as Record<string, unknown>, units, base) >> BigInt(bitOffset - base * 8)) & ((1n << BigInt(width)) - 1n);
  return Number(signed ? BigInt.asIntN(width, raw) : raw);
}

/** A bit-field's value as a bigint (for widths above 53 bits, which a number cannot hold). */
export function readBitsBig(obj: object, units: readonly BitUnit[], bitOffset: number, width: number, signed: boolean): bigint {
  const base = units[0]!.byte;
  const raw = (unitsValue(obj as Record<string, unknown>, units, base) >> BigInt(bitOffset - base * 8)) & ((1n << BigInt(width)) - 1n);
  return signed ? BigInt.asIntN(width, raw) : raw;
}

export function writeBits(obj: object, units: readonly BitUnit[], bitOffset: number, width: number, value: number | bigint): void {
  const o = obj as Record<string, unknown>;
  const base = units[0]!.byte;
  const mask = ((1n << BigInt(width)) - 1n) << BigInt(bitOffset - base * 8);
  let v = unitsValue(o, units, base);
  v = (v & ~mask) | ((BigInt.asUintN(width, BigInt(value)) << BigInt(bitOffset - base * 8)) & mask);
  for (const u of units) {
    const part = BigInt.asUintN(u.size * 8, v >> BigInt((u.byte - base) * 8));
    o[u.field] = u.size === 8 ? part : Number(part);
  }
}

/** Expected layout of one type, from portabi; compared with koffi's at load time. */
export interface ExpectedLayout {
  name: string;
  loc: string;
  type: KoffiType;
  size: number;
  align: number;
  fields: [string, number][];
}

export function checkLayouts(expected: readonly ExpectedLayout[]): void {
  for (const e of expected) {
    const t = e.type;
    const problems: string[] = [];
    const size = koffi.sizeof(t);
    const align = koffi.alignof(t);
    if (size !== e.size) problems.push(`size ${size}, portabi says ${e.size}`);
    if (align !== e.align) problems.push(`align ${align}, portabi says ${e.align}`);
    for (const [field, offset] of e.fields) {
      const got = koffi.offsetof(t, field);
      if (got !== offset) problems.push(`offsetof(${field}) ${got}, portabi says ${offset}`);
    }
    if (problems.length) {
      throw new Error(`portabi layout self-check failed for ${e.name} (${e.loc}): koffi has ${problems.join('; ')}`);
    }
  }
}

/** One bit-field's accessors over its storage units. */
export function bitField<S extends object>(units: readonly BitUnit[], bitOffset: number, width: number, signed: boolean) {
  return {
    bitOffset,
    width,
    get: (s: S): number => readBits(s, units, bitOffset, width, signed),
    set: (s: S, value: number): void => writeBits(s, units, bitOffset, width, value),
  };
}

/** One bit-field wider than 53 bits: its accessors read and write bigint. */
export function bigBitField<S extends object>(units: readonly BitUnit[], bitOffset: number, width: number, signed: boolean) {
  return {
    bitOffset,
    width,
    get: (s: S): bigint => readBitsBig(s, units, bitOffset, width, signed),
    set: (s: S, value: bigint | number): void => writeBits(s, units, bitOffset, width, value),
  };
}
