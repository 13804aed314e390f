// Sizes a target cannot have, overflow in integer constant expressions, and very long
// operator chains. Expected diagnostics are clang-19's on the same text (clang-19
// -fsyntax-only --target=…; the location, severity and message, without the -W flag); sizes
// and values are derived by hand.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateConstant, evaluateExpr } from '../../src/abi/constexpr.js';
import { checkDeclaredSizes } from '../../src/abi/layout.js';
import type { Diagnostic } from '../../src/parse/diagnostics.js';
import { context, expr } from './helpers.js';

const X64 = 'x86_64-unknown-linux-gnu';
const I686 = 'i686-unknown-linux-gnu';
const AVR = 'avr';

const located = (ds: Diagnostic[]) => ds.map((d) => `${d.loc?.line}:${d.loc?.col}: ${d.severity}: ${d.message}`);
const checked = (src: string, t: string) => located(checkDeclaredSizes(context(`# 1 "t.h"\n${src}`, t)));

describe('array sizes and bit-field widths clang rejects', () => {
  const SRC = [
    'struct S {',
    '  int x:99;',
    '  int :40;',
    '  int y:-1;',
    '  int :-2;',
    '  int z:0;',
    '  _Bool b:2;',
    '  float f:3;',
    '  unsigned char c:9;',
    '  enum E { A } e:33;',
    '  long l:65;',
    '  int ok:32;',
    '  int w:2147483647+1;',
    '};',
    'typedef char T[-1];',
    'void f(char a[-1]);',
    'char c2[2][-1];',
    'struct U { char m[-3]; };',
    'char big[0x7fffffffffffffff][2];',
    'char big2[2][0x7fffffffffffffff];',
    'int neg[-2147483647-1];',
    'unsigned long long ul[0xffffffffffffffffull];',
    'char d[0x800000000000000][0x7fffffffffffffff];',
    'char e[0x800000000000000][-1];',
    'struct V { int x:99; } s[-1];',
    '',
  ].join('\n');

  it('x86_64: the errors and warnings of clang-19, in its order', () => {
    expect(checked(SRC, X64)).toEqual([
      "2:7: error: width of bit-field 'x' (99 bits) exceeds the width of its type (32 bits)",
      '3:3: error: width of anonymous bit-field (40 bits) exceeds the width of its type (32 bits)',
      "4:7: error: bit-field 'y' has negative width (-1)",
      '5:3: error: anonymous bit-field has negative width (-2)',
      "6:7: error: named bit-field 'z' has zero width",
      "7:9: error: width of bit-field 'b' (2 bits) exceeds the width of its type (1 bit)",
      "8:9: error: bit-field 'f' has non-integral type 'float'",
      "9:17: error: width of bit-field 'c' (9 bits) exceeds the width of its type (8 bits)",
      "10:16: error: width of bit-field 'e' (33 bits) exceeds the width of its type (32 bits)",
      "11:8: error: width of bit-field 'l' (65 bits) exceeds the width of its type (64 bits)",
      "13:19: warning: overflow in expression; result is -2'147'483'648 with type 'int'",
      "13:7: error: bit-field 'w' has negative width (-2147483648)",
      "15:16: error: 'T' declared as an array with a negative size",
      "16:15: error: 'a' declared as an array with a negative size",
      "17:12: error: 'c2' declared as an array with a negative size",
      "18:19: error: 'm' declared as an array with a negative size",
      '19:10: error: array is too large (9223372036854775807 elements)',
      '20:14: error: array is too large (9223372036854775807 elements)',
      "21:9: error: 'neg' declared as an array with a negative size",
      '22:23: error: array is too large (18446744073709551615 elements)',
      // An element type clang rejects counts as int for the array of it.
      '23:27: error: array is too large (9223372036854775807 elements)',
      '23:8: error: array is too large (576460752303423488 elements)',
      "24:27: error: 'e' declared as an array with a negative size",
      '24:8: error: array is too large (576460752303423488 elements)',
      "25:16: error: width of bit-field 'x' (99 bits) exceeds the width of its type (32 bits)",
      "25:26: error: 's' declared as an array with a negative size",
    ]);
  });

  it("avr: int is 16 bits, and an array may not reach 2^16 bytes (size_t's width)", () => {
    const src = 'struct S { int ok:32; long l:33; };\nchar a1[0xffff];\nchar a2[0xfffe];\nint a3[0x8000];\nint a4[0x7fff];\n';
    expect(checked(src, AVR)).toEqual([
      "1:16: error: width of bit-field 'ok' (32 bits) exceeds the width of its type (16 bits)",
      "1:28: error: width of bit-field 'l' (33 bits) exceeds the width of its type (32 bits)",
      '4:8: error: array is too large (32768 elements)', // 65536 bytes; 65535 (a1) still fit
    ]);
  });

  it('i686: arrays up to 2^32 - 1 bytes, counted as clang counts the bits', () => {
    const src = [
      'char a1[0xffffffff];',
      'char a2[0x100000000];',
      'int a3[0x3fffffff];',
      'int a4[0x40000000];',
      'struct { char x[0xfffffff0]; char y[0x10]; } s1;',
      'char c[1000000000000][1000000000000];',
      '',
    ].join('\n');
    expect(checked(src, I686)).toEqual([
      '2:9: error: array is too large (4294967296 elements)',
      '4:8: error: array is too large (1073741824 elements)',
      // portabi's own (clang accepts s1, and its sizeof(s1) is wrong): 2^32 bytes > SIZE_MAX.
      '5:1: warning: struct (anonymous) is larger than SIZE_MAX (4294967295 bytes): it is given no size',
      '6:23: error: array is too large (1000000000000 elements)',
      '6:8: error: array is too large (1000000000000 elements)',
    ]);
  });

  it('x86_64: clang allows 2^61 - 1 bytes; portabi gives no size from 2^50 bytes on, with a warning', () => {
    const src = 'char a1[0x1fffffffffffffff];\nchar a2[0x2000000000000000];\nchar a3[0x3ffffffffffff];\nchar a4[0x4000000000000];\n';
    expect(checked(src, X64)).toEqual([
      '1:9: warning: array of 2305843009213693951 bytes is too large for portabi to give an exact size (the limit is 2^50 bytes)',
      '2:9: error: array is too large (2305843009213693952 elements)',
      '4:9: warning: array of 1125899906842624 bytes is too large for portabi to give an exact size (the limit is 2^50 bytes)',
    ]);
  });
});

describe('layout and sizeof of those types: no size, never a rounded one', () => {
  const DECLS = 'char a[0x7fffffffffffffff];\nchar b[-1];\nstruct S { int x:99; };\nstruct T { char m[0x7fffffffffffffff]; };\nchar ok[0x3ffffffffffff];\n';

  it('x86_64', () => {
    const ctx = context(DECLS, X64);
    const sizeOf = (t: string) => {
      const r = evaluateExpr(expr(`sizeof(${t})`, ctx), ctx);
      return r.ok ? r.value.value : r.reason;
    };
    expect(sizeOf('a')).toBe('sizeof an incomplete type: array is too large (9223372036854775807 elements)');
    expect(sizeOf('b')).toBe('sizeof an incomplete type: array size is negative');
    expect(sizeOf('struct S')).toBe("sizeof an incomplete type: struct S: width of bit-field 'x' (99 bits) exceeds the width of its type (32 bits)");
    expect(sizeOf('struct T')).toBe('sizeof an incomplete type: struct T: member m: array is too large (9223372036854775807 elements)');
    expect(sizeOf('ok')).toBe(2n ** 50n - 1n); // the largest exact size: 2^50 - 1 bytes
    expect(sizeOf('char[0x3ffffffffffff][1]')).toBe(2n ** 50n - 1n);
  });

  it('i686: a record larger than SIZE_MAX gets no size (clang has no error; its sizeof is wrong)', () => {
    const ctx = context('# 1 "t.h"\nstruct A { char a[0xffffffff]; char b[0xffffffff]; };\n', I686);
    expect(ctx.layoutOf({ kind: 'record', id: 0 })).toEqual({ complete: false, reason: 'struct A is larger than SIZE_MAX (4294967295 bytes)' });
    expect(located(checkDeclaredSizes(ctx))).toEqual(['1:8: warning: struct A is larger than SIZE_MAX (4294967295 bytes): it is given no size']);
  });

  it('x86_64: a record of 2^50 bytes or more gets no size', () => {
    const ctx = context('struct B { char a[0x2000000000000]; char b[0x2000000000000]; };\nstruct C { char a[0x1ffffffffffff]; char b[0x1ffffffffffff]; char c; };\n', X64);
    expect(ctx.layoutOf({ kind: 'record', id: 0 })).toMatchObject({ complete: false });
    expect(ctx.layoutOf({ kind: 'record', id: 1 })).toMatchObject({ complete: true, size: 2 ** 50 - 1 });
  });
});

describe("clang's -Winteger-overflow in constant expressions", () => {
  const warnings = (text: string, t = X64) => {
    const ctx = context('', t);
    const ds: Diagnostic[] = [];
    const r = evaluateConstant(expr(text, ctx), ctx, undefined, ds);
    return { value: r.ok && r.value.k === 'int' ? r.value.value : null, warnings: located(ds) };
  };

  it('signed * + - and unary -, at the operator, with the wrapped result', () => {
    // clang-19 on `long v1 =  9223372036854775807*9223372036854775807;` etc., columns shifted
    // to the expression alone.
    expect(warnings('9223372036854775807*9223372036854775807')).toEqual({ value: 1n, warnings: ["1:20: warning: overflow in expression; result is 1 with type 'long'"] });
    expect(warnings('2147483647 + 1')).toEqual({ value: -2147483648n, warnings: ["1:12: warning: overflow in expression; result is -2'147'483'648 with type 'int'"] });
    expect(warnings('-(-2147483647 - 1)')).toEqual({ value: -2147483648n, warnings: ["1:1: warning: overflow in expression; result is -2'147'483'648 with type 'int'"] });
    expect(warnings('-9223372036854775807L - 2').warnings).toEqual(["1:23: warning: overflow in expression; result is 9'223'372'036'854'775'807 with type 'long'"]);
    expect(warnings('65536 * 65536 * 0').warnings).toEqual(["1:7: warning: overflow in expression; result is 0 with type 'int'"]);
  });

  it('each overflowing operation once, in evaluation order', () => {
    // clang-19: 17:15, 17:37, 17:23 for `int p = 46341 * 46341 + (2147483647 + 1);`
    expect(warnings('46341 * 46341 + (2147483647 + 1)')).toEqual({
      value: 4633n,
      warnings: [
        "1:7: warning: overflow in expression; result is -2'147'479'015 with type 'int'",
        "1:29: warning: overflow in expression; result is -2'147'483'648 with type 'int'",
        "1:15: warning: overflow in expression; result is 4'633 with type 'int'",
      ],
    });
  });

  it('none where clang has none: unsigned, / and %, operands not evaluated', () => {
    for (const text of ['4294967295u + 1', '(-2147483647 - 1) / -1', '(-2147483647 - 1) % -1', '0 ? 2147483647 + 1 : 0', '1 ? 0 : 2147483647 + 1', '0 && (2147483647 + 1)']) {
      expect(warnings(text).warnings).toEqual([]);
    }
    // The left operand of a comma is evaluated, its value unused: clang warns there.
    expect(warnings('(2147483647 + 1, 0)')).toEqual({ value: 0n, warnings: ["1:13: warning: overflow in expression; result is -2'147'483'648 with type 'int'"] });
  });

  it('AVR: int is 16 bits', () => {
    expect(warnings('32767 + 1', AVR)).toEqual({ value: -32768n, warnings: ["1:7: warning: overflow in expression; result is -32'768 with type 'int'"] });
  });
});

describe('long operator chains are evaluated without recursion per operand', () => {
  it('a sum, a conjunction and a comma list of 200,000 terms', () => {
    const ctx = context('', X64);
    const terms = (op: string) => Array(200_000).fill('1').join(op);
    const v = (text: string) => {
      const r = evaluateExpr(expr(text, ctx), ctx);
      return r.ok ? r.value.value : r.reason;
    };
    expect(v(terms('+'))).toBe(200_000n);
    expect(v(terms('&&'))).toBe(1n);
    expect(v(`(${terms(',')})`)).toBe(1n);
    expect(v(`${terms('-')} + 199998`)).toBe(0n); // 1 - 1 - ... - 1 = 1 - 199999
  });
});

describe('portabi eval', () => {
  const root = join(import.meta.dirname, '..', '..');
  const dir = mkdtempSync(join(tmpdir(), 'portabi-limits-'));
  const empty = join(dir, 'empty.h');
  writeFileSync(empty, '\n');
  // The CLI from source (tsx), so no build is needed.
  const portabi = (...args: string[]) => {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', 'const { main } = await import(process.argv[1]); process.exitCode = await main(process.argv.slice(2));', join(root, 'src', 'cli.ts'), ...args],
      { encoding: 'utf8', cwd: root, maxBuffer: 64 << 20 },
    );
    return { code: r.status, out: r.stdout, err: r.stderr };
  };

  it('warns about overflow as clang does, located in the expression', () => {
    const r = portabi('eval', '9223372036854775807*9223372036854775807', empty);
    expect(r).toEqual({ code: 0, out: '9223372036854775807*9223372036854775807 = 1 (long)\n', err: "<eval>:1:20: warning: overflow in expression; result is 1 with type 'long'\n" });
  });

  it('20,000 nested parentheses or braces: exit 2 with the bracket limit, not a stack overflow', () => {
    for (const [open, close] of [['(', ')'], ['{', '}']]) {
      const r = portabi('eval', `${open.repeat(20_000)}1${close.repeat(20_000)}`, empty);
      expect(r.code).toBe(2);
      expect(r.err).toBe(`portabi: ${open.repeat(77)}... is not evaluable: bracket nesting level exceeded maximum of 256\n`);
    }
  });

  it('a macro that sums 100,000 ones', () => {
    const h = join(dir, 'sum.h');
    writeFileSync(h, `#define X ${Array(100_000).fill('1').join('+')}\n`);
    expect(portabi('eval', 'X', h)).toEqual({ code: 0, out: 'X = 100000 (int)\n', err: '' });
  });
});
