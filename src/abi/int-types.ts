// Integer types as a target sees them (C17 6.2.5, 6.3.1): widths come from the target's
// scalar sizes, signedness of plain char from the target, ranks from 6.3.1.1. Integer
// promotions and the usual arithmetic conversions are computed from these facts, so
// `long` vs `unsigned int` resolves differently on ILP32 and LP64 without any `if` per target.
import type { CType, IntKind } from '../parse/ir.js';
import type { Target } from './target-types.js';

/** 6.3.1.1p1: the integer conversion rank. char, signed char and unsigned char share a rank. */
const RANK: Record<IntKind, number> = {
  _Bool: 0,
  char: 1,
  'signed char': 1,
  'unsigned char': 1,
  short: 2,
  'unsigned short': 2,
  int: 3,
  'unsigned int': 3,
  long: 4,
  'unsigned long': 4,
  'long long': 5,
  'unsigned long long': 5,
  __int128: 6,
  'unsigned __int128': 6,
};

export function rankOf(kind: IntKind): number {
  return RANK[kind];
}

/** Width in bits of the object representation (C's "width" for all but _Bool). */
export function widthOf(kind: IntKind, target: Target): number {
  return target.scalars[kind].size * 8;
}

export function isUnsigned(kind: IntKind, target: Target): boolean {
  if (kind === 'char') return !target.charSigned;
  return kind === '_Bool' || kind.startsWith('unsigned');
}

export function unsignedOf(kind: IntKind, target: Target): IntKind {
  switch (kind) {
    case 'char':
    case 'signed char':
      return 'unsigned char';
    case 'short':
      return 'unsigned short';
    case 'int':
      return 'unsigned int';
    case 'long':
      return 'unsigned long';
    case 'long long':
      return 'unsigned long long';
    case '__int128':
      return 'unsigned __int128';
    default:
      return isUnsigned(kind, target) ? kind : kind;
  }
}

export function minOf(kind: IntKind, target: Target): bigint {
  if (kind === '_Bool') return 0n;
  return isUnsigned(kind, target) ? 0n : -(1n << BigInt(widthOf(kind, target) - 1));
}

export function maxOf(kind: IntKind, target: Target): bigint {
  if (kind === '_Bool') return 1n;
  const w = widthOf(kind, target);
  return isUnsigned(kind, target) ? (1n << BigInt(w)) - 1n : (1n << BigInt(w - 1)) - 1n;
}

export function fitsIn(value: bigint, kind: IntKind, target: Target): boolean {
  return value >= minOf(kind, target) && value <= maxOf(kind, target);
}

/**
 * 6.3.1.3: conversion to an integer type. Unsigned: reduce modulo 2^N. Signed and out of
 * range: implementation-defined; GCC and clang reduce modulo 2^N (two's complement).
 * _Bool (6.3.1.2): 0 stays 0, anything else becomes 1.
 */
export function convertInt(value: bigint, kind: IntKind, target: Target): bigint {
  if (kind === '_Bool') return value === 0n ? 0n : 1n;
  const w = widthOf(kind, target);
  return isUnsigned(kind, target) ? BigInt.asUintN(w, value) : BigInt.asIntN(w, value);
}

/** 6.3.1.1p2: the integer promotions. */
export function promote(kind: IntKind, target: Target): IntKind {
  if (rankOf(kind) >= RANK.int) return kind;
  // "If an int can represent all values of the original type ... converted to an int;
  // otherwise, it is converted to an unsigned int."
  return maxOf(kind, target) <= maxOf('int', target) ? 'int' : 'unsigned int';
}

/** 6.3.1.8p1: the usual arithmetic conversions, for two integer operands. */
export function usualArithmetic(a: IntKind, b: IntKind, target: Target): IntKind {
  const l = promote(a, target);
  const r = promote(b, target);
  if (l === r) return l;
  const lu = isUnsigned(l, target);
  const ru = isUnsigned(r, target);
  if (lu === ru) return rankOf(l) >= rankOf(r) ? l : r;
  const [u, s] = lu ? [l, r] : [r, l];
  if (rankOf(u) >= rankOf(s)) return u;
  if (maxOf(s, target) >= maxOf(u, target)) return s;
  return unsignedOf(s, target);
}

export function intType(name: IntKind): CType {
  return { kind: 'int', name };
}
