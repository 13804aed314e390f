// One fixture pair per change class (test/fixtures/diff/*), compared for x86-64 System V
// (and i686 where the ABIs differ). Every expected change is derived by hand from the two
// header trees and the psABI layout rules; the comments give the numbers.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonicalSpelling, diffModels } from '../../src/check/diff.js';
import type { AbiModel } from '../../src/abi/model.js';
import { FIXTURES, X86_64, diffFixture, emptyFlags, lines, noSideFlags } from './helpers.js';
import { runDiff } from '../../src/check/diff-run.js';

describe('layout changes (x86-64: int 4, long 8, double 8 aligned 8)', () => {
  // grow:    {int a@0; char b@4} size 8 align 4  →  + double c@8: size 16 align 8
  // reorder: {int x@0; short y@4}                →  {short y@0; int x@4}: same size 8
  // retype:  v int → unsigned int (same size: still a type change)
  // shrink:  {int keep@0; int gone@4} size 8     →  {int keep}: size 4
  // hidden:  complete (4)                        →  declared only: opaque
  // later:   declared only                       →  {long l}: complete, 8
  // handle_t: typedef int (4/4)                  →  typedef long (8/8)
  const x86 = [
    'breaking alias handle_t int→long',
    'breaking align handle_t 4→8',
    'breaking size handle_t 4→8',
    'breaking removed struct gone_type →',
    'breaking align struct grow 4→8',
    'breaking size struct grow 8→16',
    'breaking opaque struct hidden complete→incomplete',
    'breaking field-offset struct reorder.x 0→4',
    'breaking field-offset struct reorder.y 4→0',
    'breaking field-type struct retype.v int→unsigned int',
    'breaking size struct shrink 8→4',
    'breaking field-removed struct shrink.gone int at offset 4→',
    'compatible added struct fresh →',
    'compatible completed struct later incomplete→complete',
    'compatible field-added struct grow.c →double at offset 8',
  ].sort();

  it('classifies size, alignment, offset, type, removal, opacity and additions', async () => {
    const r = await diffFixture('layout');
    expect(lines(r.runs[0]!.changes)).toEqual(x86);
  });

  it('--targets: the same pair on i686, where double is 4-aligned in structs and long is 4 bytes', async () => {
    // i686: grow = {a@0, b@4, c@8} size 16 but align 4; handle_t int → long: both 4/4, only
    // the alias changes.
    const r = await diffFixture('layout', {}, [X86_64, 'i686-unknown-linux-gnu']);
    expect(r.runs.map((x) => x.target)).toEqual([X86_64, 'i686-unknown-linux-gnu']);
    expect(lines(r.runs[0]!.changes)).toEqual(x86);
    const i686 = x86.filter((l) => !['breaking align struct grow 4→8', 'breaking align handle_t 4→8', 'breaking size handle_t 4→8'].includes(l));
    expect(lines(r.runs[1]!.changes)).toEqual(i686);
  });

  it('gives old and new provenance (file:line:col) for every change', async () => {
    const r = await diffFixture('layout');
    const grow = r.runs[0]!.changes.find((c) => c.kind === 'size' && c.item === 'struct grow')!;
    expect(grow.oldLoc).toBe(`${join(FIXTURES, 'layout/old/api.h')}:1:8`);
    expect(grow.newLoc).toBe(`${join(FIXTURES, 'layout/new/api.h')}:1:8`);
    const gone = r.runs[0]!.changes.find((c) => c.item === 'struct gone_type')!;
    expect(gone.oldLoc).toBe(`${join(FIXTURES, 'layout/old/api.h')}:7:8`);
    expect(gone.newLoc).toBeNull();
  });
});

describe('bit-fields (x86-64: allocated LSB first in a 32-bit unit)', () => {
  it('width, bit offset, and a member that became a bit-field', async () => {
    // old: a bits 0-2, b 3-6 (4), c 7, unsigned char d at byte 1 (bit 8); size 4
    // new: a bits 0-2, b 3-7 (5), c 8, unsigned d:8 at bits 9-16; size 4 (no size change)
    const r = await diffFixture('bitfield');
    expect(lines(r.runs[0]!.changes)).toEqual([
      'breaking field-width struct flags.b 4→5',
      'breaking field-offset struct flags.c 7→8',
      'breaking field-offset struct flags.d 8→9',
      'breaking field-bitfield struct flags.d member→bit-field:8',
      'breaking field-type struct flags.d unsigned char→unsigned int',
    ].sort());
  });
});

describe('packing', () => {
  it('__attribute__((packed)) and #pragma pack(2) → pack(1)', async () => {
    // wire {char tag; int value; short crc}: 0/4/8, size 12 align 4 → packed: 0/1/5, size 7 align 1
    // msg under pack(2): c@0 v@2 size 6 align 2 → pack(1): v@1 size 5 align 1
    const r = await diffFixture('packed');
    expect(lines(r.runs[0]!.changes)).toEqual([
      'breaking size struct wire 12→7',
      'breaking align struct wire 4→1',
      'breaking field-offset struct wire.value 4→1',
      'breaking field-offset struct wire.crc 8→5',
      'breaking size struct msg 6→5',
      'breaking align struct msg 2→1',
      'breaking field-offset struct msg.v 2→1',
    ].sort());
  });
});

describe('a nested struct whose size change ripples into its parents', () => {
  it('reports each parent, says what it follows from, and leaves pointers alone', async () => {
    // leaf {short s} 2/2 → {short s@0; int extra@4} 8/4
    // mid {leaf l@0; char tail@2} 4/2 → {l@0 (8); tail@8} 12/4
    // top {char head@0; mid m@2; int n@8} 12/4 → {head@0; m@4 (12); n@16} 20/4
    // top_t = struct top: size 12 → 20 (its members are reported once, on struct top)
    // byref {struct leaf *p}: a pointer, unchanged
    const r = await diffFixture('nested');
    const changes = r.runs[0]!.changes;
    expect(lines(changes)).toEqual([
      'breaking size struct leaf 2→8',
      'breaking align struct leaf 2→4',
      'compatible field-added struct leaf.extra →int at offset 4',
      'breaking size struct mid 4→12',
      'breaking align struct mid 2→4',
      'breaking field-width struct mid.l 16→64',
      'breaking field-offset struct mid.tail 2→8',
      'breaking size struct top 12→20',
      'breaking field-offset struct top.m 2→4',
      'breaking field-width struct top.m 32→96',
      'breaking field-offset struct top.n 8→16',
      'breaking size top_t 12→20',
    ].sort());
    const because = (item: string, kind: string) => changes.find((c) => c.item === item && c.kind === kind)?.because;
    expect(because('struct mid', 'size')).toEqual(['struct leaf']);
    expect(because('struct top', 'size')).toEqual(['struct mid']);
    expect(because('top_t', 'size')).toEqual(['struct top']);
    expect(because('struct leaf', 'size')).toBeUndefined();
  });
});

describe('a constant changed through a macro two levels deep', () => {
  it('BLOCK = UNIT * 16, UNIT = 1 << UNIT_SHIFT, UNIT_SHIFT 2 → 3 in another header', async () => {
    // UNIT 4 → 8, BLOCK 64 → 128; STABLE 7 unchanged.
    const r = await diffFixture('macro-chain', { headers: ['derived.h'] });
    const changes = r.runs[0]!.changes;
    expect(lines(changes)).toEqual(['breaking value BLOCK 64→128', 'breaking value UNIT 4→8', 'breaking value UNIT_SHIFT 2→3']);
    const block = changes.find((c) => c.item === 'BLOCK')!;
    // Provenance on both sides: the chain reaches the changed macro in base.h.
    expect(block.newWhy?.chain?.map((s) => s.macro)).toEqual(['BLOCK', 'UNIT', 'UNIT_SHIFT']);
    expect(block.newWhy?.chain?.[2]?.loc).toBe(`${join(FIXTURES, 'macro-chain/new/base.h')}:1:9`);
    expect(block.oldWhy?.chain?.[2]?.loc).toBe(`${join(FIXTURES, 'macro-chain/old/base.h')}:1:9`);
    expect(block.cause).toBeUndefined(); // the headers changed, not the configuration
  });
});

describe('an initializer whose shape depends on a CONFIG_ option', () => {
  const tree = join(FIXTURES, 'config', 'tree');
  const cfg = (n: string) => join(FIXTURES, 'config', 'configs', `${n}.config`);
  const base = {
    old: { kind: 'tree' as const, root: tree },
    new: { kind: 'tree' as const, root: tree },
    headers: [],
    flags: emptyFlags(),
    abis: [{ target: X86_64, config: null }],
    cacheDir: null,
  };

  it('mtx_t grows and MTX_INITIALIZER gets a second member; caused only by CONFIG_MUTEX_OWNER', async () => {
    // plain: mtx_t {int kind} 4 bytes, MTX_INITIALIZER {1} = 01 00 00 00
    // owner: mtx_t {int kind; int owner} 8 bytes, MTX_INITIALIZER {1, -1} = 01 00 00 00 ff ff ff ff
    const r = await runDiff({ ...base, perSide: { old: { ...noSideFlags(), configFiles: [cfg('plain')] }, new: { ...noSideFlags(), configFiles: [cfg('owner')] } } });
    expect(r.ok).toBe(true);
    const changes = r.runs[0]!.changes;
    expect(lines(changes)).toEqual([
      'breaking bytes MTX_INITIALIZER 01000000→01000000ffffffff',
      'breaking size mtx_t 4→8',
      'compatible field-added mtx_t.owner →int at offset 4',
    ].sort());
    for (const c of changes) expect(c.cause?.configOnly).toBe(true);
    const init = changes.find((c) => c.item === 'MTX_INITIALIZER')!;
    expect(init.cause!.macros).toEqual([{ name: 'CONFIG_MUTEX_OWNER', old: null, new: '1' }]);
    expect(r.runs[0]!.configDeltas).toEqual([{ name: 'CONFIG_MUTEX_OWNER', old: null, new: '1' }]);
  });

  it('a -D on one side only: MTX_FLAGS 3 → 7, caused only by WIDE_FLAGS; --config-matrix runs each configuration', async () => {
    const r = await runDiff({
      ...base,
      abis: [{ target: X86_64, config: cfg('owner') }, { target: X86_64, config: cfg('plain') }],
      perSide: { old: noSideFlags(), new: { ...noSideFlags(), defines: [{ name: 'WIDE_FLAGS', value: '1' }] } },
    });
    expect(r.runs.map((x) => x.config)).toEqual([cfg('owner'), cfg('plain')]);
    for (const run of r.runs) {
      expect(lines(run.changes)).toEqual(['breaking value MTX_FLAGS 3→7']);
      expect(run.changes[0]!.cause).toEqual({ configOnly: true, macros: [{ name: 'WIDE_FLAGS', old: null, new: '1' }] });
    }
  });

  it('the same configuration on both sides: no changes', async () => {
    const r = await runDiff({ ...base, abis: [{ target: X86_64, config: cfg('owner') }], perSide: { old: noSideFlags(), new: noSideFlags() } });
    expect(r.runs[0]!.changes).toEqual([]);
  });
});

describe('source-only changes: renames that keep the layout', () => {
  it('type, field, constant and spelling renames are source-only; a function rename is not', async () => {
    // struct old_point → struct new_point, same members: source-only
    // rect.w → rect.width at the same offset 8, int: source-only
    // sample.v: u32_t → unsigned int, u32_t = unsigned int: the same type
    // OLD_LIMIT → NEW_LIMIT, both 42 (int): source-only
    // MODE_A macro 1 → enumerator 1: source-only
    // old_fn → new_fn: the symbol changes, so old_fn is removed (breaking) and new_fn added
    const r = await diffFixture('renames');
    expect(lines(r.runs[0]!.changes)).toEqual([
      'source-only renamed struct new_point struct old_point→struct new_point',
      'source-only field-renamed struct rect.width w→width',
      'source-only field-type-spelling struct sample.v u32_t→unsigned int',
      'source-only renamed NEW_LIMIT OLD_LIMIT→NEW_LIMIT',
      'source-only constant-source MODE_A macro→enumerator',
      'breaking removed old_fn int old_fn(int, int)→',
      'compatible added new_fn →int new_fn(int, int)',
    ].sort());
  });

  it('a rename is not guessed when two candidates have the same layout (conservative)', () => {
    const model = (types: AbiModel['types']): AbiModel => ({ schemaVersion: 1, target: X86_64, types, constants: {}, initializers: {}, functions: {}, macros: {}, diagnostics: [] });
    const s = (name: string) => ({ kind: 'struct' as const, size: 4, align: 4, complete: true, loc: `a.h:${name.length}:1`, fields: [{ name: 'x', offsetBits: 0, sizeBits: 32, bitField: false, type: 'int' }] });
    const changes = diffModels(model({ 'struct a': s('a') }), model({ 'struct b': s('b'), 'struct c': s('c') }));
    expect(lines(changes)).toEqual(['breaking removed struct a →', 'compatible added struct b →', 'compatible added struct c →'].sort());
  });

  it('spellings compare through typedefs', () => {
    const m: AbiModel = {
      schemaVersion: 1, target: X86_64, constants: {}, initializers: {}, functions: {}, macros: {}, diagnostics: [],
      types: {
        u32: { kind: 'typedef', size: 4, align: 4, complete: true, loc: 'a.h:1:1', aliasOf: 'unsigned int' },
        fnp: { kind: 'typedef', size: 8, align: 8, complete: true, loc: 'a.h:2:1', aliasOf: 'void (*)(int)' },
      },
    };
    expect(canonicalSpelling('const u32 *', m)).toBe(canonicalSpelling('const unsigned int *', m));
    expect(canonicalSpelling('fnp', m)).toBe('void(*)(int)');
    expect(canonicalSpelling('struct u32', m)).toBe('struct u32'); // a tag, not the typedef
  });
});

describe('constants and enumerators', () => {
  it('enum values, a constant type, a removal, string and floating macros, additions', async () => {
    // enum color {RED, GREEN, BLUE} = 0 1 2 → {RED, YELLOW, GREEN, BLUE} = 0 1 2 3
    // FLAG 1 (int) → 1u (unsigned int); GONE removed; NAME "v1" → "v2"; RATIO 1.5 → 2.5; ADDED 9
    const r = await diffFixture('constants');
    expect(lines(r.runs[0]!.changes)).toEqual([
      'breaking enum-value GREEN 1→2',
      'breaking enum-value BLUE 2→3',
      'compatible added YELLOW →1',
      'breaking value-type FLAG int→unsigned int',
      'breaking removed GONE 5→',
      'breaking macro-value NAME "v1"→"v2"',
      'breaking macro-value RATIO 1.5→2.5',
      'compatible added ADDED →9',
    ].sort());
  });
});

describe('functions', () => {
  it('a changed prototype, a removal, an addition, and a spelling of the same type', async () => {
    // open_it(const char *, int) → (const char *, long): breaking
    // read_it returns long → ssize_type, a typedef of long: source-only
    const r = await diffFixture('functions');
    expect(lines(r.runs[0]!.changes)).toEqual([
      'breaking signature open_it int open_it(const char *, int)→int open_it(const char *, long)',
      'source-only signature-spelling read_it long read_it(int, void *, unsigned long)→ssize_type read_it(int, void *, unsigned long)',
      'breaking removed drop_me void drop_me(void)→',
      'compatible added brand_new →int brand_new(void)',
    ].sort());
  });
});

describe('markdown for a pull-request comment', () => {
  it('stays under GitHub’s 65536-character limit however many changes, and counts what it leaves out', async () => {
    const { renderDiffMarkdown } = await import('../../src/check/diff-report.js');
    const changes = Array.from({ length: 2000 }, (_, i) => ({
      class: 'breaking' as const, kind: 'value' as const, section: 'constant' as const, item: `C${String(i).padStart(4, '0')}`,
      old: '1', new: '2', message: `value of C${i}: 1 → 2 (int)`, oldLoc: `a.h:${i + 1}:9`, newLoc: `a.h:${i + 1}:9`,
    }));
    const md = renderDiffMarkdown([{ target: X86_64, config: null, old: { kind: 'tree', spec: 'a' }, new: { kind: 'tree', spec: 'b' }, changes, configDeltas: [] }]);
    expect(md.length).toBeLessThan(65536);
    expect(md.indexOf('| ABI |')).toBeLessThan(md.indexOf('<details>'));
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
    const shown = (md.match(/<summary>❌/g) ?? []).length;
    expect(md).toContain(`_${2000 - shown} more changes not detailed here`);
    expect(md).toContain('_1900 more not shown in the table._');
  });
});
