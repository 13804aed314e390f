// GNU `__attribute__((...))`, C23 `[[...]]`, `_Alignas`, `__declspec` and `__asm__("label")`:
// the attribute-like syntax that may appear almost anywhere in a declaration. Only the
// attributes that change layout get fields; every other name is kept in `other`.
import type { Attributes, Expr } from './ir.js';
import type { DeclContext } from './decl-context.js';
import { parseAssignExpr } from './expr.js';
import { isTypeStart, parseTypeName } from './c-types.js';

const ATTRIBUTE_WORDS = new Set(['__attribute__', '__attribute', '__declspec', '_Alignas', 'alignas', '__asm__', '__asm', 'asm']);

/** True when the current token starts attribute syntax (`[[` included). */
export function atAttribute(p: DeclContext): boolean {
  const t = p.tok;
  if (t.kind === 'ident') return ATTRIBUTE_WORDS.has(t.text);
  return t.text === '[' && t.kind === 'punct' && p.peek().text === '[';
}

/**
 * Parses any run of attribute syntax into `into`. `__asm__("name")` labels are skipped (they
 * rename the symbol, not the type). Returns true when something was consumed.
 */
export function parseAttributes(p: DeclContext, into: Attributes): boolean {
  let any = false;
  for (;;) {
    const t = p.tok;
    if (t.kind === 'ident' && (t.text === '__attribute__' || t.text === '__attribute')) {
      p.next();
      p.expect('(');
      p.expect('(');
      parseAttributeList(p, into, false);
      p.expect(')');
      p.expect(')');
    } else if (t.kind === 'punct' && t.text === '[' && p.peek().text === '[') {
      p.next();
      p.next();
      parseAttributeList(p, into, true);
      p.expect(']');
      p.expect(']');
    } else if (t.kind === 'ident' && (t.text === '_Alignas' || t.text === 'alignas')) {
      p.next();
      p.expect('(');
      if (isTypeStart(p)) into.alignedAsType = parseTypeName(p);
      else setAligned(into, parseAssignExpr(p));
      p.expect(')');
    } else if (t.kind === 'ident' && t.text === '__declspec') {
      p.next();
      const group = p.skipBalanced();
      addOther(into, `__declspec${group.map((g) => g.text).join('')}`);
    } else if (t.kind === 'ident' && (t.text === '__asm__' || t.text === '__asm' || t.text === 'asm')) {
      p.next();
      while (p.tok.kind === 'ident' && (p.tok.text === 'volatile' || p.tok.text === '__volatile__')) p.next();
      if (p.is('(')) p.skipBalanced();
    } else {
      return any;
    }
    any = true;
  }
}

function parseAttributeList(p: DeclContext, into: Attributes, c23: boolean): void {
  while (!p.is(')') && !p.is(']') && !p.atEnd()) {
    if (p.accept(',')) continue;
    const nameTok = p.next();
    let name = nameTok.text;
    if (c23 && p.is('::')) {
      p.next();
      name = p.next().text;
    }
    const bare = name.replace(/^__(.*)__$/, '$1');
    const hasArgs = p.is('(');
    switch (bare) {
      case 'packed':
        into.packed = true;
        if (hasArgs) p.skipBalanced();
        break;
      case 'aligned':
        if (hasArgs) {
          p.next();
          if (p.is(')')) setAligned(into, 'max');
          else setAligned(into, parseAssignExpr(p));
          p.expect(')');
        } else setAligned(into, 'max');
        break;
      case 'mode':
        if (hasArgs) {
          p.next();
          into.mode = p.next().text.replace(/^__(.*)__$/, '$1');
          p.expect(')');
        }
        break;
      case 'vector_size':
        if (hasArgs) {
          p.next();
          into.vectorSize = parseAssignExpr(p);
          p.expect(')');
        }
        break;
      case 'transparent_union':
        into.transparentUnion = true;
        if (hasArgs) p.skipBalanced();
        break;
      default:
        addOther(into, bare);
        if (hasArgs) p.skipBalanced();
    }
  }
}

function addOther(into: Attributes, name: string): void {
  (into.other ??= []).push(name);
}

/** Several aligned() on one entity: the largest wins (GCC and clang agree). */
function setAligned(into: Attributes, value: Expr | 'max'): void {
  const old = into.aligned;
  if (old === undefined || value === 'max') {
    into.aligned = value;
    return;
  }
  if (old === 'max') return;
  if (old.k === 'int' && value.k === 'int' && Number.parseInt(old.text) > Number.parseInt(value.text)) return;
  into.aligned = value;
}
