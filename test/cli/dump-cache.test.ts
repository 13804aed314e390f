// `portabi dump` and `portabi check` through the model cache: a warm run prints exactly what a
// computation prints, and every input (headers, Kconfig, the profile) invalidates the entry
// when it changes. Expected sizes
// are hand-derived for x86_64 (int 4, long 8, both aligned to their size).
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
let dir: string;
let cache: string;

function dump(...extra: string[]) {
  const args = [join(root, 'bin', 'portabi.js'), 'dump', join(dir, 'inc', 'api.h'), '-I', join(dir, 'first'), '-I', join(dir, 'inc'),
    '--config', join(dir, 'x.config'), '-t', 'x86_64-unknown-linux-gnu', '--cache-dir', cache, ...extra];
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}
const sizeOf = (out: string, type: string): number => (JSON.parse(out) as { types: Record<string, { size: number }> }).types[type]!.size;
const entries = (): string[] => (existsSync(join(cache, 'v1', 'models')) ? readdirSync(join(cache, 'v1', 'models')).flatMap((k) => readdirSync(join(cache, 'v1', 'models', k)).map((f) => join(cache, 'v1', 'models', k, f))) : []);

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'portabi-dump-cache-'));
  cache = join(dir, 'cache');
  mkdirSync(join(dir, 'inc'));
  mkdirSync(join(dir, 'first'));
  writeFileSync(join(dir, 'inc', 'api.h'), '#include <part.h>\nstruct s { int a; PART_T b; };\n#ifdef CONFIG_WIDE\ntypedef long wide_t;\n#else\ntypedef int wide_t;\n#endif\n');
  writeFileSync(join(dir, 'inc', 'part.h'), '#define PART_T int\n');
  writeFileSync(join(dir, 'x.config'), '# CONFIG_WIDE is not set\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('portabi dump with the model cache', () => {
  it('a warm run prints byte for byte what a computation prints', () => {
    const cold = dump();
    expect(cold.code).toBe(0);
    expect(sizeOf(cold.out, 'struct s')).toBe(8); // int a; int b
    expect(entries().length).toBe(2); // the model and its manifest
    const warm = dump();
    const none = dump('--no-cache');
    expect(warm).toEqual(cold);
    expect(none).toEqual(cold);
  });

  it('an edited header is read again', () => {
    dump();
    writeFileSync(join(dir, 'inc', 'part.h'), '#define PART_T long\n');
    expect(sizeOf(dump().out, 'struct s')).toBe(16); // int a; 4 padding; long b
  });

  it('a header that now shadows another one earlier in the search path is seen', () => {
    dump();
    // <part.h> searches -I first before -I inc: the new file wins.
    writeFileSync(join(dir, 'first', 'part.h'), '#define PART_T long\n');
    expect(sizeOf(dump().out, 'struct s')).toBe(16); // int a; 4 padding; long b
  });

  it('an edited Kconfig file is read again', () => {
    expect(sizeOf(dump().out, 'wide_t')).toBe(4);
    writeFileSync(join(dir, 'x.config'), 'CONFIG_WIDE=y\n');
    expect(sizeOf(dump().out, 'wide_t')).toBe(8);
  });

  it('a damaged entry: a located warning, then the same output', () => {
    const cold = dump();
    const model = entries().find((f) => f.endsWith('.model.json'))!;
    writeFileSync(model, '{"truncated');
    const again = dump();
    expect(again.code).toBe(0);
    expect(again.out).toBe(cold.out);
    expect(again.err).toMatch(/model\.json:1:1: warning: damaged cache entry ignored and rebuilt/);
  });

  it('a relative header path read from another working directory is that directory\'s file', () => {
    // From a/, `inc/a.h` is the file the absolute path already included: its guard skips it.
    // From b/, `inc/a.h` is another file that declares struct b. The key holds the same
    // strings both times, and the first manifest (a/inc/a.h read, inc/a.h present) still
    // holds from b/: only the working directory tells the two runs apart.
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    mkdirSync(join(a, 'inc'), { recursive: true });
    mkdirSync(join(b, 'inc'), { recursive: true });
    writeFileSync(join(a, 'inc', 'a.h'), '#ifndef A_H\n#define A_H\nstruct a { int x; };\n#endif\n');
    writeFileSync(join(b, 'inc', 'a.h'), 'struct b { long y; };\n');
    const run = (cwd: string, ...extra: string[]) => {
      const r = spawnSync(process.execPath, [join(root, 'bin', 'portabi.js'), 'dump', join(a, 'inc', 'a.h'), 'inc/a.h', '-t', 'x86_64-unknown-linux-gnu', '--cache-dir', cache, ...extra], { cwd, encoding: 'utf8' });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const types = (out: string) => Object.keys((JSON.parse(out) as { types: Record<string, unknown> }).types).filter((t) => t.startsWith('struct ')).sort();
    expect(types(run(a).out)).toEqual(['struct a']);
    const fromB = run(b);
    expect(types(fromB.out)).toEqual(['struct a', 'struct b']);
    expect(sizeOf(fromB.out, 'struct b')).toBe(8); // long y
    expect(fromB).toEqual(run(b, '--no-cache'));
  });

  it('--no-cache writes nothing; a target given as a file is never cached', () => {
    dump('--no-cache');
    expect(entries()).toEqual([]);
    // A copy of a shipped target, as a user's own target file (its name must match the file's).
    mkdirSync(join(dir, 'tgt', 'predefined'), { recursive: true });
    const target = join(dir, 'tgt', 'x86_64-unknown-linux-gnu.yaml');
    copyFileSync(join(root, 'targets', 'x86_64-unknown-linux-gnu.yaml'), target);
    for (const f of readdirSync(join(root, 'targets', 'predefined')).filter((n) => n.startsWith('x86_64-unknown-linux-gnu.'))) {
      copyFileSync(join(root, 'targets', 'predefined', f), join(dir, 'tgt', 'predefined', f));
    }
    const args = ['dump', join(dir, 'inc', 'api.h'), '-I', join(dir, 'inc'), '-t', target, '--cache-dir', cache];
    const r = spawnSync(process.execPath, [join(root, 'bin', 'portabi.js'), ...args], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(entries()).toEqual([]);
  });
});

describe('portabi check with the cache (profile and model)', () => {
  const profile = (size: number) => `name: t\ntarget: x86_64-unknown-linux-gnu\ntypes:\n  struct s: { size: ${size}, align: 4 }\n`;
  function check(...extra: string[]) {
    const args = [join(root, 'bin', 'portabi.js'), 'check', join(dir, 'inc', 'api.h'), '-I', join(dir, 'inc'), '--profile', join(dir, 'p.yaml'),
      '--format', 'json', '--cache-dir', cache, ...extra];
    const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
    return { code: r.status, out: r.stdout, err: r.stderr };
  }
  const sizeFindings = (out: string) => (JSON.parse(out) as { findings: { kind: string; item: string; expected: string; actual: string }[] }).findings
    .filter((f) => f.kind === 'size').map((f) => `${f.item} ${f.expected} ${f.actual}`);

  it('a warm check reports what a computed one does; an edited profile is read again', () => {
    writeFileSync(join(dir, 'p.yaml'), profile(12));
    const cold = check();
    expect(cold.code).toBe(1);
    expect(sizeFindings(cold.out)).toEqual(['struct s 12 8']); // int a; int b: 8 bytes
    expect(check()).toEqual(cold);
    expect(check('--no-cache')).toEqual(cold);
    writeFileSync(join(dir, 'p.yaml'), profile(8));
    const fixed = check();
    expect(fixed.code).toBe(0);
    expect(sizeFindings(fixed.out)).toEqual([]);
  });
});

