// Literal spellings to values for a target: integer constants (C17 6.4.4.1, with the GNU 0b
// prefix), floating constants (6.4.4.2), character constants (6.4.4.4) and string literals
// (6.4.5). The type of a literal depends on the target's widths and char signedness.
import type { FloatKind, IntKind } from '../parse/ir.js';
import { convertInt, fitsIn } from './int-types.js';
import { predefinedSource } from './target.js';
import type { Target } from './target-types.js';
import { BINARY32, parseFloatDigits, roundTo, toDouble, type Real } from './float-format.js';

export type LiteralResult<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface IntLiteral {
  value: bigint;
  type: IntKind;
}

/**
 * 6.4.4.1p5: "The type of an integer constant is the first of the corresponding list in
 * which its value can be represented."
 */
export function parseIntLiteral(text: string, target: Target): LiteralResult<IntLiteral> {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)([uUlL]*)$/.exec(text);
  if (!m) return { ok: false, reason: `invalid integer constant '${text}'` };
  const digits = m[1]!;
  const suffix = m[2]!;
  let value: bigint;
  let decimal = false;
  if (/^0[xX]/.test(digits)) value = BigInt('0x' + digits.slice(2));
  else if (/^0[bB]/.test(digits)) value = BigInt('0b' + digits.slice(2));
  else if (digits.length > 1 && digits.startsWith('0')) value = BigInt('0o' + digits.slice(1));
  else {
    value = BigInt(digits);
    decimal = true;
  }
  const lower = suffix.toLowerCase();
  // Accepted suffixes: u, l, ll (same case for both l's), and their u-combinations.
  if (!/^(|u|l|ll|ul|lu|ull|llu)$/.test(lower) || /lL|Ll/.test(suffix)) {
    return { ok: false, reason: `invalid suffix '${suffix}' on integer constant '${text}'` };
  }
  const u = lower.includes('u');
  const ll = lower.includes('ll');
  const l = !ll && lower.includes('l');
  let list: IntKind[];
  if (u) {
    list = ll ? ['unsigned long long'] : l ? ['unsigned long', 'unsigned long long'] : ['unsigned int', 'unsigned long', 'unsigned long long'];
  } else if (decimal) {
    list = ll ? ['long long'] : l ? ['long', 'long long'] : ['int', 'long', 'long long'];
  } else {
    list = ll
      ? ['long long', 'unsigned long long']
      : l
        ? ['long', 'unsigned long', 'long long', 'unsigned long long']
        : ['int', 'unsigned int', 'long', 'unsigned long', 'long long', 'unsigned long long'];
  }
  for (const t of list) if (fitsIn(value, t, target)) return { ok: true, value: { value, type: t } };
  // GCC and clang: a decimal constant too large for long long "is so large that it is
  // unsigned" and gets unsigned long long (with a warning).
  if (fitsIn(value, 'unsigned long long', target)) return { ok: true, value: { value, type: 'unsigned long long' } };
  return { ok: false, reason: `integer constant '${text}' is too large for any integer type` };
}

export interface FloatLiteral {
  /** The nearest double (for types wider than double, only an approximation: see `exact`). */
  value: number;
  type: FloatKind;
  /** The exact value of the digits, before rounding to the type (which depends on the target). */
  exact: Real;
}

/** 6.4.4.2: decimal and hexadecimal floating constants; suffix f/F float, l/L long double,
 *  GNU q/Q __float128, f16/F16 _Float16. */
export function parseFloatLiteral(text: string): LiteralResult<FloatLiteral> {
  let body = text;
  let type: FloatKind = 'double';
  const sm = /([fFlL]|f16|F16|bf16|BF16|f32|F32|f64|F64|f128|F128|q|Q)$/.exec(body);
  if (sm && !/^0[xX][0-9a-fA-F.]*$/.test(body)) {
    const s = sm[1]!.toLowerCase();
    if (s === 'f') type = 'float';
    else if (s === 'l') type = 'long double';
    else if (s === 'q') type = '__float128';
    else if (s === 'f16') type = '_Float16';
    else return { ok: false, reason: `unsupported floating suffix '${sm[1]}' in '${text}'` };
    body = body.slice(0, -sm[1]!.length);
  }
  const exact = parseFloatDigits(body);
  if (!exact) return { ok: false, reason: `invalid floating constant '${text}'` };
  const value = type === 'float' ? toDouble(roundTo(exact, BINARY32)) : toDouble(exact);
  return { ok: true, value: { value, type, exact } };
}

export type CharPrefix = '' | 'L' | 'u' | 'U' | 'u8';

/** An integer type spelled with specifiers in any order ("long unsigned int"), or null. */
export function intKindFromSpelling(spelling: string): IntKind | null {
  const words = spelling.trim().split(/\s+/);
  const longs = words.filter((w) => w === 'long').length;
  const unsigned = words.includes('unsigned');
  const signed = words.includes('signed');
  if (words.some((w) => !['long', 'unsigned', 'signed', 'int', 'short', 'char', '_Bool'].includes(w))) return null;
  if (words.includes('_Bool')) return '_Bool';
  if (words.includes('char')) return unsigned ? 'unsigned char' : signed ? 'signed char' : 'char';
  if (words.includes('short')) return unsigned ? 'unsigned short' : 'short';
  if (longs === 1) return unsigned ? 'unsigned long' : 'long';
  if (longs === 2) return unsigned ? 'unsigned long long' : 'long long';
  return unsigned ? 'unsigned int' : 'int';
}

const charTypeMemo = new WeakMap<Target, { char16: IntKind; char32: IntKind }>();

/**
 * char16_t / char32_t (uint_least16_t / uint_least32_t) differ by target: `unsigned int` and
 * `unsigned long` on AVR, `unsigned long` for char32_t with arm-none-eabi-gcc. The target's
 * predefined macros (__CHAR16_TYPE__, __CHAR32_TYPE__) say which.
 */
function charTypes(target: Target): { char16: IntKind; char32: IntKind } {
  let m = charTypeMemo.get(target);
  if (!m) {
    const src = predefinedSource(target);
    const get = (name: string, fallback: IntKind): IntKind => {
      const d = new RegExp(`^#define ${name} (.+)$`, 'm').exec(src);
      return (d && intKindFromSpelling(d[1]!)) || fallback;
    };
    m = { char16: get('__CHAR16_TYPE__', 'unsigned short'), char32: get('__CHAR32_TYPE__', 'unsigned int') };
    charTypeMemo.set(target, m);
  }
  return m;
}

/** The element type of a character constant / string literal with this prefix. */
export function elementKind(prefix: CharPrefix, target: Target): IntKind {
  switch (prefix) {
    case 'L':
      return target.wcharType;
    case 'u':
      return charTypes(target).char16; // char16_t = uint_least16_t
    case 'U':
      return charTypes(target).char32; // char32_t = uint_least32_t
    case 'u8':
      return 'unsigned char'; // C23 char8_t
    default:
      return 'char';
  }
}

function utf8(cp: number): number[] {
  return [...Buffer.from(String.fromCodePoint(cp), 'utf8')];
}

/**
 * Decode the characters between the quotes into code units of the element type: bytes for
 * '' / u8 (UTF-8 for non-ASCII and \u escapes), UTF-16 units for u, code points for U / L.
 */
function decodeBody(body: string, prefix: CharPrefix, target: Target): LiteralResult<bigint[]> {
  const units: bigint[] = [];
  const narrow = prefix === '' || prefix === 'u8';
  const elemBits = target.scalars[elementKind(prefix, target)].size * 8;
  const pushCodePoint = (cp: number): string | null => {
    if (narrow) for (const b of utf8(cp)) units.push(BigInt(b));
    else if (prefix === 'u' && cp > 0xffff) {
      const v = cp - 0x10000;
      units.push(BigInt(0xd800 + (v >> 10)), BigInt(0xdc00 + (v & 0x3ff)));
    } else if (elemBits < 32 && cp >= 2 ** elemBits) return `character U+${cp.toString(16)} does not fit the literal's type`;
    else units.push(BigInt(cp));
    return null;
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i]!;
    if (c !== '\\') {
      const cp = body.codePointAt(i)!;
      i += cp > 0xffff ? 2 : 1;
      const e = pushCodePoint(cp);
      if (e) return { ok: false, reason: e };
      continue;
    }
    const n = body[i + 1];
    if (n === undefined) return { ok: false, reason: 'backslash at end of literal' };
    const simple: Record<string, number> = {
      n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, E: 27,
      '\\': 92, "'": 39, '"': 34, '?': 63,
    };
    if (n in simple) {
      units.push(BigInt(simple[n]!));
      i += 2;
    } else if (/[0-7]/.test(n)) {
      let j = i + 1;
      let s = '';
      while (j < body.length && s.length < 3 && /[0-7]/.test(body[j]!)) s += body[j++];
      const v = BigInt('0o' + s);
      if (v >= 1n << BigInt(elemBits)) return { ok: false, reason: `octal escape \\${s} out of range` };
      units.push(v);
      i = j;
    } else if (n === 'x') {
      let j = i + 2;
      let s = '';
      while (j < body.length && /[0-9a-fA-F]/.test(body[j]!)) s += body[j++];
      if (s === '') return { ok: false, reason: '\\x used with no following hex digits' };
      const v = BigInt('0x' + s);
      if (v >= 1n << BigInt(elemBits)) return { ok: false, reason: `hex escape \\x${s} out of range` };
      units.push(v);
      i = j;
    } else if (n === 'u' || n === 'U') {
      const len = n === 'u' ? 4 : 8;
      const s = body.slice(i + 2, i + 2 + len);
      if (!new RegExp(`^[0-9a-fA-F]{${len}}$`).test(s)) return { ok: false, reason: `incomplete universal character name` };
      const e = pushCodePoint(parseInt(s, 16));
      if (e) return { ok: false, reason: e };
      i += 2 + len;
    } else {
      return { ok: false, reason: `unknown escape sequence '\\${n}'` };
    }
  }
  return { ok: true, value: units };
}

function splitPrefix(text: string, quote: string): { prefix: CharPrefix; body: string } | null {
  const m = new RegExp(`^(u8|u|U|L)?${quote}([\\s\\S]*)${quote}$`).exec(text);
  if (!m) return null;
  return { prefix: (m[1] ?? '') as CharPrefix, body: m[2]! };
}

/** 6.4.4.4: value and type of a character constant on the target. */
export function parseCharLiteral(text: string, target: Target): LiteralResult<IntLiteral> {
  const sp = splitPrefix(text, "'");
  if (!sp) return { ok: false, reason: `invalid character constant ${text}` };
  const d = decodeBody(sp.body, sp.prefix, target);
  if (!d.ok) return d;
  const units = d.value;
  if (units.length === 0) return { ok: false, reason: 'empty character constant' };
  if (sp.prefix === '') {
    // 6.4.4.4p10: type int. One char: the value of a char object holding it (so '\xff' is
    // -1 where plain char is signed). Several: implementation-defined; GCC and clang build
    // (c1 << 8 | c2 ...) as an int, keeping the low int-width bits.
    if (units.length === 1) return { ok: true, value: { value: convertInt(units[0]!, 'char', target), type: 'int' } };
    let acc = 0n;
    for (const u of units) acc = (acc << 8n) | u;
    return { ok: true, value: { value: convertInt(acc, 'int', target), type: 'int' } };
  }
  if (units.length !== 1) return { ok: false, reason: `multi-character ${sp.prefix}-prefixed character constant ${text}` };
  const kind = elementKind(sp.prefix, target);
  return { ok: true, value: { value: convertInt(units[0]!, kind, target), type: kind } };
}

export interface StringLiteralValue {
  prefix: CharPrefix;
  elem: IntKind;
  /** Code units including the terminating null. */
  units: bigint[];
}

/** 6.4.5: a (possibly concatenated) string literal spelling, quotes included. */
export function parseStringLiteral(text: string, target: Target): LiteralResult<StringLiteralValue> {
  const parts: { prefix: CharPrefix; body: string }[] = [];
  const re = /(u8|u|U|L)?"((?:[^"\\]|\\[\s\S])*)"/g;
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (text.slice(last, m.index).trim() !== '') return { ok: false, reason: `invalid string literal ${text}` };
    parts.push({ prefix: (m[1] ?? '') as CharPrefix, body: m[2]! });
    last = re.lastIndex;
  }
  if (parts.length === 0 || text.slice(last).trim() !== '') return { ok: false, reason: `invalid string literal ${text}` };
  // 6.4.5p5: concatenating a prefixed literal with unprefixed ones gives the prefixed kind.
  const prefixes = new Set(parts.map((p) => p.prefix).filter((p) => p !== ''));
  if (prefixes.size > 1) return { ok: false, reason: `concatenation of differently prefixed string literals` };
  const prefix: CharPrefix = prefixes.size ? [...prefixes][0]! : '';
  const units: bigint[] = [];
  for (const p of parts) {
    const d = decodeBody(p.body, prefix, target);
    if (!d.ok) return d;
    units.push(...d.value);
  }
  units.push(0n);
  return { ok: true, value: { prefix, elem: elementKind(prefix, target), units } };
}
