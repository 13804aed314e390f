// The one AbiContext for a translation unit and a target: layout (layout.ts), typedef
// resolution (layout.ts) and integer constant evaluation (constexpr.ts), each memoised, each
// able to call the others through the context.
import type { Diagnostic } from '../parse/diagnostics.js';
import type { CType, Expr, TranslationUnitIR } from '../parse/ir.js';
import { evaluateExpr } from './constexpr.js';
import type { AbiContext, EvalResult, Layout } from './context.js';
import { layoutOf, resolveType } from './layout.js';
import type { Target } from './target-types.js';

export function createAbiContext(ir: TranslationUnitIR, target: Target): AbiContext {
  const typeMemo = new WeakMap<CType, Layout>();
  const exprMemo = new WeakMap<Expr, EvalResult>();
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
      const hit = exprMemo.get(expr);
      if (hit) return hit;
      const r = evaluateExpr(expr, ctx);
      exprMemo.set(expr, r);
      return r;
    },
    resolve(type: CType): CType {
      return resolveType(type, ctx);
    },
  };
  return ctx;
}
