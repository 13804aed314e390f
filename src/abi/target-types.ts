// What a target ABI is, as data. Loaded from targets/<name>.yaml by target.ts; read by one
// layout algorithm (layout.ts). A new architecture is a new YAML file, never a new `if`.
import type { FloatKind, IntKind } from '../parse/ir.js';

export interface ScalarLayout {
  size: number; // bytes
  align: number; // ABI alignment in bytes, as a struct member (what offsetof sees)
  /** GNU `__alignof__` (the compiler's preferred alignment), only where it differs from `align`:
   *  i686 double/long long (8 vs 4), AVR long long/double (clang). C11 `_Alignof` is `align`. */
  preferredAlign?: number;
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
  /** Every scalar type the target's ABI compiler accepts. Types it lacks (e.g. __int128 on 32-bit
   *  targets, _Float16 on arm-none-eabi-gcc) are ABSENT: check `target.scalars[name]` before use. */
  scalars: Record<ScalarName, ScalarLayout>;
  /** Which integer types the typedefs are. */
  sizeType: IntKind;
  ptrdiffType: IntKind;
  intptrType: IntKind;
  wcharType: IntKind;
  /** Enums take the smallest integer type that fits (arm-none-eabi-gcc default). */
  shortEnums: boolean;
  bitfields: BitfieldRules;
  /** What a bare `__attribute__((aligned))` means, probed. Equals __BIGGEST_ALIGNMENT__ on every
   *  target except clang's msp430 (macro 2, bare aligned 16). */
  maxAlign: number;
  /** Cap on a `vector_size` type's alignment in bytes, 0 for none (AAPCS: 8, AAPCS64: 16;
   *  clang TargetInfo::MaxVectorAlign). Optional: without it vector types get no layout. */
  maxVectorAlign?: number;
  /** `_Atomic T` with sizeof(T) <= this many bytes is rounded up to a power of two and
   *  aligned to its size (clang MaxAtomicPromoteWidth / 8). Optional: without it _Atomic
   *  types get no layout. */
  maxAtomicPromoteWidth?: number;
  /** Path of the predefined macro file (relative to targets/): the ABI compiler's set. */
  predefinedFile: string;
  /** Every predefined set generated for this target, by compiler (relative to targets/). */
  predefinedFiles: { clang: string; gcc?: string };
  /** Answers for __has_attribute / __has_builtin / __has_feature / __has_extension, from the ABI
   *  compiler. Only non-zero answers are stored: an absent name answers 0. */
  hasAttribute: Record<string, number>;
  hasBuiltin: Record<string, number>;
  hasFeature: Record<string, number>;
  hasExtension: Record<string, number>;
  /** __has_c_attribute answers; keys may be scoped (`gnu::packed`). */
  hasCAttribute: Record<string, number>;
  /** Which `__has_*` / `__is_*` operators the ABI compiler defines (what `#ifdef __has_feature`
   *  answers): gcc 12 has no __has_feature/__has_extension. */
  hasOperators: string[];
  /** Default system include directories, in search order (may be empty). */
  systemIncludes: string[];
}

/** A --target given as a YAML file's path rather than a name under targets/. */
export function isTargetPath(s: string): boolean {
  return s.includes('/') || s.includes('\\') || s.endsWith('.yaml') || s.endsWith('.yml');
}
