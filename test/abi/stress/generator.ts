// A seeded random generator of C type declarations for layout differential testing. It emits
// both C source (for the compiler oracles, and for portabi's own declaration parser) and the
// declaration IR it means (so layout can be tested without the parser).
//
// What it covers: structs and unions nested deeply; bit-fields of every declared integer type
// (_Bool, char, short, int, long, long long, signed/unsigned, enums, aligned typedefs, mode()
// typedefs) at every legal width, unnamed and zero-width bit-fields; packed and aligned(n) on
// records, members and typedefs (typedef alignment may lower); #pragma pack(n); arrays,
// zero-length arrays, flexible array members; C11 anonymous struct/union members; enums with
// packed and with values needing unsigned int / long / long long.
//
// Every type stays smaller than the target's largest object (2^(pointer bits - 1) bytes: 32 KiB
// on AVR and MSP430), which compilers reject beyond: each type carries an upper bound of its
// size that needs no layout rules (members' bounds plus the most padding any alignment here can
// add), and a member that would take its record over the limit is left out.
import type { CType, EnumDecl, Expr, FieldDecl, IntKind, RecordDecl, TranslationUnitIR } from '../../../src/parse/ir.js';

/** Mulberry32: small, fast, good enough for test generation, and reproducible. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the generator needs to know about the target: integer widths (for legal bit-field
 *  widths) and which scalar types exist. */
export interface GenTarget {
  bits: Partial<Record<IntKind, number>>;
  hasLongDouble: boolean;
  shortEnums: boolean;
  /** Largest object size the target's compilers accept, in bytes (2^(pointer bits - 1) - 1).
   *  Default: no limit. */
  maxObjectSize?: number;
}

export interface Generated {
  /** C source: one definition per line group, no macros, no includes. */
  c: string;
  ir: TranslationUnitIR;
  /** Top-level named records (ids) and the C spelling of each, e.g. 'struct S12'. */
  records: { id: number; spelling: string }[];
  /** Typedef names and enum tags to check sizeof/_Alignof of. */
  typedefs: string[];
  enums: { id: number; spelling: string }[];
  /** For every record id: the C text of just that record and what it depends on
   *  (for printing a minimal failing example). */
  minimal(id: number): string;
}

const INT_KINDS: IntKind[] = [
  '_Bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int',
  'long', 'unsigned long', 'long long', 'unsigned long long',
];

type Decl = { text: string; deps: Set<string>; key: string };

/** A type usable in generated C: its spelling (with `%s` where the declarator goes), its IR
 *  and facts the generator needs. */
interface GType {
  decl: (name: string) => string;
  ir: CType;
  /** Bit-field width limit when usable as a bit-field type; undefined otherwise. */
  bitWidth?: number;
  /** Declarations this type needs (keys into the decl list). */
  deps: string[];
  /** May appear as an array element (gcc rejects arrays of over-aligned typedefs). */
  arrayOk: boolean;
  /** Contains a flexible array member somewhere (must not be nested). */
  flexible?: boolean;
  /** An upper bound of sizeof, independent of the target's layout rules. */
  maxSize: number;
}

/** Padding any member or record end may need: the largest alignment the generator writes
 *  (aligned(16), long double, __int128-free scalars) minus one, rounded up. */
const PAD = 16;
/** Upper bounds of the scalar sizes on every target. */
const FLOAT_MAX: Record<string, number> = { float: 4, double: 8, 'long double': 16 };
const POINTER_MAX = 8;

export function generate(seed: number, count: number, target: GenTarget): Generated {
  const r = rng(seed);
  const limit = target.maxObjectSize ?? Number.MAX_SAFE_INTEGER;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const chance = (p: number) => r() < p;
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const loc = (line: number) => ({ file: 'stress.c', line, col: 1 });
  const lit = (n: number | bigint): Expr => (n < 0 ? { k: 'unary', op: '-', arg: { k: 'int', text: String(-BigInt(n)) } } : { k: 'int', text: String(n) });

  const ir: TranslationUnitIR = {
    records: [], enums: [], typedefs: {}, tags: { struct: {}, union: {}, enum: {} },
    functions: {}, variables: {}, macros: {}, diagnostics: [],
  };
  const decls: Decl[] = [];
  const declByKey = new Map<string, Decl>();
  const addDecl = (key: string, text: string, deps: string[]) => {
    const d = { key, text, deps: new Set(deps) };
    decls.push(d);
    declByKey.set(key, d);
  };
  const pool: GType[] = [];
  const out: Generated['records'] = [];
  const typedefNames: string[] = [];
  const enumsOut: Generated['enums'] = [];

  // Scalars.
  for (const k of INT_KINDS) {
    const w = target.bits[k];
    if (w === undefined) continue;
    pool.push({ decl: (n) => `${k} ${n}`, ir: { kind: 'int', name: k }, bitWidth: k === '_Bool' ? 1 : w, deps: [], arrayOk: true, maxSize: Math.max(1, w / 8) });
  }
  const floats = ['float', 'double', ...(target.hasLongDouble ? ['long double'] : [])] as const;
  for (const f of floats) pool.push({ decl: (n) => `${f} ${n}`, ir: { kind: 'float', name: f }, deps: [], arrayOk: true, maxSize: FLOAT_MAX[f]! });
  pool.push({ decl: (n) => `void *${n}`, ir: { kind: 'pointer', to: { kind: 'void' } }, deps: [], arrayOk: true, maxSize: POINTER_MAX });
  const scalarCount = pool.length;

  let line = 1;
  let nEnum = 0;
  const makeEnum = (): GType => {
    const name = `E${nEnum++}`;
    const id = ir.enums.length;
    const packed = chance(0.2);
    const n = int(1, 5);
    const range = pick(['small', 'small', 'neg', 'short', 'uint', 'big', 'negbig']);
    const vals: bigint[] = [];
    for (let i = 0; i < n; i++) {
      let v: bigint;
      switch (range) {
        case 'small': v = BigInt(int(0, 255)); break;
        case 'neg': v = BigInt(int(-128, 127)); break;
        case 'short': v = BigInt(int(-40000, 70000)); break;
        case 'uint': v = BigInt(int(0, 2 ** 31)) * 2n; break;
        case 'big': v = BigInt(int(0, 2 ** 30)) << BigInt(int(0, 33)); break;
        default: v = -(BigInt(int(0, 2 ** 30)) << BigInt(int(0, 33)));
      }
      vals.push(v);
    }
    const enumerators = vals.map((v, i) => ({ name: `${name}_${i}`, value: i > 0 && chance(0.2) ? null : lit(v), loc: loc(line) }));
    // Implicit values follow the previous one.
    let prev = -1n;
    const actual = enumerators.map((e, i) => (prev = e.value === null ? prev + 1n : vals[i]!));
    const decl: EnumDecl = { id, name, complete: true, enumerators, attrs: packed ? { packed: true } : {}, loc: loc(line) };
    ir.enums.push(decl);
    ir.tags.enum[name] = id;
    const body = enumerators.map((e, i) => (e.value === null ? e.name : `${e.name} = ${actual[i]}${actual[i]! > 2147483647n || actual[i]! < -2147483648n ? 'LL' : ''}`)).join(', ');
    // Suffix spelled in C only; the IR literal text is the plain number (value is the same).
    addDecl(`enum ${name}`, `enum ${packed ? '__attribute__((packed)) ' : ''}${name} { ${body} };`, []);
    line++;
    enumsOut.push({ id, spelling: `enum ${name}` });
    // Bit-field width limit: the width of the enum's underlying type on this target.
    let min = 0n;
    let max = 0n;
    for (const v of actual) {
      if (v < min) min = v;
      if (v > max) max = v;
    }
    const fits = (w: number) => (min < 0n ? min >= -(1n << BigInt(w - 1)) && max < 1n << BigInt(w - 1) : max < 1n << BigInt(w));
    const ib = target.bits.int!;
    const widths = [...(packed || target.shortEnums ? [8, 16] : []), ib, target.bits.long!, target.bits['long long']!];
    const bw = widths.find((w) => fits(w));
    return { decl: (n) => `enum ${name} ${n}`, ir: { kind: 'enum', id }, bitWidth: bw, deps: [`enum ${name}`], arrayOk: true, maxSize: 8 };
  };

  let nTypedef = 0;
  const makeTypedef = (of: GType): GType | null => {
    const name = `T${nTypedef++}`;
    const kind = pick(['plain', 'aligned', 'aligned', 'mode']);
    let attrs: CType['attrs'];
    let attrText = '';
    let base = of;
    let bitWidth = of.bitWidth;
    let arrayOk = of.arrayOk;
    if (kind === 'aligned') {
      const a = pick([1, 2, 4, 8, 16]);
      attrs = { aligned: lit(a) };
      attrText = ` __attribute__((aligned(${a})))`;
      arrayOk = false;
    } else if (kind === 'mode') {
      const k = pick(INT_KINDS.filter((x) => x !== '_Bool' && target.bits[x] !== undefined));
      const m = pick(['QI', 'HI', 'SI', 'DI'] as const);
      const mbits = { QI: 8, HI: 16, SI: 32, DI: 64 }[m];
      if (![...Object.values(target.bits)].includes(mbits)) return null;
      base = { decl: (n) => `${k} ${n}`, ir: { kind: 'int', name: k }, deps: [], arrayOk: true, maxSize: 8 };
      attrs = { mode: m };
      attrText = ` __attribute__((mode(${m})))`;
      bitWidth = mbits;
    }
    const ty = { ...base.ir, ...(attrs ? { attrs } : {}) } as CType;
    ir.typedefs[name] = { name, type: ty, loc: loc(line) };
    addDecl(name, `typedef ${base.decl(name)}${attrText};`, base.deps);
    line++;
    typedefNames.push(name);
    // aligned(n) on a typedef may raise its size to a multiple of n.
    const g: GType = { decl: (n) => `${name} ${n}`, ir: { kind: 'typedef', name }, deps: [name], arrayOk, maxSize: base.maxSize + PAD, ...(bitWidth !== undefined ? { bitWidth } : {}) };
    if (of.flexible) g.flexible = true;
    return g;
  };

  let nRec = 0;
  let nField = 0;
  const attrList = (xs: string[]) => (xs.length ? ` __attribute__((${xs.join(', ')}))` : '');

  /** Build a record; returns its body text and id. `pack` is inherited by nested definitions. */
  const makeRecord = (depth: number, anonymous: boolean, pack: number | null): { id: number; text: string; flexible: boolean; deps: string[]; maxSize: number } => {
    const tag = chance(0.25) ? 'union' : 'struct';
    const id = ir.records.length;
    const name = anonymous ? null : `${tag === 'union' ? 'U' : 'S'}${nRec++}`;
    const rec: RecordDecl = { id, tag, name, complete: true, fields: [], attrs: {}, pack, loc: loc(line) };
    ir.records.push(rec);
    const deps: string[] = [];
    const lines: string[] = [];
    const nf = int(0, 7) + (chance(0.1) ? 8 : 0);
    let hasNamed = false;
    // Upper bound of the record's size so far (members, each after the most padding it may
    // need, and room for the tail padding); a member that would pass the limit is left out.
    let bound = PAD;
    const grown = (member: number) => (tag === 'union' ? Math.max(bound, member + PAD) : bound + member + PAD);
    const room = (member: number) => grown(member) <= limit;
    const take = (member: number) => {
      bound = grown(member);
    };
    const bitfieldHeavy = chance(0.5);
    for (let i = 0; i < nf; i++) {
      const fattrs: FieldDecl['attrs'] = {};
      const fa: string[] = [];
      const roll = r();
      if (roll < 0.12 && depth < 4) {
        // C11 anonymous struct/union member.
        const sub = makeRecord(depth + 1, true, pack);
        if (sub.flexible || !room(sub.maxSize)) continue;
        take(sub.maxSize);
        deps.push(...sub.deps);
        rec.fields.push({ name: null, type: { kind: 'record', id: sub.id }, bitWidth: null, attrs: fattrs, loc: loc(line) });
        lines.push(`  ${sub.text};`);
        continue;
      }
      const fname = `f${nField++}`;
      if (roll < (bitfieldHeavy ? 0.75 : 0.35)) {
        // A bit-field.
        const candidates = pool.filter((t) => t.bitWidth !== undefined);
        const t = pick(candidates);
        const max = t.bitWidth!;
        const unnamed = chance(0.2);
        let w = chance(0.3) ? pick([0, 1, max - 1, max, Math.ceil(max / 2) + 1]) : int(unnamed ? 0 : 1, max);
        w = Math.max(0, Math.min(max, w));
        if (!unnamed && w === 0) w = 1;
        if (chance(0.08)) {
          fattrs.packed = true;
          fa.push('packed');
        }
        if (!unnamed && chance(0.06)) {
          const a = pick([1, 2, 4, 8]);
          fattrs.aligned = lit(a);
          fa.push(`aligned(${a})`);
        }
        if (!room(t.maxSize)) continue;
        take(t.maxSize);
        rec.fields.push({ name: unnamed ? null : fname, type: t.ir, bitWidth: lit(w), attrs: fattrs, loc: loc(line) });
        lines.push(`  ${t.decl(unnamed ? '' : fname).trimEnd()} : ${w}${attrList(fa)};`);
        deps.push(...t.deps);
        if (!unnamed) hasNamed = true;
        continue;
      }
      // An ordinary member.
      let t = pick(chance(0.5) ? pool.slice(0, scalarCount) : pool);
      if (t.flexible) t = pick(pool.slice(0, scalarCount));
      let declarator = (n: string) => t.decl(n);
      let type = t.ir;
      let size = t.maxSize;
      const last = i === nf - 1;
      if (last && tag === 'struct' && hasNamed && chance(0.15) && t.arrayOk && room(0)) {
        take(0);
        declarator = (n) => t.decl(`${n}[]`);
        type = { kind: 'array', of: t.ir, length: null };
        rec.fields.push({ name: fname, type, bitWidth: null, attrs: fattrs, loc: loc(line) });
        lines.push(`  ${declarator(fname)};`);
        deps.push(...t.deps);
        return finish(true);
      }
      if (t.arrayOk && chance(0.2)) {
        const n = chance(0.1) ? 0 : int(1, 4);
        declarator = (x) => t.decl(`${x}[${n}]`);
        type = { kind: 'array', of: t.ir, length: lit(n) };
        size = n * t.maxSize;
      }
      if (chance(0.1)) {
        fattrs.packed = true;
        fa.push('packed');
      }
      if (chance(0.1)) {
        const a = pick([1, 2, 4, 8, 16]);
        fattrs.aligned = lit(a);
        fa.push(`aligned(${a})`);
      }
      if (!room(size)) continue;
      take(size);
      rec.fields.push({ name: fname, type, bitWidth: null, attrs: fattrs, loc: loc(line) });
      lines.push(`  ${declarator(fname)}${attrList(fa)};`);
      deps.push(...t.deps);
      hasNamed = true;
    }
    return finish(false);

    function finish(flexible: boolean) {
      const ra: string[] = [];
      if (chance(0.2)) {
        rec.attrs.packed = true;
        ra.push('packed');
      }
      if (chance(0.15)) {
        const a = pick([1, 2, 4, 8, 16]);
        rec.attrs.aligned = lit(a);
        ra.push(`aligned(${a})`);
      }
      const head = `${tag}${attrList(ra)}${name ? ` ${name}` : ''}`;
      const text = `${head} {\n${lines.join('\n')}\n}`;
      return { id, text, flexible, deps, maxSize: bound };
    }
  };

  for (let i = 0; i < count; i++) {
    const roll = r();
    if (roll < 0.08) {
      pool.push(makeEnum());
      continue;
    }
    if (roll < 0.2) {
      const t = makeTypedef(pick(pool));
      if (t) pool.push(t);
      continue;
    }
    const pack = chance(0.15) ? pick([1, 2, 4, 8]) : null;
    const rec = makeRecord(0, false, pack);
    const d = ir.records[rec.id]!;
    const spelling = `${d.tag} ${d.name}`;
    ir.tags[d.tag][d.name!] = rec.id;
    const body = `${rec.text};`;
    const text = pack !== null ? `#pragma pack(push, ${pack})\n${body}\n#pragma pack(pop)` : body;
    addDecl(spelling, text, rec.deps);
    line += text.split('\n').length;
    out.push({ id: rec.id, spelling });
    pool.push({ decl: (n) => `${spelling} ${n}`, ir: { kind: 'record', id: rec.id }, deps: [spelling], arrayOk: true, flexible: rec.flexible, maxSize: rec.maxSize });
  }

  const c = decls.map((d) => d.text).join('\n') + '\n';
  const minimal = (id: number): string => {
    const d = ir.records[id]!;
    const key = `${d.tag} ${d.name}`;
    const need = new Set<string>();
    const visit = (k: string) => {
      if (need.has(k)) return;
      need.add(k);
      for (const dep of declByKey.get(k)?.deps ?? []) visit(dep);
    };
    visit(key);
    return decls.filter((x) => need.has(x.key)).map((x) => x.text).join('\n') + '\n';
  };
  return { c, ir, records: out, typedefs: typedefNames, enums: enumsOut, minimal };
}
