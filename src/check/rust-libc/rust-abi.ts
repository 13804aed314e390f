// What the Rust definitions imply for the target's ABI: each Rust item becomes C IR
// (records, typedefs) that portabi's own layout engine lays out, and Rust constant
// expressions are evaluated with Rust's rules (typed integers, `as` casts that truncate or
// extend, `size_of::<T>()` from that same layout). `repr(C)` on a target is C's layout for the
// same field types, so the numbers are comparable with the C headers'.
import type { AbiContext } from '../../abi/context.js';
import { createAbiContext } from '../../abi/context-impl.js';
import type { Target } from '../../abi/target-types.js';
import type { CType, Expr, FieldDecl, IntKind, RecordDecl, TranslationUnitIR } from '../../parse/ir.js';
import type { RustTarget } from './cfg.js';
import type { Def, Module, Resolver } from './crate.js';
import type { Meta } from './meta.js';
import { typeText, type RExpr, type RItem, type RType } from './rust-ast.js';
import { cTypeOfRust } from './rust-c-types.js';

export interface IntTy {
  bits: number;
  signed: boolean;
  kind: IntKind;
  pointer?: boolean;
}

export type Eval = { ok: true; value: bigint; ty: IntTy | null } | { ok: false; reason: string };

const fail = (reason: string): Eval => ({ ok: false, reason });

/** `core::ffi` names the crate may re-export instead of defining. */
const CORE_FFI: Record<string, string> = {
  c_schar: 'i8',
  c_uchar: 'u8',
  c_short: 'i16',
  c_ushort: 'u16',
  c_int: 'i32',
  c_uint: 'u32',
  c_longlong: 'i64',
  c_ulonglong: 'u64',
  c_float: 'f32',
  c_double: 'f64',
};

function emptyIr(): TranslationUnitIR {
  return { records: [], enums: [], typedefs: {}, tags: { struct: {}, union: {}, enum: {} }, functions: {}, variables: {}, macros: {}, diagnostics: [] };
}

const UNSIGNED: Partial<Record<IntKind, IntKind>> = {
  char: 'unsigned char',
  'signed char': 'unsigned char',
  short: 'unsigned short',
  int: 'unsigned int',
  long: 'unsigned long',
  'long long': 'unsigned long long',
  __int128: 'unsigned __int128',
};

export class RustAbi {
  readonly ir: TranslationUnitIR = emptyIr();
  readonly ctx: AbiContext;
  private typeOfDef = new Map<RItem, CType>();
  private names = new Set<string>();
  private constMemo = new Map<RItem, Eval>();
  private constBusy = new Set<RItem>();

  constructor(
    readonly resolver: Resolver,
    readonly target: Target,
    readonly rust: RustTarget,
  ) {
    this.ctx = createAbiContext(this.ir, target);
  }

  // -------------------------------------------------------------------------------------------
  // Types.

  /** The C integer kind of a Rust primitive integer, on this target. */
  primitiveInt(name: string): IntKind | null {
    const lp64 = this.target.scalars.long.size === 8;
    const iptr = this.target.intptrType;
    const map: Record<string, IntKind> = {
      i8: 'signed char',
      u8: 'unsigned char',
      i16: 'short',
      u16: 'unsigned short',
      i32: 'int',
      u32: 'unsigned int',
      i64: lp64 ? 'long' : 'long long',
      u64: lp64 ? 'unsigned long' : 'unsigned long long',
      i128: '__int128',
      u128: 'unsigned __int128',
      isize: iptr,
      usize: UNSIGNED[iptr] ?? iptr,
      bool: '_Bool',
      char: 'unsigned int',
    };
    return map[name] ?? null;
  }

  private primitive(name: string): CType | null {
    if (name === 'f32') return { kind: 'float', name: 'float' };
    if (name === 'f64') return { kind: 'float', name: 'double' };
    const k = this.primitiveInt(name);
    if (!k) return null;
    if (!this.target.scalars[k]) return { kind: 'unknown', text: name, reason: `'${name}' has no C type of that size on ${this.target.name}` };
    return { kind: 'int', name: k };
  }

  /** The C type of a Rust type used in module `from`. Never throws; 'unknown' says why. */
  cTypeOf(t: RType, from: Module): CType {
    return cTypeOfRust(t, { path: (p) => this.cTypeOfPath(p, from), array: (a) => this.cTypeOfArray(a, from) });
  }

  private cTypeOfArray(t: Extract<RType, { t: 'array' }>, from: Module): CType {
    const n = this.evalExpr(t.len, from, this.usize());
    if (!n.ok) return { kind: 'unknown', text: typeText(t), reason: `array length: ${n.reason}` };
    return { kind: 'array', of: this.cTypeOf(t.of, from), length: { k: 'int', text: String(n.value) } };
  }

  /** A Rust primitive, the crate's own definition of the name, or a `core::ffi` name it re-exports. */
  private cTypeOfPath(t: Extract<RType, { t: 'path' }>, from: Module): CType {
    const last = t.segments[t.segments.length - 1]!;
    if (t.segments.length === 1 || t.segments[0] === 'core' || t.segments[0] === 'std' || t.segments[0] === '::') {
      const p = this.primitive(last);
      if (p && t.segments.length === 1) return p;
    }
    if (last === 'c_void') return { kind: 'void' };
    const def = t.segments[0] === 'core' || t.segments[0] === 'std' ? null : this.resolver.lookup(t.segments, from, 'type');
    if (def) return this.cTypeOfDef(def);
    if (CORE_FFI[last]) return this.primitive(CORE_FFI[last]!)!;
    if (last === 'c_char') return { kind: 'int', name: this.rust.charSigned ? 'signed char' : 'unsigned char' };
    if (last === 'c_long') return this.primitive(this.rust.pointerWidth === 64 ? 'i64' : 'i32')!;
    if (last === 'c_ulong') return this.primitive(this.rust.pointerWidth === 64 ? 'u64' : 'u32')!;
    return { kind: 'unknown', text: typeText(t), reason: `cannot resolve type '${typeText(t)}'` };
  }

  private usize(): IntTy {
    return this.intTy(this.primitiveInt('usize')!)!;
  }

  private uniqueName(name: string): string {
    let n = name;
    for (let i = 2; this.names.has(n); i++) n = `${name}#${i}`;
    this.names.add(n);
    return n;
  }

  /** The C type a Rust type definition introduces (typedef for aliases, record otherwise). */
  cTypeOfDef(def: Def): CType {
    const hit = this.typeOfDef.get(def.item);
    if (hit) return hit;
    const item = def.item;
    switch (item.kind) {
      case 'alias': {
        const name = this.uniqueName(item.name);
        const ref: CType = { kind: 'typedef', name };
        this.typeOfDef.set(item, ref);
        this.ir.typedefs[name] = { name, type: { kind: 'unknown', text: name, reason: 'alias cycle' }, loc: { file: item.loc.file, line: item.loc.line, col: 1 } };
        this.ir.typedefs[name]!.type = this.cTypeOf(item.type, def.module);
        return ref;
      }
      case 'struct':
      case 'union': {
        const id = this.ir.records.length;
        const name = this.uniqueName(item.name);
        const repr = reprOf(item.attrs);
        const rec: RecordDecl = {
          id,
          tag: item.kind,
          name,
          complete: true,
          fields: [],
          attrs: {},
          pack: null,
          loc: { file: item.loc.file, line: item.loc.line, col: 1 },
        };
        if (repr.packed !== null) {
          if (repr.packed === 1) rec.attrs.packed = true;
          else rec.pack = repr.packed;
        }
        if (repr.align !== null) rec.attrs.aligned = { k: 'int', text: String(repr.align) };
        this.ir.records.push(rec);
        this.ir.tags[item.kind][name] = id;
        const ref: CType = { kind: 'record', id };
        this.typeOfDef.set(item, ref);
        if (!repr.c && !repr.transparent) {
          // Without repr(C) the field order and layout are Rust's own: no C layout.
          rec.fields.push({ name: '__rust_layout', type: { kind: 'unknown', text: item.name, reason: `'${item.name}' is not #[repr(C)] (Rust layout is unspecified)` }, bitWidth: null, attrs: {}, loc: rec.loc });
          return ref;
        }
        for (const f of item.fields) {
          const fd: FieldDecl = { name: f.name, type: this.cTypeOf(f.type, def.module), bitWidth: null, attrs: {}, loc: rec.loc };
          rec.fields.push(fd);
        }
        if (item.fields.length === 0 && item.kind === 'struct') {
          // A Rust zero-field repr(C) struct is size 0, as a GNU C empty struct.
        }
        return ref;
      }
      case 'enum': {
        if (item.variants.length === 0) {
          // `pub enum DIR {}`: an opaque type, only ever used behind a pointer.
          const id = this.ir.records.length;
          const name = this.uniqueName(item.name);
          this.ir.records.push({ id, tag: 'struct', name, complete: false, fields: [], attrs: {}, pack: null, loc: { file: item.loc.file, line: item.loc.line, col: 1 } });
          this.ir.tags.struct[name] = id;
          const ref: CType = { kind: 'record', id };
          this.typeOfDef.set(item, ref);
          return ref;
        }
        const repr = reprOf(item.attrs);
        let t: CType;
        if (repr.int) t = this.primitive(repr.int) ?? { kind: 'unknown', text: item.name, reason: `repr(${repr.int})` };
        else if (repr.c) t = { kind: 'int', name: 'int' };
        else {
          // Rust's default for a field-less enum: the smallest integer that holds the
          // discriminants (not C's int).
          const vals = this.enumValues(def);
          if (!vals.ok) t = { kind: 'unknown', text: item.name, reason: vals.reason };
          else {
            const lo = vals.values.reduce((a, b) => (b < a ? b : a), 0n);
            const hi = vals.values.reduce((a, b) => (b > a ? b : a), 0n);
            const fits = (bits: number, signed: boolean) =>
              signed ? lo >= -(1n << BigInt(bits - 1)) && hi < 1n << BigInt(bits - 1) : lo >= 0n && hi < 1n << BigInt(bits);
            const cand: [string, number, boolean][] = [
              ['u8', 8, false], ['i8', 8, true], ['u16', 16, false], ['i16', 16, true], ['u32', 32, false], ['i32', 32, true], ['u64', 64, false], ['i64', 64, true],
            ];
            const pick = cand.find(([, b, s]) => fits(b, s));
            t = pick ? this.primitive(pick[0])! : { kind: 'unknown', text: item.name, reason: 'discriminants too large' };
          }
        }
        const name = this.uniqueName(item.name);
        this.ir.typedefs[name] = { name, type: t, loc: { file: item.loc.file, line: item.loc.line, col: 1 } };
        const ref: CType = { kind: 'typedef', name };
        this.typeOfDef.set(item, ref);
        return ref;
      }
      default:
        return { kind: 'unknown', text: item.name, reason: `'${item.name}' is not a type` };
    }
  }

  enumValues(def: Def): { ok: true; values: bigint[] } | { ok: false; reason: string } {
    if (def.item.kind !== 'enum') return { ok: false, reason: 'not an enum' };
    const out: bigint[] = [];
    let next = 0n;
    for (const v of def.item.variants) {
      if (v.value) {
        const r = this.evalExpr(v.value, def.module, null);
        if (!r.ok) return { ok: false, reason: `${v.name}: ${r.reason}` };
        next = r.value;
      }
      out.push(next);
      next += 1n;
    }
    return { ok: true, values: out };
  }

  intTy(kind: IntKind): IntTy | null {
    const s = this.target.scalars[kind];
    if (!s) return null;
    const signed = kind === 'char' ? this.target.charSigned : !(kind.startsWith('unsigned') || kind === '_Bool');
    return { bits: s.size * 8, signed, kind };
  }

  /** The integer type a C type is, for constant evaluation (pointers: an address-sized unsigned). */
  intTyOfC(t: CType): IntTy | { reason: string } {
    const r = this.ctx.resolve(t);
    if (r.kind === 'int') return this.intTy(r.name) ?? { reason: `'${r.name}' not on this target` };
    if (r.kind === 'pointer') {
      const k = UNSIGNED[this.target.intptrType] ?? this.target.intptrType;
      return { ...this.intTy(k)!, pointer: true };
    }
    if (r.kind === 'unknown') return { reason: r.reason };
    return { reason: `not an integer type (${r.kind})` };
  }

  // -------------------------------------------------------------------------------------------
  // Constant evaluation.

  /** The value of a `const` item, wrapped to its declared type. Memoised. */
  constValue(def: Def): Eval {
    const item = def.item;
    if (item.kind !== 'const') return fail(`'${item.name}' is not a constant`);
    const hit = this.constMemo.get(item);
    if (hit) return hit;
    if (this.constBusy.has(item)) return fail(`'${item.name}' refers to itself`);
    this.constBusy.add(item);
    const ct = this.cTypeOf(item.type, def.module);
    const ty = this.intTyOfC(ct);
    let r: Eval;
    if ('reason' in ty) r = fail(`type ${typeText(item.type)}: ${ty.reason}`);
    else {
      const v = this.evalExpr(item.value, def.module, ty);
      r = v.ok ? { ok: true, value: wrap(v.value, ty), ty } : v;
    }
    this.constBusy.delete(item);
    this.constMemo.set(item, r);
    return r;
  }

  /** Evaluate a Rust constant expression; `hint` is the type an unsuffixed literal takes. */
  evalExpr(e: RExpr, from: Module, hint: IntTy | null): Eval {
    switch (e.e) {
      case 'int': {
        const ty = e.suffix ? this.intTy(this.primitiveInt(e.suffix)!) : hint;
        return { ok: true, value: ty ? wrap(e.value, ty) : e.value, ty };
      }
      case 'bool':
        return { ok: true, value: e.value ? 1n : 0n, ty: this.intTy('_Bool') };
      case 'other-literal': {
        // b'x' is a u8, 'x' a char (u32).
        const ch = charLiteral(e.text);
        if (ch === null) return fail(`non-integer literal ${e.text}`);
        const ty = this.intTy(e.text.startsWith('b') ? 'unsigned char' : 'unsigned int');
        return { ok: true, value: ch, ty };
      }
      case 'unknown':
        return fail(`unsupported expression '${e.text.slice(0, 60)}'`);
      case 'path': {
        // `T::MAX` / `T::MIN` on integer types.
        const last = e.segments[e.segments.length - 1]!;
        if ((last === 'MAX' || last === 'MIN') && e.segments.length >= 2) {
          const tyPath = e.segments.slice(0, -1);
          const ct = this.cTypeOf({ t: 'path', segments: tyPath, generics: [] }, from);
          const ty = this.intTyOfC(ct);
          if ('reason' in ty) return fail(ty.reason);
          const max = ty.signed ? (1n << BigInt(ty.bits - 1)) - 1n : (1n << BigInt(ty.bits)) - 1n;
          const min = ty.signed ? -(1n << BigInt(ty.bits - 1)) : 0n;
          return { ok: true, value: last === 'MAX' ? max : min, ty };
        }
        const def = this.resolver.lookup(e.segments, from, 'value');
        if (!def) return fail(`unknown constant '${e.segments.join('::')}'`);
        if (def.item.kind !== 'const') return fail(`'${def.item.name}' is a ${def.item.kind}, not a constant`);
        const r = this.constValue(def);
        return r.ok ? r : fail(`${def.item.name}: ${r.reason}`);
      }
      case 'unary': {
        const a = this.evalExpr(e.arg, from, hint);
        if (!a.ok) return a;
        if (e.op === '-') return { ok: true, value: a.ty ? wrap(-a.value, a.ty) : -a.value, ty: a.ty };
        // `!x`: bitwise not on integers, logical on bool.
        if (a.ty?.kind === '_Bool') return { ok: true, value: a.value === 0n ? 1n : 0n, ty: a.ty };
        return { ok: true, value: a.ty ? wrap(~a.value, a.ty) : ~a.value, ty: a.ty };
      }
      case 'binary': {
        const shift = e.op === '<<' || e.op === '>>';
        const cmp = ['==', '!=', '<', '>', '<=', '>='].includes(e.op);
        const l = this.evalExpr(e.left, from, cmp ? null : hint);
        if (!l.ok) return l;
        const r = this.evalExpr(e.right, from, shift ? null : (l.ty ?? (cmp ? null : hint)));
        if (!r.ok) return r;
        let lv = l.value;
        const ty = shift ? (l.ty ?? hint) : (l.ty ?? r.ty ?? hint);
        if (!l.ty && ty) lv = wrap(lv, ty);
        const rv = r.value;
        let v: bigint;
        switch (e.op) {
          case '+': v = lv + rv; break;
          case '-': v = lv - rv; break;
          case '*': v = lv * rv; break;
          case '/':
            if (rv === 0n) return fail('division by zero');
            v = lv / rv;
            break;
          case '%':
            if (rv === 0n) return fail('division by zero');
            v = lv % rv;
            break;
          case '<<': v = lv << rv; break;
          case '>>': v = lv >> rv; break;
          case '&': v = lv & rv; break;
          case '|': v = lv | rv; break;
          case '^': v = lv ^ rv; break;
          case '==': return { ok: true, value: lv === rv ? 1n : 0n, ty: this.intTy('_Bool') };
          case '!=': return { ok: true, value: lv !== rv ? 1n : 0n, ty: this.intTy('_Bool') };
          case '<': return { ok: true, value: lv < rv ? 1n : 0n, ty: this.intTy('_Bool') };
          case '>': return { ok: true, value: lv > rv ? 1n : 0n, ty: this.intTy('_Bool') };
          case '<=': return { ok: true, value: lv <= rv ? 1n : 0n, ty: this.intTy('_Bool') };
          case '>=': return { ok: true, value: lv >= rv ? 1n : 0n, ty: this.intTy('_Bool') };
          case '&&': return { ok: true, value: lv !== 0n && rv !== 0n ? 1n : 0n, ty: this.intTy('_Bool') };
          case '||': return { ok: true, value: lv !== 0n || rv !== 0n ? 1n : 0n, ty: this.intTy('_Bool') };
          default:
            return fail(`operator ${e.op}`);
        }
        if (ty) {
          // Rust rejects overflow in constants; the crate compiles, so wrapping only matters
          // for what rustc also accepts (shifts out of unsigned range are masked the same way).
          v = wrap(v, ty);
        }
        return { ok: true, value: v, ty };
      }
      case 'cast': {
        const ct = this.cTypeOf(e.type, from);
        const ty = this.intTyOfC(ct);
        if ('reason' in ty) return fail(`cast to ${typeText(e.type)}: ${ty.reason}`);
        // An unsuffixed literal under `as T` takes the type T (rustc's cast expectation).
        const a = this.evalExpr(e.arg, from, ty.pointer ? null : ty);
        if (!a.ok) return a;
        return { ok: true, value: wrap(a.value, ty), ty };
      }
      case 'call': {
        if (e.callee.e !== 'path') return fail('call of a non-path');
        const fname = e.callee.segments[e.callee.segments.length - 1]!;
        if ((fname === 'size_of' || fname === 'align_of') && e.callee.generics.length === 1 && e.args.length === 0) {
          const ct = this.cTypeOf(e.callee.generics[0]!, from);
          const l = this.ctx.layoutOf(ct);
          if (!l.complete) return fail(`${fname}::<${typeText(e.callee.generics[0]!)}>(): ${l.reason}`);
          return { ok: true, value: BigInt(fname === 'size_of' ? l.size : l.align), ty: this.usize() };
        }
        if ((fname === 'null' || fname === 'null_mut') && e.args.length === 0) {
          return { ok: true, value: 0n, ty: { ...this.usize(), pointer: true } };
        }
        return fail(`calls function '${e.callee.segments.join('::')}'`);
      }
      case 'struct':
      case 'array':
      case 'repeat':
        return fail('aggregate value where an integer is needed');
    }
  }

  // -------------------------------------------------------------------------------------------
  // Aggregate constants → C initializer lists (bytes computed by src/abi/initializer.ts).

  /** A Rust aggregate constant expression as a C initializer expression for type `t`. */
  toCInit(e: RExpr, t: RType, from: Module): { ok: true; expr: Expr } | { ok: false; reason: string } {
    if (e.e === 'struct') {
      const def = this.resolver.lookup(e.name, from, 'type');
      if (!def || (def.item.kind !== 'struct' && def.item.kind !== 'union')) return { ok: false, reason: `unknown struct '${e.name.join('::')}'` };
      if (e.base) return { ok: false, reason: 'struct update syntax (..base)' };
      const items = [];
      for (const f of e.fields) {
        const fd = def.item.fields.find((x) => x.name === f.name);
        if (!fd) return { ok: false, reason: `'${def.item.name}' has no field '${f.name}'` };
        const sub = this.toCInit(f.value, fd.type, def.module);
        if (!sub.ok) return { ok: false, reason: `.${f.name}: ${sub.reason}` };
        items.push({ designators: [{ field: f.name }], value: sub.expr });
      }
      return { ok: true, expr: { k: 'init', list: { items } } };
    }
    if (e.e === 'array' || e.e === 'repeat') {
      const el: RType = t.t === 'array' ? t.of : { t: 'unknown', text: '?' };
      if (e.e === 'repeat') {
        const n = this.evalExpr(e.count, from, this.usize());
        if (!n.ok) return { ok: false, reason: `repeat count: ${n.reason}` };
        const one = this.toCInit(e.value, el, from);
        if (!one.ok) return one;
        const zero = one.expr.k === 'int' && one.expr.text === '0';
        if (zero || n.value === 0n) return { ok: true, expr: { k: 'init', list: { items: [] } } };
        if (n.value > 65536n) return { ok: false, reason: 'repeat count too large' };
        return { ok: true, expr: { k: 'init', list: { items: Array.from({ length: Number(n.value) }, () => ({ designators: [], value: one.expr })) } } };
      }
      const items = [];
      for (const x of e.items) {
        const sub = this.toCInit(x, el, from);
        if (!sub.ok) return sub;
        items.push({ designators: [], value: sub.expr });
      }
      return { ok: true, expr: { k: 'init', list: { items } } };
    }
    const ct = this.cTypeOf(t, from);
    const ty = this.intTyOfC(ct);
    const v = this.evalExpr(e, from, 'reason' in ty ? null : ty);
    if (!v.ok) return v;
    const val = 'reason' in ty ? v.value : wrap(v.value, ty);
    const lit: Expr = { k: 'int', text: (val < 0n ? -val : val).toString() + (val > 0x7fffffffn || val < -0x7fffffffn ? 'ULL' : '') };
    return { ok: true, expr: val < 0n ? { k: 'unary', op: '-', arg: { k: 'int', text: (-val).toString() + (-val > 0x7fffffffn ? 'LL' : '') } } : lit };
  }
}

/** The value of a Rust char or byte literal (`b'E'`, `'\\n'`, `b'\\x7f'`), or null. */
export function charLiteral(text: string): bigint | null {
  const m = /^b?'(.*)'$/s.exec(text);
  if (!m) return null;
  const body = m[1]!;
  if (!body.startsWith('\\')) return [...body].length === 1 ? BigInt(body.codePointAt(0)!) : null;
  const simple: Record<string, number> = { n: 10, r: 13, t: 9, '0': 0, '\\': 92, "'": 39, '"': 34 };
  const c = body[1]!;
  if (c in simple && body.length === 2) return BigInt(simple[c]!);
  const x = /^\\x([0-9a-fA-F]{2})$/.exec(body);
  if (x) return BigInt(parseInt(x[1]!, 16));
  const u = /^\\u\{([0-9a-fA-F_]+)\}$/.exec(body);
  if (u) return BigInt(parseInt(u[1]!.replace(/_/g, ''), 16));
  return null;
}

/** Wrap a value to an integer type (two's complement), as `as` and typed arithmetic do. */
export function wrap(v: bigint, ty: IntTy): bigint {
  if (ty.kind === '_Bool') return v === 0n ? 0n : 1n;
  return ty.signed ? BigInt.asIntN(ty.bits, v) : BigInt.asUintN(ty.bits, v);
}

export interface Repr {
  c: boolean;
  transparent: boolean;
  /** repr(packed) = 1, repr(packed(N)) = N; null when not packed. */
  packed: number | null;
  align: number | null;
  /** repr(u8) / repr(i32) ...: the integer type of an enum. */
  int: string | null;
}

/** `#[repr(...)]` attributes (several may be stacked). */
export function reprOf(attrs: Meta[]): Repr {
  const r: Repr = { c: false, transparent: false, packed: null, align: null, int: null };
  for (const a of attrs) {
    if (a.name !== 'repr' || !a.args) continue;
    for (const x of a.args) {
      if (x.name === 'C') r.c = true;
      else if (x.name === 'transparent') r.transparent = true;
      else if (x.name === 'packed') {
        const n = x.args?.[0]?.value;
        r.packed = n !== undefined ? Number(n.replace(/_/g, '')) : 1;
      } else if (x.name === 'align') {
        const n = x.args?.[0]?.value;
        if (n !== undefined) r.align = Number(n.replace(/_/g, ''));
      } else if (/^[iu](8|16|32|64|128|size)$/.test(x.name)) r.int = x.name;
    }
  }
  return r;
}
