// Size, alignment and record layout of C types for one target, in the vocabulary of the ABI
// documents (System V psABI "Aggregates and Unions" / "Bit-Fields", AAPCS §5.3 and §8.1.8,
// AAPCS64 §10, RISC-V psABI "C/C++ type details"). One algorithm; the differences between
// targets are data (Target.scalars, Target.bitfields, maxAlign, shortEnums, ...).
//
// The algorithm is the "declared type's container" model every supported ABI shares, with the
// GNU extensions as gcc and clang implement them:
//   - a bit-field of declared type T (size S, alignment A) is placed at the next free bit,
//     unless that would make it cross an A-aligned S-sized container, in which case it starts
//     at the next A boundary ("straddling");
//   - a zero-width bit-field pads to the next boundary of its declared type's alignment;
//   - `packed` (on the record or the field) makes a member's alignment one byte (bit-fields:
//     one bit, so they straddle freely), but never lowers an explicit `aligned` on the field;
//   - `#pragma pack(n)` caps every member's alignment, `aligned` included, and (for bit-fields)
//     disables the straddling rule;
//   - `aligned(n)` on a member or record can only raise alignment; on a typedef it sets it.
// All offsets are kept in bits; a record's data size is always a whole number of bytes, with
// the bits of the last byte that the last bit-field left free remembered separately
// ("unfilled bits"), so the next bit-field can continue in them.
//
// Sizes are JS numbers, exact below 2^53: an array or record of 2^50 bytes or more (2^53 bits)
// gets no size rather than a rounded one, and neither does an array clang rejects as too large
// or a record larger than the target's SIZE_MAX. checkDeclaredSizes reports these, and the
// invalid bit-field widths and array sizes, as clang does.
import type { Diagnostic, Loc } from '../parse/diagnostics.js';
import { diag } from '../parse/diagnostics.js';
import type { CType, Expr, FieldDecl, IntKind, RecordDecl } from '../parse/ir.js';
import { typeToC } from '../parse/c-text.js';
import type { AbiContext, FieldLayout, Layout, RecordLayout } from './context.js';
import { evaluateExpr } from './constexpr.js';
import { enumUnderlying } from './enum-values.js';
import { widthOf } from './int-types.js';

type Complete = Extract<Layout, { complete: true }>;

const incomplete = (reason: string): Layout => ({ complete: false, reason });

// ---------------------------------------------------------------------------------------------
// Memoisation: one table per context, keyed by record / enum id.

interface Memo {
  records: Map<number, Layout>;
  inProgress: Set<number>;
  /** Records given no size because they are too large (recordSizeProblem). */
  oversized: Set<number>;
}

const memos = new WeakMap<AbiContext, Memo>();

function memoOf(ctx: AbiContext): Memo {
  let m = memos.get(ctx);
  if (!m) {
    m = { records: new Map(), inProgress: new Set(), oversized: new Set() };
    memos.set(ctx, m);
  }
  return m;
}

// ---------------------------------------------------------------------------------------------
// Typedef resolution.

/**
 * Follow typedefs to the underlying type. Attributes and qualifiers of every typedef on the way
 * are merged, the outermost winning (an `aligned` on `typedef A B` overrides one on `A`, as in
 * gcc and clang). Returns an 'unknown' type for an undeclared typedef name.
 */
export function resolveType(type: CType, ctx: Pick<AbiContext, 'ir'>): CType {
  let t = type;
  let attrs = type.attrs;
  let quals = type.quals;
  const seen = new Set<string>();
  while (t.kind === 'typedef') {
    if (seen.has(t.name)) return { kind: 'unknown', text: t.name, reason: `typedef cycle through '${t.name}'` };
    seen.add(t.name);
    const td = ctx.ir.typedefs[t.name];
    if (!td) return { kind: 'unknown', text: t.name, reason: `unknown typedef '${t.name}'` };
    t = td.type;
    attrs = mergeAttrs(t.attrs, attrs);
    quals = quals || t.quals ? { ...t.quals, ...quals } : undefined;
  }
  if (attrs === t.attrs && quals === t.quals) return t;
  const out = { ...t } as CType;
  if (attrs) out.attrs = attrs;
  else delete out.attrs;
  if (quals) out.quals = quals;
  else delete out.quals;
  return out;
}

function mergeAttrs(inner: CType['attrs'], outer: CType['attrs']): CType['attrs'] {
  if (!inner) return outer;
  if (!outer) return inner;
  const m = { ...inner, ...outer };
  // An outer aligned(n) replaces an inner _Alignas(type) as well.
  if (outer.aligned !== undefined) delete m.alignedAsType;
  if (outer.alignedAsType !== undefined && outer.aligned === undefined) delete m.aligned;
  return m;
}

// ---------------------------------------------------------------------------------------------
// Types.

/** sizeof/_Alignof of a type as a struct member sees it; record layout for structs/unions. */
export function layoutOf(type: CType, ctx: AbiContext): Layout {
  const t = resolveType(type, ctx);
  const base = layoutOfUnattributed(t, ctx);
  if (!base.complete) return base;
  const a = t.attrs;
  let out: Complete = base;
  if (a?.vectorSize !== undefined) {
    const v = vectorLayout(base, a.vectorSize, ctx);
    if (!v.complete) return v;
    out = v;
  }
  // aligned() reached through a typedef sets the alignment (it may lower it: gcc manual,
  // "Common Type Attributes": "When used as part of a typedef, the aligned attribute can both
  // increase and decrease alignment").
  const explicit = explicitAlign(a, ctx);
  if (typeof explicit === 'string') return incomplete(explicit);
  if (explicit !== 0) out = { ...out, align: explicit };
  if (t.quals?.atomic) {
    const at = atomicLayout(out, ctx);
    if (!at.complete) return at;
    out = at;
  }
  return out;
}

function layoutOfUnattributed(t: CType, ctx: AbiContext): Layout {
  const target = ctx.target;
  switch (t.kind) {
    case 'void':
      return incomplete('void is an incomplete type');
    case 'int': {
      if (t.attrs?.mode !== undefined) {
        const m = modeType(t.name, t.attrs.mode, ctx);
        if ('reason' in m) return incomplete(m.reason);
        return scalar(target.scalars[m.kind]);
      }
      return scalar(target.scalars[t.name]);
    }
    case 'float':
      return scalar(target.scalars[t.name]);
    case 'complex': {
      const e = target.scalars[t.of];
      if (!e) return incomplete(`target has no layout for '${t.of}'`);
      return { complete: true, size: 2 * e.size, align: e.align };
    }
    case 'builtin':
      return scalar(target.scalars[t.name]);
    case 'pointer':
      return scalar(target.scalars.pointer);
    case 'function':
      return incomplete('a function type has no size');
    case 'array': {
      if (t.length === null) return incomplete('array of unknown length');
      const el = layoutOf(t.of, ctx);
      if (!el.complete) return incomplete(`array element: ${el.reason}`);
      const n = ctx.evaluate(t.length);
      if (!n.ok) return incomplete(`array length: ${n.reason}`);
      const problem = arraySizeProblem(n.value.value, BigInt(el.size), ctx);
      if (problem) return incomplete(problem.message);
      return { complete: true, size: el.size * Number(n.value.value), align: el.align };
    }
    case 'record':
      return recordLayoutById(t.id, ctx);
    case 'enum': {
      // The enum's underlying type (enum-values.ts: short enums, packed, values needing more).
      const decl = ctx.ir.enums[t.id];
      if (!decl) return incomplete(`unknown enum #${t.id}`);
      const u = enumUnderlying(decl, ctx);
      if (!u.ok) return incomplete(u.reason);
      return scalar(target.scalars[u.type]);
    }
    case 'typedef':
      return incomplete(`unresolved typedef '${t.name}'`);
    case 'typeof':
      return incomplete('typeof() is not evaluated for layout');
    case 'unknown':
      return incomplete(`type not understood: ${t.reason}`);
  }
}

function scalar(s: { size: number; align: number } | undefined): Layout {
  if (!s) return incomplete('target has no layout for this scalar type');
  return { complete: true, size: s.size, align: s.align };
}

/** `vector_size(N)`: N bytes, aligned to N rounded up to a power of two, capped by the target
 *  (AAPCS: 8; AAPCS64: 16). */
function vectorLayout(el: Complete, sizeExpr: Expr, ctx: AbiContext): Layout {
  const n = ctx.evaluate(sizeExpr);
  if (!n.ok) return incomplete(`vector_size: ${n.reason}`);
  if (n.value.value >= EXACT_BYTES) return incomplete(`vector_size(${n.value.value}) is too large`);
  let size = Number(n.value.value);
  if (size <= 0 || size % el.size !== 0) return incomplete(`vector_size(${size}) is not a multiple of the element size ${el.size}`);
  let align = nextPow2(Math.max(1, size));
  size = alignTo(size, align);
  const cap = ctx.target.maxVectorAlign;
  if (cap === undefined) return incomplete(`target '${ctx.target.name}' does not define maxVectorAlign`);
  if (cap > 0 && align > cap) align = cap;
  return { complete: true, size, align };
}

/** `_Atomic T`: sizes up to the target's atomic promotion width are rounded up to a power of
 *  two and aligned to their size (clang ASTContext::getTypeInfo, AtomicType). */
function atomicLayout(l: Complete, ctx: AbiContext): Layout {
  const w = ctx.target.maxAtomicPromoteWidth;
  if (w === undefined) return incomplete(`target '${ctx.target.name}' does not define maxAtomicPromoteWidth`);
  if (l.size !== 0 && l.size <= w) {
    const size = nextPow2(l.size);
    return { ...l, size, align: Math.max(l.align, size), ...(l.record ? { record: { ...l.record, size } } : {}) };
  }
  return l;
}

const MODE_BYTES: Record<string, number | 'pointer'> = {
  QI: 1, HI: 2, SI: 4, DI: 8, TI: 16, byte: 1, word: 'pointer', pointer: 'pointer', unwind_word: 'pointer',
};

/** `mode(QI|HI|SI|DI|TI|byte|word|pointer)`: the first of int, long, long long, short, char,
 *  __int128 with that size, keeping the signedness of the declared type. */
function modeType(base: IntKind, mode: string, ctx: AbiContext): { kind: IntKind } | { reason: string } {
  const m = mode.replace(/^__(.*)__$/, '$1');
  const want = MODE_BYTES[m];
  if (want === undefined) return { reason: `mode(${mode}) is not an integer mode portabi knows` };
  const bytes = want === 'pointer' ? ctx.target.scalars.pointer.size : want;
  const unsigned = base.startsWith('unsigned') || base === '_Bool' || (base === 'char' && !ctx.target.charSigned);
  // clang prefers int, then long, long long, then short and char (on AVR mode(HI) is int, with
  // int's 1-byte alignment, not short's 2).
  const order: IntKind[] = unsigned
    ? ['unsigned int', 'unsigned long', 'unsigned long long', 'unsigned short', 'unsigned char', 'unsigned __int128']
    : ['int', 'long', 'long long', 'short', 'signed char', '__int128'];
  for (const k of order) if (ctx.target.scalars[k]?.size === bytes) return { kind: k };
  return { reason: `mode(${mode}): target has no ${bytes}-byte integer type` };
}

/** The alignment an `aligned(n)` / `_Alignas` attribute asks for, in bytes; 0 when none;
 *  a string when it cannot be evaluated. */
function explicitAlign(a: CType['attrs'] | FieldDecl['attrs'] | undefined, ctx: AbiContext): number | string {
  if (!a) return 0;
  let align = 0;
  if (a.aligned === 'max') align = ctx.target.maxAlign;
  else if (a.aligned !== undefined) {
    const r = ctx.evaluate(a.aligned);
    if (!r.ok) return `aligned(): ${r.reason}`;
    const v = Number(r.value.value);
    // _Alignas(0) has no effect (C17 6.7.5p6).
    if (v !== 0 && (v < 0 || (v & (v - 1)) !== 0)) return `aligned(${v}) is not a power of two`;
    align = v;
  }
  if (a.alignedAsType) {
    const l = layoutOf(a.alignedAsType, ctx);
    if (!l.complete) return `_Alignas(type): ${l.reason}`;
    align = Math.max(align, l.align);
  }
  return align;
}

// ---------------------------------------------------------------------------------------------
// Records.

export function recordLayoutById(id: number, ctx: AbiContext): Layout {
  const memo = memoOf(ctx);
  const hit = memo.records.get(id);
  if (hit) return hit;
  const rec = ctx.ir.records[id];
  if (!rec) return incomplete(`unknown record #${id}`);
  const what = `${rec.tag} ${rec.name ?? '(anonymous)'}`;
  if (!rec.complete) return incomplete(`${what} is incomplete`);
  if (memo.inProgress.has(id)) return incomplete(`${what} contains itself`);
  memo.inProgress.add(id);
  let l: Layout;
  try {
    l = layoutRecord(rec, ctx);
  } finally {
    memo.inProgress.delete(id);
  }
  memo.records.set(id, l);
  return l;
}

/** The state of laying out one record, in bits. */
class RecordBuilder {
  /** Bits occupied so far, always a multiple of 8. */
  dataSize = 0;
  /** Bits of the last byte of dataSize that the last bit-field left free. */
  unfilled = 0;
  size = 0;
  align = 8;
  readonly fields: FieldLayout[] = [];
  flexible = false;
  constructor(
    readonly isUnion: boolean,
    /** `#pragma pack(n)` in bits; 0 when none. */
    readonly maxFieldAlign: number,
    readonly packed: boolean,
    /** aligned() on the record itself, in bits (gcc starts its offset alignment there). */
    readonly recordAlignAttr: number,
  ) {}

  /** Place an ordinary (non-bit-field) member of `size` bytes whose alignment is `typeAlign`. */
  placeField(f: FieldDecl, type: CType, l: Complete, fieldAlignAttr: number, flexible: boolean): void {
    this.unfilled = 0;
    const fieldPacked = this.packed || f.attrs.packed === true;
    // packed: one byte, but an aligned() on the member itself still counts;
    // otherwise the type's alignment raised by aligned() on the member.
    let align = fieldPacked ? Math.max(8, fieldAlignAttr * 8) : Math.max(l.align * 8, fieldAlignAttr * 8);
    if (this.maxFieldAlign) align = Math.min(align, this.maxFieldAlign);
    const offset = this.isUnion ? 0 : alignTo(this.dataSize, align);
    const sizeBits = flexible ? 0 : l.size * 8;
    this.dataSize = this.isUnion ? Math.max(this.dataSize, sizeBits) : offset + sizeBits;
    this.size = Math.max(this.size, this.dataSize);
    this.align = Math.max(this.align, align);
    const fl: FieldLayout = { name: f.name, type, offsetBits: offset, sizeBits, bitField: false };
    if (f.name === null && l.record) fl.anonymous = l.record;
    this.fields.push(fl);
  }

  /** Place a bit-field of `width` bits whose declared type has layout `l`. */
  placeBitField(f: FieldDecl, type: CType, l: Complete, width: number, fieldAlignAttr: number, ctx: AbiContext): void {
    const rules = ctx.target.bitfields;
    const fieldPacked = this.packed || f.attrs.packed === true;
    const unitSize = l.size * 8; // the container: the declared type's size...
    let fieldAlign = l.align * 8; // ...at the declared type's alignment
    let offset = this.isUnion ? 0 : this.dataSize - this.unfilled;

    if (!rules.typeAlignmentMatters) {
      // ABIs where the container need not be aligned (e.g. ARM APCS): the bit-field goes at the
      // next free bit; only a zero-width bit-field may still pad to its type.
      if (!(width === 0 && rules.zeroWidthAffectsAlignment)) fieldAlign = 1;
    }
    let unpackedAlign = fieldAlign;
    // A packed bit-field is aligned to one *bit*: it may straddle anything.
    if (fieldPacked && width !== 0) fieldAlign = 1;
    const explicit = fieldAlignAttr * 8;
    if (explicit) {
      fieldAlign = Math.max(fieldAlign, explicit);
      unpackedAlign = Math.max(unpackedAlign, explicit);
    }
    // #pragma pack overrides even aligned() on non-zero-width bit-fields. Under #pragma pack a
    // packed bit-field is not one-bit aligned but aligned as if unpacked, capped by the pack
    // (gcc update_alignment_for_field: maximum_field_alignment is tested before DECL_PACKED;
    // clang follows).
    if (this.maxFieldAlign && width !== 0) {
      unpackedAlign = Math.min(unpackedAlign, this.maxFieldAlign);
      fieldAlign = fieldPacked ? unpackedAlign : Math.min(fieldAlign, this.maxFieldAlign);
    }
    // #pragma pack, with any value, suppresses the padding that avoids straddling.
    const allowPadding = this.maxFieldAlign === 0;
    // gcc (stor-layout.c layout_decl, called by update_alignment_for_field with the alignment
    // known at the current position) turns a bit-field that exactly fills an integer mode, at a
    // position already aligned for that mode, into an ordinary member of that mode: it is then
    // placed at the mode's alignment (raised by the member's own aligned()), the declared type's
    // alignment and the straddling rule do not move it (place_field's PCC block tests
    // DECL_BIT_FIELD), but the declared type's alignment still counts for the record
    // (DECL_BIT_FIELD_TYPE stays set). This is decided before any padding.
    const gccMode = width !== 0 && ctx.target.compiler === 'gcc' && !fieldPacked ? gccIntegerMode(width, offset, ctx) : 0;
    if (gccMode) {
      let desired = Math.max(gccMode, explicit);
      if (this.maxFieldAlign) desired = Math.min(desired, this.maxFieldAlign);
      if (!this.isUnion) offset = alignTo(offset, desired);
      fieldAlign = Math.max(fieldAlign, desired);
    } else if (width !== 0 && ctx.target.compiler === 'gcc') {
      // gcc (stor-layout.c place_field): first the member's own aligned() (capped by
      // #pragma pack); then, unless packed or under #pragma pack, the straddling rule
      // (excess_unit_span): the bit-field may not span more units of its declared type's
      // alignment TA than the type's size holds whole. When a typedef raised TA above the
      // type's size that is always true, so such bit-fields always move to a TA boundary
      // — measured from the last multiple of __BIGGEST_ALIGNMENT__, because gcc rounds only
      // the bit part of its (byte offset, bit position) pair, which it keeps normalised below
      // BIGGEST_ALIGNMENT.
      if (explicit) offset = alignTo(offset, this.maxFieldAlign ? Math.min(explicit, this.maxFieldAlign) : explicit);
      const ta = l.align * 8;
      if (allowPadding && !fieldPacked && Math.ceil(((offset % ta) + width) / ta) > Math.floor(unitSize / ta)) {
        const oa = Math.max(ctx.target.maxAlign * 8, this.recordAlignAttr);
        if (ta <= oa) offset = alignTo(offset, ta);
        else {
          const base = Math.floor(offset / oa) * oa;
          offset = base + alignTo(offset - base, ta);
        }
      }
    } else if (width === 0 || (allowPadding && (offset % fieldAlign) + width > unitSize)) {
      offset = alignTo(offset, fieldAlign);
    } else if (explicit && (this.maxFieldAlign === 0 || explicit <= this.maxFieldAlign)) {
      // clang (ItaniumRecordLayoutBuilder::LayoutBitField): the straddling rule first, at the
      // unaligned position; then aligned(), even if that makes the bit-field straddle.
      offset = alignTo(offset, explicit);
    }
    // Unnamed bit-fields contribute to the record's alignment only where the ABI says so.
    if (f.name === null) {
      const counts = width === 0 ? rules.zeroWidthAffectsAlignment : rules.unnamedAffectsAlignment;
      if (!counts) fieldAlign = unpackedAlign = 1;
    }
    if (this.isUnion) {
      this.dataSize = Math.max(this.dataSize, alignTo(width, 8));
    } else {
      const end = offset + width;
      this.dataSize = alignTo(end, 8);
      this.unfilled = this.dataSize - end;
    }
    this.size = Math.max(this.size, this.dataSize);
    this.align = Math.max(this.align, fieldAlign);
    this.fields.push({ name: f.name, type, offsetBits: offset, sizeBits: width, bitField: true });
  }
}

function layoutRecord(rec: RecordDecl, ctx: AbiContext): Layout {
  const what = `${rec.tag} ${rec.name ?? '(anonymous)'}`;
  const recAlign = explicitAlign(rec.attrs, ctx);
  if (typeof recAlign === 'string') return incomplete(`${what}: ${recAlign}`);
  const b = new RecordBuilder(rec.tag === 'union', (rec.pack ?? 0) * 8, rec.attrs.packed === true, recAlign * 8);
  for (let i = 0; i < rec.fields.length; i++) {
    const f = rec.fields[i]!;
    const fname = f.name ?? '(unnamed)';
    const type = fieldType(f);
    const fieldAlignAttr = explicitAlign(f.attrs, ctx);
    if (typeof fieldAlignAttr === 'string') return incomplete(`${what}: member ${fname}: ${fieldAlignAttr}`);
    const rt = resolveType(type, ctx);
    if (f.bitWidth !== null) {
      const w = ctx.evaluate(f.bitWidth);
      if (!w.ok) return incomplete(`${what}: bit-field ${fname}: width: ${w.reason}`);
      const l = layoutOf(type, ctx);
      if (!l.complete) return incomplete(`${what}: bit-field ${fname}: ${l.reason}`);
      if (rt.kind !== 'int' && rt.kind !== 'enum') return incomplete(`${what}: ${nonIntegralBitField(f, ctx)}`);
      const problem = bitFieldWidthProblem(f.name, w.value.value, bitFieldTypeWidth(rt, l));
      if (problem) return incomplete(`${what}: ${problem}`);
      b.placeBitField(f, type, l, Number(w.value.value), fieldAlignAttr, ctx);
      continue;
    }
    // A flexible array member: last member, `[]`; size 0, aligned as its element.
    if (rt.kind === 'array' && rt.length === null) {
      if (i !== rec.fields.length - 1) {
        return incomplete(`${what}: member ${fname}: array of unknown length is not the last member`);
      }
      const el = layoutOf(rt.of, ctx);
      if (!el.complete) return incomplete(`${what}: member ${fname}: ${el.reason}`);
      // Attributes on the array typedef (aligned) apply to the member.
      const ea = explicitAlign(rt.attrs, ctx);
      if (typeof ea === 'string') return incomplete(`${what}: member ${fname}: ${ea}`);
      b.placeField(f, type, { complete: true, size: 0, align: ea || el.align }, fieldAlignAttr, true);
      b.flexible = true;
      continue;
    }
    const l = layoutOf(type, ctx);
    if (!l.complete) return incomplete(`${what}: member ${fname}: ${l.reason}`);
    b.placeField(f, type, l, fieldAlignAttr, false);
    // Each member is below 2^53 bits, so the sum is still compared exactly.
    if (b.size >= EXACT_BITS) return oversized(rec, recordSizeProblem(what, null, ctx), ctx);
  }
  // aligned() on the record raises its alignment (#pragma pack does not cap it).
  const align = Math.max(b.align, recAlign * 8);
  const size = alignTo(b.size, align);
  const tooLarge = recordSizeProblem(what, size, ctx);
  if (tooLarge) return oversized(rec, tooLarge, ctx);
  const record: RecordLayout = { size: size / 8, align: align / 8, fields: b.fields, flexible: b.flexible };
  return { complete: true, size: record.size, align: record.align, record };
}

function oversized(rec: RecordDecl, reason: string | null, ctx: AbiContext): Layout {
  memoOf(ctx).oversized.add(rec.id);
  return incomplete(reason ?? `${rec.tag} ${rec.name ?? '(anonymous)'} is too large`);
}

// ---------------------------------------------------------------------------------------------
// Size limits, and the errors clang gives for sizes and widths.

/** Sizes from 2^50 bytes on (2^53 bits) would not be exact as numbers: they get none. */
const EXACT_BYTES = 1n << 50n;
const EXACT_BITS = 2 ** 53;

function bitLength(v: bigint): number {
  return v <= 0n ? 0 : v.toString(2).length;
}

function sizeMax(ctx: AbiContext): bigint {
  return (1n << BigInt(widthOf(ctx.target.sizeType, ctx.target))) - 1n;
}

/**
 * What is wrong with an array of `count` elements of `elementSize` bytes: clang's errors (a
 * negative size; more bytes than min(width of size_t, 61) bits can count, clang's
 * ConstantArrayType::getMaxSizeBits, counted as getNumAddressingBits does), or portabi's
 * exactness limit (a warning: clang accepts such an array on a 64-bit target). Null when none.
 */
function arraySizeProblem(count: bigint, elementSize: bigint | null, ctx: AbiContext): { severity: 'error' | 'warning'; message: string } | null {
  if (count < 0n) return { severity: 'error', message: 'array size is negative' };
  if (elementSize === null) return null;
  const maxBits = Math.min(widthOf(ctx.target.sizeType, ctx.target), 61);
  const isPow2 = elementSize > 0n && (elementSize & (elementSize - 1n)) === 0n;
  const bits = isPow2 ? bitLength(count) + bitLength(elementSize) - 1 : bitLength(count * elementSize);
  if (bits > maxBits) return { severity: 'error', message: `array is too large (${count} elements)` };
  if (count * elementSize >= EXACT_BYTES) {
    return { severity: 'warning', message: `array of ${count * elementSize} bytes is too large for portabi to give an exact size (the limit is 2^50 bytes)` };
  }
  return null;
}

/** A record of `bits` (null: 2^53 or more) larger than the target's SIZE_MAX, or than portabi
 *  sizes exactly; null when it is neither. clang gives no error for either (its sizeof of such
 *  a record is wrong). */
function recordSizeProblem(what: string, bits: number | null, ctx: AbiContext): string | null {
  const max = sizeMax(ctx);
  if (max < EXACT_BYTES) {
    return bits === null || BigInt(bits / 8) > max ? `${what} is larger than SIZE_MAX (${max} bytes)` : null;
  }
  return bits === null || BigInt(bits / 8) >= EXACT_BYTES ? `${what} is too large for portabi to give an exact size (the limit is 2^50 bytes)` : null;
}

/** The width a bit-field's declared type can hold: _Bool's is 1 (clang, gcc). */
function bitFieldTypeWidth(rt: CType, l: Extract<Layout, { complete: true }>): number {
  return rt.kind === 'int' && rt.name === '_Bool' && rt.attrs?.mode === undefined ? 1 : l.size * 8;
}

/** clang's error for a bit-field `width` its type of `typeWidth` bits cannot have; null if none. */
function bitFieldWidthProblem(name: string | null, width: bigint, typeWidth: number): string | null {
  if (width < 0n) return name !== null ? `bit-field '${name}' has negative width (${width})` : `anonymous bit-field has negative width (${width})`;
  if (width === 0n && name !== null) return `named bit-field '${name}' has zero width`;
  if (width > BigInt(typeWidth)) {
    const what = name !== null ? `bit-field '${name}'` : 'anonymous bit-field';
    return `width of ${what} (${width} bits) exceeds the width of its type (${typeWidth} bit${typeWidth === 1 ? '' : 's'})`;
  }
  return null;
}

function nonIntegralBitField(f: FieldDecl, ctx: AbiContext): string {
  return `${f.name !== null ? `bit-field '${f.name}'` : 'anonymous bit-field'} has non-integral type '${typeToC(f.type, ctx.ir)}'`;
}

/**
 * The errors clang gives for the sizes in the declarations, which layout can only refuse (no
 * size): array sizes that are negative ("'a' declared as an array with a negative size") or too
 * large for the target ("array is too large (N elements)"), bit-field widths the declared type
 * cannot hold; clang's overflow warnings in those constant expressions; and warnings for the
 * arrays and records portabi gives no size because they are too large to be exact (or, records,
 * larger than SIZE_MAX). Located where clang locates them, in source order within each file.
 */
export function checkDeclaredSizes(ctx: AbiContext): Diagnostic[] {
  // One group per size checked, under its declaration's location: the warnings its evaluation
  // gave, then its error. clang reports declarations in source order, and within one the
  // element type's array before the array's.
  const groups: { at: Loc | null; diags: Diagnostic[] }[] = [];
  const seen = new Set<Expr>();
  const evaluate = (e: Expr, diags: Diagnostic[]) => evaluateExpr(e, ctx, diags);
  /** An array's size in bytes, exact (its elements' when they are arrays too); null when unknown. */
  const byteSize = (t: CType): bigint | null => {
    if (t.kind !== 'array') {
      const l = ctx.layoutOf(t);
      return l.complete ? BigInt(l.size) : null;
    }
    if (t.length === null) return null;
    const n = ctx.evaluate(t.length);
    if (!n.ok || n.value.value < 0n) return null;
    const el = byteSize(t.of);
    return el === null ? null : n.value.value * el;
  };
  /** Checks the arrays in `t`, declared as `name` at `decl`; true when `t` is itself an array
   *  clang rejects. */
  const visit = (t: CType, name: string | null, decl: Loc): boolean => {
    switch (t.kind) {
      case 'array': {
        // The element type first, as clang builds it; an invalid one is int for the rest.
        const elementInvalid = visit(t.of, name, decl);
        if (t.length === null || seen.has(t.length)) return false;
        seen.add(t.length);
        const diags: Diagnostic[] = [];
        const at = t.length.loc ?? null;
        groups.push({ at: decl, diags });
        const n = evaluate(t.length, diags);
        if (!n.ok) return false;
        const count = n.value.value;
        const element = count < 0n ? null : elementInvalid ? BigInt(ctx.target.scalars.int.size) : byteSize(t.of);
        const p = arraySizeProblem(count, element, ctx);
        if (!p) return false;
        const message = count < 0n && name !== null ? `'${name}' declared as an array with a negative size` : p.message;
        diags.push(diag(p.severity, message, at, 'size'));
        return p.severity === 'error';
      }
      case 'pointer':
        visit(t.to, name, decl);
        return false;
      case 'function':
        visit(t.ret, name, decl);
        for (const p of t.params) visit(p.type, p.name, decl);
        return false;
      default:
        return false;
    }
  };
  for (const v of Object.values(ctx.ir.variables)) visit(v.type, v.name, v.loc);
  for (const td of Object.values(ctx.ir.typedefs)) visit(td.type, td.name, td.loc);
  for (const f of Object.values(ctx.ir.functions)) visit(f.type, f.name, f.loc);
  const oversized = memoOf(ctx).oversized;
  for (const rec of ctx.ir.records) {
    if (!rec.complete) continue;
    for (const f of rec.fields) {
      visit(f.type, f.name, f.loc);
      if (f.bitWidth === null || seen.has(f.bitWidth)) continue;
      seen.add(f.bitWidth);
      const diags: Diagnostic[] = [];
      groups.push({ at: f.loc, diags });
      const w = evaluate(f.bitWidth, diags);
      if (!w.ok) continue;
      const type = fieldType(f);
      const rt = resolveType(type, ctx);
      if (rt.kind !== 'int' && rt.kind !== 'enum') {
        if (rt.kind !== 'unknown' && rt.kind !== 'typedef') diags.push(diag('error', nonIntegralBitField(f, ctx), f.loc, 'size'));
        continue;
      }
      const l = ctx.layoutOf(type);
      if (!l.complete) continue;
      const problem = bitFieldWidthProblem(f.name, w.value.value, bitFieldTypeWidth(rt, l));
      if (problem) diags.push(diag('error', problem, f.loc, 'size'));
    }
    const l = recordLayoutById(rec.id, ctx);
    if (!l.complete && oversized.has(rec.id)) groups.push({ at: rec.loc, diags: [diag('warning', `${l.reason}: it is given no size`, rec.loc, 'size')] });
  }
  return inSourceOrder(groups.filter((g) => g.diags.length > 0)).flatMap((g) => g.diags);
}

/** Stable: files in the order they first appear, then line and column. */
function inSourceOrder<T extends { at: Loc | null }>(items: T[]): T[] {
  const files = new Map<string, number>();
  for (const x of items) if (x.at && !files.has(x.at.file)) files.set(x.at.file, files.size);
  const key = (x: T): [number, number, number] => (x.at ? [files.get(x.at.file)!, x.at.line, x.at.col] : [Infinity, 0, 0]);
  return items
    .map((x, i) => ({ x, i, k: key(x) }))
    .sort((a, b) => a.k[0] - b.k[0] || a.k[1] - b.k[1] || a.k[2] - b.k[2] || a.i - b.i)
    .map((e) => e.x);
}

/** The member's type with member-position type attributes (mode, vector_size) applied. */
function fieldType(f: FieldDecl): CType {
  if (f.attrs.mode === undefined && f.attrs.vectorSize === undefined) return f.type;
  const attrs = { ...f.type.attrs };
  if (f.attrs.mode !== undefined) attrs.mode = f.attrs.mode;
  if (f.attrs.vectorSize !== undefined) attrs.vectorSize = f.attrs.vectorSize;
  return { ...f.type, attrs } as CType;
}

/** The alignment (bits) of the integer mode a gcc bit-field of `width` bits at bit `offset` is
 *  turned into (layout_decl: a mode of exactly that size, and the position's known alignment at
 *  least the mode's); 0 when it stays a bit-field. */
function gccIntegerMode(width: number, offset: number, ctx: AbiContext): number {
  const kinds = ['signed char', 'short', 'int', 'long', 'long long', '__int128'] as const;
  const mode = kinds.map((k) => ctx.target.scalars[k]).find((x) => x && x.size * 8 === width);
  if (!mode) return 0;
  const ma = mode.align * 8;
  return offset === 0 || (offset & -offset) >= ma ? ma : 0;
}

function alignTo(v: number, a: number): number {
  return Math.ceil(v / a) * a;
}

function nextPow2(v: number): number {
  let p = 1;
  while (p < v) p *= 2;
  return p;
}
