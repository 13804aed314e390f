// Detection proposals + portabi.yaml annotations → the AsyncSpecs generators emit.
// An annotation's keys override the proposal's; a symbol detection missed is built from the
// annotation (callback and context must then be findable). Problems are located values.
import type { FunctionDecl, TranslationUnitIR } from '../../parse/ir.js';
import { parseArgExpr, parseResultValue } from './arg-expr.js';
import { cancelArgs, detectAsync, proposeFor, specProto } from './detect.js';
import type { AsyncAnnotation, AsyncSpec, CancelArg, ResultMapping, Site } from './model.js';

export interface LocatedAnnotation {
  annotation: AsyncAnnotation;
  /** file:line:col of the annotation in portabi.yaml. */
  loc: string;
}

export interface AsyncProblem {
  loc: string;
  symbol: string;
  message: string;
}

export interface ResolvedAsync {
  specs: AsyncSpec[];
  /** Symbols detection proposed (before annotations), for --explain-async. */
  proposals: AsyncSpec[];
  problems: AsyncProblem[];
}

function parseSite(text: string): Site {
  const dot = text.indexOf('.');
  if (dot < 0 && text.indexOf('->') < 0) return { k: 'param', param: text.trim() };
  const [param, field] = text.split(/\.|->/).map((s) => s.trim());
  return { k: 'field', param: param!, field: field! };
}

export function resolveAsync(
  ir: TranslationUnitIR,
  annotations: Record<string, LocatedAnnotation>,
  include: (fn: FunctionDecl) => boolean = () => true,
): ResolvedAsync {
  const proposals = detectAsync(ir, include);
  const bySymbol = new Map(proposals.map((p) => [p.symbol, p]));
  const problems: AsyncProblem[] = [];
  const specs: AsyncSpec[] = [];
  const symbols = [...new Set([...bySymbol.keys(), ...Object.keys(annotations)])].sort();
  for (const symbol of symbols) {
    const located = Object.prototype.hasOwnProperty.call(annotations, symbol) ? annotations[symbol] : undefined;
    const proposal = bySymbol.get(symbol);
    if (!located) {
      if (proposal) specs.push(proposal);
      continue;
    }
    const { annotation: a, loc } = located;
    const problem = (message: string): void => {
      problems.push({ loc, symbol, message });
    };
    if (a.enabled === false) continue;
    const fn = Object.prototype.hasOwnProperty.call(ir.functions, symbol) ? ir.functions[symbol] : undefined;
    if (!fn) {
      problem(`async annotation for '${symbol}', which the headers do not declare as a function`);
      continue;
    }
    const want: { callback?: Site; context?: Site } = {};
    if (a.callback) want.callback = parseSite(a.callback);
    if (a.context) want.context = parseSite(a.context);
    let base: AsyncSpec | string = proposal && !a.callback && !a.context ? proposal : proposeFor(fn, ir, want);
    if (typeof base === 'string') {
      problem(`${symbol}: ${base}`);
      continue;
    }
    const spec: AsyncSpec = { ...base, reasons: [...base.reasons], origin: proposal ? 'detected+configured' : 'configured' };
    const proto = specProto(fn, spec, ir);
    if (!proto) {
      problem(`${symbol}: cannot find the callback's prototype`);
      continue;
    }
    const names = proto.params.map((p) => p.name ?? '').filter((n) => n);
    let ok = true;
    if (a.scope) spec.scope = a.scope;
    if (a.runsOn) spec.runsOn = a.runsOn;
    else if (a.scope) spec.runsOn = a.scope === 'call' ? 'caller' : 'thread';
    if (a.errors) spec.errors = [...a.errors];
    if (a.status !== undefined) {
      if (!names.includes(a.status)) {
        problem(`${symbol}: status '${a.status}' is not a parameter of the callback (parameters: ${names.join(', ')})`);
        ok = false;
      } else spec.status = a.status;
    }
    if (spec.errors.includes('callback-status') && !spec.status) {
      problem(`${symbol}: errors callback-status needs 'status:' (the callback parameter holding it)`);
      ok = false;
    }
    if (a.done !== undefined) {
      const d = parseArgExpr(a.done, names);
      if (!d.ok) {
        problem(`${symbol}: done: ${d.error}`);
        ok = false;
      } else spec.done = d.value;
    }
    if (a.doneEvent) spec.doneEvent = a.doneEvent;
    if (spec.scope !== 'stream') spec.done = a.done !== undefined ? spec.done : null;
    if (a.queue !== undefined) spec.queue = { ...spec.queue, capacity: a.queue };
    if (a.overflow) spec.queue = { ...spec.queue, overflow: a.overflow };
    if (a.result !== undefined) {
      const r = resultMapping(a.result, names);
      if (typeof r === 'string') {
        problem(`${symbol}: result: ${r}`);
        ok = false;
      } else spec.result = r;
    }
    if (a.cancel !== undefined) {
      if (a.cancel === null || a.cancel === 'none') spec.cancel = null;
      else if (a.cancel === 'set-null') spec.cancel = { k: 'set-null' };
      else {
        const c = Object.prototype.hasOwnProperty.call(ir.functions, a.cancel) ? ir.functions[a.cancel] : undefined;
        if (!c) {
          problem(`${symbol}: cancel function '${a.cancel}' is not declared`);
          ok = false;
        } else if (a.cancelArgs) {
          const args: CancelArg[] = [];
          for (const t of a.cancelArgs) {
            if (t === 'result') args.push({ k: 'start-result' });
            else if (t === 'context') args.push({ k: 'context' });
            else if (t === 'null') args.push({ k: 'null' });
            else if (fn.type.params.some((p) => p.name === t)) args.push({ k: 'start-arg', param: t });
            else {
              problem(`${symbol}: cancel-args: '${t}' is not 'result', 'context', 'null' or a parameter of ${symbol}`);
              ok = false;
            }
          }
          if (args.length !== c.type.params.length) {
            problem(`${symbol}: cancel-args has ${args.length} values, ${a.cancel} takes ${c.type.params.length}`);
            ok = false;
          }
          spec.cancel = { k: 'function', symbol: a.cancel, args };
        } else {
          const args = cancelArgs(fn, c, ir, spec.context);
          if (typeof args === 'string') {
            problem(`${symbol}: ${args}; say which with 'cancel-args:'`);
            ok = false;
          } else spec.cancel = { k: 'function', symbol: a.cancel, args };
        }
      }
    }
    if (spec.runsOn === 'caller' && spec.scope !== 'call') {
      // A caller-context callback of a once/stream operation is fine: delivered synchronously.
    }
    if (ok) specs.push(spec);
  }
  return { specs, proposals, problems };
}

function resultMapping(r: NonNullable<AsyncAnnotation['result']> | null, names: string[]): ResultMapping | string {
  if (r === null || (Array.isArray(r) && r.length === 0)) return { k: 'void' };
  if (typeof r === 'string') {
    const v = parseResultValue(r, names);
    return v.ok ? { k: 'value', value: v.value } : v.error;
  }
  const entries: [string, string][] = Array.isArray(r)
    ? r.map((t) => [/^\w+$/.test(t.trim()) ? t.trim() : (/\(\s*(\w+)/.exec(t)?.[1] ?? t), t])
    : Object.entries(r);
  const fields: { name: string; value: import('./model.js').ResultValue }[] = [];
  for (const [name, text] of entries) {
    const v = parseResultValue(text, names);
    if (!v.ok) return v.error;
    fields.push({ name, value: v.value });
  }
  return { k: 'object', fields };
}
