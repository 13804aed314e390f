// `portabi gen rust` on headers an audit found mishandled: each case is a small header, the
// generated module compiled with rustc (`--edition 2021 -D warnings`, rustc's verdict is the
// expectation), and every size / alignment / offset its layout assertions state compiled as a
// `_Static_assert` with clang-19 (or cc), so the numbers Rust is held to are the C compiler's.
// Numbers spelled in the tests come from clang-19 probes (x86_64-unknown-linux-gnu).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { generateProject } from '../helpers/generate.js';

const RUSTUP_RUSTC = join(homedir(), '.cargo', 'bin', 'rustc');
const RUSTC = existsSync(RUSTUP_RUSTC) ? RUSTUP_RUSTC : 'rustc';
const CC = spawnSync('clang-19', ['--version']).status === 0 ? 'clang-19' : 'cc';
const dirs: string[] = [];

afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

interface Generated {
  dir: string;
  text: string;
  rustc: { status: number | null; out: string };
}

/** `header` as include/r.h of a new project, generated for x86_64 Linux, compiled by rustc. */
function gen(header: string, outputExtra = ''): Generated {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-rust-audit-'));
  dirs.push(dir);
  const h = join(dir, 'r.h');
  writeFileSync(h, header);
  generateProject(dir, [h], `headers: [include/r.h]\ntarget: x86_64-unknown-linux-gnu\noutputs:\n  - lang: rust\n    path: out.rs\n${outputExtra}`, { lang: 'rust' });
  const r = spawnSync(RUSTC, ['--edition', '2021', '--crate-type', 'lib', '-D', 'warnings', '--emit', 'metadata', '-o', join(dir, 'out.rmeta'), 'out.rs'], { cwd: dir, encoding: 'utf8' });
  return { dir, text: readFileSync(join(dir, 'out.rs'), 'utf8'), rustc: { status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') } };
}

/** The C expressions of the module's layout assertions (`sizeof(struct s) == 16`, ...). */
function assertedC(text: string): string[] {
  return [...text.matchAll(/^const _: \(\) = assert!\(.* == \d+, "((?:sizeof|_Alignof|offsetof)\(.*\) == \d+)"\);$/gm)].map((m) => m[1]!);
}

/** Compiles the header with every asserted C expression as a _Static_assert; the failures. */
function cCheck(g: Generated, extra: string[] = []): string[] {
  const exprs = [...assertedC(g.text), ...extra];
  const src = `#include "${join(g.dir, 'include', 'r.h')}"\n#include <stddef.h>\n${exprs.map((e) => `_Static_assert(${e}, ${JSON.stringify(e)});`).join('\n')}\n`;
  const file = join(g.dir, 'check.c');
  writeFileSync(file, src);
  const r = spawnSync(CC, ['-target', 'x86_64-unknown-linux-gnu', '-std=gnu17', '-fsyntax-only', file].filter((a, i) => CC.startsWith('clang') || i > 1), { encoding: 'utf8' });
  return r.status === 0 ? [] : (r.stderr ?? '').split('\n').filter((l) => l.includes('error'));
}

function expectCompiles(g: Generated): void {
  expect(g.rustc.out).toBe('');
  expect(g.rustc.status).toBe(0);
}

describe('typedefs named like Rust primitives', () => {
  test('typedef unsigned char u8; unsigned int u32; _Bool bool: no recursive alias, the fields are the primitives', () => {
    const g = gen('typedef unsigned char u8;\ntypedef unsigned int u32;\ntypedef _Bool bool;\ntypedef signed char i8;\ntypedef int u16;\nstruct regs { u8 ctrl; u32 data; bool on; i8 s; u16 odd; };\n');
    expectCompiles(g);
    expect(g.text).not.toMatch(/pub type (u8|u32|bool|i8|u16) =/);
    // u16 here is C's int: its uses are i32, and the module's own u16 stays the primitive.
    expect(g.text).toMatch(/pub odd: i32,/);
    expect(g.text).toMatch(/pub ctrl: u8,/);
    // clang-19: sizeof(struct regs) == 16, data at 4, on at 8, s at 9, odd at 12.
    expect(assertedC(g.text)).toEqual(expect.arrayContaining(['sizeof(struct regs) == 16', 'offsetof(struct regs, data) == 4', 'offsetof(struct regs, on) == 8', 'offsetof(struct regs, odd) == 12']));
    expect(cCheck(g)).toEqual([]);
  });

  test('a struct tag named like a primitive or `core` does not shadow what the module spells', () => {
    const g = gen('struct u8 { int x; };\nstruct core { int y; };\nstruct user { struct u8 a; struct core b; char pad[3]; };\n');
    expectCompiles(g);
    expect(cCheck(g)).toEqual([]);
  });
});

describe('value names', () => {
  test('enum { SHUT_RD = 0 }; #define SHUT_RD SHUT_RD: one constant', () => {
    const g = gen('enum { SHUT_RD = 0, SHUT_WR = 1 };\n#define SHUT_RD SHUT_RD\n#define SHUT_WR SHUT_WR\n');
    expectCompiles(g);
    expect(g.text.match(/pub const SHUT_RD\b/g)).toHaveLength(1);
    expect(g.text.match(/pub const SHUT_WR\b/g)).toHaveLength(1);
    expect(g.text).toContain('pub const SHUT_WR: i32 = 1;');
  });

  test('functions named self / crate link to the C symbols (#[link_name])', () => {
    const g = gen('int self(int x);\nint crate(void);\nint super(int a, int b);\n');
    expectCompiles(g);
    const c = join(g.dir, 'r.c');
    writeFileSync(c, 'int self(int x) { return x * 3; }\nint crate(void) { return 42; }\nint super(int a, int b) { return a - b; }\n');
    execFileSync('cc', ['-c', '-fPIC', '-o', join(g.dir, 'r.o'), c]);
    execFileSync('ar', ['rcs', join(g.dir, 'libr.a'), join(g.dir, 'r.o')]);
    writeFileSync(join(g.dir, 'main.rs'), '#[path = "out.rs"]\n#[allow(dead_code)]\nmod b;\nfn main() { unsafe { println!("{} {} {}", b::self_(5), b::crate_(), b::super_(9, 4)); } }\n');
    const r = spawnSync(RUSTC, ['--edition', '2021', '-L', g.dir, '-l', 'static=r', '-o', join(g.dir, 'main'), 'main.rs'], { cwd: g.dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(execFileSync(join(g.dir, 'main'), { encoding: 'utf8' }).trim()).toBe('15 42 5');
  });
});

describe('records passed by value that Rust cannot express', () => {
  test('struct holding _Complex double / long double: functions taking or returning it by value are not bound', () => {
    const g = gen(
      'struct cplx { _Complex double z; };\nstruct ld { long double v; int k; };\nstruct wrap { struct ld inner; };\n' +
        'struct cplx cplx_make(double re, double im);\ndouble cplx_re(struct cplx c);\nstruct wrap wrap_get(void);\nvoid by_ptr(struct cplx *c);\n',
    );
    expectCompiles(g);
    expect(g.text).not.toMatch(/pub fn (cplx_make|cplx_re|wrap_get)\(/);
    expect(g.text).toMatch(/\/\/ cplx_make: not bound \(return type: struct cplx by value holds _Complex double/);
    expect(g.text).toMatch(/\/\/ cplx_re: not bound \(parameter 1: struct cplx by value/);
    expect(g.text).toMatch(/\/\/ wrap_get: not bound/);
    // A pointer to it passes in a general register like any pointer: still bound.
    expect(g.text).toMatch(/pub fn by_ptr\(c: \*mut cplx\);/);
    expect(cCheck(g)).toEqual([]);
  });
});

describe('layouts', () => {
  test('packed struct holding an aligned struct (and the same under #pragma pack)', () => {
    const g = gen(
      'struct __attribute__((aligned(4))) al4 { char c; };\nstruct __attribute__((packed)) outer { char a; struct al4 i; };\n' +
        '#pragma pack(push, 2)\nstruct p2 { char a; struct al4 i; int k; };\n#pragma pack(pop)\nunion __attribute__((packed)) pu { char a; struct al4 i; };\n',
    );
    expectCompiles(g);
    // clang-19: outer 5/1, i at 1; p2 10/2, i at 2, k at 6.
    expect(assertedC(g.text)).toEqual(
      expect.arrayContaining(['sizeof(struct outer) == 5', 'offsetof(struct outer, i) == 1', 'sizeof(struct p2) == 10', '_Alignof(struct p2) == 2', 'offsetof(struct p2, i) == 2', 'offsetof(struct p2, k) == 6']),
    );
    expect(cCheck(g)).toEqual([]);
    expect(g.text).toMatch(/pub fn i\(&self\) -> al4/);
  });

  test('aligned on a typedef: typedef int int_al8 __attribute__((aligned(8)))', () => {
    const g = gen('typedef int int_al8 __attribute__((aligned(8)));\nstruct s { char c; int_al8 x; };\nunion u { char c; int_al8 x; };\n');
    expectCompiles(g);
    expect(assertedC(g.text)).toEqual(expect.arrayContaining(['sizeof(struct s) == 16', '_Alignof(struct s) == 8', 'offsetof(struct s, x) == 8', '_Alignof(union u) == 8']));
    expect(cCheck(g)).toEqual([]);
  });

  test('packed struct with a flexible array of int', () => {
    const g = gen('struct __attribute__((packed)) msg { char n; int data[]; };\nstruct __attribute__((packed)) msg2 { short n; char k; long data[]; };\n');
    expectCompiles(g);
    expect(assertedC(g.text)).toEqual(expect.arrayContaining(['sizeof(struct msg) == 1', '_Alignof(struct msg) == 1', 'offsetof(struct msg, data) == 1', 'sizeof(struct msg2) == 3']));
    expect(cCheck(g)).toEqual([]);
  });

  test('mode(QI) / mode(HI) / mode(DI) members have the mode size', () => {
    const g = gen('struct m { int x __attribute__((mode(QI))); int y __attribute__((mode(HI))); unsigned z __attribute__((mode(DI))); };\ntypedef unsigned int u16m __attribute__((mode(HI)));\nstruct t { char c; u16m v; };\n');
    expectCompiles(g);
    expect(assertedC(g.text)).toEqual(expect.arrayContaining(['sizeof(struct m) == 16', '_Alignof(struct m) == 8', 'offsetof(struct m, y) == 2', 'offsetof(struct m, z) == 8', 'sizeof(struct t) == 4']));
    expect(g.text).toMatch(/pub x: i8,/);
    expect(g.text).toMatch(/pub y: i16,/);
    expect(g.text).toMatch(/pub z: u64,/);
    expect(cCheck(g)).toEqual([]);
  });

  test('bit-fields directly in a union share one storage; accessors compile and match C', () => {
    const g = gen('union u { unsigned a : 3; char x; unsigned b : 5; signed c : 12; };\n');
    expectCompiles(g);
    expect(g.text.match(/pub _bf0:/g)).toHaveLength(1);
    expect(cCheck(g)).toEqual([]);
    // Run the accessors on C's bytes: a union with b = 21 (C writes bits 0..4 of byte 0).
    const c = join(g.dir, 'probe.c');
    writeFileSync(c, `#include "include/r.h"\n#include <stdio.h>\nint main(void) { union u v = {0}; v.c = -5; const unsigned char *p = (const unsigned char *)&v; printf("%u %u %u %u|%u %u %d", p[0], p[1], p[2], p[3], v.a, v.b, v.c); return 0; }\n`);
    execFileSync('cc', ['-o', join(g.dir, 'probe'), c], { cwd: g.dir });
    const [bytes, want] = execFileSync(join(g.dir, 'probe'), { encoding: 'utf8' }).split('|');
    writeFileSync(
      join(g.dir, 'main.rs'),
      `#[path = "out.rs"]\n#[allow(dead_code)]\nmod b;\nfn main() { let v: b::u = unsafe { core::mem::transmute::<[u8; 4], b::u>([${bytes!.split(' ').join(', ')}]) }; let mut w = b::u::default(); w.set_c(-5); let out: [u8; 4] = unsafe { core::mem::transmute(w) }; print!("{} {} {}|{:?}", v.a(), v.b(), v.c(), out); }\n`,
    );
    const r = spawnSync(RUSTC, ['--edition', '2021', '-o', join(g.dir, 'main'), 'main.rs'], { cwd: g.dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    const [got, setBytes] = execFileSync(join(g.dir, 'main'), { encoding: 'utf8' }).split('|');
    expect(got).toBe(want);
    expect(setBytes).toBe(`[${bytes!.split(' ').join(', ')}]`);
  });
});

describe('names the module allocates once', () => {
  test('anonymous member record vs a real struct of that name; renamed fields; setters; _bf0; struct core / Default', () => {
    const g = gen(
      'struct outer { struct { int a; } inner; };\nstruct outer_inner { double d; };\nstruct s { int s; int s_; };\nstruct k { int self; int self_; };\n' +
        'struct b { unsigned x : 3; unsigned set_x : 2; int _bf0; };\nstruct core { int x; };\nstruct Default { int x; };\nstruct p { int y; struct core c; };\n',
    );
    expectCompiles(g);
    expect(cCheck(g)).toEqual([]);
    // The real struct keeps its name; the anonymous one takes another.
    expect(g.text).toMatch(/pub struct outer_inner \{\n\s+\/\/\/ offset 0\n\s+pub d: f64,/);
    expect(g.text).toMatch(/pub s: i32,\n\s+\/\/\/ offset 4\n\s+pub s_: i32,/);
    // The user's _bf0 keeps its name (offsetof(struct b, _bf0) == 4, clang-19).
    expect(assertedC(g.text)).toContain('offsetof(struct b, _bf0) == 4');
  });

  test('an accessor named like another field’s setter', () => {
    // Members packed one by one in an 8-aligned struct: Rust keeps x and set_x as bytes with
    // accessors (x / set_x, then set_x_ / set_set_x_).
    const g = gen('struct q { char c; int x __attribute__((packed)); int set_x __attribute__((packed)); long l; };\n');
    expectCompiles(g);
    expect(assertedC(g.text)).toEqual(expect.arrayContaining(['offsetof(struct q, x) == 1', 'offsetof(struct q, set_x) == 5', 'offsetof(struct q, l) == 16']));
    expect(g.text).toMatch(/pub fn set_x_\(&self\) -> i32/);
    expect(cCheck(g)).toEqual([]);
  });
});

describe('names the async wrappers take', () => {
  test('a C struct named like a wrapper type, a function named like its constructor, a struct named Drop', () => {
    const g = gen(
      'typedef void (*tm_cb)(void *arg, unsigned value);\nint tm_start(unsigned delay, tm_cb cb, void *arg);\nint tm_cancel(int id);\n' +
        'struct tm_start_future { int x; };\nstruct tm_start_result { int y; };\nint tm_start_async(void);\nstruct Drop { int z; };\n',
      'async:\n  tm_start:\n    scope: once\n    cancel: tm_cancel\n',
    );
    expectCompiles(g);
    expect(g.text).toMatch(/pub struct tm_start_future \{\n\s+\/\/\/ offset 0\n\s+pub x: i32,/);
    expect(g.text).toMatch(/pub fn tm_start_async\(\) -> i32;/);
    expect(cCheck(g)).toEqual([]);
  });
});

describe('initializers', () => {
  test('a non-null function pointer in an initializer: the bytes, no failing transmute', () => {
    const g = gen('typedef struct { void (*handler)(int); int flags; } act_t;\n#define ACT_INIT { (void (*)(int))1, 3 }\n');
    expectCompiles(g);
    expect(g.text).toContain('pub const ACT_INIT: [u8; 16] = [0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];');
    expect(g.text).not.toMatch(/transmute::<\[u8; 16\], act_t>/);
  });
});
