// Binary floating-point formats (IEEE 754 binary16/32/64/128, bfloat16, the x87 80-bit
// extended format) and exact rounding into them. Values are exact rationals (BigInt numerator
// and denominator), so a decimal literal such as `0.1L` is rounded once, to nearest even,
// straight into the target's `long double` format, as the compiler does; JS numbers (doubles)
// cannot carry that. Which format a C floating type has on a target is data: the target's
// predefined `__FLT_MANT_DIG__` / `__DBL_*` / `__LDBL_MANT_DIG__` and `__LDBL_MAX_EXP__`.
import type { FloatKind } from '../parse/ir.js';
import type { Target } from './target-types.js';
import { predefinedSource } from './target.js';

export interface FloatFormat {
  name: string;
  /** Significand precision p in bits, including the leading (hidden or explicit) bit. */
  precision: number;
  expBits: number;
  /** The leading significand bit is stored (x87 extended), not implied. */
  explicitInt: boolean;
  /** Bits of the encoding (the object may be wider: x87 long double is 80 bits in 12 or 16 bytes). */
  bits: number;
}

const FORMATS: FloatFormat[] = [
  { name: 'binary16', precision: 11, expBits: 5, explicitInt: false, bits: 16 },
  { name: 'bfloat16', precision: 8, expBits: 8, explicitInt: false, bits: 16 },
  { name: 'binary32', precision: 24, expBits: 8, explicitInt: false, bits: 32 },
  { name: 'binary64', precision: 53, expBits: 11, explicitInt: false, bits: 64 },
  { name: 'x87 extended', precision: 64, expBits: 15, explicitInt: true, bits: 80 },
  { name: 'binary128', precision: 113, expBits: 15, explicitInt: false, bits: 128 },
];
const byName = (n: string) => FORMATS.find((f) => f.name === n)!;
export const BINARY32 = byName('binary32');
export const BINARY64 = byName('binary64');

/** A real value: exact rational (num >= 0, den > 0), infinity or NaN, with a sign. */
export type Real = { k: 'finite'; neg: boolean; num: bigint; den: bigint } | { k: 'inf'; neg: boolean } | { k: 'nan'; neg: boolean };

const predefinedCache = new WeakMap<Target, Map<string, string>>();

function predefinedMacros(t: Target): Map<string, string> {
  let m = predefinedCache.get(t);
  if (!m) {
    m = new Map();
    for (const line of predefinedSource(t).split('\n')) {
      const d = /^\s*#\s*define\s+(\w+)\s+(.*?)\s*$/.exec(line);
      if (d) m.set(d[1]!, d[2]!);
    }
    predefinedCache.set(t, m);
  }
  return m;
}

/** The format with `precision` bits and maximum exponent `maxExp` (C's *_MAX_EXP: emax + 1). */
function formatByLimits(precision: number, maxExp: number): FloatFormat | null {
  return FORMATS.find((f) => f.precision === precision && 2 ** (f.expBits - 1) === maxExp) ?? null;
}

/** The encoding of a floating type on a target; null when the target has no such type. */
export function floatFormatOf(kind: FloatKind, target: Target): FloatFormat | null {
  if (!target.scalars[kind]) return null;
  switch (kind) {
    case '_Float16':
    case '__fp16':
      return byName('binary16');
    case '__bf16':
      return byName('bfloat16');
    case '__float128':
      return byName('binary128');
  }
  const prefix = kind === 'float' ? '__FLT' : kind === 'double' ? '__DBL' : '__LDBL';
  const macros = predefinedMacros(target);
  const p = Number(macros.get(`${prefix}_MANT_DIG__`));
  const maxExp = Number(macros.get(`${prefix}_MAX_EXP__`));
  const f = formatByLimits(p, maxExp);
  if (f && f.bits <= target.scalars[kind].size * 8) return f;
  return null;
}

// ------------------------------------------------------------------ exact reals

function gcd(a: bigint, b: bigint): bigint {
  while (b) [a, b] = [b, a % b];
  return a;
}

export function finite(neg: boolean, num: bigint, den = 1n): Real {
  if (num < 0n) [neg, num] = [!neg, -num];
  if (den < 0n) [neg, den] = [!neg, -den];
  const g = gcd(num, den);
  return g > 1n ? { k: 'finite', neg, num: num / g, den: den / g } : { k: 'finite', neg, num, den };
}

export function realFromInt(v: bigint): Real {
  return finite(v < 0n, v < 0n ? -v : v);
}

/** The exact value of a double. */
export function realFromDouble(x: number): Real {
  if (Number.isNaN(x)) return { k: 'nan', neg: false };
  const neg = x < 0 || Object.is(x, -0);
  if (!Number.isFinite(x)) return { k: 'inf', neg };
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  const bits = dv.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  let m = bits & ((1n << 52n) - 1n);
  if (exp !== 0) m |= 1n << 52n;
  const q = (exp === 0 ? 1 : exp) - 1075;
  return q >= 0 ? finite(neg, m << BigInt(q)) : finite(neg, m, 1n << BigInt(-q));
}

export function negate(r: Real): Real {
  return { ...r, neg: !r.neg };
}

export function isZero(r: Real): boolean {
  return r.k === 'finite' && r.num === 0n;
}

/** + - * / of finite reals, exactly (the divisor is not zero). */
export function arith(op: '+' | '-' | '*' | '/', a: Real & { k: 'finite' }, b: Real & { k: 'finite' }): Real {
  const an = a.neg ? -a.num : a.num;
  const bn = b.neg ? -b.num : b.num;
  switch (op) {
    case '+':
    case '-': {
      const num = op === '+' ? an * b.den + bn * a.den : an * b.den - bn * a.den;
      // IEEE: an exact zero sum is +0 (round to nearest), except (-0) + (-0).
      if (num === 0n) return finite(op === '+' ? a.neg && b.neg : a.neg && !b.neg, 0n);
      return finite(false, num, a.den * b.den);
    }
    case '*':
      return finite(a.neg !== b.neg, a.num * b.num, a.den * b.den);
    case '/':
      return finite(a.neg !== b.neg, a.num * b.den, a.den * b.num);
  }
}

/** -1, 0, 1 for finite a < = > b (zeros of either sign are equal). */
export function compare(a: Real & { k: 'finite' }, b: Real & { k: 'finite' }): number {
  const l = (a.neg ? -a.num : a.num) * b.den;
  const r = (b.neg ? -b.num : b.num) * a.den;
  return l < r ? -1 : l > r ? 1 : 0;
}

// ------------------------------------------------------------------ rounding and encoding

type Rounded = { k: 'finite'; neg: boolean; m: bigint; q: number } | { k: 'inf'; neg: boolean } | { k: 'nan'; neg: boolean };

function bitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/** Round to nearest, ties to even: value = m × 2^q with m < 2^p, or infinity on overflow. */
function roundParts(r: Real, f: FloatFormat): Rounded {
  if (r.k !== 'finite') return r;
  if (r.num === 0n) return { k: 'finite', neg: r.neg, m: 0n, q: 0 };
  const p = f.precision;
  const bias = 2 ** (f.expBits - 1) - 1;
  const emin = 1 - bias;
  // e = floor(log2(num / den))
  let e = bitLength(r.num) - bitLength(r.den);
  const below = e >= 0 ? r.num < r.den << BigInt(e) : r.num << BigInt(-e) < r.den;
  if (below) e--;
  let q = Math.max(e, emin) - (p - 1);
  let n = r.num;
  let d = r.den;
  if (q >= 0) d <<= BigInt(q);
  else n <<= BigInt(-q);
  let m = n / d;
  const twice = (n - m * d) * 2n;
  if (twice > d || (twice === d && (m & 1n) === 1n)) m++;
  if (m === 1n << BigInt(p)) {
    m >>= 1n;
    q++;
  }
  if (q + p - 1 > bias) return { k: 'inf', neg: r.neg };
  return { k: 'finite', neg: r.neg, m, q };
}

/** `r` rounded to the format: the exact value the format stores. */
export function roundTo(r: Real, f: FloatFormat): Real {
  const x = roundParts(r, f);
  if (x.k !== 'finite') return x;
  return x.q >= 0 ? finite(x.neg, x.m << BigInt(x.q)) : finite(x.neg, x.m, 1n << BigInt(-x.q));
}

/** The nearest double. */
export function toDouble(r: Real): number {
  const x = roundParts(r, BINARY64);
  if (x.k === 'nan') return NaN;
  if (x.k === 'inf') return x.neg ? -Infinity : Infinity;
  const v = Number(x.m) * 2 ** x.q; // m < 2^53 and q >= -1074: exact
  return x.neg ? -v : v;
}

/** The format's bit pattern for `r` (rounded to nearest even first). NaN is the default quiet NaN. */
export function encodeBits(r: Real, f: FloatFormat): bigint {
  const x = roundParts(r, f);
  const p = f.precision;
  const fracBits = BigInt(f.explicitInt ? p : p - 1);
  const expMax = (1n << BigInt(f.expBits)) - 1n;
  const intBit = f.explicitInt ? 1n << BigInt(p - 1) : 0n;
  let exp: bigint;
  let frac: bigint;
  if (x.k === 'inf') [exp, frac] = [expMax, intBit];
  else if (x.k === 'nan') [exp, frac] = [expMax, intBit | (1n << BigInt(p - 2))];
  else if (x.m < 1n << BigInt(p - 1)) [exp, frac] = [0n, x.m]; // zero or subnormal
  else {
    const bias = 2 ** (f.expBits - 1) - 1;
    exp = BigInt(x.q + p - 1 + bias);
    frac = f.explicitInt ? x.m : x.m - (1n << BigInt(p - 1));
  }
  const sign = x.neg ? 1n : 0n;
  return (sign << (BigInt(f.expBits) + fracBits)) | (exp << fracBits) | frac;
}

/** The object bytes of `r` in a `size`-byte object: the encoding, then zero padding. */
export function encodeFloat(r: Real, f: FloatFormat, size: number, little: boolean): Uint8Array {
  const out = new Uint8Array(size);
  let bits = encodeBits(r, f);
  const n = f.bits / 8;
  for (let i = 0; i < n; i++) {
    out[little ? i : n - 1 - i] = Number(bits & 0xffn);
    bits >>= 8n;
  }
  return out;
}

// ------------------------------------------------------------------ literals

/** The exact value of a floating constant's digits (6.4.4.2), suffix removed. Null if malformed. */
export function parseFloatDigits(body: string): Real | null {
  const hex = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([+-]?[0-9]+)$/.exec(body);
  if (hex) {
    const int = hex[1] ?? '';
    const frac = hex[2] ?? '';
    if (int === '' && frac === '') return null;
    const mant = BigInt('0x' + (int + frac || '0'));
    const exp = clampExp(Number(hex[3]) - 4 * frac.length, bitLength(mant), 40000);
    return exp >= 0 ? finite(false, mant << BigInt(exp)) : finite(false, mant, 1n << BigInt(-exp));
  }
  const dec = /^([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(body);
  if (!dec || (dec[1] === '' && (dec[2] ?? '') === '') || (!body.includes('.') && dec[3] === undefined)) return null;
  const digits = (dec[1] ?? '') + (dec[2] ?? '');
  const mant = BigInt(digits || '0');
  const exp = clampExp(Number(dec[3] ?? '0') - (dec[2] ?? '').length, digits.length, 12000);
  return exp >= 0 ? finite(false, mant * 10n ** BigInt(exp)) : finite(false, mant, 10n ** BigInt(-exp));
}

/** Keeps absurd exponents (1e999999999) cheap: beyond `limit` every format overflows or underflows. */
function clampExp(exp: number, digits: number, limit: number): number {
  if (!Number.isFinite(exp)) return 0;
  if (exp + digits > limit) return limit;
  if (exp + digits < -limit) return -limit - digits;
  return exp;
}

/** `r` rounded to `digits` significant decimal digits: the digits (trailing zeros dropped)
 *  and the decimal exponent of the first one. */
function decimalDigits(r: Real & { k: 'finite' }, digits: number): { s: string; e10: number } {
  // e10 = floor(log10(num/den)), estimated from bit lengths, then corrected.
  let e10 = Math.floor((bitLength(r.num) - bitLength(r.den)) * Math.log10(2));
  const scaled = (e: number): bigint => {
    const k = digits - 1 - e;
    const n = k >= 0 ? r.num * 10n ** BigInt(k) : r.num;
    const d = k >= 0 ? r.den : r.den * 10n ** BigInt(-k);
    const q = n / d;
    return (n - q * d) * 2n >= d ? q + 1n : q; // round half up
  };
  let m = scaled(e10);
  const lo = 10n ** BigInt(digits - 1);
  for (let i = 0; i < 4 && (m < lo || m >= lo * 10n); i++) {
    e10 += m >= lo * 10n ? 1 : -1;
    m = scaled(e10);
  }
  return { s: m.toString().replace(/0+$/, '') || '0', e10 };
}

/** Decimal spelling as JavaScript writes numbers: plain for exponents -7 < e < 21, else `d.ddde+N`. */
function spellDecimal(neg: boolean, s: string, e10: number): string {
  const sign = neg ? '-' : '';
  if (e10 >= 21 || e10 <= -7) return `${sign}${s.length > 1 ? `${s[0]}.${s.slice(1)}` : s}e${e10 >= 0 ? '+' : '-'}${Math.abs(e10)}`;
  if (e10 < 0) return `${sign}0.${'0'.repeat(-e10 - 1)}${s}`;
  if (s.length <= e10 + 1) return `${sign}${s}${'0'.repeat(e10 + 1 - s.length)}`;
  return `${sign}${s.slice(0, e10 + 1)}.${s.slice(e10 + 1)}`;
}

/** The shortest decimal that reads back (rounded to nearest even into `f`) as `r`, which is a
 *  value of `f`: how a format wider than double is printed without losing it. */
export function shortestDecimal(r: Real, f: FloatFormat): string {
  if (r.k === 'nan') return 'nan';
  if (r.k === 'inf') return r.neg ? '-inf' : 'inf';
  if (r.num === 0n) return r.neg ? '-0' : '0';
  const max = Math.ceil(1 + f.precision * Math.log10(2)); // C's *_DECIMAL_DIG
  for (let d = 1; d <= max; d++) {
    const { s, e10 } = decimalDigits(r, d);
    const back = parseFloatDigits(`${s}e${e10 - (s.length - 1)}`);
    const x = back ? roundTo(back, f) : null;
    if (d === max || (x && x.k === 'finite' && x.num === r.num && x.den === r.den)) return spellDecimal(r.neg, s, e10);
  }
  return 'nan'; // unreachable
}
