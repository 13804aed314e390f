// Groups #if skips are not lexed: SourceFile.nextDirective only looks for the next line that
// starts with `#` or `%:`, following comments, quotes and line splices as the lexer does.
// Each case is a file run through `clang-19 -E -P`; `out` is clang's output, as tokens, and
// `errors` the errors clang reported (portabi's messages are the same words).
import { describe, expect, it } from 'vitest';
import { defaultPreprocessOptions, preprocessSource } from '../../src/parse/preprocess.js';

const cases: { what: string; src: string; out: string; errors?: string[] }[] = [
  // A comment is white space: the # after a multi-line one still starts the line's directive.
  { what: 'a directive after a block comment that spans lines', src: '#if 0\n/* a\n */ #endif\nafter\n#endif\nz\n', out: 'after z', errors: ['#endif without #if'] },
  { what: 'a comment between # and the name, over two lines', src: '#if 0\n# /* c\n */ endif\nq\n#endif\nafter\n', out: 'q after', errors: ['#endif without #if'] },
  { what: '%: digraph directives, nested', src: '#if 0\n%:if 1\nin\n%:endif\nskipped\n%:else\nelse_taken\n%:endif\n', out: 'else_taken' },
  { what: '%: then a comment then the name', src: '#if 0\n%:/**/else\nok\n%:endif\n', out: 'ok' },
  { what: 'a # inside a block comment', src: '#if 0\n/*\n#endif\n*/\n#else\ny\n#endif\n', out: 'y' },
  { what: 'a # inside a string: an unterminated string ends at its line', src: '#if 0\nchar *s = "\n#endif";\nx\n#else\ny\n#endif\n', out: 'x y', errors: ['#else without #if', '#endif without #if'] },
  { what: 'an apostrophe (unterminated character constant)', src: "#if 0\ndon't\n#error don't\n#else\ny\n#endif\n", out: 'y' },
  { what: 'a # in a character constant after a token', src: "#if 0\n'#' #else\n#else\nok\n#endif\n", out: 'ok' },
  { what: 'an escaped quote inside a string', src: '#if 0\n"a\\"#else"\n#else\nok\n#endif\n', out: 'ok' },
  { what: 'a string continued by a line splice', src: '#if 0\n"abc\\\n#endif"\n#else\nok\n#endif\n', out: 'ok' },
  { what: 'a line splice inside the directive name', src: '#if 0\n#end\\\nif\nx\n#endif\nz\n', out: 'x z', errors: ['#endif without #if'] },
  { what: 'a line splice after #, with blanks before the newline', src: '#if 0\n#\\\nel\\  \nse\nok\n#endif\n', out: 'ok' },
  { what: 'a // comment continued by a line splice', src: '#if 0\n// c \\\n#else\nskipped\n#else\nok\n#endif\n', out: 'ok' },
  { what: '/* in a skipped #include <…> opens a comment', src: '#if 0\n#include <a/*b.h>\n#else\nnot\n#endif\n*/\n#else\nok\n#endif\n', out: 'ok' },
  { what: 'a comment on the #if line that hides an #else', src: '#if 0 /* x\n#else */\nskipped\n#else\nok\n#endif\n', out: 'ok' },
  { what: 'nested #if/#elif/#else inside a skipped group', src: '#define D\n#if 0\n#if 1\n#elif 1\n#else\n#endif\nx\n#elifdef D\nok\n#endif\n', out: 'ok' },
  { what: 'an unterminated comment in a skipped group', src: '#if 0\n/* abc\n#else\nok\n#endif\n', out: '', errors: ['unterminated comment', 'unterminated conditional directive'] },
  { what: 'CRLF line ends, a splice before CRLF', src: '#if 0\r\nx\r\n#else\r\ny\r\n#endif\r\n#define A 1 \\\r\n + 2\r\nA\r\n', out: 'y 1 + 2' },
  { what: 'lone CR line ends (classic Mac OS), a splice before CR', src: '#if 0\rx\r#else\ry\r#endif\r#define A 1 \\\r + 2\rA __LINE__\r', out: 'y 1 + 2 8' },
  { what: 'CR, CRLF and LF mixed; two CRs are two lines', src: '#define A 1\r\n#define B 2\rA B __LINE__\n__LINE__\r\r__LINE__', out: '1 2 3 4 6' },
  { what: 'no newline at the end of the file', src: '#if 0\nx\n#else\ny', out: 'y', errors: ['unterminated conditional directive'] },
];

describe('skipped groups as clang-19 -E skips them', () => {
  for (const c of cases) {
    it(c.what, () => {
      const r = preprocessSource(c.src, defaultPreprocessOptions({}), 'test.c');
      expect(r.tokens.map((t) => t.text).join(' ')).toBe(c.out);
      expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual(c.errors ?? []);
    });
  }
});
