// `portabi gen ts`: a TypeScript module of typed koffi bindings for a header set and the host
// target, from the IR, the AbiContext (layouts) and the ABI model (constants, provenance).
// Written with ts-morph; output is deterministic (declaration order, no timestamps).
import { relative } from 'node:path';
import { Project, VariableDeclarationKind } from 'ts-morph';
import type { AbiContext, RecordLayout } from '../../abi/context.js';
import type { AbiModel } from '../../abi/model.js';
import { enumValues } from '../../abi/enum-values.js';
import type { Loc } from '../../parse/diagnostics.js';
import type { CType, FunctionDecl, Param, TranslationUnitIR } from '../../parse/ir.js';
import { typeToC } from '../../parse/c-text.js';
import { functionPointee, isCharPointer, isUserDataType, prototypeName, stripTypedefs, type FunctionType } from '../async/ctypes.js';
import { siteRecord, specProto } from '../async/detect.js';
import type { ArgExpr, AsyncSpec, ResultValue } from '../async/model.js';
import type { IsrEventPlan, IsrShimPlan } from '../c/isr-shim.js';
import { runtimeBelowMarker } from '../runtime-source.js';
import { decodeCString } from './c-string.js';
import { memberName, safeIdent, TsNames } from './names.js';

export interface TsGenInput {
  ir: TranslationUnitIR;
  ctx: AbiContext;
  model?: AbiModel;
  /** Whether a declaration at this location is the user's (system headers are not emitted
   *  unless something of the user's needs them). */
  isUserLoc: (loc: Loc) => boolean;
  async: AsyncSpec[];
  /** Library the generated `load()` opens by default (a path relative to the generated module
   *  when it starts with './' or '../', else a name for the dynamic loader). */
  library: string;
  /** Locations in doc comments are printed relative to this directory. */
  relativeTo: string;
  /** runs-on isr: the planned C shim, and the library `load()` opens for it by default (a path
   *  relative to the generated module when it starts with './' or '../'). */
  isr?: { plan: IsrShimPlan; library: string };
}

type Unsupported = { unsupported: string };

/** The TypeScript runtime's text (below the marker of runtime/runtime.ts). */
export function runtimeSource(): string {
  return runtimeBelowMarker('src/generate/runtime/runtime.ts');
}

class Gen {
  readonly names: TsNames;
  readonly ir: TranslationUnitIR;
  readonly ctx: AbiContext;
  /** Emitted (in order) koffi type declarations and TS declarations. */
  readonly koffiDecls: string[] = [];
  readonly tsDecls: string[] = [];
  readonly layoutChecks: string[] = [];
  /** Lines of `load()` that open the ISR shim (empty when no wrapper runs on isr). */
  readonly isrLoad: string[] = [];
  private readonly isrEvents = new Map<string, string>();
  private readonly doneRecords = new Set<number>();
  /** Records whose koffi type is being built: a pointer to one of them (a self- or mutually-
   *  referential struct) is declared as 'void *', since its const is not initialized yet. */
  private readonly inProgress = new Set<number>();
  /** Enums a declared type refers to (declared even when not from the user's headers). */
  readonly neededEnums = new Set<number>();
  /** Prototype key → the base of its names (`${base}$proto`, `register_${base}`). */
  private readonly protoBases = new Map<string, string>();
  /** Per emitted record: koffi's alignment of its type, and whether koffi passes it by value as C
   *  does (its layout and alignment are C's exactly). */
  private readonly recInfo = new Map<number, { kAlign: number; byValue: boolean }>();
  private readonly doneProtos = new Map<string, string>(); // proto key → const name
  readonly problems: string[] = [];
  /** Located at a declaration in the headers: `file:line:col: warning: ...`. */
  readonly diagnostics: string[] = [];

  constructor(readonly input: TsGenInput) {
    this.ir = input.ir;
    this.ctx = input.ctx;
    this.names = new TsNames(input.ir);
  }

  loc(l: Loc): string {
    const f = relative(this.input.relativeTo, l.file) || l.file;
    return `${f.split('\\').join('/')}:${l.line}`;
  }

  intKoffi(name: string): string {
    if (name === '_Bool') return "'bool'";
    if (name === 'char') return "'char'";
    const l = this.ctx.target.scalars[name as keyof typeof this.ctx.target.scalars];
    const bits = (l?.size ?? 4) * 8;
    const unsigned = name.startsWith('unsigned') || (name === 'char' && !this.ctx.target.charSigned);
    return `'${unsigned ? 'u' : ''}int${bits}_t'`;
  }

  intBits(name: string): number {
    const l = this.ctx.target.scalars[name as keyof typeof this.ctx.target.scalars];
    return (l?.size ?? 4) * 8;
  }

  /** The koffi type expression of a C type. */
  koffi(t: CType, mode: { asyncProto?: boolean } = {}): string | Unsupported {
    const s = stripTypedefs(t, this.ir);
    switch (s.kind) {
      case 'void':
        return "'void'";
      case 'int':
        if (s.name.includes('128')) return { unsupported: s.name };
        return this.intKoffi(s.name);
      case 'float':
        if (s.name === 'float') return "'float'";
        if (s.name === 'double') return "'double'";
        return { unsupported: s.name };
      case 'enum': {
        const v = enumValues(this.ir.enums[s.id]!, this.ctx);
        return v.ok ? this.intKoffi(v.underlying) : { unsupported: `enum: ${v.reason}` };
      }
      case 'record':
        return this.recordConst(s.id);
      case 'pointer': {
        const fn = functionPointee(s, this.ir);
        if (fn) {
          const p = this.proto(fn, prototypeName(t, this.ir) ?? null, false);
          return typeof p === 'string' ? `koffi.pointer(${p})` : p;
        }
        if (isCharPointer(s, this.ir)) return "'const char *'";
        const to = stripTypedefs(s.to, this.ir);
        if (to.kind === 'record') {
          const id = this.names.recordId(to.id);
          const r = this.ir.records[id]!;
          if (!r.complete) return `koffi.pointer(${this.opaqueConst(id)})`;
          if (this.inProgress.has(id)) return "'void *'";
          return `koffi.pointer(${this.recordConst(id)})`;
        }
        return "'void *'";
      }
      case 'array': {
        if (!s.length) return { unsupported: 'incomplete array' };
        const n = this.ctx.evaluate(s.length);
        if (!n.ok) return { unsupported: n.reason };
        const el = this.koffi(s.of, mode);
        if (typeof el !== 'string') return el;
        // Every array, char[N] too, is its elements (a char array holds bytes, not a C string).
        return `koffi.array(${el}, ${n.value.value}, 'Array')`;
      }
      default:
        return { unsupported: s.kind === 'unknown' ? s.text : s.kind };
    }
  }

  /** The TS type of a C type; `dir` in: what a parameter accepts; out: what koffi returns. */
  ts(t: CType, dir: 'in' | 'out'): string {
    const s = stripTypedefs(t, this.ir);
    switch (s.kind) {
      case 'void':
        return 'void';
      case 'int':
        if (s.name === '_Bool') return 'boolean';
        return this.intBits(s.name) > 32 ? 'Int64' : 'number';
      case 'float':
        return 'number';
      case 'enum': {
        // Declared in the module even when its header is a system one (it is then not the user's).
        const en = this.names.enumName(s.id);
        this.neededEnums.add(s.id);
        if (t.kind === 'typedef') {
          const td = this.ir.typedefs[t.name];
          if (td && this.input.isUserLoc(td.loc) && safeIdent(t.name) !== en) return this.names.typedef(t.name);
        }
        return en;
      }
      case 'record':
        this.recordConst(s.id);
        return this.names.record(s.id);
      case 'pointer': {
        const fn = functionPointee(s, this.ir);
        if (fn) {
          const p = this.proto(fn, prototypeName(t, this.ir) ?? null, false);
          return typeof p === 'string' ? `Callback<'${this.protoBrand(fn, prototypeName(t, this.ir))}'> | null` : 'never';
        }
        if (isCharPointer(s, this.ir)) return 'string | null';
        const to = stripTypedefs(s.to, this.ir);
        if (to.kind === 'void') return dir === 'in' ? 'AnyPtr | null' : "Ptr<'void'> | null";
        return `Ptr<'${this.brand(s.to)}'> | null`;
      }
      case 'array':
        return `${this.ts(s.of, dir)}[]`;
      default:
        return 'never';
    }
  }

  /** Canonical C spelling of a pointee (typedefs resolved, qualifiers dropped) for brands. */
  brand(t: CType): string {
    const deep = (x: CType): CType => {
      const s = stripTypedefs(x, this.ir);
      const { quals: _q, attrs: _a, ...bare } = s;
      if (bare.kind === 'pointer') return { ...bare, to: deep(bare.to) } as CType;
      if (bare.kind === 'record') return { ...bare, id: this.names.recordId(bare.id) } as CType;
      return bare as CType;
    };
    return typeToC(deep(t), this.ir).replace(/'/g, '');
  }

  protoBrand(fn: FunctionType, name: string | null): string {
    return name ?? this.brand({ kind: 'pointer', to: fn });
  }

  opaqueConst(id: number): string {
    const name = this.names.record(id);
    const c = `${name}$type`;
    if (!this.doneRecords.has(id)) {
      this.doneRecords.add(id);
      const r = this.ir.records[id]!;
      this.koffiDecls.push(`/** ${r.tag} ${r.name ?? ''} (opaque) — ${this.loc(r.loc)} */\nexport const ${c} = koffi.opaque();`);
    }
    return c;
  }

  recordConst(rawId: number): string {
    const id = this.names.recordId(rawId);
    const name = this.names.record(id);
    const c = `${name}$type`;
    if (this.doneRecords.has(id)) return c;
    this.doneRecords.add(id);
    const r = this.ir.records[id]!;
    if (!r.complete) {
      this.koffiDecls.push(`/** ${r.tag} ${r.name ?? ''} (opaque) — ${this.loc(r.loc)} */\nexport const ${c} = koffi.opaque();`);
      this.tsDecls.push(`export type ${name} = never;`);
      return c;
    }
    const l = this.ctx.layoutOf({ kind: 'record', id });
    if (!l.complete || !l.record) {
      this.problems.push(`${r.tag} ${r.name}: no layout (${l.complete ? 'not a record' : l.reason})`);
      this.koffiDecls.push(`export const ${c} = koffi.opaque();`);
      this.tsDecls.push(`export type ${name} = never;`);
      return c;
    }
    this.inProgress.add(id);
    try {
      this.emitRecord(id, c, name, l.record);
    } finally {
      this.inProgress.delete(id);
    }
    return c;
  }

  /** koffi's alignment of the koffi type of a C type (primitives: their ABI alignment, at most
   *  8; records: what emitRecord built). */
  kAlignOf(t: CType): number {
    const s = stripTypedefs(t, this.ir);
    if (s.kind === 'array') return this.kAlignOf(s.of);
    if (s.kind === 'record') {
      const id = this.names.recordId(s.id);
      this.recordConst(id);
      return this.recInfo.get(id)?.kAlign ?? 1;
    }
    const scalars = this.ctx.target.scalars as Record<string, { align: number } | undefined>;
    if (s.kind === 'int' || s.kind === 'float') return Math.min(scalars[s.name]?.align ?? 1, 8);
    if (s.kind === 'enum') {
      const v = enumValues(this.ir.enums[s.id]!, this.ctx);
      return v.ok ? Math.min(scalars[v.underlying]?.align ?? 1, 8) : 1;
    }
    if (s.kind === 'pointer') return Math.min(scalars['unsigned long']?.align ?? 8, 8);
    return 1;
  }

  /** Why koffi cannot pass this type by value as C does (a record whose koffi alignment or
   *  layout differs from C's), or null. */
  byValueProblem(t: CType): string | null {
    const s = stripTypedefs(t, this.ir);
    if (s.kind !== 'record') return null;
    const id = this.names.recordId(s.id);
    this.recordConst(id);
    const info = this.recInfo.get(id);
    if (!info || info.byValue) return null;
    const r = this.ir.records[id]!;
    return `${r.tag} ${r.name ?? '<anonymous>'} by value, whose layout or alignment koffi cannot reproduce`;
  }

  private emitRecord(id: number, c: string, name: string, rl: RecordLayout): void {
    const r = this.ir.records[id]!;
    const isUnion = r.tag === 'union';
    const fields: { name: string; koffi: string; align: number; offset: number; size: number }[] = [];
    const tsFields: string[] = [];
    const accessors: string[] = [];
    const checkFields: string[] = [];
    /** A member whose type koffi cannot pass by value (the record then cannot be either). */
    let memberByValue = true;
    const fl = rl.fields;
    for (let i = 0; i < fl.length; i++) {
      const f = fl[i]!;
      if (f.bitField) {
        // A run of bit-fields: cover its bytes with integer storage units.
        let j = i;
        while (j < fl.length && fl[j]!.bitField) j++;
        const run = fl.slice(i, j).filter((b) => b.sizeBits > 0);
        i = j - 1;
        if (run.length === 0) continue; // only zero-width bit-fields: no storage
        const start = Math.floor(Math.min(...run.map((b) => b.offsetBits)) / 8);
        const end = Math.ceil(Math.max(...run.map((b) => b.offsetBits + b.sizeBits)) / 8);
        const limit = j < fl.length && !isUnion ? fl[j]!.offsetBits / 8 : rl.size;
        const units: { field: string; byte: number; size: number }[] = [];
        let pos = start;
        while (pos < end) {
          let u = 8;
          while (u > 1 && (pos % u !== 0 || pos + u > limit || u > rl.align)) u /= 2;
          // A union's bit-fields all start at byte 0: runs share a unit of the same bytes.
          const same = fields.find((x) => x.name.startsWith('_bf') && x.offset === pos && x.size === u);
          const field = same?.name ?? (fields.some((x) => x.name === `_bf${pos}`) ? `_bf${pos}_${u}` : `_bf${pos}`);
          units.push({ field, byte: pos, size: u });
          if (!same) {
            fields.push({ name: field, koffi: `'uint${u * 8}_t'`, align: u, offset: pos, size: u });
            tsFields.push(`  /** bit-field storage (bytes ${pos}..${pos + u - 1}); use ${name}_bits */\n  ${field}?: ${u === 8 ? 'Int64' : 'number'};`);
          }
          pos += u;
        }
        const unitsText = `[${units.map((u) => `{ field: '${u.field}', byte: ${u.byte}, size: ${u.size} }`).join(', ')}]`;
        for (const b of run) {
          if (!b.name) continue;
          const signed = this.isSignedInteger(b.type);
          // Wider than a double's 53-bit mantissa: read and written as bigint.
          const fn = b.sizeBits > 53 ? 'bigBitField' : 'bitField';
          accessors.push(`  /** ${typeToC(b.type, this.ir, b.name)} : ${b.sizeBits} (bit ${b.offsetBits}) */\n  ${b.name}: ${fn}<${name}>(${unitsText}, ${b.offsetBits}, ${b.sizeBits}, ${signed}),`);
        }
        continue;
      }
      const fname = f.name ?? `_anon${i}`;
      if (!f.name && f.anonymous) {
        const ft = stripTypedefs(f.type, this.ir);
        if (ft.kind === 'record') this.names.nameAnonymous(this.names.recordId(ft.id), `${name}_${fname}`);
      }
      const st = stripTypedefs(f.type, this.ir);
      if (st.kind === 'array' && !st.length) {
        // A flexible array member (C17 6.7.2.1p18): not part of sizeof; its elements follow the
        // record in memory, at this offset, and are reached through a pointer to the record.
        tsFields.push(`  // ${typeToC(f.type, this.ir, fname)}: flexible array member at offset ${f.offsetBits / 8} (not in sizeof; read it through a pointer to the record)`);
        continue;
      }
      const k = this.koffi(f.type);
      if (typeof k !== 'string') {
        this.problems.push(`${r.tag} ${r.name}.${fname}: ${k.unsupported}`);
        fields.push({ name: fname, koffi: `koffi.array('uint8_t', ${f.sizeBits / 8}, 'Array')`, align: 1, offset: f.offsetBits / 8, size: f.sizeBits / 8 });
        tsFields.push(`  /** ${k.unsupported}: raw bytes */\n  ${fname}?: number[];`);
        memberByValue = false;
        continue;
      }
      if (this.byValueProblem(f.type) || (st.kind === 'array' && this.byValueProblem(st.of))) memberByValue = false;
      fields.push({ name: fname, koffi: k, align: this.kAlignOf(f.type), offset: f.offsetBits / 8, size: f.sizeBits / 8 });
      tsFields.push(`  /** ${typeToC(f.type, this.ir, fname)} — offset ${f.offsetBits / 8} */\n  ${fname}: ${this.ts(f.type, 'out')};`);
      checkFields.push(`['${fname}', ${f.offsetBits / 8}]`);
    }
    const laid = isUnion ? koffiUnionLayout(fields, rl.size, rl.align) : koffiStructLayout(fields, rl.size, rl.align);
    const doc = `/** ${r.tag} ${r.name ?? '<anonymous>'} — ${this.loc(r.loc)}; size ${rl.size}, align ${rl.align} */`;
    if (!laid) {
      // koffi cannot lay the members out as C does: the record is its bytes.
      const a = Math.min(rl.align, 8);
      const bytes = `koffi.array('uint8_t', ${rl.size}, 'Array')`;
      this.problems.push(`${r.tag} ${r.name ?? name}: koffi cannot reproduce its layout; bound as ${rl.size} raw bytes`);
      this.recInfo.set(id, { kAlign: a, byValue: false });
      this.koffiDecls.push(`${doc}\n// koffi cannot lay out its members as C does: bound as its ${rl.size} bytes (not passed by value).\nexport const ${c} = koffi.struct({\n  _bytes: ${a > 1 ? `[${a}, ${bytes}]` : bytes},\n});`);
      this.tsDecls.push(`${doc}\nexport interface ${name} {\n  /** the record's bytes: koffi cannot reproduce its members' layout */\n  _bytes: number[];\n}`);
      this.layoutChecks.push(`  { name: '${r.tag} ${r.name ?? name}', loc: '${this.loc(r.loc)}', type: ${c}, size: ${rl.size}, align: ${a}, fields: [] },`);
      return;
    }
    const byValue = memberByValue && laid.align === rl.align;
    this.recInfo.set(id, { kAlign: laid.align, byValue });
    const note = byValue ? '' : `\n// koffi aligns it to ${laid.align}, C to ${rl.align}: same bytes, but functions taking or returning it by value are not bound.`;
    this.koffiDecls.push(`${doc}${note}\nexport const ${c} = ${laid.ctor}({\n${laid.lines.join('\n')}\n});`);
    const tsBody = isUnion ? tsFields.map((l) => l.replace(/^(  \w+)(\??):/m, '$1?:')) : tsFields;
    this.tsDecls.push(`${doc}\nexport interface ${name} {\n${tsBody.join('\n')}\n}`);
    if (accessors.length) this.tsDecls.push(`/** Bit-fields of ${r.tag} ${r.name ?? ''} (koffi has none): get/set over the storage units. */\nexport const ${name}_bits = {\n${accessors.join('\n')}\n} as const;`);
    this.layoutChecks.push(`  { name: '${r.tag} ${r.name ?? name}', loc: '${this.loc(r.loc)}', type: ${c}, size: ${rl.size}, align: ${laid.align}, fields: [${isUnion ? '' : checkFields.join(', ')}] },`);
  }

  /** Whether an integer (or enum, or bit-field) type is signed: an enum's is its compatible
   *  integer type's (signed when an enumerator is negative). */
  isSignedInteger(t: CType): boolean {
    const s = stripTypedefs(t, this.ir);
    if (s.kind === 'enum') {
      const v = enumValues(this.ir.enums[s.id]!, this.ctx);
      return v.ok && !v.underlying.startsWith('unsigned');
    }
    return s.kind === 'int' && !s.name.startsWith('unsigned') && s.name !== '_Bool' && !(s.name === 'char' && !this.ctx.target.charSigned);
  }

  /** The koffi struct of an ISR shim event record (declared once per record). */
  isrEvent(ev: IsrEventPlan): string | Unsupported {
    const hit = this.isrEvents.get(ev.tag);
    if (hit) return hit;
    const fields: string[] = [];
    for (const f of ev.fields) {
      const st = stripTypedefs(f.type, this.ir);
      // Pointers are addresses (what they point to was the interrupt handler's): never strings.
      const k = f.userData ? "'uintptr_t'" : st.kind === 'pointer' ? "'void *'" : this.koffi(f.type);
      if (typeof k !== 'string') return k;
      fields.push(`  ${f.name}: ${k},`);
    }
    const c = `${ev.tag}$event`;
    this.koffiDecls.push(`/** struct ${ev.tag}: one queued event of the ISR shim (its layout is checked against the shim at load). */\nexport const ${c} = koffi.struct({\n${fields.join('\n')}\n});`);
    this.isrEvents.set(ev.tag, c);
    return c;
  }

  /** The koffi prototype of a callback type; `asyncVariant`: user data as uintptr_t. */
  proto(fn: FunctionType, name: string | null, asyncVariant: boolean): string | Unsupported {
    const key = this.protoBrand(fn, name) + (asyncVariant ? '#async' : '');
    const hit = this.doneProtos.get(key);
    if (hit) return hit;
    const ret = this.koffi(fn.ret);
    if (typeof ret !== 'string') return ret;
    const args: string[] = [];
    for (let p of fn.params) {
      if (asyncVariant && isUserDataType(p.type, this.ir)) {
        args.push("'uintptr_t'");
        continue;
      }
      p = adjustParam(p, this.ir);
      const pt = stripTypedefs(p.type, this.ir);
      if (asyncVariant && pt.kind === 'pointer' && !isCharPointer(pt, this.ir) && !functionPointee(pt, this.ir)) {
        args.push("'void *'");
        continue;
      }
      const k = this.koffi(p.type);
      if (typeof k !== 'string') return k;
      args.push(k);
    }
    const brandKey = this.protoBrand(fn, name);
    let base = this.protoBases.get(brandKey);
    if (base === undefined) {
      // Named prototypes keep their typedef's name (then `_`s); anonymous ones are callback, callback1, ...
      const want = safeIdent((name ?? 'callback').replace(/\W/g, '_'));
      base = this.names.scope.claimFamily(
        (i) => (name ? want + '_'.repeat(i) : i === 0 ? want : `${want}${i}`),
        (b) => [`${b}$proto`, `${b}$async`, `${b}$trampoline`, `register_${b}`],
        `proto:${brandKey}`,
      );
      this.protoBases.set(brandKey, base);
    }
    const c = `${base}$${asyncVariant ? 'async' : 'proto'}`;
    this.doneProtos.set(key, c);
    this.koffiDecls.push(`/** ${typeToC({ kind: 'pointer', to: fn }, this.ir, name ?? '')}${asyncVariant ? ' (user data as uintptr_t, for the trampoline)' : ''} */\nexport const ${c} = koffi.proto(${ret}, [${args.join(', ')}]);`);
    if (!asyncVariant) {
      const brand = this.protoBrand(fn, name);
      const params = fn.params.map((p, i) => `${safeIdent(p.name ?? `arg${i}`)}: ${this.ts(adjustParam(p, this.ir).type, 'out')}`).join(', ');
      const rt = this.ts(fn.ret, 'in');
      this.tsDecls.push(
        `/** Registers a JS function as a C \`${brand}\` (a koffi slot: unregister it when C can no longer call it). */\n` +
          `export function register_${base}(fn: (${params}) => ${rt}): Callback<'${brand}'> {\n  return koffi.register(fn, koffi.pointer(${c})) as unknown as Callback<'${brand}'>;\n}`,
      );
    }
    return c;
  }
}

type KoffiField = { name: string; koffi: string; align: number; offset: number; size: number };
type KoffiLayout = { ctor: string; lines: string[]; align: number };

const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

/** A koffi struct with C's offsets and size: members at their natural koffi alignment with
 *  explicit padding, or koffi.pack with explicit padding. Its alignment is C's when koffi can express it (at most 8,
 *  and not below a member's); null when no koffi struct has C's offsets and size. */
function koffiStructLayout(fields: KoffiField[], size: number, align: number): KoffiLayout | null {
  // koffi.pack when a member sits below its koffi alignment (#pragma pack, packed members) or
  // the record is aligned below a member (a packed struct whose members happen to be aligned).
  const packed = fields.some((f) => f.offset % f.align !== 0 || f.align > align);
  const lines: string[] = [];
  let cur = 0;
  let pad = 0;
  let kAlign = 1;
  for (const f of fields) {
    if (f.offset < cur) return null;
    if (f.offset > cur) lines.push(`  _pad${pad++}: koffi.array('uint8_t', ${f.offset - cur}),`);
    lines.push(`  ${JSON.stringify(f.name)}: ${f.koffi},`);
    cur = f.offset + f.size;
    if (!packed) kAlign = Math.max(kAlign, f.align);
  }
  const want = packed ? 1 : Math.min(align, 8);
  if (kAlign < want) {
    // Raise koffi's alignment to C's with an explicit alignment on the first member (offset 0).
    if (!lines.length) {
      cur = Math.max(size, want);
      lines.push(`  _pad${pad++}: koffi.array('uint8_t', ${cur}),`);
    }
    lines[0] = lines[0]!.replace(/: (.*),$/, (_m, t: string) => `: [${want}, ${t}],`);
    kAlign = want;
  }
  if (alignUp(cur, kAlign) !== size) {
    if (size < cur || size % kAlign !== 0) return null;
    lines.push(`  _pad${pad++}: koffi.array('uint8_t', ${size - cur}),`);
  }
  if (!lines.length) return null;
  return { ctor: packed ? 'koffi.pack' : 'koffi.struct', lines, align: kAlign };
}

/** A koffi union with C's size: null when a member's koffi alignment is above C's (a packed
 *  union), since koffi would then pad it further. */
function koffiUnionLayout(fields: KoffiField[], size: number, align: number): KoffiLayout | null {
  if (!fields.length) return null;
  const want = Math.min(align, 8);
  if (fields.some((f) => f.align > want || f.offset !== 0)) return null;
  const lines = fields.map((f) => `  ${JSON.stringify(f.name)}: ${f.koffi},`);
  const kAlign = Math.max(...fields.map((f) => f.align));
  if (kAlign < want) lines[0] = lines[0]!.replace(/: (.*),$/, (_m, t: string) => `: [${want}, ${t}],`);
  const max = Math.max(...fields.map((f) => f.size));
  if (alignUp(max, want) !== size) {
    if (size < max || size % want !== 0) return null;
    lines.push(`  _size: koffi.array('uint8_t', ${size}),`);
  }
  return { ctor: 'koffi.union', lines, align: want };
}

/** A parameter's type as the function receives it (C17 6.7.6.3p7-8): an array of T is a pointer
 *  to T (with the array's qualifiers on the element), a function is a pointer to it. */
function adjustParam(p: Param, ir: TranslationUnitIR): Param {
  const s = stripTypedefs(p.type, ir);
  if (s.kind === 'array') return { ...p, type: { kind: 'pointer', to: s.of } };
  if (s.kind === 'function') return { ...p, type: { kind: 'pointer', to: s } };
  return p;
}

/** The local of load() that holds a function of the library: never a reserved word nor one of
 *  load()'s own locals (path, file, key, hit, lib, api...). */
function local(name: string): string {
  return `${name}$fn`;
}

function paramName(p: Param, i: number): string {
  return safeIdent(p.name ?? `arg${i}`);
}

function jsArgExpr(e: ArgExpr, idx: (n: string) => number): string {
  switch (e.k) {
    case 'arg':
      return `Number(cb$[${idx(e.name)}])`;
    case 'int':
      return e.value.toString();
    case 'unary':
      return e.op === '!' ? `(${jsArgExpr(e.arg, idx)} ? 0 : 1)` : `(${e.op}${jsArgExpr(e.arg, idx)})`;
    case 'binary': {
      const l = jsArgExpr(e.left, idx);
      const r = jsArgExpr(e.right, idx);
      if (e.op === '&&' || e.op === '||') return `(${l} ${e.op} ${r} ? 1 : 0)`;
      if (['==', '!=', '<', '<=', '>', '>='].includes(e.op)) return `(${l} ${e.op === '==' ? '===' : e.op === '!=' ? '!==' : e.op} ${r} ? 1 : 0)`;
      return `(${l} ${e.op} ${r})`;
    }
  }
}

function constText(value: string): string {
  const v = BigInt(value);
  const lim = 2n ** 53n;
  return v > -lim && v < lim ? v.toString() : `${v}n`;
}

/** Generates the module text. Deterministic for the same input. */
export function generateTs(input: TsGenInput): { text: string; problems: string[]; diagnostics: string[] } {
  const g = new Gen(input);
  const { ir } = input;
  const project = new Project({ useInMemoryFileSystem: true, compilerOptions: { strict: true } });
  const sf = project.createSourceFile('bindings.ts', '', { overwrite: true });

  // Constants: enumerators and integer macros from the model (or the IR's enums).
  const constants: string[] = [];
  const model = input.model;
  const userConst = (loc: string): boolean => {
    const m = /^(.*):(\d+):(\d+)$/.exec(loc);
    return m ? input.isUserLoc({ file: m[1]!, line: Number(m[2]), col: Number(m[3]) }) : false;
  };
  if (model) {
    for (const [name, c] of Object.entries(model.constants)) {
      if (!userConst(c.loc) || !/^[A-Za-z_$][\w$]*$/.test(name)) continue;
      const m = /^(.*):(\d+):(\d+)$/.exec(c.loc);
      const at = m ? g.loc({ file: m[1]!, line: Number(m[2]), col: 0 }) : c.loc;
      constants.push(`/** ${c.source === 'macro' ? '#define' : 'enumerator'} ${name} (${c.type}) — ${at} */\nexport const ${g.names.scope.claim(safeIdent(name), `const:${name}`)} = ${constText(c.value)};`);
    }
    for (const [name, m] of Object.entries(model.macros)) {
      if (m.class !== 'string' || !userConst(m.loc) || m.detail === undefined) continue;
      const mm = /^(.*):(\d+):(\d+)$/.exec(m.loc);
      const at = mm ? g.loc({ file: mm[1]!, line: Number(mm[2]), col: 0 }) : m.loc;
      const v = decodeCString(m.detail);
      if (!v.ok) {
        constants.push(`// #define ${name} ${m.detail.replace(/\*\//g, '* /')}: not emitted (${v.reason}) — ${at}`);
        continue;
      }
      const kind = v.prefix === '' || v.prefix === 'u8' ? 'string' : `${v.prefix}"" string: ${v.prefix === 'L' ? 'wchar_t' : v.prefix === 'u' ? 'char16_t' : 'char32_t'}[] in C`;
      constants.push(`/** #define ${name} (${kind}) — ${at} */\nexport const ${g.names.scope.claim(safeIdent(name), `const:${name}`)} = ${JSON.stringify(v.value)};`);
    }
  }

  // Enums: a const object and a union type of their values.
  const enums: string[] = [];
  const enumsDone = new Set<number>();
  const emitEnum = (id: number): void => {
    const e = ir.enums[id]!;
    if (enumsDone.has(id) || !e.complete) return;
    enumsDone.add(id);
    const v = enumValues(e, input.ctx);
    if (!v.ok) return;
    const name = g.names.enumName(id);
    const members = v.enumerators.map((x) => `  ${x.name}: ${constText(x.value.toString())},`).join('\n');
    enums.push(`/** enum ${e.name ?? '<anonymous>'} (${v.underlying}) — ${g.loc(e.loc)} */\nexport const ${name} = {\n${members}\n} as const;\nexport type ${name} = (typeof ${name})[keyof typeof ${name}];`);
    if (!model && input.isUserLoc(e.loc)) for (const x of v.enumerators) constants.push(`export const ${g.names.scope.claim(safeIdent(x.name), `const:${x.name}`)} = ${constText(x.value.toString())};`);
  };
  ir.enums.forEach((e, id) => {
    if (input.isUserLoc(e.loc)) emitEnum(id);
  });

  // Records of the user's headers (dependencies are pulled in as needed).
  ir.records.forEach((r, id) => {
    if (input.isUserLoc(r.loc) && r.name && g.names.recordId(id) === id) g.recordConst(id);
  });

  // Typedefs of the user's headers.
  const typedefs: string[] = [];
  for (const td of Object.values(ir.typedefs)) {
    if (!input.isUserLoc(td.loc)) continue;
    const fn = functionPointee(td.type, ir);
    if (fn) {
      const p = g.proto(fn, td.name, false);
      if (typeof p === 'string') typedefs.push(`/** typedef ${typeToC(td.type, ir, td.name)} — ${g.loc(td.loc)} */\nexport type ${g.names.typedef(td.name)} = Callback<'${td.name}'>;`);
      continue;
    }
    const s = stripTypedefs(td.type, ir);
    if (s.kind === 'record' && g.names.record(s.id) === safeIdent(td.name)) {
      // The record goes by the typedef's name (an anonymous one has no other): declare it.
      g.recordConst(s.id);
      continue;
    }
    if (s.kind === 'enum' && g.names.enumName(s.id) === safeIdent(td.name)) {
      g.neededEnums.add(s.id);
      continue;
    }
    const tsType = g.ts(td.type, 'out');
    typedefs.push(`/** typedef ${typeToC(td.type, ir, td.name)} — ${g.loc(td.loc)} */\nexport type ${g.names.typedef(td.name)} = ${tsType};`);
  }

  // Functions.
  const iface: string[] = [];
  const body: string[] = [];
  const names: string[] = [];
  for (const fn of Object.values(ir.functions)) {
    if (!input.isUserLoc(fn.loc) || fn.storage === 'static') continue;
    const why = emitFunction(g, fn, iface, body);
    if (why) {
      iface.push(`  // ${fn.name}: not bound (${why}) — ${g.loc(fn.loc)}`);
      g.diagnostics.push(`${fn.loc.file}:${fn.loc.line}:${fn.loc.col}: warning: ${fn.name}: not bound in TypeScript: ${why}`);
    } else names.push(fn.name);
  }

  // Async wrappers.
  const wrappers: string[] = [];
  const trampolines: string[] = [];
  for (const spec of input.async) {
    const fn = ir.functions[spec.symbol];
    if (!fn) continue;
    const w = emitAsync(g, fn, spec, iface, body, trampolines);
    if (typeof w === 'string') {
      g.problems.push(`${spec.symbol}: async wrapper not generated (${w})`);
      iface.push(`  // ${spec.symbol}_async: not generated (${w})`);
    } else wrappers.push(w.name);
  }

  // Enums the declarations refer to from headers that are not the user's.
  for (const id of [...g.neededEnums].sort((a, b) => a - b)) emitEnum(id);

  const header = [
    '// Generated by `portabi gen ts`. Do not edit: regenerate instead (`portabi gen`; `portabi gen --check` verifies).',
    `// Target: ${input.ctx.target.name}. Types, layouts and constants computed by portabi from the C headers.`,
    '/* eslint-disable */',
  ].join('\n');
  sf.addStatements(header);
  sf.addImportDeclaration({ defaultImport: 'koffi', moduleSpecifier: 'koffi' });
  sf.addImportDeclaration({ namedImports: ['Socket'], moduleSpecifier: 'node:net' });
  sf.addImportDeclaration({ namedImports: [{ name: 'constants', alias: 'osConstants' }], moduleSpecifier: 'node:os' });
  sf.addImportDeclaration({ namedImports: ['fileURLToPath'], moduleSpecifier: 'node:url' });
  sf.addStatements('// ---- portabi runtime (copied from portabi: src/generate/runtime/runtime.ts) ----');
  sf.addStatements(runtimeSource().trimEnd());
  sf.addStatements('// ---- constants ----');
  if (constants.length) sf.addStatements(constants.join('\n\n'));
  sf.addStatements('// ---- enums ----');
  if (enums.length) sf.addStatements(enums.join('\n\n'));
  sf.addStatements('// ---- koffi types ----');
  sf.addStatements(g.koffiDecls.join('\n\n'));
  sf.addStatements('// ---- TypeScript types ----');
  sf.addStatements([...g.tsDecls, ...typedefs].join('\n\n'));
  sf.addStatements('// ---- load-time layout self-check: koffi vs portabi ----');
  sf.addStatements(`checkLayouts([\n${g.layoutChecks.join('\n')}\n]);`);
  sf.addStatements('// ---- async trampolines: one koffi registration per prototype ----');
  if (trampolines.length) sf.addStatements(trampolines.join('\n'));
  sf.addInterface({
    name: 'Library',
    isExported: true,
    docs: ['The C functions of the library, fully typed, and the async wrappers over its callback APIs.'],
  });
  const lib = sf.getInterfaceOrThrow('Library');
  lib.replaceWithText(`/** The C functions of the library, fully typed, and the async wrappers over its callback APIs. */\nexport interface Library {\n${iface.join('\n')}\n}`);
  sf.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    docs: ['Library loaded by `load()` without an argument (from portabi.yaml `library:`).'],
    declarations: [{ name: 'DEFAULT_LIBRARY', initializer: JSON.stringify(input.library) }],
  });
  const isr = g.isrLoad.length > 0 && input.isr;
  if (isr) {
    sf.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: ['The ISR shim library (portabi.yaml `isr-shim: library:`) that `load()` opens for the `runs-on: isr` wrappers.'],
      declarations: [{ name: 'DEFAULT_ISR_SHIM', initializer: JSON.stringify(input.isr!.library) }],
    });
  }
  const resolvePath = (v: string): string => `${v}.startsWith('./') || ${v}.startsWith('../') ? fileURLToPath(new URL(${v}, import.meta.url)) : ${v}`;
  sf.addStatements(`const loaded = new Map<string, Library>();

/** Opens the shared library (once per path${isr ? ' and ISR shim' : ''}) and binds its functions.${isr ? '\n *  `isrShim`: the built ISR shim the `runs-on: isr` wrappers pass to C as their callback.' : ''} */
export function load(path: string = DEFAULT_LIBRARY${isr ? ', isrShim: string = DEFAULT_ISR_SHIM' : ''}): Library {
  const file = ${resolvePath('path')};
${isr ? `  const isrFile = ${resolvePath('isrShim')};\n  const key = file + '\\0' + isrFile;` : '  const key = file;'}
  const hit = loaded.get(key);
  if (hit) return hit;
  const lib = koffi.load(file);
${[...(isr ? g.isrLoad : []), ...body].map((l) => '  ' + l).join('\n')}
  const api: Library = {
${[...names, ...wrappers].map((n) => `    ${memberName(n)}: ${local(n)},`).join('\n')}
  };
  loaded.set(key, api);
  return api;
}`);
  return { text: sf.getFullText().replace(/\n{3,}/g, '\n\n'), problems: g.problems, diagnostics: g.diagnostics };
}

function emitFunction(g: Gen, fn: FunctionDecl, iface: string[], body: string[]): string | null {
  const t = fn.type;
  if (!t.prototyped) return 'no prototype (K&R declaration): the argument types are unknown';
  const ret = g.koffi(t.ret);
  if (typeof ret !== 'string') return `returns ${ret.unsupported}, which koffi cannot represent`;
  const retProblem = g.byValueProblem(t.ret);
  if (retProblem) return `returns ${retProblem}`;
  const args: string[] = [];
  const params: string[] = [];
  for (let i = 0; i < t.params.length; i++) {
    const p = adjustParam(t.params[i]!, g.ir);
    const k = g.koffi(p.type);
    const byValue = g.byValueProblem(p.type);
    if (byValue) return `parameter ${i + 1} ('${p.name ?? '?'}') is ${byValue}`;
    if (typeof k !== 'string') return `parameter ${i + 1} ('${p.name ?? '?'}') is ${k.unsupported}, which koffi cannot represent`;
    args.push(k);
    let ts = g.ts(p.type, 'in');
    const s = stripTypedefs(p.type, g.ir);
    if (s.kind === 'pointer' && s.to.quals?.const) {
      const to = stripTypedefs(s.to, g.ir);
      if (to.kind === 'record' && g.ir.records[g.names.recordId(to.id)]?.complete) ts = `${g.names.record(to.id)} | ${ts}`;
    }
    params.push(`${paramName(p, i)}: ${ts}`);
  }
  if (t.variadic) {
    // koffi calls a variadic function with a (type, value) pair per extra argument.
    const n = t.params.length;
    iface.push(
      `  /** ${fn.signature} — ${g.loc(fn.loc)}\n   *  Variadic: each extra argument is a [C type, value] pair, after the default argument promotions\n   *  (['int', 1], ['double', 0.5], ['int64_t', 2n], ['const char *', 's']). */\n` +
        `  ${memberName(fn.name)}(${[...params, '...va: VarArg[]'].join(', ')}): ${g.ts(t.ret, 'out')};`,
    );
    body.push(`const ${fn.name}$va = lib.func(${JSON.stringify(fn.name)}, ${ret}, [${[...args, "'...'"].join(', ')}]);`);
    body.push(`const ${local(fn.name)}: Library[${JSON.stringify(fn.name)}] = (...a: unknown[]) => ${fn.name}$va(...a.slice(0, ${n}), ...(a.slice(${n}) as VarArg[]).flat());`);
    return null;
  }
  iface.push(`  /** ${fn.signature} — ${g.loc(fn.loc)} */\n  ${memberName(fn.name)}(${params.join(', ')}): ${g.ts(t.ret, 'out')};`);
  body.push(`const ${local(fn.name)} = lib.func(${JSON.stringify(fn.name)}, ${ret}, [${args.join(', ')}]);`);
  return null;
}

function resultType(g: Gen, proto: FunctionType, v: ResultValue): string {
  if (v.k === 'bytes') return 'Uint8Array';
  if (v.k === 'string') return 'string | null';
  const p = proto.params.find((q) => q.name === v.name)!;
  return g.ts(p.type, 'out');
}

function resultCode(proto: FunctionType, v: ResultValue, idx: (n: string) => number, type: string): string {
  if (v.k === 'bytes') return `copyBytes(cb$[${idx(v.ptr)}], cb$[${idx(v.len)}])`;
  if (v.k === 'string') return `copyString(cb$[${idx(v.ptr)}])`;
  void proto;
  return `cb$[${idx(v.name)}] as ${type}`;
}

function emitAsync(g: Gen, fn: FunctionDecl, spec: AsyncSpec, iface: string[], body: string[], tramps: string[]): string | { name: string } {
  const ir = g.ir;
  const proto = specProto(fn, spec, ir);
  if (!proto) return 'no callback prototype';
  const pa = g.proto(proto, spec.prototype, true);
  if (typeof pa !== 'string') return pa.unsupported;
  const trampName = `${pa.replace(/\$async$/, '')}$trampoline`;
  const retK = g.koffi(proto.ret);
  const defRet = stripTypedefs(proto.ret, ir).kind === 'void' ? 'undefined' : stripTypedefs(proto.ret, ir).kind === 'pointer' ? 'null' : '0';
  void retK;
  // thread / caller: the prototype's koffi trampoline. isr: the C shim's producer, whose ring
  // is drained on the JS thread (src/generate/c/isr-shim.ts, IsrShim in the runtime).
  let cbPointer = `${trampName}.pointer()`;
  let ringField = '';
  if (spec.runsOn === 'isr') {
    const ring = g.input.isr?.plan.rings.find((r) => r.symbol === spec.symbol);
    if (!ring) return 'runs-on isr: no ISR shim ring for it (see the isr-shim errors)';
    const ev = g.isrEvent(ring.event);
    if (typeof ev !== 'string') return `runs-on isr: ${ev.unsupported}`;
    const plan = g.input.isr!.plan;
    if (g.isrLoad.length === 0) {
      g.isrLoad.push(
        'const isr$lib = koffi.load(isrFile);',
        `const isr$shim = IsrShim.get(isrFile, isr$lib.func(${JSON.stringify(plan.openFn)}, 'int', []), isr$lib.func(${JSON.stringify(plan.ackFn)}, 'void', []));`,
      );
    }
    const ringVar = `${spec.symbol}$ring`;
    g.isrLoad.push(
      `const ${ringVar} = isr$shim.ring({ symbol: ${JSON.stringify(spec.symbol)}, capacity: ${ring.capacity}, ` +
        `pointer: isr$lib.func(${JSON.stringify(ring.pointerFn)}, koffi.pointer(${pa}), []), ` +
        `drain: isr$lib.func(${JSON.stringify(ring.drainFn)}, 'uint32_t', ['void *', 'uint32_t']), ` +
        `dropped: isr$lib.func(${JSON.stringify(ring.droppedFn)}, 'uint32_t', []), event: ${ev}, ` +
        `layout: isr$lib.func(${JSON.stringify(ring.event.layoutFn)}, 'size_t', ['uint32_t']), fields: [${ring.event.fields.map((f) => `'${f.name}'`).join(', ')}], ` +
        `finals: ${
          typeof ring.finals === 'string'
            ? `'${ring.finals}'`
            : `{ drops: isr$lib.func(${JSON.stringify(ring.finals.dropsFn)}, 'uint32_t', ['void *', 'uint32_t']), lost: isr$lib.func(${JSON.stringify(ring.finals.lostFn)}, 'uint32_t', []) }`
        } });`,
    );
    cbPointer = `${ringVar}.pointer()`;
    ringField = `, ring: ${ringVar}`;
  } else if (!tramps.some((t) => t.startsWith(`const ${trampName} `))) tramps.push(`const ${trampName} = new Trampoline(${pa}, ${spec.userDataIndex}, ${defRet});`);
  const pnames = proto.params.map((p) => p.name ?? '');
  const idx = (n: string): number => pnames.indexOf(n);

  // The start function's koffi declaration with user data as uintptr_t.
  const startArgs: string[] = [];
  const wrapperParams: string[] = [];
  const callArgs: string[] = [];
  const rec = siteRecord(fn, spec.callback, ir);
  for (let i = 0; i < fn.type.params.length; i++) {
    const p = fn.type.params[i]!;
    const pn = paramName(p, i);
    if (spec.callback.k === 'param' && p.name === spec.callback.param) {
      startArgs.push(`koffi.pointer(${pa})`);
      callArgs.push(cbPointer);
      continue;
    }
    if (spec.context.k === 'param' && p.name === spec.context.param) {
      startArgs.push("'uintptr_t'");
      callArgs.push('id');
      continue;
    }
    if (rec && spec.callback.k === 'field' && p.name === spec.callback.param) {
      // A struct variant with the callback as our prototype and the context as uintptr_t.
      const rl = g.ctx.layoutOf({ kind: 'record', id: g.names.recordId(rec.id) });
      if (!rl.complete || !rl.record) return 'struct has no layout';
      const recName = g.names.record(rec.id);
      g.recordConst(rec.id);
      const variant = `${recName}$${spec.symbol}`;
      const fields = rl.record.fields.map((f) => {
        if (f.name === (spec.callback as { field: string }).field) return `  ${f.name}: koffi.pointer(${pa}),`;
        if (spec.context.k === 'field' && f.name === spec.context.field) return `  ${f.name}: 'uintptr_t',`;
        if (f.bitField || !f.name) return null;
        const k = g.koffi(f.type);
        return typeof k === 'string' ? `  ${f.name}: ${k},` : null;
      });
      if (fields.includes(null)) return 'the struct has bit-fields or unsupported fields';
            g.koffiDecls.push(`/** ${rec.tag} ${rec.name} as ${spec.symbol} passes it to its trampoline */\nexport const ${variant} = koffi.struct({\n${fields.join('\n')}\n});`);
      g.layoutChecks.push(`  { name: '${rec.tag} ${rec.name} (${spec.symbol} variant)', loc: '${g.loc(rec.loc)}', type: ${variant}, size: ${rl.size}, align: ${rl.align}, fields: [] },`);
      const st = stripTypedefs(p.type, ir);
      startArgs.push(st.kind === 'pointer' ? `koffi.pointer(${variant})` : variant);
      const omit = [spec.callback.field, spec.context.k === 'field' ? spec.context.field : ''].filter((x) => x);
      wrapperParams.push(`${pn}: Omit<${recName}, ${omit.map((o) => `'${o}'`).join(' | ')}>`);
      callArgs.push(`{ ...${pn}, ${spec.callback.field}: ${cbPointer}, ${spec.context.k === 'field' ? `${spec.context.field}: id` : ''} }`);
      continue;
    }
    const k = g.koffi(p.type);
    if (typeof k !== 'string') return k.unsupported;
    startArgs.push(k);
    wrapperParams.push(`${pn}: ${g.ts(p.type, 'in')}`);
    callArgs.push(pn);
  }
  const startRet = g.koffi(fn.type.ret);
  if (typeof startRet !== 'string') return startRet.unsupported;
  const startConst = `${spec.symbol}$start`;
  body.push(`const ${startConst} = lib.func(${JSON.stringify(spec.symbol)}, ${startRet}, [${startArgs.join(', ')}]);`);

  // Cancel.
  let cancel = 'null';
  if (spec.cancel?.k === 'function') {
    const c = ir.functions[spec.cancel.symbol];
    if (!c) return `cancel function ${spec.cancel.symbol} is not declared`;
    const cArgs: string[] = [];
    const cVals: string[] = [];
    for (let i = 0; i < c.type.params.length; i++) {
      const cp = c.type.params[i]!;
      const a = spec.cancel.args[i];
      if (!a) return `${spec.cancel.symbol} takes more arguments than cancel-args gives`;
      if (a.k === 'context') {
        cArgs.push("'uintptr_t'");
        cVals.push('id');
        continue;
      }
      const k = g.koffi(cp.type);
      if (typeof k !== 'string') return k.unsupported;
      cArgs.push(k);
      if (a.k === 'start-result') cVals.push('ret');
      else if (a.k === 'null') cVals.push('null');
      else {
        const sp = fn.type.params.findIndex((q) => q.name === a.param);
        cVals.push(paramName(fn.type.params[sp]!, sp));
      }
    }
    const cConst = `${spec.cancel.symbol}$cancel`;
    if (!body.some((l) => l.startsWith(`const ${cConst} `))) body.push(`const ${cConst} = lib.func(${JSON.stringify(spec.cancel.symbol)}, ${g.koffi(c.type.ret) as string}, [${cArgs.join(', ')}]);`);
    cancel = `(ret: unknown, id: number) => { void ret; void id; ${cConst}(${cVals.join(', ')}); }`;
  } else if (spec.cancel?.k === 'set-null') {
    const vals = callArgs.map((v) => (v === cbPointer ? 'null' : v === 'id' ? '0' : v));
    cancel = `(ret: unknown, id: number) => { void ret; void id; ${startConst}(${vals.join(', ')}); }`;
  }

  // Result.
  let tsResult: string;
  let valueCode: string;
  if (spec.result.k === 'void') {
    tsResult = 'void';
    valueCode = 'undefined';
  } else if (spec.result.k === 'value') {
    tsResult = resultType(g, proto, spec.result.value);
    valueCode = resultCode(proto, spec.result.value, idx, tsResult);
  } else {
    const parts = spec.result.fields.map((f) => ({ name: f.name, type: resultType(g, proto, f.value), v: f.value }));
    tsResult = `{ ${parts.map((p) => `${p.name}: ${p.type}`).join('; ')} }`;
    valueCode = `{ ${parts.map((p) => `${p.name}: ${resultCode(proto, p.v, idx, p.type)}`).join(', ')} }`;
  }
  const check = spec.errors.includes('neg-errno') ? `negErrno('${spec.symbol}')` : spec.errors.includes('zero-fail') ? `zeroFail('${spec.symbol}')` : 'noCheck';
  // A non-zero status is C's final callback: a stream says so (`end`), so nothing cancels C.
  const statusCheck =
    spec.errors.includes('callback-status') && spec.status
      ? `const e = statusError('${spec.symbol}', cb$[${idx(spec.status)}]); if (e) return { error: e${spec.scope === 'stream' ? ', end: true' : ''} }; `
      : '';
  const cbRet = (defRet === 'undefined' ? '' : `, callbackReturn: ${defRet}`) + ringField;
  const name = `${spec.symbol}_async`;
  const params = [...wrapperParams, 'opts: AsyncOptions = {}'].join(', ');
  const startCall = `start: (id: number) => ${startConst}(${callArgs.join(', ')})`;
  const isrRing = spec.runsOn === 'isr' ? g.input.isr?.plan.rings.find((r) => r.symbol === spec.symbol) : undefined;
  const isrDoc = isrRing
    ? `\n   *  runs-on isr: C calls the shim's ${isrRing.producer}, which queues into a ring of ${isrRing.capacity} events drained on the JS thread;` +
      `\n   *  a full ring drops events, and then every pending ${spec.symbol} operation fails with IsrOverflowError.`
    : '';
  const doc = `/** ${spec.scope} wrapper over ${spec.symbol} (callback ${spec.callback.k === 'param' ? spec.callback.param : `${spec.callback.param}.${spec.callback.field}`}${spec.cancel ? `, cancel ${spec.cancel.k === 'function' ? spec.cancel.symbol : 'set-null'}` : ''}; errors ${spec.errors.join(', ') || 'none'}) — ${g.loc(fn.loc)}${isrDoc} */`;
  const ifaceParams = [...wrapperParams, 'opts?: AsyncOptions'].join(', ');
  if (spec.scope === 'once') {
    iface.push(`  ${doc}\n  ${memberName(name)}(${ifaceParams}): Promise<${tsResult}>;`);
    body.push(
      `const ${local(name)} = (${params}): Promise<${tsResult}> => runOnce<${tsResult}>(opts, { symbol: '${spec.symbol}', ${startCall}, check: ${check}, cancel: ${cancel}, event: (cb$: unknown[]) => { ${statusCheck}return { value: ${valueCode} }; }${cbRet} });`,
    );
  } else if (spec.scope === 'stream') {
    const end = spec.done ? `${jsArgExpr(spec.done, idx)} !== 0` : 'false';
    const dropLast = spec.doneEvent === 'drop';
    const ev = dropLast ? `const end = ${end}; return end ? { end } : { value: ${valueCode}, end }; }` : `return { value: ${valueCode}, end: ${end} }; }`;
    iface.push(`  ${doc}\n  ${memberName(name)}(${ifaceParams}): AsyncIterable<${tsResult}>;`);
    body.push(
      `const ${local(name)} = (${params}): AsyncIterable<${tsResult}> => runStream<${tsResult}>(opts, { symbol: '${spec.symbol}', ${startCall}, check: ${check}, cancel: ${cancel}, capacity: ${spec.queue.capacity}, overflow: '${spec.queue.overflow}', event: (cb$: unknown[]) => { ${statusCheck}${ev}${cbRet} });`,
    );
  } else {
    iface.push(`  ${doc}\n  ${memberName(name)}(${ifaceParams}): ${tsResult}[];`);
    body.push(
      `const ${local(name)} = (${params}): ${tsResult}[] => runCall<${tsResult}>(opts, { symbol: '${spec.symbol}', ${startCall}, check: ${check}, event: (cb$: unknown[]) => { ${statusCheck}return { value: ${valueCode} }; }${cbRet} });`,
    );
  }
  return { name };
}
