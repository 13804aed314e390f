// Rust constant expressions (the Rust reference, "Literal expressions", "Arithmetic and
// Logical Binary Operators", "Type cast expressions"): typed literals, wrapping `as` casts,
// `!` as bitwise not, size_of from the repr(C) layout. Values derived by hand.
import { describe, expect, it } from 'vitest';
import { importRustLibc } from '../../src/check/rust-libc/import.js';
import { charLiteral, reprOf, wrap } from '../../src/check/rust-libc/rust-abi.js';
import { intLiteral } from '../../src/check/rust-libc/rust-ast.js';
import { parseMeta } from '../../src/check/rust-libc/meta.js';

const FIXTURE = new URL('../fixtures/rust-libc-new-layout', import.meta.url).pathname;

describe('literals', () => {
  it('integer literals: bases, `_`, suffixes', () => {
    expect(intLiteral('0x8000_0000')).toEqual({ value: 0x80000000n, suffix: null });
    expect(intLiteral('0o20000000')).toEqual({ value: 0o20000000n, suffix: null });
    expect(intLiteral('0b1010u8')).toEqual({ value: 10n, suffix: 'u8' });
    expect(intLiteral('1_000i64')).toEqual({ value: 1000n, suffix: 'i64' });
    expect(intLiteral('0xffusize')).toEqual({ value: 255n, suffix: 'usize' });
    expect(intLiteral('0xfe')).toEqual({ value: 254n, suffix: null });
  });
  it("byte and char literals: b'E' = 69, b'\\x7f' = 127, '\\n' = 10", () => {
    expect(charLiteral("b'E'")).toBe(69n);
    expect(charLiteral("b'\\x7f'")).toBe(127n);
    expect(charLiteral("'\\n'")).toBe(10n);
  });
  it('wrapping to a type is two’s complement truncation', () => {
    expect(wrap(-1n, { bits: 32, signed: false, kind: 'unsigned int' })).toBe(0xffffffffn);
    expect(wrap(0xffffffffn, { bits: 32, signed: true, kind: 'int' })).toBe(-1n);
    expect(wrap(0x1_0000_0001n, { bits: 32, signed: false, kind: 'unsigned int' })).toBe(1n);
  });
});

describe('repr attributes', () => {
  it('repr(C, packed(2)), repr(packed), repr(align(8)), repr(u8)', () => {
    expect(reprOf([parseMeta('repr(C, packed(2))')!])).toMatchObject({ c: true, packed: 2, align: null });
    expect(reprOf([parseMeta('repr(C)')!, parseMeta('repr(packed)')!])).toMatchObject({ c: true, packed: 1 });
    expect(reprOf([parseMeta('repr(align(8))')!])).toMatchObject({ align: 8 });
    expect(reprOf([parseMeta('repr(u8)')!])).toMatchObject({ int: 'u8', c: false });
  });
});

describe('constants of the fixture crate (x86_64-unknown-linux-gnu)', () => {
  const { profile } = importRustLibc(FIXTURE, 'x86_64-unknown-linux-gnu');
  const c = (n: string) => profile.constants[n]?.value;
  it('arithmetic, shifts and references to other constants (private ones too)', () => {
    expect(c('CAN_SFF_MASK')).toBe('2047'); // (1 << 11) - 1
    expect(c('CAN_BCM')).toBe('2'); // CAN_RAW + 1
    expect(c('CAN_EFF_FLAG')).toBe('2147483648');
  });
  it('`!0` on a u32 is all ones; `-(0x10 as c_int)` is -16', () => {
    expect(c('CAN_ERR_ALL')).toBe('4294967295');
    expect(c('CAN_NEG')).toBe('-16');
  });
  it('size_of::<can_frame>() = 16: 4 + 4 * u8 + [u8; 4 * 2], align(8)', () => {
    expect(c('CAN_MTU')).toBe('16');
  });
  it('a call of a function it cannot evaluate is unresolved, with the reason', () => {
    expect(c('CAN_MYSTERY')).toBeUndefined();
    expect(profile.unresolved).toContainEqual({ item: 'CAN_MYSTERY', reason: "calls function 'mystery_fn'" });
  });
});

describe('repr layout of the fixture crate (x86_64-unknown-linux-gnu)', () => {
  const { profile } = importRustLibc(FIXTURE, 'x86_64-unknown-linux-gnu');
  it('repr(packed(2)) { u16, u32 }: b at 2, size 6, align 2', () => {
    expect(profile.types['packed_pair']).toMatchObject({ size: 6, align: 2, fields: { a: { offset: 0 }, b: { offset: 2 } } });
  });
  it('repr(packed) { u8, u64 }: b at 1, size 9, align 1', () => {
    expect(profile.types['packed_one']).toMatchObject({ size: 9, align: 1, fields: { b: { offset: 1 } } });
  });
  it('repr(align(8)) raises can_frame to align 8; private __pad fields are left out (no interface), their layout stays in size and offsets', () => {
    expect(profile.types['can_frame']).toMatchObject({ size: 16, align: 8, fields: { data: { offset: 8, sizeBits: 64 } } });
    expect(profile.types['can_frame']!.fields).not.toHaveProperty('__pad');
  });
  it('cfg_attr(target_pointer_width = "64", repr(align(8))) on pthread_mutex_t: 40 bytes, align 8', () => {
    expect(profile.types['pthread_mutex_t']).toMatchObject({ size: 40, align: 8 });
    expect(profile.initializers['PTHREAD_MUTEX_INITIALIZER']).toEqual({ type: 'pthread_mutex_t', bytes: '00'.repeat(40) });
  });
});
