// `#if` expressions that are deep or overflow, against clang-19 (`clang-19 -E` on the same
// lines). clang and gcc evaluate `#if` with any nesting (a million nested parentheses are
// accepted without a diagnostic), and clang warns "integer overflow in preprocessor expression"
// at the operator, for signed + - * /, unary -, and shifts that lose bits or whose count is
// negative or not less than 64, in an evaluated operand only.
import { describe, expect, it } from 'vitest';
import { defaultPreprocessOptions, preprocessSource } from '../../src/parse/preprocess.js';

const pp = (src: string) => preprocessSource(src, defaultPreprocessOptions({}), 'test.c');
const kept = (src: string) => pp(src).tokens.filter((t) => t.kind === 'ident').map((t) => t.text);
const located = (src: string) => pp(src).diagnostics.map((d) => `${d.loc?.line}:${d.loc?.col}: ${d.severity}: ${d.message}`);

describe('#if nesting', () => {
  it('3,000 and 100,000 nested parentheses are evaluated, without a diagnostic', () => {
    for (const n of [3000, 100_000]) {
      const src = `#if ${'('.repeat(n)}1${')'.repeat(n)}\nint yes;\n#endif\n#if ${'('.repeat(n)}0${')'.repeat(n)}\nint no;\n#endif\n`;
      const r = pp(src);
      expect(r.diagnostics).toEqual([]);
      expect(r.tokens.map((t) => t.text)).toEqual(['int', 'yes', ';']);
    }
  });

  // clang-19 crashes (segmentation fault) on the next two; gcc -E keeps every group, as the
  // hand derivation says.
  it('100,000 prefix operators, and a sum of 100,000 terms', () => {
    // (-)^100000 1 = 1; !!...!0 with an odd count = 1; 1+1+...+1 = 100000, so == holds.
    const src =
      `#if ${'- '.repeat(100_000)}1 == 1\nint a;\n#endif\n` +
      `#if ${'!'.repeat(99_999)}0\nint b;\n#endif\n` +
      `#if ${Array(100_000).fill('1').join('+')} == 100000\nint c;\n#endif\n`;
    expect(kept(src)).toEqual(['int', 'a', 'int', 'b', 'int', 'c']);
  });

  it('deep ?: chains, either way', () => {
    const n = 50_000;
    const right = `#if ${'0 ? 1 : '.repeat(n)}1\nint r;\n#endif\n`;
    const middle = `#if ${'1 ? '.repeat(n)}1${' : 0'.repeat(n)}\nint m;\n#endif\n`;
    expect(kept(right + middle)).toEqual(['int', 'r', 'int', 'm']);
  });
});

describe('#if overflow warnings (clang-19)', () => {
  it('signed + - * / and unary -, at the operator', () => {
    const src = [
      '#if 9223372036854775807*2', // 1:24
      '#endif',
      '#if -(-9223372036854775807-1)', // 3:5
      '#endif',
      '#if 9223372036854775807+1', // 5:24
      '#endif',
      '#if 0 && (9223372036854775807+1)', // not evaluated: none
      '#endif',
      '#if 18446744073709551615u*2', // unsigned: none
      '#endif',
      '#if (-9223372036854775807-1)/-1', // 11:29
      '#endif',
      '#if (-9223372036854775807-1)%-1', // none
      '#endif',
      '#if 9223372036854775807 - -1', // 15:25
      '#endif',
      '#if 0 ? 1/0 : -(-9223372036854775807-1)', // 17:15, the evaluated arm
      '#endif',
      '#if 1 || -(-9223372036854775807-1)', // none
      '#endif',
      '',
    ].join('\n');
    expect(located(src)).toEqual([
      '1:24: warning: integer overflow in preprocessor expression',
      '3:5: warning: integer overflow in preprocessor expression',
      '5:24: warning: integer overflow in preprocessor expression',
      '11:29: warning: integer overflow in preprocessor expression',
      '15:25: warning: integer overflow in preprocessor expression',
      '17:15: warning: integer overflow in preprocessor expression',
    ]);
  });

  it('shifts: bits lost (signed or unsigned), or a count that is negative or at least 64', () => {
    const src = [
      '#if 1 << 63', // 1:7: into the sign bit
      '#endif',
      '#if 0 << 64', // 3:7
      '#endif',
      '#if 1 >> 64', // 5:7
      '#endif',
      '#if 18446744073709551615u << 1', // 7:27
      '#endif',
      '#if 1u << 63', // none
      '#endif',
      '#if -1 << 1', // none
      '#endif',
      '#if (1 << -1) == 0', // 13:8
      '#endif',
      '',
    ].join('\n');
    expect(located(src)).toEqual([
      '1:7: warning: integer overflow in preprocessor expression',
      '3:7: warning: integer overflow in preprocessor expression',
      '5:7: warning: integer overflow in preprocessor expression',
      '7:27: warning: integer overflow in preprocessor expression',
      '13:8: warning: integer overflow in preprocessor expression',
    ]);
  });
});
