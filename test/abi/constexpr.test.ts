// C17 6.6 integer constant expressions, evaluated for a target. Every expected value and type
// below is derived by hand from the standard's rules and the target's widths:
//   armv7-unknown-linux-gnueabihf  ILP32, plain char unsigned, size_t unsigned int
//   x86_64-unknown-linux-gnu       LP64,  plain char signed,   size_t unsigned long, wchar_t int
//   avr                            int 16, long 32, long long 64, plain char signed
//   thumbv6m-none-eabi             ILP32, short enums (arm-none-eabi-gcc default)
import { describe, expect, it } from 'vitest';
import { evaluateExpr } from '../../src/abi/constexpr.js';
import { enumUnderlying, enumValues } from '../../src/abi/enum-values.js';
import { parseCharLiteral, parseIntLiteral } from '../../src/abi/literals.js';
import { context, expr, target } from './helpers.js';

const ARM = 'armv7-unknown-linux-gnueabihf';
const X64 = 'x86_64-unknown-linux-gnu';
const AVR = 'avr';
const M0 = 'thumbv6m-none-eabi';

const DECLS = `
struct in { int a; short arr[4]; };
struct S { char c; long long ll; struct in in; int bits : 3; unsigned char tail[3]; };
enum E { A, B = 5, C, D = A + 10 };
enum U { UA = 1 };
enum N { NA = -1 };
enum M { MA = 0x80000000 };
enum Big { BA = 0x100000000 };
enum Two { TA = 200, TB = -1 };
enum Short { SA = 200 };
enum Chain { CH1 = sizeof(struct S), CH2 = CH1 * 2, CH3 };
typedef unsigned long my_size;
`;

function value(text: string, targetName: string): { value: bigint; type: string } | string {
  const ctx = context(DECLS, targetName);
  const r = evaluateExpr(expr(text, ctx), ctx);
  if (!r.ok) return r.reason;
  if (r.value.type.kind !== 'int') throw new Error('not an int type');
  return { value: r.value.value, type: r.value.type.name };
}

function notConstant(text: string, targetName: string): string {
  const v = value(text, targetName);
  if (typeof v !== 'string') throw new Error(`${text} evaluated to ${v.value} (${v.type}), expected not-a-constant`);
  return v;
}

describe('6.4.4.1 integer constants: the first type of the list that holds the value', () => {
  const cases: [string, string, bigint, string][] = [
    // decimal, no suffix: int, long, long long
    ['2147483647', ARM, 2147483647n, 'int'],
    ['2147483648', ARM, 2147483648n, 'long long'], // long is 32 bits on ILP32
    ['2147483648', X64, 2147483648n, 'long'],
    ['4294967296', ARM, 4294967296n, 'long long'],
    ['4294967296', X64, 4294967296n, 'long'],
    ['32768', AVR, 32768n, 'long'], // int is 16 bits
    // octal/hex/binary, no suffix: int, unsigned int, long, unsigned long, ...
    ['0xFFFFFFFF', ARM, 4294967295n, 'unsigned int'],
    ['0xFFFFFFFF', X64, 4294967295n, 'unsigned int'],
    ['0xFFFFFFFF', AVR, 4294967295n, 'unsigned long'],
    ['0x8000', AVR, 32768n, 'unsigned int'],
    ['0x80000000', ARM, 2147483648n, 'unsigned int'],
    ['0x100000000', ARM, 4294967296n, 'long long'],
    ['0xFFFFFFFFFFFFFFFF', ARM, 18446744073709551615n, 'unsigned long long'],
    ['0xFFFFFFFFFFFFFFFF', X64, 18446744073709551615n, 'unsigned long'],
    ['017', X64, 15n, 'int'],
    ['0b101', X64, 5n, 'int'],
    // suffixes
    ['1u', ARM, 1n, 'unsigned int'],
    ['1l', ARM, 1n, 'long'],
    ['1UL', X64, 1n, 'unsigned long'],
    ['1lu', X64, 1n, 'unsigned long'],
    ['1LL', ARM, 1n, 'long long'],
    ['1ull', ARM, 1n, 'unsigned long long'],
    ['4294967296u', ARM, 4294967296n, 'unsigned long long'],
    ['4294967296u', X64, 4294967296n, 'unsigned long'],
    ['0x7fffffffffffffffL', X64, 9223372036854775807n, 'long'],
    ['0x7fffffffffffffffL', ARM, 9223372036854775807n, 'long long'],
    ['0xFFFFFFFFFFFFFFFFLL', ARM, 18446744073709551615n, 'unsigned long long'],
    // decimal too large for long long: GCC and clang make it unsigned long long
    ['18446744073709551615', X64, 18446744073709551615n, 'unsigned long long'],
  ];
  for (const [text, t, v, type] of cases) {
    it(`${text} on ${t} is ${v} of type ${type}`, () => {
      expect(parseIntLiteral(text, target(t))).toEqual({ ok: true, value: { value: v, type } });
    });
  }
  it('rejects invalid suffixes and values too large for any type', () => {
    expect(parseIntLiteral('1lL', target(X64)).ok).toBe(false);
    expect(parseIntLiteral('1uu', target(X64)).ok).toBe(false);
    expect(parseIntLiteral('18446744073709551616', target(X64)).ok).toBe(false);
    expect(parseIntLiteral('09', target(X64)).ok).toBe(false);
  });
});

describe('6.4.4.4 character constants', () => {
  const cases: [string, string, bigint, string][] = [
    ["'\\xff'", X64, -1n, 'int'], // plain char signed: the value of a char holding 0xff
    ["'\\xff'", ARM, 255n, 'int'], // plain char unsigned on Arm
    ["'\\377'", X64, -1n, 'int'],
    ["'a'", ARM, 97n, 'int'],
    ["'\\0'", ARM, 0n, 'int'],
    ["'\\n'", ARM, 10n, 'int'],
    ["'\\''", ARM, 39n, 'int'],
    ["'ab'", X64, 0x6162n, 'int'], // multi-character: 'a' << 8 | 'b'
    ["'\\xff\\xff\\xff\\xff'", ARM, -1n, 'int'], // four bytes fill an int
    ["L'\\xff'", X64, 255n, 'int'], // wchar_t is int on x86-64 Linux
    ["L'a'", ARM, 97n, 'unsigned int'], // wchar_t is unsigned int on Arm
    ["u'x'", X64, 120n, 'unsigned short'], // char16_t
    ["u'x'", AVR, 120n, 'unsigned int'], // char16_t is unsigned int (16 bits) on AVR
    ["U'\\U0001F600'", X64, 0x1f600n, 'unsigned int'], // char32_t
    ["U'x'", AVR, 120n, 'unsigned long'],
  ];
  for (const [text, t, v, type] of cases) {
    it(`${text} on ${t} is ${v} (${type})`, () => {
      expect(parseCharLiteral(text, target(t))).toEqual({ ok: true, value: { value: v, type } });
    });
  }
  it('rejects empty and out-of-range constants', () => {
    expect(parseCharLiteral("''", target(X64)).ok).toBe(false);
    expect(parseCharLiteral("'\\x100'", target(X64)).ok).toBe(false);
  });
});

describe('6.3.1 promotions and the usual arithmetic conversions, with target widths', () => {
  it('-1 < 0u is 0 everywhere: -1 converts to UINT_MAX', () => {
    for (const t of [ARM, X64, AVR]) expect(value('-1 < 0u', t)).toEqual({ value: 0n, type: 'int' });
  });
  it('-1L < 1U: long and unsigned int have equal width on ILP32 → unsigned long', () => {
    expect(value('-1L < 1U', ARM)).toEqual({ value: 0n, type: 'int' });
    expect(value('-1L < 1U', X64)).toEqual({ value: 1n, type: 'int' }); // long holds every unsigned int
    expect(value('-1L < 1U', AVR)).toEqual({ value: 1n, type: 'int' });
    expect(value('-1L + 0U', ARM)).toEqual({ value: 4294967295n, type: 'unsigned long' });
    expect(value('-1L + 0U', X64)).toEqual({ value: -1n, type: 'long' });
  });
  it('unsigned arithmetic wraps at the target width', () => {
    expect(value('0u - 1', ARM)).toEqual({ value: 4294967295n, type: 'unsigned int' });
    expect(value('0u - 1', AVR)).toEqual({ value: 65535n, type: 'unsigned int' });
    expect(value('~0u', AVR)).toEqual({ value: 65535n, type: 'unsigned int' });
    expect(value('0xFFFFFFFF + 1', ARM)).toEqual({ value: 0n, type: 'unsigned int' });
    expect(value('0ULL - 1', ARM)).toEqual({ value: 18446744073709551615n, type: 'unsigned long long' });
  });
  it('unsigned short promotes to int where int is wider, to unsigned int where it is not', () => {
    // 65535 * 65535 overflows a 32-bit int: undefined; clang and gcc fold it wrapping
    expect(value('(unsigned short)65535 * (unsigned short)65535', ARM)).toEqual({ value: -131071n, type: 'int' });
    // on AVR unsigned short → unsigned int (16 bits): 65535² mod 65536 = 1
    expect(value('(unsigned short)65535 * (unsigned short)65535', AVR)).toEqual({ value: 1n, type: 'unsigned int' });
    expect(value('(unsigned char)255 + 1', ARM)).toEqual({ value: 256n, type: 'int' });
  });
  it('signed overflow wraps, as clang and gcc fold it (an integer constant, with a warning)', () => {
    expect(value('2147483647 + 1', ARM)).toEqual({ value: -2147483648n, type: 'int' });
    expect(value('-2147483647 - 1', ARM)).toEqual({ value: -2147483648n, type: 'int' });
    expect(value('-(-2147483647 - 1)', ARM)).toEqual({ value: -2147483648n, type: 'int' });
    expect(value('32767 + 1', AVR)).toEqual({ value: -32768n, type: 'int' });
  });
});

describe('6.5.7 shifts', () => {
  it('the result has the promoted left operand type', () => {
    expect(value('1u << 31', ARM)).toEqual({ value: 2147483648n, type: 'unsigned int' });
    expect(value('(char)1 << 8', ARM)).toEqual({ value: 256n, type: 'int' });
    expect(value('1 << 31L', ARM)).toEqual({ value: -2147483648n, type: 'int' }); // GCC/clang: into the sign bit wraps
    expect(value('-1 >> 1', ARM)).toEqual({ value: -1n, type: 'int' }); // arithmetic shift (GCC)
    expect(value('1LL << 40', ARM)).toEqual({ value: 1n << 40n, type: 'long long' });
  });
  it('a count that is negative or not less than the width is undefined: not a constant', () => {
    expect(notConstant('1 << 32', ARM)).toMatch(/not less than the width/);
    expect(notConstant('1 << 16', AVR)).toMatch(/not less than the width/);
    expect(notConstant('1 >> -1', ARM)).toMatch(/negative/);
    expect(value('1L << 32', X64)).toEqual({ value: 4294967296n, type: 'long' });
    expect(notConstant('1L << 32', ARM)).toMatch(/width/);
  });
});

describe('6.5.5 division, 6.5.13-15 logical and conditional operators, comma', () => {
  it('truncates toward zero', () => {
    expect(value('7 / -2', ARM)).toEqual({ value: -3n, type: 'int' });
    expect(value('-7 % 3', ARM)).toEqual({ value: -1n, type: 'int' });
    expect(value('-7 / 2u', ARM)).toEqual({ value: 2147483644n, type: 'unsigned int' }); // (2^32-7)/2
  });
  it('division by zero is not a constant; INT_MIN / -1 wraps as the compilers fold it', () => {
    expect(notConstant('1 / 0', ARM)).toMatch(/division by zero/);
    expect(notConstant('1 % 0', ARM)).toMatch(/division by zero/);
    expect(value('(-2147483647 - 1) / -1', ARM)).toEqual({ value: -2147483648n, type: 'int' });
    expect(value('(-2147483647 - 1) % -1', ARM)).toEqual({ value: 0n, type: 'int' });
  });
  it('short-circuit: the unevaluated operand may contain 1/0', () => {
    expect(value('1 || 1 / 0', ARM)).toEqual({ value: 1n, type: 'int' });
    expect(value('0 && 1 / 0', ARM)).toEqual({ value: 0n, type: 'int' });
    expect(value('1 ? 2 : 1 / 0', ARM)).toEqual({ value: 2n, type: 'int' });
    expect(notConstant('0 || 1 / 0', ARM)).toMatch(/division by zero/);
  });
  it('?: converts the chosen operand to the common type of both', () => {
    expect(value('1 ? -1 : 0u', ARM)).toEqual({ value: 4294967295n, type: 'unsigned int' });
    expect(value('0 ? 1 : 2LL', ARM)).toEqual({ value: 2n, type: 'long long' });
  });
  it('comma yields its right operand', () => {
    expect(value('(1, 2)', ARM)).toEqual({ value: 2n, type: 'int' });
  });
});

describe('6.5.4 casts', () => {
  it('to narrower integer types: modulo 2^N (GCC/clang for signed targets)', () => {
    expect(value('(unsigned char)300', ARM)).toEqual({ value: 44n, type: 'unsigned char' });
    expect(value('(signed char)200', ARM)).toEqual({ value: -56n, type: 'signed char' });
    expect(value('(char)200', ARM)).toEqual({ value: 200n, type: 'char' }); // unsigned plain char
    expect(value('(char)200', X64)).toEqual({ value: -56n, type: 'char' });
    expect(value('(short)65537', ARM)).toEqual({ value: 1n, type: 'short' });
    expect(value('(_Bool)256', ARM)).toEqual({ value: 1n, type: '_Bool' });
    expect(value('(my_size)-1', ARM)).toEqual({ value: 4294967295n, type: 'unsigned long' });
    expect(value('(my_size)-1', X64)).toEqual({ value: 18446744073709551615n, type: 'unsigned long' });
  });
  it('floating to integer truncates toward zero', () => {
    expect(value('(int)3.9', ARM)).toEqual({ value: 3n, type: 'int' });
    expect(value('(int)-3.9', ARM)).toEqual({ value: -3n, type: 'int' });
    expect(value('(int)(0.5 + 0.25 * 2)', ARM)).toEqual({ value: 1n, type: 'int' });
    expect(notConstant('(int)1e10', ARM)).toMatch(/out of range/);
  });
  it('pointer round trips: (int)(unsigned long)(void*)8, null comparisons', () => {
    expect(value('(int)(unsigned long)(void*)8', ARM)).toEqual({ value: 8n, type: 'int' });
    expect(value('(unsigned long)(void*)-1', X64)).toEqual({ value: 18446744073709551615n, type: 'unsigned long' });
    expect(value('((void*)0) == 0', ARM)).toEqual({ value: 1n, type: 'int' });
    expect(value('(enum E)3', ARM)).toEqual({ value: 3n, type: 'unsigned int' });
  });
});

describe('6.5.3.4 sizeof and _Alignof, offsetof', () => {
  it('sizeof(long) and size_t differ per target', () => {
    expect(value('sizeof(long)', ARM)).toEqual({ value: 4n, type: 'unsigned int' });
    expect(value('sizeof(long)', X64)).toEqual({ value: 8n, type: 'unsigned long' });
    expect(value('sizeof(int)', AVR)).toEqual({ value: 2n, type: 'unsigned int' });
    expect(value('sizeof(int) - 5 < 0', ARM)).toEqual({ value: 0n, type: 'int' }); // size_t is unsigned
  });
  it('sizeof of expressions: literals, strings, members through a null pointer', () => {
    expect(value("sizeof 'a'", ARM)).toEqual({ value: 4n, type: 'unsigned int' }); // int in C
    expect(value('sizeof "abc"', ARM)).toEqual({ value: 4n, type: 'unsigned int' });
    expect(value('sizeof L"ab"', X64)).toEqual({ value: 12n, type: 'unsigned long' });
    expect(value('sizeof(((struct in *)0)->arr)', ARM)).toEqual({ value: 8n, type: 'unsigned int' });
    expect(value('sizeof(((struct S *)0)->in.arr[1])', ARM)).toEqual({ value: 2n, type: 'unsigned int' });
    expect(value('sizeof(1 ? 1 : 1LL)', ARM)).toEqual({ value: 8n, type: 'unsigned int' });
    expect(value('sizeof(void)', ARM)).toEqual({ value: 1n, type: 'unsigned int' }); // GNU
  });
  it('struct S: char at 0, long long at 8 (align 8 on both), struct in at 16', () => {
    expect(value('__builtin_offsetof(struct S, ll)', ARM)).toEqual({ value: 8n, type: 'unsigned int' });
    expect(value('__builtin_offsetof(struct S, in.arr[2])', ARM)).toEqual({ value: 16n + 4n + 4n, type: 'unsigned int' });
    expect(value('(unsigned long)&((struct S *)0)->in', X64)).toEqual({ value: 16n, type: 'unsigned long' });
    expect(value('(unsigned long)&((struct S *)0)->in.arr[3]', X64)).toEqual({ value: 16n + 4n + 6n, type: 'unsigned long' });
    expect(value('_Alignof(long long)', ARM)).toEqual({ value: 8n, type: 'unsigned int' });
    expect(value('_Alignof(long long)', 'i686-unknown-linux-gnu')).toEqual({ value: 4n, type: 'unsigned int' });
    expect(notConstant('__builtin_offsetof(struct S, bits)', ARM)).toMatch(/bit-field/);
    expect(notConstant('__builtin_offsetof(struct S, nope)', ARM)).toMatch(/no member/);
  });
});

describe('6.7.2.2 enumerations', () => {
  it('implicit values are previous + 1; initializers may use earlier enumerators', () => {
    expect(value('C', ARM)).toEqual({ value: 6n, type: 'int' });
    expect(value('D', ARM)).toEqual({ value: 10n, type: 'int' });
    // struct S on Arm: c@0, ll@8, in@16 (size 12), bits@28, tail@29..31 → size 32
    expect(value('CH2', ARM)).toEqual({ value: 64n, type: 'int' });
    expect(value('CH3', ARM)).toEqual({ value: 65n, type: 'int' });
  });
  it('an enumerator that does not fit int has the enum type', () => {
    expect(value('MA', ARM)).toEqual({ value: 2147483648n, type: 'unsigned int' });
    expect(value('BA', X64)).toEqual({ value: 4294967296n, type: 'unsigned long' });
    expect(value('BA', ARM)).toEqual({ value: 4294967296n, type: 'unsigned long long' });
    expect(value('sizeof(BA)', ARM)).toEqual({ value: 8n, type: 'unsigned int' });
  });
  it('underlying types: GCC/clang default and short enums', () => {
    const under = (tag: string, t: string) => {
      const ctx = context(DECLS, t);
      const r = enumUnderlying(ctx.ir.enums[ctx.ir.tags.enum[tag]!]!, ctx);
      return r.ok ? r.type : r.reason;
    };
    expect(under('U', ARM)).toBe('unsigned int');
    expect(under('N', ARM)).toBe('int');
    expect(under('Big', ARM)).toBe('unsigned long long');
    expect(under('Big', X64)).toBe('unsigned long');
    expect(under('U', M0)).toBe('unsigned char');
    expect(under('N', M0)).toBe('signed char');
    expect(under('Short', M0)).toBe('unsigned char');
    expect(under('Two', M0)).toBe('short'); // 200 and -1 need a signed 16-bit type
    expect(under('M', M0)).toBe('unsigned int');
    expect(value('sizeof(enum Two)', M0)).toEqual({ value: 2n, type: 'unsigned int' });
    expect(value('sizeof(enum Two)', ARM)).toEqual({ value: 4n, type: 'unsigned int' });
  });
  it('enumValues lists every enumerator', () => {
    const ctx = context(DECLS, ARM);
    const r = enumValues(ctx.ir.enums[ctx.ir.tags.enum['E']!]!, ctx);
    expect(r).toEqual({
      ok: true,
      underlying: 'unsigned int',
      enumerators: [
        { name: 'A', value: 0n, type: 'int' },
        { name: 'B', value: 5n, type: 'int' },
        { name: 'C', value: 6n, type: 'int' },
        { name: 'D', value: 10n, type: 'int' },
      ],
    });
  });
});

describe('not constants', () => {
  it('unknown identifiers', () => {
    expect(notConstant('foo + 1', ARM)).toBe('identifier foo is not a constant');
  });
  it('floating and pointer results are not integer constants', () => {
    expect(notConstant('1.5', ARM)).toMatch(/floating/);
    expect(notConstant('(void*)0', ARM)).toMatch(/pointer/);
  });
});
