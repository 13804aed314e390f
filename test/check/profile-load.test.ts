import { describe, expect, it } from 'vitest';
import { loadProfile, parseProfile } from '../../src/check/profile-load.js';

const TARGETS = ['x86_64-unknown-linux-gnu', 'thumbv7em-none-eabi'];
const load = (text: string) => parseProfile(text, 'p.yaml', { targets: TARGETS });
const where = (r: ReturnType<typeof load>) => r.diagnostics.map((d) => `${d.loc?.line}:${d.loc?.col} ${d.code}`);

describe('loading a profile', () => {
  it('reads every section and records where each item is', () => {
    const r = load(`name: demo
description: "a demo"
target: x86_64-unknown-linux-gnu
types:
  pthread_mutex_t:
    candidates: [pthread_mutex_t, struct pthread_mutex_t]
    rustName: pthread_mutex_t
    size: 40
    align: 8
    fields:
      __size: { offset: 0 }
      flag: { offsetBits: 3, sizeBits: 1 }
  struct opaque:
constants:
  O_RDONLY: { value: 0, type: int }
  BIG: { value: 18446744073709551615 }
  NEGS: { value: "-2" }
  HEX: { value: 0x10 }
initializers:
  PTHREAD_MUTEX_INITIALIZER: { type: pthread_mutex_t, bytes: "00FF" }
functions:
  open: { signature: "int open(const char *, int, ...)", optional: true }
  gets: { ignore: "removed in C11" }
unresolved:
  - { item: sigevent, reason: "union with a padding field" }
`);
    expect(r.diagnostics).toEqual([]);
    const p = r.profile!;
    expect(p.types['pthread_mutex_t']).toEqual({
      candidates: ['pthread_mutex_t', 'struct pthread_mutex_t'], rustName: 'pthread_mutex_t', size: 40, align: 8,
      fields: { __size: { offset: 0 }, flag: { offsetBits: 3, sizeBits: 1 } },
    });
    expect(p.types['struct opaque']).toEqual({});
    expect(p.constants).toEqual({ O_RDONLY: { value: '0', type: 'int' }, BIG: { value: '18446744073709551615' }, NEGS: { value: '-2' }, HEX: { value: '16' } });
    expect(p.initializers.PTHREAD_MUTEX_INITIALIZER).toEqual({ type: 'pthread_mutex_t', bytes: '00ff' });
    expect(p.functions.gets).toEqual({ ignore: 'removed in C11' });
    expect(p.unresolved).toEqual([{ item: 'sigevent', reason: 'union with a padding field' }]);
    expect(p.source!.locs['types/pthread_mutex_t']).toBe('p.yaml:5:3');
    expect(p.source!.locs['types/pthread_mutex_t/fields/flag']).toBe('p.yaml:12:7');
    expect(p.source!.locs['constants/BIG']).toBe('p.yaml:16:3');
  });

  it('locates a YAML syntax error', () => {
    const r = load('name: x\ntarget: x86_64-unknown-linux-gnu\ntypes:\n  a: { size: 1\n');
    expect(r.profile).toBeNull();
    expect(r.diagnostics[0]!.code).toBe('profile-yaml');
    expect(r.diagnostics[0]!.loc!.file).toBe('p.yaml');
    expect(r.diagnostics[0]!.loc!.line).toBeGreaterThanOrEqual(4);
  });

  it('locates a duplicate key', () => {
    const r = load('name: x\nname: y\ntarget: x86_64-unknown-linux-gnu\n');
    expect(r.profile).toBeNull();
    expect(where(r)).toEqual(['2:1 profile-yaml']);
  });

  it('locates unknown keys at the key', () => {
    const r = load('name: x\ntarget: x86_64-unknown-linux-gnu\ntypes:\n  struct a:\n    sise: 4\n    fields:\n      f: { ofset: 1 }\nextra: 1\n');
    expect(r.profile).toBeNull();
    expect(where(r)).toEqual(['5:5 profile-unknown-key', '7:12 profile-unknown-key', '8:1 profile-unknown-key']);
    expect(r.diagnostics[0]!.message).toContain("unknown key 'sise'");
  });

  it('locates wrong value types at the value', () => {
    const r = load(`name: x
target: x86_64-unknown-linux-gnu
types:
  struct a: { size: "4", align: -1, candidates: a }
constants:
  A: { value: "0x10" }
  B: { value: 1.5 }
initializers:
  I: { bytes: "abc" }
functions:
  f: { optional: yes, signature: 3 }
`);
    expect(r.profile).toBeNull();
    expect(where(r)).toEqual([
      '4:21 profile-type', '4:33 profile-type', '4:49 profile-type',
      '6:15 profile-type', '7:15 profile-type', '9:15 profile-type',
      '11:18 profile-type', '11:34 profile-type',
    ]);
  });

  it('counts columns in bytes of the line', () => {
    const r = load('name: x\ntarget: x86_64-unknown-linux-gnu\ndescription: "é"\ntypes: { "é": { sise: 1 } }\n');
    expect(where(r)).toEqual(['4:18 profile-unknown-key']);
  });

  it('rejects an unknown target at the value', () => {
    const r = load('name: x\ntarget: riscv128-none\n');
    expect(r.profile).toBeNull();
    expect(where(r)).toEqual(['2:9 profile-target']);
    expect(r.diagnostics[0]!.message).toContain("unknown target 'riscv128-none'");
  });

  it('requires name and target', () => {
    const r = load('description: x\n');
    expect(r.diagnostics.map((d) => d.message)).toEqual(["the profile lacks 'name'", "the profile lacks 'target'"]);
  });

  it('validates targets against targets/*.yaml by default', () => {
    expect(parseProfile('name: x\ntarget: x86_64-unknown-linux-gnu\n', 'p.yaml').diagnostics).toEqual([]);
    expect(parseProfile('name: x\ntarget: nope\n', 'p.yaml').diagnostics[0]!.code).toBe('profile-target');
  });

  it('reports a missing file as a value, never throwing', () => {
    const r = loadProfile('/nonexistent/dir/profile.yaml', { targets: TARGETS });
    expect(r.profile).toBeNull();
    expect(r.diagnostics).toEqual([
      { severity: 'error', message: 'cannot read profile: no such file', loc: { file: '/nonexistent/dir/profile.yaml', line: 1, col: 1 }, code: 'profile-missing-file' },
    ]);
  });
});
