// Record layout, hand-derived from the ABI documents (expected numbers are worked out below
// from the rules quoted, and agree with clang-19 / arm-none-eabi-gcc 12).
import { describe, expect, it } from 'vitest';
import type { FieldLayout, Layout } from '../../src/abi/context.js';
import { createAbiContext } from '../../src/abi/context-impl.js';
import { loadTarget } from '../../src/abi/target.js';
import { parseDeclarations } from '../../src/parse/declarations.js';

function layout(target: string, c: string, tag: string): Layout & { complete: true } {
  const t = loadTarget(target);
  if (!t.ok) throw new Error(`target ${target}`);
  const ir = parseDeclarations(c);
  const ctx = createAbiContext(ir, t.value);
  const [kind, name] = tag.split(' ') as ['struct' | 'union' | 'enum' | 'typedef', string];
  const l =
    kind === 'typedef'
      ? ctx.layoutOf({ kind: 'typedef', name })
      : kind === 'enum'
        ? ctx.layoutOf({ kind: 'enum', id: ir.tags.enum[name]! })
        : ctx.layoutOf({ kind: 'record', id: ir.tags[kind][name]! });
  if (!l.complete) throw new Error(`${tag} incomplete: ${l.reason}`);
  return l;
}

/** name → [offsetBits, sizeBits] of every member. */
function offsets(l: Layout & { complete: true }): Record<string, [number, number]> {
  const out: Record<string, [number, number]> = {};
  const walk = (fs: FieldLayout[], base: number) => {
    for (const f of fs) {
      if (f.anonymous) walk(f.anonymous.fields, base + f.offsetBits);
      else if (f.name) out[f.name] = [base + f.offsetBits, f.sizeBits];
    }
  };
  walk(l.record!.fields, 0);
  return out;
}

describe('System V x86-64 psABI §3.1.2 (Aggregates and Unions, Bit-Fields)', () => {
  const T = 'x86_64-unknown-linux-gnu';
  it('members at their alignment; size rounded to the struct alignment', () => {
    // char at 0, int at 4 (align 4), char at 8 → size 9 rounded to 12.
    const l = layout(T, 'struct s { char a; int b; char c; };', 'struct s');
    expect([l.size, l.align]).toEqual([12, 4]);
    expect(offsets(l)).toEqual({ a: [0, 8], b: [32, 32], c: [64, 8] });
  });
  it('bit-fields share a unit until one would cross its declared type\'s boundary', () => {
    // a:0-4, b:5-30 (5+26 = 31 ≤ 32), c: 31+2 > 32 → next int boundary, bit 32.
    const l = layout(T, 'struct s { int a:5; int b:26; int c:2; };', 'struct s');
    expect(offsets(l)).toEqual({ a: [0, 5], b: [5, 26], c: [32, 2] });
    expect([l.size, l.align]).toEqual([8, 4]);
  });
  it('bit-fields may share storage with other members (char then int bit-field)', () => {
    // "bit-fields must be contained in a storage unit appropriate for its declared type",
    // not in a fresh one: b starts at bit 8.
    const l = layout(T, 'struct s { char a; int b:8; };', 'struct s');
    expect(offsets(l)).toEqual({ a: [0, 8], b: [8, 8] });
    expect([l.size, l.align]).toEqual([4, 4]);
  });
  it('unnamed bit-fields do not affect the alignment of a structure', () => {
    const l = layout(T, 'struct s { char a; int :4; char b; };', 'struct s');
    expect([l.size, l.align]).toEqual([3, 1]);
  });
  it('a zero-width bit-field pads to its type but does not align the struct', () => {
    const l = layout(T, 'struct s { char a; int :0; char b; };', 'struct s');
    expect(offsets(l).b).toEqual([32, 8]);
    expect([l.size, l.align]).toEqual([5, 1]);
  });
  it('long long bit-field containers are 8-aligned on x86-64 but 4-aligned on i386', () => {
    // b starts at bit 52. x86-64: (52 % 64) + 40 > 64 → bit 64.
    // i386 (long long aligned 4): (52 % 32) + 40 = 60 ≤ 64 → stays at bit 52.
    const c = 'struct s { int a; int c:20; long long b:40; };';
    expect(offsets(layout(T, c, 'struct s')).b).toEqual([64, 40]);
    expect(offsets(layout('i686-unknown-linux-gnu', c, 'struct s')).b).toEqual([52, 40]);
    expect(layout('i686-unknown-linux-gnu', c, 'struct s').size).toBe(12);
  });
});

describe('GNU extensions', () => {
  const T = 'x86_64-unknown-linux-gnu';
  it('packed record: every member one-byte (bit-fields one-bit) aligned', () => {
    const l = layout(T, 'struct __attribute__((packed)) s { char a; int b; char c:3; int d:30; };', 'struct s');
    expect(offsets(l)).toEqual({ a: [0, 8], b: [8, 32], c: [40, 3], d: [43, 30] });
    expect([l.size, l.align]).toEqual([10, 1]);
  });
  it('aligned() on a member raises, packed on the member lowers, aligned on the record raises', () => {
    const l = layout(T, 'struct __attribute__((aligned(32))) s { char a; int b __attribute__((packed)); char c __attribute__((aligned(8))); };', 'struct s');
    expect(offsets(l)).toEqual({ a: [0, 8], b: [8, 32], c: [64, 8] });
    expect([l.size, l.align]).toEqual([32, 32]);
  });
  it('aligned() on a typedef sets the alignment, lowering included', () => {
    expect(layout(T, 'typedef int u32 __attribute__((aligned(1)));', 'typedef u32').align).toBe(1);
    expect(layout(T, 'typedef char c16 __attribute__((aligned(16)));', 'typedef c16').align).toBe(16);
    const l = layout(T, 'typedef int u32 __attribute__((aligned(1))); struct s { char a; u32 b; };', 'struct s');
    expect([offsets(l).b![0], l.size]).toEqual([8, 5]);
  });
  it('#pragma pack caps member alignment, aligned() included, and turns off straddle padding', () => {
    const l = layout(T, '#pragma pack(push, 2)\nstruct s { char a; int b __attribute__((aligned(8))); char c:4; int d:30; };\n#pragma pack(pop)', 'struct s');
    expect(offsets(l)).toEqual({ a: [0, 8], b: [16, 32], c: [48, 4], d: [52, 30] });
    expect([l.size, l.align]).toEqual([12, 2]);
  });
  it('flexible array member: size 0, aligned as its element, size includes the padding', () => {
    const l = layout(T, 'struct s { char n; long long data[]; };', 'struct s');
    expect(l.record!.flexible).toBe(true);
    expect([offsets(l).data, l.size]).toEqual([[64, 0], 8]);
  });
  it('anonymous members: their members are reached through the anonymous layout', () => {
    const l = layout(T, 'struct s { char a; union { short x; int y; }; char b; };', 'struct s');
    expect(offsets(l)).toEqual({ a: [0, 8], x: [32, 16], y: [32, 32], b: [64, 8] });
  });
  it('mode(), _Complex, vector_size', () => {
    expect(layout(T, 'typedef int q __attribute__((mode(QI)));', 'typedef q').size).toBe(1);
    expect(layout(T, 'typedef unsigned d __attribute__((mode(DI)));', 'typedef d').size).toBe(8);
    const c = layout(T, 'typedef _Complex double cd;', 'typedef cd');
    expect([c.size, c.align]).toEqual([16, 8]);
  });
  it('incomplete types are never given a size', () => {
    const t = loadTarget(T);
    if (!t.ok) throw new Error('target');
    const ir = parseDeclarations('struct opaque; struct s { struct opaque *p; };');
    const ctx = createAbiContext(ir, t.value);
    expect(ctx.layoutOf({ kind: 'record', id: ir.tags.struct.opaque! }).complete).toBe(false);
    expect(ctx.layoutOf({ kind: 'record', id: ir.tags.struct.s! }).complete).toBe(true);
    expect(ctx.layoutOf({ kind: 'void' }).complete).toBe(false);
  });
});

describe('AAPCS §5.3 / §8.1.8 (Arm): bit-fields and enums', () => {
  const T = 'thumbv7em-none-eabi';
  it('a zero-width bit-field aligns the next member and the struct to its container', () => {
    // AAPCS: zero-length bit-fields (and, in gcc/clang, unnamed ones) count for alignment.
    const l = layout(T, 'struct s { char a; int :0; char b; };', 'struct s');
    expect(offsets(l).b).toEqual([32, 8]);
    expect([l.size, l.align]).toEqual([8, 4]);
  });
  it('unnamed bit-fields contribute their container alignment', () => {
    expect(layout(T, 'struct s { char a; int :4; char b; };', 'struct s').align).toBe(4);
  });
  it('big-endian Arm allocates bit-fields in the same container order', () => {
    const l = layout('armebv7r-none-eabi', 'struct s { short a:3; short b:14; };', 'struct s');
    expect(offsets(l)).toEqual({ a: [0, 3], b: [16, 14] });
  });
  it('short enums: the smallest integer type that holds every value (arm-none-eabi default)', () => {
    expect(layout(T, 'enum e { A = 1, B = 200 };', 'enum e').size).toBe(1);
    expect(layout(T, 'enum e { A = -1, B = 200 };', 'enum e').size).toBe(2);
    expect(layout('armv7-unknown-linux-gnueabihf', 'enum e { A = 1 };', 'enum e').size).toBe(4);
    expect(layout('x86_64-unknown-linux-gnu', 'enum __attribute__((packed)) e { A = 1 };', 'enum e').size).toBe(1);
    expect(layout('x86_64-unknown-linux-gnu', 'enum e { A = 0x100000000 };', 'enum e').size).toBe(8);
  });
  it('gcc aligns an aligned() bit-field first, then applies the straddle rule; clang the reverse', () => {
    // long long b:50 aligned(4) after char a: gcc → bit 32 would straddle a 64-bit unit → 64;
    // clang → no straddle at bit 8, then aligned to 32 (and left straddling).
    const c = 'struct s { char a; unsigned long long b:50 __attribute__((aligned(4))); };';
    expect(offsets(layout(T, c, 'struct s')).b).toEqual([64, 50]); // compiler: gcc
    expect(offsets(layout('armv7-unknown-linux-gnueabihf', c, 'struct s')).b).toEqual([32, 50]); // compiler: clang
  });
});

describe('AAPCS64, RISC-V, AVR, MSP430', () => {
  it('AAPCS64: zero-width bit-fields raise the struct alignment', () => {
    expect(layout('aarch64-unknown-linux-gnu', 'struct s { char a; long :0; };', 'struct s').align).toBe(8);
    expect(layout('riscv64gc-unknown-linux-gnu', 'struct s { char a; long :0; };', 'struct s').align).toBe(1);
  });
  it('AVR: everything byte aligned; int is 2 bytes', () => {
    const l = layout('avr', 'struct s { char a; int b; long c:20; };', 'struct s');
    expect(offsets(l)).toEqual({ a: [0, 8], b: [8, 16], c: [24, 20] });
    expect([l.size, l.align]).toEqual([6, 1]);
  });
  it('MSP430: int aligned 2, long 2', () => {
    const l = layout('msp430', 'struct s { char a; long b; };', 'struct s');
    expect([offsets(l).b![0], l.size, l.align]).toEqual([16, 6, 2]);
  });
});
