// Deep nesting in declarations and macro expansions, and #pragma pack that clang ignores.
// Expected diagnostics are clang-19's for the same text (clang-19 -fsyntax-only): its bracket
// limit (-fbracket-depth, default 256, counted per kind of bracket) is a fatal error at the
// opening bracket that goes past it, and parsing stops there. clang has no limit for the other
// recursive constructs (it crashes on 100,000 nested unary minuses); portabi stops them at
// 512 levels in all with a located error instead of overflowing its stack.
import { describe, expect, it } from 'vitest';
import { parseDeclarations } from '../../src/parse/declarations.js';
import { classifyMacro } from '../../src/parse/macro-forms.js';
import type { TranslationUnitIR } from '../../src/parse/ir.js';

const parse = (src: string) => parseDeclarations(`# 1 "t.h"\n${src}`);
const located = (ir: TranslationUnitIR) => ir.diagnostics.map((d) => `${d.loc?.line}:${d.loc?.col}: ${d.severity}: ${d.message}`);
const rec = (ir: TranslationUnitIR, name: string) => ir.records[ir.tags.struct[name]!]!;
/** `struct S0 { struct S1 { ... int x; } ; ... };`: n struct definitions nested in each other. */
const nestedStructs = (n: number) => Array.from({ length: n }, (_, i) => `struct S${i} { `).join('') + 'int x;' + ' };'.repeat(n);

describe('bracket nesting (clang-19: fatal past 256 of a kind)', () => {
  it('3,000 nested struct definitions: one fatal error at the 257th {, what came before is kept; 256 are fine', () => {
    const ir = parse(`struct before { int a; };\n${nestedStructs(3000)}\nstruct after { int b; };\n`);
    // clang-19: "t.h:2:3487: fatal error: bracket nesting level exceeded maximum of 256"
    expect(located(ir)).toEqual(['2:3487: fatal: bracket nesting level exceeded maximum of 256']);
    expect(rec(ir, 'before').complete).toBe(true);
    expect(ir.tags.struct.after).toBeUndefined(); // clang stops parsing too

    const ok = parse(`${nestedStructs(256)}\n`); // clang-19: warnings only
    expect(ok.diagnostics.filter((d) => d.severity !== 'warning')).toEqual([]);
    expect(rec(ok, 'S255').fields.map((f) => f.name)).toEqual(['x']);
  });

  it('257 nested parentheses in a skipped initializer: fatal at the 257th; the limit is per kind', () => {
    const ir = parse(`int x = ${'('.repeat(257)}1${')'.repeat(257)};\n`);
    expect(located(ir)).toEqual(['1:265: fatal: bracket nesting level exceeded maximum of 256']); // clang-19: 1:265

    // 200 braces around 200 parentheses, and 256 parentheses: clang-19 has no error.
    const ok = parse(`int x = ${'{'.repeat(200)}${'('.repeat(200)}1${')'.repeat(200)}${'}'.repeat(200)};\nint y[${'('.repeat(256)}1${')'.repeat(256)}];\n`);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.variables.y!.type).toMatchObject({ kind: 'array' });
  });

  it('a macro expansion nested 20,000 deep is not an expression (clang: the same fatal error where it is used)', () => {
    for (const [open, close] of [['(', ')'], ['{', '}']] as const) {
      const f = classifyMacro(`${open.repeat(20_000)}1${close.repeat(20_000)}`);
      expect(f).toEqual({ form: 'other', reason: 'bracket nesting level exceeded maximum of 256' });
    }
    expect(classifyMacro(`${'('.repeat(256)}1${')'.repeat(256)}`).form).toBe('expr');
  });
});

describe('other deep nesting: a located error past 512 levels, then the next declaration', () => {
  const cases: [string, string][] = [
    ['100,000 unary minuses in an array size', `char a[${'- '.repeat(100_000)}1];`],
    ['100,000 casts', `char a[${'(int)'.repeat(100_000)}1];`],
    ['a ?: chain 100,000 long', `enum { E = ${'1 ? 1 : '.repeat(100_000)}1 };`],
    ['100,000 array suffixes', `typedef int T${'[1]'.repeat(100_000)};`],
    ['100,000 pointer declarators', `typedef int ${'*'.repeat(100_000)}P;`],
    ['in a struct member: the member is dropped, the others kept', `struct Q { char a[${'- '.repeat(100_000)}1]; int b; };`],
  ];
  for (const [what, decl] of cases) {
    it(what, () => {
      const ir = parse(`${decl}\nint after;\n`);
      expect(ir.diagnostics).toHaveLength(1);
      expect(ir.diagnostics[0]).toMatchObject({ severity: 'error', message: 'nesting level exceeded maximum of 512', loc: { line: 1 } });
      expect(ir.variables.after).toBeDefined();
      if (ir.tags.struct.Q !== undefined) expect(rec(ir, 'Q').fields.map((f) => f.name)).toEqual(['b']);
    });
  }

  it('a macro of 100,000 unary minuses is not an expression; 500 of them, or of pointer declarators, are fine', () => {
    expect(classifyMacro(`${'- '.repeat(100_000)}1`)).toEqual({ form: 'other', reason: 'nesting level exceeded maximum of 512' });
    const ir = parse(`char a[${'- '.repeat(500)}1];\ntypedef int ${'*'.repeat(500)}P;\n`);
    expect(ir.diagnostics).toEqual([]);
  });
});

describe('#pragma pack that clang ignores (clang-19 -Wignored-pragmas)', () => {
  // clang-19 on this text: the warnings below (at column 9, the `pack`; portabi locates the
  // pragma's `#`), and _Static_asserts confirm sizeof a, b, c = 6 (pack 2), d = 8 (pack 8),
  // e = 16 (pack 8, with a long long), f = 6 (pack 2).
  const src = [
    '#pragma pack(2)',
    '#pragma pack(3)', // ignored: not a power of two
    'struct a { char c; int i; };',
    '#pragma pack(push, 32)', // ignored entirely: nothing is pushed
    'struct b { char c; int i; };',
    '#pragma pack(pop)', // stack empty: the value stays 2
    '#pragma pack(pop)',
    'struct c { char c; int i; };',
    '#pragma pack(push, 1)',
    '#pragma pack(push, r, 4)',
    '#pragma pack(pop, r, 8)',
    'struct d { char c; int i; };',
    '#pragma pack(1, 2)', // malformed: ignored
    '#pragma pack(0x8)',
    'struct e { char c; long long i; };',
    '#pragma pack(010)',
    '#pragma pack(pop)', // back to the 2 that push(1) saved
    'struct f { char c; int i; };',
    '#pragma pack(pop)', // after the last record: still reported
    '#pragma pack(99999999999)',
    '',
  ].join('\n');

  it('warns as clang does, and ignores what clang ignores', () => {
    const ir = parse(src);
    const w = (line: number, m: string) => `${line}:1: warning: ${m}`;
    const align = "expected #pragma pack parameter to be '1', '2', '4', '8', or '16'";
    const empty = '#pragma pack(pop, ...) failed: stack empty';
    expect(located(ir)).toEqual([
      w(2, align),
      w(4, align),
      w(6, empty),
      w(7, empty),
      w(11, "specifying both a name and alignment to 'pop' is undefined"),
      w(13, "missing ')' after '#pragma pack' - ignoring"),
      w(19, empty),
      w(20, align),
    ]);
    expect(['a', 'b', 'c', 'd', 'e', 'f'].map((n) => rec(ir, n).pack)).toEqual([2, 2, 2, 8, 8, 2]);
  });

  it('other malformed forms, with clang-19 wording', () => {
    const ir = parse('#pragma pack(x)\n#pragma pack 4\n#pragma pack(push, lbl, x)\n#pragma pack(show)\nstruct s { int i; };\n');
    expect(located(ir)).toEqual([
      "1:1: warning: unknown action for '#pragma pack' - ignored",
      "2:1: warning: missing '(' after '#pragma pack' - ignoring",
      "3:1: warning: expected integer or identifier in '#pragma pack' - ignored",
    ]);
    expect(rec(ir, 's').pack).toBeNull();
  });
});
