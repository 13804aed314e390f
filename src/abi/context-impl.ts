// The one AbiContext for a translation unit and a target: layout (layout.ts), typedef
// resolution and integer constant evaluation, each memoised, each able to call the others.
import type { Diagnostic } from '../parse/diagnostics.js';
import type { CType, Expr, TranslationUnitIR } from '../parse/ir.js';
import type { AbiContext, EvalResult, Layout } from './context.js';
import { enumInfo, layoutOf, resolveType } from './layout.js';
import type { Target } from './target-types.js';

export function createAbiContext(ir: TranslationUnitIR, target: Target): AbiContext {
  const typeMemo = new WeakMap<CType, Layout>();
  const diagnostics: Diagnostic[] = [];
  const ctx: AbiContext = {
    ir,
    target,
    diagnostics,
    layoutOf(type: CType): Layout {
      const hit = typeMemo.get(type);
      if (hit) return hit;
      const l = layoutOf(type, ctx);
      typeMemo.set(type, l);
      return l;
    },
    evaluate(expr: Expr): EvalResult {
      return evaluateFallback(expr, ctx);
    },
    resolve(type: CType): CType {
      return resolveType(type, ctx);
    },
  };
  return ctx;
}

// A minimal integer evaluator (literals, enumerators, arithmetic, sizeof/_Alignof) used until
// src/abi/constexpr.ts is wired in. Types are approximated as 'long long'.
function evaluateFallback(expr: Expr, ctx: AbiContext): EvalResult {
  const ok = (value: bigint): EvalResult => ({ ok: true, value: { value, type: { kind: 'int', name: 'long long' } } });
  const fail = (reason: string): EvalResult => ({ ok: false, reason });
  const ev = (e: Expr): bigint | string => {
    const r = evaluateFallback(e, ctx);
    return r.ok ? r.value.value : r.reason;
  };
  switch (expr.k) {
    case 'int': {
      const t = expr.text.replace(/[uUlL]+$/, '');
      try {
        if (/^0[0-7]+$/.test(t)) return ok(BigInt('0o' + t.slice(1)));
        return ok(BigInt(t));
      } catch {
        return fail(`bad integer literal ${expr.text}`);
      }
    }
    case 'ident': {
      for (let id = 0; id < ctx.ir.enums.length; id++) {
        const e = ctx.ir.enums[id]!;
        if (!e.enumerators.some((x) => x.name === expr.name)) continue;
        const info = enumInfo(id, ctx);
        if ('reason' in info) return fail(info.reason);
        return ok(info.values.find((x) => x.name === expr.name)!.value);
      }
      return fail(`'${expr.name}' is not an integer constant`);
    }
    case 'unary': {
      const a = ev(expr.arg);
      if (typeof a === 'string') return fail(a);
      switch (expr.op) {
        case '+': return ok(a);
        case '-': return ok(-a);
        case '~': return ok(~a);
        case '!': return ok(a === 0n ? 1n : 0n);
        default: return fail(`unary ${expr.op} is not constant`);
      }
    }
    case 'binary': {
      const a = ev(expr.left);
      if (typeof a === 'string') return fail(a);
      const b = ev(expr.right);
      if (typeof b === 'string') return fail(b);
      switch (expr.op) {
        case '+': return ok(a + b);
        case '-': return ok(a - b);
        case '*': return ok(a * b);
        case '/': return b === 0n ? fail('division by zero') : ok(a / b);
        case '%': return b === 0n ? fail('division by zero') : ok(a % b);
        case '<<': return ok(a << b);
        case '>>': return ok(a >> b);
        case '&': return ok(a & b);
        case '|': return ok(a | b);
        case '^': return ok(a ^ b);
        case '==': return ok(a === b ? 1n : 0n);
        case '!=': return ok(a !== b ? 1n : 0n);
        case '<': return ok(a < b ? 1n : 0n);
        case '>': return ok(a > b ? 1n : 0n);
        case '<=': return ok(a <= b ? 1n : 0n);
        case '>=': return ok(a >= b ? 1n : 0n);
        case '&&': return ok(a && b ? 1n : 0n);
        case '||': return ok(a || b ? 1n : 0n);
        default: return fail(`binary ${expr.op} is not supported`);
      }
    }
    case 'cond': {
      const c = ev(expr.cond);
      if (typeof c === 'string') return fail(c);
      return evaluateFallback(c !== 0n ? expr.then : expr.else, ctx);
    }
    case 'sizeof':
    case 'alignof': {
      if (!expr.type) return fail(`${expr.k} of an expression is not supported`);
      const l = ctx.layoutOf(expr.type);
      if (!l.complete) return fail(l.reason);
      return ok(BigInt(expr.k === 'sizeof' ? l.size : l.align));
    }
    default:
      return fail(`${expr.k} is not supported by the fallback evaluator`);
  }
}
