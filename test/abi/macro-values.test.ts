// Classification of object-like macros into the ABI model's classes, values hand-derived.
import { describe, expect, it } from 'vitest';
import { evaluateMacro } from '../../src/abi/macro-values.js';
import type { MacroDecl } from '../../src/parse/ir.js';
import { classifyMacro } from '../../src/parse/macro-forms.js';
import { context } from './helpers.js';

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
