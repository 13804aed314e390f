// Every fact in targets/*.yaml, checked against the real compilers: for each target, one C file
// of `_Static_assert`s (one per fact, the message names the fact) compiled with -fsyntax-only by
// clang-19 with the target's oracle flags, and by the gcc cross compiler where the target has
// one. Then: the loader reports broken target files with file:line:col.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasAnswer, listTargets, loadTarget, predefinedSource, TARGETS_DIR } from '../src/abi/target.js';
import type { ScalarName, Target } from '../src/abi/target-types.js';

const CLANG = process.env.PORTABI_CLANG ?? 'clang-19';

function available(cmd: string): boolean {
  const r = spawnSync(cmd, ['--version'], { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

const SPELLING: Partial<Record<ScalarName, string>> = { pointer: 'void *' };
const spell = (n: ScalarName): string => SPELLING[n] ?? n;
const ALL_SCALARS: ScalarName[] = [
  '_Bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int',
  'long', 'unsigned long', 'long long', 'unsigned long long', '__int128', 'unsigned __int128',
  'float', 'double', 'long double', '_Float16', '__fp16', '__float128', '__bf16', 'pointer', '__builtin_va_list',
];

/** `_Generic` selecting exactly the IntKind (char, signed char and unsigned char are distinct). */
const isType = (expr: string, kind: string): string => `_Generic((${expr}), ${kind}: 1, default: 0)`;

/** The facts of a target as C assertions. `abi` is true for the compiler that defines the ABI;
 *  `skip` lists scalar types an oracle compiler does not have (it cannot confirm those). */
function assertions(t: Target, abi: boolean, skip: ScalarName[] = []): string {
  const facts: string[] = [];
  const fact = (cond: string, what: string): void => {
    facts.push(`_Static_assert(${cond}, ${JSON.stringify(`${t.name}: ${what}`)});`);
  };
  for (const [name, s] of Object.entries(t.scalars) as [ScalarName, Target['scalars'][ScalarName]][]) {
    if (skip.includes(name)) continue;
    const T = spell(name);
    fact(`sizeof(${T}) == ${s.size}`, `sizeof(${name}) == ${s.size}`);
    fact(`__builtin_offsetof(struct { char c; ${T} x; }, x) == ${s.align}`, `alignment of ${name} as a member == ${s.align}`);
    fact(`_Alignof(struct { char c; ${T} x; }) == ${s.align}`, `_Alignof(struct { char; ${name}; }) == ${s.align}`);
    const pref = s.preferredAlign ?? s.align;
    if (abi) fact(`__alignof__(${T}) == ${pref}`, `__alignof__(${name}) == ${pref}`);
  }
  fact(`((char)-1 < 0) == ${t.charSigned ? 1 : 0}`, `char is ${t.charSigned ? 'signed' : 'unsigned'}`);
  fact(isType('sizeof 0', t.sizeType), `size_t is ${t.sizeType}`);
  fact(isType('(char *)0 - (char *)0', t.ptrdiffType), `ptrdiff_t is ${t.ptrdiffType}`);
  fact(isType('(__INTPTR_TYPE__)0', t.intptrType), `intptr_t is ${t.intptrType}`);
  fact(isType("L'x'", t.wcharType), `wchar_t is ${t.wcharType}`);
  // (Not __BIGGEST_ALIGNMENT__: clang's msp430 predefines 2 but aligns a bare `aligned` to 16.)
  fact(`_Alignof(struct { char c __attribute__((aligned)); }) == ${t.maxAlign}`, `bare aligned == ${t.maxAlign}`);
  fact(
    `sizeof(enum { PORTABI_A, PORTABI_B }) == ${t.shortEnums ? 1 : 'sizeof(int)'}`,
    `enum { A, B } is ${t.shortEnums ? '1 byte (short enums)' : 'int-sized'}`,
  );
  fact(
    `__BYTE_ORDER__ == ${t.endian === 'big' ? '__ORDER_BIG_ENDIAN__' : '__ORDER_LITTLE_ENDIAN__'}`,
    `${t.endian}-endian`,
  );
  // Bit-field rules, shown with the most strictly aligned integer type (moot when that is 1).
  const ints = (['int', 'long', 'long long'] as const).filter((n) => t.scalars[n]);
  const bt = ints.reduce((a, b) => (t.scalars[b].align > t.scalars[a].align ? b : a));
  const ba = t.scalars[bt].align;
  if (ba > 1) {
    const b = t.bitfields;
    fact(`_Alignof(struct { char c; ${bt} x : 1; }) == ${b.typeAlignmentMatters ? ba : 1}`, `named ${bt} bit-field ${b.typeAlignmentMatters ? 'aligns' : 'does not align'} the record`);
    fact(`_Alignof(struct { char c; ${bt} : 1; }) == ${b.unnamedAffectsAlignment ? ba : 1}`, `unnamed ${bt} bit-field ${b.unnamedAffectsAlignment ? 'aligns' : 'does not align'} the record`);
    fact(`_Alignof(struct { char c; ${bt} : 0; char d; }) == ${b.zeroWidthAffectsAlignment ? ba : 1}`, `zero-width ${bt} bit-field ${b.zeroWidthAffectsAlignment ? 'aligns' : 'does not align'} the record`);
    fact(`__builtin_offsetof(struct { char c; ${bt} : 0; char d; }, d) == ${ba}`, `zero-width ${bt} bit-field starts a new ${ba}-byte unit`);
  }
  if (t.maxVectorAlign !== undefined) {
    const v = t.maxVectorAlign === 0 ? 256 : t.maxVectorAlign;
    fact(`_Alignof(char __attribute__((vector_size(256)))) == ${v}`, `vector alignment cap ${t.maxVectorAlign}`);
  }
  if (t.maxAtomicPromoteWidth !== undefined && abi) {
    for (const n of [1, 2, 4, 8, 16, 32]) {
      const promoted = n <= t.maxAtomicPromoteWidth;
      fact(`_Alignof(_Atomic struct { char a[${n}]; }) == ${promoted ? n : 1}`, `_Atomic ${n}-byte struct ${promoted ? 'promoted' : 'not promoted'}`);
    }
    const three = t.maxAtomicPromoteWidth >= 4 ? 4 : 3;
    fact(`sizeof(_Atomic struct { char a[3]; }) == ${three}`, `_Atomic 3-byte struct is ${three} bytes`);
  }
  return facts.join('\n') + '\n';
}

interface Compiler {
  label: string;
  command: string;
  flags: string[];
  abi: boolean;
}

function compilersOf(t: Target): Compiler[] {
  const clang: Compiler = { label: 'clang', command: CLANG, flags: ['-target', t.clangTriple, ...t.clangFlags], abi: t.compiler === 'clang' };
  const list = [clang];
  if (t.gcc) list.push({ label: 'gcc', command: t.gcc.command, flags: t.gcc.flags, abi: t.compiler === 'gcc' });
  return list;
}

/** Compiles C source; returns the failed static assertion messages (or the whole error). */
function failures(c: Compiler, src: string): string[] {
  const r = spawnSync(c.command, [...c.flags, '-std=gnu11', '-fsyntax-only', '-w', '-x', 'c', '-'], { input: src, encoding: 'utf8' });
  if (r.status === 0) return [];
  const asserts = [...r.stderr.matchAll(/static assert(?:ion)? failed[^"]*"([^"]*)"/g)].map((m) => m[1]!);
  return asserts.length > 0 ? asserts : [r.stderr.trim()];
}

function compiles(c: Compiler, src: string): boolean {
  return spawnSync(c.command, [...c.flags, '-fsyntax-only', '-w', '-x', 'c', '-'], { input: src, encoding: 'utf8' }).status === 0;
}

function mustLoad(name: string): Target {
  const r = loadTarget(name);
  if (!r.ok) throw new Error(r.error.map((d) => d.message).join('\n'));
  return r.value;
}

const names = listTargets();

describe('targets/*.yaml agree with the compilers', () => {
  it('ships the expected targets', () => {
    for (const n of [
      'thumbv7em-none-eabi', 'thumbv7em-none-eabihf', 'thumbv6m-none-eabi', 'armv7-unknown-linux-gnueabihf',
      'riscv32imac-unknown-none-elf', 'riscv64gc-unknown-linux-gnu', 'x86_64-unknown-linux-gnu',
      'x86_64-unknown-linux-musl', 'i686-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'avr', 'msp430',
      'armebv7r-none-eabi',
    ]) {
      expect(names).toContain(n);
    }
  });

  for (const name of names) {
    describe(name, () => {
      const t = mustLoad(name);
      for (const c of compilersOf(t)) {
        const role = c.abi ? 'ABI compiler' : 'oracle';
        it.skipIf(!available(c.command))(`${c.label} (${role}) confirms every fact`, () => {
          // An oracle may lack a type the ABI compiler has (clang has no __bf16 for soft-float
          // thumbv7em/thumbv6m, where arm-none-eabi-gcc 12 has one): it cannot confirm those.
          const skip = c.abi ? [] : (Object.keys(t.scalars) as ScalarName[]).filter((s) => !compiles(c, `${spell(s)} portabi_x;\n`));
          expect(failures(c, assertions(t, c.abi, skip))).toEqual([]);
        });
        if (c.abi) {
          it.skipIf(!available(c.command))(`${c.label} lacks exactly the scalar types the file omits`, () => {
            const missing = ALL_SCALARS.filter((s) => !(s in t.scalars));
            const accepted = missing.filter((s) => compiles(c, `${spell(s)} portabi_x;\n`));
            expect(accepted).toEqual([]);
          });
          it.skipIf(!available(c.command))(`${c.label}'s predefined macros are the file's`, () => {
            const r = spawnSync(c.command, [...c.flags, '-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' });
            const lines = r.stdout.split('\n').filter(Boolean);
            // clang's builtin __FLT_EVAL_METHOD__ is not in -dM; the file adds its value.
            if (!lines.some((l) => l.startsWith('#define __FLT_EVAL_METHOD__ '))) {
              const e = spawnSync(c.command, [...c.flags, '-E', '-P', '-x', 'c', '-'], { input: '__FLT_EVAL_METHOD__\n', encoding: 'utf8' });
              lines.push(`#define __FLT_EVAL_METHOD__ ${e.stdout.trim()}`);
            }
            const want = lines.sort().join('\n') + '\n';
            expect(predefinedSource(t)).toBe(want);
          });
        }
      }
    });
  }

  it('gcc-ABI targets keep gcc\'s predefined set (newlib int_fast8_t differs from clang\'s)', () => {
    const t = mustLoad('thumbv7em-none-eabi');
    expect(t.compiler).toBe('gcc');
    expect(predefinedSource(t)).toMatch(/^#define __INT_FAST8_TYPE__ int$/m);
    expect(predefinedSource(t, 'clang')).toMatch(/^#define __INT_FAST8_TYPE__ signed char$/m);
    expect(t.shortEnums).toBe(true);
    expect(t.clangFlags).toContain('-fshort-enums');
  });

  it('has tables answer 0 by absence, including for Object.prototype names', () => {
    const t = mustLoad('x86_64-unknown-linux-gnu');
    expect(t.hasAttribute['packed']).toBe(1);
    expect(t.hasBuiltin['__builtin_expect']).toBe(1);
    expect(t.hasBuiltin['toString']).toBeUndefined();
    expect(t.hasFeature['hasOwnProperty']).toBeUndefined();
    expect(t.hasAttribute['constructor']).toBe(1);
    expect(hasAnswer(t, '__has_attribute', '__packed__')).toBe(1);
    expect(hasAnswer(t, '__has_attribute', 'no_such_attribute')).toBe(0);
    expect(hasAnswer(t, '__has_c_attribute', 'gnu::__packed__')).toBe(1);
    expect(hasAnswer(t, '__has_builtin', 'toString')).toBe(0);
    const g = mustLoad('thumbv7em-none-eabi');
    expect(g.hasOperators).not.toContain('__has_feature'); // gcc 12 has no __has_feature
    expect(hasAnswer(g, '__has_feature', 'c_alignas')).toBe(0);
  });
});

describe('loadTarget reports broken target files where they are broken', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-target-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const good = readFileSync(join(TARGETS_DIR, 'x86_64-unknown-linux-gnu.yaml'), 'utf8');
  const lines = good.split('\n');
  const lineOf = (prefix: string): number => lines.findIndex((l) => l.startsWith(prefix)) + 1;
  let n = 0;
  /** Writes a variant under the right file name (the name must match) in a fresh directory. */
  const variant = (text: string): string => {
    const sub = join(dir, String(n++));
    mkdirSync(sub, { recursive: true });
    symlinkSync(join(TARGETS_DIR, 'predefined'), join(sub, 'predefined'));
    const file = join(sub, 'x86_64-unknown-linux-gnu.yaml');
    writeFileSync(file, text);
    return file;
  };

  it('loads an unmodified copy from a path', () => {
    const r = loadTarget(variant(good));
    expect(r.ok).toBe(true);
    if (r.ok) expect(predefinedSource(r.value)).toContain('#define __x86_64__ 1');
  });

  it('YAML syntax error', () => {
    const at = lineOf('endian:');
    const file = variant(good.replace(/^endian: little$/m, 'endian: [little'));
    const r = loadTarget(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]!.loc?.file).toBe(file);
    expect(r.error[0]!.loc?.line).toBeGreaterThanOrEqual(at);
    expect(r.error[0]!.message).toMatch(/^YAML: /);
  });

  it('unknown key', () => {
    const at = lineOf('charSigned:');
    const file = variant(good.replace(/^charSigned: (\w+)$/m, 'charSigned: $1\nsignedChar: true'));
    const r = loadTarget(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toHaveLength(1);
    expect(r.error[0]!.message).toMatch(/unknown key 'signedChar'/);
    expect(r.error[0]!.loc).toEqual({ file, line: at + 1, col: 1 });
  });

  it('unknown key nested in scalars', () => {
    const at = lineOf('  int:');
    const file = variant(good.replace(/^  int: /m, '  integer: '));
    const r = loadTarget(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.map((d) => d.message).join('\n')).toMatch(/scalars\.integer: unknown key 'integer'/);
    expect(r.error[0]!.loc).toEqual({ file, line: at, col: 3 });
  });

  it('wrong value type', () => {
    const at = lineOf('maxAlign:');
    const file = variant(good.replace(/^maxAlign: \d+/m, 'maxAlign: sixteen'));
    const r = loadTarget(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toHaveLength(1);
    expect(r.error[0]!.message).toBe('maxAlign: expected a positive integer, got "sixteen"');
    expect(r.error[0]!.loc).toEqual({ file, line: at, col: 'maxAlign: '.length + 1 });
  });

  it('wrong enum value', () => {
    const at = lineOf('sizeType:');
    const file = variant(good.replace(/^sizeType: .*$/m, 'sizeType: size_t'));
    const r = loadTarget(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]!.message).toMatch(/^sizeType: expected one of '_Bool', /);
    expect(r.error[0]!.loc?.line).toBe(at);
  });

  it('missing key', () => {
    const file = variant(good.replace(/^endian: little\n/m, ''));
    const r = loadTarget(file);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]!.message).toBe("target: missing key 'endian'");
    expect(r.error[0]!.loc?.file).toBe(file);
  });

  it('missing file', () => {
    const r = loadTarget(join(dir, 'nope', 'none.yaml'));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]!.message).toMatch(/cannot read target file .*none\.yaml/);
  });

  it('unknown target name lists the available ones', () => {
    const r = loadTarget('pdp11-unknown-none');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error[0]!.message).toMatch(/^unknown target 'pdp11-unknown-none'; available targets: /);
    expect(r.error[0]!.message).toContain('thumbv7em-none-eabi');
    expect(r.error[0]!.message).toContain('x86_64-unknown-linux-gnu');
  });

  it('caches loaded targets', () => {
    expect(mustLoad('avr')).toBe(mustLoad('avr'));
  });
});
