// The headers' `_Static_assert`s, evaluated for the target (src/parse/static-assert.ts records
// them). A false one is clang's error at the expression, so the run fails as the compiler
// would; one portabi cannot evaluate is left alone (no guess either way).
import { diag, type Diagnostic } from '../parse/diagnostics.js';
import type { AbiContext } from './context.js';
import { evaluateExpr } from './constexpr.js';

export function checkStaticAsserts(ctx: AbiContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const a of ctx.ir.staticAsserts ?? []) {
    const r = evaluateExpr(a.expr, ctx);
    if (!r.ok || r.value.value !== 0n) continue;
    out.push(diag('error', a.message === null ? 'static assertion failed' : `static assertion failed: ${a.message}`, a.loc, 'static-assert'));
  }
  return out;
}
