import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { cIntegerLiteral, generateProbe, pointerTypeOfSignature, verifyProbe } from '../../src/check/probe.js';
import { emptyProfile } from '../../src/check/profile-types.js';
import { FIXTURE_HEADER, fixtureModel } from './fixtures.js';

const haveClang = (() => {
  try {
    execFileSync('clang-19', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const CLANG_FLAGS = ['-target', 'x86_64-unknown-linux-gnu', '-std=c11'];

describe('probe text', () => {
  it('writes literals that never wrap', () => {
    expect(cIntegerLiteral('42')).toBe('42ULL');
    expect(cIntegerLiteral('-1')).toBe('(-1LL)');
    expect(cIntegerLiteral('-9223372036854775808')).toBe('(-9223372036854775807LL - 1)');
  });
  it('turns a prototype into a pointer type name', () => {
    expect(pointerTypeOfSignature('open', 'int open(const char *, int, ...)')).toBe('int (*)(const char *, int, ...)');
    expect(pointerTypeOfSignature('signal', 'void (*signal(int, void (*)(int)))(int)')).toBe('void (*(*)(int, void (*)(int)))(int)');
  });
});

const haveGcc = (() => {
  try {
    execFileSync('gcc', ['--version']);
    return process.arch === 'x64';
  } catch {
    return false;
  }
})();

describe.skipIf(!haveGcc)('probe verified by the host gcc (x86-64)', () => {
  it('a probe of the correct numbers compiles and every check passes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'portabi-probe-gcc-'));
    const file = join(dir, 'ok.c');
    writeFileSync(file, generateProbe(fixtureModel(), undefined, { includes: [FIXTURE_HEADER] }).text);
    const v = await verifyProbe(file, 'gcc', ['-std=c11']);
    expect(v.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(v.ok).toBe(true);
  });
});

describe.skipIf(!haveClang)('probe verified by clang-19', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-probe-test-'));

  it('a probe of the correct numbers compiles and every check passes', async () => {
    const probe = generateProbe(fixtureModel(), undefined, { includes: [FIXTURE_HEADER] });
    expect(probe.checks.map((c) => c.kind)).toEqual(expect.arrayContaining(['size', 'align', 'offset', 'value', 'signature', 'bytes', 'bitfield']));
    const file = join(dir, 'ok.c');
    writeFileSync(file, probe.text);
    const v = await verifyProbe(file, 'clang-19', CLANG_FLAGS);
    expect(v.unattributed).toEqual([]);
    expect(v.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(v.ok).toBe(true);
  });

  it('wrong numbers fail and are reported by name', async () => {
    const p = emptyProfile('wrong', 'x86_64-unknown-linux-gnu');
    p.types['struct point'] = { size: 24, fields: { y: { offset: 4 } } }; // really 16 and 8
    p.types['struct flags'] = { fields: { b: { offsetBits: 3, sizeBits: 4 } } }; // really 5 bits
    p.constants.NEG = { value: '4294967295' }; // really -1: same bits, other sign
    p.constants.BIGU = { value: '4294967295' }; // right
    p.constants.MISSING_ONE = { value: '1' }; // not defined at all
    p.initializers.MTX_INIT = { type: 'mtx_t', bytes: '0100000000000003' }; // really ...02
    p.functions.open = { signature: 'int open(const char *, long, ...)' };
    const probe = generateProbe(fixtureModel(), p, { includes: [FIXTURE_HEADER] });
    const file = join(dir, 'wrong.c');
    writeFileSync(file, probe.text);
    const v = await verifyProbe(file, 'clang-19', CLANG_FLAGS);
    const by = (kind: string, item: string, field?: string) => v.results.find((r) => r.kind === kind && r.item === item && r.field === field);
    expect(v.ok).toBe(false);
    expect(by('size', 'struct point')).toMatchObject({ status: 'fail', expected: '24', actual: '16' });
    expect(by('offset', 'struct point', 'y')).toMatchObject({ status: 'fail', expected: '4', actual: '8' });
    expect(by('bitfield', 'struct flags', 'b')).toMatchObject({ status: 'fail', expected: '3:4', actual: '3:5' });
    expect(by('value', 'NEG')).toMatchObject({ status: 'fail' });
    expect(by('value', 'BIGU')).toMatchObject({ status: 'pass' });
    expect(by('value', 'MISSING_ONE')).toMatchObject({ status: 'error' });
    expect(by('bytes', 'MTX_INIT')).toMatchObject({ status: 'fail', actual: '0100000000000002' });
    expect(by('signature', 'open')).toMatchObject({ status: 'fail' });
  });
});
