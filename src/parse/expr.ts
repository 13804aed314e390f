// C expressions → Expr, unevaluated. Casts, sizeof and compound literals need to know which
// identifiers are typedef names; DeclContext's table answers that as declarations go by.
import type { CType, Designator, Expr, InitItem, InitList } from './ir.js';
import type { Loc } from './diagnostics.js';
import type { Token } from './token.js';
import { DeclContext, textOf } from './decl-context.js';
import { isTypeStart, parseTypeName } from './c-types.js';

const BINARY_PRECEDENCE: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  '*': 10, '/': 10, '%': 10,
  '+': 9, '-': 9,
  '<<': 8, '>>': 8,
  '<': 7, '>': 7, '<=': 7, '>=': 7,
  '==': 6, '!=': 6,
  '&': 5,
  '^': 4,
  '|': 3,
  '&&': 2,
  '||': 1,
});

const ASSIGN_OPS = new Set(['=', '*=', '/=', '%=', '+=', '-=', '<<=', '>>=', '&=', '^=', '|=']);

/**
 * A binary operation (or assignment) Expr that also knows where its operator was spelled:
 * clang locates diagnostics about the operation there (its `loc` is its left operand's, as
 * before). The operator's location is a private field, so the IR's data (JSON, equality)
 * stays what ir.ts says; operatorLoc() reads it. (A WeakMap beside the IR cost the garbage
 * collector 40x the parse time on a macro table.)
 */
class BinaryExpr {
  // Declared in the order a literal `{ k, op, left, right, loc }` has its keys.
  k: 'binary';
  op: string;
  left: Expr;
  right: Expr;
  loc: Loc | undefined;
  readonly #opLoc: Loc;
  constructor(op: string, left: Expr, right: Expr, loc: Loc | undefined, opLoc: Loc) {
    this.k = 'binary';
    this.op = op;
    this.left = left;
    this.right = right;
    this.loc = loc;
    this.#opLoc = opLoc;
  }
  static operatorLoc(e: Expr): Loc | undefined {
    return e instanceof BinaryExpr ? e.#opLoc : undefined;
  }
}

/** Where a binary Expr's operator was spelled, when the parser made it (not after a copy). */
export function operatorLoc(e: Expr): Loc | undefined {
  return BinaryExpr.operatorLoc(e);
}

/** `f(p)` one nesting level deeper: every recursion of the grammar goes through here (or
 *  DeclContext.enter directly), so deep nesting is a located error, never a stack overflow. */
function nested<T>(p: DeclContext, f: (p: DeclContext) => T): T {
  p.enter();
  try {
    return f(p);
  } finally {
    p.leave();
  }
}

/** expression (C17 6.5.17): assignment-expressions joined by commas. */
export function parseExpr(p: DeclContext): Expr {
  let e = parseAssignExpr(p);
  while (p.is(',')) {
    p.next();
    e = { k: 'comma', left: e, right: parseAssignExpr(p), loc: e.loc! };
  }
  return e;
}

export function parseAssignExpr(p: DeclContext): Expr {
  const left = parseConditionalExpr(p);
  if (p.tok.kind === 'punct' && ASSIGN_OPS.has(p.tok.text)) {
    const opTok = p.next();
    return new BinaryExpr(opTok.text, left, nested(p, parseAssignExpr), left.loc, opTok.loc);
  }
  return left;
}

export function parseConditionalExpr(p: DeclContext): Expr {
  const cond = parseBinary(p, 1);
  if (!p.is('?')) return cond;
  p.next();
  const then = p.is(':') ? cond : nested(p, parseExpr); // GNU `a ?: b`
  p.expect(':');
  return { k: 'cond', cond, then, else: nested(p, parseConditionalExpr), loc: cond.loc! };
}

function parseBinary(p: DeclContext, minPrec: number): Expr {
  let left = parseCast(p);
  for (;;) {
    const t = p.tok;
    const prec = t.kind === 'punct' ? BINARY_PRECEDENCE[t.text] : undefined;
    if (prec === undefined || prec < minPrec) return left;
    p.next();
    // A right operand that binds tighter recurses: one level (`a || b && c | d ^ …`).
    const right = nestedBinary(p, prec + 1);
    left = new BinaryExpr(t.text, left, right, left.loc, t.loc);
  }
}

function nestedBinary(p: DeclContext, minPrec: number): Expr {
  p.enter();
  try {
    return parseBinary(p, minPrec);
  } finally {
    p.leave();
  }
}

function parseCast(p: DeclContext): Expr {
  if (p.is('(') && isTypeStart(p, p.peek())) {
    const open = p.next();
    const type = parseTypeName(p);
    p.expect(')');
    if (p.is('{')) return parsePostfix(p, { k: 'compound', type, init: parseInitList(p), loc: open.loc });
    return { k: 'cast', type, arg: nested(p, parseCast), loc: open.loc };
  }
  return parseUnary(p);
}

function parseUnary(p: DeclContext): Expr {
  const t = p.tok;
  if (t.kind === 'punct') {
    switch (t.text) {
      case '+': case '-': case '~': case '!': case '*': case '&':
        p.next();
        return { k: 'unary', op: t.text, arg: nested(p, parseCast), loc: t.loc };
      case '++': case '--': case '&&': {
        const start = p.pos;
        p.next();
        if (t.text === '&&') p.next();
        else nested(p, parseUnary);
        return unknownFrom(p, start, `'${t.text}' is not a constant-expression operator`);
      }
    }
  } else if (t.kind === 'ident') {
    switch (t.text) {
      case 'sizeof':
        return parseSizeofLike(p, 'sizeof');
      case '_Alignof': case 'alignof':
        return parseSizeofLike(p, 'alignof');
      case '__alignof__': case '__alignof': {
        const e = parseSizeofLike(p, 'alignof');
        return e.k === 'alignof' ? { ...e, preferred: true } : e;
      }
      case '__extension__':
        p.next();
        return nested(p, parseCast);
      case '__real__': case '__real': case '__imag__': case '__imag': {
        const start = p.pos;
        p.next();
        nested(p, parseCast);
        return unknownFrom(p, start, `'${t.text}' is not supported`);
      }
    }
  }
  return parsePostfix(p, parsePrimary(p));
}

function parseSizeofLike(p: DeclContext, k: 'sizeof' | 'alignof'): Expr {
  const kw = p.next();
  if (p.is('(') && isTypeStart(p, p.peek())) {
    p.next();
    const type = parseTypeName(p);
    p.expect(')');
    if (p.is('{')) {
      const arg = parsePostfix(p, { k: 'compound', type, init: parseInitList(p), loc: kw.loc });
      return { k, arg, loc: kw.loc };
    }
    return { k, type, loc: kw.loc };
  }
  return { k, arg: nested(p, parseUnary), loc: kw.loc };
}

function parsePostfix(p: DeclContext, e: Expr): Expr {
  for (;;) {
    const t = p.tok;
    if (t.kind !== 'punct') return e;
    if (t.text === '[') {
      p.next();
      const index = nested(p, parseExpr);
      p.expect(']');
      e = { k: 'index', obj: e, index, loc: e.loc! };
    } else if (t.text === '(') {
      p.next();
      const args: Expr[] = [];
      while (!p.is(')') && !p.atEnd()) {
        args.push(nested(p, parseAssignExpr));
        if (!p.accept(',')) break;
      }
      p.expect(')');
      e = { k: 'call', callee: e, args, loc: e.loc! };
    } else if (t.text === '.' || t.text === '->') {
      p.next();
      const name = p.next();
      if (name.kind !== 'ident') p.fail(`expected a member name after '${t.text}'`, name);
      e = { k: 'member', obj: e, name: name.text, arrow: t.text === '->', loc: e.loc! };
    } else if (t.text === '++' || t.text === '--') {
      p.next();
      e = { k: 'unknown', text: `${exprText(e)}${t.text}`, reason: `'${t.text}' is not a constant-expression operator`, loc: e.loc! };
    } else return e;
  }
}

function parsePrimary(p: DeclContext): Expr {
  const t = p.tok;
  switch (t.kind) {
    case 'number':
      p.next();
      return { k: isFloatLiteral(t.text) ? 'float' : 'int', text: t.text, loc: t.loc };
    case 'char':
      p.next();
      return { k: 'char', text: t.text, loc: t.loc };
    case 'string': {
      let text = p.next().text;
      while (p.tok.kind === 'string') text += ' ' + p.next().text;
      return { k: 'string', text, loc: t.loc };
    }
    case 'ident':
      switch (t.text) {
        case '__builtin_offsetof':
        case 'offsetof':
          if (p.peek().text === '(') return parseOffsetof(p);
          break;
        case '__builtin_choose_expr':
          if (p.peek().text === '(') {
            p.next();
            p.next();
            const cond = nested(p, parseAssignExpr);
            p.expect(',');
            const then = nested(p, parseAssignExpr);
            p.expect(',');
            const els = nested(p, parseAssignExpr);
            p.expect(')');
            return { k: 'cond', cond, then, else: els, loc: t.loc };
          }
          break;
        case '_Generic':
        case '__builtin_types_compatible_p':
        case '__builtin_va_arg':
        case '__builtin_convertvector':
        case '__builtin_shufflevector':
          if (p.peek().text === '(') {
            const start = p.pos;
            p.next();
            p.skipBalanced();
            return unknownFrom(p, start, `'${t.text}' is not supported`);
          }
          break;
      }
      p.next();
      return { k: 'ident', name: t.text, loc: t.loc };
    case 'punct':
      if (t.text === '(') {
        if (p.peek().text === '{') {
          const start = p.pos;
          p.skipBalanced();
          return unknownFrom(p, start, 'statement expressions are not constant expressions');
        }
        p.next();
        const e = nested(p, parseExpr);
        p.expect(')');
        return e;
      }
      if (t.text === '{') return { k: 'init', list: parseInitList(p), loc: t.loc };
      break;
  }
  return p.fail(`expected an expression, found '${t.text || 'end of input'}'`);
}

function parseOffsetof(p: DeclContext): Expr {
  const kw = p.next();
  p.expect('(');
  const type: CType = parseTypeName(p);
  p.expect(',');
  const path: Designator[] = [];
  const first = p.next();
  if (first.kind !== 'ident') p.fail('expected a member name in offsetof', first);
  path.push({ field: first.text });
  for (;;) {
    if (p.accept('.')) {
      const f = p.next();
      if (f.kind !== 'ident') p.fail('expected a member name in offsetof', f);
      path.push({ field: f.text });
    } else if (p.accept('[')) {
      path.push({ index: nested(p, parseExpr) });
      p.expect(']');
    } else break;
  }
  p.expect(')');
  return { k: 'offsetof', type, path, loc: kw.loc };
}

/** initializer (C17 6.7.9): an assignment expression or a braced list. */
export function parseInitializer(p: DeclContext): Expr {
  if (p.is('{')) {
    const loc = p.tok.loc;
    return { k: 'init', list: parseInitList(p), loc };
  }
  return parseAssignExpr(p);
}

export function parseInitList(p: DeclContext): InitList {
  return nested(p, initList);
}

function initList(p: DeclContext): InitList {
  const open = p.expect('{');
  const items: InitItem[] = [];
  while (!p.is('}') && !p.atEnd()) {
    const designators: Designator[] = [];
    if (p.tok.kind === 'ident' && p.peek().text === ':') {
      designators.push({ field: p.next().text }); // GNU `field: value`
      p.next();
    } else {
      while (p.is('.') || p.is('[')) {
        if (p.accept('.')) {
          const f = p.next();
          if (f.kind !== 'ident') p.fail('expected a member name in a designator', f);
          designators.push({ field: f.text });
        } else {
          p.next();
          const lo = nested(p, parseConditionalExpr);
          if (p.accept('...')) {
            const hi = nested(p, parseConditionalExpr);
            designators.push({ index: { k: 'unknown', text: `${exprText(lo)} ... ${exprText(hi)}`, reason: 'GNU range designator', loc: lo.loc! } });
          } else designators.push({ index: lo });
          p.expect(']');
        }
      }
      if (designators.length) p.expect('=');
    }
    items.push({ designators, value: parseInitializer(p) });
    if (!p.accept(',')) break;
  }
  p.expect('}');
  return { items, loc: open.loc };
}

export function isFloatLiteral(s: string): boolean {
  if (/^0[xX]/.test(s)) return /[.pP]/.test(s);
  return /[.eE]/.test(s);
}

function unknownFrom(p: DeclContext, start: number, reason: string): Expr {
  const toks: Token[] = p.toks.slice(start, p.pos);
  return { k: 'unknown', text: textOf(toks), reason, loc: toks[0]?.loc ?? p.tok.loc };
}

/** Short C text of an expression, for messages (c-text.ts has the canonical printer). */
function exprText(e: Expr): string {
  switch (e.k) {
    case 'int': case 'float': case 'char': case 'string': case 'unknown': return e.text;
    case 'ident': return e.name;
    default: return `<${e.k}>`;
  }
}
