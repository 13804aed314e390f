// The preprocessor against C17 6.10 (examples from 6.10.3.5) and bad input.
import { describe, expect, it } from 'vitest';
import { defaultPreprocessOptions, expandMacroTokens, preprocessSource } from '../../src/parse/preprocess.js';
import { printPreprocessed } from '../../src/parse/print.js';
import { tokenize } from '../../src/parse/tokenize.js';
import type { PreprocessOptions } from '../../src/parse/pp-types.js';

const pp = (src: string, o: Partial<PreprocessOptions> = {}) => preprocessSource(src, defaultPreprocessOptions(o), 'test.c');
const toks = (src: string, o: Partial<PreprocessOptions> = {}) => pp(src, o).tokens.map((t) => t.text);
/** Expected text from the standard, split into tokens. */
const expected = (text: string) => tokenize(text, 'expected', []).slice(0, -1).map((t) => t.text);

describe('C17 6.10.3.5 examples', () => {
  it('example 3: rescanning and hidesets', () => {
    const src = `#define x 3
#define f(a) f(x * (a))
#undef x
#define x 2
#define g f
#define z z[0]
#define h g(~
#define m(a) a(w)
#define w 0,1
#define t(a) a
#define p() int
#define q(x) x
#define r(x,y) x ## y
#define str(x) # x
f(y+1) + f(f(z)) % t(t(g)(0) + t)(1);
g(x+(3,4)-w) | h 5) & m
(f)^m(m);
p() i[q()] = { q(1), r(2,3), r(4,), r(,5), r(,) };
char c[2][6] = { str(hello), str() };
`;
    expect(toks(src)).toEqual(
      expected(`f(2 * (y+1)) + f(2 * (f(2 * (z[0])))) % f(2 * (0)) + t(1);
f(2 * (2+(3,4)-0,1)) | f(2 * (~ 5)) & f(2 * (0,1))^m(0,1);
int i[] = { 1, 23, 4, 5, };
char c[2][6] = { "hello", "" };`),
    );
  });

  it('example 4: # and ## (str, xstr, glue)', () => {
    const src = `#define str(s) # s
#define xstr(s) str(s)
#define debug(s, t) printf("x" # s "= %d, x" # t "= %s", \\
 x ## s, x ## t)
#define INCFILE(n) vers ## n
#define glue(a, b) a ## b
#define xglue(a, b) glue(a, b)
#define HIGHLOW "hello"
#define LOW LOW ", world"
debug(1, 2);
fputs(str(strncmp("abc\\0d", "abc", '\\4') // this goes away
 == 0) str(: @\\n), s);
xstr(INCFILE(2).h)
glue(HIGH, LOW);
xglue(HIGH, LOW)
`;
    expect(toks(src)).toEqual(
      expected(`printf("x" "1" "= %d, x" "2" "= %s", x1, x2);
fputs("strncmp(\\"abc\\\\0d\\", \\"abc\\", '\\\\4') == 0" ": @\\n", s);
"vers2.h"
"hello";
"hello" ", world"`),
    );
  });

  it('example 5: placemarkers (t(x,y,z) with empty arguments)', () => {
    const src = `#define t(x,y,z) x ## y ## z
int j[] = { t(1,2,3), t(,4,5), t(6,,7), t(8,9,),
 t(10,,), t(,11,), t(,,12), t(,,) };
`;
    expect(toks(src)).toEqual(expected(`int j[] = { 123, 45, 67, 89,
 10, 11, 12, };`));
  });

  it('example 7: variable arguments (showlist, report)', () => {
    const src = `#define debug(...) fprintf(stderr, __VA_ARGS__)
#define showlist(...) puts(#__VA_ARGS__)
#define report(test, ...) ((test)?puts(#test):\\
 printf(__VA_ARGS__))
debug("Flag");
debug("X = %d\\n", x);
showlist(The first, second, and third items.);
report(x>y, "x is %d but y is %d", x, y);
`;
    expect(toks(src)).toEqual(
      expected(`fprintf(stderr, "Flag");
fprintf(stderr, "X = %d\\n", x);
puts("The first, second, and third items.");
((x>y)?puts("x>y"): printf("x is %d but y is %d", x, y));`),
    );
  });
});

describe('macros', () => {
  it('__VA_OPT__ as in C23 / clang', () => {
    const src = `#define F(a, ...) f(a __VA_OPT__(,) __VA_ARGS__)
#define E
F(1) F(1, 2, 3) F(1, E)
#define G(X, ...) X __VA_OPT__(- X ## __VA_ARGS__)
G(a) G(a, b)
`;
    expect(toks(src)).toEqual(expected('f(1) f(1, 2, 3) f(1) a a - ab'));
  });
  it('GNU , ## __VA_ARGS__ and named variadic args...', () => {
    const src = `#define e(fmt, ...) p(fmt, ## __VA_ARGS__)
#define n(fmt, args...) p(fmt, ## args)
e(x) e(x, 1) n(y) n(y, 2, 3)
`;
    expect(toks(src)).toEqual(expected('p(x) p(x, 1) p(y) p(y, 2, 3)'));
  });
  it('recursive macros stop (painted blue)', () => {
    // a → a b; b → a, and that a is painted blue
    expect(toks('#define a a b\n#define b a\na\n')).toEqual(['a', 'a']);
  });
  it('redefinition that differs warns; identical does not', () => {
    const r = pp('#define A 1\n#define A 1\n#define A 2\n');
    expect(r.diagnostics.filter((d) => d.code === 'macro-redefined').map((d) => d.loc)).toEqual([{ file: 'test.c', line: 3, col: 9 }]);
  });
  it('builtins', () => {
    expect(toks('__FILE__ __LINE__\n__COUNTER__ __COUNTER__ __INCLUDE_LEVEL__\n')).toEqual(['"test.c"', '1', '0', '1', '0']);
  });
  it('provenance: expansion chain outermost first', () => {
    const r = pp('#define B x\n#define A B\nA\n');
    const t = r.tokens[0]!;
    expect(t.expansion!.map((s) => s.macro)).toEqual(['A', 'B']);
    expect(t.expansion![0]!.invokedAt).toEqual({ file: 'test.c', line: 3, col: 1 });
    expect(t.loc).toEqual({ file: 'test.c', line: 1, col: 11 });
  });
  it('expandMacroTokens expands with the final macro table', () => {
    const r = pp('#define INIT { 0, X }\n#define X 42\n');
    expect(expandMacroTokens('INIT', r.macros).tokens.map((t) => t.text)).toEqual(['{', '0', ',', '42', '}']);
  });
});

describe('conditionals', () => {
  it('#if arithmetic in intmax_t/uintmax_t', () => {
    const src = `#if -1 > 0u
unsigned_ok
#endif
#if (0x7fffffffffffffff + 1) < 0
wrap
#endif
#if 18446744073709551615 == -1
big
#endif
#if defined X || !defined(Y) && 'a' == 97 && (1 ? 2 : (1/0))
chars
#endif
#ifdef U
#elif 1
elif
#else
no
#endif
`;
    expect(toks(src)).toEqual(['unsigned_ok', 'wrap', 'big', 'chars', 'elif']);
  });
  it('__has_include and __has_* callbacks', () => {
    const src = `#if __has_include(<nonexistent_portabi.h>)
no
#endif
#if __has_attribute(packed) && !__has_builtin(foo) && __has_feature(f) && !__has_cpp_attribute(x)
yes
#endif
`;
    expect(toks(src, { hasAttribute: (n) => (n === 'packed' ? 1 : 0), hasFeature: () => 1 })).toEqual(['yes']);
  });
  it('records conditions and MacroDef.conditions', () => {
    const r = pp('#define V 3\n#if V > 2\n#define IN 1\n#endif\n');
    expect(r.macros.get('IN')!.conditions.map((c) => [c.text, c.tested])).toEqual([['V > 2', [{ name: 'V', value: '3' }]]]);
  });
});

describe('pragmas and printing', () => {
  it('#pragma pack and _Pragma are recorded and printed in order', () => {
    const r = pp('int a;\n#pragma pack(push, 4)\n_Pragma("pack(pop)") int b;\n');
    expect(r.pragmas.map((p) => [p.tokenIndex, p.pack])).toEqual([
      [3, { action: 'push', value: 4 }],
      [3, { action: 'pop' }],
    ]);
    const text = printPreprocessed(r);
    expect(text).toContain('#pragma pack(push, 4)\n');
    expect(text.indexOf('#pragma pack(pop)')).toBeLessThan(text.indexOf('int b'));
  });
  it('prints source tokens at their original line and column', () => {
    const text = printPreprocessed(pp('#define X 1\n\n   int   x = X;\n'));
    const lines = text.split('\n');
    const k = lines.findIndex((l) => l.includes('int'));
    expect(lines[k]).toBe('   int   x = 1;');
  });
});

describe('Kconfig', () => {
  it('y/m/n/numbers/strings and malformed lines', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const f = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'kc-')), '.config');
    fs.writeFileSync(f, '# comment\nCONFIG_A=y\nCONFIG_B=m\n# CONFIG_C is not set\nCONFIG_D=0x10\nCONFIG_E="hi"\nCONFIG_F=n\ngarbage\n');
    const r = pp('CONFIG_A CONFIG_B_MODULE CONFIG_C CONFIG_D CONFIG_E CONFIG_F\n', { configFiles: [f] });
    expect(r.tokens.map((t) => t.text)).toEqual(['1', '1', 'CONFIG_C', '0x10', '"hi"', 'CONFIG_F']);
    expect(r.diagnostics.find((d) => d.code === 'kconfig')!.loc).toEqual({ file: f, line: 8, col: 1 });
  });
});

describe('bad input: located diagnostics, no throw', () => {
  it('unterminated comment', () => {
    expect(pp('int a; /* never closed\n').diagnostics[0]).toMatchObject({ code: 'unterminated-comment', loc: { line: 1, col: 8 } });
  });
  it('unterminated string', () => {
    expect(pp('char *s = "abc\n;\n').diagnostics[0]).toMatchObject({ loc: { line: 1, col: 11 } });
  });
  it('unterminated #if', () => {
    expect(pp('#if 1\nint a;\n').diagnostics[0]).toMatchObject({ code: 'unterminated-if', loc: { line: 1, col: 2 } });
  });
  it('include cycle ends at the depth limit', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cyc-'));
    fs.writeFileSync(path.join(d, 'a.h'), '#include "b.h"\n');
    fs.writeFileSync(path.join(d, 'b.h'), '#include "a.h"\n');
    const r = pp('#include "a.h"\n', {});
    void r;
    const r2 = preprocessSource('#include "a.h"\n', defaultPreprocessOptions(), path.join(d, 'main.c'));
    const f = r2.diagnostics.find((x) => x.code === 'include-depth')!;
    expect(f.severity).toBe('fatal');
    expect(f.loc!.line).toBe(1);
    expect(r2.ok).toBe(false);
  });
  it('missing include', () => {
    // clang-19: "1:10: fatal error: 'no_such_portabi.h' file not found", and nothing after it.
    expect(pp('#include <no_such_portabi.h>\n').diagnostics[0]).toMatchObject({ severity: 'fatal', code: 'include-not-found', loc: { line: 1, col: 10 } });
  });
  it('macro bomb (2^40 tokens) stops fast', () => {
    let src = '#define A0 x\n';
    for (let k = 1; k <= 40; k++) src += `#define A${k} A${k - 1} A${k - 1}\n`;
    src += 'A40\n';
    const t0 = Date.now();
    const r = pp(src, { limits: { maxOutputTokens: 200_000 } });
    expect(Date.now() - t0).toBeLessThan(5000);
    // Over the budget of one expansion (DEFAULT_LIMITS.maxExpansionTokens) before the output
    // cap: an error at the invocation, and the expansion is dropped (macro-bombs.test.ts).
    expect(r.diagnostics.find((d) => d.code === 'macro-bomb')).toMatchObject({ severity: 'error', loc: { line: 42, col: 1 } });
  });
  it('function-like macro bomb through argument pre-expansion stops', () => {
    let src = '#define F(x) x x\n';
    src += 'F('.repeat(40) + '1' + ')'.repeat(40) + '\n';
    const r = pp(src, { limits: { maxOutputTokens: 100_000 } });
    expect(r.diagnostics.some((d) => d.code === 'macro-bomb')).toBe(true);
  });
  it('binary garbage and invalid UTF-8', () => {
    const bytes = Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x41, 0x80, 0x0a, 0x7f, 0x27]);
    const r = pp(bytes.toString('latin1'));
    expect(r.diagnostics.some((d) => d.code === 'invalid-utf8' && d.loc!.line === 1)).toBe(true);
    expect(r.diagnostics.some((d) => d.code === 'null-char')).toBe(true);
  });
  it('a 10 MB single line in bounded time', () => {
    const line = 'abcdefghi '.repeat(1_000_000) + ';\n';
    const t0 = Date.now();
    const r = pp(line);
    expect(Date.now() - t0).toBeLessThan(20000);
    expect(r.tokens.length).toBe(1_000_001);
    const r2 = pp(line, { limits: { maxLineLength: 1_000_000 } });
    expect(r2.diagnostics[0]).toMatchObject({ code: 'line-too-long', loc: { line: 1, col: 1 } });
  });
  it('#error and #warning are located and processing continues', () => {
    const r = pp('#error stop here\n#warning careful\nint a;\n#bogus\n');
    expect(r.diagnostics.map((d) => [d.severity, d.loc!.line])).toEqual([['error', 1], ['warning', 2], ['error', 4]]);
    expect(r.tokens.map((t) => t.text)).toEqual(['int', 'a', ';']);
  });
});
