// The compiler is the oracle for constant expressions: for every target, each expression is
// compiled into `const unsigned long long v[] = { (unsigned long long)(E), TYPE_CODE(E), ... }`
// where TYPE_CODE is a _Generic selection over the integer types. The object file then holds
// both the value (modulo 2^64) and the C type the compiler gave the expression; portabi must
// agree on both. arm-none-eabi-gcc is a second oracle for targets whose ABI is gcc's.
import { describe, expect, it } from 'vitest';
import { evaluateExpr } from '../../src/abi/constexpr.js';
import { listTargets } from '../../src/abi/target.js';
import type { IntKind } from '../../src/parse/ir.js';
import { compileWithClang, compileWithGcc, hasCommand, readSymbolBytes } from './elf-object.js';
import { context, expr, target } from './helpers.js';

const DECLS = `
struct in { int a; short arr[4]; };
struct S { char c; long long ll; struct in in; int bits : 3; unsigned char tail[3]; };
enum E { A, B = 5, C, D = A + 10 };
enum M { MA = 0x80000000 };
enum Big { BA = 0x100000000 };
enum Two { TA = 200, TB = -1 };
enum Short { SA = 200 };
enum Chain { CH1 = sizeof(struct S), CH2 = CH1 * 2, CH3 };
enum Neg { NA = -5, NB, NC = NB * 3 };
typedef unsigned long my_size;
typedef double D2[2];
typedef double Dal __attribute__((aligned(2)));
`;

const KINDS: IntKind[] = [
  '_Bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int',
  'long', 'unsigned long', 'long long', 'unsigned long long',
];
const TYPE_CODE = `#define TYPE_CODE(x) _Generic((x), ${KINDS.map((k, i) => `${k}: ${i + 1}`).join(', ')}, default: 0)`;

/** Well-defined on every target (no overflow or oversize shift even with a 16-bit int). */
const EVERYWHERE = [
  '2147483647', '2147483648', '4294967296', '0xFFFFFFFF', '0x8000', '32767', '32768', '0x7fffffffffffffffL',
  '0xFFFFFFFFFFFFFFFF', '1u', '1l', '1UL', '1lu', '1LL', '1ull', '4294967296u', '017', '0b101', '0x100000000',
  "'\\xff'", "'ab'", "L'\\xff'", "u'x'", "U'x'", "'\\377'", "'a'", "'\\n'",
  '-1 < 0u', '-1L < 1U', '-1L + 0U', '0u - 1', '~0u', '0xFFFFFFFF + 1', '(unsigned char)255 + 1', '-32767 - 1',
  '-2147483647L - 1', '1u << 15', '(char)1 << 7', '-1 >> 1', '1LL << 40', '7 / -2', '-7 % 3', '-7 / 2u',
  '1 || 1 / 0', '0 && 1 / 0', '1 ? 2 : 1 / 0', '1 ? -1 : 0u', '0 ? 1 : 2LL', '!5', '~5', '-(unsigned char)1',
  '(unsigned char)300', '(signed char)200', '(char)200', '(short)65537', '(_Bool)256', '(my_size)-1',
  '(int)3.9', '(int)-3.9', '(long)(0.5 + 0.25 * 2)', '(unsigned short)-1', '5 & -2', '5 | 0x80000000', '5 ^ 3u',
  'sizeof(long)', 'sizeof(int)', 'sizeof(long double)', "sizeof 'a'", 'sizeof "abc"', 'sizeof L"ab"',
  'sizeof(((struct in *)0)->arr)', 'sizeof(1 ? 1 : 1LL)', 'sizeof(int) - 5 < 0',
  '__builtin_offsetof(struct S, ll)', '__builtin_offsetof(struct S, in.arr[2])', '__builtin_offsetof(struct S, tail[1])',
  '_Alignof(long long)', '_Alignof(double)', '_Alignof(struct S)', 'sizeof(struct S)', 'sizeof(enum Two)', 'sizeof(enum Big)',
  'sizeof(enum Short)', 'sizeof(enum M)',
  // GNU __alignof__ is the preferred alignment (i386: 8 for double and long long, 4 as members).
  '__alignof__(double)', '__alignof__(long long)', '__alignof__(unsigned long long)', '__alignof__(long double)',
  '__alignof__(struct S)', '__alignof__(D2)', '_Alignof(D2)', '__alignof__(Dal)', '__alignof__(_Complex double)',
  '__alignof(double)', '__alignof__(my_size)', '__alignof__(float)',
  'C', 'D', 'CH2', 'CH3', 'MA', 'BA', 'TB', 'SA', 'NB', 'NC', 'sizeof(BA)', '(enum E)3', 'MA + 0', '-MA', 'TB < 0',
  // Floating arithmetic in each type's own format (long double: x87 extended, binary128, or
  // double / float), literals rounded once from their exact decimal value.
  '1e-4000L != 0', '1e4000L > 1e3999L', '0.1L + 0.2L == 0.3L', '0.1 + 0.2 == 0.3', '1.0f / 3 == 1.0 / 3',
  '(long long)(0.1L * 3 * 1e18L)', '(unsigned long long)(1.0L / 3 * 0x1p64L)', '(long long)123456789012345678.0L',
  '0x1.0000000000000001p0L > 1', '(long long)(-2.5L * 4e17L)', '(int)(16777217.0f - 16777216.0f)',
];
/** Need a 32-bit int. */
const INT32 = [
  '1 << 31', '2147483647 - 1 + 1', '(unsigned short)65535 * 2', '1 << 30 << 1', '0x7fffffff + 0u + 1',
  // Signed overflow is undefined, but both compilers fold it wrapping and accept it.
  '2147483647 + 1', '-(-2147483647 - 1)', '(unsigned short)65535 * (unsigned short)65535', '(-2147483647 - 1) / -1',
  '(-2147483647 - 1) % -1', '0x7fffffffffffffffLL * 2 + 1',
];

/** Expressions whose type clang and gcc name differently on gcc-ABI targets (char32_t). */
const TYPE_DIFFERS_ON_GCC_TARGETS = new Set(["U'x'"]);

function oracle(bytes: Uint8Array, little: boolean, n: number): bigint[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) out.push(dv.getBigUint64(i * 8, little));
  return out;
}

function source(exprs: string[]): string {
  const items = exprs.map((e) => `(unsigned long long)(${e}), TYPE_CODE(${e})`).join(',\n  ');
  return `${DECLS}\n${TYPE_CODE}\nconst unsigned long long v[] = {\n  ${items}\n};\n`;
}

for (const name of listTargets()) {
  describe(`constant expressions on ${name} equal the compiler's value and type`, () => {
    const t = target(name);
    const exprs = [...EVERYWHERE, ...(t.scalars.int.size >= 4 ? INT32 : [])];
    const oracles: { who: string; compile: () => Uint8Array }[] = [
      { who: 'clang-19', compile: () => compileWithClang(source(exprs), t.clangTriple, t.clangFlags) },
    ];
    if (t.gcc && hasCommand(t.gcc.command)) {
      const gcc = t.gcc;
      oracles.push({ who: gcc.command, compile: () => compileWithGcc(source(exprs), gcc.command, gcc.flags) });
    }
    for (const o of oracles) {
      it(`${exprs.length} expressions (${o.who})`, () => {
        const words = oracle(readSymbolBytes(o.compile(), 'v').bytes, t.endian === 'little', exprs.length * 2);
        const ctx = context(DECLS, name);
        const mismatches: string[] = [];
        exprs.forEach((text, i) => {
          const want = { value: words[2 * i]!, type: KINDS[Number(words[2 * i + 1]!) - 1] ?? 'unknown' };
          const r = evaluateExpr(expr(text, ctx), ctx);
          const got = r.ok && r.value.type.kind === 'int'
            ? { value: BigInt.asUintN(64, r.value.value), type: r.value.type.name }
            : { value: -1n, type: r.ok ? 'non-int' : `not constant: ${r.reason}` };
          // On gcc-ABI targets clang (the second oracle there) spells char32_t differently:
          // unsigned int vs arm-none-eabi-gcc's long unsigned int. The value must still agree.
          const typeMatters = !(o.who === 'clang-19' && t.compiler === 'gcc' && TYPE_DIFFERS_ON_GCC_TARGETS.has(text));
          if (got.value !== want.value || (typeMatters && got.type !== want.type)) {
            mismatches.push(`${text}: compiler ${want.value} (${want.type}), portabi ${got.value} (${got.type})`);
          }
        });
        expect(mismatches.join("\n")).toBe("");
      });
    }
  });
}
