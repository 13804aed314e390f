// Rust names for C declarations (tags: tag-names.ts). Keywords become raw identifiers
// (`r#type`), or get a trailing `_` where Rust has no raw form (`self`, `Self`, `super`, `crate`).
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

/** A Rust identifier for a C identifier. */
export function rustIdent(name: string): string {
  if (NO_RAW.has(name) || TAKEN.has(name)) return name + '_';
  return KEYWORDS.has(name) ? `r#${name}` : name;
}

export class RustNames extends TagNames {
  constructor(ir: TranslationUnitIR) {
    super(ir, rustIdent);
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
}
