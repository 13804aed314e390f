// Constant expressions (C17 6.6) evaluated for a target: integer constant expressions with
// the target's widths, ranks and char signedness, plus the arithmetic and address constants
// that initializers need (floating values, null and integer-valued pointers).
//
// Where the standard leaves a choice to the implementation we follow what GCC and clang do
// (both agree): out-of-range conversion to a signed type wraps; `>>` of a negative value is
// arithmetic; `<<` into or through the sign bit wraps ("GCC does not use the latitude given
// in C99 and C11 only to treat certain aspects of signed '<<' as undefined"); signed overflow
// in + - * / % and unary - wraps in the type (both compilers fold `INT_MAX + 1` to INT_MIN and
// still accept it as an integer constant expression, with only a warning — headers rely on it,
// e.g. musl's `2UL*LONG_MAX+1` when long is narrower than LONG_MAX's type). That warning is
// clang's -Winteger-overflow, given where clang gives it (signed + - * and unary - in an
// evaluated operand) to a caller that passes a `warnings` array. Division by zero and shift
// counts that are negative or not less than the width are never given a value: they make the
// expression "not a constant", with a reason.
//
// A long chain of left-associative operators (`1+1+…+1`, a million terms) is one left-deep
// tree: it is evaluated along its left spine in a loop, not by recursion per operand.
import type { CType, Designator, Expr, FloatKind, IntKind } from '../parse/ir.js';
import { diag, type Diagnostic, type Loc } from '../parse/diagnostics.js';
import { operatorLoc } from '../parse/expr.js';
import type { AbiContext, EvalResult, RecordLayout } from './context.js';
import { enumUnderlying, lookupEnumerator } from './enum-values.js';
import { convertInt, fitsIn, intType, isUnsigned, promote, usualArithmetic, widthOf } from './int-types.js';
import { parseCharLiteral, parseFloatLiteral, parseIntLiteral, parseStringLiteral, type StringLiteralValue } from './literals.js';
import { BINARY64, arith, compare, floatFormatOf, isZero, negate, realFromDouble, realFromInt, roundTo, toDouble, type Real } from './float-format.js';
import type { Target } from './target-types.js';

/** A value of a constant expression. Pointers carry a known address (null is 0). */
export type ConstValue =
  | { k: 'int'; value: bigint; type: IntKind }
  /** `value` is the nearest double; `exact`, present when the type's format is wider than
   *  double (x87 or binary128 long double, __float128), is the value itself. */
  | { k: 'float'; value: number; type: FloatKind; exact?: Real }
  | { k: 'ptr'; address: bigint; to: CType }
  | { k: 'string'; lit: StringLiteralValue };

export type ConstResult = { ok: true; value: ConstValue } | { ok: false; reason: string };

/** Enumerator values visible while an enum body is being evaluated (earlier enumerators). */
export type EnumScope = Map<string, { value: bigint; type: IntKind }>;

const RELATIONAL = new Set(['<', '>', '<=', '>=', '==', '!=']);

/** A relational or equality operator (6.5.8, 6.5.9) on two integers or two doubles (a NaN
 *  compares unequal to everything, as in C). */
function relate<T extends bigint | number>(op: string, x: T, y: T): boolean {
  switch (op) {
    case '<': return x < y;
    case '>': return x > y;
    case '<=': return x <= y;
    case '>=': return x >= y;
    case '==': return x === y;
    default: return x !== y;
  }
}

/** The int 1 or 0 a relational, equality or logical operator yields. */
function intBool(c: boolean): ConstValue {
  return { k: 'int', value: c ? 1n : 0n, type: 'int' };
}

class NotConstant extends Error {}

function fail(reason: string): never {
  throw new NotConstant(reason);
}

/** Evaluate an integer constant expression (C17 6.6p6) for ctx.target. Never throws.
 *  `warnings` receives clang's overflow warnings for it. */
export function evaluateExpr(expr: Expr, ctx: AbiContext, warnings?: Diagnostic[]): EvalResult {
  return toIntResult(evaluateConstant(expr, ctx, undefined, warnings));
}

/** Like evaluateExpr, with extra enumerator bindings (used while evaluating an enum body). */
export function evaluateExprInScope(expr: Expr, ctx: AbiContext, scope: EnumScope): EvalResult {
  return toIntResult(evaluateConstant(expr, ctx, scope));
}

function toIntResult(r: ConstResult): EvalResult {
  if (!r.ok) return r;
  const v = r.value;
  if (v.k === 'int') return { ok: true, value: { value: v.value, type: intType(v.type) } };
  if (v.k === 'float') return { ok: false, reason: `the expression has floating type '${v.type}', not an integer type` };
  if (v.k === 'ptr') return { ok: false, reason: 'the expression has pointer type, not an integer type' };
  return { ok: false, reason: 'a string literal is not an integer constant' };
}

/** Evaluate an arithmetic or address constant (6.6p7-9): integer, floating, pointer or string.
 *  `warnings` receives clang's overflow warnings ("overflow in expression; …"), located at the
 *  operator. */
export function evaluateConstant(expr: Expr, ctx: AbiContext, scope?: EnumScope, warnings?: Diagnostic[]): ConstResult {
  try {
    return { ok: true, value: new Evaluator(ctx, scope, warnings).ev(expr) };
  } catch (e) {
    if (e instanceof NotConstant) return { ok: false, reason: e.message };
    return { ok: false, reason: `internal error evaluating constant: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** The C type of an expression, without evaluating it (the operand of sizeof). */
export function typeOfExpr(expr: Expr, ctx: AbiContext): { ok: true; type: CType } | { ok: false; reason: string } {
  try {
    return { ok: true, type: new Evaluator(ctx).typeOf(expr) };
  } catch (e) {
    if (e instanceof NotConstant) return { ok: false, reason: e.message };
    return { ok: false, reason: `internal error typing expression: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** What a scalar type is, after typedefs and enums: the integer/float kind or a pointer. */
export type ScalarKind = { k: 'int'; kind: IntKind } | { k: 'float'; kind: FloatKind } | { k: 'ptr'; to: CType };

export function scalarKindOf(type: CType, ctx: AbiContext): ScalarKind | null {
  const t = ctx.resolve(type);
  switch (t.kind) {
    case 'int':
      return { k: 'int', kind: t.name };
    case 'float':
      return { k: 'float', kind: t.name };
    case 'pointer':
      return { k: 'ptr', to: t.to };
    case 'enum': {
      const decl = ctx.ir.enums[t.id];
      if (!decl) return null;
      const u = enumUnderlying(decl, ctx);
      return u.ok ? { k: 'int', kind: u.type } : null;
    }
    default:
      return null;
  }
}

/**
 * Convert a constant to a scalar type as assignment / a cast does (6.3). Returns an error
 * reason for conversions with undefined behaviour or that need a relocation.
 */
export function convertConstant(v: ConstValue, to: ScalarKind, ctx: AbiContext): ConstResult {
  try {
    return { ok: true, value: convertTo(v, to, ctx) };
  } catch (e) {
    if (e instanceof NotConstant) return { ok: false, reason: e.message };
    throw e;
  }
}

/** Conversion rank of the floating types (C23 H.4.2 for _Float16; __fp16 and __bf16 are storage
 *  formats: clang promotes them to float in arithmetic). */
const FLOAT_RANK: Record<FloatKind, number> = { _Float16: 0, __fp16: 1, __bf16: 1, float: 1, double: 2, 'long double': 3, __float128: 4 };
const RANKED: FloatKind[] = ['_Float16', 'float', 'double', 'long double', '__float128'];

/** The exact value of an arithmetic constant. */
export function realOf(v: ConstValue): Real {
  if (v.k === 'int') return realFromInt(v.value);
  if (v.k === 'float') return v.exact ?? realFromDouble(v.value);
  fail('not an arithmetic value');
}

/** A value of floating type `kind`: `r` rounded to nearest even into the type's format. */
export function floatValue(r: Real, kind: FloatKind, target: Target): ConstValue {
  const f = floatFormatOf(kind, target);
  if (!f) fail(`'${kind}' is not a floating type of ${target.name}`);
  const rounded = roundTo(r, f);
  const value = toDouble(rounded);
  const wide = f.precision > BINARY64.precision || f.expBits > BINARY64.expBits;
  return wide ? { k: 'float', value, type: kind, exact: rounded } : { k: 'float', value, type: kind };
}

function convertTo(v: ConstValue, to: ScalarKind, ctx: AbiContext): ConstValue {
  const target = ctx.target;
  if (v.k === 'string') fail('the address of a string literal needs a relocation; it has no value before linking');
  if (to.k === 'int') {
    if (v.k === 'int') return { k: 'int', value: convertInt(v.value, to.kind, target), type: to.kind };
    if (v.k === 'ptr') return { k: 'int', value: convertInt(v.address, to.kind, target), type: to.kind };
    // 6.3.1.4p1: truncation toward zero; undefined if the integral part does not fit.
    const r = realOf(v);
    if (to.kind === '_Bool') return { k: 'int', value: r.k === 'finite' && isZero(r) ? 0n : 1n, type: '_Bool' };
    if (r.k !== 'finite') fail(`converting ${v.value} to '${to.kind}' is undefined`);
    const i = (r.neg ? -1n : 1n) * (r.num / r.den);
    if (!fitsIn(i, to.kind, target)) fail(`converting ${v.value} to '${to.kind}' is undefined (out of range)`);
    return { k: 'int', value: i, type: to.kind };
  }
  if (to.k === 'float') {
    if (v.k === 'ptr') fail('a pointer cannot be converted to a floating type');
    return floatValue(realOf(v), to.kind, target);
  }
  // To a pointer: integers give that address (6.3.2.3p5, GCC/clang keep the bits).
  if (v.k === 'int') {
    const w = target.scalars.pointer.size * 8;
    return { k: 'ptr', address: BigInt.asUintN(w, v.value), to: to.to };
  }
  if (v.k === 'ptr') return { k: 'ptr', address: v.address, to: to.to };
  fail('a floating value cannot be converted to a pointer');
}

interface Lvalue {
  address: bigint;
  type: CType;
}

class Evaluator {
  /** >0 while evaluating an operand that is not evaluated (6.6p3, short-circuit, ?: arm). */
  private unevaluated = 0;
  /** How many of those levels are the left operand of a comma: evaluated in C, only its value
   *  unused. They are treated as not evaluated, except that clang still warns there. */
  private discarded = 0;

  constructor(
    private readonly ctx: AbiContext,
    private readonly scope?: EnumScope,
    private readonly warnings?: Diagnostic[],
  ) {}

  /** A signed result `exact` that `wrapped` (its value in type `t`) differs from: clang's
   *  -Winteger-overflow, in an evaluated operand only. */
  private overflowed(exact: bigint, wrapped: bigint, t: IntKind, at: Loc | undefined): void {
    if (exact === wrapped || this.unevaluated > this.discarded || !this.warnings || isUnsigned(t, this.target)) return;
    this.warnings.push(diag('warning', `overflow in expression; result is ${withDigitSeparators(wrapped)} with type '${t}'`, at ?? null, 'integer-overflow'));
  }

  private get target() {
    return this.ctx.target;
  }

  private ub(reason: string, type: IntKind): ConstValue {
    if (this.unevaluated > 0) return { k: 'int', value: 0n, type };
    fail(reason);
  }

  private sizeT(value: bigint): ConstValue {
    return { k: 'int', value, type: this.target.sizeType };
  }

  ev(e: Expr): ConstValue {
    switch (e.k) {
      case 'int': {
        const r = parseIntLiteral(e.text, this.target);
        if (!r.ok) fail(r.reason);
        return { k: 'int', value: r.value.value, type: r.value.type };
      }
      case 'float': {
        const r = parseFloatLiteral(e.text);
        if (!r.ok) fail(r.reason);
        return floatValue(r.value.exact, r.value.type, this.target);
      }
      case 'char': {
        const r = parseCharLiteral(e.text, this.target);
        if (!r.ok) fail(r.reason);
        return { k: 'int', value: r.value.value, type: r.value.type };
      }
      case 'string': {
        const r = parseStringLiteral(e.text, this.target);
        if (!r.ok) fail(r.reason);
        return { k: 'string', lit: r.value };
      }
      case 'ident':
        return this.identifier(e.name);
      case 'unary':
        return this.unary(e.op, e.arg, e.loc);
      case 'binary':
        return this.binaryChain(e);
      case 'cond':
        return this.conditional(e.cond, e.then, e.else);
      case 'comma':
        return this.commaChain(e);
      case 'cast':
        return this.cast(e.type, e.arg);
      case 'sizeof':
        return this.sizeT(BigInt(this.sizeOf(e.type ?? this.typeOf(e.arg!))));
      case 'alignof': {
        const t = e.type ?? this.typeOf(e.arg!);
        return this.sizeT(BigInt(e.preferred ? this.preferredAlignOf(t) : this.alignOf(t)));
      }
      case 'offsetof':
        return this.sizeT(this.offsetOf(e.type, e.path));
      case 'call':
        return this.call(e.callee, e.args);
      case 'member':
      case 'index': {
        // Only an array-typed lvalue has a value here: its address (6.3.2.1p3).
        const lv = this.lvalue(e);
        const t = this.ctx.resolve(lv.type);
        if (t.kind === 'array') return { k: 'ptr', address: lv.address, to: t.of };
        fail(`reading ${e.k === 'member' ? `member '${e.name}'` : 'an array element'} of an object is not a constant`);
      }
      case 'compound':
        fail('a compound literal is not a constant expression');
      case 'init':
        fail('a braced initializer list is not an expression');
      case 'unknown':
        fail(e.reason || `'${e.text}' is not a constant`);
    }
  }

  private identifier(name: string): ConstValue {
    const local = this.scope?.get(name);
    if (local) return { k: 'int', value: local.value, type: local.type };
    const en = lookupEnumerator(name, this.ctx);
    if (en) {
      if (!en.ok) fail(en.reason);
      return { k: 'int', value: en.value, type: en.type };
    }
    fail(`identifier ${name} is not a constant`);
  }

  private truth(v: ConstValue): boolean {
    if (v.k === 'int') return v.value !== 0n;
    if (v.k === 'float') return !isZero(realOf(v));
    if (v.k === 'ptr') return v.address !== 0n;
    fail('the truth value of a string literal depends on its address');
  }

  private intOperand(v: ConstValue, op: string): { value: bigint; type: IntKind } {
    if (v.k === 'int') return v;
    fail(`operator '${op}' needs an integer operand`);
  }

  private unary(op: string, argExpr: Expr, at: Loc | undefined): ConstValue {
    if (op === '&') {
      const lv = this.lvalue(argExpr);
      return { k: 'ptr', address: lv.address, to: lv.type };
    }
    if (op === '*') {
      fail('dereferencing a pointer is not a constant');
    }
    const a = this.ev(argExpr);
    if (op === '!') return { k: 'int', value: this.truth(a) ? 0n : 1n, type: 'int' };
    if (a.k === 'float') {
      if (op === '+') return a;
      if (op === '-') return a.exact ? { ...a, value: -a.value, exact: negate(a.exact) } : { ...a, value: -a.value };
      fail(`operator '${op}' needs an integer operand`);
    }
    const { value, type } = this.intOperand(a, op);
    const t = promote(type, this.target);
    const x = convertInt(value, t, this.target);
    if (op === '+') return { k: 'int', value: x, type: t };
    if (op === '~') return { k: 'int', value: convertInt(~x, t, this.target), type: t };
    // '-': signed overflow wraps, as both compilers fold it (see the header comment).
    const r = -x;
    const wrapped = convertInt(r, t, this.target);
    this.overflowed(r, wrapped, t, at);
    return { k: 'int', value: wrapped, type: t };
  }

  private conditional(condE: Expr, thenE: Expr, elseE: Expr): ConstValue {
    const c = this.truth(this.ev(condE));
    const evalArm = (e: Expr, taken: boolean): ConstValue => {
      if (taken) return this.ev(e);
      this.unevaluated++;
      try {
        return this.ev(e);
      } finally {
        this.unevaluated--;
      }
    };
    const a = evalArm(thenE, c);
    const b = evalArm(elseE, !c);
    const chosen = c ? a : b;
    // 6.5.15p5: arithmetic operands get the usual arithmetic conversions.
    if (a.k === 'int' && b.k === 'int') {
      const t = usualArithmetic(a.type, b.type, this.target);
      return { k: 'int', value: convertInt((chosen as { value: bigint }).value, t, this.target), type: t };
    }
    if ((a.k === 'int' || a.k === 'float') && (b.k === 'int' || b.k === 'float')) {
      const t = this.floatCommon(a, b);
      return convertTo(chosen, { k: 'float', kind: t }, this.ctx);
    }
    if (a.k === 'ptr' || b.k === 'ptr') {
      const p = a.k === 'ptr' ? a : (b as Extract<ConstValue, { k: 'ptr' }>);
      return convertTo(chosen, { k: 'ptr', to: p.to }, this.ctx);
    }
    return chosen;
  }

  private floatCommon(a: ConstValue, b: ConstValue): FloatKind {
    // An integer operand converts to the other operand's type (6.3.1.8).
    const ra = a.k === 'float' ? FLOAT_RANK[a.type] : -1;
    const rb = b.k === 'float' ? FLOAT_RANK[b.type] : -1;
    return RANKED[Math.max(ra, rb)]!;
  }

  /** `e` and the binary operators down its left operand (`((a + b) + c) + d`), in a loop. */
  private binaryChain(e: Extract<Expr, { k: 'binary' }>): ConstValue {
    const spine: Extract<Expr, { k: 'binary' }>[] = [];
    let left: Expr = e;
    while (left.k === 'binary') {
      spine.push(left);
      left = left.left;
    }
    let value = this.ev(left);
    for (let i = spine.length - 1; i >= 0; i--) {
      const b = spine[i]!;
      value = this.binary(b.op, value, b.right, operatorLoc(b) ?? b.loc);
    }
    return value;
  }

  /** `((a, b), c), d`: every operand but the last is not evaluated for its value. */
  private commaChain(e: Extract<Expr, { k: 'comma' }>): ConstValue {
    const rights: Expr[] = [];
    let left: Expr = e;
    while (left.k === 'comma') {
      rights.push(left.right);
      left = left.left;
    }
    this.unevaluated++;
    this.discarded++;
    try {
      this.ev(left);
      for (let i = rights.length - 1; i > 0; i--) this.ev(rights[i]!);
    } finally {
      this.unevaluated--;
      this.discarded--;
    }
    return this.ev(rights[0]!);
  }

  /** A binary operator whose left operand is already evaluated (`lv`). */
  private binary(op: string, lv: ConstValue, re: Expr, at: Loc | undefined): ConstValue {
    if (op === '&&' || op === '||') {
      const l = this.truth(lv);
      const shortCircuit = op === '&&' ? !l : l;
      if (shortCircuit) {
        this.unevaluated++;
        try {
          this.ev(re);
        } finally {
          this.unevaluated--;
        }
        return { k: 'int', value: op === '||' ? 1n : 0n, type: 'int' };
      }
      return { k: 'int', value: this.truth(this.ev(re)) ? 1n : 0n, type: 'int' };
    }
    const a = lv;
    const b = this.ev(re);
    if (a.k === 'string' || b.k === 'string') fail('arithmetic on the address of a string literal needs a relocation');
    if (a.k === 'ptr' || b.k === 'ptr') return this.pointerBinary(op, a, b);
    if (a.k === 'float' || b.k === 'float') return this.floatBinary(op, a, b);
    return this.intBinary(op, a, b, at);
  }

  private intBinary(op: string, a: { value: bigint; type: IntKind }, b: { value: bigint; type: IntKind }, at: Loc | undefined): ConstValue {
    const target = this.target;
    if (op === '<<' || op === '>>') {
      // 6.5.7: the result has the promoted left operand's type; each operand is promoted.
      const t = promote(a.type, target);
      const w = widthOf(t, target);
      const x = convertInt(a.value, t, target);
      const n = convertInt(b.value, promote(b.type, target), target);
      if (n < 0n) return this.ub(`shift count ${n} is negative`, t);
      if (n >= BigInt(w)) return this.ub(`shift count ${n} is not less than the width of '${t}' (${w})`, t);
      const r = op === '<<' ? x << n : x >> n;
      return { k: 'int', value: convertInt(r, t, target), type: t };
    }
    const t = usualArithmetic(a.type, b.type, target);
    const x = convertInt(a.value, t, target);
    const y = convertInt(b.value, t, target);
    if (RELATIONAL.has(op)) return intBool(relate(op, x, y));
    let r: bigint;
    switch (op) {
      case '&':
        return { k: 'int', value: convertInt(x & y, t, target), type: t };
      case '|':
        return { k: 'int', value: convertInt(x | y, t, target), type: t };
      case '^':
        return { k: 'int', value: convertInt(x ^ y, t, target), type: t };
      case '+':
        r = x + y;
        break;
      case '-':
        r = x - y;
        break;
      case '*':
        r = x * y;
        break;
      case '/':
      case '%':
        if (y === 0n) return this.ub(`division by zero`, t);
        r = op === '/' ? x / y : x % y; // BigInt truncates toward zero, like C (6.5.5p6)
        break;
      default:
        fail(`operator '${op}' is not allowed in a constant expression`);
    }
    // Unsigned arithmetic is modular (6.2.5p9); signed overflow wraps as both compilers fold it.
    const value = convertInt(r, t, target);
    // clang warns for + - * only (INT_MIN / -1 and INT_MIN % -1 fold without a warning).
    if (op === '+' || op === '-' || op === '*') this.overflowed(r, value, t, at);
    return { k: 'int', value, type: t };
  }

  private floatBinary(op: string, a: ConstValue, b: ConstValue): ConstValue {
    const t = this.floatCommon(a, b);
    const x = realOf(convertTo(a, { k: 'float', kind: t }, this.ctx));
    const y = realOf(convertTo(b, { k: 'float', kind: t }, this.ctx));
    const isCompare = RELATIONAL.has(op);
    if (!isCompare && !['+', '-', '*', '/'].includes(op)) fail(`operator '${op}' needs integer operands`);
    if (op === '/' && isZero(y) && this.unevaluated === 0) fail('floating division by zero');
    if (x.k === 'finite' && y.k === 'finite' && !(op === '/' && isZero(y))) {
      // Exact, then rounded once into t's format: IEEE arithmetic in any format.
      if (isCompare) return intBool(relate(op, compare(x, y), 0));
      return floatValue(arith(op as '+' | '-' | '*' | '/', x, y), t, this.target);
    }
    // Infinities and NaNs: a double has them all.
    const dx = toDouble(x);
    const dy = toDouble(y);
    if (isCompare) return intBool(relate(op, dx, dy));
    const r = op === '+' ? dx + dy : op === '-' ? dx - dy : op === '*' ? dx * dy : dx / dy;
    return floatValue(realFromDouble(r), t, this.target);
  }

  private pointeeSize(to: CType): bigint {
    const t = this.ctx.resolve(to);
    if (t.kind === 'void' || t.kind === 'function') return 1n; // GNU: void* arithmetic steps by 1
    return BigInt(this.sizeOf(to));
  }

  private pointerBinary(op: string, a: ConstValue, b: ConstValue): ConstValue {
    const pw = this.target.scalars.pointer.size * 8;
    const addr = (v: ConstValue): bigint => {
      if (v.k === 'ptr') return v.address;
      if (v.k === 'int') return BigInt.asUintN(pw, v.value);
      fail('a floating value cannot be compared with a pointer');
    };
    if (RELATIONAL.has(op)) return intBool(relate(op, addr(a), addr(b)));
    if (op === '-' && a.k === 'ptr' && b.k === 'ptr') {
      const size = this.pointeeSize(a.to);
      const d = BigInt.asIntN(pw, a.address - b.address);
      return { k: 'int', value: convertInt(d / size, this.target.ptrdiffType, this.target), type: this.target.ptrdiffType };
    }
    if ((op === '+' || op === '-') && a.k === 'ptr' && b.k === 'int') {
      const off = b.value * this.pointeeSize(a.to);
      return { k: 'ptr', address: BigInt.asUintN(pw, op === '+' ? a.address + off : a.address - off), to: a.to };
    }
    if (op === '+' && a.k === 'int' && b.k === 'ptr') {
      const off = a.value * this.pointeeSize(b.to);
      return { k: 'ptr', address: BigInt.asUintN(pw, b.address + off), to: b.to };
    }
    fail(`operator '${op}' is not defined for these pointer operands`);
  }

  private cast(castType: CType, argExpr: Expr): ConstValue {
    let type = castType;
    // GNU typeof(E) names E's type (linux's `(typeof(x))(a) - 1` in __ALIGN_KERNEL).
    for (let r = this.ctx.resolve(type); r.kind === 'typeof'; r = this.ctx.resolve(type)) type = this.typeOf(r.expr);
    const t = this.ctx.resolve(type);
    if (t.kind === 'void') {
      this.ev(argExpr);
      fail('a cast to void has no value');
    }
    const sk = scalarKindOf(type, this.ctx);
    if (!sk) {
      if (t.kind === 'enum') {
        const decl = this.ctx.ir.enums[t.id];
        const u = decl ? enumUnderlying(decl, this.ctx) : { ok: false as const, reason: 'unknown enum' };
        fail(u.ok ? 'cast failed' : u.reason);
      }
      fail(`a cast to a non-scalar type is not a constant`);
    }
    return convertTo(this.ev(argExpr), sk, this.ctx);
  }

  private call(callee: Expr, args: Expr[]): ConstValue {
    const name = callee.k === 'ident' ? callee.name : null;
    switch (name) {
      case '__builtin_expect':
      case '__builtin_expect_with_probability':
        if (args.length >= 1) {
          const v = this.ev(args[0]!);
          if (args[1]) this.ev(args[1]);
          return v.k === 'int' ? { k: 'int', value: convertInt(v.value, 'long', this.target), type: 'long' } : v;
        }
        break;
      case '__builtin_constant_p': {
        if (args.length !== 1) break;
        const r = evaluateConstant(args[0]!, this.ctx, this.scope);
        return { k: 'int', value: r.ok && r.value.k !== 'string' ? 1n : 0n, type: 'int' };
      }
      case '__builtin_bswap16':
      case '__builtin_bswap32':
      case '__builtin_bswap64': {
        if (args.length !== 1) break;
        const bits = Number(name.slice('__builtin_bswap'.length));
        const kind: IntKind = bits === 16 ? 'unsigned short' : bits === 32 ? (widthOf('unsigned int', this.target) === 32 ? 'unsigned int' : 'unsigned long') : 'unsigned long long';
        const v = this.intOperand(this.ev(args[0]!), name);
        let x = BigInt.asUintN(bits, v.value);
        let r = 0n;
        for (let i = 0; i < bits / 8; i++) {
          r = (r << 8n) | (x & 0xffn);
          x >>= 8n;
        }
        return { k: 'int', value: r, type: kind };
      }
    }
    // In an operand that is not evaluated (the arm of `__builtin_constant_p(x) ? A : f(x)` not
    // taken), a call to a declared function only contributes its return type.
    const fn = name !== null ? this.ctx.ir.functions[name] : undefined;
    if (this.unevaluated > 0 && fn) {
      const sk = scalarKindOf(fn.type.ret, this.ctx);
      if (sk?.k === 'int') return { k: 'int', value: 0n, type: sk.kind };
      if (sk?.k === 'float') return { k: 'float', value: 0, type: sk.kind };
      if (sk?.k === 'ptr') return { k: 'ptr', address: 0n, to: sk.to };
    }
    fail(`a call to ${name ?? 'a function'} is not a constant`);
  }

  // --- types, sizes, offsets --------------------------------------------------------------

  sizeOf(type: CType): number {
    const t = this.ctx.resolve(type);
    if (t.kind === 'void' || t.kind === 'function') return 1; // GNU extension, both compilers
    const l = this.ctx.layoutOf(type);
    if (!l.complete) fail(`sizeof an incomplete type: ${l.reason}`);
    return l.size;
  }

  alignOf(type: CType): number {
    const t = this.ctx.resolve(type);
    if (t.kind === 'void' || t.kind === 'function') return 1;
    const l = this.ctx.layoutOf(type);
    if (!l.complete) fail(`_Alignof an incomplete type: ${l.reason}`);
    return l.align;
  }

  /**
   * GNU `__alignof__`: a scalar's preferred alignment where the target has one (double and
   * long long on i386: 8, though 4 as members), also through arrays and _Complex; what an
   * aligned attribute set is kept. Records are their ABI alignment. Matches gcc and clang.
   */
  preferredAlignOf(type: CType): number {
    const abi = this.alignOf(type);
    let t = this.ctx.resolve(type);
    while (t.kind === 'array') t = this.ctx.resolve(t.of);
    const name = t.kind === 'int' || t.kind === 'float' ? t.name : t.kind === 'complex' ? t.of : null;
    const s = name !== null ? this.ctx.target.scalars[name] : undefined;
    // An aligned attribute on the way shows as an alignment other than the scalar's own.
    if (!s || s.preferredAlign === undefined || abi !== s.align) return abi;
    return Math.max(abi, s.preferredAlign);
  }

  private recordLayout(type: CType): RecordLayout {
    const l = this.ctx.layoutOf(type);
    if (!l.complete) fail(`incomplete type: ${l.reason}`);
    if (!l.record) fail('member access into a type that is not a struct or union');
    return l.record;
  }

  /** Byte offset and type of member `name` in a record (looking through anonymous members). */
  private member(type: CType, name: string): { offset: bigint; type: CType } {
    const found = findMember(this.recordLayout(type), name, this.ctx);
    if (!found) fail(`no member named '${name}'`);
    if (found.field.bitField) fail(`'${name}' is a bit-field; it has no address`);
    return { offset: BigInt(found.offsetBits / 8), type: found.field.type };
  }

  private elementType(type: CType): CType {
    const t = this.ctx.resolve(type);
    if (t.kind === 'array') return t.of;
    if (t.kind === 'pointer') return t.to;
    fail('subscript of a value that is not an array or pointer');
  }

  private offsetOf(type: CType, path: Designator[]): bigint {
    let offset = 0n;
    let cur = type;
    for (const d of path) {
      if ('field' in d) {
        const m = this.member(cur, d.field);
        offset += m.offset;
        cur = m.type;
      } else {
        const el = this.elementType(cur);
        const i = this.intOperand(this.ev(d.index), '[]');
        offset += i.value * BigInt(this.sizeOf(el));
        cur = el;
      }
    }
    return offset;
  }

  /** The address of an lvalue built from constant pointers (`((T *)0)->f`, `&a[2]`). */
  private lvalue(e: Expr): Lvalue {
    switch (e.k) {
      case 'unary':
        if (e.op === '*') {
          const p = this.ev(e.arg);
          if (p.k !== 'ptr') fail('dereference of a value that is not a pointer');
          return { address: p.address, type: p.to };
        }
        break;
      case 'member': {
        let base: Lvalue;
        if (e.arrow) {
          const p = this.ev(e.obj);
          if (p.k !== 'ptr') fail(`'->' on a value that is not a pointer`);
          base = { address: p.address, type: p.to };
        } else base = this.lvalue(e.obj);
        const m = this.member(base.type, e.name);
        return { address: base.address + m.offset, type: m.type };
      }
      case 'index': {
        const i = this.ev(e.index);
        let baseAddr: bigint;
        let el: CType;
        const ot = this.typeOfOrNull(e.obj);
        if (ot && this.ctx.resolve(ot).kind === 'array') {
          const b = this.lvalue(e.obj);
          baseAddr = b.address;
          el = this.elementType(b.type);
        } else {
          const p = this.ev(e.obj);
          if (p.k !== 'ptr') fail('subscript of a value that is not a pointer');
          baseAddr = p.address;
          el = p.to;
        }
        const idx = this.intOperand(i, '[]').value;
        return { address: baseAddr + idx * BigInt(this.sizeOf(el)), type: el };
      }
      case 'ident':
        if (this.ctx.ir.variables[e.name] || this.ctx.ir.functions[e.name]) {
          fail(`the address of '${e.name}' needs a relocation; it has no value before linking`);
        }
        fail(`identifier ${e.name} is not a constant`);
      case 'string':
        fail('the address of a string literal needs a relocation; it has no value before linking');
      case 'compound':
        fail('the address of a compound literal is not a constant');
      default:
        break;
    }
    fail('the operand of & is not an lvalue with a constant address');
  }

  private typeOfOrNull(e: Expr): CType | null {
    try {
      return this.typeOf(e);
    } catch (err) {
      if (err instanceof NotConstant) return null;
      throw err;
    }
  }

  /** 6.5.3.4: the type of sizeof's operand; the operand itself is not evaluated. */
  typeOf(e: Expr): CType {
    switch (e.k) {
      case 'ident': {
        const v = this.ctx.ir.variables[e.name];
        if (v) return v.type;
        const f = this.ctx.ir.functions[e.name];
        if (f) return f.type;
        break;
      }
      case 'string': {
        const r = parseStringLiteral(e.text, this.target);
        if (!r.ok) fail(r.reason);
        return { kind: 'array', of: intType(r.value.elem), length: { k: 'int', text: String(r.value.units.length) } };
      }
      case 'member': {
        let t = this.typeOf(e.obj);
        if (e.arrow) t = this.elementType(t);
        const found = findMember(this.recordLayout(t), e.name, this.ctx);
        if (!found) fail(`no member named '${e.name}'`);
        return found.field.type;
      }
      case 'index': {
        const ot = this.typeOf(e.obj);
        const r = this.ctx.resolve(ot);
        if (r.kind === 'array' || r.kind === 'pointer') return this.elementType(ot);
        return this.elementType(this.typeOf(e.index));
      }
      case 'unary':
        if (e.op === '*') return this.elementType(this.typeOf(e.arg));
        if (e.op === '&') return { kind: 'pointer', to: this.typeOf(e.arg) };
        break;
      case 'cast':
        return e.type;
      case 'compound':
        return e.type;
      case 'comma':
        return this.typeOf(e.right);
      default:
        break;
    }
    this.unevaluated++;
    try {
      const v = this.ev(e);
      if (v.k === 'int') return intType(v.type);
      if (v.k === 'float') return { kind: 'float', name: v.type };
      if (v.k === 'ptr') return { kind: 'pointer', to: v.to };
      return { kind: 'array', of: intType(v.lit.elem), length: { k: 'int', text: String(v.lit.units.length) } };
    } finally {
      this.unevaluated--;
    }
  }
}

/** A decimal with clang's digit separators (-Winteger-overflow prints `-2'147'483'648`). */
function withDigitSeparators(v: bigint): string {
  const digits = (v < 0n ? -v : v).toString();
  const groups: string[] = [];
  for (let end = digits.length; end > 0; end -= 3) groups.unshift(digits.slice(Math.max(0, end - 3), end));
  return (v < 0n ? '-' : '') + groups.join("'");
}

/** Find a named member in a record layout, descending into anonymous struct/union members. */
export function findMember(
  layout: RecordLayout,
  name: string,
  ctx: AbiContext,
): { field: RecordLayout['fields'][number]; offsetBits: number; path: number[] } | null {
  for (let i = 0; i < layout.fields.length; i++) {
    const f = layout.fields[i]!;
    if (f.name === name) return { field: f, offsetBits: f.offsetBits, path: [i] };
  }
  for (let i = 0; i < layout.fields.length; i++) {
    const f = layout.fields[i]!;
    if (f.name !== null || f.bitField) continue;
    const inner = anonymousLayout(f, ctx);
    if (!inner) continue;
    const r = findMember(inner, name, ctx);
    if (r) return { field: r.field, offsetBits: f.offsetBits + r.offsetBits, path: [i, ...r.path] };
  }
  return null;
}

/** The layout of an anonymous struct/union member, offsets relative to the member. */
export function anonymousLayout(f: RecordLayout['fields'][number], ctx: AbiContext): RecordLayout | null {
  if (f.anonymous) return f.anonymous;
  const t = ctx.resolve(f.type);
  if (t.kind !== 'record') return null;
  const l = ctx.layoutOf(f.type);
  return l.complete && l.record ? l.record : null;
}
