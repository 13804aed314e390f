// `#if` expression evaluation (C17 6.10.1): after macro expansion, `defined` and the
// __has_* operators have already become numbers; remaining identifiers are 0. Arithmetic is
// done in intmax_t / uintmax_t (64-bit, two's complement wrap) with the usual arithmetic
// conversions: if either operand is unsigned, both are. Where that wraps in an evaluated
// operand, clang's warning "integer overflow in preprocessor expression", at the operator.
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

const MIN64 = -(1n << 63n);

/** Binding strength of the binary operators, the comma lowest; `?:` binds between `,` and `||`. */
const COMMA_PREC = 1;
const CONDITIONAL_PREC = 2;
const BINARY_PREC: Record<string, number> = Object.assign(Object.create(null) as Record<string, number>, {
  ',': COMMA_PREC, '||': 3, '&&': 4, '|': 5, '^': 6, '&': 7, '==': 8, '!=': 8, '<': 9, '>': 9, '<=': 9, '>=': 9,
  '<<': 10, '>>': 10, '+': 11, '-': 11, '*': 12, '/': 12, '%': 12,
});

/** What waits on the operator stack: a prefix operator for its operand, a binary operator
 *  (`skips`: its right operand is not evaluated, `0 && …`), an open parenthesis, a `?` for its
 *  `:`, or a `:` for its third operand. */
type Pending =
  | { k: 'unary'; op: string; t: Token }
  | { k: 'paren'; t: Token }
  | { k: 'binary'; op: string; prec: number; t: Token; skips: boolean }
  | { k: '?' | ':'; t: Token; cond: boolean };

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
  // The expression is read with two explicit stacks (operands, and operators waiting for their
  // right operand or brackets waiting for their closer), not by recursion per nesting level:
  // clang and gcc accept `#if` with any number of nested parentheses or unary operators.
  const vals: PPValue[] = [];
  const ops: Pending[] = [];
  let i = 0;
  let skip = 0; // >0: inside an unevaluated operand (no errors, no overflow warnings)
  const fail = (msg: string, t?: Token): never => {
    throw new EvalError(msg, t ? t.loc : toks[toks.length - 1]?.loc ?? at);
  };
  const overflow = (t: Token): void => {
    if (skip === 0) diags.push(diag('warning', 'integer overflow in preprocessor expression', t.loc, 'pp-if'));
  };

  /** Binds the operator on top of `ops` to its operands. */
  const reduce = (): void => {
    const f = ops.pop()!;
    const b = vals.pop()!;
    const a = vals.pop()!;
    if (f.k === ':') {
      if (f.cond) skip--;
      vals.push(norm(f.cond ? a.v : b.v, a.u || b.u));
      return;
    }
    if (f.k !== 'binary') throw new Error(`pp-expr: cannot reduce '${f.k}'`);
    if (f.skips) skip--;
    if (f.op === '&&') vals.push({ v: a.v !== 0n && b.v !== 0n ? 1n : 0n, u: false });
    else if (f.op === '||') vals.push({ v: a.v !== 0n || b.v !== 0n ? 1n : 0n, u: false });
    else if (f.op === ',') vals.push(b);
    else vals.push(apply(f.op, a, b, f.t));
  };
  /** Reduces while the operator on top binds at least as tightly as `minPrec`. */
  const reduceWhile = (minPrec: number): void => {
    for (let f = ops[ops.length - 1]; f; f = ops[ops.length - 1]) {
      const p = f.k === 'binary' ? f.prec : f.k === ':' ? CONDITIONAL_PREC : -1;
      if (p < minPrec) return;
      reduce();
    }
  };
  /** An operand is complete: the unary operators before it apply. */
  const operandDone = (): void => {
    for (let f = ops[ops.length - 1]; f && f.k === 'unary'; f = ops[ops.length - 1]) {
      ops.pop();
      const a = vals.pop()!;
      if (f.op === '-') {
        if (!a.u && a.v === MIN64) overflow(f.t); // -INTMAX_MIN
        vals.push(norm(-a.v, a.u));
      } else if (f.op === '~') vals.push(norm(~a.v, a.u));
      else if (f.op === '!') vals.push({ v: a.v === 0n ? 1n : 0n, u: false });
      else vals.push(a);
    }
  };
  /** A token that cannot continue the expression: the innermost open bracket says what. */
  const unexpected = (t: Token): never => {
    reduceWhile(0);
    const open = ops[ops.length - 1];
    if (open?.k === 'paren') fail("expected ')' in preprocessor expression", t);
    if (open?.k === '?') fail("expected ':' in preprocessor conditional", t);
    return fail(
      t.kind === 'punct' && t.text === ')'
        ? "extraneous ')' in preprocessor expression"
        : `token is not a valid binary operator in a preprocessor subexpression: '${t.text}'`,
      t,
    );
  };

  const apply = (op: string, a: PPValue, b: PPValue, t: Token): PPValue => {
    const u = a.u || b.u;
    const x = u ? BigInt.asUintN(64, a.v) : a.v;
    const y = u ? BigInt.asUintN(64, b.v) : b.v;
    // Overflow warnings where clang gives them: signed + - * /, and shifts that lose bits or
    // whose count is negative or not less than 64 (signed or unsigned).
    const signed = (r: bigint): PPValue => {
      if (!u && BigInt.asIntN(64, r) !== r) overflow(t);
      return norm(r, u);
    };
    switch (op) {
      case '*': return signed(x * y);
      case '/':
      case '%':
        if (y === 0n) {
          if (skip > 0) return { v: 0n, u };
          fail(op === '/' ? 'division by zero in preprocessor expression' : 'remainder by zero in preprocessor expression', t);
        }
        return op === '/' ? signed(x / y) : norm(x % y, u);
      case '+': return signed(x + y);
      case '-': return signed(x - y);
      case '<<': {
        // shift count is the right operand's value; the result has the left operand's type
        const n = b.u ? BigInt.asUintN(64, b.v) : b.v;
        const l = a.u ? BigInt.asUintN(64, a.v) : a.v;
        if (n < 0n || n >= 64n) overflow(t);
        else if (a.u ? l << n > M64 : BigInt.asIntN(64, l << n) !== l << n) overflow(t);
        if (n < 0n) return norm(l >> -n, a.u);
        if (n >= 64n) return { v: 0n, u: a.u };
        return norm(l << n, a.u);
      }
      case '>>': {
        const n = b.u ? BigInt.asUintN(64, b.v) : b.v;
        if (n < 0n || n >= 64n) overflow(t);
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

  const evaluate = (): PPValue => {
    for (;;) {
      // An operand: a number, a character constant, an identifier (0), or a prefix.
      const t = toks[i++];
      if (!t) return fail('expected value in expression');
      if (t.kind === 'number') vals.push(parseNumber(t));
      else if (t.kind === 'char') vals.push(parseChar(t));
      else if (t.kind === 'ident') vals.push({ v: 0n, u: false });
      else if (t.kind === 'punct' && t.text === '(') {
        ops.push({ k: 'paren', t });
        continue;
      } else if (t.kind === 'punct' && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!')) {
        ops.push({ k: 'unary', op: t.text, t });
        continue;
      } else if (t.kind === 'string') return fail('token is not a valid binary operator in a preprocessor subexpression', t);
      else return fail(`invalid token at start of a preprocessor expression: '${t.text}'`, t);
      operandDone();
      // Then closing parentheses, and an operator (or the end).
      for (;;) {
        const o = toks[i];
        if (!o) {
          reduceWhile(0);
          const open = ops[ops.length - 1];
          if (open?.k === 'paren') fail("expected ')' in preprocessor expression");
          if (open?.k === '?') fail("expected ':' in preprocessor conditional");
          return vals.pop()!;
        }
        if (o.kind !== 'punct') return unexpected(o);
        if (o.text === ')') {
          reduceWhile(0);
          if (ops[ops.length - 1]?.k !== 'paren') return unexpected(o);
          ops.pop();
          i++;
          operandDone();
          continue;
        }
        const prec = BINARY_PREC[o.text];
        if (prec !== undefined) {
          i++;
          reduceWhile(prec); // left-associative
          let skips = false;
          if (o.text === '&&' || o.text === '||') {
            const l = vals[vals.length - 1]!;
            skips = o.text === '&&' ? l.v === 0n : l.v !== 0n;
            if (skips) skip++;
          }
          ops.push({ k: 'binary', op: o.text, prec, t: o, skips });
        } else if (o.text === '?') {
          i++;
          reduceWhile(CONDITIONAL_PREC + 1); // right-associative
          const cond = vals.pop()!.v !== 0n;
          if (!cond) skip++;
          ops.push({ k: '?', t: o, cond });
        } else if (o.text === ':') {
          reduceWhile(COMMA_PREC);
          const q = ops[ops.length - 1];
          if (q?.k !== '?') return unexpected(o);
          i++;
          ops.pop();
          if (!q.cond) skip--;
          if (q.cond) skip++;
          ops.push({ k: ':', t: o, cond: q.cond });
        } else return unexpected(o);
        break;
      }
    }
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
    return evaluate().v !== 0n;
  } catch (e) {
    if (e instanceof EvalError) {
      diags.push(diag('error', e.message, e.loc, 'pp-if'));
      return false;
    }
    throw e;
  }
}
