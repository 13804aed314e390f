// Enumerations for a target: every enumerator's value and type, and each enum's underlying
// (compatible) integer type, following GCC and clang (which agree) for C17:
//
// - 6.7.2.2p3: an enumerator without `= value` is the previous one plus 1 (the first is 0).
// - Underlying type, default: `unsigned int` when no value is negative and all fit it; `int`
//   when some value is negative and all fit it; otherwise the first of long / long long
//   (unsigned long / unsigned long long when none is negative) that holds every value.
// - With short enums (-fshort-enums, the arm-none-eabi default) or `__attribute__((packed))`:
//   the smallest of unsigned char / unsigned short / unsigned int / ... (no negative values)
//   or signed char / short / int / ... (some negative value) that holds every value.
// - The type of an enumeration constant (6.4.4.3) is `int` when its value fits int (6.7.2.2p2,
//   clang's and GCC's rule for C), otherwise the enum's underlying type.
// - `enum E : T` (fixed underlying type, C23 / clang extension): the underlying type is T and
//   every enumerator has that type.
import type { EnumDecl, IntKind } from '../parse/ir.js';
import type { AbiContext } from './context.js';
import { evaluateExprInScope, scalarKindOf, type EnumScope } from './constexpr.js';
import { fitsIn } from './int-types.js';

export interface EnumeratorValue {
  name: string;
  value: bigint;
  /** Type of the enumeration constant after the enum is complete. */
  type: IntKind;
}

export type EnumValues =
  | { ok: true; underlying: IntKind; enumerators: EnumeratorValue[] }
  | { ok: false; reason: string };

interface EnumMemo {
  /** Enumerator name → enum id (first declaration wins). */
  index: Map<string, number> | null;
  computed: Map<number, EnumValues | 'in-progress'>;
}

const memos = new WeakMap<AbiContext, EnumMemo>();

function memoFor(ctx: AbiContext): EnumMemo {
  let m = memos.get(ctx);
  if (!m) {
    m = { index: null, computed: new Map() };
    memos.set(ctx, m);
  }
  return m;
}

/** The enum's underlying integer type for ctx.target (what layout needs for size/align). */
export function enumUnderlying(decl: EnumDecl, ctx: AbiContext): { ok: true; type: IntKind } | { ok: false; reason: string } {
  const v = enumValues(decl, ctx);
  return v.ok ? { ok: true, type: v.underlying } : v;
}

/** Values and types of all enumerators of `decl`, memoised per context. */
export function enumValues(decl: EnumDecl, ctx: AbiContext): EnumValues {
  const memo = memoFor(ctx);
  const got = memo.computed.get(decl.id);
  if (got === 'in-progress') return { ok: false, reason: `enum ${decl.name ?? '<anonymous>'} refers to itself before it is complete` };
  if (got) return got;
  memo.computed.set(decl.id, 'in-progress');
  const r = computeEnum(decl, ctx);
  memo.computed.set(decl.id, r);
  return r;
}

/** An enumeration constant by name, or null when no enum declares it. */
export function lookupEnumerator(
  name: string,
  ctx: AbiContext,
): { ok: true; value: bigint; type: IntKind } | { ok: false; reason: string } | null {
  const memo = memoFor(ctx);
  if (!memo.index) {
    memo.index = new Map();
    for (const e of ctx.ir.enums) {
      for (const en of e.enumerators) if (!memo.index.has(en.name)) memo.index.set(en.name, e.id);
    }
  }
  const id = memo.index.get(name);
  if (id === undefined) return null;
  const decl = ctx.ir.enums[id];
  if (!decl) return null;
  const v = enumValues(decl, ctx);
  if (!v.ok) return { ok: false, reason: `enumerator ${name}: ${v.reason}` };
  const en = v.enumerators.find((x) => x.name === name)!;
  return { ok: true, value: en.value, type: en.type };
}

const DEFAULT_UNSIGNED: IntKind[] = ['unsigned int', 'unsigned long', 'unsigned long long'];
const DEFAULT_SIGNED: IntKind[] = ['int', 'long', 'long long'];
const SHORT_UNSIGNED: IntKind[] = ['unsigned char', 'unsigned short', ...DEFAULT_UNSIGNED];
const SHORT_SIGNED: IntKind[] = ['signed char', 'short', ...DEFAULT_SIGNED];

function computeEnum(decl: EnumDecl, ctx: AbiContext): EnumValues {
  const target = ctx.target;
  const label = decl.name ? `enum ${decl.name}` : 'anonymous enum';
  if (!decl.complete) return { ok: false, reason: `${label} is incomplete (declared but never defined)` };

  let fixed: IntKind | null = null;
  if (decl.fixedType) {
    const k = scalarKindOf(decl.fixedType, ctx);
    if (!k || k.k !== 'int') return { ok: false, reason: `${label}: the fixed underlying type is not an integer type` };
    fixed = k.kind;
  }

  const scope: EnumScope = new Map();
  const raw: { name: string; value: bigint }[] = [];
  let prev: { value: bigint; type: IntKind } | null = null;
  for (const en of decl.enumerators) {
    let value: bigint;
    let type: IntKind;
    if (en.value) {
      const r = evaluateExprInScope(en.value, ctx, scope);
      if (!r.ok) return { ok: false, reason: `enumerator ${en.name}: ${r.reason}` };
      if (r.value.type.kind !== 'int') return { ok: false, reason: `enumerator ${en.name}: not an integer` };
      value = r.value.value;
      type = r.value.type.name;
    } else {
      value = prev ? prev.value + 1n : 0n;
      type = prev ? prev.type : 'int';
      if (!fitsIn(value, type, target)) {
        const bigger = (['int', 'unsigned int', 'long', 'unsigned long', 'long long', 'unsigned long long'] as IntKind[]).find((t) => fitsIn(value, t, target));
        if (!bigger) return { ok: false, reason: `enumerator ${en.name}: value ${value} does not fit any integer type` };
        type = bigger;
      }
    }
    if (fixed) {
      if (!fitsIn(value, fixed, target)) return { ok: false, reason: `enumerator ${en.name}: ${value} does not fit the fixed type '${fixed}'` };
      type = fixed;
    } else if (fitsIn(value, 'int', target)) {
      type = 'int'; // while the body is open, a value that fits int has type int
    }
    scope.set(en.name, { value, type });
    raw.push({ name: en.name, value });
    prev = { value, type };
  }

  let underlying: IntKind;
  if (fixed) underlying = fixed;
  else {
    const anyNegative = raw.some((r) => r.value < 0n);
    const short = target.shortEnums || decl.attrs.packed === true;
    const list = anyNegative ? (short ? SHORT_SIGNED : DEFAULT_SIGNED) : short ? SHORT_UNSIGNED : DEFAULT_UNSIGNED;
    const found = list.find((t) => raw.every((r) => fitsIn(r.value, t, target)));
    if (!found) return { ok: false, reason: `${label}: the enumerator values do not fit any integer type` };
    underlying = found;
  }
  const enumerators = raw.map((r) => ({
    name: r.name,
    value: r.value,
    type: fixed ? fixed : fitsIn(r.value, 'int', target) ? ('int' as IntKind) : underlying,
  }));
  return { ok: true, underlying, enumerators };
}
