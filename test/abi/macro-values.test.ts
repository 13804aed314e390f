// Classification of object-like macros into the ABI model's classes, values hand-derived.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { evaluateMacro } from '../../src/abi/macro-values.js';
import type { MacroDecl } from '../../src/parse/ir.js';
import { classifyMacro } from '../../src/parse/macro-forms.js';
import { context, target } from './helpers.js';
import { compileWithClang, hex, readSymbolBytes } from './elf-object.js';

const DECLS = 'typedef struct { int a; short b; } pair_t; enum { RED = 3 };';

function macro(name: string, expansion: string, t = 'armv7-unknown-linux-gnueabihf', opts = {}) {
  const ctx = context(DECLS, t);
  const m: MacroDecl = {
    name, kind: 'object', params: [], variadic: false, body: expansion, expansion,
    parsed: classifyMacro(expansion, Object.keys(ctx.ir.typedefs), ctx.ir),
    loc: { file: 'x.h', line: 1, col: 9 }, conditions: [], builtin: false,
  };
  return evaluateMacro(m, ctx, opts);
}

describe('macro classes', () => {
  it('integers carry value and C type', () => {
    expect(macro('X', '(1UL << 31)').constant).toMatchObject({ value: '2147483648', type: 'unsigned long', source: 'macro', loc: 'x.h:1:9' });
    expect(macro('Y', '(RED + 1)').constant).toMatchObject({ value: '4', type: 'int' });
    expect(macro('Z', '(-1)', 'x86_64-unknown-linux-gnu').constant).toMatchObject({ value: '-1', type: 'int' });
  });
  it('floating, string, type, empty, not-constant', () => {
    expect(macro('F', '1.5f').entry).toMatchObject({ class: 'floating' });
    expect(macro('S', '"abc" "def"').entry).toMatchObject({ class: 'string' });
    expect(macro('T', 'pair_t *').entry).toMatchObject({ class: 'type' });
    expect(macro('E', '').entry).toMatchObject({ class: 'empty' });
    expect(macro('N', 'foo + 1').entry).toEqual({ class: 'not-constant', detail: 'identifier foo is not a constant', loc: 'x.h:1:9' });
    expect(macro('D', '(1 / 0)').entry.class).toBe('not-constant');
  });
  it('initializer lists get bytes when the object type is known', () => {
    expect(macro('PAIR_INIT', '{ 1, -2 }').entry).toMatchObject({ class: 'initializer' });
    expect(macro('PAIR_INIT', '{ 1, -2 }').initializer).toBeUndefined();
    // pair_t on Arm: a@0 (4 bytes), b@4 (2 bytes), 2 bytes tail padding
    expect(macro('PAIR_INIT', '{ 1, -2 }', 'armv7-unknown-linux-gnueabihf', { initializerTypes: { PAIR_INIT: 'pair_t' } }).initializer)
      .toMatchObject({ type: 'pair_t', bytes: '01000000feff0000' });
    expect(macro('PAIR_INIT', '{ 1, -2 }', 'armv7-unknown-linux-gnueabihf', { guessInitializerTypes: true }).initializer)
      .toMatchObject({ type: 'pair_t', bytes: '01000000feff0000' });
  });
});

describe('floating values wider than double', () => {
  // A long double's detail is the shortest decimal that reads back as the same value in the
  // target's format (x87 extended on x86-64, binary128 on AArch64 and RISC-V). The compiler
  // judges: `<detail>L` must compile to the very bytes of the value it came from.
  const limits = ['__LDBL_MAX__', '__LDBL_MIN__', '__LDBL_EPSILON__', '__LDBL_DENORM_MIN__', '0.1L', '1e4000L', '1.0L/3'];
  for (const name of ['x86_64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'riscv64gc-unknown-linux-gnu']) {
    it(`${name}: long double details read back as the same value`, () => {
      const t = target(name);
      const dm = execFileSync('clang-19', ['-target', t.clangTriple, ...t.clangFlags, '-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' });
      const details = limits.map((l) => {
        const text = l.startsWith('__') ? new RegExp(`^#define ${l} (\\S+)$`, 'm').exec(dm)![1]! : l;
        const d = macro('X', text, name).entry.detail!;
        expect(d, l).toMatch(/^\S+ \(long double\)$/);
        return d.split(' ')[0]!;
      });
      const src = `const long double v[] = { ${details.map((d) => `${d}L`).join(', ')}, ${limits.join(', ')} };\n`;
      const bytes = hex(readSymbolBytes(compileWithClang(src, t.clangTriple, t.clangFlags), 'v').bytes);
      const half = bytes.length / 2;
      expect(bytes.slice(0, half)).toBe(bytes.slice(half));
    });
  }
  it('x87: shortest round-trip digits, not the double\'s', () => {
    // 2^-63 is a double too, but the double's shortest spelling 1.0842021724855044e-19 reads
    // back as a different x87 value; 0.1L needs no more digits than 0.1.
    expect(macro('X', '1.08420217248550443401e-19L', 'x86_64-unknown-linux-gnu').entry.detail).toBe('1.084202172485504434e-19 (long double)');
    expect(macro('X', '0.1L', 'x86_64-unknown-linux-gnu').entry.detail).toBe('0.1 (long double)');
  });
  it('a double target shows the double (inf beyond its range)', () => {
    expect(macro('X', '1.18973149535723176502e+4932L').entry.detail).toBe('inf');
    expect(macro('X', '0.1L').entry.detail).toBe('0.1 (long double)');
  });
});
