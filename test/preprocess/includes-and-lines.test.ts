// #include search order (gcc/clang: the includer's directory for "..." only, then -iquote
// for "..." only, then -I, then -isystem), #include_next, #pragma once, include guards,
// computed includes, #line and the C23 #elifdef family. Each expectation is what
// `clang-19 -E` does on the same tree (the tests build the tree in a temp directory).
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultPreprocessOptions, preprocess, preprocessSource } from '../../src/parse/preprocess.js';
import type { PreprocessOptions } from '../../src/parse/pp-types.js';

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'portabi-inc-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

const run = (main: string, o: Partial<PreprocessOptions>) => {
  const r = preprocess(main, defaultPreprocessOptions(o));
  return { text: r.tokens.map((t) => t.text).join(' '), r };
};

describe('#include search order', () => {
  const root = tree({
    'src/main.c': '#include "a.h"\n#include <a.h>\n',
    'src/a.h': 'from_includer_dir\n',
    'quote/a.h': 'from_iquote\n',
    'inc/a.h': 'from_I\n',
    'sys/a.h': 'from_isystem\n',
  });
  const dirs = { quoteIncludePaths: [join(root, 'quote')], includePaths: [join(root, 'inc')], systemIncludePaths: [join(root, 'sys')] };

  it('"..." looks in the includer\'s directory first; <...> starts at -I', () => {
    expect(run(join(root, 'src/main.c'), dirs).text).toBe('from_includer_dir from_I');
  });

  it('"..." falls back to -iquote before -I; <...> skips -iquote', () => {
    const r2 = tree({ 'main.c': '#include "a.h"\n#include <b.h>\n', 'q/a.h': 'iquote_a\n', 'q/b.h': 'iquote_b\n', 'i/a.h': 'I_a\n', 'i/b.h': 'I_b\n' });
    expect(run(join(r2, 'main.c'), { quoteIncludePaths: [join(r2, 'q')], includePaths: [join(r2, 'i')] }).text).toBe('iquote_a I_b');
  });

  it('-I comes before -isystem', () => {
    const r3 = tree({ 'main.c': '#include <x.h>\n', 'i/x.h': 'I\n', 's/x.h': 'SYS\n' });
    expect(run(join(r3, 'main.c'), { includePaths: [join(r3, 'i')], systemIncludePaths: [join(r3, 's')] }).text).toBe('I');
  });

  it('a computed include expands macros to a header name', () => {
    const r4 = tree({ 'main.c': '#define HDR <c.h>\n#define Q "d.h"\n#include HDR\n#include Q\n', 'i/c.h': 'angle\n', 'd.h': 'quoted\n' });
    expect(run(join(r4, 'main.c'), { includePaths: [join(r4, 'i')] }).text).toBe('angle quoted');
  });
});

describe('#include_next', () => {
  it('continues the search after the directory the current file was found in', () => {
    // The wrapper pattern of RTOS and libc headers: a/limits.h adds to b/limits.h.
    const root = tree({
      'main.c': '#include <limits.h>\n',
      'a/limits.h': 'before_a\n#include_next <limits.h>\nafter_a\n',
      'b/limits.h': 'from_b\n',
    });
    expect(run(join(root, 'main.c'), { includePaths: [join(root, 'a'), join(root, 'b')] }).text).toBe('before_a from_b after_a');
  });

  it('__has_include_next sees only the directories after the current one', () => {
    const root = tree({
      'main.c': '#include <w.h>\n',
      'a/w.h': '#if __has_include_next(<w.h>)\nnext_exists\n#else\nno_next\n#endif\n',
    });
    expect(run(join(root, 'main.c'), { includePaths: [join(root, 'a')] }).text).toBe('no_next');
  });
});

describe('files opened once', () => {
  it('#pragma once and include guards stop a second inclusion, and are recorded', () => {
    const root = tree({
      'main.c': '#include "once.h"\n#include "once.h"\n#include "guard.h"\n#include "guard.h"\n',
      'once.h': '#pragma once\nonce_body\n',
      'guard.h': '#ifndef GUARD_H\n#define GUARD_H\nguard_body\n#endif\n',
    });
    const { text, r } = run(join(root, 'main.c'), {});
    expect(text).toBe('once_body guard_body');
    expect(r.includes.filter((i) => i.skipped).map((i) => i.file.split('/').pop())).toEqual(['once.h', 'guard.h']);
  });

  it('a file whose guard macro was #undef-ed is read again', () => {
    const root = tree({
      'main.c': '#include "g.h"\n#undef G_H\n#include "g.h"\n',
      'g.h': '#ifndef G_H\n#define G_H\nbody\n#endif\n',
    });
    expect(run(join(root, 'main.c'), {}).text).toBe('body body');
  });
});

describe('a UTF-8 byte order mark', () => {
  it('opening a file is skipped: the # after it starts a directive', () => {
    // clang-19 -E -P main.c prints `body 7`: the guard works and G is defined.
    const root = tree({
      'main.c': '#include "g.h"\n#include "g.h"\nG\n',
      'g.h': '\uFEFF#ifndef G_H\n#define G_H\n#define G 7\nbody\n#endif\n',
    });
    const r = run(join(root, 'main.c'), {});
    expect(r.text).toBe('body 7');
    expect(r.r.diagnostics).toEqual([]);
  });
});

describe('#line', () => {
  it('renumbers the following lines and renames the file for __LINE__, __FILE__ and token locations', () => {
    const r = preprocessSource('a\n#line 100 "renamed.h"\nb __LINE__ __FILE__\nc __LINE__\n', defaultPreprocessOptions(), 'orig.c');
    expect(r.tokens.map((t) => t.text)).toEqual(['a', 'b', '100', '"renamed.h"', 'c', '101']);
    const c = r.tokens.find((t) => t.text === 'c')!;
    expect([c.loc.file, c.loc.line]).toEqual(['renamed.h', 101]);
  });
});

describe('#elifdef / #elifndef (C23)', () => {
  it('select like #elif defined / #elif !defined', () => {
    const src = (d: string) => `${d}\n#if 0\nzero\n#elifdef A\nhas_a\n#elifndef B\nno_b\n#else\nelse\n#endif\n`;
    const t = (d: string) => preprocessSource(src(d), defaultPreprocessOptions(), 't.c').tokens.map((x) => x.text).join(' ');
    expect(t('#define A')).toBe('has_a');
    expect(t('')).toBe('no_b');
    expect(t('#define B')).toBe('else');
  });
});

describe('tokens', () => {
  it('line splicing joins lines, even inside a token, and locations stay on the first line', () => {
    const r = preprocessSource('#define LONG_NA\\\nME 7\nLONG_NAME ab\\\ncd\n', defaultPreprocessOptions(), 't.c');
    expect(r.tokens.map((t) => t.text)).toEqual(['7', 'abcd']);
    expect(r.tokens[1]!.loc.line).toBe(3);
  });

  it('keeps every literal form whole', () => {
    const src = `u8"a" u"b" U"c" L"d" u8'e' u'f' U'g' L'h' 0x1p-3 1e+5 0b101 10ULL 07u .5f 1.2.3`;
    const r = preprocessSource(src, defaultPreprocessOptions(), 't.c');
    expect(r.tokens.map((t) => `${t.kind}:${t.text}`)).toEqual([
      'string:u8"a"', 'string:u"b"', 'string:U"c"', 'string:L"d"',
      "char:u8'e'", "char:u'f'", "char:U'g'", "char:L'h'",
      'number:0x1p-3', 'number:1e+5', 'number:0b101', 'number:10ULL', 'number:07u', 'number:.5f', 'number:1.2.3',
    ]);
  });
});
