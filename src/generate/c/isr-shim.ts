// The interrupt-context shim: C that `portabi gen` writes for async APIs annotated
// `runs-on: isr`. Language-neutral (the TypeScript generator binds it; another generator can).
//
// An interrupt handler may not call into a runtime, take a lock, allocate or block. So the
// callback C gets is not a runtime trampoline but a C function of exactly the callback's
// prototype that only copies its arguments (the user data as the operation id) into a
// fixed-size lock-free single-producer ring (C11 atomics, capacity a power of two), counts the
// events it cannot queue (full ring, or a nested producer on the same ring), never blocks, and
// signals the consumer: on hosted targets a write() of one byte to a non-blocking pipe (once
// per wake-up; async-signal-safe, errno preserved), on bare metal a weak hook the user
// overrides. The consumer (one thread) drains the ring and settles operations by id.
//
// One ring per start function (its `queue:` sets the capacity, rounded up to a power of two),
// one event record per callback prototype. `planIsrShim` decides names and checks what can be
// copied; `emitIsrShim` writes the .h and .c text (deterministic).
//
// A stream that ends on a callback (`done:`, or a non-zero callback status) also gets a small
// side table: the ids of the final events its ring dropped (after a final callback C has
// finished the operation, so the consumer must not cancel it). The producer that holds the ring
// writes it (single producer, as for the ring); a final event it cannot record (table full, or a
// nested producer that does not hold the ring) is only counted, and the consumer then treats
// every stream on the ring as possibly finished.
import type { CType, TranslationUnitIR } from '../../parse/ir.js';
import { typeToC } from '../../parse/c-text.js';
import { isCharPointer, stripTypedefs, type FunctionType } from '../async/ctypes.js';
import { specProto } from '../async/detect.js';
import type { ArgExpr, AsyncSpec, ResultValue } from '../async/model.js';

/** The record one callback prototype's events are copied into. */
export interface IsrEventPlan {
  /** C struct tag (`struct <tag>`). */
  tag: string;
  proto: FunctionType;
  /** The prototype's typedef name, if it has one. */
  protoName: string | null;
  userDataIndex: number;
  /** One per callback parameter, in order; the user-data parameter is the `id` field. */
  fields: { name: string; type: CType; userData: boolean }[];
  /** `size_t <layout>(uint32_t i)`: 0 → sizeof, i → offsetof(field i-1). */
  layoutFn: string;
}

/** One start function's ring and the C functions around it. */
export interface IsrRingPlan {
  symbol: string;
  event: IsrEventPlan;
  /** Power of two. */
  capacity: number;
  /** The producer: a C function of exactly the callback's prototype. */
  producer: string;
  /** Returns the producer as the callback's pointer type (so bindings need no symbol lookup). */
  pointerFn: string;
  /** `uint32_t <drain>(struct <event> *out, uint32_t max)`: consumer side. */
  drainFn: string;
  /** `uint32_t <dropped>(void)`: events not queued so far (wraps at 2^32). */
  droppedFn: string;
  /** What the shim knows of the final events (after which C has finished an operation) the
   *  ring dropped. `table`: a stream ending on a callback; the producer evaluates `condition`
   *  (C over its parameters) and records the id of each dropped final event. 'none': a stream
   *  with no final callback (only a cancel ends it). 'untracked': once and call operations,
   *  whose final events the shim does not record. */
  finals: IsrFinalsPlan;
}

export type IsrFinalsPlan =
  | 'none'
  | 'untracked'
  | {
      k: 'table';
      /** C expression, non-zero for a final event. */
      condition: string;
      /** `uint32_t <drops>(uintptr_t *out, uint32_t max)`: consumer: the ids recorded since the
       *  last call, oldest first; returns how many. */
      dropsFn: string;
      /** `uint32_t <lost>(void)`: dropped final events not recorded so far (wraps at 2^32). */
      lostFn: string;
    };

/** Default entries of a side table (`-DPORTABI_ISR_FINAL_DROPS=<power of two>` overrides). */
export const DEFAULT_FINAL_DROPS = 8;

export interface IsrShimPlan {
  prefix: string;
  events: IsrEventPlan[];
  rings: IsrRingPlan[];
  /** `int <open>(void)`: hosted: read end of the notification pipe (created once), or -errno;
   *  bare metal: 0. */
  openFn: string;
  /** `void <ack>(void)`: the consumer calls it before draining every ring. */
  ackFn: string;
  /** `void <notify>(void)`: bare metal only, weak; called after an enqueue that needs a wake-up. */
  notifyFn: string;
}

export interface IsrProblem {
  symbol: string;
  message: string;
}

export const MAX_RING_CAPACITY = 1 << 24;

/** A C identifier from a file stem or a C spelling. */
export function cIdent(s: string): string {
  const t = s.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[0-9]/.test(t) ? `_${t}` : t;
}

function nextPow2(n: number): number {
  let c = 1;
  while (c < n) c *= 2;
  return c;
}

/** What the shim can copy from an interrupt handler: scalars, pointers (the address, not what
 *  it points to) and records by value. */
function copyable(t: CType, ir: TranslationUnitIR): string | null {
  const s = stripTypedefs(t, ir);
  switch (s.kind) {
    case 'int':
      return s.name.includes('128') ? `${s.name} (no binding can decode it)` : null;
    case 'float':
      return s.name === 'float' || s.name === 'double' ? null : `${s.name} (no binding can decode it)`;
    case 'enum':
    case 'pointer':
    case 'record':
      return null;
    case 'array':
    case 'function':
      return null; // parameters of these types decay to pointers
    default:
      return s.kind === 'unknown' ? s.text : s.kind;
  }
}

function hasTopQuals(t: CType): boolean {
  return !!t.quals && !!(t.quals.const || t.quals.volatile || t.quals.restrict);
}

function unqualified(t: CType): CType {
  if (!hasTopQuals(t)) return t;
  const { quals: _q, ...bare } = t;
  return bare as CType;
}

/** Decay an array / function parameter to a pointer and drop top-level qualifiers, so the
 *  type can be a struct member that is assigned. A typedef that adds one (`typedef const int
 *  cint;`) is replaced by the type it names, unqualified (`int`); a pointer keeps its pointee's. */
function fieldType(t: CType, ir: TranslationUnitIR): CType {
  const s = stripTypedefs(t, ir);
  if (s.kind === 'array') return { kind: 'pointer', to: s.of };
  if (s.kind === 'function') return { kind: 'pointer', to: s };
  for (let u = t, i = 0; i < 64 && u.kind === 'typedef'; i++) {
    const td = Object.prototype.hasOwnProperty.call(ir.typedefs, u.name) ? ir.typedefs[u.name] : undefined;
    if (!td) break;
    u = td.type;
    if (hasTopQuals(u)) return fieldType(unqualified(u), ir);
  }
  return unqualified(t);
}

function resultValues(spec: AsyncSpec): ResultValue[] {
  const r = spec.result;
  return r.k === 'void' ? [] : r.k === 'value' ? [r.value] : r.fields.map((f) => f.value);
}

/** A callback argument as a C operand of a final-event test: integers, enums and pointers (as
 *  their address) through `<prefix>_arg`, which takes and returns a `long long` (so mixed
 *  signedness and ranges compare as the numbers they are; a function call, it also keeps the
 *  compiler from judging a comparison by the argument's own type: no -Wsign-compare or
 *  -Wtype-limits), floating types as `double`. `$i` stands for parameter i's name in the
 *  producer. */
function finalOperand(i: number, proto: FunctionType, ir: TranslationUnitIR, prefix: string): string | { problem: string } {
  const p = proto.params[i]!;
  const s = stripTypedefs(p.type, ir);
  switch (s.kind) {
    case 'int':
    case 'enum':
      return `${prefix}_arg($${i})`;
    case 'float':
      return `(double)$${i}`;
    case 'pointer':
    case 'array':
    case 'function':
      return `${prefix}_arg((intptr_t)$${i})`;
    default:
      return { problem: `callback parameter ${i + 1} ('${p.name ?? '?'}') is a ${s.kind === 'record' ? 'struct or union' : s.kind}: the shim cannot test it for the stream's final event` };
  }
}

/** C text of an integer literal of a `done:` expression (a type that holds it). */
function cInt(v: bigint): string {
  if (v <= 2147483647n) return v.toString();
  if (v <= 9223372036854775807n) return `${v}LL`;
  return `(long long)${v}ULL`;
}

/** A `done:` expression in C over the producer's parameters (`$i`), fully parenthesized, with
 *  the truth tests of `&&`, `||` and `!` written out (`!= 0`, `== 0`) so that no arithmetic
 *  value is used in a boolean context. `truth`: the value is already 0 or 1. */
function cArgExpr(e: ArgExpr, operand: (name: string) => string): { text: string; truth: boolean } {
  const test = (x: { text: string; truth: boolean }): string => (x.truth ? x.text : `(${x.text} != 0)`);
  switch (e.k) {
    case 'arg':
      return { text: operand(e.name), truth: false };
    case 'int':
      return { text: cInt(e.value), truth: false };
    case 'unary': {
      const a = cArgExpr(e.arg, operand);
      return e.op === '!' ? { text: a.truth ? `(!${a.text})` : `(${a.text} == 0)`, truth: true } : { text: `(${e.op}${a.text})`, truth: false };
    }
    case 'binary': {
      const l = cArgExpr(e.left, operand);
      const r = cArgExpr(e.right, operand);
      if (e.op === '&&' || e.op === '||') return { text: `(${test(l)} ${e.op} ${test(r)})`, truth: true };
      return { text: `(${l.text} ${e.op} ${r.text})`, truth: ['==', '!=', '<', '<=', '>', '>='].includes(e.op) };
    }
  }
}

/** The C test of a stream's final event over the producer's parameters (`$i`), as the bindings
 *  end the stream: a non-zero callback status (errors: callback-status) or its `done:`
 *  expression. null: the stream has no final callback (only a cancel ends it), or the spec is
 *  not a stream. */
function finalCondition(spec: AsyncSpec, proto: FunctionType, ir: TranslationUnitIR, prefix: string): string | null | { problem: string } {
  if (spec.scope !== 'stream') return null;
  const problems: string[] = [];
  const operand = (name: string): string => {
    const i = proto.params.findIndex((p) => p.name === name);
    const o = i < 0 ? { problem: `'${name}' is not a parameter of the callback` } : finalOperand(i, proto, ir, prefix);
    if (typeof o === 'string') return o;
    problems.push(o.problem);
    return '0';
  };
  const parts: string[] = [];
  if (spec.errors.includes('callback-status') && spec.status) parts.push(`(${operand(spec.status)} != 0)`);
  if (spec.done) {
    const d = cArgExpr(spec.done, operand);
    parts.push(d.truth ? d.text : `(${d.text} != 0)`);
  }
  if (problems.length) return { problem: problems[0]! };
  return parts.length ? parts.join(' || ') : null;
}

/** Plans the shim for the `runs-on: isr` specs; problems name the start symbol. */
export function planIsrShim(specs: AsyncSpec[], ir: TranslationUnitIR, prefix: string): { plan: IsrShimPlan; problems: IsrProblem[] } {
  const events = new Map<string, IsrEventPlan>();
  const rings: IsrRingPlan[] = [];
  const problems: IsrProblem[] = [];
  for (const spec of specs) {
    if (spec.runsOn !== 'isr') continue;
    const fn = Object.prototype.hasOwnProperty.call(ir.functions, spec.symbol) ? ir.functions[spec.symbol] : undefined;
    const proto = fn ? specProto(fn, spec, ir) : null;
    if (!fn || !proto) {
      problems.push({ symbol: spec.symbol, message: 'runs-on isr: cannot find the callback prototype' });
      continue;
    }
    const problem = (m: string): void => {
      problems.push({ symbol: spec.symbol, message: `runs-on isr: ${m}` });
    };
    let ok = true;
    const ret = stripTypedefs(proto.ret, ir);
    if (ret.kind === 'record') {
      problem('the callback returns a struct or union by value; the shim can only return 0');
      ok = false;
    }
    if (proto.variadic) {
      problem('the callback is variadic; the shim cannot copy its arguments');
      ok = false;
    }
    proto.params.forEach((p, i) => {
      if (i === spec.userDataIndex) return;
      const why = copyable(p.type, ir);
      if (why) {
        problem(`callback parameter ${i + 1} ('${p.name ?? '?'}') is ${why}`);
        ok = false;
      }
    });
    for (const v of resultValues(spec)) {
      if (v.k === 'bytes' || v.k === 'string') {
        problem(
          `result ${v.k}(${v.k === 'bytes' ? `${v.ptr}, ${v.len}` : v.ptr}) reads memory that is valid only while the interrupt handler runs; ` +
            'the shim copies arguments by value (scalars, pointers as addresses): map scalar arguments instead',
        );
        ok = false;
      } else {
        const p = proto.params.find((q) => q.name === v.name);
        if (p && isCharPointer(p.type, ir)) {
          problem(`result '${v.name}' is a char * the interrupt handler owns; the shim copies only the address`);
          ok = false;
        }
      }
    }
    const final = finalCondition(spec, proto, ir, prefix);
    if (typeof final !== 'string' && final !== null) {
      problem(final.problem);
      ok = false;
    }
    if (spec.queue.capacity > MAX_RING_CAPACITY) {
      problem(`queue ${spec.queue.capacity} is more than the shim's ring limit ${MAX_RING_CAPACITY}`);
      ok = false;
    }
    if (!ok) continue;
    const key = spec.prototype ?? `${spec.symbol}#callback`;
    let event = events.get(key);
    if (!event) {
      const base = cIdent(spec.prototype ?? `${spec.symbol}_callback`);
      const used = new Set<string>(['id']);
      const fields = proto.params.map((p, i) => {
        if (i === spec.userDataIndex) return { name: 'id', type: { kind: 'typedef', name: 'uintptr_t' } as CType, userData: true };
        let name = p.name && /^[A-Za-z_]\w*$/.test(p.name) ? p.name : `arg${i}`;
        if (used.has(name)) name = `arg${i}`;
        used.add(name);
        return { name, type: fieldType(p.type, ir), userData: false };
      });
      event = { tag: `${prefix}_${base}_event`, proto, protoName: spec.prototype, userDataIndex: spec.userDataIndex, fields, layoutFn: `${prefix}_${base}_event_layout` };
      events.set(key, event);
    }
    const s = cIdent(spec.symbol);
    const ev = event;
    const condition = typeof final === 'string' ? final.replace(/\$(\d+)/g, (_m, i: string) => paramName(ev, Number(i))) : null;
    rings.push({
      symbol: spec.symbol,
      event,
      capacity: nextPow2(Math.max(1, spec.queue.capacity)),
      producer: `${prefix}_${s}_isr`,
      pointerFn: `${prefix}_${s}_pointer`,
      drainFn: `${prefix}_${s}_drain`,
      droppedFn: `${prefix}_${s}_dropped`,
      finals:
        spec.scope !== 'stream'
          ? 'untracked'
          : condition === null
            ? 'none'
            : { k: 'table', condition, dropsFn: `${prefix}_${s}_final_drops`, lostFn: `${prefix}_${s}_final_lost` },
    });
  }
  return {
    plan: { prefix, events: [...events.values()], rings, openFn: `${prefix}_open`, ackFn: `${prefix}_ack`, notifyFn: `${prefix}_notify` },
    problems,
  };
}

/** The producer's definition line: the callback's prototype with every parameter named. */
function producerDecl(ring: IsrRingPlan, ir: TranslationUnitIR): string {
  const proto = ring.event.proto;
  const named: FunctionType = { ...proto, params: proto.params.map((p, i) => ({ ...p, name: paramName(ring.event, i) })) };
  return typeToC(named, ir, ring.producer);
}

function paramName(ev: IsrEventPlan, i: number): string {
  const p = ev.proto.params[i]!;
  return p.name && /^[A-Za-z_]\w*$/.test(p.name) ? p.name : `arg${i}`;
}

/** `<proto> <pointerFn>(void)`: the typedef when the prototype has one. */
function pointerDecl(ring: IsrRingPlan, ir: TranslationUnitIR): string {
  if (ring.event.protoName) return `${ring.event.protoName} ${ring.pointerFn}(void)`;
  return typeToC({ kind: 'pointer', to: ring.event.proto }, ir, `${ring.pointerFn}(void)`);
}

export interface IsrShimFiles {
  header: string;
  source: string;
}

export interface IsrShimEmitOptions {
  /** `#include` lines' paths for the user's headers, relative to the shim's directory. */
  includes: string[];
  /** The header's file name (the .c includes it). */
  headerName: string;
  /** One line naming where the shim comes from (portabi.yaml, relative). */
  origin: string;
}

/** The .h and .c text of a planned shim. */
export function emitIsrShim(plan: IsrShimPlan, ir: TranslationUnitIR, o: IsrShimEmitOptions): IsrShimFiles {
  const P = plan.prefix;
  const guard = `${cIdent(o.headerName).toUpperCase()}_`;
  const h: string[] = [];
  h.push(
    `/* Generated by \`portabi gen\` from ${o.origin}. Do not edit: regenerate instead (\`portabi gen --check\` verifies).`,
    ' *',
    ' * Interrupt-context shim for the callback APIs annotated `runs-on: isr`. Pass a producer',
    ' * (<prefix>_<symbol>_isr, or the pointer <prefix>_<symbol>_pointer() returns) as the C callback',
    ' * and the operation id as its user data. The producer only copies its arguments into a',
    ' * fixed-size lock-free single-producer ring and signals: it never locks, allocates or blocks.',
    ' * - Capacity: a power of two per start function (portabi.yaml `queue:`). A full ring, or a',
    ' *   producer entered while another is running on the same ring (a nested interrupt), drops',
    ' *   the event and counts it (<prefix>_<symbol>_dropped); the consumer surfaces the count.',
    ' * - A producer that finds another one running on its ring (nested, or on another CPU) drops',
    ' *   its event (counted) rather than wait; distinct rings are independent.',
    ' * - A stream that ends on a callback (its final event: C has finished the operation) has a',
    ' *   side table of PORTABI_ISR_FINAL_DROPS (default 8, -D a power of two) entries: the ids of',
    ' *   the final events its ring dropped (<prefix>_<symbol>_final_drops), so the consumer does',
    ' *   not cancel those operations. One it cannot record (table full, or dropped by a nested',
    ' *   producer) is counted (<prefix>_<symbol>_final_lost): then any stream may have finished.',
    ' * - Wake-up: hosted (unix) targets write one byte to a non-blocking pipe whose read end',
    ' *   <prefix>_open() returns (once per wake-up, errno preserved: async-signal-safe); bare metal',
    ' *   (no __unix__, or -DPORTABI_ISR_BARE_METAL) calls the weak hook <prefix>_notify(), which',
    ' *   you override to wake your consumer (set an event flag, pend a PendSV...).',
    ' * - Consumer (one thread): <prefix>_ack(), then <prefix>_<symbol>_drain() for every ring. */',
    `#ifndef ${guard}`,
    `#define ${guard}`,
    '',
    '#include <stddef.h>',
    '#include <stdint.h>',
    '',
    ...o.includes.map((i) => `#include "${i}"`),
    '',
    '#ifdef __cplusplus',
    'extern "C" {',
    '#endif',
    '',
    `/* Read end of the notification pipe (hosted; created on the first call), or -errno; 0 on bare metal. */`,
    `int ${plan.openFn}(void);`,
    `/* Consumer: call before draining the rings (re-arms the wake-up). */`,
    `void ${plan.ackFn}(void);`,
    `/* Bare metal: called after an enqueue that needs a wake-up. Weak; define your own. */`,
    `void ${plan.notifyFn}(void);`,
  );
  for (const ev of plan.events) {
    h.push('', `/* One event of ${ev.protoName ?? 'the callback'}: its arguments by value, the user data as the operation id. */`, `struct ${ev.tag} {`);
    for (const f of ev.fields) h.push(`  ${typeToC(f.type, ir, f.name)};`);
    h.push('};', `/* 0: sizeof(struct ${ev.tag}); i: offsetof its field i - 1 (for the bindings' layout check). */`, `size_t ${ev.layoutFn}(uint32_t i);`);
  }
  for (const r of plan.rings) {
    h.push(
      '',
      `/* ${r.symbol}: a ring of ${r.capacity} events. */`,
      `${producerDecl(r, ir)};`,
      `${pointerDecl(r, ir)};`,
      `uint32_t ${r.drainFn}(struct ${r.event.tag} *out, uint32_t max);`,
      `uint32_t ${r.droppedFn}(void);`,
    );
    if (typeof r.finals !== 'string') {
      h.push(
        '/* Its dropped final events (after which C has finished the operation): the ids recorded',
        ' * since the last call, oldest first (returns how many), and how many were not recorded. */',
        `uint32_t ${r.finals.dropsFn}(uintptr_t *out, uint32_t max);`,
        `uint32_t ${r.finals.lostFn}(void);`,
      );
    }
  }
  h.push('', '#ifdef __cplusplus', '}', '#endif', '', `#endif /* ${guard} */`, '');

  const c: string[] = [];
  c.push(
    `/* Generated by \`portabi gen\` from ${o.origin}. Do not edit: regenerate instead.`,
    ` * The interrupt-context shim: see ${o.headerName} for the design. */`,
    '#if !defined(PORTABI_ISR_BARE_METAL) && (defined(__unix__) || defined(__APPLE__))',
    '#define PORTABI_ISR_HOSTED 1',
    "#if defined(__STRICT_ANSI__) && !defined(_POSIX_C_SOURCE) && !defined(_GNU_SOURCE) && !defined(__APPLE__)",
    '#define _POSIX_C_SOURCE 200809L /* pipe, fcntl, write under -std=c11 */',
    '#endif',
    '#endif',
    '',
    `#include "${o.headerName}"`,
    '',
    '#include <stdatomic.h>',
    '#ifdef PORTABI_ISR_HOSTED',
    '#include <errno.h>',
    '#include <fcntl.h>',
    '#include <unistd.h>',
    '#endif',
    '',
    '/* An atomic that needs a lock is not usable in an interrupt handler. */',
    '_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "the ISR shim needs lock-free atomic_uint on this target");',
    '',
    'struct portabi_isr_ring {',
    '  atomic_uint head;    /* written by the producer */',
    '  atomic_uint tail;    /* written by the consumer */',
    '  atomic_uint dropped; /* events not queued */',
    '  atomic_uint busy;    /* a producer is running */',
    '};',
    '',
    `#ifndef PORTABI_ISR_FINAL_DROPS`,
    `#define PORTABI_ISR_FINAL_DROPS ${DEFAULT_FINAL_DROPS}`,
    '#endif',
    '_Static_assert(PORTABI_ISR_FINAL_DROPS > 0 && (PORTABI_ISR_FINAL_DROPS & (PORTABI_ISR_FINAL_DROPS - 1)) == 0,',
    '               "PORTABI_ISR_FINAL_DROPS must be a power of two");',
    '',
    '/* The ids of a stream ring\'s dropped final events. Single producer: only the producer that',
    ' * holds the ring (its busy flag) writes `id` and `head`; single consumer. */',
    'struct portabi_isr_finals {',
    '  atomic_uint head; /* written by the producer holding the ring */',
    '  atomic_uint tail; /* written by the consumer */',
    '  atomic_uint lost; /* final events dropped and not recorded */',
    '  uintptr_t id[PORTABI_ISR_FINAL_DROPS];',
    '};',
    '',
    ...(plan.rings.some((r) => typeof r.finals !== 'string')
      ? [
          '/* An argument of a final-event test as the number it is (the tests compare numbers, as the',
          ' * bindings do; a call, so the compiler does not judge a comparison by the argument\'s type). */',
          `static inline long long ${P}_arg(long long v) { return v; }`,
          '',
        ]
      : []),
    `static atomic_uint ${P}_notified;`,
    '',
    '#ifdef PORTABI_ISR_HOSTED',
    `static int ${P}_pipe[2] = {-1, -1};`,
    `static atomic_int ${P}_wake_fd = -1;`,
    '',
    `int ${plan.openFn}(void) {`,
    `  if (${P}_pipe[0] >= 0) return ${P}_pipe[0];`,
    '  int fds[2];',
    '  if (pipe(fds) != 0) return -errno;',
    '  for (int i = 0; i < 2; i++) {',
    '    int fl = fcntl(fds[i], F_GETFL);',
    '    if (fl < 0 || fcntl(fds[i], F_SETFL, fl | O_NONBLOCK) != 0 || fcntl(fds[i], F_SETFD, FD_CLOEXEC) != 0) {',
    '      int e = errno;',
    '      close(fds[0]);',
    '      close(fds[1]);',
    '      return -e;',
    '    }',
    '  }',
    `  ${P}_pipe[0] = fds[0];`,
    `  ${P}_pipe[1] = fds[1];`,
    `  atomic_store(&${P}_wake_fd, fds[1]);`,
    '  return fds[0];',
    '}',
    '',
    `void ${plan.notifyFn}(void) {`,
    `  int fd = atomic_load(&${P}_wake_fd);`,
    '  if (fd < 0) return;',
    '  int saved = errno;',
    '  ssize_t n = write(fd, "", 1); /* EAGAIN: the pipe is full, the consumer will wake anyway */',
    '  (void)n;',
    '  errno = saved;',
    '}',
    '#else',
    `int ${plan.openFn}(void) { return 0; }`,
    '',
    `__attribute__((weak)) void ${plan.notifyFn}(void) {}`,
    '#endif',
    '',
    `void ${plan.ackFn}(void) { atomic_store(&${P}_notified, 0u); }`,
    '',
    '/* A dropped event is counted and wakes the consumer like a queued one: the consumer may',
    ' * have read the count just before this increment, and an operation whose only event was',
    ' * dropped must still hear of it. seq_cst pairs with the consumer\'s load of the count.',
    ' * A final event of a stream with a side table (`f`) is first recorded by its id, when this',
    ' * producer holds the ring (`owner`) and the table has room; else counted in `lost`. Both',
    ' * happen before the increment of `dropped` (a release), so a consumer that sees the count',
    ' * sees the record. `owner`: the ring is released here, after the record. */',
    `static void ${P}_drop(struct portabi_isr_ring *r, struct portabi_isr_finals *f, uintptr_t id, int final, int owner) {`,
    '  if (f && final) {',
    '    int recorded = 0;',
    '    if (owner) {',
    '      unsigned h = atomic_load_explicit(&f->head, memory_order_relaxed);',
    '      if (h - atomic_load_explicit(&f->tail, memory_order_acquire) < PORTABI_ISR_FINAL_DROPS) {',
    '        f->id[h & (PORTABI_ISR_FINAL_DROPS - 1u)] = id;',
    '        atomic_store_explicit(&f->head, h + 1u, memory_order_release);',
    '        recorded = 1;',
    '      }',
    '    }',
    '    if (!recorded) atomic_fetch_add_explicit(&f->lost, 1u, memory_order_relaxed);',
    '  }',
    '  if (owner) atomic_store_explicit(&r->busy, 0u, memory_order_release);',
    '  atomic_fetch_add_explicit(&r->dropped, 1u, memory_order_seq_cst);',
    `  if (atomic_exchange(&${P}_notified, 1u) == 0u) ${plan.notifyFn}();`,
    '}',
    '',
    '/* Producer side. Returns the slot to fill, or -1 (counted as dropped): ring full, or another',
    ' * producer is running on this ring. Wait-free. `f`, `id`, `final`: see _drop. */',
    `static long ${P}_reserve(struct portabi_isr_ring *r, uint32_t capacity, struct portabi_isr_finals *f, uintptr_t id, int final) {`,
    '  if (atomic_exchange_explicit(&r->busy, 1u, memory_order_acquire) != 0u) {',
    `    ${P}_drop(r, f, id, final, 0);`,
    '    return -1;',
    '  }',
    '  unsigned h = atomic_load_explicit(&r->head, memory_order_relaxed);',
    '  unsigned t = atomic_load_explicit(&r->tail, memory_order_acquire);',
    '  if (h - t >= capacity) {',
    `    ${P}_drop(r, f, id, final, 1);`,
    '    return -1;',
    '  }',
    '  return (long)(h & (capacity - 1u));',
    '}',
    '',
    '/* Publishes the filled slot and wakes the consumer once per ack. The seq_cst store and',
    ' * exchange pair with the consumer\'s ack and head load: no wake-up is lost. */',
    `static void ${P}_publish(struct portabi_isr_ring *r) {`,
    '  unsigned h = atomic_load_explicit(&r->head, memory_order_relaxed);',
    '  atomic_store_explicit(&r->head, h + 1u, memory_order_seq_cst);',
    '  atomic_store_explicit(&r->busy, 0u, memory_order_release);',
    `  if (atomic_exchange(&${P}_notified, 1u) == 0u) ${plan.notifyFn}();`,
    '}',
    '',
    '/* Consumer side: how many events are queued from `*tail`. */',
    `static uint32_t ${P}_available(struct portabi_isr_ring *r, unsigned *tail, uint32_t max) {`,
    '  *tail = atomic_load_explicit(&r->tail, memory_order_relaxed);',
    '  unsigned n = atomic_load_explicit(&r->head, memory_order_seq_cst) - *tail;',
    '  return n < max ? n : max;',
    '}',
  );
  for (const ev of plan.events) {
    const n = ev.fields.length;
    c.push(
      '',
      `size_t ${ev.layoutFn}(uint32_t i) {`,
      `  static const size_t layout[${n + 1}] = {sizeof(struct ${ev.tag}), ${ev.fields.map((f) => `offsetof(struct ${ev.tag}, ${f.name})`).join(', ')}};`,
      `  return i < ${n + 1} ? layout[i] : 0;`,
      '}',
    );
  }
  for (const r of plan.rings) {
    const ev = r.event;
    const ring = `${P}_${cIdent(r.symbol)}_ring`;
    const slots = `${P}_${cIdent(r.symbol)}_slots`;
    const finals = `${P}_${cIdent(r.symbol)}_finals`;
    const table = typeof r.finals === 'string' ? null : r.finals;
    const ret = stripTypedefs(ev.proto.ret, ir).kind === 'void' ? '' : ' 0';
    c.push(
      '',
      `/* ---- ${r.symbol}: ${r.capacity} events ---- */`,
      `static struct portabi_isr_ring ${ring};`,
      `static struct ${ev.tag} ${slots}[${r.capacity}u];`,
      ...(table ? [`static struct portabi_isr_finals ${finals};`] : []),
      '',
      `${producerDecl(r, ir)} {`,
      ...(table
        ? [
            `  int portabi_final = ${table.condition}; /* a final event: C has finished the operation */`,
            `  long portabi_slot = ${P}_reserve(&${ring}, ${r.capacity}u, &${finals}, (uintptr_t)${paramName(ev, ev.userDataIndex)}, portabi_final);`,
          ]
        : [`  long portabi_slot = ${P}_reserve(&${ring}, ${r.capacity}u, NULL, 0u, 0);`]),
      `  if (portabi_slot < 0) return${ret};`,
      `  struct ${ev.tag} *portabi_e = &${slots}[portabi_slot];`,
    );
    ev.fields.forEach((f, i) => {
      const arg = paramName(ev, i);
      c.push(f.userData ? `  portabi_e->id = (uintptr_t)${arg};` : `  portabi_e->${f.name} = ${arg};`);
    });
    c.push(
      `  ${P}_publish(&${ring});`,
      ...(ret ? [`  return${ret};`] : []),
      '}',
      '',
      `${pointerDecl(r, ir)} { return ${r.producer}; }`,
      '',
      `uint32_t ${r.drainFn}(struct ${ev.tag} *out, uint32_t max) {`,
      '  unsigned t;',
      `  uint32_t n = ${P}_available(&${ring}, &t, max);`,
      `  for (uint32_t i = 0; i < n; i++) out[i] = ${slots}[(t + i) & ${r.capacity - 1}u];`,
      `  atomic_store_explicit(&${ring}.tail, t + n, memory_order_release);`,
      '  return n;',
      '}',
      '',
      `uint32_t ${r.droppedFn}(void) { return atomic_load_explicit(&${ring}.dropped, memory_order_seq_cst); }`,
    );
    if (table) {
      c.push(
        '',
        `uint32_t ${table.dropsFn}(uintptr_t *out, uint32_t max) {`,
        `  unsigned t = atomic_load_explicit(&${finals}.tail, memory_order_relaxed);`,
        `  unsigned n = atomic_load_explicit(&${finals}.head, memory_order_acquire) - t;`,
        '  if (n > max) n = max;',
        `  for (unsigned i = 0; i < n; i++) out[i] = ${finals}.id[(t + i) & (PORTABI_ISR_FINAL_DROPS - 1u)];`,
        `  atomic_store_explicit(&${finals}.tail, t + n, memory_order_release);`,
        '  return n;',
        '}',
        '',
        `uint32_t ${table.lostFn}(void) { return atomic_load_explicit(&${finals}.lost, memory_order_seq_cst); }`,
      );
    }
  }
  c.push('');
  return { header: h.join('\n'), source: c.join('\n') };
}
