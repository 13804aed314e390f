// Provenance of types: the `#if` branches that selected a struct, enum or typedef definition
// (`why.conditions` in the ABI model, "selected by" in explain), with include guards left out.
// The expected branches are read off the headers by hand (file:line:col of each directive); the
// compilers confirm the selection itself: a type reported under `#ifdef CONFIG_X` exists for the
// compiler exactly when the configuration defines CONFIG_X, and the value a condition tested
// is the compiler's own predefined macro.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explain } from '../../src/abi/explain.js';
import { computeAbi, emptyInput, type Computed, type InputOptions } from '../../src/pipeline.js';
import { target } from './helpers.js';

const EX = resolve('examples/nuttx-like');
const INC = join(EX, 'include');
const HEADERS = ['pthread.h', 'sys/socket.h'].map((h) => join(INC, h));

function compute(over: Partial<InputOptions>): Computed {
  const r = computeAbi(emptyInput(over));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return r.value;
}

function nuttx(config: 'stm32' | 'sim', targetName = 'thumbv7em-none-eabi'): Computed {
  return compute({ headers: HEADERS, includePaths: [INC], configFiles: [join(EX, 'configs', `${config}.config`)], target: targetName });
}

/** Kconfig as the compiler takes it: `CONFIG_X=y` → -DCONFIG_X=1, values as written. */
function kconfigDefines(config: string): string[] {
  const out: string[] = [];
  for (const line of readFileSync(join(EX, 'configs', `${config}.config`), 'utf8').split('\n')) {
    const m = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (m) out.push(`-D${m[1]}=${m[2] === 'y' ? '1' : m[2]}`);
  }
  return out;
}

/** Whether the compiler accepts the source (with the example's include dir and a config). */
function compiles(command: string, args: string[], source: string): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-prov-'));
  try {
    const c = join(dir, 'probe.c');
    writeFileSync(c, source);
    execFileSync(command, [...args, '-std=gnu17', '-fsyntax-only', '-w', c], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A predefined macro's value as the target's compiler defines it. */
function predefined(targetName: string, name: string): string {
  const t = target(targetName);
  const out =
    t.compiler === 'gcc' && t.gcc
      ? execFileSync(t.gcc.command, [...t.gcc.flags, '-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' })
      : execFileSync('clang-19', ['-target', t.clangTriple, ...t.clangFlags, '-dM', '-E', '-x', 'c', '/dev/null'], { encoding: 'utf8' });
  const m = new RegExp(`^#define ${name} (.*)$`, 'm').exec(out);
  if (!m) throw new Error(`${name} not predefined for ${targetName}`);
  return m[1]!;
}

describe('types: the #if branches that selected the definition (examples/nuttx-like)', () => {
  const semaphore = join(INC, 'semaphore.h');
  const archTypes = join(INC, 'arch/types.h');

  it('struct semholder_s is selected by #ifdef CONFIG_PRIORITY_INHERITANCE (stm32 defconfig)', () => {
    const { model } = nuttx('stm32');
    const e = model.types['struct semholder_s'];
    expect(e?.loc).toBe(`${semaphore}:11:8`);
    // semaphore.h:10 `#ifdef CONFIG_PRIORITY_INHERITANCE`; its include guard (line 1) and
    // pthread.h's, which includes it, are not listed.
    expect(e?.why).toEqual({
      loc: `${semaphore}:11:8`,
      conditions: [
        { directive: 'ifdef', text: 'defined(CONFIG_PRIORITY_INHERITANCE)', loc: `${semaphore}:10:2`, tested: [{ name: 'CONFIG_PRIORITY_INHERITANCE', value: '1' }] },
      ],
    });
  });

  it('the compiler agrees: struct semholder_s exists with stm32, not with sim', () => {
    const t = target('thumbv7em-none-eabi');
    const source = '#include <semaphore.h>\nstruct semholder_s probe;\n';
    const cc = t.gcc ? t.gcc.command : 'clang-19';
    const flags = t.gcc ? t.gcc.flags : ['-target', t.clangTriple, ...t.clangFlags];
    expect(compiles(cc, [...flags, '-I', INC, ...kconfigDefines('stm32')], source)).toBe(true);
    expect(compiles(cc, [...flags, '-I', INC, ...kconfigDefines('sim')], source)).toBe(false);
    expect(nuttx('sim').model.types['struct semholder_s']).toBeUndefined();
  });

  it('explain prints the branch and the CONFIG_ option it tested', () => {
    const { model, ir } = nuttx('stm32');
    const lines = explain('struct semholder_s', { model, macros: ir.macros })!;
    expect(lines).toContain('selected by:');
    expect(lines).toContain(`  #ifdef defined(CONFIG_PRIORITY_INHERITANCE)  (${semaphore}:10:2)  tested: CONFIG_PRIORITY_INHERITANCE=1`);
    expect(lines).toContain('CONFIG_ options: CONFIG_PRIORITY_INHERITANCE');
    expect(lines.join('\n')).not.toMatch(/__INCLUDE_\w+_H/);
  });

  it('a typedef chosen by #else lists what the #if tested, with the compiler-defined value', () => {
    // arch/types.h:9 `#if __INT_MAX__ == 0x7fff` … :12 `#else` … :13 `typedef signed int _int32_t;`
    const arm = nuttx('stm32').model.types['_int32_t'];
    expect(arm?.why?.conditions).toEqual([
      { directive: 'else', text: '!(__INT_MAX__ == 0x7fff)', loc: `${archTypes}:12:2`, tested: [{ name: '__INT_MAX__', value: predefined('thumbv7em-none-eabi', '__INT_MAX__') }] },
    ]);
    expect(arm?.loc).toBe(`${archTypes}:13:28`);
    // 16-bit int: the #if branch, line 10.
    const avr = nuttx('stm32', 'avr').model.types['_int32_t'];
    expect(avr?.why?.conditions).toEqual([
      { directive: 'if', text: '__INT_MAX__ == 0x7fff', loc: `${archTypes}:9:2`, tested: [{ name: '__INT_MAX__', value: predefined('avr', '__INT_MAX__') }] },
    ]);
    expect(avr?.loc).toBe(`${archTypes}:10:28`);
    expect(avr?.size).toBe(4);
  });

  it('types no #if selected have no why (include guards are not conditions)', () => {
    const { model } = nuttx('stm32');
    for (const name of ['struct sem_s', 'sem_t', 'pthread_mutex_t', 'struct sockaddr', 'struct timespec', 'pid_t']) {
      expect(model.types[name], name).toBeDefined();
      expect(model.types[name]!.why, name).toBeUndefined();
    }
  });
});

describe('include guards are left out of provenance; configuration conditions stay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-guards-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files: Record<string, string> = {
    'a.h': [
      '#ifndef A_H', // 1
      '#define A_H',
      '#include "b.h"',
      '#include "c.h"',
      '#ifdef CONFIG_WIDE', // 5
      'typedef long word_t;',
      '#include "d.h"',
      '#endif',
      'struct plain { int x; };',
      '#define PLAIN 1', // 10
      'enum e { E0,',
      '#if CONFIG_LEVEL > 1',
      '  E1,',
      '#endif',
      '  E2 };', // 15
      '#endif /* A_H */',
      '',
    ].join('\n'),
    // `#if !defined(X)` is a guard too.
    'b.h': ['#if !defined(B_H)', '#define B_H', 'struct fromb { char c; };', '#define FROMB 2', '#endif', ''].join('\n'),
    // A whole file under `#ifndef CONFIG_NO_C` is configuration, not a guard: nothing defines it.
    'c.h': ['#ifndef CONFIG_NO_C', 'struct inc { int i; };', '#define INC 3', '#endif', ''].join('\n'),
    // A guarded header included under a configuration condition.
    'd.h': ['#ifndef D_H', '#define D_H', 'struct wide { long w; };', '#define WIDE 4', '#endif', ''].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  const a = join(dir, 'a.h');
  const c = join(dir, 'c.h');
  const run = () => compute({ headers: [a], defines: [{ name: 'CONFIG_WIDE', value: '1' }, { name: 'CONFIG_LEVEL', value: '2' }], target: 'x86_64-unknown-linux-gnu' });
  const wide = { directive: 'ifdef', text: 'defined(CONFIG_WIDE)', loc: `${a}:5:2`, tested: [{ name: 'CONFIG_WIDE', value: '1' }] };

  it('guarded definitions have no conditions: types, macros, enumerators', () => {
    const { model } = run();
    for (const t of ['struct plain', 'struct fromb', 'enum e']) expect(model.types[t]?.why, t).toBeUndefined();
    for (const k of ['PLAIN', 'FROMB', 'E0', 'E2']) {
      expect(model.constants[k], k).toBeDefined();
      expect(model.constants[k]!.why?.conditions, k).toBeUndefined();
    }
  });

  it('a real configuration condition inside a guard is kept, alone', () => {
    const { model } = run();
    expect(model.types['word_t']?.why?.conditions).toEqual([wide]);
    // through a guarded include: d.h's own guard is left out
    expect(model.types['struct wide']?.why?.conditions).toEqual([wide]);
    expect(model.constants['WIDE']?.why?.conditions).toEqual([wide]);
    // an enumerator inside `#if` in the enum's body
    expect(model.constants['E1']?.why?.conditions).toEqual([
      { directive: 'if', text: 'CONFIG_LEVEL > 1', loc: `${a}:12:2`, tested: [{ name: 'CONFIG_LEVEL', value: '2' }] },
    ]);
  });

  it('a whole-file #ifndef whose macro nothing defines is configuration and is kept', () => {
    const { model } = run();
    const cond = [{ directive: 'ifndef', text: '!defined(CONFIG_NO_C)', loc: `${c}:1:2`, tested: [{ name: 'CONFIG_NO_C', value: null }] }];
    expect(model.types['struct inc']?.why?.conditions).toEqual(cond);
    expect(model.constants['INC']?.why?.conditions).toEqual(cond);
  });

  it('explain shows no guard', () => {
    const { model, ir } = run();
    const text = (n: string) => explain(n, { model, macros: ir.macros })!.join('\n');
    expect(text('PLAIN')).not.toContain('selected by');
    expect(text('struct plain')).not.toContain('selected by');
    expect(text('WIDE')).toContain('#ifdef defined(CONFIG_WIDE)');
    expect(text('WIDE')).not.toContain('D_H');
  });

  it('the compiler agrees on what the conditions select', () => {
    const src = `#include "${a}"\nstruct wide w; struct inc i; int e1 = E1; word_t x;\n`;
    const t = target('x86_64-unknown-linux-gnu');
    const flags = ['-target', t.clangTriple, ...t.clangFlags];
    expect(compiles('clang-19', [...flags, '-DCONFIG_WIDE=1', '-DCONFIG_LEVEL=2'], src)).toBe(true);
    expect(compiles('clang-19', [...flags, '-DCONFIG_LEVEL=2'], src)).toBe(false);
    expect(compiles('clang-19', [...flags, '-DCONFIG_WIDE=1', '-DCONFIG_LEVEL=1'], src)).toBe(false);
    expect(compiles('clang-19', [...flags, '-DCONFIG_WIDE=1', '-DCONFIG_LEVEL=2', '-DCONFIG_NO_C'], src)).toBe(false);
  });
});
