import koffi from "koffi";
import { constants as osConstants } from "node:os";
import { fileURLToPath } from "node:url";
/** A C function failed with an errno value (negative return or callback status). */
export class ErrnoError extends Error {
    errno;
    code;
    syscall;
    constructor(syscall, errno) {
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
    code = 'ABORT_ERR';
    constructor(message = 'The operation was aborted', options) {
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
    constructor(what, capacity) {
        super(`${what}: more than ${capacity} undelivered events (overflow policy 'error')`);
        this.name = 'QueueOverflowError';
    }
}
/** The C start function reported failure by returning 0 / NULL. */
export class StartError extends Error {
    constructor(symbol) {
        super(`${symbol} failed`);
        this.name = 'StartError';
    }
}
let errnoNames = null;
/** 'ETIMEDOUT' for 110 on Linux: the host's errno table (koffi runs on the host). */
export function errnoName(errno) {
    if (!errnoNames) {
        errnoNames = new Map();
        for (const [name, value] of Object.entries(osConstants.errno)) {
            if (!errnoNames.has(value))
                errnoNames.set(value, name);
        }
    }
    return errnoNames.get(errno) ?? `E${errno}`;
}
const pending = new Map();
let nextId = 1;
let dropped = 0;
let registered = 0;
let keepAlive = null;
export function runtimeStats() {
    return { registered, pending: pending.size, dropped, keepAlive: keepAlive !== null && keepAlive.hasRef() };
}
function addPending(op) {
    const id = nextId;
    nextId = nextId >= Number.MAX_SAFE_INTEGER ? 1 : nextId + 1;
    pending.set(id, op);
    if (pending.size === 1) {
        if (!keepAlive)
            keepAlive = setInterval(() => { }, 1 << 30);
        keepAlive.ref();
    }
    return id;
}
function removePending(id) {
    const had = pending.delete(id);
    if (had && pending.size === 0 && keepAlive)
        keepAlive.unref();
    return had;
}
/**
 * One trampoline per C prototype: registered once on first use and kept for the life of the
 * process (C may still hold the pointer). `userData` is the index of the callback parameter
 * that carries the operation id (declared `uintptr_t` in the koffi prototype).
 */
export class Trampoline {
    proto;
    userData;
    defaultReturn;
    slot = null;
    constructor(proto, userData, defaultReturn) {
        this.proto = proto;
        this.userData = userData;
        this.defaultReturn = defaultReturn;
    }
    pointer() {
        if (this.slot === null) {
            const userData = this.userData;
            const defaultReturn = this.defaultReturn;
            this.slot = koffi.register((...args) => {
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
export function negErrno(symbol) {
    return (ret) => {
        const n = typeof ret === 'bigint' ? Number(ret) : typeof ret === 'number' ? ret : 0;
        return n < 0 ? new ErrnoError(symbol, -n) : null;
    };
}
export function zeroFail(symbol) {
    return (ret) => {
        if (ret === 0 || ret === 0n || ret === null || ret === false) {
            const e = koffi.errno();
            return e > 0 ? new ErrnoError(symbol, e) : new StartError(symbol);
        }
        return null;
    };
}
export const noCheck = () => null;
/** A callback status argument: 0 is success, otherwise ±errno. */
export function statusError(symbol, status) {
    const n = typeof status === 'bigint' ? Number(status) : Number(status);
    return n === 0 ? null : new ErrnoError(symbol, Math.abs(n));
}
/** Copy `len` bytes at a C pointer (valid only during the callback) into a fresh Uint8Array. */
export function copyBytes(ptr, len) {
    const n = Number(len);
    if (ptr === null || n === 0)
        return new Uint8Array(0);
    return new Uint8Array(koffi.decode(ptr, koffi.array('uint8_t', n, 'Typed')));
}
/** Read a NUL-terminated C string (valid only during the callback). */
export function copyString(ptr) {
    if (ptr === null || typeof ptr === 'string')
        return ptr;
    return koffi.decode(ptr, 'char', -1);
}
function watch(opts, onAbort) {
    const { signal, timeoutMs } = opts;
    let timer = null;
    const abortListener = () => onAbort(new AbortError(undefined, { cause: signal?.reason }));
    if (signal)
        signal.addEventListener('abort', abortListener, { once: true });
    if (timeoutMs !== undefined)
        timer = setTimeout(() => onAbort(new TimeoutError()), timeoutMs);
    return {
        clear() {
            if (signal)
                signal.removeEventListener('abort', abortListener);
            if (timer)
                clearTimeout(timer);
        },
    };
}
/** scope: once — one callback settles a Promise. */
export function runOnce(opts, spec) {
    return new Promise((resolve, reject) => {
        if (opts.signal?.aborted) {
            reject(new AbortError(undefined, { cause: opts.signal.reason }));
            return;
        }
        let settled = false;
        let started = false;
        let ret;
        let deadline = null;
        const settle = (f) => {
            if (settled)
                return;
            settled = true;
            removePending(id);
            deadline?.clear();
            f();
        };
        const id = addPending({
            deliver(args) {
                let r;
                try {
                    r = spec.event(args);
                }
                catch (e) {
                    r = { error: e };
                }
                settle(() => ('error' in r ? reject(r.error) : resolve(r.value)));
                return spec.callbackReturn ?? 0;
            },
        });
        try {
            ret = spec.start(id);
        }
        catch (e) {
            settle(() => reject(e));
            return;
        }
        started = true;
        const failed = spec.check(ret);
        if (failed) {
            settle(() => reject(failed));
            return;
        }
        if (settled)
            return; // the callback ran during the start call
        deadline = watch(opts, (err) => {
            settle(() => {
                if (started && spec.cancel) {
                    try {
                        spec.cancel(ret, id);
                    }
                    catch {
                        // the operation is abandoned either way; its late callback is dropped
                    }
                }
                reject(err);
            });
        });
    });
}
/** scope: stream — callbacks become an AsyncIterable with a bounded queue. Each iteration
 *  starts the C operation on its first `next()` and cancels it when left early. */
export function runStream(opts, spec) {
    return {
        [Symbol.asyncIterator]() {
            return new StreamIterator(opts, spec);
        },
    };
}
class StreamIterator {
    opts;
    spec;
    queue = [];
    waiter = null;
    state = 'new';
    failure = null;
    id = 0;
    ret;
    deadline = null;
    constructor(opts, spec) {
        this.opts = opts;
        this.spec = spec;
    }
    next() {
        if (this.state === 'new')
            this.begin();
        if (this.queue.length > 0)
            return Promise.resolve({ value: this.queue.shift(), done: false });
        if (this.state === 'failed') {
            this.state = 'closed';
            return Promise.reject(this.failure);
        }
        if (this.state === 'ended' || this.state === 'closed')
            return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve, reject) => {
            this.waiter = { resolve, reject };
        });
    }
    return() {
        if (this.state === 'running')
            this.stop(true);
        this.state = 'closed';
        this.queue = [];
        return Promise.resolve({ value: undefined, done: true });
    }
    begin() {
        if (this.opts.signal?.aborted) {
            this.fail(new AbortError(undefined, { cause: this.opts.signal.reason }));
            return;
        }
        this.state = 'running';
        this.id = addPending({ deliver: (args) => this.deliver(args) });
        try {
            this.ret = this.spec.start(this.id);
        }
        catch (e) {
            this.stop(false);
            this.fail(e);
            return;
        }
        const failed = this.spec.check(this.ret);
        if (failed) {
            this.stop(false);
            this.fail(failed);
            return;
        }
        if (this.state !== 'running')
            return;
        this.deadline = watch(this.opts, (err) => {
            if (this.state !== 'running')
                return;
            this.stop(true);
            this.fail(err);
        });
    }
    deliver(args) {
        if (this.state !== 'running')
            return this.spec.callbackReturn ?? 0;
        let r;
        try {
            r = this.spec.event(args);
        }
        catch (e) {
            r = { error: e };
        }
        if ('error' in r) {
            this.stop(true);
            this.fail(r.error);
            return this.spec.callbackReturn ?? 0;
        }
        if ('value' in r)
            this.push(r.value);
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
    push(value) {
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
            }
            else {
                this.stop(true);
                this.fail(new QueueOverflowError(this.spec.symbol, this.spec.capacity));
                return;
            }
        }
        this.queue.push(value);
    }
    /** Leave the pending map (late callbacks are dropped); cancel the C side if asked. */
    stop(cancel) {
        removePending(this.id);
        this.deadline?.clear();
        this.deadline = null;
        if (cancel && this.spec.cancel) {
            try {
                this.spec.cancel(this.ret, this.id);
            }
            catch {
                // abandoned either way
            }
        }
    }
    fail(e) {
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
/** scope: call — the callback runs only during the call, on the calling thread; the events
 *  are returned in order. */
export function runCall(opts, spec) {
    if (opts.signal?.aborted)
        throw new AbortError(undefined, { cause: opts.signal.reason });
    const events = [];
    let error = null;
    const id = addPending({
        deliver(args) {
            if (error)
                return spec.callbackReturn ?? 0;
            try {
                const r = spec.event(args);
                if ('error' in r)
                    error = r.error;
                else if ('value' in r)
                    events.push(r.value);
            }
            catch (e) {
                error = e;
            }
            return spec.callbackReturn ?? 0;
        },
    });
    let ret;
    try {
        ret = spec.start(id);
    }
    finally {
        removePending(id);
    }
    const failed = spec.check(ret) ?? error;
    if (failed)
        throw failed;
    return events;
}
function unitsValue(obj, units, base) {
    let v = 0n;
    for (const u of units)
        v |= BigInt.asUintN(u.size * 8, BigInt(obj[u.field] ?? 0)) << BigInt((u.byte - base) * 8);
    return v;
}
export function readBits(obj, units, bitOffset, width, signed) {
    const base = units[0].byte;
    const raw = (unitsValue(obj, units, base) >> BigInt(bitOffset - base * 8)) & ((1n << BigInt(width)) - 1n);
    return Number(signed ? BigInt.asIntN(width, raw) : raw);
}
export function writeBits(obj, units, bitOffset, width, value) {
    const o = obj;
    const base = units[0].byte;
    const mask = ((1n << BigInt(width)) - 1n) << BigInt(bitOffset - base * 8);
    let v = unitsValue(o, units, base);
    v = (v & ~mask) | ((BigInt.asUintN(width, BigInt(value)) << BigInt(bitOffset - base * 8)) & mask);
    for (const u of units) {
        const part = BigInt.asUintN(u.size * 8, v >> BigInt((u.byte - base) * 8));
        o[u.field] = u.size === 8 ? part : Number(part);
    }
}
export function checkLayouts(expected) {
    for (const e of expected) {
        const t = e.type;
        const problems = [];
        const size = koffi.sizeof(t);
        const align = koffi.alignof(t);
        if (size !== e.size)
            problems.push(`size ${size}, portabi says ${e.size}`);
        if (align !== e.align)
            problems.push(`align ${align}, portabi says ${e.align}`);
        for (const [field, offset] of e.fields) {
            const got = koffi.offsetof(t, field);
            if (got !== offset)
                problems.push(`offsetof(${field}) ${got}, portabi says ${offset}`);
        }
        if (problems.length) {
            throw new Error(`portabi layout self-check failed for ${e.name} (${e.loc}): koffi has ${problems.join('; ')}`);
        }
    }
}
/** One bit-field's accessors over its storage units. */
export function bitField(units, bitOffset, width, signed) {
    return {
        bitOffset,
        width,
        get: (s) => readBits(s, units, bitOffset, width, signed),
        set: (s, value) => writeBits(s, units, bitOffset, width, value),
    };
}
// ---- constants ----
/** enumerator CBL_LEVEL_HIGH (int) — include/callback_lib.h:17 */
export const CBL_LEVEL_HIGH = 5;
/** enumerator CBL_LEVEL_LOW (int) — include/callback_lib.h:17 */
export const CBL_LEVEL_LOW = 1;
/** enumerator CBL_LEVEL_MAX (int) — include/callback_lib.h:17 */
export const CBL_LEVEL_MAX = 10;
/** #define CBL_MAGIC (unsigned long long) — include/callback_lib.h:13 */
export const CBL_MAGIC = 14627392582107119343n;
/** #define CBL_MAX_DELAY_MS (int) — include/callback_lib.h:14 */
export const CBL_MAX_DELAY_MS = 60000;
/** #define CBL_VERSION_MAJOR (int) — include/callback_lib.h:10 */
export const CBL_VERSION_MAJOR = 2;
/** #define CBL_VERSION_MINOR (int) — include/callback_lib.h:11 */
export const CBL_VERSION_MINOR = 23;
/** #define CBL_NAME (string) — include/callback_lib.h:15 */
export const CBL_NAME = "callback-lib";
// ---- enums ----
/** enum cbl_level (unsigned int) — include/callback_lib.h:17 */
export const cbl_level = {
    CBL_LEVEL_LOW: 1,
    CBL_LEVEL_HIGH: 5,
    CBL_LEVEL_MAX: 10,
};
// ---- koffi types ----
/** struct cbl_point — include/callback_lib.h:19; size 8, align 4 */
export const cbl_point$type = koffi.struct({
    "x": 'int32_t',
    "y": 'int32_t',
});
/** struct cbl_status_word — include/callback_lib.h:25; size 8, align 4 */
export const cbl_status_word$type = koffi.struct({
    "kind": [4, 'uint8_t'],
    "_bf1": 'uint8_t',
    "_bf2": 'uint16_t',
    "tail": 'uint16_t',
});
/** union cbl_value — include/callback_lib.h:34; size 8, align 8 */
export const cbl_value$type = koffi.union({
    "i": 'int64_t',
    "d": 'double',
    "bytes": koffi.array('uint8_t', 8, 'Array'),
});
/** struct cbl_sample — include/callback_lib.h:40; size 40, align 8 */
export const cbl_sample$type = koffi.struct({
    "at": cbl_point$type,
    "value": cbl_value$type,
    "level": 'uint32_t',
    "label": koffi.array('char', 12, 'String'),
    "note": 'const char *',
});
/** struct cbl_client (opaque) — include/callback_lib.h:49 */
export const cbl_client$type = koffi.opaque();
/** void (*cbl_op_done)(void *arg, int status, int64_t output) */
export const cbl_op_done$proto = koffi.proto('void', ['void *', 'int32_t', 'int64_t']);
/** struct cbl_op_request — include/callback_lib.h:79; size 32, align 8 */
export const cbl_op_request$type = koffi.struct({
    "delay_ms": 'uint32_t',
    "input": 'int64_t',
    "done": koffi.pointer(cbl_op_done$proto),
    "arg": 'void *',
});
/** void (*cbl_timer_cb)(void *arg, uint32_t value) */
export const cbl_timer_cb$proto = koffi.proto('void', ['void *', 'uint32_t']);
/** void (*cbl_response_handler)(void *context, int status, int32_t sum, int32_t product) */
export const cbl_response_handler$proto = koffi.proto('void', ['void *', 'int32_t', 'int32_t', 'int32_t']);
/** void (*cbl_recv_cb)(void *user, const uint8_t *data, size_t len, uint32_t seq, int last_block) */
export const cbl_recv_cb$proto = koffi.proto('void', ['void *', 'void *', 'uint64_t', 'uint32_t', 'int32_t']);
/** void (*cbl_connect_cb)(void *ctx, int status, int fd) */
export const cbl_connect_cb$proto = koffi.proto('void', ['void *', 'int32_t', 'int32_t']);
/** int (*cbl_visit_cb)(void *ctx, int32_t index, int32_t square) */
export const cbl_visit_cb$proto = koffi.proto('int32_t', ['void *', 'int32_t', 'int32_t']);
/** void (*cbl_log_cb)(void *user, int level, const char *message) */
export const cbl_log_cb$proto = koffi.proto('void', ['void *', 'int32_t', 'const char *']);
/** void (*cbl_connect_cb)(void *ctx, int status, int fd) (user data as uintptr_t, for the trampoline) */
export const cbl_connect_cb$async = koffi.proto('void', ['uintptr_t', 'int32_t', 'int32_t']);
/** int (*cbl_visit_cb)(void *ctx, int32_t index, int32_t square) (user data as uintptr_t, for the trampoline) */
export const cbl_visit_cb$async = koffi.proto('int32_t', ['uintptr_t', 'int32_t', 'int32_t']);
/** void (*cbl_op_done)(void *arg, int status, int64_t output) (user data as uintptr_t, for the trampoline) */
export const cbl_op_done$async = koffi.proto('void', ['uintptr_t', 'int32_t', 'int64_t']);
/** struct cbl_op_request as cbl_op_start passes it to its trampoline */
export const cbl_op_request$cbl_op_start = koffi.struct({
    delay_ms: 'uint32_t',
    input: 'int64_t',
    done: koffi.pointer(cbl_op_done$async),
    arg: 'uintptr_t',
});
/** void (*cbl_recv_cb)(void *user, const uint8_t *data, size_t len, uint32_t seq, int last_block) (user data as uintptr_t, for the trampoline) */
export const cbl_recv_cb$async = koffi.proto('void', ['uintptr_t', 'void *', 'uint64_t', 'uint32_t', 'int32_t']);
/** void (*cbl_response_handler)(void *context, int status, int32_t sum, int32_t product) (user data as uintptr_t, for the trampoline) */
export const cbl_response_handler$async = koffi.proto('void', ['uintptr_t', 'int32_t', 'int32_t', 'int32_t']);
/** void (*cbl_log_cb)(void *user, int level, const char *message) (user data as uintptr_t, for the trampoline) */
export const cbl_log_cb$async = koffi.proto('void', ['uintptr_t', 'int32_t', 'const char *']);
/** void (*cbl_timer_cb)(void *arg, uint32_t value) (user data as uintptr_t, for the trampoline) */
export const cbl_timer_cb$async = koffi.proto('void', ['uintptr_t', 'uint32_t']);
/** Bit-fields of struct cbl_status_word (koffi has none): get/set over the storage units. */
export const cbl_status_word_bits = {
    /** unsigned int ready : 1 (bit 8) */
    ready: bitField([{ field: '_bf1', byte: 1, size: 1 }, { field: '_bf2', byte: 2, size: 2 }], 8, 1, false),
    /** unsigned int mode : 3 (bit 9) */
    mode: bitField([{ field: '_bf1', byte: 1, size: 1 }, { field: '_bf2', byte: 2, size: 2 }], 9, 3, false),
    /** int delta : 5 (bit 12) */
    delta: bitField([{ field: '_bf1', byte: 1, size: 1 }, { field: '_bf2', byte: 2, size: 2 }], 12, 5, true),
    /** unsigned int count : 12 (bit 17) */
    count: bitField([{ field: '_bf1', byte: 1, size: 1 }, { field: '_bf2', byte: 2, size: 2 }], 17, 12, false),
};
/** Registers a JS function as a C `cbl_op_done` (a koffi slot: unregister it when C can no longer call it). */
export function register_cbl_op_done(fn) {
    return koffi.register(fn, koffi.pointer(cbl_op_done$proto));
}
/** Registers a JS function as a C `cbl_timer_cb` (a koffi slot: unregister it when C can no longer call it). */
export function register_cbl_timer_cb(fn) {
    return koffi.register(fn, koffi.pointer(cbl_timer_cb$proto));
}
/** Registers a JS function as a C `cbl_response_handler` (a koffi slot: unregister it when C can no longer call it). */
export function register_cbl_response_handler(fn) {
    return koffi.register(fn, koffi.pointer(cbl_response_handler$proto));
}
/** Registers a JS function as a C `cbl_recv_cb` (a koffi slot: unregister it when C can no longer call it). */
export function register_cbl_recv_cb(fn) {
    return koffi.register(fn, koffi.pointer(cbl_recv_cb$proto));
}
/** Registers a JS function as a C `cbl_connect_cb` (a koffi slot: unregister it when C can no longer call it). */
export function register_cbl_connect_cb(fn) {
    return koffi.register(fn, koffi.pointer(cbl_connect_cb$proto));
}
/** Registers a JS function as a C `cbl_visit_cb` (a koffi slot: unregister it when C can no longer call it). */
export function register_cbl_visit_cb(fn) {
    return koffi.register(fn, koffi.pointer(cbl_visit_cb$proto));
}
/** Registers a JS function as a C `cbl_log_cb` (a koffi slot: unregister it when C can no longer call it). */
export function register_cbl_log_cb(fn) {
    return koffi.register(fn, koffi.pointer(cbl_log_cb$proto));
}
// ---- load-time layout self-check: koffi vs portabi ----
checkLayouts([
    { name: 'struct cbl_point', loc: 'include/callback_lib.h:19', type: cbl_point$type, size: 8, align: 4, fields: [['x', 0], ['y', 4]] },
    { name: 'struct cbl_status_word', loc: 'include/callback_lib.h:25', type: cbl_status_word$type, size: 8, align: 4, fields: [['kind', 0], ['tail', 4]] },
    { name: 'union cbl_value', loc: 'include/callback_lib.h:34', type: cbl_value$type, size: 8, align: 8, fields: [] },
    { name: 'struct cbl_sample', loc: 'include/callback_lib.h:40', type: cbl_sample$type, size: 40, align: 8, fields: [['at', 0], ['value', 8], ['level', 16], ['label', 20], ['note', 32]] },
    { name: 'struct cbl_op_request', loc: 'include/callback_lib.h:79', type: cbl_op_request$type, size: 32, align: 8, fields: [['delay_ms', 0], ['input', 8], ['done', 16], ['arg', 24]] },
    { name: 'struct cbl_op_request (cbl_op_start variant)', loc: 'include/callback_lib.h:79', type: cbl_op_request$cbl_op_start, size: 32, align: 8, fields: [] },
]);
// ---- async trampolines: one koffi registration per prototype ----
const cbl_connect_cb$trampoline = new Trampoline(cbl_connect_cb$async, 0, undefined);
const cbl_visit_cb$trampoline = new Trampoline(cbl_visit_cb$async, 0, 0);
const cbl_op_done$trampoline = new Trampoline(cbl_op_done$async, 0, undefined);
const cbl_recv_cb$trampoline = new Trampoline(cbl_recv_cb$async, 0, undefined);
const cbl_response_handler$trampoline = new Trampoline(cbl_response_handler$async, 0, undefined);
const cbl_log_cb$trampoline = new Trampoline(cbl_log_cb$async, 0, undefined);
const cbl_timer_cb$trampoline = new Trampoline(cbl_timer_cb$async, 0, undefined);
/** Library loaded by `load()` without an argument (from portabi.yaml `library:`). */
export const DEFAULT_LIBRARY = "/tmp/libcbl.so";
const loaded = new Map();
/** Opens the shared library (once per path) and binds its functions. */
export function load(path = DEFAULT_LIBRARY) {
    const file = path.startsWith('./') || path.startsWith('../') ? fileURLToPath(new URL(path, import.meta.url)) : path;
    const hit = loaded.get(file);
    if (hit)
        return hit;
    const lib = koffi.load(file);
    const cbl_client_open = lib.func("cbl_client_open", koffi.pointer(cbl_client$type), ['const char *']);
    const cbl_client_close = lib.func("cbl_client_close", 'void', [koffi.pointer(cbl_client$type)]);
    const cbl_point_dot = lib.func("cbl_point_dot", 'int32_t', [cbl_point$type, cbl_point$type]);
    const cbl_status_count = lib.func("cbl_status_count", 'int32_t', [koffi.pointer(cbl_status_word$type)]);
    const cbl_add64 = lib.func("cbl_add64", 'int64_t', ['int64_t', 'int64_t']);
    const cbl_timer_start = lib.func("cbl_timer_start", 'int32_t', ['uint32_t', 'uint32_t', koffi.pointer(cbl_timer_cb$proto), 'void *']);
    const cbl_timer_cancel = lib.func("cbl_timer_cancel", 'int32_t', ['int32_t']);
    const cbl_request_send = lib.func("cbl_request_send", 'int32_t', [koffi.pointer(cbl_client$type), 'int32_t', 'int32_t', koffi.pointer(cbl_response_handler$proto), 'void *']);
    const cbl_request_cancel = lib.func("cbl_request_cancel", 'int32_t', [koffi.pointer(cbl_client$type), 'int32_t']);
    const cbl_recv_start = lib.func("cbl_recv_start", 'int32_t', [koffi.pointer(cbl_client$type), 'uint32_t', 'uint32_t', koffi.pointer(cbl_recv_cb$proto), 'void *']);
    const cbl_recv_stop = lib.func("cbl_recv_stop", 'int32_t', [koffi.pointer(cbl_client$type), 'int32_t']);
    const cbl_op_start = lib.func("cbl_op_start", 'int32_t', [koffi.pointer(cbl_op_request$type)]);
    const cbl_op_cancel = lib.func("cbl_op_cancel", 'int32_t', ['int32_t']);
    const cbl_connect = lib.func("cbl_connect", 'int32_t', ['const char *', koffi.pointer(cbl_connect_cb$proto), 'void *']);
    const cbl_foreach = lib.func("cbl_foreach", 'int32_t', ['int32_t', koffi.pointer(cbl_visit_cb$proto), 'void *']);
    const cbl_set_log_handler = lib.func("cbl_set_log_handler", 'void', [koffi.pointer(cbl_log_cb$proto), 'void *']);
    const cbl_log_emit = lib.func("cbl_log_emit", 'void', ['int32_t', 'const char *']);
    const cbl_cancel_calls = lib.func("cbl_cancel_calls", 'int32_t', []);
    const cbl_late_callbacks = lib.func("cbl_late_callbacks", 'int32_t', []);
    const cbl_active_threads = lib.func("cbl_active_threads", 'int32_t', []);
    const cbl_connect$start = lib.func("cbl_connect", 'int32_t', ['const char *', koffi.pointer(cbl_connect_cb$async), 'uintptr_t']);
    const cbl_connect_async = (host, opts = {}) => runOnce(opts, { symbol: 'cbl_connect', start: (id) => cbl_connect$start(host, cbl_connect_cb$trampoline.pointer(), id), check: negErrno('cbl_connect'), cancel: null, event: (cb$) => { const e = statusError('cbl_connect', cb$[1]); if (e)
            return { error: e }; return { value: cb$[2] }; } });
    const cbl_foreach$start = lib.func("cbl_foreach", 'int32_t', ['int32_t', koffi.pointer(cbl_visit_cb$async), 'uintptr_t']);
    const cbl_foreach_async = (n, opts = {}) => runCall(opts, { symbol: 'cbl_foreach', start: (id) => cbl_foreach$start(n, cbl_visit_cb$trampoline.pointer(), id), check: negErrno('cbl_foreach'), event: (cb$) => { return { value: { index: cb$[1], square: cb$[2] } }; }, callbackReturn: 0 });
    const cbl_op_start$start = lib.func("cbl_op_start", 'int32_t', [koffi.pointer(cbl_op_request$cbl_op_start)]);
    const cbl_op_cancel$cancel = lib.func("cbl_op_cancel", 'int32_t', ['int32_t']);
    const cbl_op_start_async = (req, opts = {}) => runOnce(opts, { symbol: 'cbl_op_start', start: (id) => cbl_op_start$start({ ...req, done: cbl_op_done$trampoline.pointer(), arg: id }), check: negErrno('cbl_op_start'), cancel: (ret, id) => { void ret; void id; cbl_op_cancel$cancel(ret); }, event: (cb$) => { const e = statusError('cbl_op_start', cb$[1]); if (e)
            return { error: e }; return { value: cb$[2] }; } });
    const cbl_recv_start$start = lib.func("cbl_recv_start", 'int32_t', [koffi.pointer(cbl_client$type), 'uint32_t', 'uint32_t', koffi.pointer(cbl_recv_cb$async), 'uintptr_t']);
    const cbl_recv_stop$cancel = lib.func("cbl_recv_stop", 'int32_t', [koffi.pointer(cbl_client$type), 'int32_t']);
    const cbl_recv_start_async = (client, count, interval_ms, opts = {}) => runStream(opts, { symbol: 'cbl_recv_start', start: (id) => cbl_recv_start$start(client, count, interval_ms, cbl_recv_cb$trampoline.pointer(), id), check: negErrno('cbl_recv_start'), cancel: (ret, id) => { void ret; void id; cbl_recv_stop$cancel(client, ret); }, capacity: 1024, overflow: 'error', event: (cb$) => { return { value: { data: copyBytes(cb$[1], cb$[2]), seq: cb$[3] }, end: Number(cb$[4]) !== 0 }; } });
    const cbl_request_send$start = lib.func("cbl_request_send", 'int32_t', [koffi.pointer(cbl_client$type), 'int32_t', 'int32_t', koffi.pointer(cbl_response_handler$async), 'uintptr_t']);
    const cbl_request_cancel$cancel = lib.func("cbl_request_cancel", 'int32_t', [koffi.pointer(cbl_client$type), 'int32_t']);
    const cbl_request_send_async = (client, a, b, opts = {}) => runOnce(opts, { symbol: 'cbl_request_send', start: (id) => cbl_request_send$start(client, a, b, cbl_response_handler$trampoline.pointer(), id), check: negErrno('cbl_request_send'), cancel: (ret, id) => { void ret; void id; cbl_request_cancel$cancel(client, ret); }, event: (cb$) => { const e = statusError('cbl_request_send', cb$[1]); if (e)
            return { error: e }; return { value: { sum: cb$[2], product: cb$[3] } }; } });
    const cbl_set_log_handler$start = lib.func("cbl_set_log_handler", 'void', [koffi.pointer(cbl_log_cb$async), 'uintptr_t']);
    const cbl_set_log_handler_async = (opts = {}) => runStream(opts, { symbol: 'cbl_set_log_handler', start: (id) => cbl_set_log_handler$start(cbl_log_cb$trampoline.pointer(), id), check: noCheck, cancel: (ret, id) => { void ret; void id; cbl_set_log_handler$start(null, 0); }, capacity: 1024, overflow: 'error', event: (cb$) => { return { value: { level: cb$[1], message: copyString(cb$[2]) }, end: false }; } });
    const cbl_timer_start$start = lib.func("cbl_timer_start", 'int32_t', ['uint32_t', 'uint32_t', koffi.pointer(cbl_timer_cb$async), 'uintptr_t']);
    const cbl_timer_cancel$cancel = lib.func("cbl_timer_cancel", 'int32_t', ['int32_t']);
    const cbl_timer_start_async = (delay_ms, value, opts = {}) => runOnce(opts, { symbol: 'cbl_timer_start', start: (id) => cbl_timer_start$start(delay_ms, value, cbl_timer_cb$trampoline.pointer(), id), check: negErrno('cbl_timer_start'), cancel: (ret, id) => { void ret; void id; cbl_timer_cancel$cancel(ret); }, event: (cb$) => { return { value: cb$[1] }; } });
    const api = {
        cbl_client_open,
        cbl_client_close,
        cbl_point_dot,
        cbl_status_count,
        cbl_add64,
        cbl_timer_start,
        cbl_timer_cancel,
        cbl_request_send,
        cbl_request_cancel,
        cbl_recv_start,
        cbl_recv_stop,
        cbl_op_start,
        cbl_op_cancel,
        cbl_connect,
        cbl_foreach,
        cbl_set_log_handler,
        cbl_log_emit,
        cbl_cancel_calls,
        cbl_late_callbacks,
        cbl_active_threads,
        cbl_connect_async,
        cbl_foreach_async,
        cbl_op_start_async,
        cbl_recv_start_async,
        cbl_request_send_async,
        cbl_set_log_handler_async,
        cbl_timer_start_async,
    };
    loaded.set(file, api);
    return api;
}
