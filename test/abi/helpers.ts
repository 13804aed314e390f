// Test helpers for the ABI evaluation modules: a context over C declarations for a target,
// built with the real pipeline pieces (declaration parser, target loader, layout).
import { createAbiContext } from '../../src/abi/context-impl.js';
import type { AbiContext } from '../../src/abi/context.js';
import { loadTarget } from '../../src/abi/target.js';
import type { Target } from '../../src/abi/target-types.js';
import { parseDeclarations } from '../../src/parse/declarations.js';
import type { Expr, InitList } from '../../src/parse/ir.js';
import { classifyMacro } from '../../src/parse/macro-forms.js';

export function target(name: string): Target {
  const t = loadTarget(name);
  if (!t.ok) throw new Error(`target ${name}: ${JSON.stringify(t.error)}`);
  return t.value;
}

export function context(decls: string, targetName: string): AbiContext {
  return createAbiContext(parseDeclarations(decls), target(targetName));
}

export function expr(text: string, ctx: AbiContext): Expr {
  const f = classifyMacro(text, Object.keys(ctx.ir.typedefs), ctx.ir);
  if (f.form !== 'expr') throw new Error(`not an expression: ${text}: ${JSON.stringify(f)}`);
  return f.expr;
}

export function initList(text: string, ctx: AbiContext): InitList {
  const f = classifyMacro(text, Object.keys(ctx.ir.typedefs), ctx.ir);
  if (f.form !== 'init') throw new Error(`not an initializer list: ${text}: ${JSON.stringify(f)}`);
  return f.list;
}
