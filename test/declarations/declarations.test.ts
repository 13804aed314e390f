// Declarations → IR, one C construct per test. Expected IR is written from C semantics.
import { describe, expect, it } from 'vitest';
import { parseDeclarationTokens, parseDeclarations } from '../../src/parse/declarations.js';
import { defaultPreprocessOptions, preprocessSource } from '../../src/parse/preprocess.js';
import { classifyMacros } from '../../src/parse/macro-forms.js';
import type { TranslationUnitIR } from '../../src/parse/ir.js';

const lit = (text: string) => expect.objectContaining({ k: 'int', text });

function parse(src: string): TranslationUnitIR {
  const ir = parseDeclarations(`# 1 "t.h"\n${src}\n`);
  return ir;
}
function rec(ir: TranslationUnitIR, tag: 'struct' | 'union', name: string) {
  return ir.records[ir.tags[tag][name]!]!;
}

describe('typedefs', () => {
  it('keeps chains as references and knows typedef names in later declarations', () => {
    const ir = parse('typedef unsigned int u32; typedef u32 word; typedef word * wp; struct s { wp p; };');
    expect(ir.typedefs.u32!.type).toEqual({ kind: 'int', name: 'unsigned int' });
    expect(ir.typedefs.word!.type).toEqual({ kind: 'typedef', name: 'u32' });
    expect(ir.typedefs.wp!.type).toEqual({ kind: 'pointer', to: { kind: 'typedef', name: 'word' } });
    expect(rec(ir, 'struct', 's').fields[0]!.type).toEqual({ kind: 'typedef', name: 'wp' });
    expect(ir.diagnostics).toEqual([]);
  });
  it('opaque struct typedef stays incomplete', () => {
    const ir = parse('typedef struct FILE_s FILE;');
    expect(ir.typedefs.FILE!.type).toEqual({ kind: 'record', id: 0 });
    expect(ir.records[0]).toMatchObject({ tag: 'struct', name: 'FILE_s', complete: false, fields: [] });
  });
  it('locations come from line markers', () => {
    const ir = parseDeclarations('# 10 "a.h"\n\n  typedef int T;\n');
    expect(ir.typedefs.T!.loc).toEqual({ file: 'a.h', line: 11, col: 15 });
  });
});

describe('records', () => {
  it('bit-fields, unnamed bit-fields, flexible array member', () => {
    const ir = parse('struct s { unsigned a : 3; int : 0; char data[]; };');
    const f = rec(ir, 'struct', 's').fields;
    expect(f.map((x) => x.name)).toEqual(['a', null, 'data']);
    expect(f[0]!.bitWidth).toEqual(lit('3'));
    expect(f[1]!.bitWidth).toEqual(lit('0'));
    expect(f[2]!.type).toEqual({ kind: 'array', of: { kind: 'int', name: 'char' }, length: null });
  });
  it('C11 anonymous struct and union members, nested named records', () => {
    const ir = parse('struct o { union { int i; float f; }; struct in { int x; } named; struct { int y; }; };');
    const o = rec(ir, 'struct', 'o');
    expect(o.fields.map((x) => x.name)).toEqual([null, 'named', null]);
    const anonUnion = ir.records[(o.fields[0]!.type as { id: number }).id]!;
    expect(anonUnion).toMatchObject({ tag: 'union', name: null, complete: true });
    expect(anonUnion.fields.map((x) => x.name)).toEqual(['i', 'f']);
    expect(rec(ir, 'struct', 'in').fields.map((x) => x.name)).toEqual(['x']);
  });
  it('attributes in every GNU position', () => {
    const ir = parse(
      'struct __attribute__((packed)) a { char c; int i; };\n' +
        'struct b { char c; } __attribute__((aligned(8)));\n' +
        'struct c { __attribute__((aligned(16))) int x; int y __attribute__((aligned)); };\n' +
        'typedef int v4si __attribute__((vector_size(16)));\n' +
        'typedef int di __attribute__((__mode__(__DI__)));\n' +
        'typedef union { int *i; long *l; } tu __attribute__((__transparent_union__));\n' +
        'struct d { _Alignas(8) char c; _Alignas(double) char e; };',
    );
    expect(rec(ir, 'struct', 'a').attrs).toEqual({ packed: true });
    expect(rec(ir, 'struct', 'b').attrs).toEqual({ aligned: lit('8') });
    const c = rec(ir, 'struct', 'c').fields;
    expect(c[0]!.attrs).toEqual({ aligned: lit('16') });
    expect(c[1]!.attrs).toEqual({ aligned: 'max' });
    expect(ir.typedefs.v4si!.type.attrs).toEqual({ vectorSize: lit('16') });
    expect(ir.typedefs.di!.type.attrs).toEqual({ mode: 'DI' });
    expect(ir.typedefs.tu!.type.attrs).toEqual({ transparentUnion: true });
    const d = rec(ir, 'struct', 'd').fields;
    expect(d[0]!.attrs).toEqual({ aligned: lit('8') });
    expect(d[1]!.attrs).toEqual({ alignedAsType: { kind: 'float', name: 'double' } });
  });
  it('#pragma pack state at each definition (push/pop/set/reset)', () => {
    const ir = parse(
      '#pragma pack(push, 2)\nstruct a { char c; int i; };\n#pragma pack(1)\nstruct b { int i; };\n' +
        '#pragma pack(pop)\nstruct c { int i; };\n#pragma pack(4)\n#pragma pack()\nstruct d { int i; };',
    );
    expect(['a', 'b', 'c', 'd'].map((n) => rec(ir, 'struct', n).pack)).toEqual([2, 1, null, null]);
  });
  it('a forward declaration is completed in place by the definition', () => {
    const ir = parse('struct n; struct n *head; struct n { struct n *next; };');
    expect(ir.records.length).toBe(1);
    expect(ir.records[0]).toMatchObject({ complete: true, name: 'n' });
    expect(ir.variables.head!.type).toEqual({ kind: 'pointer', to: { kind: 'record', id: 0 } });
  });
});

describe('enums', () => {
  it('keeps enumerator expressions and fixed underlying types', () => {
    const ir = parse('enum e { A, B = 4, C = B << 1 }; enum f : unsigned char { X };');
    const e = ir.enums[ir.tags.enum.e!]!;
    expect(e.enumerators.map((x) => x.name)).toEqual(['A', 'B', 'C']);
    expect(e.enumerators[0]!.value).toBeNull();
    expect(e.enumerators[2]!.value).toMatchObject({ k: 'binary', op: '<<', left: { k: 'ident', name: 'B' }, right: lit('1') });
    expect(ir.enums[ir.tags.enum.f!]!.fixedType).toEqual({ kind: 'int', name: 'unsigned char' });
  });
});

describe('functions', () => {
  it('prototypes, variadic, K&R, function pointers, canonical signatures', () => {
    const ir = parse(
      'typedef unsigned long size_t;\n' +
        'extern int printf(const char *__restrict fmt, ...);\n' +
        'int old();\n' +
        'void (*signal(int sig, void (*handler)(int)))(int);\n' +
        'char const * f(int a[10], const int n, void g(void));\n' +
        'static inline int add(int a, int b) { return a + b; }\n' +
        'extern void *memcpy (void *__restrict __dest, const void *__restrict __src, size_t __n) __attribute__ ((__nothrow__)) __asm__("memcpy2");',
    );
    expect(ir.functions.printf!.signature).toBe('int printf(const char *, ...)'); // top-level restrict of a parameter is dropped
    expect(ir.functions.printf!.type.params[0]!.name).toBe('fmt');
    expect(ir.functions.printf!.type.variadic).toBe(true);
    expect(ir.functions.old!.type.prototyped).toBe(false);
    expect(ir.functions.old!.signature).toBe('int old()');
    expect(ir.functions.signal!.signature).toBe('void (*signal(int, void (*)(int)))(int)');
    expect(ir.functions.f!.signature).toBe('const char *f(int *, int, void (*)(void))');
    expect(ir.functions.add).toMatchObject({ storage: 'static', inline: true, signature: 'int add(int, int)' });
    expect(ir.functions.memcpy!.signature).toBe('void *memcpy(void *, const void *, size_t)');
    expect(ir.diagnostics).toEqual([]);
  });
  it('same prototype written differently gives the same signature', () => {
    const a = parse('int const volatile *f(unsigned, long int long x[]);').functions.f!.signature;
    const b = parse('volatile const int *f(unsigned int y, signed long long *const);').functions.f!.signature;
    expect(a).toBe(b);
    expect(a).toBe('const volatile int *f(unsigned int, long long *)');
  });
});

describe('variables and GNU extensions', () => {
  it('storage classes, __extension__, __int128, _Complex, _Atomic, __typeof__, va_list, _Static_assert', () => {
    const ir = parse(
      '__extension__ typedef __int128 i128; typedef unsigned __int128 u128;\n' +
        'extern double _Complex z; static _Atomic(int) ai; __signed__ char sc; __const int ci = 3;\n' +
        'typedef __builtin_va_list va; __typeof__(ci) tc; _Static_assert(1, "x");\n' +
        'typedef _Float16 h; typedef __fp16 hp; int arr[2 * 3];',
    );
    expect(ir.typedefs.i128!.type).toEqual({ kind: 'int', name: '__int128' });
    expect(ir.typedefs.u128!.type).toEqual({ kind: 'int', name: 'unsigned __int128' });
    expect(ir.variables.z).toMatchObject({ storage: 'extern', type: { kind: 'complex', of: 'double' } });
    expect(ir.variables.ai).toMatchObject({ storage: 'static', type: { kind: 'int', name: 'int', quals: { atomic: true } } });
    expect(ir.variables.sc!.type).toEqual({ kind: 'int', name: 'signed char' });
    expect(ir.variables.ci!.type).toEqual({ kind: 'int', name: 'int', quals: { const: true } });
    expect(ir.typedefs.va!.type).toEqual({ kind: 'builtin', name: '__builtin_va_list' });
    expect(ir.variables.tc!.type).toMatchObject({ kind: 'typeof', expr: { k: 'ident', name: 'ci' } });
    expect(ir.typedefs.h!.type).toEqual({ kind: 'float', name: '_Float16' });
    expect(ir.typedefs.hp!.type).toEqual({ kind: 'float', name: '__fp16' });
    expect(ir.variables.arr!.type).toMatchObject({ kind: 'array', length: { k: 'binary', op: '*' } });
    expect(ir.diagnostics).toEqual([]);
  });
  it('glibc typedefs _Float32 when the compiler lacks it (clang)', () => {
    const ir = parse('typedef float _Float32; _Float32 x;');
    expect(ir.typedefs._Float32!.type).toEqual({ kind: 'float', name: 'float' });
    expect(ir.variables.x!.type).toEqual({ kind: 'typedef', name: '_Float32' });
  });
  it('errors become diagnostics with a location; parsing resumes', () => {
    const ir = parse('int ok1;\nint @ bad;\nint ok2;');
    expect(ir.diagnostics.length).toBe(1);
    expect(ir.diagnostics[0]!.loc).toMatchObject({ file: 't.h', line: 2 });
    expect(Object.keys(ir.variables)).toEqual(['ok1', 'ok2']);
  });
});

describe('expressions', () => {
  it('casts with typedef names, sizeof of types, offsetof, _Alignof', () => {
    const ir = parse(
      'typedef int T; struct s { int a; int b[4]; };\n' +
        'enum { A = (T)-1, B = sizeof(T), C = sizeof (struct s), D = __builtin_offsetof(struct s, b[2]), E = _Alignof(T), F = sizeof x };',
    );
    const v = ir.enums[0]!.enumerators.map((e) => e.value);
    expect(v[0]).toMatchObject({ k: 'cast', type: { kind: 'typedef', name: 'T' }, arg: { k: 'unary', op: '-' } });
    expect(v[1]).toMatchObject({ k: 'sizeof', type: { kind: 'typedef', name: 'T' } });
    expect(v[2]).toMatchObject({ k: 'sizeof', type: { kind: 'record', id: 0 } });
    expect(v[3]).toMatchObject({ k: 'offsetof', type: { kind: 'record', id: 0 }, path: [{ field: 'b' }, { index: lit('2') }] });
    expect(v[4]).toMatchObject({ k: 'alignof', type: { kind: 'typedef', name: 'T' } });
    expect(v[5]).toMatchObject({ k: 'sizeof', arg: { k: 'ident', name: 'x' } });
  });
});

describe('classifyMacros', () => {
  it('empty / expr / init / type / string / other', () => {
    const forms = classifyMacros(
      [
        { name: 'E', expansion: '' },
        { name: 'X', expansion: '(1 << 4) | 0x10UL' },
        { name: 'I', expansion: '{ { 0 }, .a = 1, [2] = 3 }' },
        { name: 'T', expansion: 'pthread_t *' },
        { name: 'S', expansion: '"a" "b"' },
        { name: 'C', expansion: '((sigset_t)0)' },
        { name: 'O', expansion: 'do { } while (0)' },
        { name: 'A', expansion: '__attribute__((packed))' },
      ],
      ['pthread_t', 'sigset_t'],
    );
    expect(forms.get('E')).toEqual({ form: 'empty' });
    expect(forms.get('X')).toMatchObject({ form: 'expr', expr: { k: 'binary', op: '|' } });
    expect(forms.get('I')).toMatchObject({ form: 'init', list: { items: [{ designators: [] }, { designators: [{ field: 'a' }] }, { designators: [{ index: lit('2') }] }] } });
    expect(forms.get('T')).toEqual({ form: 'type', type: { kind: 'pointer', to: { kind: 'typedef', name: 'pthread_t' } } });
    expect(forms.get('S')).toEqual({ form: 'string', text: '"a" "b"' });
    expect(forms.get('C')).toMatchObject({ form: 'expr', expr: { k: 'cast', type: { kind: 'typedef', name: 'sigset_t' } } });
    expect(forms.get('O')!.form).toBe('other');
    expect(forms.get('A')!.form).toBe('other');
  });
});

describe('the #if branches that selected each definition', () => {
  // From the preprocessor: each taken branch covers a range of output tokens; declarations
  // get the branches around their name, outermost first, include guards left out.
  const src = [
    '#ifndef T_H', // 1: include guard
    '#define T_H',
    '#define WRAP(x) x',
    '#if A > 1', // 4
    'struct s { int x; };',
    '#  ifdef B', // 6
    'typedef int t1, t2;',
    '#  else', // 8
    'WRAP(typedef long t1;)',
    '#  endif',
    '#endif',
    'enum e { E0,',
    '#ifndef C', // 13
    '  E1,',
    '#endif',
    '  E2 };',
    'typedef struct s s_t;',
    '#endif',
    '',
  ].join('\n');
  const pp = preprocessSource(src, defaultPreprocessOptions({ defines: [{ name: 'A', value: '2' }] }), 't.h');
  const ir = parseDeclarationTokens(pp.tokens, pp.pragmas, { conditions: pp.conditions ?? [] });
  const at = (line: number) => ({ file: 't.h', line, col: 2 });
  const ifA = { directive: 'if', text: 'A > 1', loc: at(4), tested: [{ name: 'A', value: '2' }] };

  it('records, typedefs (also from a macro expansion) and enumerators', () => {
    expect(pp.diagnostics).toEqual([]);
    expect(rec(ir, 'struct', 's').conditions).toMatchObject([ifA]);
    // #else lists what the #ifdef tested
    expect(ir.typedefs.t1!.conditions).toMatchObject([ifA, { directive: 'else', text: '!(defined(B))', loc: { ...at(8), col: 4 }, tested: [{ name: 'B', value: null }] }]);
    expect(ir.typedefs.t2).toBeUndefined();
    const en = ir.enums[ir.tags.enum.e!]!;
    expect(en.conditions).toBeUndefined();
    expect(en.enumerators.map((e) => e.conditions?.map((c) => c.loc.line))).toEqual([undefined, [13], undefined]);
  });

  it('the include guard is marked, and is nobody\'s condition', () => {
    expect(pp.conditions?.find((c) => c.loc.line === 1)?.includeGuard).toBe(true);
    expect(ir.typedefs.s_t!.conditions).toBeUndefined();
  });

  it('without the preprocessor\'s conditions, declarations carry none', () => {
    const plain = parseDeclarationTokens(pp.tokens, pp.pragmas);
    expect(plain.records.some((r) => r.conditions) || Object.values(plain.typedefs).some((t) => t.conditions)).toBe(false);
  });
});
