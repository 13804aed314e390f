// C17 6.7.9 initialization, byte images derived by hand from the standard and the target's
// layout (offsets noted next to each case). The compiler-checked versions of these rules are
// in initializer-objfile.test.ts.
import { describe, expect, it } from 'vitest';
import { evaluateInitializer, toHex } from '../../src/abi/initializer.js';
import type { CType } from '../../src/parse/ir.js';
import { context, initList } from './helpers.js';

const ARM = 'armv7-unknown-linux-gnueabihf'; // little-endian ILP32
const ARMEB = 'armebv7r-none-eabi'; // big-endian ILP32

function bytes(decls: string, typeName: string, init: string, t: string): string {
  const decl = typeName.includes('T_') ? typeName : `${typeName} T_`;
  const ctx = context(`${decls}\ntypedef ${decl};`, t);
  const r = evaluateInitializer(initList(init, ctx), { kind: 'typedef', name: 'T_' } as CType, ctx);
  if (!r.ok) return `error: ${r.reason}`;
  return toHex(r.bytes);
}

describe('6.7.9 initializer lists', () => {
  const P = 'struct P { short a; int b; char c[3]; };'; // a@0 b@4 c@8..10, size 12
  it('positional, zero fill of padding and omitted members', () => {
    expect(bytes(P, 'struct P', '{ 1 }', ARM)).toBe('0100' + '0000' + '00000000' + '000000' + '00');
    expect(bytes(P, 'struct P', '{ 1, 2, { 3, 4 } }', ARM)).toBe('01000000' + '02000000' + '03040000');
  });
  it('big-endian scalars', () => {
    expect(bytes(P, 'struct P', '{ 0x102, 0x3040506 }', ARMEB)).toBe('01020000' + '03040506' + '00000000');
  });
  it('brace elision fills the char array from the following initializers (6.7.9p20)', () => {
    expect(bytes(P, 'struct P', "{ 1, 2, 'x', 'y' }", ARM)).toBe('01000000' + '02000000' + '78790000');
  });
  it('designators, then positional continuation from the designated member (6.7.9p17)', () => {
    expect(bytes(P, 'struct P', '{ .b = 7, 8, 9, .a = -1 }', ARM)).toBe('ffff0000' + '07000000' + '08090000');
  });
  it('a string literal for a char array; the null only if there is room (6.7.9p14)', () => {
    expect(bytes(P, 'struct P', '{ .c = "ab" }', ARM)).toBe('00000000' + '00000000' + '61620000');
    expect(bytes(P, 'struct P', '{ .c = "abc" }', ARM)).toBe('00000000' + '00000000' + '61626300');
  });
  it('negative values are stored in two\'s complement, truncated to the member width', () => {
    expect(bytes('struct N { signed char a; unsigned char b; short c; };', 'struct N', '{ -2, -1, -3 }', ARM)).toBe('feff' + 'fdff');
  });
  it('arrays of unknown size take their length from the initializer (6.7.9p22)', () => {
    expect(bytes('', 'short T_[]', '{ [2] = 5, 6 }', ARM)).toBe('0000' + '0000' + '0500' + '0600');
  });
  it('unions: the first member, or the designated one', () => {
    const U = 'union U { char c; int i; };'; // size 4
    expect(bytes(U, 'union U', '{ 0x41 }', ARM)).toBe('41000000');
    expect(bytes(U, 'union U', '{ .i = 0x01020304 }', ARM)).toBe('04030201');
    expect(bytes(U, 'union U', '{ .i = 0x01020304 }', ARMEB)).toBe('01020304');
  });
  it('bit-fields: LSB-first on little-endian, MSB-first on big-endian', () => {
    // a:3 at bits 0-2, b:5 at bits 3-7 of the first byte; c:4 at bits 8-11
    const B = 'struct B { unsigned a:3, b:5, c:4; };'; // size 4
    // little-endian byte 0 = b<<3 | a = 0b10011_101 = 0x9d; byte 1 = c = 0x0f
    expect(bytes(B, 'struct B', '{ 5, 0x13, 0xf }', ARM)).toBe('9d0f0000');
    // big-endian: a occupies the top 3 bits of byte 0: 101_10011 = 0xb3; c the top nibble of byte 1
    expect(bytes(B, 'struct B', '{ 5, 0x13, 0xf }', ARMEB)).toBe('b3f00000');
    // values wrap to the field width: 9 in 3 bits is 1
    expect(bytes(B, 'struct B', '{ 9 }', ARM)).toBe('01000000');
  });
  it('pointers: null and integer addresses', () => {
    expect(bytes('struct Q { void *p; int *q; };', 'struct Q', '{ (void*)0, (int*)0x1234 }', ARM)).toBe('00000000' + '34120000');
  });
  it('errors: address constants needing relocations, flexible array members', () => {
    expect(bytes('struct Q { const char *s; };', 'struct Q', '{ "abc" }', ARM)).toMatch(/^error: .*relocation/);
    expect(bytes('struct F { int n; int d[]; };', 'struct F', '{ 1, { 2 } }', ARM)).toMatch(/^error: .*flexible array/);
    expect(bytes(P, 'struct P', '{ .nope = 1 }', ARM)).toMatch(/^error: no member named 'nope'/);
  });
});
