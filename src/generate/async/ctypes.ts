// Small questions about declared C types that async detection and the generators ask:
// "is this a function pointer", "is this a user-data pointer", following typedefs in the IR.
import type { CType, Param, TranslationUnitIR } from '../../parse/ir.js';
import { typeToC } from '../../parse/c-text.js';

export type FunctionType = Extract<CType, { kind: 'function' }>;

/** Follow typedefs (not through pointers). */
export function stripTypedefs(t: CType, ir: TranslationUnitIR): CType {
  for (let i = 0; i < 64 && t.kind === 'typedef'; i++) {
    const td = Object.prototype.hasOwnProperty.call(ir.typedefs, t.name) ? ir.typedefs[t.name] : undefined;
    if (!td) return t;
    t = td.type;
  }
  return t;
}

/** The typedef names a type goes through, outermost first. */
export function typedefChain(t: CType, ir: TranslationUnitIR): string[] {
  const out: string[] = [];
  for (let i = 0; i < 64 && t.kind === 'typedef'; i++) {
    out.push(t.name);
    const td = Object.prototype.hasOwnProperty.call(ir.typedefs, t.name) ? ir.typedefs[t.name] : undefined;
    if (!td) break;
    t = td.type;
  }
  return out;
}

/** The function type a parameter / field of function-pointer type points to. */
export function functionPointee(t: CType, ir: TranslationUnitIR): FunctionType | null {
  const s = stripTypedefs(t, ir);
  if (s.kind === 'function') return s; // a parameter declared with function type
  if (s.kind !== 'pointer') return null;
  const to = stripTypedefs(s.to, ir);
  return to.kind === 'function' ? to : null;
}

/** The name of the prototype: the typedef of the pointer or of the function type, if any. */
export function prototypeName(t: CType, ir: TranslationUnitIR): string | null {
  if (t.kind === 'typedef') return t.name;
  const s = stripTypedefs(t, ir);
  if (s.kind === 'pointer' && s.to.kind === 'typedef') return s.to.name;
  return null;
}

/** `void *` (any qualifiers) or uintptr_t / intptr_t: what carries user data. */
export function isUserDataType(t: CType, ir: TranslationUnitIR): boolean {
  if (typedefChain(t, ir).some((n) => n === 'uintptr_t' || n === 'intptr_t')) return true;
  const s = stripTypedefs(t, ir);
  return s.kind === 'pointer' && stripTypedefs(s.to, ir).kind === 'void';
}

export function isVoid(t: CType, ir: TranslationUnitIR): boolean {
  return stripTypedefs(t, ir).kind === 'void';
}

export function isSignedInt(t: CType, ir: TranslationUnitIR): boolean {
  const s = stripTypedefs(t, ir);
  return s.kind === 'int' && !s.name.startsWith('unsigned') && s.name !== '_Bool' && s.name !== 'char';
}

export function isInteger(t: CType, ir: TranslationUnitIR): boolean {
  const s = stripTypedefs(t, ir);
  return s.kind === 'int' || s.kind === 'enum';
}

export function isPointer(t: CType, ir: TranslationUnitIR): boolean {
  return stripTypedefs(t, ir).kind === 'pointer';
}

/** `char *` / `const char *`. */
export function isCharPointer(t: CType, ir: TranslationUnitIR): boolean {
  const s = stripTypedefs(t, ir);
  if (s.kind !== 'pointer') return false;
  const to = stripTypedefs(s.to, ir);
  return to.kind === 'int' && (to.name === 'char' || to.name === 'signed char');
}

/** A pointer to bytes: `uint8_t *`, `unsigned char *`, `void *`, `char *` (any constness). */
export function isBytePointer(t: CType, ir: TranslationUnitIR): boolean {
  const s = stripTypedefs(t, ir);
  if (s.kind !== 'pointer') return false;
  const to = stripTypedefs(s.to, ir);
  return to.kind === 'void' || (to.kind === 'int' && (to.name === 'char' || to.name === 'unsigned char' || to.name === 'signed char'));
}

/** size_t / ssize_t or an integer parameter whose name says it is a length. */
export function isLengthParam(p: Param, ir: TranslationUnitIR): boolean {
  if (!isInteger(p.type, ir)) return false;
  if (typedefChain(p.type, ir).some((n) => n === 'size_t' || n === 'ssize_t')) return true;
  return /^(len|length|size|count|n|nbytes|bytes)$/i.test(p.name ?? '') || /_(len|length|size)$/i.test(p.name ?? '');
}

/** The record a parameter passes (by value or through a pointer), if it is one. */
export function passedRecord(t: CType, ir: TranslationUnitIR): number | null {
  let s = stripTypedefs(t, ir);
  if (s.kind === 'pointer') s = stripTypedefs(s.to, ir);
  return s.kind === 'record' ? s.id : null;
}

/** Canonical C spelling with typedefs resolved at the top, for comparing types. */
export function sameType(a: CType, b: CType, ir: TranslationUnitIR): boolean {
  const norm = (t: CType): string => {
    const s = stripTypedefs(t, ir);
    if (s.kind === 'pointer') {
      const to = stripTypedefs(s.to, ir);
      const { quals: _q, ...bare } = to;
      return typeToC(bare as CType, ir) + ' *';
    }
    const { quals: _q, ...bare } = s;
    return typeToC(bare as CType, ir);
  };
  return norm(a) === norm(b);
}
