// What a target ABI is, as data. Loaded from targets/<name>.yaml by target.ts; read by one
// layout algorithm (layout.ts). A new architecture is a new YAML file, never a new `if`.
import type { FloatKind, IntKind } from '../parse/ir.js';

export interface ScalarLayout {
  size: number; // bytes
  align: number; // ABI alignment in bytes, as a struct member (what offsetof sees)
}

export type ScalarName = IntKind | FloatKind | 'pointer' | '__builtin_va_list';

/**
 * Bit-field allocation, in the vocabulary of the ABI documents. All supported ABIs use the
 * System V / AAPCS "declared type's container" model; these switches cover their differences.
 */
export interface BitfieldRules {
  /** A bit-field's declared type's alignment contributes to the record's alignment
   *  (SysV, AAPCS, RISC-V, AArch64: true for named bit-fields). */
  typeAlignmentMatters: boolean;
  /** Unnamed bit-fields' declared types contribute to the record's alignment. */
  unnamedAffectsAlignment: boolean;
  /** A zero-width bit-field raises the record's alignment to its declared type's
   *  (AArch64 / AAPCS64 and others where clang sets UseZeroLengthBitfieldAlignment). */
  zeroWidthAffectsAlignment: boolean;
}

export interface Target {
  /** Our name, e.g. 'thumbv7em-none-eabi'; also the YAML file name. */
  name: string;
  description: string;
  /** Triple for clang-19 `-target`. */
  clangTriple: string;
  /** The compiler whose defaults define this ABI ('gcc' for arm-none-eabi RTOS targets). */
  compiler: 'gcc' | 'clang';
  /** Extra flags the clang oracle needs to match `compiler`'s defaults (e.g. -fshort-enums). */
  clangFlags: string[];
  /** The gcc cross compiler and flags, when this target has one installed for oracle tests. */
  gcc?: { command: string; flags: string[] };
  endian: 'little' | 'big';
  charSigned: boolean;
  scalars: Record<ScalarName, ScalarLayout>;
  /** Which integer types the typedefs are. */
  sizeType: IntKind;
  ptrdiffType: IntKind;
  intptrType: IntKind;
  wcharType: IntKind;
  /** Enums take the smallest integer type that fits (arm-none-eabi-gcc default). */
  shortEnums: boolean;
  bitfields: BitfieldRules;
  /** __BIGGEST_ALIGNMENT__: what a bare `__attribute__((aligned))` means. */
  maxAlign: number;
  /** Path of the predefined macro file (relative to targets/). */
  predefinedFile: string;
  /** Answers for __has_attribute / __has_builtin / __has_feature / __has_extension. */
  hasAttribute: Record<string, number>;
  hasBuiltin: Record<string, number>;
  hasFeature: Record<string, number>;
  /** Default system include directories, in search order (may be empty). */
  systemIncludes: string[];
}
