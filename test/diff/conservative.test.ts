// What the diff must not miss, and what it must not claim, when it cannot see everything: a
// function that became `static` (its symbol is gone), an initializer macro whose object type is
// unknown (no bytes: its expansion is compared), a configuration difference that is not the only
// cause, and a bad flag reported once, at the command line. Expected values are derived by hand
// from the fixtures (test/fixtures/diff) on x86_64 System V (int 4, long 8).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runDiff } from '../../src/check/diff-run.js';
import { COMMAND_LINE } from '../../src/check/diff-sides.js';
import { FIXTURES, X86_64, diffFixture, emptyFlags, lines, noSideFlags } from './helpers.js';

describe('functions: linkage', () => {
  it('an external function that becomes static inline loses its symbol: breaking', async () => {
    // old: int f(int);  new: static inline int f(int x) { ... }  — same prototype, no symbol.
    const r = await diffFixture('linkage');
    expect(lines(r.runs[0]!.changes)).toEqual(['breaking linkage f external→internal']);
    const c = r.runs[0]!.changes[0]!;
    expect(c.oldLoc).toBe(join(FIXTURES, 'linkage/old/api.h') + ':1:5');
    expect(c.newLoc).toMatch(/linkage\/new\/api\.h:1:\d+$/);
  });

  it('the other way a symbol is added: compatible', async () => {
    const r = await runDiff({
      old: { kind: 'tree', root: join(FIXTURES, 'linkage/new') },
      new: { kind: 'tree', root: join(FIXTURES, 'linkage/old') },
      headers: [], flags: emptyFlags(), perSide: { old: noSideFlags(), new: noSideFlags() },
      abis: [{ target: X86_64, config: null }], cacheDir: null,
    });
    expect(lines(r.runs[0]!.changes)).toEqual(['compatible linkage f internal→external']);
  });
});

describe('initializer macros whose object type is unknown', () => {
  it('a changed expansion is breaking (the bytes cannot be computed); an unchanged one is no change', async () => {
    // LOCK_INIT names no lock_t typedef, so no bytes: { 0, 1 } → { 0, 2 }. SAME_INIT: { 7 } twice.
    const r = await diffFixture('untyped-init');
    const changes = r.runs[0]!.changes;
    expect(changes.map((c) => `${c.class} ${c.kind} ${c.item}`)).toEqual(['breaking macro-value LOCK_INIT']);
    expect(changes[0]!.old).toContain('{ 0, 1 }');
    expect(changes[0]!.new).toContain('{ 0, 2 }');
  });
});

describe('"caused only by the configuration" where the headers differ too', () => {
  // a.h (the same on every side): #define C (sizeof(struct t) + CONFIG_X)
  //                               #define D (CONFIG_X * 10)
  // -D CONFIG_X=1 on the old side, -D CONFIG_X=2 on the new side.
  const request = (newSide: string) => ({
    old: { kind: 'tree' as const, root: join(FIXTURES, 'config-mixed/old') },
    new: { kind: 'tree' as const, root: join(FIXTURES, 'config-mixed', newSide) },
    headers: ['a.h'],
    flags: emptyFlags(),
    perSide: { old: { ...noSideFlags(), defines: [{ name: 'CONFIG_X', value: '1' }] }, new: { ...noSideFlags(), defines: [{ name: 'CONFIG_X', value: '2' }] } },
    abis: [{ target: X86_64, config: null }],
    cacheDir: null,
  });
  const delta = [{ name: 'CONFIG_X', old: '1', new: '2' }];

  it('struct t also grew (int → long): C = 4 + 1 → 8 + 2 is not the configuration alone, and no constant is claimed to be', async () => {
    const r = await runDiff(request('new'));
    const changes = r.runs[0]!.changes;
    expect(lines(changes.filter((c) => c.section === 'constant'))).toEqual(['breaking value C 5→10', 'breaking value D 10→20']);
    for (const c of changes.filter((x) => x.section === 'constant')) expect(c.cause).toEqual({ configOnly: false, macros: delta });
  });

  it('only an unrelated macro was added to b.h: C = 4 + 1 → 4 + 2 and D = 10 → 20 follow from CONFIG_X alone', async () => {
    const r = await runDiff(request('new-unrelated'));
    const changes = r.runs[0]!.changes;
    expect(lines(changes)).toEqual(['breaking value C 5→6', 'breaking value D 10→20', 'compatible added UNRELATED →1']);
    expect(changes.find((c) => c.item === 'C')!.cause).toEqual({ configOnly: true, macros: delta });
    expect(changes.find((c) => c.item === 'D')!.cause).toEqual({ configOnly: true, macros: delta });
    expect(changes.find((c) => c.item === 'UNRELATED')!.cause).toBeUndefined();
  });
});

describe('input errors', () => {
  it('an unknown target is one diagnostic at the command line, not one per side', async () => {
    const r = await runDiff({
      old: { kind: 'tree', root: join(FIXTURES, 'linkage/old') },
      new: { kind: 'tree', root: join(FIXTURES, 'linkage/new') },
      headers: [], flags: emptyFlags(), perSide: { old: noSideFlags(), new: noSideFlags() },
      abis: [{ target: 'no-such-target', config: null }], cacheDir: null,
    });
    expect(r.ok).toBe(false);
    expect(r.diagnostics).toHaveLength(1);
    expect(r.diagnostics[0]!.loc).toEqual(COMMAND_LINE);
    expect(r.diagnostics[0]!.message).toMatch(/^unknown target 'no-such-target'/);
  });
});
