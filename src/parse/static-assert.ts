// `_Static_assert(constant-expression, "message");` (C11; the message optional in C23). The
// parser records each one, at file scope or in a struct, with its expression unevaluated: it
// may use sizeof, _Alignof or offsetof of types only layout knows. The ABI phase evaluates it
// (src/abi/static-asserts.ts): headers often assert their own layout, and a failed assertion
// is an error the compiler would stop on.
import { DeclContext, ParseError } from './decl-context.js';
import { parseConditionalExpr } from './expr.js';
import type { StaticAssertDecl } from './ir.js';
import type { Token } from './token.js';

/** At `_Static_assert` / `static_assert`: consumes the declaration and records it in
 *  `p.ir.staticAsserts`; a form it cannot parse is skipped (as it was before). */
export function parseStaticAssert(p: DeclContext): void {
  p.next();
  const group = p.skipBalanced();
  p.expect(';');
  const inner = group.slice(1, -1);
  // The message: the string literals after the last comma at depth 0, if any.
  let depth = 0;
  let comma = -1;
  for (let i = 0; i < inner.length; i++) {
    const t = inner[i]!;
    if (t.kind === 'punct' && (t.text === '(' || t.text === '[' || t.text === '{')) depth++;
    else if (t.kind === 'punct' && (t.text === ')' || t.text === ']' || t.text === '}')) depth--;
    else if (depth === 0 && t.kind === 'punct' && t.text === ',') comma = i;
  }
  const message = comma >= 0 ? inner.slice(comma + 1) : [];
  if (message.length && !message.every((t) => t.kind === 'string')) return;
  const exprToks = comma >= 0 ? inner.slice(0, comma) : inner;
  if (!exprToks.length) return;
  const eof: Token = { kind: 'eof', text: '', loc: exprToks[exprToks.length - 1]!.loc, space: false, bol: true };
  const sub = new DeclContext([...exprToks, eof], p.ir, p.typedefNames, [], true);
  try {
    const expr = parseConditionalExpr(sub);
    if (!sub.atEnd()) return;
    const decl: StaticAssertDecl = { expr, loc: exprToks[0]!.loc, message: message.length ? message.map((t) => t.text.replace(/^(?:u8|u|U|L)?"|"$/g, '')).join('') : null };
    (p.ir.staticAsserts ??= []).push(decl);
  } catch (e) {
    if (!(e instanceof ParseError)) throw e;
  }
}
