// The C type a Rust type of the libc crate stands for, as far as its shape decides it: `()` is
// void, `*const T` a pointer to const T, `fn(..)` a function pointer, `Option` of a pointer the
// pointer itself. Two readers walk Rust types this way: the ABI model (rust-abi.ts), which lays
// them out, and the importer (import.ts), which spells them as C prototypes do. They differ only
// in named types and arrays, which each one reads through a RustTypeReader.
import type { CType } from '../../parse/ir.js';
import { typeText, type RType } from './rust-ast.js';

/** Rust's `c_*` aliases and the C base type each one is. */
export const C_KEYWORD_ALIASES: Record<string, CType> = {
  c_char: { kind: 'int', name: 'char' },
  c_schar: { kind: 'int', name: 'signed char' },
  c_uchar: { kind: 'int', name: 'unsigned char' },
  c_short: { kind: 'int', name: 'short' },
  c_ushort: { kind: 'int', name: 'unsigned short' },
  c_int: { kind: 'int', name: 'int' },
  c_uint: { kind: 'int', name: 'unsigned int' },
  c_long: { kind: 'int', name: 'long' },
  c_ulong: { kind: 'int', name: 'unsigned long' },
  c_longlong: { kind: 'int', name: 'long long' },
  c_ulonglong: { kind: 'int', name: 'unsigned long long' },
  c_float: { kind: 'float', name: 'float' },
  c_double: { kind: 'float', name: 'double' },
  c_void: { kind: 'void' },
};

/** The Rust types whose C type is more than their shape, read the caller's way: a path needs
 *  the crate's names (and the target's), an array's length is a constant to evaluate. */
export interface RustTypeReader {
  path(t: Extract<RType, { t: 'path' }>): CType;
  array(t: Extract<RType, { t: 'array' }>): CType;
}

/** What a `fn` type and an extern function item share. */
export interface RustSignature {
  params: RType[];
  ret: RType | null;
  variadic: boolean;
}

/** The C type of a Rust type. Never throws; 'unknown' says why. */
export function cTypeOfRust(t: RType, reader: RustTypeReader): CType {
  switch (t.t) {
    case 'unit':
    case 'never':
      return { kind: 'void' };
    case 'ptr': {
      const to = cTypeOfRust(t.to, reader);
      const pointee = t.mut ? to : { ...to, quals: { ...to.quals, const: true } };
      return { kind: 'pointer', to: pointee as CType };
    }
    case 'array':
      return reader.array(t);
    case 'fn':
      return { kind: 'pointer', to: cFunctionOfRust(t, reader) };
    case 'unknown':
      return { kind: 'unknown', text: t.text, reason: `unsupported Rust type '${t.text}'` };
    case 'path': {
      const last = t.segments[t.segments.length - 1]!;
      if (last === 'Option' && t.generics.length === 1) {
        // Option<fn> and Option<&T> are nullable pointers with the pointer's layout.
        const inner = t.generics[0]!;
        if (inner.t === 'fn' || inner.t === 'ptr') return cTypeOfRust(inner, reader);
        return { kind: 'unknown', text: typeText(t), reason: `Option<${typeText(inner)}> has no C equivalent` };
      }
      return reader.path(t);
    }
  }
}

/** The C function type of a Rust signature, always prototyped. */
export function cFunctionOfRust(sig: RustSignature, reader: RustTypeReader): Extract<CType, { kind: 'function' }> {
  // The return type first: reading a type can register it in the ABI model, and the order
  // decides the names and record ids it gets.
  return {
    kind: 'function',
    ret: sig.ret ? cTypeOfRust(sig.ret, reader) : { kind: 'void' },
    params: sig.params.map((p) => ({ name: null, type: cTypeOfRust(p, reader) })),
    variadic: sig.variadic,
    prototyped: true,
  };
}
