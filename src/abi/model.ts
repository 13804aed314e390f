// The ABI model: the one contract between computing an ABI and everything that uses it
// (dump, check, diff, generate). Serialised as JSON/YAML by `portabi dump`; the keys below are
// a documented, versioned contract (docs/abi-model.md). Bump SCHEMA_VERSION on any change
// that removes or re-means a key.

export const SCHEMA_VERSION = 1;

export interface MacroStepJson {
  macro: string;
  loc: string; // file:line:col of the definition
}

export interface Provenance {
  loc: string; // file:line:col of the definition
  /** Macro expansion chain, outermost first. */
  chain?: MacroStepJson[];
  /** The #if branches that selected the definition, outermost first. */
  conditions?: { directive: string; text: string; loc: string; tested: { name: string; value: string | null }[] }[];
}

export interface FieldEntry {
  /** C access name; members of anonymous struct/union members are listed under their own names. */
  name: string;
  offsetBits: number;
  sizeBits: number;
  bitField: boolean;
  type: string; // C spelling of the declared type
  /** A named member whose type is an untagged struct/union (`union { … } ifr_ifrn;`, spelled
   *  `union <anonymous>`, so not in `types`): that type's fields, offsets relative to the member. */
  fields?: FieldEntry[];
}

export interface TypeEntry {
  kind: 'struct' | 'union' | 'enum' | 'typedef' | 'scalar' | 'pointer' | 'array' | 'function';
  /** null when incomplete (never guessed). */
  size: number | null;
  align: number | null;
  complete: boolean;
  fields?: FieldEntry[];
  /** For typedefs: the C spelling of the aliased type. */
  aliasOf?: string;
  /** For enums: the underlying integer type. */
  underlying?: string;
  loc: string;
  why?: Provenance;
}

export type MacroClass = 'integer' | 'floating' | 'string' | 'initializer' | 'type' | 'empty' | 'not-constant';

export interface ConstantEntry {
  value: string; // decimal, so 64-bit values survive JSON
  type: string; // C type of the value, e.g. 'int', 'unsigned long'
  loc: string;
  source: 'macro' | 'enumerator';
  why?: Provenance;
}

export interface InitializerEntry {
  type: string;
  bytes: string; // lowercase hex, no spaces
  loc: string;
  why?: Provenance;
}

export interface FunctionEntry {
  signature: string;
  loc: string;
  /** 'internal' for a `static` function (no symbol to bind; clang's overloadable tgmath
   *  `__tg_*` are such); absent for external linkage. */
  linkage?: 'internal';
}

export interface MacroEntry {
  class: MacroClass;
  /** For 'not-constant': why not. For 'floating'/'string'/'type': the value or spelling. For an
   *  'initializer' without bytes: why, and its expansion. */
  detail?: string;
  /** A 'not-constant' macro that names a member path (`#define st_atime st_atim.tv_sec`): the
   *  path, so a field the headers spell through a macro can be found (check). */
  member?: string;
  loc: string;
}

export interface AbiModel {
  schemaVersion: number;
  target: string;
  types: Record<string, TypeEntry>;
  constants: Record<string, ConstantEntry>;
  initializers: Record<string, InitializerEntry>;
  functions: Record<string, FunctionEntry>;
  /** Classification of every object-like macro. */
  macros: Record<string, MacroEntry>;
  diagnostics: string[];
}
