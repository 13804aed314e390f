// TypeScript names for C declarations: tags, typedefs, prototypes, parameters. C has separate
// namespaces for tags and ordinary identifiers; TypeScript does not, so a tag that collides
// with a different typedef becomes `struct_<tag>`.
import type { CType, TranslationUnitIR } from '../../parse/ir.js';
import { stripTypedefs } from '../async/ctypes.js';

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package ' +
    'private protected public await arguments eval undefined NaN Infinity any number string boolean bigint symbol never unknown object ' +
    'koffi load Library'
  ).split(' '),
);

export function safeIdent(name: string): string {
  return RESERVED.has(name) ? name + '_' : name;
}

export class TsNames {
  private readonly recordNames = new Map<number, string>();
  private readonly enumNames = new Map<number, string>();

  constructor(private readonly ir: TranslationUnitIR) {
    // Typedefs naming an anonymous record / enum give it their name.
    for (const td of Object.values(ir.typedefs)) {
      const t = td.type;
      if (t.kind === 'record' && !ir.records[t.id]?.name && !this.recordNames.has(t.id)) this.recordNames.set(t.id, td.name);
      if (t.kind === 'enum' && !ir.enums[t.id]?.name && !this.enumNames.has(t.id)) this.enumNames.set(t.id, td.name);
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
    let name = r.name ? this.tagName(r.tag, r.name, { kind: 'record', id }) : `${r.tag}_anon${id}`;
    name = safeIdent(name);
    this.recordNames.set(id, name);
    return name;
  }

  enumName(id: number): string {
    const hit = this.enumNames.get(id);
    if (hit) return hit;
    const e = this.ir.enums[id]!;
    const name = safeIdent(e.name ? this.tagName('enum', e.name, { kind: 'enum', id }) : `enum_anon${id}`);
    this.enumNames.set(id, name);
    return name;
  }

  /** Name an anonymous record after the field holding it. */
  nameAnonymous(id: number, name: string): void {
    if (!this.recordNames.has(id)) this.recordNames.set(id, name);
  }

  private tagName(tag: string, name: string, self: CType): string {
    const td = Object.prototype.hasOwnProperty.call(this.ir.typedefs, name) ? this.ir.typedefs[name] : undefined;
    if (!td) return name;
    const s = stripTypedefs(td.type, this.ir);
    const same =
      (self.kind === 'record' && s.kind === 'record' && this.recordIdNoName(s.id) === this.recordIdNoName(self.id)) ||
      (self.kind === 'enum' && s.kind === 'enum' && s.id === self.id);
    return same ? name : `${tag}_${name}`;
  }

  private recordIdNoName(id: number): number {
    const r = this.ir.records[id];
    if (r && r.name) return this.ir.tags[r.tag][r.name] ?? id;
    return id;
  }
}
