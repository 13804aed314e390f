// Initializer lists (C17 6.7.9) to the exact byte image the compiler emits for a static
// object on the target: nested braces and brace elision, designators (chained, through
// anonymous members, followed by positional continuation), unions, bit-fields, strings for
// character arrays, and zero fill of everything not initialized (6.7.9p10, p21).
//
// The list is first interpreted into a tree of sub-object initializers (which member gets
// which expression, later initializers overriding earlier ones, 6.7.9p19), then the tree is
// written into bytes at the offsets the layout gives, in the target's byte order.
import type { Loc } from '../parse/diagnostics.js';
import type { CType, Designator, Expr, InitList } from '../parse/ir.js';
import type { AbiContext, FieldLayout, RecordLayout } from './context.js';
import { anonymousLayout, convertConstant, evaluateConstant, realOf, scalarKindOf, type ConstValue, type ScalarKind } from './constexpr.js';
import { encodeFloat, floatFormatOf } from './float-format.js';
import { isUnsigned } from './int-types.js';
import { parseStringLiteral } from './literals.js';

/** One explicitly initialized scalar (or string) of the object, where it lives and its value. */
export interface InitializedField {
  /** C access path from the object, e.g. `.__data.__kind`, `[2].x`. */
  path: string;
  offsetBits: number;
  sizeBits: number;
  bitField: boolean;
  /** Decimal for integers, the number for floating values, 0x… for pointers, the literal for strings. */
  value: string;
}

export type InitializerResult =
  | { ok: true; bytes: Uint8Array; fields: InitializedField[]; warnings: string[] }
  | { ok: false; reason: string; loc?: Loc };

class InitError extends Error {
  constructor(
    message: string,
    readonly loc?: Loc,
  ) {
    super(message);
  }
}

function fail(reason: string, loc?: Loc): never {
  throw new InitError(reason, loc);
}

// --- the sub-object tree ----------------------------------------------------------------

type Sub =
  | { kind: 'scalar'; expr: Expr }
  | { kind: 'string'; expr: Expr }
  | { kind: 'agg'; children: Map<number, Sub> };

type AggNode = Extract<Sub, { kind: 'agg' }>;

interface Member {
  name: string | null;
  type: CType;
  offsetBits: number;
  sizeBits: number;
  bitField: boolean;
  /** Unnamed bit-fields do not take part in initialization (6.7.9p9). */
  initializable: boolean;
  /** For anonymous struct/union members: their layout (offsets relative to the member). */
  anonymous?: RecordLayout;
}

type Shape =
  | { kind: 'struct' | 'union'; type: CType; size: number; members: Member[] }
  | { kind: 'array'; type: CType; elem: CType; elemSize: number; length: number | null };

function isAggregate(ctx: AbiContext, type: CType): boolean {
  const t = ctx.resolve(type);
  return t.kind === 'record' || t.kind === 'array';
}

function shapeOf(ctx: AbiContext, type: CType, anonymous?: RecordLayout): Shape {
  const t = ctx.resolve(type);
  if (t.kind === 'array') {
    const lay = ctx.layoutOf(t.of);
    if (!lay.complete) fail(`array element type is incomplete: ${lay.reason}`);
    let length: number | null = null;
    if (t.length) {
      const r = ctx.evaluate(t.length);
      if (!r.ok) fail(`array length is not a constant: ${r.reason}`);
      length = Number(r.value.value);
    }
    return { kind: 'array', type, elem: t.of, elemSize: lay.size, length };
  }
  if (t.kind === 'record') {
    const decl = ctx.ir.records[t.id];
    if (!decl) fail(`unknown record #${t.id}`);
    let rec = anonymous;
    let size = rec ? rec.size : 0;
    if (!rec) {
      const lay = ctx.layoutOf(type);
      if (!lay.complete) fail(`${decl.tag} ${decl.name ?? '<anonymous>'} is incomplete: ${lay.reason}`);
      if (!lay.record) fail(`no record layout for ${decl.tag} ${decl.name ?? '<anonymous>'}`);
      rec = lay.record;
      size = lay.size;
    }
    const members: Member[] = rec.fields.map((f: FieldLayout) => {
      const m: Member = {
        name: f.name,
        type: f.type,
        offsetBits: f.offsetBits,
        sizeBits: f.sizeBits,
        bitField: f.bitField,
        initializable: !(f.bitField && f.name === null),
      };
      if (f.name === null && !f.bitField) {
        const inner = anonymousLayout(f, ctx);
        if (inner) m.anonymous = inner;
      }
      return m;
    });
    return { kind: decl.tag, type, size, members };
  }
  fail('not an aggregate type');
}

function memberType(shape: Shape, idx: number): CType {
  return shape.kind === 'array' ? shape.elem : shape.members[idx]!.type;
}

function firstIndex(shape: Shape): number {
  if (shape.kind === 'array') return 0;
  const i = shape.members.findIndex((m) => m.initializable);
  return i < 0 ? shape.members.length : i;
}

function atEnd(shape: Shape, idx: number): boolean {
  if (shape.kind === 'array') return shape.length !== null && idx >= shape.length;
  return idx >= shape.members.length;
}

function nextIndex(shape: Shape, idx: number): number {
  if (shape.kind === 'array') return idx + 1;
  // A union is initialized by one member; the next positional initializer leaves it.
  if (shape.kind === 'union') return shape.members.length;
  let i = idx + 1;
  while (i < shape.members.length && !shape.members[i]!.initializable) i++;
  return i;
}

function isStringLiteral(e: Expr): boolean {
  return e.k === 'string';
}

/** 6.7.9p14-15: an array of character type / wchar_t / char16_t / char32_t, from a string. */
function isCharArray(ctx: AbiContext, type: CType): boolean {
  const t = ctx.resolve(type);
  if (t.kind !== 'array') return false;
  const el = scalarKindOf(t.of, ctx);
  return el !== null && el.k === 'int';
}

interface Frame {
  shape: Shape;
  node: AggNode;
  idx: number;
}

class Interpreter {
  readonly warnings: string[] = [];
  /** Highest element index initialized in the outermost array of unknown length. */
  rootMax = -1;

  constructor(private readonly ctx: AbiContext) {}

  /** The initializer for an object of `type` given by a braced list. */
  braced(list: InitList, type: CType, isRoot = false): Sub {
    if (!isAggregate(this.ctx, type)) {
      // 6.7.9p11: a scalar's initializer is one expression, optionally enclosed in braces.
      if (list.items.length === 0) return { kind: 'scalar', expr: { k: 'int', text: '0' } }; // C23 {} / GNU
      const first = list.items[0]!;
      if (first.designators.length) fail('designator in the initializer of a scalar', list.loc);
      if (list.items.length > 1) this.warnings.push('excess elements in scalar initializer');
      const v = first.value;
      return v.k === 'init' ? this.braced(v.list, type) : { kind: 'scalar', expr: v };
    }
    // 6.7.9p14: a character array may be initialized by a string literal in braces.
    if (isCharArray(this.ctx, type) && list.items.length >= 1 && list.items[0]!.designators.length === 0 && isStringLiteral(list.items[0]!.value)) {
      const e = list.items[0]!.value;
      if (isRoot) this.rootStringLength(e, type);
      return { kind: 'string', expr: e };
    }
    const root: AggNode = { kind: 'agg', children: new Map() };
    const rootShape = shapeOf(this.ctx, type);
    const trackRoot = isRoot && rootShape.kind === 'array' && rootShape.length === null;
    const stack: Frame[] = [{ shape: rootShape, node: root, idx: firstIndex(rootShape) }];
    for (const item of list.items) {
      const loc = item.value.loc ?? list.loc;
      if (item.designators.length) {
        stack.length = 1;
        this.designate(stack, item.designators, loc);
      } else {
        // Find the next sub-object: leave finished (elided) aggregates.
        while (atEnd(stack[stack.length - 1]!.shape, stack[stack.length - 1]!.idx) && stack.length > 1) {
          stack.pop();
          const top = stack[stack.length - 1]!;
          top.idx = nextIndex(top.shape, top.idx);
        }
        const top = stack[stack.length - 1]!;
        if (atEnd(top.shape, top.idx)) {
          this.warnings.push(`excess elements in ${top.shape.kind} initializer ignored`);
          continue;
        }
      }
      this.assign(stack, item.value, loc);
      if (trackRoot) {
        // Index of the outermost element touched, for `T a[] = {...}`.
        this.rootMax = Math.max(this.rootMax, stack.length > 1 ? stack[0]!.idx : stack[0]!.idx - 1);
      }
    }
    return root;
  }

  private rootStringLength(e: Expr, type: CType): void {
    const t = this.ctx.resolve(type);
    if (t.kind === 'array' && t.length === null && e.k === 'string') {
      const r = parseStringLiteral(e.text, this.ctx.target);
      if (!r.ok) fail(r.reason, e.loc);
      this.rootMax = r.value.units.length - 1;
    }
  }

  /** Navigate a designator list from the current object (stack[0]), 6.7.9p17-18. */
  private designate(stack: Frame[], designators: Designator[], loc?: Loc): void {
    for (let j = 0; j < designators.length; j++) {
      const frame = stack[stack.length - 1]!;
      const d = designators[j]!;
      let path: number[];
      if ('field' in d) {
        if (frame.shape.kind === 'array') fail(`field designator '.${d.field}' used for an array`, loc);
        const found = this.findMemberPath(frame.shape, d.field);
        if (!found) fail(`no member named '${d.field}'`, loc);
        path = found;
      } else {
        if (frame.shape.kind !== 'array') fail('array designator used for a struct or union', loc);
        const r = this.ctx.evaluate(d.index);
        if (!r.ok) fail(`array designator is not a constant: ${r.reason}`, loc);
        const i = Number(r.value.value);
        if (i < 0 || (frame.shape.length !== null && i >= frame.shape.length)) {
          fail(`array designator index ${i} is outside the array bounds`, loc);
        }
        path = [i];
      }
      // Through anonymous members: each step but the last opens that member.
      for (let p = 0; p < path.length; p++) {
        const f = stack[stack.length - 1]!;
        f.idx = path[p]!;
        const last = p === path.length - 1 && j === designators.length - 1;
        if (!last) this.open(stack);
      }
    }
  }

  /** Member path (indices) to `name`, through anonymous members. */
  private findMemberPath(shape: Shape, name: string): number[] | null {
    if (shape.kind === 'array') return null;
    const direct = shape.members.findIndex((m) => m.name === name);
    if (direct >= 0) return [direct];
    for (let i = 0; i < shape.members.length; i++) {
      const m = shape.members[i]!;
      if (m.name !== null || m.bitField) continue;
      if (!isAggregate(this.ctx, m.type)) continue;
      const inner = this.findMemberPath(shapeOf(this.ctx, m.type, m.anonymous), name);
      if (inner) return [i, ...inner];
    }
    return null;
  }

  /** Push a frame for the aggregate sub-object at the top frame's index (reusing its node). */
  private open(stack: Frame[]): void {
    const f = stack[stack.length - 1]!;
    const t = memberType(f.shape, f.idx);
    if (!isAggregate(this.ctx, t)) fail('designator goes into a member that is not a struct, union or array');
    const anonymous = f.shape.kind !== 'array' ? f.shape.members[f.idx]!.anonymous : undefined;
    const shape = shapeOf(this.ctx, t, anonymous);
    if (shape.kind === 'array' && shape.length === null) fail('initializing a flexible array member is not supported');
    let child = f.node.children.get(f.idx);
    if (!child || child.kind !== 'agg') {
      child = { kind: 'agg', children: new Map() };
      this.setChild(f, child);
    }
    stack.push({ shape, node: child, idx: firstIndex(shape) });
  }

  private setChild(f: Frame, sub: Sub): void {
    if (f.shape.kind === 'union') {
      // 6.7.9p9/p19: only one member of a union holds a value; the last one initialized.
      if (!f.node.children.has(f.idx)) f.node.children.clear();
    }
    f.node.children.set(f.idx, sub);
  }

  /** Initialize the sub-object at the top frame's index with `value`, eliding braces as needed. */
  private assign(stack: Frame[], value: Expr, loc?: Loc): void {
    for (;;) {
      const f = stack[stack.length - 1]!;
      const t = memberType(f.shape, f.idx);
      const m = f.shape.kind !== 'array' ? f.shape.members[f.idx]! : null;
      const flexible = (() => {
        const r = this.ctx.resolve(t);
        return r.kind === 'array' && r.length === null;
      })();
      if (flexible && (value.k === 'init' || value.k === 'string' || isAggregate(this.ctx, t))) {
        fail(`initializing a flexible array member${m?.name ? ` '${m.name}'` : ''} is not supported`, loc);
      }
      if (value.k === 'init') {
        this.setChild(f, this.braced(value.list, t));
        break;
      }
      if (value.k === 'compound' && isAggregate(this.ctx, t)) {
        // GNU: a constant compound literal initializes an aggregate member like a braced list.
        this.setChild(f, this.braced(value.init, t));
        break;
      }
      if (!isAggregate(this.ctx, t)) {
        this.setChild(f, { kind: 'scalar', expr: value });
        break;
      }
      if (value.k === 'string' && isCharArray(this.ctx, t)) {
        this.setChild(f, { kind: 'string', expr: value });
        break;
      }
      // 6.7.9p20: brace elision — the value initializes the first sub-object of the member,
      // and the following initializers the rest of it.
      this.open(stack);
    }
    const f = stack[stack.length - 1]!;
    f.idx = nextIndex(f.shape, f.idx);
  }
}

// --- writing bytes --------------------------------------------------------------------------

class Writer {
  readonly fields: InitializedField[] = [];

  constructor(
    private readonly ctx: AbiContext,
    readonly bytes: Uint8Array,
  ) {}

  write(sub: Sub, type: CType, baseBits: number, path: string, anonymous?: RecordLayout, slot?: { sizeBits: number; bitField: boolean }): void {
    if (sub.kind === 'scalar') return this.scalar(sub.expr, type, baseBits, path, slot);
    if (sub.kind === 'string') return this.string(sub.expr, type, baseBits, path);
    const shape = shapeOf(this.ctx, type, anonymous);
    for (const [idx, child] of [...sub.children].sort((a, b) => a[0] - b[0])) {
      if (shape.kind === 'array') {
        this.write(child, shape.elem, baseBits + idx * shape.elemSize * 8, `${path}[${idx}]`);
      } else {
        const m = shape.members[idx]!;
        const p = m.name === null ? path : `${path}.${m.name}`;
        this.write(child, m.type, baseBits + m.offsetBits, p, m.anonymous, { sizeBits: m.sizeBits, bitField: m.bitField });
      }
    }
  }

  private scalar(expr: Expr, type: CType, offsetBits: number, path: string, slot?: { sizeBits: number; bitField: boolean }): void {
    const sk = scalarKindOf(type, this.ctx);
    if (!sk) fail(`cannot initialize ${path || 'the object'}: its type is not a supported scalar type`, expr.loc);
    const r = evaluateConstant(expr, this.ctx);
    if (!r.ok) fail(`${path || 'initializer'}: ${r.reason}`, expr.loc);
    const c = convertConstant(r.value, sk, this.ctx);
    if (!c.ok) fail(`${path || 'initializer'}: ${c.reason}`, expr.loc);
    const v = c.value;
    if (slot?.bitField) {
      if (v.k !== 'int') fail(`${path}: bit-field value is not an integer`, expr.loc);
      this.bits(v.value, offsetBits, slot.sizeBits);
      // The value the member reads back as: signed bit-fields sign-extend (plain int
      // bit-fields are signed with GCC and clang; plain char ones follow char's signedness).
      const signed = sk.k === 'int' && !isUnsigned(sk.kind, this.ctx.target);
      const back = signed ? BigInt.asIntN(slot.sizeBits, v.value) : BigInt.asUintN(slot.sizeBits, v.value);
      this.fields.push({ path, offsetBits, sizeBits: slot.sizeBits, bitField: true, value: back.toString() });
      return;
    }
    const size = this.scalarSize(type);
    this.bytesAt(offsetBits / 8, encodeScalar(v, sk, size, this.ctx, path));
    this.fields.push({ path, offsetBits, sizeBits: size * 8, bitField: false, value: describe(v) });
  }

  private scalarSize(type: CType): number {
    const l = this.ctx.layoutOf(type);
    if (!l.complete) fail(`incomplete scalar type: ${l.reason}`);
    return l.size;
  }

  private string(expr: Expr, type: CType, offsetBits: number, path: string): void {
    if (expr.k !== 'string') fail('expected a string literal', expr.loc);
    const r = parseStringLiteral(expr.text, this.ctx.target);
    if (!r.ok) fail(r.reason, expr.loc);
    const shape = shapeOf(this.ctx, type);
    if (shape.kind !== 'array') fail('string literal for a non-array', expr.loc);
    const el = scalarKindOf(shape.elem, this.ctx);
    if (!el || el.k !== 'int') fail('string literal for an array that is not of character type', expr.loc);
    // The literal's element type must match the array's (char-sized for "", wchar_t for L"").
    if (shape.elemSize !== this.ctx.target.scalars[r.value.elem].size) {
      fail(`a ${r.value.prefix || 'plain'} string literal cannot initialize an array of '${el.kind}'`, expr.loc);
    }
    // 6.7.9p14: successive characters, including the terminating null "if there is room".
    const n = shape.length === null ? r.value.units.length : Math.min(shape.length, r.value.units.length);
    for (let i = 0; i < n; i++) {
      const v: ConstValue = { k: 'int', value: r.value.units[i]!, type: el.kind };
      this.bytesAt(offsetBits / 8 + i * shape.elemSize, encodeScalar(v, el, shape.elemSize, this.ctx, path));
    }
    this.fields.push({ path, offsetBits, sizeBits: n * shape.elemSize * 8, bitField: false, value: expr.text });
  }

  private bytesAt(offset: number, data: Uint8Array): void {
    if (offset + data.length > this.bytes.length) fail('initializer writes past the end of the object');
    this.bytes.set(data, offset);
  }

  /**
   * A bit-field at the layout's bit offset. Little-endian targets number bits LSB-first within
   * each byte and store the value's least significant bit first; big-endian targets (AAPCS BE,
   * MIPS, PowerPC) number bits MSB-first and store the value's most significant bit first.
   */
  private bits(value: bigint, offsetBits: number, width: number): void {
    const v = BigInt.asUintN(width, value);
    const big = this.ctx.target.endian === 'big';
    for (let j = 0; j < width; j++) {
      const bit = Number((v >> BigInt(j)) & 1n);
      const pos = big ? offsetBits + (width - 1 - j) : offsetBits + j;
      const byte = pos >> 3;
      if (byte >= this.bytes.length) fail('bit-field writes past the end of the object');
      const mask = big ? 0x80 >> (pos & 7) : 1 << (pos & 7);
      if (bit) this.bytes[byte]! |= mask;
      else this.bytes[byte]! &= ~mask & 0xff;
    }
  }
}

function describe(v: ConstValue): string {
  switch (v.k) {
    case 'int':
      return v.value.toString();
    case 'float':
      return String(v.value);
    case 'ptr':
      return '0x' + v.address.toString(16);
    case 'string':
      return '<string>';
  }
}

/** The object representation of a scalar value on the target. */
export function encodeScalar(v: ConstValue, sk: ScalarKind, size: number, ctx: AbiContext, what = 'value'): Uint8Array {
  const little = ctx.target.endian === 'little';
  const out = new Uint8Array(size);
  const putInt = (x: bigint) => {
    let u = BigInt.asUintN(size * 8, x);
    for (let i = 0; i < size; i++) {
      out[little ? i : size - 1 - i] = Number(u & 0xffn);
      u >>= 8n;
    }
  };
  if (v.k === 'int') putInt(v.value);
  else if (v.k === 'ptr') putInt(v.address);
  else if (v.k === 'float') {
    if (sk.k !== 'float') fail(`${what}: floating value for a non-floating object`);
    const f = floatFormatOf(sk.kind, ctx.target);
    if (!f || f.bits > size * 8) fail(`${what}: '${sk.kind}' has no known encoding on ${ctx.target.name}`);
    return encodeFloat(realOf(v), f, size, little);
  } else fail(`${what}: a string literal's address needs a relocation`);
  return out;
}

/**
 * Evaluate an initializer list for an object of `type` on ctx.target: the bytes a compiler
 * emits for `static const T v = { ... };`, and the explicitly initialized scalars. Never throws.
 */
export function evaluateInitializer(list: InitList, type: CType, ctx: AbiContext): InitializerResult {
  try {
    const interp = new Interpreter(ctx);
    const tree = interp.braced(list, type, true);
    let objType = type;
    const t = ctx.resolve(type);
    if (t.kind === 'array' && t.length === null) {
      // 6.7.9p22: an array of unknown size gets its size from the largest indexed element.
      const n = Math.max(interp.rootMax + 1, 0);
      objType = { kind: 'array', of: t.of, length: { k: 'int', text: String(n) } };
    }
    const lay = ctx.layoutOf(objType);
    if (!lay.complete) return { ok: false, reason: `the object type is incomplete: ${lay.reason}`, ...(list.loc ? { loc: list.loc } : {}) };
    const writer = new Writer(ctx, new Uint8Array(lay.size));
    writer.write(tree, objType, 0, '');
    return { ok: true, bytes: writer.bytes, fields: writer.fields, warnings: interp.warnings };
  } catch (e) {
    if (e instanceof InitError) return { ok: false, reason: e.message, ...(e.loc ? { loc: e.loc } : {}) };
    return { ok: false, reason: `internal error: ${e instanceof Error ? e.message : String(e)}`, ...(list.loc ? { loc: list.loc } : {}) };
  }
}

/** The bytes of a scalar object of `type` initialized by one expression (`T v = expr;`). */
export function evaluateScalarInitializer(expr: Expr, type: CType, ctx: AbiContext): InitializerResult {
  return evaluateInitializer({ items: [{ designators: [], value: expr }], ...(expr.loc ? { loc: expr.loc } : {}) }, type, ctx);
}

export function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}
