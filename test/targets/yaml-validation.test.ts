// A target file given with `-t path/to/x.yaml` is user input: its numbers must be what
// targets/SCHEMA.md says they are (a size is sizeof, an exact integer; an alignment is a power
// of two, C17 6.2.8p4), and it is YAML 1.2, aliases included. Each case edits a copy of a
// shipped target and says where the loader must point.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTarget, TARGETS_DIR } from '../../src/abi/target.js';
import type { Diagnostic } from '../../src/parse/diagnostics.js';

const NAME = 'x86_64-unknown-linux-gnu';
const good = readFileSync(join(TARGETS_DIR, `${NAME}.yaml`), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'portabi-target-yaml-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;

/** The shipped file with `from` replaced by `to` (which must occur), under its own name. */
function variant(from: string | RegExp, to: string): { file: string; text: string } {
  const text = good.replace(from, to);
  expect(text, `${String(from)} must occur in ${NAME}.yaml`).not.toBe(good);
  const sub = join(dir, String(n++));
  mkdirSync(sub);
  symlinkSync(join(TARGETS_DIR, 'predefined'), join(sub, 'predefined'));
  const file = join(sub, `${NAME}.yaml`);
  writeFileSync(file, text);
  return { file, text };
}

/** 1-based line and column of the first occurrence of `needle` in `text`. */
function posOf(text: string, needle: string, from = 0): { line: number; col: number } {
  const at = text.indexOf(needle, from);
  expect(at, `'${needle}' must occur`).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, col: before.at(-1)!.length + 1 };
}

function errorsOf(file: string): Diagnostic[] {
  const r = loadTarget(file);
  expect(r.ok).toBe(false);
  return r.ok ? [] : r.error;
}

describe('target numbers are what the schema says', () => {
  it('an alignment that is not a power of two is an error at the value', () => {
    const { file, text } = variant('  int: { size: 4, align: 4 }', '  int: { size: 4, align: 3 }');
    const e = errorsOf(file);
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toMatch(/^scalars\.int\.align: 3 is not a power of two/);
    expect(e[0]!.loc).toEqual({ file, ...posOf(text, '3 }', text.indexOf('  int: {')) });
  });

  it('preferredAlign and maxAlign are alignments too', () => {
    const a = variant('  double: { size: 8, align: 8 }', '  double: { size: 8, align: 8, preferredAlign: 12 }');
    expect(errorsOf(a.file).map((d) => d.message)).toEqual([expect.stringMatching(/^scalars\.double\.preferredAlign: 12 is not a power of two/)]);
    const m = variant(/^maxAlign: 16/m, 'maxAlign: 24');
    const e = errorsOf(m.file);
    expect(e.map((d) => d.message)).toEqual([expect.stringMatching(/^maxAlign: 24 is not a power of two/)]);
    expect(e[0]!.loc).toEqual({ file: m.file, ...posOf(m.text, '24', m.text.indexOf('maxAlign: 24')) });
  });

  it('maxVectorAlign is 0 (no cap) or a power of two', () => {
    const ok = variant(/^maxVectorAlign: 0/m, 'maxVectorAlign: 32');
    expect(loadTarget(ok.file).ok).toBe(true);
    const bad = variant(/^maxVectorAlign: 0/m, 'maxVectorAlign: 12');
    expect(errorsOf(bad.file).map((d) => d.message)).toEqual([expect.stringMatching(/^maxVectorAlign: 12 is not a power of two/)]);
  });

  it('1e308 is a YAML 1.2 float, not an integer size', () => {
    const { file, text } = variant('  int: { size: 4, align: 4 }', '  int: { size: 1e308, align: 4 }');
    const e = errorsOf(file);
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toBe('scalars.int.size: expected a positive integer, got 1e308');
    expect(e[0]!.loc).toEqual({ file, ...posOf(text, '1e308') });
  });

  it('4.0 is a float too (YAML 1.2 core schema), while 0x4 is the integer 4', () => {
    const f = variant('  int: { size: 4, align: 4 }', '  int: { size: 4.0, align: 4 }');
    expect(errorsOf(f.file).map((d) => d.message)).toEqual(['scalars.int.size: expected a positive integer, got 4.0']);
    const h = variant('  int: { size: 4, align: 4 }', '  int: { size: 0x4, align: 0o4 }');
    const r = loadTarget(h.file);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.value.scalars.int).toEqual({ size: 4, align: 4 });
  });

  it('sizes and alignments are at most 65536 bytes (SCHEMA.md)', () => {
    const ok = variant('  long double: { size: 16, align: 16 }', '  long double: { size: 65536, align: 65536 }');
    expect(loadTarget(ok.file).ok).toBe(true);
    const big = variant('  int: { size: 4, align: 4 }', '  int: { size: 65537, align: 4 }');
    const e = errorsOf(big.file);
    expect(e.map((d) => d.message)).toEqual([expect.stringMatching(/^scalars\.int\.size: 65537 is larger than 65536/)]);
    expect(e[0]!.loc).toEqual({ file: big.file, ...posOf(big.text, '65537') });
    const huge = variant(/^maxAlign: 16/m, 'maxAlign: 18446744073709551616');
    expect(errorsOf(huge.file).map((d) => d.message)).toEqual([expect.stringMatching(/^maxAlign: 18446744073709551616 is larger than 65536/)]);
  });

  it('a __has_* answer must be an exact integer', () => {
    const { file } = variant(/^  __aligned__: 1$/m, '  __aligned__: 9007199254740993');
    expect(errorsOf(file).map((d) => d.message)).toEqual([expect.stringMatching(/^hasAttribute\.__aligned__: 9007199254740993 is larger than /)]);
  });
});

describe('YAML aliases in a target file stand for their anchored node (YAML 1.2 §3.2.2.2)', () => {
  it('a scalar layout and a list given once and used again', () => {
    const { file } = variant(
      /^  int: \{ size: 4, align: 4 \}\n  unsigned int: \{ size: 4, align: 4 \}$/m,
      '  int: &int { size: 4, align: 4 }\n  unsigned int: *int',
    );
    const withList = readFileSync(file, 'utf8')
      .replace(/^clangFlags: \[\]$/m, 'clangFlags: &none []')
      .replace(/^systemIncludes:\n  - "([^"]*)"$/m, 'systemIncludes:\n  - &res "$1"')
      .replace(/^hasOperators: \[/m, 'hasOperators: [*res, ');
    writeFileSync(file, withList);
    const r = loadTarget(file);
    expect(r.ok ? [] : r.error.map((d) => d.message)).toEqual([]);
    if (!r.ok) return;
    expect(r.value.scalars['unsigned int']).toEqual({ size: 4, align: 4 });
    expect(r.value.clangFlags).toEqual([]);
    expect(r.value.hasOperators[0]).toBe(r.value.systemIncludes[0]);
  });

  it('a bad value reached through an alias is reported where it is written', () => {
    const { file, text } = variant(
      /^  int: \{ size: 4, align: 4 \}\n  unsigned int: \{ size: 4, align: 4 \}$/m,
      '  int: &int { size: 4, align: 3 }\n  unsigned int: *int',
    );
    const e = errorsOf(file);
    expect(e.map((d) => d.message)).toEqual([
      expect.stringMatching(/^scalars\.int\.align: 3 is not a power of two/),
      expect.stringMatching(/^scalars\.unsigned int\.align: 3 is not a power of two/),
    ]);
    const at = posOf(text, '3 }', text.indexOf('&int'));
    expect(e.map((d) => d.loc)).toEqual([{ file, ...at }, { file, ...at }]);
  });

  it('an alias with no anchor before it is a located error', () => {
    const { file, text } = variant(/^clangFlags: \[\]$/m, 'clangFlags: *flags');
    const e = errorsOf(file);
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toMatch(/\*flags/);
    expect(e[0]!.loc).toEqual({ file, ...posOf(text, '*flags') });
  });

  it('an alias inside the node it names is a located error, not a hang', () => {
    const { file, text } = variant(/^clangFlags: \[\]$/m, 'clangFlags: &self [*self]');
    const e = errorsOf(file);
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toMatch(/\*self/);
    expect(e[0]!.loc).toEqual({ file, ...posOf(text, '*self') });
  });

  it('an alias bomb (billion laughs) is rejected at an alias, quickly', () => {
    // 10 levels of 10 aliases each: 10^10 strings once expanded, from 1 kB of text.
    const levels = ['&l0 x', ...Array.from({ length: 9 }, (_, i) => `&l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`)];
    const { file, text } = variant(/^clangFlags: \[\]$/m, `clangFlags: [${levels.join(', ')}]`);
    const start = Date.now();
    const e = errorsOf(file);
    expect(Date.now() - start).toBeLessThan(5_000);
    expect(e).toHaveLength(1);
    expect(e[0]!.message).toMatch(/alias/);
    const { line, col } = e[0]!.loc!;
    expect(line).toBe(posOf(text, 'clangFlags:').line);
    expect(text.split('\n')[line - 1]!.slice(col - 1)).toMatch(/^\*l\d/);
  });
});
