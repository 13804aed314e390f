// Rust names for C declarations (tags: tag-names.ts). Keywords become raw identifiers
// (`r#type`), or get a trailing `_` where Rust has no raw form (`self`, `Self`, `super`, `crate`).
// Rust's primitive type names (`u8`, `bool`, ...) are ordinary identifiers that an item of the
// module would shadow, so no generated type takes one. `NameSet` hands out names that are
// unique in one namespace (a record's fields, a record's methods, the module's values).
import type { TranslationUnitIR } from '../../parse/ir.js';
import { stripTypedefs } from '../async/ctypes.js';
import { TagNames } from '../tag-names.js';

const KEYWORDS = new Set(
  (
    'as break const continue else enum extern false fn for if impl in let loop match mod move mut pub ref return static struct trait true ' +
    'type unsafe use where while async await dyn abstract become box do final macro override priv typeof unsized virtual yield try gen'
  ).split(' '),
);
const NO_RAW = new Set(['self', 'Self', 'super', 'crate', '_']);
/** Names the generated module itself defines. */
const TAKEN = new Set(['portabi_rt', 'PORTABI_REGISTRY', 'portabi_async_stats']);
/** Rust's primitive types: names in the type namespace that a module item would shadow. */
export const PRIMITIVES = new Set(['u8', 'u16', 'u32', 'u64', 'u128', 'i8', 'i16', 'i32', 'i64', 'i128', 'f32', 'f64', 'bool', 'char', 'usize', 'isize', 'str']);

/** A Rust identifier for a C identifier. */
export function rustIdent(name: string): string {
  if (NO_RAW.has(name) || TAKEN.has(name)) return name + '_';
  return KEYWORDS.has(name) ? `r#${name}` : name;
}

/** Type names the generated module's paths start with (`core::mem::...`). */
const PATH_ROOTS = new Set(['core']);

/** A Rust type name for a C name: a primitive's name or a path root gets a trailing `_`. */
export function rustTypeIdent(name: string): string {
  return PRIMITIVES.has(name) || PATH_ROOTS.has(name) ? name + '_' : rustIdent(name);
}

/** `name` without a raw-identifier prefix (what the symbol or the accessor suffix spells). */
export const plainIdent = (name: string): string => name.replace(/^r#/, '');

/** Unique names in one namespace: a taken name gets `_` appended until it is free. */
export class NameSet {
  private readonly used = new Set<string>();
  constructor(reserved: Iterable<string> = []) {
    for (const r of reserved) this.used.add(plainIdent(r));
  }
  has(name: string): boolean {
    return this.used.has(plainIdent(name));
  }
  /** Claims `name`, or the first free `name_`, `name__`, ... */
  take(name: string): string {
    let n = name;
    while (this.used.has(plainIdent(n))) n = `${n}_`;
    this.used.add(plainIdent(n));
    return n;
  }
  /** Claims `name` if free; false when it is taken. */
  claim(name: string): boolean {
    if (this.used.has(plainIdent(name))) return false;
    this.used.add(plainIdent(name));
    return true;
  }
}

export class RustNames extends TagNames {
  /** Every name of the module's type namespace handed out for an anonymous record, plus the
   *  C names that may become type names (tags, typedefs) and the module's own. */
  private readonly typeNames: NameSet;

  constructor(ir: TranslationUnitIR) {
    super(ir, rustTypeIdent);
    this.typeNames = new NameSet([...PRIMITIVES, ...PATH_ROOTS, ...TAKEN, ...Object.keys(ir.typedefs), ...Object.keys(ir.tags.struct), ...Object.keys(ir.tags.union), ...Object.keys(ir.tags.enum)]);
  }

  private readonly namedAnon = new Set<number>();

  /** An anonymous record named after the field holding it, unless that name is taken (by a
   *  tag, a typedef, a primitive or another anonymous record). */
  override nameAnonymous(id: number, name: string): void {
    if (this.namedAnon.has(id)) return;
    this.namedAnon.add(id);
    super.nameAnonymous(id, this.typeNames.take(name));
  }

  override record(id: number): string {
    const n = super.record(id);
    this.typeNames.claim(n);
    return n;
  }

  override enumName(id: number): string {
    const n = super.enumName(id);
    this.typeNames.claim(n);
    return n;
  }

  /** A type name of the module's own (async wrapper types): `candidate`, or `candidate_`... when
   *  a C tag, typedef or another generated type has it. Call once per item. */
  typeName(candidate: string): string {
    return this.typeNames.take(candidate);
  }

  /** Whether the typedef `name` is the record / enum the Rust type of the same name already is. */
  typedefIsTag(name: string): boolean {
    const td = this.ir.typedefs[name];
    if (!td) return false;
    const s = stripTypedefs(td.type, this.ir);
    const rn = rustTypeIdent(name);
    if (td.type.kind === 'record' || td.type.kind === 'enum') {
      return s.kind === 'record' ? this.record(s.id) === rn : s.kind === 'enum' ? this.enumName(s.id) === rn : false;
    }
    return false;
  }
}
