// Async detection: which C functions start an asynchronous operation through a callback.
// What it finds is a proposal (listed by `portabi gen --explain-async`); portabi.yaml confirms
// or overrides it per C symbol (resolve.ts).
//
// Shapes recognised:
//   1. a function-pointer parameter whose prototype has a user-data parameter (`void *` or
//      uintptr_t), paired with a user-data parameter of the call (the context);
//   2. a struct (passed by pointer or value) with such a callback field and a user-data field.
// Cancel functions are paired by name (stem + _cancel/_stop/_remove/_unregister/_abort) and
// by handle type (each cancel argument must come from the start call: its result, one of its
// arguments, or the context); `set_*_cb(NULL)` registrations cancel by registering NULL.
import type { FunctionDecl, Param, RecordDecl, TranslationUnitIR } from '../../parse/ir.js';
import {
  functionPointee,
  isBytePointer,
  isCharPointer,
  isInteger,
  isLengthParam,
  isPointer,
  isSignedInt,
  isUserDataType,
  isVoid,
  passedRecord,
  prototypeName,
  sameType,
  stripTypedefs,
  type FunctionType,
} from './ctypes.js';
import {
  DEFAULT_QUEUE_CAPACITY,
  type AsyncScope,
  type AsyncSpec,
  type CancelArg,
  type CancelSpec,
  type ErrorConvention,
  type ResultMapping,
  type ResultValue,
  type Site,
} from './model.js';

const CANCEL_SUFFIXES = ['cancel', 'stop', 'remove', 'unregister', 'abort'];
const START_VERBS = ['start', 'send', 'begin', 'register', 'add', 'submit', 'subscribe', 'request', 'async', 'open', 'run', 'post', 'schedule', 'arm'];
const CONTEXT_NAMES = /^(ctx|context|arg|args|user|userdata|user_data|udata|data|opaque|cookie|priv|closure|param)$/i;
const DONE_NAMES = /^(last|last_block|is_last|done|eof|final|finished|end|more)$/i;
const STATUS_NAMES = /^(status|err|error|errnum|rc|ret|result|res|code)$/i;

/** Where the callback of a start function is and what it looks like. */
export interface CallbackShape {
  callback: Site;
  context: Site;
  proto: FunctionType;
  prototype: string | null;
  userDataIndex: number;
  reasons: string[];
}

function userDataIndex(f: FunctionType, ir: TranslationUnitIR): number {
  const idx = f.params.findIndex((p) => isUserDataType(p.type, ir));
  return idx;
}

function recordOf(id: number, ir: TranslationUnitIR): RecordDecl | undefined {
  const r = ir.records[id];
  if (r && !r.complete && r.name) {
    const full = ir.tags[r.tag][r.name];
    if (full !== undefined) return ir.records[full];
  }
  return r;
}

/** Finds the callback + context of a start function (shape 1, then shape 2). `want` limits
 *  the search to the given callback / context sites (from an annotation). */
export function findCallbackShape(fn: FunctionDecl, ir: TranslationUnitIR, want: { callback?: Site; context?: Site } = {}): CallbackShape | string {
  const params = fn.type.params;
  // Shape 1: callback parameter + context parameter.
  if (!want.callback || want.callback.k === 'param') {
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      if (want.callback && want.callback.k === 'param' && p.name !== want.callback.param) continue;
      const proto = functionPointee(p.type, ir);
      if (!proto || !p.name) continue;
      const ud = userDataIndex(proto, ir);
      if (ud < 0) {
        if (want.callback) return `callback '${p.name}': its prototype has no user-data parameter (void * or uintptr_t)`;
        continue;
      }
      const ctx = pickContext(params, i, ir, want.context);
      if (typeof ctx === 'string') {
        if (want.callback) return ctx;
        continue;
      }
      return {
        callback: { k: 'param', param: p.name },
        context: ctx,
        proto,
        prototype: prototypeName(p.type, ir),
        userDataIndex: ud,
        reasons: [
          `parameter '${p.name}' is a function pointer whose parameter ${ud + 1} ('${proto.params[ud]!.name ?? '?'}') is user data`,
          ctx.k === 'param' ? `parameter '${ctx.param}' carries the user data` : `field '${ctx.param}.${ctx.field}' carries the user data`,
        ],
      };
    }
  }
  // Shape 2: a struct with a callback field and a user-data field.
  for (const p of params) {
    if (!p.name) continue;
    if (want.callback && want.callback.param !== p.name) continue;
    const rid = passedRecord(p.type, ir);
    if (rid === null) continue;
    const rec = recordOf(rid, ir);
    if (!rec || !rec.complete) continue;
    for (const f of rec.fields) {
      if (!f.name) continue;
      if (want.callback && want.callback.k === 'field' && want.callback.field !== f.name) continue;
      const proto = functionPointee(f.type, ir);
      if (!proto) continue;
      const ud = userDataIndex(proto, ir);
      if (ud < 0) continue;
      let ctxField: string | null = null;
      if (want.context) {
        if (want.context.k !== 'field' || want.context.param !== p.name) return `context must be a field of '${p.name}' for a struct callback`;
        ctxField = rec.fields.some((g) => g.name === (want.context as { field: string }).field) ? want.context.field : null;
        if (!ctxField) return `struct ${rec.name ?? '<anonymous>'} has no field '${want.context.field}'`;
      } else {
        const cands = rec.fields.filter((g) => g.name && g !== f && isUserDataType(g.type, ir));
        ctxField = (cands.find((g) => CONTEXT_NAMES.test(g.name!)) ?? cands[0])?.name ?? null;
      }
      if (!ctxField) continue;
      return {
        callback: { k: 'field', param: p.name, field: f.name },
        context: { k: 'field', param: p.name, field: ctxField },
        proto,
        prototype: prototypeName(f.type, ir),
        userDataIndex: ud,
        reasons: [
          `parameter '${p.name}' passes struct ${rec.name ?? '<anonymous>'}, whose field '${f.name}' is a function pointer with user data (parameter ${ud + 1})`,
          `field '${ctxField}' carries the user data`,
        ],
      };
    }
  }
  return want.callback ? `no callback '${siteText(want.callback)}' with a user-data parameter` : 'no callback with a user-data parameter';
}

function pickContext(params: Param[], cbIndex: number, ir: TranslationUnitIR, want: Site | undefined): Site | string {
  if (want) {
    if (want.k !== 'param') return `context '${siteText(want)}' must be a parameter for a callback parameter`;
    const p = params.find((q) => q.name === want.param);
    if (!p) return `no parameter '${want.param}'`;
    return want;
  }
  const cands = params.map((p, i) => ({ p, i })).filter(({ p, i }) => i !== cbIndex && p.name && isUserDataType(p.type, ir));
  if (cands.length === 0) return 'the callback has no context parameter beside it (void * or uintptr_t)';
  const best = cands.find(({ i }) => i === cbIndex + 1) ?? cands.find(({ p }) => CONTEXT_NAMES.test(p.name!)) ?? cands[0]!;
  return { k: 'param', param: best.p.name! };
}

export function siteText(s: Site): string {
  return s.k === 'param' ? s.param : `${s.param}.${s.field}`;
}

/** The name stem a start function shares with its cancel function: `timer_start` → `timer_`. */
function stems(symbol: string): string[] {
  const out: string[] = [];
  const parts = symbol.split('_');
  if (parts.length > 1 && START_VERBS.includes(parts[parts.length - 1]!.toLowerCase())) out.push(parts.slice(0, -1).join('_') + '_');
  out.push(symbol + '_');
  return out;
}

/** Pairs a cancel function's parameters with what the start call had. */
export function cancelArgs(start: FunctionDecl, cancel: FunctionDecl, ir: TranslationUnitIR, context: Site): CancelArg[] | string {
  const out: CancelArg[] = [];
  for (const cp of cancel.type.params) {
    const byName = start.type.params.find((sp) => sp.name && sp.name === cp.name && sameType(sp.type, cp.type, ir));
    if (byName && !(context.k === 'param' && context.param === byName.name)) {
      out.push({ k: 'start-arg', param: byName.name! });
      continue;
    }
    if (!isVoid(start.type.ret, ir) && sameType(start.type.ret, cp.type, ir)) {
      out.push({ k: 'start-result' });
      continue;
    }
    if (isUserDataType(cp.type, ir)) {
      out.push({ k: 'context' });
      continue;
    }
    const byType = start.type.params.filter((sp) => sp.name && isPointer(sp.type, ir) && sameType(sp.type, cp.type, ir));
    if (byType.length === 1) {
      out.push({ k: 'start-arg', param: byType[0]!.name! });
      continue;
    }
    return `${cancel.name}: parameter '${cp.name ?? '?'}' matches nothing of ${start.name} (its result, an argument or the context)`;
  }
  if (!out.some((a) => a.k !== 'null')) return `${cancel.name} takes no handle of ${start.name}`;
  return out;
}

function findCancel(fn: FunctionDecl, ir: TranslationUnitIR, shape: CallbackShape, reasons: string[]): CancelSpec | null {
  for (const stem of stems(fn.name)) {
    for (const suffix of CANCEL_SUFFIXES) {
      const name = stem + suffix;
      const c = Object.prototype.hasOwnProperty.call(ir.functions, name) ? ir.functions[name] : undefined;
      if (!c || name === fn.name) continue;
      const args = cancelArgs(fn, c, ir, shape.context);
      if (typeof args === 'string') {
        reasons.push(`cancel candidate ${args}`);
        continue;
      }
      reasons.push(`cancel: ${name} (name ${stem}${suffix}; arguments ${args.map(cancelArgText).join(', ')})`);
      return { k: 'function', symbol: name, args };
    }
  }
  if (/(^|_)set_.*(cb|callback|handler|hook|listener)$/i.test(fn.name) || /(^|_)(on|set)_/.test(fn.name)) {
    if (shape.callback.k === 'param') {
      reasons.push(`cancel: ${fn.name}(NULL) (a set-callback registration)`);
      return { k: 'set-null' };
    }
  }
  return null;
}

export function cancelArgText(a: CancelArg): string {
  return a.k === 'start-arg' ? a.param : a.k === 'start-result' ? 'result' : a.k;
}

function guessScope(fn: FunctionDecl, shape: CallbackShape, cancel: CancelSpec | null, reasons: string[]): AsyncScope {
  const n = fn.name.toLowerCase();
  if (/(foreach|for_each|_each|iterate|_walk|visit|_enum(erate)?)(_|$)/.test(n)) {
    reasons.push(`scope call: '${fn.name}' names an iteration`);
    return 'call';
  }
  if (cancel?.k === 'set-null') {
    reasons.push('scope stream: a registration stays until replaced');
    return 'stream';
  }
  const done = shape.proto.params.find((p) => p.name && DONE_NAMES.test(p.name));
  if (done) {
    reasons.push(`scope stream: the callback has an end flag '${done.name}'`);
    return 'stream';
  }
  if (/(recv|receive|subscribe|listen|watch|stream|monitor|notify|events?)(_|$)/.test(n)) {
    reasons.push(`scope stream: '${fn.name}' names a stream of events`);
    return 'stream';
  }
  reasons.push('scope once: the callback has no end flag and the name names no stream');
  return 'once';
}

/** Default result: every callback argument but the user data, the status and the end flag;
 *  (pointer, length) pairs become bytes, `char *` becomes a string. */
export function defaultResult(proto: FunctionType, ir: TranslationUnitIR, skip: Set<string>): ResultMapping {
  const fields: { name: string; value: ResultValue }[] = [];
  const ps = proto.params;
  for (let i = 0; i < ps.length; i++) {
    const p = ps[i]!;
    if (!p.name || skip.has(p.name) || isUserDataType(p.type, ir)) continue;
    const next = ps[i + 1];
    if (isBytePointer(p.type, ir) && next && next.name && isLengthParam(next, ir)) {
      fields.push({ name: p.name, value: { k: 'bytes', ptr: p.name, len: next.name } });
      i++;
      continue;
    }
    if (isCharPointer(p.type, ir)) {
      fields.push({ name: p.name, value: { k: 'string', ptr: p.name } });
      continue;
    }
    fields.push({ name: p.name, value: { k: 'arg', name: p.name } });
  }
  if (fields.length === 0) return { k: 'void' };
  if (fields.length === 1) return { k: 'value', value: fields[0]!.value };
  return { k: 'object', fields };
}

/** A proposal for one start function, or why it is not one. */
export function proposeFor(fn: FunctionDecl, ir: TranslationUnitIR, want: { callback?: Site; context?: Site } = {}): AsyncSpec | string {
  const shape = findCallbackShape(fn, ir, want);
  if (typeof shape === 'string') return shape;
  const reasons = [...shape.reasons];
  const cancel = findCancel(fn, ir, shape, reasons);
  const scope = guessScope(fn, shape, cancel, reasons);
  const errors: ErrorConvention[] = [];
  if (isSignedInt(fn.type.ret, ir)) {
    errors.push('neg-errno');
    reasons.push('errors neg-errno: the start function returns a signed int');
  } else if (isPointer(fn.type.ret, ir)) {
    errors.push('zero-fail');
    reasons.push('errors zero-fail: the start function returns a pointer');
  }
  const status = shape.proto.params.find((p, i) => i !== shape.userDataIndex && p.name && STATUS_NAMES.test(p.name) && isSignedInt(p.type, ir));
  if (status) {
    errors.push('callback-status');
    reasons.push(`errors callback-status: the callback's '${status.name}' is a signed status`);
  }
  const doneParam = scope === 'stream' ? shape.proto.params.find((p) => p.name && DONE_NAMES.test(p.name) && isInteger(p.type, ir)) : undefined;
  const skip = new Set<string>();
  if (status?.name) skip.add(status.name);
  if (doneParam?.name) skip.add(doneParam.name);
  const done = doneParam?.name
    ? doneParam.name.toLowerCase() === 'more'
      ? ({ k: 'unary', op: '!', arg: { k: 'arg', name: doneParam.name } } as const)
      : ({ k: 'arg', name: doneParam.name } as const)
    : null;
  return {
    symbol: fn.name,
    scope,
    callback: shape.callback,
    context: shape.context,
    prototype: shape.prototype,
    userDataIndex: shape.userDataIndex,
    cancel,
    done,
    doneEvent: 'yield',
    errors,
    status: status?.name ?? null,
    result: defaultResult(shape.proto, ir, skip),
    runsOn: scope === 'call' ? 'caller' : 'thread',
    queue: { capacity: DEFAULT_QUEUE_CAPACITY, overflow: 'error' },
    reasons,
    origin: 'detected',
  };
}

/** Every function of the translation unit that looks like an async start, by symbol. */
export function detectAsync(ir: TranslationUnitIR, include: (fn: FunctionDecl) => boolean = () => true): AsyncSpec[] {
  const out: AsyncSpec[] = [];
  for (const name of Object.keys(ir.functions).sort()) {
    const fn = ir.functions[name]!;
    if (!include(fn) || fn.storage === 'static') continue;
    const p = proposeFor(fn, ir);
    if (typeof p !== 'string') out.push(p);
  }
  return out;
}

/** The struct a struct-shaped callback lives in. */
export function siteRecord(fn: FunctionDecl, site: Site, ir: TranslationUnitIR): RecordDecl | null {
  if (site.k !== 'field') return null;
  const p = fn.type.params.find((q) => q.name === site.param);
  if (!p) return null;
  const id = passedRecord(p.type, ir);
  return id === null ? null : (recordOf(id, ir) ?? null);
}

/** The callback's function type for a spec. */
export function specProto(fn: FunctionDecl, spec: Pick<AsyncSpec, 'callback'>, ir: TranslationUnitIR): FunctionType | null {
  if (spec.callback.k === 'param') {
    const param = (spec.callback as { param: string }).param;
    const p = fn.type.params.find((q) => q.name === param);
    return p ? functionPointee(p.type, ir) : null;
  }
  const rec = siteRecord(fn, spec.callback, ir);
  const field = spec.callback.field;
  const f = rec?.fields.find((g) => g.name === field);
  return f ? functionPointee(f.type, ir) : null;
}

export { stripTypedefs };
