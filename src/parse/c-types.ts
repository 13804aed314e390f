// C type syntax → CType: declaration specifiers (with GNU spellings), declarators (pointers,
// arrays, functions, nesting), type names, and struct/union/enum bodies.
import type { Attributes, CType, EnumDecl, Enumerator, FieldDecl, FloatKind, IntKind, Param, Qualifiers, RecordDecl } from './ir.js';
import type { Loc } from './diagnostics.js';
import type { ConditionRecord } from './pp-types.js';
import type { Token } from './token.js';
import { DeclContext, NestingError, ParseError, hasAttrs, hasQuals } from './decl-context.js';
import { atAttribute, parseAttributes } from './attributes.js';
import { parseStaticAssert } from './static-assert.js';
import { parseAssignExpr, parseConditionalExpr, parseExpr } from './expr.js';

function nullProto<T>(o: Record<string, T>): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, o);
}

/** `obj[key]` for own properties only (C names like `constructor` must not hit Object.prototype). */
export function own<T>(obj: Record<string, T>, key: string): T | undefined {
  return Object.hasOwn(obj, key) ? obj[key] : undefined;
}

export type StorageClass = 'typedef' | 'extern' | 'static' | 'auto' | 'register' | null;

export interface DeclSpecs {
  type: CType;
  storage: StorageClass;
  inline: boolean;
  /** Attributes in specifier position: they apply to each declarator of the declaration. */
  attrs: Attributes;
  /** True when the specifiers contained a struct/union/enum body or tag declaration. */
  declaresTag: boolean;
  /** For `struct S {...}` / `union {...}`: the record, so `struct {..};` can be an anonymous member. */
  recordId?: number;
  loc: Loc;
}

export interface Declarator {
  name: string | null;
  nameLoc: Loc;
  /** Index of the name token (or where it would be) in the parser's tokens. */
  namePos: number;
  type: CType;
  /** Attributes after the declarator (and asm label); they apply to the declared entity. */
  attrs: Attributes;
}

const QUALIFIERS: Record<string, keyof Qualifiers> = nullProto({
  const: 'const',
  __const: 'const',
  __const__: 'const',
  volatile: 'volatile',
  __volatile: 'volatile',
  __volatile__: 'volatile',
  restrict: 'restrict',
  __restrict: 'restrict',
  __restrict__: 'restrict',
  _Atomic: 'atomic',
});

const STORAGE: Record<string, StorageClass> = nullProto({
  typedef: 'typedef',
  extern: 'extern',
  static: 'static',
  auto: 'auto',
  register: 'register',
});

/** Specifiers that are ignored for layout: function specifiers, thread storage, GNU noise. */
const IGNORED = new Set([
  'inline', '__inline', '__inline__', '_Noreturn', '__extension__', '_Thread_local', 'thread_local', '__thread',
  '__forceinline', 'constexpr', '__cdecl', '__stdcall', '__fastcall', '__unaligned', '__w64', '__ptr32', '__ptr64',
]);

// `bool` is not here: it is a keyword only in C23, and every target's predefined set is C17
// (gnu17, clang-19's and gcc 12's default), where <stdbool.h> makes it a macro for _Bool and
// anything else is an ordinary identifier (the kernel's <misc/xilinx_sdfec.h> uses `bool`
// without it: clang says "use of undeclared identifier", so its ioctl numbers are not constants).
const TYPE_WORDS = new Set([
  'void', 'char', 'short', 'int', 'long', 'float', 'double', 'signed', '__signed', '__signed__', 'unsigned', '_Bool',
  '_Complex', '__complex__', '__complex', '_Imaginary', '__int128', '__int128_t', '__uint128_t', '_Float16', '__fp16', '__bf16',
  '_Float32', '_Float64', '_Float128', '_Float32x', '_Float64x', '__float128', '__ibm128', '__builtin_va_list',
  'struct', 'union', 'enum', '__typeof__', '__typeof', 'typeof', 'typeof_unqual', '__typeof_unqual__', '_Decimal32',
  '_Decimal64', '_Decimal128', '__auto_type',
]);

/**
 * Words that are keywords for GCC but plain identifiers for clang (glibc then typedefs them:
 * `typedef float _Float32;`). A declared typedef name wins; after a type specifier they are
 * declarator names.
 */
const SOFT_TYPE_WORDS = new Set(['_Float32', '_Float64', '_Float128', '_Float32x', '_Float64x', '__float128', '__ibm128', '_Float16', '__bf16', '__fp16']);

export function isSpecifierWord(w: string): boolean {
  return TYPE_WORDS.has(w) || w in QUALIFIERS || w in STORAGE || IGNORED.has(w);
}

/** Does the current token start a declaration specifier / type name? */
export function isTypeStart(p: DeclContext, t: Token = p.tok): boolean {
  if (t.kind !== 'ident') return false;
  return isSpecifierWord(t.text) || p.typedefNames.has(t.text) || t.text === '_Alignas' || t.text === 'alignas' ||
    t.text === '__attribute__' || t.text === '__attribute' || t.text === '__declspec';
}

interface SpecCounts {
  void: number; char: number; short: number; int: number; long: number; float: number; double: number;
  signed: number; unsigned: number; bool: number; complex: number; int128: number; other: string | null;
}

export function parseDeclSpecs(p: DeclContext): DeclSpecs {
  const start = p.tok;
  const c: SpecCounts = { void: 0, char: 0, short: 0, int: 0, long: 0, float: 0, double: 0, signed: 0, unsigned: 0, bool: 0, complex: 0, int128: 0, other: null };
  let named: CType | null = null; // struct/union/enum/typedef/typeof/builtin
  const quals: Qualifiers = {};
  const attrs: Attributes = {};
  const specs: DeclSpecs = { type: { kind: 'int', name: 'int' }, storage: null, inline: false, attrs, declaresTag: false, loc: start.loc };
  let sawType = false;
  for (;;) {
    const t = p.tok;
    if (t.kind !== 'ident') {
      if (t.text === '[' && p.peek().text === '[') {
        parseAttributes(p, attrs);
        continue;
      }
      break;
    }
    const w = t.text;
    if (w in QUALIFIERS) {
      if (w === '_Atomic' && p.peek().text === '(') {
        p.next();
        p.next();
        p.enter();
        try {
          named = parseTypeName(p);
        } finally {
          p.leave();
        }
        named = withQuals(named, { atomic: true });
        p.expect(')');
        sawType = true;
        continue;
      }
      quals[QUALIFIERS[w]!] = true;
      p.next();
      continue;
    }
    if (w in STORAGE) {
      specs.storage = STORAGE[w]!;
      p.next();
      continue;
    }
    if (IGNORED.has(w)) {
      if (w === 'inline' || w === '__inline' || w === '__inline__' || w === '__forceinline') specs.inline = true;
      p.next();
      continue;
    }
    if (atAttribute(p)) {
      if (w === '__asm__' || w === '__asm' || w === 'asm') break;
      parseAttributes(p, attrs);
      continue;
    }
    if (SOFT_TYPE_WORDS.has(w) && (sawType || p.typedefNames.has(w))) {
      if (sawType) break;
      p.next();
      named = { kind: 'typedef', name: w };
      sawType = true;
      continue;
    }
    if (TYPE_WORDS.has(w)) {
      p.next();
      sawType = true;
      switch (w) {
        case 'void': c.void++; break;
        case 'char': c.char++; break;
        case 'short': c.short++; break;
        case 'int': c.int++; break;
        case 'long': c.long++; break;
        case 'float': c.float++; break;
        case 'double': c.double++; break;
        case 'signed': case '__signed': case '__signed__': c.signed++; break;
        case 'unsigned': c.unsigned++; break;
        case '_Bool': c.bool++; break;
        case '_Complex': case '__complex__': case '__complex': c.complex++; break;
        case '__int128': c.int128++; break;
        case '__int128_t': named = { kind: 'int', name: '__int128' }; break;
        case '__uint128_t': named = { kind: 'int', name: 'unsigned __int128' }; break;
        case '_Float16': named = { kind: 'float', name: '_Float16' }; break;
        case '__fp16': named = { kind: 'float', name: '__fp16' }; break;
        case '__bf16': named = { kind: 'float', name: '__bf16' }; break;
        case '_Float32': named = { kind: 'float', name: 'float' }; break;
        case '_Float64': case '_Float32x': named = { kind: 'float', name: 'double' }; break;
        case '_Float64x': named = { kind: 'float', name: 'long double' }; break;
        case '_Float128': case '__float128': named = { kind: 'float', name: '__float128' }; break;
        case '__builtin_va_list': named = { kind: 'builtin', name: '__builtin_va_list' }; break;
        case 'struct': case 'union': {
          const r = parseRecordSpecifier(p, w, t, attrs);
          named = r.type;
          specs.declaresTag = true;
          specs.recordId = r.id;
          break;
        }
        case 'enum':
          named = parseEnumSpecifier(p, t);
          specs.declaresTag = true;
          break;
        case '__typeof__': case '__typeof': case 'typeof': case 'typeof_unqual': case '__typeof_unqual__':
          named = parseTypeof(p);
          break;
        default:
          named = { kind: 'unknown', text: w, reason: `unsupported type specifier '${w}'` };
          c.other = w;
      }
      continue;
    }
    if (!sawType && p.typedefNames.has(w)) {
      p.next();
      named = { kind: 'typedef', name: w };
      sawType = true;
      continue;
    }
    break;
  }
  if (!sawType && !hasQuals(quals) && specs.storage === null && !specs.inline && !hasAttrs(attrs) && p.tok === start) {
    p.fail(`expected a declaration, found '${start.text || 'end of input'}'`);
  }
  let type = named ?? arithmeticType(p, c, start);
  if (named && (c.complex || c.long || c.unsigned || c.signed || c.int || c.char || c.short)) {
    // `_Complex` alone with a named float (`_Float16 _Complex`), or `long` with a typedef: GNU oddities.
    if (c.complex && (named.kind === 'float' || named.kind === 'int')) type = { kind: 'complex', of: named.name };
  }
  if (hasQuals(quals)) type = withQuals(type, quals);
  specs.type = type;
  return specs;
}

function arithmeticType(p: DeclContext, c: SpecCounts, at: Token): CType {
  if (c.void) return { kind: 'void' };
  if (c.bool) return { kind: 'int', name: '_Bool' };
  if (c.float || c.double) {
    const name: FloatKind = c.float ? 'float' : c.long ? 'long double' : 'double';
    return c.complex ? { kind: 'complex', of: name } : { kind: 'float', name };
  }
  let name: IntKind;
  if (c.char) name = c.unsigned ? 'unsigned char' : c.signed ? 'signed char' : 'char';
  else if (c.short) name = c.unsigned ? 'unsigned short' : 'short';
  else if (c.int128) name = c.unsigned ? 'unsigned __int128' : '__int128';
  else if (c.long >= 2) name = c.unsigned ? 'unsigned long long' : 'long long';
  else if (c.long === 1) name = c.unsigned ? 'unsigned long' : 'long';
  else if (c.int || c.signed || c.unsigned) name = c.unsigned ? 'unsigned int' : 'int';
  else if (c.complex) return { kind: 'complex', of: 'double' }; // GNU: `_Complex` alone is `_Complex double`
  else {
    p.diag('warning', 'type specifier missing, defaults to int', at.loc, 'implicit-int');
    name = 'int';
  }
  return c.complex ? { kind: 'complex', of: name } : { kind: 'int', name };
}

export function withQuals(t: CType, q: Qualifiers): CType {
  if (!hasQuals(q)) return t;
  const merged: Qualifiers = { ...t.quals };
  for (const k of ['const', 'volatile', 'restrict', 'atomic'] as const) if (q[k]) merged[k] = true;
  return { ...t, quals: merged };
}

function withAttrs(t: CType, a: Attributes): CType {
  if (!hasAttrs(a)) return t;
  return { ...t, attrs: { ...t.attrs, ...a } };
}

function parseTypeof(p: DeclContext): CType {
  p.expect('(');
  let t: CType;
  p.enter();
  try {
    if (isTypeStart(p)) t = parseTypeName(p);
    else t = { kind: 'typeof', expr: parseExpr(p) };
  } finally {
    p.leave();
  }
  p.expect(')');
  return t;
}

/** A type name (C17 6.7.7): specifiers and an abstract declarator, as in casts and sizeof. */
export function parseTypeName(p: DeclContext): CType {
  const specs = parseDeclSpecs(p);
  const d = parseDeclarator(p, specs.type, 'abstract');
  return d.type;
}

type DeclaratorMode = 'named' | 'abstract' | 'either';

/** Parses a (possibly abstract) declarator applied to `base`. Each `*` is one nesting level
 *  (DeclContext.enter) until the declarator ends: the type it builds is that deep. */
export function parseDeclarator(p: DeclContext, base: CType, mode: DeclaratorMode): Declarator {
  const level = p.nestingLevel;
  try {
    return declarator(p, base, mode);
  } finally {
    p.leaveTo(level);
  }
}

function declarator(p: DeclContext, base: CType, mode: DeclaratorMode): Declarator {
  const attrs: Attributes = {};
  parseAttributes(p, attrs);
  let type = base;
  while (p.is('*') || p.is('^')) {
    p.enter();
    p.next();
    const q: Qualifiers = {};
    const pa: Attributes = {};
    for (;;) {
      const w = p.tok.text;
      if (p.tok.kind === 'ident' && w in QUALIFIERS) {
        q[QUALIFIERS[w]!] = true;
        p.next();
      } else if (p.tok.kind === 'ident' && IGNORED.has(w)) p.next();
      else if (atAttribute(p) && !['__asm__', '__asm', 'asm'].includes(w)) parseAttributes(p, pa);
      else break;
    }
    type = withAttrs(withQuals({ kind: 'pointer', to: type }, q), pa);
  }
  parseAttributes(p, attrs);
  if (p.is('(') && isNestedDeclarator(p, mode)) {
    // `( declarator )`: the suffixes after the parenthesis bind first (chibicc's approach).
    p.next();
    const innerStart = p.pos;
    p.pos--;
    p.skipBalanced();
    const outer = parseSuffixes(p, type);
    const end = p.pos;
    p.pos = innerStart;
    p.enter();
    let inner: Declarator;
    try {
      inner = parseDeclarator(p, outer, mode);
    } finally {
      p.leave();
    }
    p.expect(')');
    p.pos = end;
    parseAttributes(p, inner.attrs);
    mergeInto(inner.attrs, attrs);
    return inner;
  }
  let name: string | null = null;
  const nameLoc = p.tok.loc;
  const namePos = p.pos;
  if (p.tok.kind === 'ident' && mode !== 'abstract' && (!isSpecifierWord(p.tok.text) || SOFT_TYPE_WORDS.has(p.tok.text)) && !atAttribute(p)) {
    name = p.next().text;
  } else if (mode === 'named') {
    p.fail(`expected a declarator name, found '${p.tok.text || 'end of input'}'`);
  }
  type = parseSuffixes(p, type);
  parseAttributes(p, attrs);
  return { name, nameLoc, namePos, type, attrs };
}

/** Records what selected a definition (ir.ts `conditions`), replacing an earlier declaration's. */
export function setConditions(d: { conditions?: ConditionRecord[] }, c: ConditionRecord[] | undefined): void {
  if (c) d.conditions = c;
  else delete d.conditions;
}

function mergeInto(into: Attributes, from: Attributes): void {
  for (const [k, v] of Object.entries(from)) if (v !== undefined) (into as Record<string, unknown>)[k] = v;
}

function isNestedDeclarator(p: DeclContext, mode: DeclaratorMode): boolean {
  const t = p.peek();
  if (t.kind === 'punct') return t.text === '*' || t.text === '(' || t.text === '^' || (t.text === '[' && p.peek(2).text === '[');
  if (t.kind !== 'ident') return false;
  if (t.text === '__attribute__' || t.text === '__attribute' || t.text === '__declspec' || t.text === '__cdecl' || t.text === '__stdcall') return true;
  if (mode === 'abstract') return false;
  return !isSpecifierWord(t.text) && !p.typedefNames.has(t.text);
}

/** Array and function suffixes, each one nesting level (DeclContext.enter). */
function parseSuffixes(p: DeclContext, base: CType): CType {
  if (!p.is('[') && !p.is('(')) return base;
  p.enter();
  try {
    return parseSuffix(p, base);
  } finally {
    p.leave();
  }
}

function parseSuffix(p: DeclContext, base: CType): CType {
  if (p.is('[')) {
    p.next();
    const q: Qualifiers = {};
    while (p.tok.kind === 'ident' && (p.tok.text in QUALIFIERS || p.tok.text === 'static')) {
      if (p.tok.text !== 'static') q[QUALIFIERS[p.tok.text]!] = true;
      p.next();
    }
    let length = null;
    if (p.is('*') && p.peek().text === ']') p.next();
    else if (!p.is(']')) length = parseAssignExpr(p);
    p.expect(']');
    const of = parseSuffixes(p, base);
    const arr: CType = { kind: 'array', of, length };
    return hasQuals(q) ? { ...arr, quals: q } : arr;
  }
  if (p.is('(')) {
    p.next();
    const { params, variadic, prototyped } = parseParams(p);
    p.expect(')');
    const ret = parseSuffixes(p, base);
    return { kind: 'function', ret, params, variadic, prototyped };
  }
  return base;
}

function parseParams(p: DeclContext): { params: Param[]; variadic: boolean; prototyped: boolean } {
  const params: Param[] = [];
  if (p.is(')')) return { params, variadic: false, prototyped: false };
  if (p.tok.kind === 'ident' && !isTypeStart(p)) {
    // K&R identifier list: names only, types come from the declarations before the body.
    while (p.tok.kind === 'ident') {
      params.push({ name: p.next().text, type: { kind: 'int', name: 'int' } });
      if (!p.accept(',')) break;
    }
    return { params, variadic: false, prototyped: false };
  }
  let variadic = false;
  for (;;) {
    if (p.accept('...')) {
      variadic = true;
      break;
    }
    const specs = parseDeclSpecs(p);
    const d = parseDeclarator(p, specs.type, 'either');
    params.push({ name: d.name, type: d.type });
    if (!p.accept(',')) break;
  }
  if (params.length === 1 && params[0]!.name === null && params[0]!.type.kind === 'void' && !hasQuals(params[0]!.type.quals)) {
    return { params: [], variadic, prototyped: true };
  }
  return { params, variadic, prototyped: true };
}

function parseRecordSpecifier(p: DeclContext, tag: 'struct' | 'union', kw: Token, declAttrs?: Attributes): { type: CType; id: number } {
  const attrs: Attributes = {};
  parseAttributes(p, attrs);
  let name: string | null = null;
  let nameLoc = kw.loc;
  const namePos = p.pos;
  if (p.tok.kind === 'ident' && !atAttribute(p)) {
    nameLoc = p.tok.loc;
    name = p.next().text;
  }
  // Attributes after the tag name belong to the record only when a definition follows; in a
  // reference (`struct S __attribute__((aligned(8))) *p;`) they apply to the declaration, as in
  // gcc and clang.
  const afterName: Attributes = {};
  parseAttributes(p, afterName);
  if (p.is('{') || !declAttrs) mergeInto(attrs, afterName);
  else mergeInto(declAttrs, afterName);
  const tags = p.ir.tags[tag];
  if (!p.is('{')) {
    if (name === null) p.fail(`expected '{' or a tag name after '${tag}'`);
    let id = own(tags, name);
    if (id === undefined) {
      id = p.ir.records.length;
      p.ir.records.push({ id, tag, name, complete: false, fields: [], attrs, pack: null, loc: nameLoc });
      tags[name] = id;
    }
    return { type: { kind: 'record', id }, id };
  }
  let id = name !== null ? own(tags, name) : undefined;
  let rec: RecordDecl;
  const pack = p.packNow();
  if (id !== undefined && !p.ir.records[id]!.complete) {
    rec = p.ir.records[id]!;
    rec.loc = nameLoc;
    rec.pack = pack;
    mergeInto(rec.attrs, attrs);
  } else {
    if (id !== undefined) p.diag('warning', `redefinition of '${tag} ${name}'`, nameLoc, 'redefinition');
    id = p.ir.records.length;
    rec = { id, tag, name, complete: false, fields: [], attrs, pack, loc: nameLoc };
    p.ir.records.push(rec);
    if (name !== null && own(tags, name) === undefined) tags[name] = id;
  }
  setConditions(rec, p.conditionsAt(namePos));
  p.definitionOrder.push(id);
  p.next(); // {
  p.enter();
  try {
    parseFieldList(p, rec.fields);
  } finally {
    p.leave();
  }
  p.expect('}');
  rec.complete = true;
  parseAttributes(p, rec.attrs);
  return { type: { kind: 'record', id }, id };
}

function parseFieldList(p: DeclContext, fields: FieldDecl[]): void {
  while (!p.is('}') && !p.atEnd()) {
    const start = p.pos;
    try {
      parseFieldDeclaration(p, fields);
    } catch (e) {
      if (!(e instanceof ParseError) || e.fatal) throw e;
      p.diag('error', e.message, e.loc);
      if (e instanceof NestingError) p.pos = start; // resync over the member's brackets
      if (p.pos === start) p.skip();
      // resync: to the next ';' of this body, or its closing brace
      let depth = 0;
      while (!p.atEnd()) {
        if (p.is('{') || p.is('(') || p.is('[')) depth++;
        else if (p.is(')') || p.is(']')) depth--;
        else if (p.is('}')) {
          if (depth === 0) break;
          depth--;
        } else if (p.is(';') && depth <= 0) {
          p.skip();
          break;
        }
        p.skip();
      }
    }
  }
}

function parseFieldDeclaration(p: DeclContext, fields: FieldDecl[]): void {
  if (p.accept(';')) return;
  if (p.is('_Static_assert') || p.is('static_assert')) {
    parseStaticAssert(p);
    return;
  }
  const specs = parseDeclSpecs(p);
  if (p.is(';')) {
    p.next();
    const t = specs.type;
    if (t.kind === 'record' && specs.recordId !== undefined && p.ir.records[t.id]!.name === null) {
      fields.push({ name: null, type: t, bitWidth: null, attrs: { ...specs.attrs }, loc: specs.loc });
    } else if (t.kind === 'record' && p.ir.records[t.id]!.name !== null && specs.recordId !== undefined && !p.ir.records[t.id]!.complete) {
      // `struct S;` inside a body: declares a tag only.
    }
    return;
  }
  for (;;) {
    let d: Declarator;
    // An unnamed bit-field is located at its specifiers, where clang puts its diagnostics.
    if (p.is(':')) d = { name: null, nameLoc: specs.loc, namePos: p.pos, type: specs.type, attrs: {} };
    else d = parseDeclarator(p, specs.type, 'named');
    let bitWidth = null;
    if (p.accept(':')) {
      bitWidth = parseConditionalExpr(p);
      parseAttributes(p, d.attrs);
    }
    const attrs: Attributes = { ...specs.attrs };
    mergeInto(attrs, d.attrs);
    fields.push({ name: d.name, type: d.type, bitWidth, attrs, loc: d.nameLoc });
    if (!p.accept(',')) break;
  }
  p.expect(';');
}

function parseEnumSpecifier(p: DeclContext, kw: Token): CType {
  const attrs: Attributes = {};
  parseAttributes(p, attrs);
  let name: string | null = null;
  let nameLoc = kw.loc;
  const namePos = p.pos;
  if (p.tok.kind === 'ident' && !atAttribute(p)) {
    nameLoc = p.tok.loc;
    name = p.next().text;
  }
  parseAttributes(p, attrs);
  let fixedType: CType | undefined;
  if (p.is(':') && isTypeStart(p, p.peek())) {
    p.next();
    fixedType = parseTypeName(p);
  }
  const tags = p.ir.tags.enum;
  if (!p.is('{')) {
    if (name === null) p.fail(`expected '{' or a tag name after 'enum'`);
    let id = own(tags, name);
    if (id === undefined) {
      id = p.ir.enums.length;
      const e: EnumDecl = { id, name, complete: false, enumerators: [], attrs, loc: nameLoc };
      if (fixedType) {
        e.fixedType = fixedType;
        e.complete = true;
      }
      p.ir.enums.push(e);
      tags[name] = id;
    }
    return { kind: 'enum', id };
  }
  let id = name !== null ? own(tags, name) : undefined;
  let en: EnumDecl;
  if (id !== undefined && p.ir.enums[id]!.enumerators.length === 0) {
    en = p.ir.enums[id]!;
    en.loc = nameLoc;
    mergeInto(en.attrs, attrs);
  } else {
    id = p.ir.enums.length;
    en = { id, name, complete: false, enumerators: [], attrs, loc: nameLoc };
    p.ir.enums.push(en);
    if (name !== null && own(tags, name) === undefined) tags[name] = id;
  }
  if (fixedType) en.fixedType = fixedType;
  setConditions(en, p.conditionsAt(namePos));
  p.next(); // {
  const list: Enumerator[] = en.enumerators;
  while (!p.is('}') && !p.atEnd()) {
    const at = p.pos;
    const t = p.next();
    if (t.kind !== 'ident') p.fail(`expected an enumerator name, found '${t.text}'`, t);
    parseAttributes(p, {});
    const value = p.accept('=') ? parseConditionalExpr(p) : null;
    const e: Enumerator = { name: t.text, value, loc: t.loc };
    setConditions(e, p.conditionsAt(at));
    list.push(e);
    if (!p.accept(',')) break;
  }
  p.expect('}');
  en.complete = true;
  parseAttributes(p, en.attrs);
  return { kind: 'enum', id };
}
