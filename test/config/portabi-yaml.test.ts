// portabi.yaml: every file `portabi gen` writes has one owner (two entries naming the same file
// would write one over the other), and the file is YAML 1.2, aliases included.
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/config.js';

const FILE = '/p/portabi.yaml';
const messages = (r: ReturnType<typeof parseConfig>) => (r.ok ? [] : r.errors.map((e) => `${e.loc}: ${e.message}`));

/** `FILE:line:col` of the `nth` (0-based) occurrence of `needle` in `text`. */
function locOf(text: string, needle: string, nth = 0): string {
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  expect(at, `'${needle}' must occur`).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at).split('\n');
  return `${FILE}:${before.length}:${before.at(-1)!.length + 1}`;
}

describe('outputs: one file, one entry', () => {
  test('two outputs whose paths resolve to the same file are an error naming both', () => {
    const r = parseConfig(
      'headers: [a.h]\noutputs:\n  - lang: ts\n    path: gen/a.ts\n  - lang: rust\n    path: ./gen/../gen/a.ts\n',
      FILE,
    );
    expect(r.ok).toBe(false);
    const m = messages(r);
    expect(m).toHaveLength(1);
    // Located at the second entry's path, naming the first entry and the file.
    expect(m[0]).toMatch(/^\/p\/portabi\.yaml:6:11: /);
    expect(m[0]).toContain('/p/portabi.yaml:3:5');
    expect(m[0]).toContain('/p/gen/a.ts');
    // Distinct files are fine.
    const ok = parseConfig('headers: [a.h]\noutputs: [{ lang: ts, path: a.ts }, { lang: rust, path: a.rs }, { lang: ts, path: sub/a.ts }]\n', FILE);
    expect(messages(ok)).toEqual([]);
    expect(ok.ok && ok.config.outputs.map((o) => o.path)).toEqual(['/p/a.ts', '/p/a.rs', '/p/sub/a.ts']);
  });

  test('a relative and an absolute spelling of one file collide too', () => {
    const text = 'headers: [a.h]\noutputs: [{ lang: ts, path: a.ts }, { lang: ts, path: /p/a.ts }]\n';
    const r = parseConfig(text, FILE);
    expect(r.ok).toBe(false);
    const m = messages(r);
    expect(m).toHaveLength(1);
    expect(m[0]!.startsWith(`${locOf(text, '/p/a.ts')}: `)).toBe(true);
    expect(m[0]).toContain(locOf(text, '{ lang'));
  });

  test('an output over the isr shim`s .c or .h is an error', () => {
    const r = parseConfig('headers: [a.h]\nisr-shim: { path: gen/shim.c }\noutputs:\n  - lang: ts\n    path: gen/shim.h\n', FILE);
    expect(r.ok).toBe(false);
    const m = messages(r);
    expect(m).toHaveLength(1);
    expect(m[0]).toMatch(/^\/p\/portabi\.yaml:5:11: /);
    expect(m[0]).toContain('/p/gen/shim.h');
    expect(m[0]).toContain('/p/portabi.yaml:2:');
  });
});

describe('aliases in portabi.yaml', () => {
  test('an alias stands for its anchored node', () => {
    const r = parseConfig(
      'headers: &h [inc/a.h]\nflags: &f [-Iinc]\nisr-shim: { path: shim.c, cflags: *f }\noutputs:\n  - &out { lang: rust, path: a.rs, newtype-enums: &names [e1, e2] }\n  - { lang: rust, path: b.rs, newtype-enums: *names }\n',
      FILE,
    );
    expect(messages(r)).toEqual([]);
    if (!r.ok) return;
    expect(r.config.isrShim!.cflags).toEqual(['-Iinc']);
    expect(r.config.outputs.map((o) => o.newtypeEnums)).toEqual([['e1', 'e2'], ['e1', 'e2']]);
  });

  test('an alias bomb is rejected at an alias, quickly', () => {
    const levels = ['&l0 x', ...Array.from({ length: 9 }, (_, i) => `&l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`)];
    const text = `headers: [a.h]\noutputs:\n  - { lang: rust, path: a.rs, newtype-enums: [${levels.join(', ')}] }\n`;
    const start = Date.now();
    const r = parseConfig(text, FILE);
    expect(Date.now() - start).toBeLessThan(5_000);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]!.message).toMatch(/alias/);
    const [, line, col] = /:(\d+):(\d+)$/.exec(r.errors[0]!.loc)!.map(Number);
    expect(text.split('\n')[line! - 1]!.slice(col! - 1)).toMatch(/^\*l\d/);
  });
});
