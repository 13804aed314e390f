// The target-libc profile: what a binding layer (e.g. Rust's libc crate for one target)
// assumes about the C ABI. Written as YAML under targets/profiles/ (targets/profiles/SCHEMA.md),
// loaded by profile-load.ts, produced by profile-extract.ts (from an ABI model) and by the Rust
// libc importer (src/check/rust-libc), checked against an AbiModel by check.ts.
//
// Every expectation is optional: an item with no keys only asks that the item exists.

/** Keys every item may carry. `ignore` wins over `optional`. */
export interface ProfileItemControl {
  /** The item may be absent from the headers (absence is a warning, not an error). */
  optional?: boolean;
  /** Never check this item; the string says why. */
  ignore?: string;
  /** The binding's own name for the item, when it differs (Rust importer). */
  rustName?: string;
}

export interface ProfileField {
  /** Byte offset (what offsetof answers). */
  offset?: number;
  /** Bit offset from the start of the record (for bit-fields, or in addition to `offset`). */
  offsetBits?: number;
  /** Width in bits (bit-field width; 8 * sizeof for ordinary members). */
  sizeBits?: number;
}

export interface ProfileType extends ProfileItemControl {
  size?: number;
  align?: number;
  /** Keyed by C access name. */
  fields?: Record<string, ProfileField>;
  /** C spellings to try in order ("X", "struct X", "union X"); without it, the item's key. */
  candidates?: string[];
  /** For a typedef name: the C type the binding defines it as (`unsigned int`, `void (*)(int)`).
   *  The profile's prototypes are read through it where the headers do not define the name;
   *  the type itself is compared by size and alignment. */
  aliasOf?: string;
}

export interface ProfileConstant extends ProfileItemControl {
  /** Decimal, so 64-bit values survive; the loader normalises integers to this form. */
  value?: string;
  /** The C type the binding gives the constant. Informational: used by probes, not compared. */
  type?: string;
}

export interface ProfileInitializer extends ProfileItemControl {
  /** The C type the initializer initialises (e.g. pthread_mutex_t). Used by probes. */
  type?: string;
  /** Object image, lowercase hex, no spaces. */
  bytes?: string;
}

export interface ProfileFunction extends ProfileItemControl {
  /** A C prototype without parameter names: `int open(const char *, int, ...)`. */
  signature?: string;
}

export interface ProfileUnresolved {
  item: string;
  reason: string;
}

export interface Profile {
  name: string;
  description: string;
  /** A target name from targets/*.yaml. */
  target: string;
  /** Keyed by C spelling ("struct stat", "pthread_mutex_t"). */
  types: Record<string, ProfileType>;
  constants: Record<string, ProfileConstant>;
  initializers: Record<string, ProfileInitializer>;
  functions: Record<string, ProfileFunction>;
  /** What the producer of the profile could not resolve (reported as findings of kind 'unresolved'). */
  unresolved: ProfileUnresolved[];
  /** Set by the loader, never rendered: where each item is stated in the YAML, as file:line:col.
   *  Keys: `types/<key>`, `types/<key>/fields/<field>`, `constants/<key>`, `initializers/<key>`,
   *  `functions/<key>`, `unresolved/<index>`. */
  source?: { file: string; locs: Record<string, string> };
}

export type ProfileSection = 'types' | 'constants' | 'initializers' | 'functions';

export function emptyProfile(name: string, target: string, description = ''): Profile {
  return { name, description, target, types: {}, constants: {}, initializers: {}, functions: {}, unresolved: [] };
}
