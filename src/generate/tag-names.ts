// Names in the generated language for C tags. C has separate namespaces for tags and ordinary
// identifiers; TypeScript and Rust have one for types, so a tag that collides with a different
// typedef becomes `struct_<tag>`, and an anonymous record or enum takes the name of the typedef
// that names it (or of the field that holds it). Each generator says how a C name becomes an
// identifier of its language (keywords, names the generated module defines).
import type { CType, TranslationUnitIR } from '../parse/ir.js';
import { stripTypedefs } from './async/ctypes.js';

export class TagNames {
  private readonly recordNames = new Map<number, string>();
  private readonly enumNames = new Map<number, string>();

  /**
   * `ident` makes a name of the target language from a tag-derived name; `typedefIdent`, from
   * the name of a typedef that names an anonymous record or enum.
   */
  constructor(
    protected readonly ir: TranslationUnitIR,
    private readonly ident: (name: string) => string,
    typedefIdent: (name: string) => string = ident,
  ) {
    for (const td of Object.values(ir.typedefs)) {
      const t = td.type;
      if (t.kind === 'record' && !ir.records[t.id]?.name && !this.recordNames.has(t.id)) this.recordNames.set(t.id, typedefIdent(td.name));
      if (t.kind === 'enum' && !ir.enums[t.id]?.name && !this.enumNames.has(t.id)) this.enumNames.set(t.id, typedefIdent(td.name));
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
    const name = this.ident(r.name ? this.tagName(r.tag, r.name, { kind: 'record', id }) : `${r.tag}_anon${id}`);
    this.recordNames.set(id, name);
    return name;
  }

  enumName(id: number): string {
    const hit = this.enumNames.get(id);
    if (hit) return hit;
    const e = this.ir.enums[id]!;
    const name = this.ident(e.name ? this.tagName('enum', e.name, { kind: 'enum', id }) : `enum_anon${id}`);
    this.enumNames.set(id, name);
    return name;
  }

  /** Name an anonymous record after the field holding it. */
  nameAnonymous(id: number, name: string): void {
    if (!this.recordNames.has(id)) this.recordNames.set(id, name);
  }

  /** `name` when no typedef of that name denotes a different type, else `<tag>_<name>`. */
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
