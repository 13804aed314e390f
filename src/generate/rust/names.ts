// Rust names for C declarations. C has separate namespaces for tags and ordinary identifiers;
// Rust has one for types, so a tag that collides with a different typedef becomes
// `struct_<tag>`. Keywords become raw identifiers (`r#type`), or get a trailing `_` where Rust
// has no raw form (`self`, `Self`, `super`, `crate`).
import type { CType, TranslationUnitIR } from '../../parse/ir.js';
import { stripTypedefs } from '../async/ctypes.js';

const KEYWORDS = new Set(
  (
    'as break const continue else enum extern false fn for if impl in let loop match mod move mut pub ref return static struct trait true ' +
    'type unsafe use where while async await dyn abstract become box do final macro override priv typeof unsized virtual yield try gen'
  ).split(' '),
);
const NO_RAW = new Set(['self', 'Self', 'super', 'crate', '_']);
/** Names the generated module itself defines. */
const TAKEN = new Set(['portabi_rt', 'PORTABI_REGISTRY', 'portabi_async_stats']);

/** A Rust identifier for a C identifier. */
export function rustIdent(name: string): string {
  if (NO_RAW.has(name) || TAKEN.has(name)) return name + '_';
  return KEYWORDS.has(name) ? `r#${name}` : name;
}

export class RustNames {
  private readonly recordNames = new Map<number, string>();
  private readonly enumNames = new Map<number, string>();

  constructor(private readonly ir: TranslationUnitIR) {
    // A typedef naming an anonymous record / enum gives it its name.
    for (const td of Object.values(ir.typedefs)) {
      const t = td.type;
      if (t.kind === 'record' && !ir.records[t.id]?.name && !this.recordNames.has(t.id)) this.recordNames.set(t.id, rustIdent(td.name));
      if (t.kind === 'enum' && !ir.enums[t.id]?.name && !this.enumNames.has(t.id)) this.enumNames.set(t.id, rustIdent(td.name));
    }
  }

  /** The canonical record id for a tag (the complete declaration, if any). */
  recordId(id: number): number {
    const r = this.ir.records[id];
    if (r && r.name) {
      const full = this.ir.tags[r.tag][r.name];
      if (full !== undefined) return full;
    }
    return id;
  }

  record(id: number): string {
    id = this.recordId(id);
    const hit = this.recordNames.get(id);
    if (hit) return hit;
    const r = this.ir.records[id]!;
    const name = rustIdent(r.name ? this.tagName(r.tag, r.name, { kind: 'record', id }) : `${r.tag}_anon${id}`);
    this.recordNames.set(id, name);
    return name;
  }

  enumName(id: number): string {
    const hit = this.enumNames.get(id);
    if (hit) return hit;
    const e = this.ir.enums[id]!;
    const name = rustIdent(e.name ? this.tagName('enum', e.name, { kind: 'enum', id }) : `enum_anon${id}`);
    this.enumNames.set(id, name);
    return name;
  }

  /** Name an anonymous record after the field holding it. */
  nameAnonymous(id: number, name: string): void {
    if (!this.recordNames.has(id)) this.recordNames.set(id, name);
  }

  /** Whether the typedef `name` is the record / enum the Rust type of the same name already is. */
  typedefIsTag(name: string): boolean {
    const td = this.ir.typedefs[name];
    if (!td) return false;
    const s = stripTypedefs(td.type, this.ir);
    const rn = rustIdent(name);
    if (td.type.kind === 'record' || td.type.kind === 'enum') {
      return s.kind === 'record' ? this.record(s.id) === rn : s.kind === 'enum' ? this.enumName(s.id) === rn : false;
    }
    return false;
  }

  private tagName(tag: string, name: string, self: CType): string {
    const td = Object.prototype.hasOwnProperty.call(this.ir.typedefs, name) ? this.ir.typedefs[name] : undefined;
    if (!td) return name;
    const s = stripTypedefs(td.type, this.ir);
    const same =
      (self.kind === 'record' && s.kind === 'record' && this.recordId(s.id) === this.recordId(self.id)) ||
      (self.kind === 'enum' && s.kind === 'enum' && s.id === self.id);
    return same ? name : `${tag}_${name}`;
  }
}
