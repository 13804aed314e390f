// The shared context of the ABI phase. Layout needs constant evaluation (array lengths,
// bit-field widths, aligned(n)); constant evaluation needs layout (sizeof, _Alignof,
// offsetof). Both are methods on one memoising context so neither module imports the other.
import type { Diagnostic } from '../parse/diagnostics.js';
import type { CType, Expr, TranslationUnitIR } from '../parse/ir.js';
import type { Target } from './target-types.js';

export interface FieldLayout {
  /** C access name, or null for unnamed bit-fields / anonymous members. */
  name: string | null;
  type: CType;
  offsetBits: number;
  sizeBits: number;
  bitField: boolean;
  /** For anonymous struct/union members: their own layout, offsets relative to this field. */
  anonymous?: RecordLayout;
}

export interface RecordLayout {
  size: number; // bytes
  align: number; // bytes
  fields: FieldLayout[];
  /** True when the last member is a flexible array member. */
  flexible: boolean;
}

export type Layout =
  | { complete: true; size: number; align: number; record?: RecordLayout }
  | { complete: false; reason: string };

/** An integer value with its C type (as the target sees it). */
export interface IntValue {
  value: bigint;
  type: CType; // always an 'int' (IntKind) type after conversions
}

export type EvalResult =
  | { ok: true; value: IntValue }
  | { ok: false; reason: string };

export interface AbiContext {
  ir: TranslationUnitIR;
  target: Target;
  /** sizeof/alignof/record layout of a type; memoised per type identity. */
  layoutOf(type: CType): Layout;
  /** Evaluate an integer constant expression (C17 6.6) for the target. */
  evaluate(expr: Expr): EvalResult;
  /** Follow typedefs (keeping the outermost attributes that matter) to the underlying type. */
  resolve(type: CType): CType;
  diagnostics: Diagnostic[];
}
