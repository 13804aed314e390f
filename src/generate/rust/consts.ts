// `portabi gen rust`, constants: integer macros with the Rust type of their C type on the
// target, floating and string macros, and initializer macros as `const` values built from
// portabi's byte images (a `transmute` of the exact bytes, so the compiler checks the size).
import type { AbiModel, Provenance } from '../../abi/model.js';
import type { CType, IntKind } from '../../parse/ir.js';
import { rustIdent } from './names.js';
import type { RustItems } from './types.js';

const INT_KINDS = new Set<string>([
  '_Bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int', 'long', 'unsigned long',
  'long long', 'unsigned long long', '__int128', 'unsigned __int128',
]);

function parseLoc(loc: string): { file: string; line: number; col: number } | null {
  const m = /^(.*):(\d+):(\d+)$/.exec(loc);
  return m ? { file: m[1]!, line: Number(m[2]), col: Number(m[3]) } : null;
}

/** Doc lines for a definition's provenance: location, macro chain, the `#if`s that chose it. */
export function provenanceDoc(items: RustItems, what: string, loc: string, why: Provenance | undefined): string[] {
  const l = parseLoc(loc);
  const out = [`/// ${what} — ${l ? items.loc(l) : loc}`];
  const chain = (why?.chain ?? []).map((s) => s.macro);
  if (chain.length > 1) out.push(`/// expands through ${chain.map((c) => `\`${c}\``).join(' → ')}`);
  for (const c of why?.conditions ?? []) {
    const cl = parseLoc(c.loc);
    const tested = c.tested.map((t) => `${t.name}=${t.value ?? 'undefined'}`).join(', ');
    out.push(`/// selected by \`${c.text}\` (#${c.directive} at ${cl ? items.loc(cl) : c.loc}${tested ? `; ${tested}` : ''})`);
  }
  return out;
}

/** C string literal spelling(s) → bytes, or null for wide / unknown forms. */
export function cStringBytes(spelling: string): number[] | null {
  const out: number[] = [];
  const re = /\s*(u8)?"((?:[^"\\]|\\.)*)"/y;
  let pos = 0;
  while (pos < spelling.length) {
    if (/^\s*$/.test(spelling.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(spelling);
    if (!m) return null;
    pos = re.lastIndex;
    const body = m[2]!;
    for (let i = 0; i < body.length; i++) {
      const ch = body[i]!;
      if (ch !== '\\') {
        for (const b of Buffer.from(ch, 'utf8')) out.push(b);
        continue;
      }
      const n = body[++i]!;
      const simple: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, '\\': 92, "'": 39, '"': 34, '?': 63, e: 27 };
      if (n in simple) out.push(simple[n]!);
      else if (/[0-7]/.test(n)) {
        let v = 0;
        let k = 0;
        while (k < 3 && /[0-7]/.test(body[i] ?? '')) v = v * 8 + Number(body[i++]), k++;
        i--;
        out.push(v & 0xff);
      } else if (n === 'x') {
        let v = 0;
        while (/[0-9a-fA-F]/.test(body[i + 1] ?? '')) v = (v * 16 + parseInt(body[++i]!, 16)) & 0xff;
        out.push(v);
      } else return null;
    }
  }
  return out;
}

function rustByteString(bytes: number[], prefix: 'c' | 'b'): string {
  let s = '';
  for (const b of bytes) {
    if (b === 0x22) s += '\\"';
    else if (b === 0x5c) s += '\\\\';
    else if (b >= 0x20 && b < 0x7f) s += String.fromCharCode(b);
    else s += `\\x${b.toString(16).padStart(2, '0')}`;
  }
  return `${prefix}"${s}"`;
}

function floatLiteral(text: string, ty: 'f32' | 'f64'): string | null {
  if (text === 'nan') return `${ty}::NAN`;
  if (text === 'inf') return `${ty}::INFINITY`;
  if (text === '-inf') return `${ty}::NEG_INFINITY`;
  if (!/^-?\d+(\.\d+)?(e[-+]?\d+)?$/i.test(text)) return null;
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/** The Rust type named by a C type spelling of the model (a typedef name or `struct|union tag`). */
function typeOfSpelling(items: RustItems, spelling: string): CType | null {
  const ir = items.ir;
  if (Object.prototype.hasOwnProperty.call(ir.typedefs, spelling)) return { kind: 'typedef', name: spelling };
  const m = /^(struct|union|enum) (\w+)$/.exec(spelling);
  if (m) {
    const id = m[1] === 'enum' ? ir.tags.enum[m[2]!] : ir.tags[m[1] as 'struct' | 'union'][m[2]!];
    if (id === undefined) return null;
    return m[1] === 'enum' ? { kind: 'enum', id } : { kind: 'record', id };
  }
  if (INT_KINDS.has(spelling)) return { kind: 'int', name: spelling as IntKind };
  return null;
}

/** Why an initializer's bytes are no valid value of the Rust type of `t` (a transmute in a
 *  constant would fail to evaluate, E0080), or null: a non-null function pointer (Rust's
 *  `Option<fn>` holds no address known before linking) or a `bool` other than 0 / 1. */
export function invalidForRust(items: RustItems, t: CType, hex: string, at = 0, depth = 0): string | null {
  const ir = items.ir;
  const byte = (i: number): number => parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  let s: CType = t;
  for (let i = 0; i < 64 && s.kind === 'typedef'; i++) {
    const td = Object.prototype.hasOwnProperty.call(ir.typedefs, s.name) ? ir.typedefs[s.name] : undefined;
    if (!td) return null;
    s = td.type;
  }
  if (depth > 32) return null;
  const l = items.ctx.layoutOf(s);
  if (!l.complete) return null;
  switch (s.kind) {
    case 'pointer': {
      let to: CType = s.to;
      for (let i = 0; i < 64 && to.kind === 'typedef'; i++) {
        const td = ir.typedefs[to.name];
        if (!td) break;
        to = td.type;
      }
      if (to.kind !== 'function') return null;
      for (let i = 0; i < l.size; i++) if (byte(at + i) !== 0) return `a non-null function pointer at offset ${at}`;
      return null;
    }
    case 'int':
      if (s.name === '_Bool' && byte(at) > 1) return `a _Bool of ${byte(at)} at offset ${at}`;
      return null;
    case 'array': {
      const el = items.ctx.layoutOf(s.of);
      if (!el.complete || el.size === 0) return null;
      for (let k = 0; k * el.size < l.size; k++) {
        const w = invalidForRust(items, s.of, hex, at + k * el.size, depth + 1);
        if (w) return w;
      }
      return null;
    }
    case 'record': {
      // A union's bytes are valid for the Rust union whatever member they are (no check).
      if (!l.record || ir.records[s.id]?.tag === 'union') return null;
      const walk = (fields: NonNullable<typeof l.record>['fields'], base: number): string | null => {
        for (const f of fields) {
          if (f.bitField) continue;
          const off = base + f.offsetBits / 8;
          const w = f.anonymous ? walk(f.anonymous.fields, off) : invalidForRust(items, f.type, hex, off, depth + 1);
          if (w) return w;
        }
        return null;
      };
      return walk(l.record.fields, at);
    }
    default:
      return null;
  }
}

export interface ConstantsOut {
  constants: string[];
  initializers: string[];
}

/** Constants and initializers of the user's headers (enumerators are the enums' business). */
export function emitConstants(items: RustItems, model: AbiModel, isUser: (loc: string) => boolean): ConstantsOut {
  const constants: string[] = [];
  for (const [name, c] of Object.entries(model.constants)) {
    if (c.source !== 'macro' || !isUser(c.loc) || !/^[A-Za-z_]\w*$/.test(name)) continue;
    if (!INT_KINDS.has(c.type)) {
      constants.push(`// ${name}: not emitted (a ${c.type} constant)`);
      continue;
    }
    if (!items.values.claim(rustIdent(name))) {
      // `#define SHUT_RD SHUT_RD` after `enum { SHUT_RD = 0 }` (glibc): the enumerator is it.
      constants.push(`// ${name}: \`#define ${name}\` (= ${c.value}) not emitted again, the name is taken in the module`);
      continue;
    }
    const ty = items.intType(c.type as IntKind);
    const value = ty === 'bool' ? (c.value === '0' ? 'false' : 'true') : c.value;
    constants.push([...provenanceDoc(items, `\`#define ${name}\` (\`${c.type}\`)`, c.loc, c.why), `pub const ${rustIdent(name)}: ${ty} = ${value};`].join('\n'));
  }
  for (const [name, m] of Object.entries(model.macros)) {
    if (!isUser(m.loc) || m.detail === undefined || !/^[A-Za-z_]\w*$/.test(name)) continue;
    if ((m.class === 'string' || m.class === 'floating') && !items.values.claim(rustIdent(name))) {
      constants.push(`// ${name}: not emitted, the name is taken in the module`);
      continue;
    }
    if (m.class === 'string') {
      const bytes = cStringBytes(m.detail);
      if (!bytes) {
        constants.push(`// ${name}: not emitted (string literal ${m.detail} is not a narrow string)`);
        continue;
      }
      const doc = provenanceDoc(items, `\`#define ${name}\` (string)`, m.loc, undefined);
      if (bytes.includes(0)) constants.push([...doc, `pub const ${rustIdent(name)}: &[u8] = ${rustByteString(bytes, 'b')};`].join('\n'));
      else constants.push([...doc, `pub const ${rustIdent(name)}: &core::ffi::CStr = ${rustByteString(bytes, 'c')};`].join('\n'));
    } else if (m.class === 'floating') {
      const fm = /^(\S+)(?: \((float|long double)\))?$/.exec(m.detail);
      if (!fm || fm[2] === 'long double') {
        constants.push(`// ${name}: not emitted (${m.detail}: Rust has no long double)`);
        continue;
      }
      const ty = fm[2] === 'float' ? 'f32' : 'f64';
      const lit = floatLiteral(fm[1]!, ty);
      if (!lit) continue;
      constants.push([...provenanceDoc(items, `\`#define ${name}\` (\`${fm[2] ?? 'double'}\`)`, m.loc, undefined), `pub const ${rustIdent(name)}: ${ty} = ${lit};`].join('\n'));
    }
  }
  const initializers: string[] = [];
  for (const [name, init] of Object.entries(model.initializers)) {
    if (!isUser(init.loc) || !/^[A-Za-z_]\w*$/.test(name)) continue;
    if (!items.values.claim(rustIdent(name))) {
      initializers.push(`// ${name}: not emitted, the name is taken in the module`);
      continue;
    }
    const ct = typeOfSpelling(items, init.type);
    const rt = ct ? items.rust(ct) : null;
    const n = init.bytes.length / 2;
    const bytes = Array.from({ length: n }, (_, i) => `0x${init.bytes.slice(2 * i, 2 * i + 2)}`);
    const doc = provenanceDoc(items, `\`#define ${name}\`: the initializer's ${n} bytes as \`${init.type}\` on ${items.ctx.target.name}, computed by portabi`, init.loc, init.why);
    const invalid = ct && typeof rt === 'string' ? invalidForRust(items, ct, init.bytes) : null;
    if (invalid) {
      initializers.push([...doc, `/// (as raw bytes: ${invalid}, which no constant of the Rust type can hold)`, `pub const ${rustIdent(name)}: [u8; ${n}] = [${bytes.join(', ')}];`].join('\n'));
      continue;
    }
    if (!rt || typeof rt !== 'string') {
      initializers.push([...doc, `/// (type \`${init.type}\` has no Rust type here: raw bytes)`, `pub const ${rustIdent(name)}: [u8; ${n}] = [${bytes.join(', ')}];`].join('\n'));
      continue;
    }
    initializers.push(
      [
        ...doc,
        `pub const ${rustIdent(name)}: ${rt} =`,
        `    // SAFETY: the bytes are the target's image of a valid \`${init.type}\`; transmute checks the size.`,
        `    unsafe { core::mem::transmute::<[u8; ${n}], ${rt}>([${bytes.join(', ')}]) };`,
      ].join('\n'),
    );
  }
  return { constants, initializers };
}
