// `#if` expression evaluation (C17 6.10.1): after macro expansion, `defined` and the
// __has_* operators have already become numbers; remaining identifiers are 0. Arithmetic is
// done in intmax_t / uintmax_t (64-bit, two's complement wrap) with the usual arithmetic
// conversions: if either operand is unsigned, both are.
import type { Diagnostic, Loc } from './diagnostics.js';
import { diag } from './diagnostics.js';
import type { Token } from './token.js';

export interface PPValue {
  v: bigint; // already wrapped to 64 bits (signed range when !u, unsigned range when u)
  u: boolean;
}

export interface PPExprTarget {
  /** Plain `char` is unsigned on the target (ARM, ...): '\xff' is 255 in #if. */
  charUnsigned: boolean;
  /** Width and signedness of wchar_t for L'x'. */
  wcharBits: number;
  wcharUnsigned: boolean;
}

const M64 = (1n << 64n) - 1n;
const norm = (v: bigint, u: boolean): PPValue => ({ v: u ? BigInt.asUintN(64, v) : BigInt.asIntN(64, v), u });

class EvalError {
  constructor(readonly message: string, readonly loc: Loc) {}
}

export function evaluatePPExpr(
  toks: Token[],
  at: Loc,
  target: PPExprTarget,
  diags: Diagnostic[],
): boolean {
  if (toks.length === 0) {
    diags.push(diag('error', '#if with no expression', at, 'pp-if'));
    return false;
  }
  let i = 0;
  let skip = 0; // >0: inside an unevaluated operand (no division-by-zero errors)
  const peek = (): Token | undefined => toks[i];
  const isP = (t: Token | undefined, s: string) => t !== undefined && t.kind === 'punct' && t.text === s;
  const fail = (msg: string, t?: Token): never => {
    throw new EvalError(msg, t ? t.loc : toks[toks.length - 1]?.loc ?? at);
  };

  const primary = (): PPValue => {
    const t = toks[i++];
    if (!t) return fail('expected value in expression');
    if (t.kind === 'number') return parseNumber(t);
    if (t.kind === 'char') return parseChar(t);
    if (t.kind === 'ident') {
      return { v: 0n, u: false };
    }
    if (isP(t, '(')) {
      const v = comma();
      if (!isP(peek(), ')')) fail("expected ')' in preprocessor expression", peek());
      i++;
      return v;
    }
    if (isP(t, '-')) {
      const a = unary0();
      return norm(-a.v, a.u);
    }
    if (isP(t, '+')) return unary0();
    if (isP(t, '~')) {
      const a = unary0();
      return norm(~a.v, a.u);
    }
    if (isP(t, '!')) {
      const a = unary0();
      return { v: a.v === 0n ? 1n : 0n, u: false };
    }
    if (t.kind === 'string') return fail('token is not a valid binary operator in a preprocessor subexpression', t);
    return fail(`invalid token at start of a preprocessor expression: '${t.text}'`, t);
  };
  const unary0 = primary;

  const prec: Record<string, number> = {
    '*': 10, '/': 10, '%': 10, '+': 9, '-': 9, '<<': 8, '>>': 8, '<': 7, '>': 7, '<=': 7, '>=': 7,
    '==': 6, '!=': 6, '&': 5, '^': 4, '|': 3, '&&': 2, '||': 1,
  };

  const binary = (minPrec: number): PPValue => {
    let lhs = unary0();
    for (;;) {
      const t = peek();
      if (!t || t.kind !== 'punct') return lhs;
      const p = prec[t.text];
      if (p === undefined || p < minPrec) return lhs;
      i++;
      const op = t.text;
      if (op === '&&' || op === '||') {
        const short = op === '&&' ? lhs.v === 0n : lhs.v !== 0n;
        if (short) skip++;
        const rhs = binary(p + 1);
        if (short) skip--;
        const r = op === '&&' ? lhs.v !== 0n && rhs.v !== 0n : lhs.v !== 0n || rhs.v !== 0n;
        lhs = { v: r ? 1n : 0n, u: false };
        continue;
      }
      const rhs = binary(p + 1);
      lhs = apply(op, lhs, rhs, t);
    }
  };

  const apply = (op: string, a: PPValue, b: PPValue, t: Token): PPValue => {
    const u = a.u || b.u;
    const x = u ? BigInt.asUintN(64, a.v) : a.v;
    const y = u ? BigInt.asUintN(64, b.v) : b.v;
    switch (op) {
      case '*': return norm(x * y, u);
      case '/':
      case '%':
        if (y === 0n) {
          if (skip > 0) return { v: 0n, u };
          fail(op === '/' ? 'division by zero in preprocessor expression' : 'remainder by zero in preprocessor expression', t);
        }
        return norm(op === '/' ? x / y : x % y, u);
      case '+': return norm(x + y, u);
      case '-': return norm(x - y, u);
      case '<<': {
        // shift count is the right operand's value; the result has the left operand's type
        const n = b.u ? BigInt.asUintN(64, b.v) : b.v;
        if (n < 0n) return norm(a.u ? BigInt.asUintN(64, a.v) >> -n : a.v >> -n, a.u);
        if (n >= 64n) return { v: 0n, u: a.u };
        return norm((a.u ? BigInt.asUintN(64, a.v) : a.v) << n, a.u);
      }
      case '>>': {
        const n = b.u ? BigInt.asUintN(64, b.v) : b.v;
        if (n < 0n) return norm((a.u ? BigInt.asUintN(64, a.v) : a.v) << -n, a.u);
        if (n >= 64n) return { v: a.u || a.v >= 0n ? 0n : -1n, u: a.u };
        return norm((a.u ? BigInt.asUintN(64, a.v) : a.v) >> n, a.u);
      }
      case '<': return { v: x < y ? 1n : 0n, u: false };
      case '>': return { v: x > y ? 1n : 0n, u: false };
      case '<=': return { v: x <= y ? 1n : 0n, u: false };
      case '>=': return { v: x >= y ? 1n : 0n, u: false };
      case '==': return { v: x === y ? 1n : 0n, u: false };
      case '!=': return { v: x !== y ? 1n : 0n, u: false };
      case '&': return norm(x & y, u);
      case '^': return norm(x ^ y, u);
      case '|': return norm(x | y, u);
    }
    return fail(`unknown operator ${op}`, t);
  };

  const conditional = (): PPValue => {
    const c = binary(1);
    if (!isP(peek(), '?')) return c;
    i++;
    if (c.v === 0n) skip++;
    const a = comma();
    if (c.v === 0n) skip--;
    if (!isP(peek(), ':')) fail("expected ':' in preprocessor conditional", peek());
    i++;
    if (c.v !== 0n) skip++;
    const b = conditional();
    if (c.v !== 0n) skip--;
    const u = a.u || b.u;
    return norm(c.v !== 0n ? a.v : b.v, u);
  };

  const comma = (): PPValue => {
    let v = conditional();
    while (isP(peek(), ',')) {
      i++;
      v = conditional();
    }
    return v;
  };

  const parseNumber = (t: Token): PPValue => {
    const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([uUlL]*)$/.exec(t.text);
    if (!m) {
      if (/^(0[xX][0-9a-fA-F.]*[pP]|[0-9.]*[eE.])/.test(t.text)) fail('floating point literal in preprocessor expression', t);
      fail(`invalid integer constant '${t.text}' in preprocessor expression`, t);
    }
    let digits = m![1]!;
    const suf = m![2]!.toLowerCase();
    if (!/^(u?(l|ll)?|(l|ll)u)$/.test(suf)) fail(`invalid suffix '${m![2]}' on integer constant`, t);
    let v: bigint;
    const decimal = !/^0[xXbB]/.test(digits) && !(digits.length > 1 && digits[0] === '0');
    if (/^0[bB]/.test(digits)) v = BigInt('0b' + digits.slice(2));
    else if (/^0[xX]/.test(digits)) v = BigInt(digits);
    else if (digits.length > 1 && digits[0] === '0') {
      if (/[89]/.test(digits)) fail(`invalid digit in octal constant '${t.text}'`, t);
      v = BigInt('0o' + digits.slice(1));
    } else v = BigInt(digits);
    digits = '';
    let u = suf.includes('u');
    if (v > M64) {
      diags.push(diag('warning', 'integer literal is too large to be represented in any integer type', t.loc, 'pp-if'));
      v &= M64;
      u = true;
    } else if (v > (1n << 63n) - 1n && !u) {
      if (decimal) diags.push(diag('warning', 'integer literal is too large to be represented in a signed integer type, interpreting as unsigned', t.loc, 'pp-if'));
      u = true;
    }
    return norm(v, u);
  };

  const parseChar = (t: Token): PPValue => {
    const m = /^(L|u8|u|U)?'(.*)'$/s.exec(t.text);
    if (!m) return fail(`invalid character constant ${t.text}`, t);
    const prefix = m[1] ?? '';
    const body = m[2]!;
    const vals: number[] = [];
    for (let k = 0; k < body.length; ) {
      const c = body[k]!;
      if (c !== '\\') {
        vals.push(body.charCodeAt(k));
        k++;
        continue;
      }
      const e = body[k + 1] ?? '';
      k += 2;
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, E: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };
      if (e in simple) vals.push(simple[e]!);
      else if (e === 'x') {
        let h = '';
        while (k < body.length && /[0-9a-fA-F]/.test(body[k]!)) h += body[k++];
        vals.push(h === '' ? 0 : Number(BigInt('0x' + h) & 0xffffffffn));
      } else if (/[0-7]/.test(e)) {
        let o = e;
        while (o.length < 3 && k < body.length && /[0-7]/.test(body[k]!)) o += body[k++];
        vals.push(parseInt(o, 8));
      } else if (e === 'u' || e === 'U') {
        const len = e === 'u' ? 4 : 8;
        vals.push(parseInt(body.slice(k, k + len), 16) || 0);
        k += len;
      } else vals.push(e.charCodeAt(0));
    }
    // A character constant whose type is unsigned is unsigned in #if too, in gcc and clang
    // alike: `'\0' - 1 > 0` holds where char is unsigned, `L'\0' - 1 > 0` where wchar_t is
    // (musl's stdint.h picks WCHAR_MAX by it), and always for u'' and U''.
    if (prefix === '') {
      // int with the value of (char) c; multi-character constants: big-endian packing (gcc/clang)
      if (vals.length === 1) {
        const b = vals[0]! & 0xff;
        return { v: BigInt(target.charUnsigned ? b : b >= 128 ? b - 256 : b), u: target.charUnsigned };
      }
      let v = 0n;
      for (const x of vals) v = (v << 8n) | BigInt(x & 0xff);
      return { v: BigInt.asIntN(32, v), u: false };
    }
    const x = BigInt(vals[vals.length - 1] ?? 0);
    if (prefix === 'L') {
      const w = target.wcharBits;
      return target.wcharUnsigned ? { v: BigInt.asUintN(w, x), u: true } : { v: BigInt.asIntN(w, x), u: false };
    }
    if (prefix === 'u8') return { v: x & 0xffn, u: true };
    if (prefix === 'u') return { v: x & 0xffffn, u: true };
    return { v: x & 0xffffffffn, u: true };
  };

  try {
    const v = comma();
    if (i < toks.length) {
      const t = toks[i]!;
      fail(
        t.kind === 'punct' && t.text === ')'
          ? "extraneous ')' in preprocessor expression"
          : `token is not a valid binary operator in a preprocessor subexpression: '${t.text}'`,
        t,
      );
    }
    return v.v !== 0n;
  } catch (e) {
    if (e instanceof EvalError) {
      diags.push(diag('error', e.message, e.loc, 'pp-if'));
      return false;
    }
    throw e;
  }
}
