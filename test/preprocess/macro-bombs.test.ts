// Macro bombs: expansions that grow exponentially. C sets no limit, and clang and gcc run
// until memory runs out; portabi gives each expansion written in the source a budget of
// tokens (DEFAULT_LIMITS.maxExpansionTokens), reports the one that exceeds it at the
// invocation, drops it and goes on. Locations are counted by hand from the sources below.
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, createMacroExpander, defaultPreprocessOptions, preprocessSource } from '../../src/parse/preprocess.js';
import type { PreprocessOptions } from '../../src/parse/pp-types.js';
import { LADDER } from '../helpers/macro-ladder.js';

const pp = (src: string, o: Partial<PreprocessOptions> = {}) => preprocessSource(src, defaultPreprocessOptions(o), 'bomb.h');


describe('the expansion budget', () => {
  it('is a million tokens per expansion', () => {
    expect(DEFAULT_LIMITS.maxExpansionTokens).toBe(1_000_000);
  });

  it('J(J(1)) is reported at its invocation, dropped, and the rest of the file is read', () => {
    const t0 = Date.now();
    const r = pp(LADDER + 'int v = J(J(1));\nint after;\n');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.diagnostics).toHaveLength(1);
    const d = r.diagnostics[0]!;
    expect(d).toMatchObject({ severity: 'error', code: 'macro-bomb', loc: { file: 'bomb.h', line: 11, col: 9 } });
    expect(d.message).toContain("'J'");
    expect(d.message).toContain('1000000 tokens');
    expect(r.ok).toBe(true);
    expect(r.tokens.map((t) => t.text).join(' ')).toBe('int v = ; int after ;');
  });

  it('inside #if: one diagnostic, at the #if operand; the condition is false and #else is taken', () => {
    const r = pp(LADDER + '#if J(J(1))\nint yes;\n#else\nint no;\n#endif\nint after;\n');
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]).toMatchObject({ severity: 'error', code: 'macro-bomb', loc: { line: 11, col: 5 } });
    expect(r.tokens.map((t) => t.text).join(' ')).toBe('int no ; int after ;');
  });

  it('an object-like bomb rescanned lazily: what it had already produced is taken back', () => {
    // A40 is 2^40 x's, produced one at a time by rescanning.
    let src = '#define A0 x\n';
    for (let k = 1; k <= 40; k++) src += `#define A${k} A${k - 1} A${k - 1}\n`;
    src += 'int a;\nA40\nint b;\n';
    const r = pp(src);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.loc?.line, d.loc?.col])).toEqual([['error', 'macro-bomb', 43, 1]]);
    expect(r.diagnostics[0]!.message).toContain("'A40'");
    expect(r.tokens.map((t) => t.text).join(' ')).toBe('int a ; int b ;');
  });

  it('a bomb in the argument of another macro is charged to the invocation written in the source', () => {
    const r = pp(LADDER + '#define ID(x) x\nint v = ID(E(E(1)));\n');
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.loc?.line, d.loc?.col])).toEqual([['error', 'macro-bomb', 12, 9]]);
    expect(r.diagnostics[0]!.message).toContain("'ID'");
  });

  it('is per expansion: many expansions below it add up past it without a diagnostic', () => {
    // D(1) is 256 tokens; 100 of them are 25600 tokens, each below a budget of 5000.
    const src = LADDER + 'D(1)\n'.repeat(100) + 'E(1)\n';
    const r = pp(src, { limits: { maxExpansionTokens: 5000 } });
    expect(r.tokens.length).toBe(25600);
    // E(1) is 65536 tokens: over the budget, reported on its line (line 111).
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.loc?.line, d.loc?.col])).toEqual([['error', 'macro-bomb', 111, 1]]);
  });

  it('many bombs: the translation unit has a total, which stops it (fatal)', () => {
    // Each E(1) costs at least the 1000-token budget; the total is 5000.
    const src = LADDER + 'E(1)\n'.repeat(20) + 'int after;\n';
    const r = pp(src, { limits: { maxExpansionTokens: 1000, maxTotalExpansionTokens: 5000 } });
    const fatal = r.diagnostics.filter((d) => d.severity === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ code: 'macro-bomb' });
    expect(r.ok).toBe(false);
  });

  it('many bombs in #if: each is one error, then one fatal, and nothing about the #if itself', () => {
    const src = LADDER + '#if E(1)\n#endif\n'.repeat(20);
    const r = pp(src, { limits: { maxExpansionTokens: 1000, maxTotalExpansionTokens: 5000 } });
    expect(new Set(r.diagnostics.map((d) => d.code))).toEqual(new Set(['macro-bomb']));
    expect(r.diagnostics.filter((d) => d.severity === 'fatal')).toHaveLength(1);
    // The first #if is on line 11, each on its own line two apart: every one at col 5.
    expect(r.diagnostics.every((d, k) => d.loc?.line === 11 + 2 * k && d.loc?.col === 5)).toBe(true);
  });

  it('# doubles text without adding tokens: that text is charged too', () => {
    // Each Q stringizes the string before: "a", "\"a\"", "\"\\\"a\\\"\"", ... at least twice
    // as long each time; 32 levels would be gigabytes in one token.
    let src = '#define S(x) #x\n#define Q(x) S(x)\n#define Q2(x) Q(Q(x))\n#define Q4(x) Q2(Q2(x))\n';
    src += '#define Q8(x) Q4(Q4(x))\n#define Q16(x) Q8(Q8(x))\n#define Q32(x) Q16(Q16(x))\nconst char *s = Q32(a);\n';
    const t0 = Date.now();
    const r = pp(src);
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.loc?.line, d.loc?.col])).toEqual([['error', 'macro-bomb', 8, 17]]);
    expect(r.diagnostics[0]!.message).toContain("'Q32'");
  });

  it('## doubles an identifier without adding tokens: charged too', () => {
    // X(a) is aa, X(X(a)) aaaa: X64 would be an identifier of 2^64 letters.
    let src = '#define CAT(a, b) a ## b\n#define X(a) CAT(a, a)\n';
    for (let k = 1; k <= 6; k++) src += `#define X${2 ** k}(a) X${k === 1 ? '' : 2 ** (k - 1)}(X${k === 1 ? '' : 2 ** (k - 1)}(a))\n`;
    src += 'int X64(a);\n';
    const r = pp(src);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.loc?.line, d.loc?.col])).toEqual([['error', 'macro-bomb', 9, 5]]);
    expect(r.diagnostics[0]!.message).toContain("'X64'");
  });

  it('a chain of macros thousands deep costs its square (each level records the whole chain): charged', () => {
    // M0 → M1 x → M2 x x → ... : 5000 levels, 5000 tokens, 12.5 million chain entries.
    let src = '';
    for (let k = 0; k < 5000; k++) src += `#define M${k} M${k + 1} x\n`;
    src += '#define M5000 end\nM0\n';
    const r = pp(src);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.loc?.line, d.loc?.col])).toEqual([['error', 'macro-bomb', 5002, 1]]);
    // 500 levels (125,000 entries) are well within the budget.
    const ok = pp(src.split('\n').slice(0, 500).join('\n') + '\n#define M500 end\nM0\n');
    expect(ok.diagnostics).toEqual([]);
    expect(ok.tokens.length).toBe(501);
  });

  it('arguments nested past the depth limit: an error at the invocation, not a stack overflow', () => {
    const nest = (n: number) => 'F('.repeat(n) + '1' + ')'.repeat(n);
    expect(DEFAULT_LIMITS.maxExpansionDepth).toBe(256);
    const r = pp(`#define F(x) x\nint v = ${nest(2000)};\nint after;\n`);
    expect(r.diagnostics.map((d) => [d.severity, d.code, d.loc?.line, d.loc?.col])).toEqual([['error', 'expansion-depth', 2, 9]]);
    expect(r.diagnostics[0]!.message).toContain("'F'");
    expect(r.tokens.map((t) => t.text).join(' ')).toBe('int v = ; int after ;');
    // 200 levels are fine: F is the identity.
    const ok = pp(`#define F(x) x\nint v = ${nest(200)};\n`);
    expect(ok.diagnostics).toEqual([]);
    expect(ok.tokens.map((t) => t.text).join(' ')).toBe('int v = 1 ;');
  });
});

describe('the expander over a final macro table (the ABI model expands every macro)', () => {
  it('a macro over the budget is reported, and the macros expanded after it are not affected', () => {
    const r = pp(LADDER + '#define BIG E(E(1))\n#define SMALL (1 + 2)\n');
    const expand = createMacroExpander(r.macros);
    const big = expand('BIG');
    expect(big.tokens).toEqual([]);
    expect(big.diagnostics).toHaveLength(1);
    expect(big.diagnostics[0]).toMatchObject({ severity: 'error', code: 'macro-bomb' });
    expect(big.diagnostics[0]!.message).toContain("'BIG'");
    const small = expand('SMALL');
    expect(small.tokens.map((t) => t.text).join(' ')).toBe('( 1 + 2 )');
    expect(small.diagnostics).toEqual([]);
  });

  it('has a total: once it is used up, every later expansion gets the fatal diagnostic and no tokens', () => {
    const r = pp(LADDER + '#define BIG1 E(1)\n#define BIG2 E(1)\n#define SMALL 7\n');
    const expand = createMacroExpander(r.macros, { limits: { maxExpansionTokens: 1000, maxTotalExpansionTokens: 1500 } });
    expect(expand('BIG1').diagnostics.map((d) => d.severity)).toEqual(['error']);
    expect(expand('BIG2').diagnostics.map((d) => d.severity)).toEqual(['fatal']);
    const small = expand('SMALL');
    expect(small.tokens).toEqual([]);
    expect(small.diagnostics).toMatchObject([{ severity: 'fatal', code: 'macro-bomb' }]);
  });

  it('hits the budget fast', () => {
    const r = pp(LADDER + '#define BIG J(J(1))\n');
    const expand = createMacroExpander(r.macros);
    const t0 = Date.now();
    expand('BIG');
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
