// Profiles are YAML 1.2: an alias (`*name`) stands for the node its anchor (`&name`) names
// (YAML 1.2 §3.2.2.2, §7.1), so a profile may state a value once and reuse it. An alias that
// names nothing, names its own container, or expands past the alias limit is a located error.
import { describe, expect, it } from 'vitest';
import { parseProfile } from '../../src/check/profile-load.js';

const TARGETS = ['x86_64-unknown-linux-gnu'];
const load = (text: string) => parseProfile(text, 'p.yaml', { targets: TARGETS });
const head = 'name: p\ntarget: x86_64-unknown-linux-gnu\n';

/** 1-based line and column of the first `needle` in `text` (ASCII text: bytes = characters). */
function posOf(text: string, needle: string): { line: number; col: number } {
  const at = text.indexOf(needle);
  expect(at, `'${needle}' must occur`).toBeGreaterThanOrEqual(0);
  const before = text.slice(0, at).split('\n');
  return { line: before.length, col: before.at(-1)!.length + 1 };
}

describe('aliases in a profile', () => {
  it('an aliased item mapping is the same item', () => {
    const r = load(`${head}constants:\n  A: &c { value: 1, type: int }\n  B: *c\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.profile!.constants).toEqual({ A: { value: '1', type: 'int' }, B: { value: '1', type: 'int' } });
  });

  it('aliased scalars and lists inside items', () => {
    const r = load(`${head}types:\n  int:\n    candidates: &cand [int, signed int]\n    size: &four 4\n    align: *four\n  signed:\n    candidates: *cand\n    size: *four\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.profile!.types).toEqual({
      int: { candidates: ['int', 'signed int'], size: 4, align: 4 },
      signed: { candidates: ['int', 'signed int'], size: 4 },
    });
  });

  it('an aliased unresolved entry and an aliased key', () => {
    const r = load(`${head}unresolved:\n  - &u { item: sigevent, reason: padding }\n  - *u\nfunctions:\n  &f open: { signature: "int open(const char *, int, ...)" }\n`);
    expect(r.diagnostics).toEqual([]);
    expect(r.profile!.unresolved).toEqual([{ item: 'sigevent', reason: 'padding' }, { item: 'sigevent', reason: 'padding' }]);
    expect(Object.keys(r.profile!.functions)).toEqual(['open']);
  });

  it('an alias key repeating a key of its map is a duplicate key', () => {
    const text = `${head}constants:\n  &k A: { value: 1 }\n  *k : { value: 2 }\n`;
    const r = load(text);
    expect(r.profile).toBeNull();
    expect(r.diagnostics.map((d) => d.code)).toEqual(['profile-yaml']);
    expect(r.diagnostics[0]!.message).toMatch(/unique/);
    expect(r.diagnostics[0]!.loc).toEqual({ file: 'p.yaml', ...posOf(text, '*k') });
  });

  it('an alias with no anchor before it is a located error', () => {
    const text = `${head}constants:\n  A: *c\n  B: &c { value: 1 }\n`;
    const r = load(text);
    expect(r.profile).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.code).toBe('profile-yaml');
    expect(r.diagnostics[0]!.message).toMatch(/\*c/);
    expect(r.diagnostics[0]!.loc).toEqual({ file: 'p.yaml', ...posOf(text, '*c') });
  });

  it('an alias bomb (billion laughs) is rejected at an alias, quickly', () => {
    const levels = ['    l0: &l0 { offset: 0 }', ...Array.from({ length: 9 }, (_, i) => `    l${i + 1}: &l${i + 1} [${Array(10).fill(`*l${i}`).join(', ')}]`)];
    const text = `${head}types:\n  struct s:\n    fields:\n${levels.join('\n')}\n`;
    const start = Date.now();
    const r = load(text);
    expect(Date.now() - start).toBeLessThan(5_000);
    expect(r.profile).toBeNull();
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.code).toBe('profile-yaml');
    expect(r.diagnostics[0]!.message).toMatch(/alias/);
    const { line, col } = r.diagnostics[0]!.loc!;
    expect(text.split('\n')[line - 1]!.slice(col - 1)).toMatch(/^\*l\d/);
  });
});
