// Check policies on hand-built models: the scope (only what the headers define), constants with
// the same bits but the other sign, and how prototypes are compared (the profile's own typedef
// meanings, enums as their underlying type, `struct X` for a typedef-only X). The verdicts on
// the real headers that motivated them are confirmed with clang-19 at the end.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AbiModel, TypeEntry } from '../../src/abi/model.js';
import { checkModel, checkWithSummary, sameBits, sameSignature } from '../../src/check/check.js';
import { emptyProfile } from '../../src/check/profile-types.js';
import { toolAvailable } from '../corpus/decl-corpora.js';
import { fixtureModel } from './fixtures.js';

const H = 'test/fixtures/check/probe-fixture.h';
/** x86-64 System V scalar sizes (psABI table 3.1). */
const SCALARS = { char: { size: 1 }, short: { size: 2 }, 'unsigned short': { size: 2 }, int: { size: 4 }, 'unsigned int': { size: 4 }, long: { size: 8 }, 'unsigned long': { size: 8 }, 'long long': { size: 8 } };
const typedef = (aliasOf: string, size: number): TypeEntry => ({ kind: 'typedef', size, align: size, complete: true, loc: `${H}:20:1`, aliasOf });

function modelWith(constants: Record<string, { value: string; type: string }>): AbiModel {
  const m = fixtureModel();
  for (const [k, c] of Object.entries(constants)) m.constants[k] = { ...c, loc: `${H}:30:9`, source: 'macro' };
  return m;
}

describe('same bits, other sign', () => {
  it('is equality modulo 2^width, both values within width bits', () => {
    // EPOLLET: the crate's i32 -2^31 and Linux's 1u << 31 are both 0x80000000 in 32 bits.
    expect(sameBits(-2147483648n, 2147483648n, 32)).toBe(true);
    expect(sameBits(-1n, 4294967295n, 32)).toBe(true);
    expect(sameBits(-1n, 65535n, 16)).toBe(true);
    // In 64 bits -2^31 is 0xffffffff80000000, not 0x80000000.
    expect(sameBits(-2147483648n, 2147483648n, 64)).toBe(false);
    // 4294967295 does not fit 16 bits: not "the same 16 bits", however it truncates.
    expect(sameBits(-1n, 4294967295n, 16)).toBe(false);
    expect(sameBits(1n, 65537n, 16)).toBe(false);
  });

  it("reports kind 'sign' (a warning) when the profile's type has the same bits, else 'value'", () => {
    const m = modelWith({ EPOLLET: { value: '2147483648', type: 'unsigned int' }, ALLONES: { value: '4294967295', type: 'unsigned int' } });
    const p = emptyProfile('t', 'x86_64-unknown-linux-gnu');
    p.types.c_flags_t = { aliasOf: 'unsigned short' }; // sized through the alias: 16 bits
    p.constants.EPOLLET = { value: '-2147483648', type: 'int' }; // 32 bits: same bits
    p.constants.BIGU = { value: '-1', type: 'int' }; // BIGU is 4294967295 (unsigned int): same 32 bits
    p.constants.ANSWER = { value: '-214', type: 'int' }; // 42: different bits
    p.constants.ALLONES = { value: '-1', type: 'c_flags_t' }; // 16 bits: 4294967295 does not fit
    // (c_flags_t itself is reported missing: the fixture headers do not define it.)
    const f = checkModel(m, p, { scalars: SCALARS }).filter((x) => x.item !== 'c_flags_t');
    expect(f.map((x) => [x.item, x.kind, x.severity, x.expected, x.actual])).toEqual([
      ['ALLONES', 'value', 'error', '-1', '4294967295'],
      ['ANSWER', 'value', 'error', '-214', '42'],
      ['BIGU', 'sign', 'warning', '-1', '4294967295'],
      ['EPOLLET', 'sign', 'warning', '-2147483648', '2147483648'],
    ]);
    expect(f.find((x) => x.item === 'EPOLLET')!.message).toBe(
      'value of EPOLLET: profile -2147483648 (int), headers 2147483648 (unsigned int): the same 32 bits, read with the other sign',
    );
    // In a 64-bit type the same numbers are different bits.
    p.constants.EPOLLET = { value: '-2147483648', type: 'long' };
    expect(checkModel(m, p, { scalars: SCALARS }).find((x) => x.item === 'EPOLLET')!.kind).toBe('value');
    // Without the profile's type, or the type's width, there is nothing to read the bits in.
    p.constants.EPOLLET = { value: '-2147483648' };
    expect(checkModel(m, p, { scalars: SCALARS }).find((x) => x.item === 'EPOLLET')!.kind).toBe('value');
    p.constants.EPOLLET = { value: '-2147483648', type: 'int' };
    expect(checkModel(m, p).find((x) => x.item === 'EPOLLET')!.kind).toBe('value');
    expect(checkModel(m, p, { scalars: SCALARS, sign: 'error' }).find((x) => x.item === 'EPOLLET')!.severity).toBe('error');
  });
});

describe('--scope headers', () => {
  const profile = () => {
    const p = emptyProfile('t', 'x86_64-unknown-linux-gnu');
    p.types['struct point'] = { size: 16, fields: { x: { offset: 0 }, w: { offset: 12 } } }; // defined; w is not
    p.types.stat = { candidates: ['stat', 'struct stat'], size: 144 }; // not defined
    p.constants.ANSWER = { value: '41' }; // defined, differs
    p.constants.SO_REUSEADDR = { value: '2' }; // not defined
    p.constants.VERSION_STR = { value: '1' }; // a macro, but a string: reported
    p.initializers.MTX_INIT = { bytes: '0100000000000002' }; // defined, equal
    p.initializers.PTHREAD_MUTEX_INITIALIZER = { bytes: '00' }; // not defined
    p.functions.open = { signature: 'int open(const char *, int, ...)' }; // defined, equal
    p.functions.close = { signature: 'int close(int)' }; // not defined
    p.unresolved.push({ item: 'sigevent', reason: 'private padding' }); // not defined
    p.unresolved.push({ item: 'mtx', reason: 'packed' }); // `struct mtx` is defined
    p.types['struct ignored'] = { ignore: 'not used' };
    return p;
  };

  it('checks only what the headers define and counts the rest', () => {
    const r = checkWithSummary(fixtureModel(), profile(), { scope: 'headers' });
    expect(r.findings.map((x) => [x.item, x.field ?? '', x.kind])).toEqual([
      ['ANSWER', '', 'value'],
      ['VERSION_STR', '', 'missing'],
      ['mtx', '', 'unresolved'],
      ['struct point', 'w', 'missing'],
    ]);
    // checked: struct point, ANSWER, VERSION_STR, MTX_INIT, open, mtx; not: stat, SO_REUSEADDR,
    // PTHREAD_MUTEX_INITIALIZER, close, sigevent. The ignored item is neither.
    expect(r.summary).toEqual({ scope: 'headers', checked: 6, notInHeaders: 5 });
  });

  it("the default scope checks every profile item", () => {
    const r = checkWithSummary(fixtureModel(), profile());
    expect(r.findings.filter((x) => x.kind === 'missing' && !x.field).map((x) => x.item)).toEqual(['PTHREAD_MUTEX_INITIALIZER', 'SO_REUSEADDR', 'VERSION_STR', 'close', 'stat']);
    expect(r.summary).toEqual({ scope: 'profile', checked: 11, notInHeaders: 0 });
  });

  it('takes an item any of the scope models defines (a config matrix): missing where absent', () => {
    const other = fixtureModel();
    other.constants.SO_REUSEADDR = { value: '2', type: 'int', loc: 'x.h:1:9', source: 'macro' };
    const r = checkWithSummary(fixtureModel(), profile(), { scope: 'headers', scopeModels: [fixtureModel(), other] });
    expect(r.findings.find((x) => x.item === 'SO_REUSEADDR')?.kind).toBe('missing');
    expect(r.summary.notInHeaders).toBe(4);
  });
});

describe('prototypes through typedefs, enums and tags', () => {
  const m = fixtureModel();
  m.types.__pid_t = typedef('int', 4);
  m.types.__sighandler_t = typedef('void (*)(int)', 8);
  m.types.sighandler_t = typedef('__sighandler_t', 8);
  m.types.start_t = typedef('void *(*)(void *)', 8);
  m.types['enum __ptrace_request'] = { kind: 'enum', size: 4, align: 4, complete: true, loc: `${H}:21:6`, underlying: 'unsigned int' };
  m.types.Dl_info = { ...typedef('struct <anonymous>', 32) };
  const p = emptyProfile('t', 'x86_64-unknown-linux-gnu').types;
  p.pid_t = { aliasOf: 'int', size: 4 };
  p.size_t = { aliasOf: 'unsigned long', size: 8 };
  p.sighandler_t = { aliasOf: 'size_t', size: 8 }; // the Rust crate's `pub type sighandler_t = size_t`

  it("reads a typedef name the headers do not define with the profile's meaning", () => {
    // These headers have no pid_t: through the profile it is int, as __pid_t is.
    expect(sameSignature('pid_t getpid(void)', '__pid_t getpid(void)', m, p)).toBe(true);
    // glibc without _GNU_SOURCE: `__sighandler_t signal(int, __sighandler_t)`, a function
    // pointer; the crate's sighandler_t, which these headers do not define, is size_t.
    const noGnu = { ...m, types: { ...m.types } };
    delete noGnu.types.sighandler_t;
    expect(sameSignature('sighandler_t signal(int, sighandler_t)', '__sighandler_t signal(int, __sighandler_t)', noGnu, p)).toBe(false);
    expect(sameSignature('unsigned long signal(int, unsigned long)', '__sighandler_t signal(int, __sighandler_t)', noGnu, p)).toBe(false);
    // A name the headers define is theirs (its layout is the type item's business).
    expect(sameSignature('sighandler_t signal(int, sighandler_t)', '__sighandler_t signal(int, __sighandler_t)', m, p)).toBe(true);
  });

  it('restrict is not part of the compared prototype, at any level; const is', () => {
    expect(sameSignature('int lio_listio(int, struct aiocb *const *, int, struct sigevent *)', 'int lio_listio(int, struct aiocb *const restrict *, int, struct sigevent *)', m, p)).toBe(true);
    expect(sameSignature('int f(char *)', 'int f(char *__restrict)', m, p)).toBe(true);
    expect(sameSignature('int execv(const char *, const char *const *)', 'int execv(const char *, char *const *)', m, p)).toBe(false);
  });

  it('compares a function-pointer typedef without parameter names', () => {
    expect(sameSignature('int spawn(void *(*)(void *))', 'int spawn(start_t)', m, p)).toBe(true);
  });

  it('an enum is its underlying integer type (C17 6.7.2.2p4)', () => {
    expect(sameSignature('long ptrace(unsigned int, ...)', 'long ptrace(enum __ptrace_request, ...)', m, p)).toBe(true);
    expect(sameSignature('long ptrace(int, ...)', 'long ptrace(enum __ptrace_request, ...)', m, p)).toBe(false);
  });

  it('`struct X` in the profile is the typedef X when the headers define no tag X', () => {
    expect(sameSignature('int dladdr(const void *, struct Dl_info *)', 'int dladdr(const void *, Dl_info *)', m, p)).toBe(true);
    const tagged = { ...m, types: { ...m.types, 'struct Dl_info': { kind: 'struct', size: 8, align: 8, complete: true, loc: 'x.h:1:8' } as TypeEntry } };
    expect(sameSignature('int dladdr(const void *, struct Dl_info *)', 'int dladdr(const void *, Dl_info *)', tagged, p)).toBe(false);
  });

  it('the finding shows both prototypes as compared', () => {
    const prof = emptyProfile('t', 'x86_64-unknown-linux-gnu');
    prof.types = p;
    prof.functions.signal = { signature: 'sighandler_t signal(int, sighandler_t)' };
    const types = { ...m.types };
    delete types.sighandler_t; // glibc without _GNU_SOURCE
    const mm = { ...m, types, functions: { signal: { signature: '__sighandler_t signal(int, __sighandler_t)', loc: `${H}:22:1` } } };
    const f = checkModel(mm, prof).find((x) => x.item === 'signal');
    expect(f!.kind).toBe('signature');
    expect(f!.message).toBe(
      'prototype of signal: profile `sighandler_t signal(int, sighandler_t)`, headers `__sighandler_t signal(int, __sighandler_t)` (through typedefs: `unsigned long signal(int, unsigned long)` vs `void(*)(int)signal(int, void(*)(int))`)',
    );
  });
});

// What the compiler says about the three prototypes on the real headers: the verdicts above are
// C's type compatibility, not portabi's opinion.
const MUSL = '/usr/include/x86_64-linux-musl';
describe.skipIf(!toolAvailable('clang-19'))('clang-19 on the real headers', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-policy-'));
  const compile = (name: string, text: string, flags: string[]) => {
    const f = join(dir, name);
    writeFileSync(f, text);
    execFileSync('clang-19', [...flags, '-fsyntax-only', f], { stdio: 'pipe' });
    return true;
  };
  it('glibc x86_64: ptrace takes an unsigned int (its enum), signal a function pointer, not size_t', () => {
    const src = `#define _GNU_SOURCE
#include <sys/ptrace.h>
#include <signal.h>
#include <stddef.h>
_Static_assert(_Generic(&ptrace, long (*)(unsigned int, ...): 1, default: 0), "enum __ptrace_request is compatible with unsigned int");
_Static_assert(!_Generic(&ptrace, long (*)(int, ...): 1, default: 0), "but not with int");
_Static_assert(!_Generic(&signal, size_t (*)(int, size_t): 1, default: 0), "the crate's signal(c_int, size_t) is not C's");
_Static_assert(_Generic(&signal, void (*(*)(int, void (*)(int)))(int): 1, default: 0), "C's signal");
`;
    expect(compile('glibc.c', src, ['-target', 'x86_64-unknown-linux-gnu'])).toBe(true);
  });
  it.skipIf(!toolAvailable('clang-19') || !existsSync(`${MUSL}/dlfcn.h`))('musl: dladdr takes Dl_info *, a typedef of an anonymous struct', () => {
    const src = `#define _GNU_SOURCE
#include <dlfcn.h>
_Static_assert(_Generic(&dladdr, int (*)(const void *, Dl_info *): 1, default: 0), "dladdr(const void *, Dl_info *)");
`;
    expect(compile('musl.c', src, ['-target', 'x86_64-unknown-linux-musl', '-nostdinc', '-isystem', MUSL, '-isystem', '/usr/lib/llvm-19/lib/clang/19/include'])).toBe(true);
  });
});

describe('fields the headers spell through a macro', () => {
  // glibc: struct stat { …; struct timespec st_atim; … }; #define st_atime st_atim.tv_sec.
  // Offsets hand-derived for x86-64: st_atim at byte 72, tv_sec at 0 and tv_nsec at 8 in it.
  const m = fixtureModel();
  m.types['struct timespec'] = { kind: 'struct', size: 16, align: 8, complete: true, loc: `${H}:40:8`, fields: [
    { name: 'tv_sec', offsetBits: 0, sizeBits: 64, bitField: false, type: 'long' },
    { name: 'tv_nsec', offsetBits: 64, sizeBits: 64, bitField: false, type: 'long' },
  ] };
  m.types['struct st'] = { kind: 'struct', size: 144, align: 8, complete: true, loc: `${H}:44:8`, fields: [
    { name: 'st_dev', offsetBits: 0, sizeBits: 64, bitField: false, type: 'unsigned long' },
    { name: 'st_atim', offsetBits: 576, sizeBits: 128, bitField: false, type: 'struct timespec' },
  ] };
  m.macros.st_atime = { class: 'not-constant', detail: 'identifier st_atim is not a constant', member: 'st_atim.tv_sec', loc: `${H}:50:9` };
  const p = emptyProfile('t', 'x86_64-unknown-linux-gnu');

  it('is found through the path: no finding at the right offset, an offset finding at a wrong one', () => {
    p.types['struct st'] = { size: 144, fields: { st_atime: { offset: 72 } } };
    expect(checkModel(m, p)).toEqual([]);
    p.types['struct st'] = { size: 144, fields: { st_atime: { offset: 64 }, st_atime_nsec: { offset: 80 } } };
    const f = checkModel(m, p).map((x) => `${x.kind} ${x.field} ${x.expected ?? ''} ${x.actual ?? ''}`.trim());
    // st_atime_nsec is the crate's own name: no C field or macro spells it.
    expect(f).toEqual(['offset st_atime 64 72', 'missing st_atime_nsec']);
  });
});
