// The compiler is the oracle: each initializer is compiled as `const T v = INIT;` with clang-19
// for the target, and the bytes of `v` are read back from the object file's symbol table and
// section data. portabi must produce exactly those bytes from the headers' IR alone.
import { describe, expect, it } from 'vitest';
import { createAbiContext } from '../../src/abi/context-impl.js';
import { evaluateInitializer } from '../../src/abi/initializer.js';
import { loadTarget, predefinedSource } from '../../src/abi/target.js';
import { emptyInput, preprocessOptionsFor } from '../../src/pipeline.js';
import type { Target } from '../../src/abi/target-types.js';
import { parseDeclarationTokens } from '../../src/parse/declarations.js';
import type { TranslationUnitIR } from '../../src/parse/ir.js';
import type { PreprocessResult } from '../../src/parse/pp-types.js';
import { expandMacroTokens, preprocessSource } from '../../src/parse/preprocess.js';
import type { CType, InitList } from '../../src/parse/ir.js';
import { classifyMacro } from '../../src/parse/macro-forms.js';
import { compileWithClang, hex, readSymbolBytes } from './elf-object.js';

function target(name: string): Target {
  const t = loadTarget(name);
  if (!t.ok) throw new Error(`target ${name}: ${JSON.stringify(t.error)}`);
  return t.value;
}

const CLANG_INC = '/usr/lib/llvm-19/lib/clang/19/include';

interface Fixture {
  name: string;
  decls: string;
  /** Declaration of the object with the name `v`, without `const`: `struct S v`, `int v[]`. */
  object: string;
  init: string;
  targets: string[];
}

const LE32 = ['armv7-unknown-linux-gnueabihf', 'i686-unknown-linux-gnu', 'thumbv6m-none-eabi', 'riscv32imac-unknown-none-elf'];
const LE64 = ['x86_64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'riscv64gc-unknown-linux-gnu'];
const BE = ['armebv7r-none-eabi'];
const SMALL = ['avr', 'msp430'];
const ALL = [...LE32, ...LE64, ...BE, ...SMALL];

const fixtures: Fixture[] = [
  {
    name: 'bit-fields, nested array of structs, designated union member, positional continuation',
    decls: `struct in { int x:3; unsigned y:5; };
            struct S { char c; struct in i[2]; union { short s; int w; } u; long long ll; };`,
    object: 'struct S v',
    init: '{ 1, { {1, 2}, [1].y = 3 }, .u.w = -2, 5 }',
    targets: ALL,
  },
  {
    name: 'brace elision through a 2-D array and an array of structs',
    decls: `struct P { int a[2][3]; struct { char c; short s; } q[2]; int tail; };`,
    object: 'struct P v',
    init: "{ 1, 2, 3, 4, 5, 6, 'x', 7, 'y' }",
    targets: ALL,
  },
  {
    name: 'designators into nested arrays, then positional continuation that leaves the sub-object',
    decls: `struct P { int a[2][3]; struct { char c; short s; } q[2]; int tail; };`,
    object: 'struct P v',
    init: '{ .q[1].c = 9, 10, .a[1] = { 1 }, 2, 3, .a[0][2] = 4 }',
    targets: ['x86_64-unknown-linux-gnu', 'armebv7r-none-eabi', 'avr'],
  },
  {
    name: 'later designators override earlier initializers; a braced list replaces the whole member',
    decls: `struct In { int x, y, z; }; struct O { struct In a; struct In b; };`,
    object: 'struct O v',
    init: '{ .a.y = 5, .a.z = 6, .b = { 1, 2, 3 }, .b.y = 7, .a = { .x = 8 } }',
    targets: ['x86_64-unknown-linux-gnu', 'armebv7r-none-eabi'],
  },
  {
    name: 'union: first member by position (brace elision into its struct)',
    decls: `union U { struct { unsigned char b[3]; } x; int i; double d; };`,
    object: 'union U v',
    init: '{ 1, 2 }',
    targets: ALL,
  },
  {
    name: 'union: designated member, negative value',
    decls: `union U { struct { unsigned char b[3]; } x; int i; double d; };`,
    object: 'union U v',
    init: '{ .i = -2 }',
    targets: ALL,
  },
  {
    name: 'union: a later designator switches the member',
    decls: `union U { struct { unsigned char b[3]; } x; int i; double d; };`,
    object: 'union U v',
    init: '{ .i = 0x11223344, .x.b[1] = 7 }',
    targets: ['x86_64-unknown-linux-gnu', 'armebv7r-none-eabi'],
  },
  {
    name: 'union: double member',
    decls: `union U { struct { unsigned char b[3]; } x; int i; double d; };`,
    object: 'union U v',
    init: '{ .d = -0.1 }',
    targets: ['x86_64-unknown-linux-gnu', 'armebv7r-none-eabi', 'i686-unknown-linux-gnu'],
  },
  {
    name: 'anonymous struct and union members, positional',
    decls: `struct A { int a; struct { int b, c; }; union { int d; float f; }; int e; };`,
    object: 'struct A v',
    init: '{ 1, 2, 3, 4, 5 }',
    targets: ['x86_64-unknown-linux-gnu', 'armebv7r-none-eabi'],
  },
  {
    name: 'anonymous members by designator, continuation inside and after them',
    decls: `struct A { int a; struct { int b, c; }; union { int d; float f; }; int e; };`,
    object: 'struct A v',
    init: '{ .c = 7, 8, .f = 1.5f, 9 }',
    targets: ['x86_64-unknown-linux-gnu', 'armebv7r-none-eabi'],
  },
  {
    name: 'char arrays from strings (with and without room for the null), wide strings',
    decls: `struct T { char s[8]; char t[3]; __WCHAR_TYPE__ w[4]; __CHAR16_TYPE__ u[3]; char z[2][3]; __CHAR32_TYPE__ U[2]; };`,
    object: 'struct T v',
    init: '{ "hi", "abc", L"xy", u"\\u00e9", { "ab", { "c" } }, U"\\U0001F600" }',
    targets: ['x86_64-unknown-linux-gnu', 'armebv7r-none-eabi', 'armv7-unknown-linux-gnueabihf', 'avr'],
  },
  {
    name: 'negative values, truncation, _Bool and bit-field wrap',
    decls: `struct N { signed char a; unsigned char b; short c; long long d; _Bool e; unsigned f:3; int g:4; char h; };`,
    object: 'struct N v',
    init: "{ -1, -1, -32768, -5, 7, 9, 12, '\\xff' }",
    targets: ALL,
  },
  {
    name: 'pointers: null, integer addresses, pointer-to-integer casts',
    decls: `typedef __INTPTR_TYPE__ iptr; struct Q { void *p; const char *q; int *r; unsigned long u; iptr i; };`,
    object: 'struct Q v',
    init: '{ (void*)0, 0, (int*)0x1000, (unsigned long)(void*)16, (iptr)(char*)-1 }',
    targets: ALL,
  },
  {
    name: 'enums (short enums on arm-none-eabi), negative enumerators',
    decls: `enum small { S1 = 1, S2 = 200 }; enum sn { N1 = -1, N2 }; struct EE { enum small a; enum small b; char c; enum sn d; };`,
    object: 'struct EE v',
    init: '{ S2, S1, 3, N1 }',
    targets: ['thumbv6m-none-eabi', 'thumbv7em-none-eabi', 'armv7-unknown-linux-gnueabihf', 'x86_64-unknown-linux-gnu', 'armebv7r-none-eabi'],
  },
  {
    name: 'float and double',
    decls: `struct F { float f; double d; float g[2]; };`,
    object: 'struct F v',
    init: '{ 1.5f, -0.1, { 1e10, 0x1.8p3 } }',
    targets: ['x86_64-unknown-linux-gnu', 'armebv7r-none-eabi', 'i686-unknown-linux-gnu', 'armv7-unknown-linux-gnueabihf'],
  },
  {
    name: 'sizeof, offsetof and _Alignof as values',
    decls: `struct S { char c; long long ll; double d; short s[3]; };`,
    object: 'unsigned long v[5]',
    init: '{ sizeof(struct S), __builtin_offsetof(struct S, ll), _Alignof(long long), __builtin_offsetof(struct S, s[2]), sizeof(long) }',
    targets: ALL,
  },
  {
    name: 'array of unknown size: designator then continuation',
    decls: ``,
    object: 'int v[]',
    init: '{ [3] = 1, 2, [1] = -1 }',
    targets: ['x86_64-unknown-linux-gnu', 'armebv7r-none-eabi', 'avr'],
  },
  {
    name: 'big bit-fields of mixed declared types',
    decls: `struct B { unsigned char a:3; unsigned short b:9; unsigned c:20; unsigned long long d:33; signed char e:2; };`,
    object: 'struct B v',
    init: '{ 5, 0x1ab, 0xabcde, 0x123456789, -1 }',
    targets: [...LE32, ...LE64, ...BE],
  },
  {
    name: 'big bit-fields of mixed declared types (16-bit int)',
    decls: `struct B { unsigned char a:3; unsigned b:9; unsigned long c:20; unsigned long long d:33; signed char e:2; int f:5; };`,
    object: 'struct B v',
    init: '{ 5, 0x1ab, 0xabcde, 0x123456789, -1, -3 }',
    targets: ALL,
  },
  {
    name: 'character constants: signedness, multi-character, wide, u',
    decls: ``,
    object: 'int v[4]',
    init: "{ '\\xff', 'ab', L'\\xff', u'x' }",
    targets: ['x86_64-unknown-linux-gnu', 'armv7-unknown-linux-gnueabihf', 'avr'],
  },
  {
    name: 'integer constant types and the usual arithmetic conversions',
    decls: ``,
    object: 'long long v[6]',
    init: '{ 4294967296, -1 < 0u, 0xFFFFFFFF + 1, -2147483648, -1L < 1U, (1 ? -1 : 0u) }',
    targets: ALL,
  },
  // Floating formats wider or narrower than double: x87 80-bit extended in 16 (x86-64) and 12
  // (i686) bytes, IEEE binary128 long double (AArch64, RISC-V), binary16, bfloat16, __float128.
  // Decimal literals round once, to nearest even, from their exact value into the format.
  {
    name: 'long double: decimal literals rounded exactly, beyond double range, subnormal, ties to even',
    decls: `struct LD { char c; long double a, b, c2, d, e, f, g; };`,
    object: 'struct LD v',
    init: '{ 1, 0.1L, -2.5, 1e4000L, 1e-4940L, 123456789012345678901234567890.0L, 0x1.0000000000000001p0L, 0x1.0000000000000003p0L }',
    targets: ['x86_64-unknown-linux-gnu', 'i686-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'riscv64gc-unknown-linux-gnu', 'riscv32imac-unknown-none-elf', 'armv7-unknown-linux-gnueabihf', 'armebv7r-none-eabi', 'msp430', 'avr'],
  },
  {
    name: 'long double: arithmetic and conversions in the wide format',
    decls: `struct LA { long double a, b, c, d, e; };`,
    object: 'struct LA v',
    init: '{ 1.0L / 3, 0.1L * 3, (long double)0xFFFFFFFFFFFFFFFFULL, -0.0L, 1e4000L > 1e3999L ? 2.0L : 3.0L }',
    targets: ['x86_64-unknown-linux-gnu', 'i686-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'riscv64gc-unknown-linux-gnu', 'armv7-unknown-linux-gnueabihf'],
  },
  {
    name: '_Float16 and __fp16: rounding, overflow to infinity, subnormals, negative zero',
    decls: `struct H { _Float16 a, b, c, d, e, f; __fp16 g, h, i; };`,
    object: 'struct H v',
    init: '{ 1.1, -0.0, 65504, 65520.0, 6e-8, 0.1f, 1.1, -1e-10, 3 }',
    targets: ['x86_64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'riscv64gc-unknown-linux-gnu', 'riscv32imac-unknown-none-elf', 'armv7-unknown-linux-gnueabihf', 'armebv7r-none-eabi'],
  },
  {
    name: '__fp16 on 16-bit and i686 targets',
    decls: `struct P { char c; __fp16 a, b; };`,
    object: 'struct P v',
    init: '{ 1, 2.0009765625, -65504 }',
    targets: ['i686-unknown-linux-gnu', 'avr', 'msp430', 'armebv7r-none-eabi'],
  },
  {
    name: '__float128: q literals, division, beyond double range',
    decls: `struct Q { __float128 a, b, c, d; };`,
    object: 'struct Q v',
    init: '{ 0.1q, 1.0Q / 3, 1e4000q, -7 }',
    targets: ['x86_64-unknown-linux-gnu', 'i686-unknown-linux-gnu'],
  },
  {
    name: '__bf16',
    decls: `struct B16 { __bf16 a, b, c; };`,
    object: 'struct B16 v',
    init: '{ 1.1, -3e38, 1e-40 }',
    targets: ['x86_64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'armv7-unknown-linux-gnueabihf'],
  },
];

function triple(t: Target, extra: string[] = []): [string, string[]] {
  return [t.clangTriple, [...t.clangFlags, ...extra]];
}

/**
 * portabi's own front end over C source for a target: its preprocessor (with clang's predefined
 * macros, as the oracle here is clang-19) and the declaration parser. The compiler is only the
 * oracle, never the front end.
 */
function frontEnd(t: Target, source: string, systemIncludePaths: string[] = []): { pp: PreprocessResult; ir: TranslationUnitIR } {
  const opts = { ...preprocessOptionsFor(emptyInput({ target: t.name, systemIncludePaths }), t), predefined: predefinedSource(t, 'clang') };
  const pp = preprocessSource(source, opts, 'oracle.c');
  expect(pp.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal').map((d) => d.message)).toEqual([]);
  return { pp, ir: parseDeclarationTokens(pp.tokens, pp.pragmas) };
}

function portabi(t: Target, source: string, init: string) {
  const { ir } = frontEnd(t, source);
  const errs = ir.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal');
  expect(errs.map((d) => d.message)).toEqual([]);
  const typedef = ir.typedefs['__portabi_T'];
  if (!typedef) throw new Error('no __portabi_T typedef in IR');
  const ctx = createAbiContext(ir, t);
  const form = classifyMacro(init, Object.keys(ir.typedefs), ir);
  let list: InitList;
  if (form.form === 'init') list = form.list;
  else if (form.form === 'expr') list = { items: [{ designators: [], value: form.expr }] };
  else throw new Error(`initializer did not parse: ${JSON.stringify(form)}`);
  return evaluateInitializer(list, typedef.type as CType, ctx);
}

describe('initializer bytes equal the object file clang-19 emits', () => {
  for (const f of fixtures) {
    describe(f.name, () => {
      for (const name of f.targets) {
        it(name, () => {
          const t = target(name);
          const typedefLine = `typedef ${f.object.replace(/\bv\b/, '__portabi_T')};`;
          const [tr, flags] = triple(t);
          const source = `${f.decls}\n${typedefLine}\nconst ${f.object} = ${f.init};\n`;
          const obj = readSymbolBytes(compileWithClang(source, tr, flags), 'v');
          expect(obj.relocated).toBe(false);
          // The IR comes from portabi's preprocessor and declaration parser (which expand
          // __WCHAR_TYPE__ etc. from the target's predefined macros).
          const r = portabi(t, `${f.decls}\n${typedefLine}\n`, f.init);
          if (!r.ok) throw new Error(r.reason);
          expect(hex(r.bytes)).toBe(hex(obj.bytes));
        });
      }
    });
  }
});

// glibc's pthread initializers for Armv7 Linux hard-float, from the real headers of
// libc6-dev-armhf-cross through portabi's own front end: preprocess.ts over the header →
// parseDeclarationTokens → the macro's full expansion → evaluateInitializer. clang-19 compiles
// `const T v = MACRO;` as the oracle.
describe('glibc armhf pthread initializers', () => {
  const name = 'armv7-unknown-linux-gnueabihf';
  const cases: [string, string][] = [
    ['PTHREAD_MUTEX_INITIALIZER', 'pthread_mutex_t'],
    ['PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP', 'pthread_mutex_t'],
    ['PTHREAD_ERRORCHECK_MUTEX_INITIALIZER_NP', 'pthread_mutex_t'],
    ['PTHREAD_ADAPTIVE_MUTEX_INITIALIZER_NP', 'pthread_mutex_t'],
    ['PTHREAD_COND_INITIALIZER', 'pthread_cond_t'],
    ['PTHREAD_RWLOCK_INITIALIZER', 'pthread_rwlock_t'],
    ['PTHREAD_RWLOCK_WRITER_NONRECURSIVE_INITIALIZER_NP', 'pthread_rwlock_t'],
  ];
  const head = '#define _GNU_SOURCE 1\n#include <pthread.h>\n';
  for (const [macro, type] of cases) {
    it(`${macro} as ${type}`, () => {
      const t = target(name);
      const inc = ['-nostdinc', '-isystem', CLANG_INC, '-isystem', '/usr/arm-linux-gnueabihf/include'];
      const [tr, flags] = triple(t, inc);
      const obj = readSymbolBytes(compileWithClang(`${head}const ${type} v = ${macro};\n`, tr, flags), 'v');
      expect(obj.relocated).toBe(false);
      const { pp, ir } = frontEnd(t, head, [CLANG_INC, '/usr/arm-linux-gnueabihf/include']);
      expect(pp.ok).toBe(true);
      const expansion = expandMacroTokens(macro, pp.macros).tokens.map((x) => x.text).join(' ');
      const form = classifyMacro(expansion, Object.keys(ir.typedefs), ir);
      expect(form.form).toBe('init');
      if (form.form !== 'init') return;
      const r = evaluateInitializer(form.list, { kind: 'typedef', name: type }, createAbiContext(ir, t));
      if (!r.ok) throw new Error(r.reason);
      expect(hex(r.bytes)).toBe(hex(obj.bytes));
    });
  }
});
