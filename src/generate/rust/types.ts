// `portabi gen rust`, items: the Rust type of every C type, `#[repr(C)]` structs and unions
// whose layout equals portabi's (explicit padding, `packed(N)` / `align(N)` where needed, byte
// storage with accessors for bit-fields and for members Rust cannot place), enums as typed
// constants or newtypes, typedefs, and the `extern "C"` block.
import { relative } from 'node:path';
import type { AbiContext, FieldLayout, RecordLayout } from '../../abi/context.js';
import { enumValues } from '../../abi/enum-values.js';
import type { Loc } from '../../parse/diagnostics.js';
import type { CType, FunctionDecl, IntKind, TranslationUnitIR } from '../../parse/ir.js';
import { typeToC } from '../../parse/c-text.js';
import { functionPointee, stripTypedefs, typedefChain, type FunctionType } from '../async/ctypes.js';
import type { EnumCheck } from './asserts.js';
import { NameSet, PRIMITIVES, RustNames, plainIdent, rustIdent, rustTypeIdent } from './names.js';

export type Unsupported = { unsupported: string };

export interface RustItemsOptions {
  ir: TranslationUnitIR;
  ctx: AbiContext;
  isUserLoc: (loc: Loc) => boolean;
  relativeTo: string;
  /** Enums emitted as `#[repr(transparent)]` newtypes: true for all, or C names. */
  newtypeEnums: boolean | string[];
}

/** What the layout assertions check for one record (expected numbers are portabi's). */
export interface RecordCheck {
  rust: string;
  /** C spelling for sizeof/offsetof (null for an anonymous record without a C name). */
  c: string | null;
  size: number;
  align: number;
  fields: { rust: string; c: string | null; offset: number }[];
}

interface Member {
  /** Rust field name. */
  name: string;
  rust: string;
  offset: number;
  size: number;
  align: number;
  /** C member name for offsetof, when there is one. */
  c: string | null;
  /** Accessor methods to emit for this member (byte storage). */
  storage?: 'bits' | 'bytes';
  /** The Rust type a `bytes` member stands for. */
  orig?: string;
  /** Padding the plan added (named once the plan is chosen). */
  pad?: boolean;
  /** The member's Rust type has (or holds by value) a `#[repr(align(N))]` type, which a
   *  `packed` type may not contain (E0588). */
  alignRepr?: boolean;
}

const pad = (s: string, n: number): string => s.split('\n').map((l) => (l ? ' '.repeat(n) + l : l)).join('\n');

export class RustItems {
  readonly names: RustNames;
  readonly ir: TranslationUnitIR;
  readonly ctx: AbiContext;
  /** Emitted type items, in order (each a block of text). */
  readonly typeItems: string[] = [];
  readonly enumItems: string[] = [];
  readonly checks: RecordCheck[] = [];
  readonly enumChecks: EnumCheck[] = [];
  readonly problems: string[] = [];
  private readonly doneRecords = new Set<number>();
  private readonly doneEnums = new Set<number>();
  private readonly doneTypedefs = new Set<string>();
  /** Typedefs named like a Rust primitive: no alias (it would shadow the primitive), uses are
   *  spelled as the type they stand for. */
  private readonly inlinedTypedefs = new Set<string>();
  /** Records whose Rust type has or holds a `#[repr(align(N))]` type. */
  private readonly alignReprRecords = new Set<number>();
  /** The module's value namespace (constants, enumerators, functions, statics). */
  readonly values = new NameSet(['PORTABI_REGISTRY', 'portabi_async_stats']);

  constructor(readonly opts: RustItemsOptions) {
    this.ir = opts.ir;
    this.ctx = opts.ctx;
    this.names = new RustNames(opts.ir);
  }

  loc(l: Loc): string {
    const f = relative(this.opts.relativeTo, l.file) || l.file;
    return `${f.split('\\').join('/')}:${l.line}`;
  }

  /** Rust integer type for a C integer kind on the target. */
  intType(name: IntKind): string {
    if (name === '_Bool') return 'bool';
    const l = this.ctx.target.scalars[name];
    const bits = (l?.size ?? 4) * 8;
    const unsigned = name.startsWith('unsigned') || (name === 'char' && !this.ctx.target.charSigned);
    return `${unsigned ? 'u' : 'i'}${bits}`;
  }

  /** size_t & co. become usize / isize when they are pointer-sized. */
  private sizeLike(t: CType): string | null {
    const chain = typedefChain(t, this.ir);
    const ptr = this.ctx.target.scalars.pointer.size;
    const s = stripTypedefs(t, this.ir);
    if (s.kind !== 'int' || this.ctx.target.scalars[s.name]?.size !== ptr) return null;
    if (chain.some((n) => n === 'size_t' || n === 'uintptr_t')) return 'usize';
    if (chain.some((n) => n === 'ssize_t' || n === 'intptr_t' || n === 'ptrdiff_t')) return 'isize';
    return null;
  }

  isNewtype(id: number): boolean {
    const n = this.opts.newtypeEnums;
    if (n === true) return true;
    if (n === false) return false;
    const e = this.ir.enums[id]!;
    return n.some((x) => x === e.name || x === `enum ${e.name}` || x === this.names.enumName(id));
  }

  /** The Rust type of a C type. `pointee`: `void` is `core::ffi::c_void`, not `()`. */
  rust(t: CType, mode: 'value' | 'pointee' | 'ret' = 'value'): string | Unsupported {
    if (t.kind === 'typedef') {
      const td = Object.prototype.hasOwnProperty.call(this.ir.typedefs, t.name) ? this.ir.typedefs[t.name] : undefined;
      const sl = this.sizeLike(t);
      if (sl && (!td || !this.opts.isUserLoc(td.loc))) return sl;
      if (td && this.opts.isUserLoc(td.loc)) {
        const e = this.typedef(t.name);
        if (e === true) return rustTypeIdent(t.name);
        if (e !== false) return e;
      }
      if (td) return this.rust(td.type, mode);
      return { unsupported: `unknown typedef ${t.name}` };
    }
    switch (t.kind) {
      case 'void':
        return mode === 'pointee' ? 'core::ffi::c_void' : '()';
      case 'int':
        if (t.name.includes('128') && !this.ctx.target.scalars[t.name]) return { unsupported: t.name };
        if (t.attrs?.mode !== undefined) {
          // mode(QI|HI|...): the size is the mode's, the signedness the declared type's.
          const l = this.ctx.layoutOf(t);
          if (!l.complete) return { unsupported: l.reason };
          if (t.name === '_Bool') return l.size === 1 ? 'bool' : { unsupported: `_Bool of mode ${t.attrs.mode}` };
          return `${this.intType(t.name)[0]}${l.size * 8}`;
        }
        return this.intType(t.name);
      case 'float':
        if (t.name === 'float') return 'f32';
        if (t.name === 'double') return 'f64';
        return { unsupported: t.name };
      case 'enum': {
        const e = this.ir.enums[t.id]!;
        const v = enumValues(e, this.ctx);
        if (!v.ok) return { unsupported: `enum: ${v.reason}` };
        if (!e.name && !this.namedByTypedef(t.id)) return this.intType(v.underlying);
        this.emitEnum(t.id);
        return this.names.enumName(t.id);
      }
      case 'record':
        return this.record(t.id);
      case 'pointer': {
        const fn = functionPointee(t, this.ir);
        if (fn) {
          // A pointer to a function typedef: Option<that typedef>.
          if (t.to.kind === 'typedef' && this.ir.typedefs[t.to.name] && this.opts.isUserLoc(this.ir.typedefs[t.to.name]!.loc)) {
            const e = this.typedef(t.to.name);
            if (e === true) return `core::option::Option<${rustTypeIdent(t.to.name)}>`;
          }
          const f = this.fnType(fn);
          return typeof f === 'string' ? `core::option::Option<${f}>` : f;
        }
        const to = this.rust(t.to, 'pointee');
        if (typeof to !== 'string') return to;
        const isConst = t.to.quals?.const === true || stripTypedefs(t.to, this.ir).quals?.const === true;
        return `${isConst ? '*const' : '*mut'} ${to}`;
      }
      case 'array': {
        const el = this.rust(t.of, 'value');
        if (typeof el !== 'string') return el;
        if (!t.length) return `[${el}; 0]`;
        const n = this.ctx.evaluate(t.length);
        if (!n.ok) return { unsupported: n.reason };
        return `[${el}; ${n.value.value}]`;
      }
      case 'function': {
        const f = this.fnType(t);
        return typeof f === 'string' ? f : f;
      }
      case 'builtin':
        return { unsupported: t.name };
      case 'complex':
        return { unsupported: `_Complex ${t.of}` };
      case 'typeof':
        return { unsupported: 'typeof' };
      case 'unknown':
        return { unsupported: t.text };
    }
  }

  private namedByTypedef(enumId: number): boolean {
    return Object.values(this.ir.typedefs).some((td) => td.type.kind === 'enum' && td.type.id === enumId);
  }

  /** `unsafe extern "C" fn(a: T, ...) -> R` for a C function type. */
  fnType(fn: FunctionType): string | Unsupported {
    const ps = this.params(fn);
    if (typeof ps !== 'string') return ps;
    const r = this.ret(fn.ret);
    if (typeof r !== 'string') return r;
    return `unsafe extern "C" fn(${ps})${r}`;
  }

  params(fn: FunctionType): string | Unsupported {
    const out: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < fn.params.length; i++) {
      const p = fn.params[i]!;
      const r = this.paramType(p.type);
      if (typeof r !== 'string') return { unsupported: `parameter ${i + 1}: ${r.unsupported}` };
      let n = p.name ? rustIdent(p.name) : `arg${i}`;
      if (seen.has(n)) n = `${n}_${i}`;
      seen.add(n);
      out.push(`${n}: ${r}`);
    }
    if (fn.variadic) out.push('...');
    return out.join(', ');
  }

  /** A parameter's type after C17 6.7.6.3 adjustments (array → pointer, function → pointer). */
  paramType(t: CType): string | Unsupported {
    const s = stripTypedefs(t, this.ir);
    const why = this.byValueUnexpressible(t);
    if (why) return { unsupported: why };
    if (s.kind === 'array') return this.rust({ kind: 'pointer', to: s.of }, 'value');
    if (s.kind === 'function') return this.rust({ kind: 'pointer', to: t }, 'value');
    return this.rust(t, 'value');
  }

  ret(t: CType): string | Unsupported {
    if (stripTypedefs(t, this.ir).kind === 'void') return '';
    const why = this.byValueUnexpressible(t);
    if (why) return { unsupported: why };
    const r = this.rust(t, 'ret');
    return typeof r === 'string' ? ` -> ${r}` : r;
  }

  /** Why a record passed or returned by value cannot be declared in Rust: it holds (at any
   *  depth, by value) a member kept as raw bytes (`_Complex`, `long double`, ...), so the Rust
   *  type would travel in other registers than the C one. null when it can. */
  byValueUnexpressible(t: CType, seen = new Set<number>()): string | null {
    const s = stripTypedefs(t, this.ir);
    if (s.kind !== 'record') return null;
    const id = this.names.recordId(s.id);
    if (seen.has(id)) return null;
    seen.add(id);
    const l = this.ctx.layoutOf({ kind: 'record', id });
    if (!l.complete || !l.record) return null;
    const walk = (rl: RecordLayout): string | null => {
      for (const f of rl.fields) {
        if (f.anonymous) {
          const w = walk(f.anonymous);
          if (w) return w;
          continue;
        }
        if (f.bitField) continue;
        let ft = stripTypedefs(f.type, this.ir);
        while (ft.kind === 'array') ft = stripTypedefs(ft.of, this.ir);
        if (ft.kind === 'pointer') continue;
        if (ft.kind === 'record') {
          const w = this.byValueUnexpressible(ft, seen);
          if (w) return w;
          continue;
        }
        const r = this.rust(ft, 'value');
        if (typeof r !== 'string') return `${typeToC(t, this.ir)} by value holds ${r.unsupported}, which Rust cannot pass as C does`;
      }
      return null;
    };
    return walk(l.record);
  }

  /** Rust's alignment of the Rust type of a C type: a typedef's `aligned` (or a member's) is not
   *  part of the Rust type, so the planner pads for it explicitly. */
  private rustAlignOf(t: CType): number {
    let s = stripTypedefs(t, this.ir);
    while (s.kind === 'array') s = stripTypedefs(s.of, this.ir);
    if (s.kind === 'record' || s.kind === 'enum') {
      const l = this.ctx.layoutOf(s.kind === 'record' ? { kind: 'record', id: this.names.recordId(s.id) } : { kind: 'enum', id: s.id });
      return l.complete ? l.align : 1;
    }
    const bare: CType = s.kind === 'int' && s.attrs?.mode !== undefined ? { kind: 'int', name: s.name, attrs: { mode: s.attrs.mode } } : { ...s, attrs: undefined, quals: undefined };
    const l = this.ctx.layoutOf(bare);
    return l.complete ? l.align : 1;
  }

  /** Whether the Rust type of `t` has or holds by value a `#[repr(align(N))]` type. */
  private holdsAlignRepr(t: CType): boolean {
    let s = stripTypedefs(t, this.ir);
    while (s.kind === 'array') s = stripTypedefs(s.of, this.ir);
    return s.kind === 'record' && this.alignReprRecords.has(this.names.recordId(s.id));
  }

  /** Emits a user typedef; true when `pub type NAME` exists, false when the name is the tag's
   *  own (nothing to emit), or the unsupported reason. */
  typedef(name: string): boolean | Unsupported {
    if (this.doneTypedefs.has(name)) return !this.names.typedefIsTag(name) && !this.inlinedTypedefs.has(name);
    this.doneTypedefs.add(name);
    const td = this.ir.typedefs[name]!;
    const s = stripTypedefs(td.type, this.ir);
    if (this.names.typedefIsTag(name)) {
      if (s.kind === 'record') this.record(s.id);
      if (s.kind === 'enum') this.rust(s);
      return false;
    }
    let r: string | Unsupported;
    if (td.type.kind === 'function') r = this.fnType(td.type);
    else r = this.rust(td.type, 'value');
    if (typeof r !== 'string') {
      this.problems.push(`typedef ${name}: ${r.unsupported}`);
      this.doneTypedefs.delete(name);
      return r;
    }
    if (PRIMITIVES.has(name)) {
      // `pub type u8 = u8;` is a cycle (E0391), and any other alias named `u8` would shadow the
      // primitive the rest of the module spells: uses of the typedef are spelled as its type.
      this.inlinedTypedefs.add(name);
      this.typeItems.push(`// typedef ${typeToC(td.type, this.ir, name)} (${this.loc(td.loc)}): no alias, \`${name}\` is Rust's primitive${r === name ? ', the same type' : `; uses are spelled \`${r}\``}`);
      return false;
    }
    // aligned(N) on a typedef is not part of the Rust type: records pad their members of it.
    const tl = this.ctx.layoutOf({ kind: 'typedef', name });
    const al = tl.complete && tl.align !== this.rustAlignOf(td.type) ? `\n/// (aligned to ${tl.align} in C, not in Rust: records holding it are padded to match)` : '';
    this.typeItems.push(`/// \`typedef ${typeToC(td.type, this.ir, name)}\` — ${this.loc(td.loc)}${al}\npub type ${rustTypeIdent(name)} = ${r};`);
    return true;
  }

  emitEnum(id: number): void {
    if (this.doneEnums.has(id)) return;
    this.doneEnums.add(id);
    const e = this.ir.enums[id]!;
    const v = enumValues(e, this.ctx);
    if (!v.ok) return;
    const name = this.names.enumName(id);
    const under = this.intType(v.underlying);
    const el = this.ctx.layoutOf({ kind: 'enum', id });
    const typedefName = Object.values(this.ir.typedefs).find((td) => td.type.kind === 'enum' && td.type.id === id)?.name;
    const cSpelling = e.name ? `enum ${e.name}` : typedefName;
    if (el.complete && cSpelling) this.enumChecks.push({ rust: name, c: cSpelling, size: el.size, align: el.align });
    const doc = `/// \`enum ${e.name ?? name}\` (underlying \`${v.underlying}\`) — ${this.loc(e.loc)}`;
    const lines: string[] = [];
    if (this.isNewtype(id)) {
      lines.push(`${doc}\n#[repr(transparent)]\n#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]\npub struct ${name}(pub ${under});`);
      lines.push(`impl ${name} {\n${v.enumerators.map((x) => `    /// ${this.loc(e.enumerators.find((y) => y.name === x.name)!.loc)}\n    pub const ${rustIdent(x.name)}: Self = Self(${x.value});`).join('\n')}\n}`);
      for (const x of v.enumerators) lines.push(this.values.claim(rustIdent(x.name)) ? `pub const ${rustIdent(x.name)}: ${name} = ${name}::${rustIdent(x.name)};` : `// ${x.name}: the name is taken in the module (use ${name}::${rustIdent(x.name)})`);
    } else {
      lines.push(`${doc}\npub type ${name} = ${under};`);
      for (const x of v.enumerators) {
        const at = e.enumerators.find((y) => y.name === x.name)!.loc;
        if (!this.values.claim(rustIdent(x.name))) {
          lines.push(`// ${x.name} (enumerator of \`enum ${e.name ?? name}\` = ${x.value}): not emitted, the name is taken in the module`);
          continue;
        }
        lines.push(`/// enumerator of \`enum ${e.name ?? name}\` — ${this.loc(at)}\npub const ${rustIdent(x.name)}: ${name} = ${x.value};`);
      }
    }
    this.enumItems.push(lines.join('\n'));
  }

  /** Emits a record (once) and returns its Rust name. */
  record(rawId: number): string {
    const id = this.names.recordId(rawId);
    const name = this.names.record(id);
    if (this.doneRecords.has(id)) return name;
    this.doneRecords.add(id);
    const r = this.ir.records[id]!;
    const cName = r.name ? `${r.tag} ${r.name}` : null;
    if (!r.complete) {
      this.typeItems.push(
        `/// \`${cName ?? r.tag}\` (opaque: declared, never defined) — ${this.loc(r.loc)}\n#[repr(C)]\npub struct ${name} {\n    _opaque: [u8; 0],\n    _marker: core::marker::PhantomData<(*mut u8, core::marker::PhantomPinned)>,\n}`,
      );
      return name;
    }
    const l = this.ctx.layoutOf({ kind: 'record', id });
    if (!l.complete || !l.record) {
      this.problems.push(`${cName ?? name}: no layout (${l.complete ? 'not a record' : l.reason})`);
      this.typeItems.push(`/// \`${cName ?? name}\`: portabi has no layout for it (${l.complete ? 'not a record' : l.reason}); opaque here.\n#[repr(C)]\npub struct ${name} {\n    _opaque: [u8; 0],\n}`);
      return name;
    }
    this.emitRecord(id, name, l.record);
    return name;
  }

  private typedefNameOf(id: number): string | null {
    for (const td of Object.values(this.ir.typedefs)) if (td.type.kind === 'record' && this.names.recordId(td.type.id) === id) return td.name;
    return null;
  }

  private emitRecord(id: number, name: string, rl: RecordLayout): void {
    const r = this.ir.records[id]!;
    const isUnion = r.tag === 'union';
    const cName = r.name ? `${r.tag} ${r.name}` : this.typedefNameOf(id);
    const members: Member[] = [];
    const accessors: string[] = [];
    const fl = rl.fields;
    const le = this.ctx.target.endian === 'little';
    // Field names: the C members' first (in order), then storage, anonymous members, padding.
    const fields = new NameSet();
    const fieldName = new Map<number, string>();
    fl.forEach((f, i) => {
      if (f.name && !f.bitField) fieldName.set(i, fields.take(rustIdent(f.name)));
    });
    // Method names (accessors), one namespace per record.
    const methods = new NameSet();
    let anon = 0;
    let unionBits = false;
    for (let i = 0; i < fl.length; i++) {
      const f = fl[i]!;
      if (f.bitField) {
        let run: FieldLayout[];
        if (isUnion) {
          // Every bit-field of a union starts at bit 0: one storage for all of them.
          if (unionBits) continue;
          unionBits = true;
          run = fl.filter((b) => b.bitField && b.sizeBits > 0);
        } else {
          let j = i;
          while (j < fl.length && fl[j]!.bitField) j++;
          run = fl.slice(i, j).filter((b) => b.sizeBits > 0);
          i = j - 1;
        }
        if (run.length === 0) continue;
        const start = Math.floor(Math.min(...run.map((b) => b.offsetBits)) / 8);
        const end = Math.ceil(Math.max(...run.map((b) => b.offsetBits + b.sizeBits)) / 8);
        const field = fields.take(`_bf${start}`);
        members.push({ name: field, rust: `[u8; ${end - start}]`, offset: start, size: end - start, align: 1, c: null, storage: 'bits' });
        for (const b of run) {
          if (!b.name) continue;
          const acc = this.bitAccessor(b, field, b.offsetBits - start * 8, le, isUnion, methods);
          if (typeof acc === 'string') accessors.push(acc);
          else this.problems.push(`${cName ?? name}.${b.name}: no bit-field accessor (${acc.unsupported})`);
        }
        continue;
      }
      const fname = fieldName.get(i) ?? fields.take(`_anon${anon++}`);
      const ft = stripTypedefs(f.type, this.ir);
      if (ft.kind === 'record' && (!f.name || !this.ir.records[ft.id]?.name)) this.names.nameAnonymous(this.names.recordId(ft.id), `${name}_${f.name ?? fname.replace(/^_/, '')}`);
      const firstNamed = f.anonymous ? this.firstCMember(f.anonymous) : null;
      const cMember = f.name ?? firstNamed;
      const rt = this.rust(f.type, 'value');
      const size = f.sizeBits / 8;
      if (typeof rt !== 'string') {
        this.problems.push(`${cName ?? name}.${fname}: ${rt.unsupported}; kept as ${size} raw bytes`);
        members.push({ name: fname, rust: `[u8; ${size}]`, offset: f.offsetBits / 8, size, align: 1, c: cMember });
        continue;
      }
      members.push({ name: fname, rust: rt, offset: f.offsetBits / 8, size, align: this.rustAlignOf(f.type), c: cMember, alignRepr: this.holdsAlignRepr(f.type) });
    }

    const plan = isUnion ? this.planUnion(members, rl) : this.planStruct(members, rl, name);
    for (const m of plan.members) if (m.pad) m.name = fields.take(m.name);
    for (const m of plan.members) {
      if (m.storage !== 'bytes' || !m.orig) continue;
      const get = methods.take(m.name);
      const set = methods.take(`set_${plainIdent(get)}`);
      accessors.push(
        `/// \`${m.c}\` (at offset ${m.offset}, stored as bytes: Rust cannot place a \`${m.orig}\` there)\npub fn ${get}(&self) -> ${m.orig} {\n    // SAFETY: the storage holds exactly size_of::<${m.orig}>() bytes of that type.\n    unsafe { core::ptr::read_unaligned(self.${m.name}.as_ptr() as *const ${m.orig}) }\n}\n` +
          `/// Sets \`${m.c}\`.\npub fn ${set}(&mut self, value: ${m.orig}) {\n    // SAFETY: as above.\n    unsafe { core::ptr::write_unaligned(self.${m.name}.as_mut_ptr() as *mut ${m.orig}, value) }\n}`,
      );
    }
    if (plan.repr.some((x) => x.startsWith('align(')) || plan.members.some((m) => m.alignRepr)) this.alignReprRecords.add(id);
    const reprs = ['C', ...plan.repr];
    const bodyLines: string[] = [];
    for (const m of plan.members) {
      const doc = m.storage === 'bits' ? `/// bit-field storage (bytes ${m.offset}..${m.offset + m.size}); use the accessor methods` : m.storage === 'bytes' ? `/// \`${m.c}\` as raw bytes (Rust cannot place it at offset ${m.offset}); use the accessor methods` : m.pad ? null : `/// offset ${m.offset}`;
      bodyLines.push(`${doc ? doc + '\n' : ''}pub ${m.name}: ${m.rust},`);
    }
    const keyword = isUnion ? 'union' : 'struct';
    const doc = `/// \`${cName ?? `${r.tag} <anonymous>`}\` — ${this.loc(r.loc)}; size ${rl.size}, align ${rl.align}${r.pack !== null ? ` (#pragma pack(${r.pack}))` : ''}${r.attrs.packed ? ' (packed)' : ''}`;
    const items = [`${doc}\n#[repr(${reprs.join(', ')})]\n#[derive(Clone, Copy)]\npub ${keyword} ${name} {\n${pad(bodyLines.join('\n'), 4)}\n}`];
    items.push(`impl core::default::Default for ${name} {\n    /// All bytes zero (a valid value of every generated type).\n    fn default() -> Self {\n        // SAFETY: every field type of generated records is valid when all its bytes are 0.\n        unsafe { core::mem::zeroed() }\n    }\n}`);
    if (accessors.length) items.push(`impl ${name} {\n${pad(accessors.join('\n'), 4)}\n}`);
    this.typeItems.push(items.join('\n'));
    this.checks.push({
      rust: name,
      c: cName,
      size: rl.size,
      align: rl.align,
      fields: plan.members.filter((m) => !m.pad).map((m) => ({ rust: m.name, c: m.storage === 'bits' ? null : m.c, offset: m.offset })),
    });
  }

  private firstCMember(rec: RecordLayout): string | null {
    const f = rec.fields[0];
    if (!f || f.bitField) return null;
    return f.name ?? (f.anonymous ? this.firstCMember(f.anonymous) : null);
  }

  private bitAccessor(b: FieldLayout, storage: string, bit: number, le: boolean, inUnion: boolean, methods: NameSet): string | Unsupported {
    const s = stripTypedefs(b.type, this.ir);
    const w = b.sizeBits;
    const get = `portabi_rt::bits_get_${le ? 'le' : 'be'}(&self.${storage}, ${bit}, ${w})`;
    const asInt = (under: string): string => (under.startsWith('i') ? `portabi_rt::sign_extend(${get}, ${w}) as ${under}` : `${get} as ${under}`);
    let rt: string;
    let getter: string;
    let setVal = 'value as u64';
    if (s.kind === 'int') {
      const r = this.rust(s);
      if (typeof r !== 'string') return r;
      rt = r;
      getter = rt === 'bool' ? `${get} != 0` : asInt(rt);
    } else if (s.kind === 'enum') {
      const v = enumValues(this.ir.enums[s.id]!, this.ctx);
      if (!v.ok) return { unsupported: v.reason };
      const under = this.intType(v.underlying);
      const r = this.rust(s);
      if (typeof r !== 'string') return r;
      rt = r;
      if (r !== under && this.isNewtype(s.id)) {
        getter = `${r}(${asInt(under)})`;
        setVal = 'value.0 as u64';
      } else getter = asInt(under);
    } else return { unsupported: `bit-field of type ${typeToC(b.type, this.ir)}` };
    // A union's fields are read and written in unsafe code (its storage bytes are any bytes).
    const inUnsafe = (e: string): string => (inUnion ? `unsafe { ${e} }` : e);
    const n = methods.take(rustIdent(b.name!));
    const set = methods.take(`set_${plainIdent(n)}`);
    return (
      `/// \`${typeToC(b.type, this.ir, b.name!)} : ${w}\` — bit ${b.offsetBits} of the record\n` +
      `pub const fn ${n}(&self) -> ${rt} {\n    ${inUnsafe(getter)}\n}\n` +
      `/// Sets \`${b.name}\` (the value is truncated to ${w} bits, as C does).\n` +
      `pub fn ${set}(&mut self, value: ${rt}) {\n    ${inUnsafe(`portabi_rt::bits_set_${le ? 'le' : 'be'}(&mut self.${storage}, ${bit}, ${w}, ${setVal})`)};\n}`
    );
  }

  /** Places struct members the way `#[repr(C)]` would, choosing explicit padding, `align(N)`,
   *  `packed(N)`, or byte storage for members Rust cannot place at portabi's offset. A member's
   *  `align` is its Rust type's alignment (portabi's may be raised by `aligned` on a typedef or
   *  the member: explicit padding then puts it at portabi's offset). */
  private planStruct(members: Member[], rl: RecordLayout, owner: string): { members: Member[]; repr: string[] } {
    const tryPlace = (ms: Member[], packTo: number | null): { members: Member[]; repr: string[] } | null => {
      const out: Member[] = [];
      let cur = 0;
      let maxA = 1;
      const padding = (from: number, to: number): Member => ({ name: `_pad${out.filter((m) => m.pad).length}`, rust: `[u8; ${to - from}]`, offset: from, size: to - from, align: 1, c: null, pad: true });
      for (const m of ms) {
        // A packed type may not hold a #[repr(align)] one (E0588).
        if (packTo && m.alignRepr) return null;
        const a = packTo ? Math.min(m.align, packTo) : m.align;
        if (m.offset % a !== 0) return null;
        const natural = Math.ceil(cur / a) * a;
        if (natural > m.offset) return null;
        if (natural < m.offset) out.push(padding(cur, m.offset));
        out.push(m);
        cur = m.offset + m.size;
        maxA = Math.max(maxA, a);
      }
      const repr: string[] = [];
      if (packTo) {
        if (maxA !== rl.align) return null;
        repr.push(packTo === 1 ? 'packed' : `packed(${packTo})`);
      } else if (maxA > rl.align) return null;
      else if (maxA < rl.align) repr.push(`align(${rl.align})`);
      if (cur > rl.size) return null;
      const size = Math.ceil(cur / rl.align) * rl.align;
      if (size !== rl.size) out.push(padding(cur, rl.size));
      return { members: out, repr };
    };
    const asBytes = (m: Member): Member => ({ ...m, rust: `[u8; ${m.size}]`, align: 1, storage: 'bytes', orig: m.rust, alignRepr: false });
    const natural = tryPlace(members, null);
    if (natural) return natural;
    const packed = tryPlace(members.map((m) => (m.alignRepr && !m.storage ? asBytes(m) : m)), rl.align);
    if (packed) return packed;
    // Members Rust cannot place become raw bytes with unaligned accessors.
    const bytes = members.map((m) => (m.storage || (m.offset % m.align === 0 && m.align <= rl.align) ? m : asBytes(m)));
    const placed = tryPlace(bytes, null);
    if (placed) return placed;
    this.problems.push(`${owner}: cannot reproduce the layout in Rust`);
    return { members: bytes, repr: [] };
  }

  private planUnion(members: Member[], rl: RecordLayout): { members: Member[]; repr: string[] } {
    let out = [...members];
    const maxA = Math.max(1, ...members.map((m) => m.align));
    const repr: string[] = [];
    let a = maxA;
    if (maxA < rl.align) repr.push(`align(${rl.align})`);
    else if (maxA > rl.align) {
      repr.push(rl.align === 1 ? 'packed' : `packed(${rl.align})`);
      a = rl.align;
      // A packed union may not hold a #[repr(align)] type (E0588): those members become bytes.
      out = out.map((m) => (m.alignRepr && !m.storage ? { ...m, rust: `[u8; ${m.size}]`, align: 1, storage: 'bytes' as const, orig: m.rust, alignRepr: false } : m));
    }
    const eff = Math.max(a, rl.align);
    const size = Math.ceil(Math.max(0, ...members.map((m) => m.size)) / eff) * eff;
    if (size < rl.size) out.push({ name: '_pad0', rust: `[u8; ${rl.size}]`, offset: 0, size: rl.size, align: 1, c: null, pad: true });
    return { members: out, repr };
  }

  /** One `extern "C"` declaration, or why not. */
  externFn(fn: FunctionDecl): string | Unsupported {
    const t = fn.type;
    if (!t.prototyped) return { unsupported: 'no prototype' };
    const ps = this.params(t);
    if (typeof ps !== 'string') return ps;
    const r = this.ret(t.ret);
    if (typeof r !== 'string') return { unsupported: `return type: ${r.unsupported}` };
    const ident = rustIdent(fn.name);
    if (!this.values.claim(ident)) return { unsupported: `the name \`${ident}\` is taken in the module` };
    // A renamed function (`self` → `self_`) still links to the C symbol.
    const link = plainIdent(ident) !== fn.name ? `#[link_name = ${JSON.stringify(fn.name)}]\n` : '';
    return `/// \`${fn.signature}\` — ${this.loc(fn.loc)}\n${link}pub fn ${ident}(${ps})${r};`;
  }
}
