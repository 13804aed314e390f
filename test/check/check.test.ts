// checkModel on hand-built models: expected findings derived by hand from the fixture numbers.
import { describe, expect, it } from 'vitest';
import { checkModel, normaliseSignature, sameSignature } from '../../src/check/check.js';
import { exitCodeFor, failsOn } from '../../src/check/finding.js';
import { extractProfile, renderProfileYaml } from '../../src/check/profile-extract.js';
import { parseProfile } from '../../src/check/profile-load.js';
import { emptyProfile } from '../../src/check/profile-types.js';
import { fixtureModel } from './fixtures.js';

const H = 'test/fixtures/check/probe-fixture.h';

describe('checkModel', () => {
  it('a profile extracted from the model has no findings', () => {
    const m = fixtureModel();
    expect(checkModel(m, extractProfile(m, { name: 'self', description: '' }))).toEqual([]);
  });

  it('reports each kind of mismatch with expected, actual and location', () => {
    const p = emptyProfile('t', 'x86_64-unknown-linux-gnu');
    p.types['struct point'] = { size: 24, align: 4, fields: { y: { offset: 4 }, z: { offset: 16 } } };
    p.types['flags'] = { candidates: ['flags', 'struct flags'], rustName: 'flags', fields: { b: { offsetBits: 4, sizeBits: 4 }, a: { offset: 0 } } };
    p.constants.NEG = { value: '4294967295' };
    p.constants.BIGU = { value: '4294967295' };
    p.initializers.MTX_INIT = { bytes: '0100000000000003' };
    p.functions.open = { signature: 'int open(const char*,int,...)' }; // same prototype, other spacing
    const f = checkModel(fixtureModel(), p);
    expect(f.map((x) => [x.item, x.field ?? '', x.kind, x.severity, x.expected, x.actual, x.unit ?? ''])).toEqual([
      ['MTX_INIT', '', 'bytes', 'error', '0100000000000003', '0100000000000002', ''],
      ['NEG', '', 'value', 'error', '4294967295', '-1', ''],
      ['struct flags', 'b', 'field-size', 'error', '4', '5', 'bits'],
      ['struct flags', 'b', 'offset', 'error', '4', '3', 'bits'],
      ['struct point', '', 'align', 'error', '4', '8', 'bytes'],
      ['struct point', '', 'size', 'error', '24', '16', 'bytes'],
      ['struct point', 'y', 'offset', 'error', '4', '8', 'bytes'],
      ['struct point', 'z', 'missing', 'error', undefined, undefined, ''],
    ]);
    expect(f.find((x) => x.kind === 'size')!.loc).toBe(`${H}:2:8`);
    expect(f.find((x) => x.item === 'struct flags')!.rustName).toBe('flags');
    expect(f.find((x) => x.kind === 'bytes')!.message).toBe('bytes of MTX_INIT: 8 bytes; first difference at byte 7 (profile 03, headers 02)');
  });

  it('carries the provenance of the definition', () => {
    const p = emptyProfile('t', 'x86_64-unknown-linux-gnu');
    p.constants.BIGU = { value: '1' };
    const [f] = checkModel(fixtureModel(), p);
    expect(f!.why!.conditions![0]!.text).toBe('defined(CONFIG_BIG)');
    expect(f!.loc).toBe(`${H}:7:9`);
  });

  it('applies the severity policy: missing is an error, optional missing a warning, ignored nothing, unresolved a note', () => {
    const p = emptyProfile('t', 'x86_64-unknown-linux-gnu');
    p.types['struct nope'] = {};
    p.types['struct maybe'] = { optional: true, size: 4 };
    p.types['struct ignored'] = { ignore: 'not used by the binding', size: 1 };
    p.types['struct point'] = { ignore: 'known to differ', size: 1 };
    p.types['struct opaque'] = { size: 8 };
    p.constants.VERSION_STR = { value: '1' };
    p.constants.UNDEFINED_ONE = { value: '1', optional: true };
    p.functions.close = {};
    p.unresolved.push({ item: 'sigevent', reason: 'union with padding' });
    const f = checkModel(fixtureModel(), p);
    expect(f.map((x) => [x.item, x.kind, x.severity, x.message])).toEqual([
      ['UNDEFINED_ONE', 'missing', 'warning', 'constant UNDEFINED_ONE is not defined in the headers'],
      ['VERSION_STR', 'missing', 'error', 'constant VERSION_STR is defined as a string macro ("1.0")'],
      ['close', 'missing', 'error', 'function close is not declared in the headers'],
      ['sigevent', 'unresolved', 'note', 'sigevent was not checked: union with padding'],
      ['struct maybe', 'missing', 'warning', 'type struct maybe is not defined in the headers'],
      ['struct nope', 'missing', 'error', 'type struct nope is not defined in the headers'],
      ['struct opaque', 'missing', 'error', 'type struct opaque is declared but incomplete in the headers; the profile expects a layout'],
    ]);
    expect(f.find((x) => x.item === 'VERSION_STR')!.loc).toBe(`${H}:10:9`);
    expect(checkModel(fixtureModel(), p, { unresolved: 'warning' }).find((x) => x.kind === 'unresolved')!.severity).toBe('warning');
  });

  it('tries type candidates in order and reports under the spelling that matched', () => {
    const p = emptyProfile('t', 'x86_64-unknown-linux-gnu');
    p.types.point = { candidates: ['point', 'struct point', 'union point'], size: 8 };
    p.types.mtx = { candidates: ['mtx', 'struct mtx', 'union mtx'], size: 8 };
    expect(checkModel(fixtureModel(), p).map((x) => [x.item, x.kind])).toEqual([['struct point', 'size']]);
    p.types.gone = { candidates: ['gone', 'struct gone'] };
    expect(checkModel(fixtureModel(), p).find((x) => x.item === 'gone')!.message).toBe('type gone is not defined in the headers (tried gone, struct gone)');
  });

  it('points findings at the profile line when the profile came from a file', () => {
    const { profile } = parseProfile('name: t\ntarget: x86_64-unknown-linux-gnu\ntypes:\n  struct point:\n    fields:\n      q: { offset: 0 }\n', 'prof.yaml', { targets: ['x86_64-unknown-linux-gnu'] });
    const [f] = checkModel(fixtureModel(), profile!);
    expect(f).toMatchObject({ kind: 'missing', item: 'struct point', field: 'q', loc: `${H}:2:8`, profileLoc: 'prof.yaml:6:7' });
  });

  it('compares prototypes by tokens, not spacing', () => {
    expect(normaliseSignature('int  open ( const char * , int , ... )')).toBe(normaliseSignature('int open(const char *, int, ...)'));
    expect(normaliseSignature('unsigned long f(void)')).not.toBe(normaliseSignature('unsignedlong f(void)'));
  });
});

describe('--fail-on', () => {
  const fs = [{ severity: 'warning' as const }, { severity: 'note' as const }];
  it('fails at or above the level', () => {
    expect(failsOn(fs, 'error')).toBe(false);
    expect(failsOn(fs, 'warning')).toBe(true);
    expect(failsOn(fs, 'note')).toBe(true);
    expect(failsOn(fs, 'none')).toBe(false);
    expect(exitCodeFor([], 'note')).toBe(0);
    expect(exitCodeFor([{ severity: 'error' }], 'error')).toBe(1);
  });
});

describe('profile YAML', () => {
  it('renders deterministically and round-trips through the loader', () => {
    const p = extractProfile(fixtureModel(), { name: 'fixture', description: 'from the fixture', names: ['struct flags', 'BIGU', 'NEG', 'MTX_INIT', 'open', 'VERSION_STR', 'nothing'] });
    const text = renderProfileYaml(p, ['generated']);
    expect(text).toBe(`# generated
name: fixture
description: from the fixture
target: x86_64-unknown-linux-gnu
types:
  struct flags:
    size: 8
    align: 4
    fields:
      a: { offsetBits: 0, sizeBits: 3 }
      b: { offsetBits: 3, sizeBits: 5 }
      c: { offset: 4 }
constants:
  BIGU:
    value: 4294967295
    type: unsigned int
  NEG:
    value: -1
    type: int
initializers:
  MTX_INIT:
    type: mtx_t
    bytes: "0100000000000002"
functions:
  open:
    signature: int open(const char *, int, ...)
unresolved:
  - item: VERSION_STR
    reason: a string macro ("1.0"), not a constant or initializer
  - item: nothing
    reason: not defined in the headers
`);
    const back = parseProfile(text, 'x.yaml', { targets: ['x86_64-unknown-linux-gnu'] });
    expect(back.diagnostics).toEqual([]);
    const { source: _s, ...rest } = back.profile!;
    expect(rest).toEqual(p);
  });
});

describe('sameSignature', () => {
  const m = fixtureModel();
  m.types['__pid_t'] = { kind: 'typedef', size: 4, align: 4, complete: true, aliasOf: 'int' } as (typeof m.types)[string];
  m.types['pid_t'] = { kind: 'typedef', size: 4, align: 4, complete: true, aliasOf: '__pid_t' } as (typeof m.types)[string];
  m.types['charp'] = { kind: 'typedef', size: 8, align: 8, complete: true, aliasOf: 'char *' } as (typeof m.types)[string];
  it('typedef names are compared by what they alias', () => {
    expect(sameSignature('pid_t getpid(void)', '__pid_t getpid(void)', m)).toBe(true);
    expect(sameSignature('int kill(pid_t, int)', 'int kill(int, int)', m)).toBe(true);
    expect(sameSignature('int f(char *)', 'int f(charp)', m)).toBe(true);
    expect(sameSignature('pid_t getpid(void)', 'long getpid(void)', m)).toBe(false);
  });
  it('keeps tags and does not splice a pointer alias next to a qualifier', () => {
    expect(sameSignature('int f(struct pid_t *)', 'int f(struct int *)', m)).toBe(false);
    expect(sameSignature('int f(const char *)', 'int f(const charp)', m)).toBe(false);
  });
});
