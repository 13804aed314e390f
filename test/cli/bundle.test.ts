// The esbuild bundle (scripts/bundle.mjs) is what bin/portabi.js runs after `npm run build`.
// It must behave exactly as dist/ does: same output, and the files portabi finds next to its
// code (targets/, profiles, the generators' runtime sources) found from the bundle's place.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const ex = join(root, 'examples', 'nuttx-like');
// Inside the package (PACKAGE_ROOT is found upward from the code), private to this test file.
const outdir = join(root, 'dist', `bundle-test-${process.pid}`);

function run(entry: string, args: string[], cwd = root) {
  const script = `const { main } = await import(${JSON.stringify(entry)}); process.exitCode = await main(${JSON.stringify(args)});`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd, maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
  execFileSync(process.execPath, [join(root, 'scripts', 'bundle.mjs'), outdir], { cwd: root });
}, 300_000);

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** A project whose outputs are not generated yet: `gen --check` builds each output in memory
 *  (reading the generators' runtime sources) and reports it out of date. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-bundle-'));
  mkdirSync(join(dir, 'include'));
  writeFileSync(join(dir, 'include', 'api.h'), 'struct point { int x, y; };\ntypedef void (*done_cb)(int result, void *user);\nint start(done_cb cb, void *user);\n');
  writeFileSync(join(dir, 'portabi.yaml'), 'headers: [include/api.h]\ntarget: x86_64-unknown-linux-gnu\noutputs:\n  - lang: ts\n    path: gen/api.ts\n  - lang: rust\n    path: gen/api.rs\n');
  return dir;
}

describe('bin/portabi.js', () => {
  it('before a build: says so on one line and exits 2 (usage or input error), no stack', () => {
    // The launcher alone in a package directory without dist/.
    const pkg = mkdtempSync(join(tmpdir(), 'portabi-unbuilt-'));
    try {
      mkdirSync(join(pkg, 'bin'));
      copyFileSync(join(root, 'bin', 'portabi.js'), join(pkg, 'bin', 'portabi.js'));
      const r = spawnSync(process.execPath, [join(pkg, 'bin', 'portabi.js'), '--help'], { encoding: 'utf8' });
      expect(r.status).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('portabi: not built: dist/cli.js is missing; run `npm run build` in the package\n');
    } finally {
      rmSync(pkg, { recursive: true, force: true });
    }
  });
});

describe('the bundled CLI', () => {
  const cases: [string, string[]][] = [
    ['dump of the example (targets/ and predefined macros found from the bundle)', [
      'dump', join(ex, 'include', 'pthread.h'), '-I', join(ex, 'include'), '--config', join(ex, 'configs', 'stm32.config'), '-t', 'thumbv7em-none-eabi',
    ]],
    ['an unknown target lists the targets directory', ['dump', join(ex, 'include', 'errno.h'), '-t', 'no-such-target']],
    ['top-level help lists every command', ['--help']],
    ['profile extract (profile targets validated against targets/)', [
      'profile', 'extract', join(ex, 'include', 'sys', 'socket.h'), '-I', join(ex, 'include'), '-t', 'thumbv7em-none-eabi', '--name', 'x',
    ]],
  ];
  it('gen --check (the TypeScript and Rust runtimes found from the bundle)', () => {
    const dir = project();
    try {
      for (const lang of ['ts', 'rust']) {
        const plain = run(join(root, 'dist', 'cli.js'), ['gen', lang, '--check'], dir);
        const bundled = run(join(outdir, 'cli.js'), ['gen', lang, '--check'], dir);
        expect(plain.code).toBe(1); // out of date: nothing generated yet
        expect(bundled).toEqual(plain);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  for (const [what, args] of cases) {
    it(what, () => {
      const plain = run(join(root, 'dist', 'cli.js'), args);
      const bundled = run(join(outdir, 'cli.js'), args);
      expect(bundled).toEqual(plain);
      expect(plain.out.length + plain.err.length).toBeGreaterThan(0);
    });
  }
});

describe('the bundle as the caches know it', () => {
  it('build-id is the sha256 of the bundle files, names and contents, sorted by name', () => {
    const h = createHash('sha256');
    for (const name of readdirSync(outdir).filter((n) => n !== 'build-id').sort()) h.update(`${name}\0`).update(readFileSync(join(outdir, name))).update('\0');
    expect(readFileSync(join(outdir, 'build-id'), 'utf8')).toBe(`${h.digest('hex')}\n`);
  });

  it('another build-id keys other cache entries (other code never reads this code\'s models)', () => {
    const cache = mkdtempSync(join(tmpdir(), 'portabi-bundle-cache-'));
    const keys = () => readdirSync(join(cache, 'v1', 'models')).sort();
    const args = ['dump', join(ex, 'include', 'errno.h'), '-I', join(ex, 'include'), '-t', 'thumbv7em-none-eabi', '--cache-dir', cache];
    const id = readFileSync(join(outdir, 'build-id'), 'utf8');
    try {
      const first = run(join(outdir, 'cli.js'), args);
      expect(first.code).toBe(0);
      const one = keys();
      expect(one.length).toBe(1);
      expect(run(join(outdir, 'cli.js'), args)).toEqual(first);
      expect(keys()).toEqual(one); // same code: the entry is reused
      writeFileSync(join(outdir, 'build-id'), 'another build\n');
      expect(run(join(outdir, 'cli.js'), args)).toEqual(first);
      expect(keys().length).toBe(2);
    } finally {
      writeFileSync(join(outdir, 'build-id'), id);
      rmSync(cache, { recursive: true, force: true });
    }
  });
});

describe('targets.json: the shipped targets as the build checked them', () => {
  it('holds every target of targets/, each the Target its YAML gives', async () => {
    const { listTargets, loadTarget } = await import('../../src/abi/target.js');
    const compiled = JSON.parse(readFileSync(join(outdir, 'targets.json'), 'utf8')) as Record<string, { yaml: string; target: unknown }>;
    expect(Object.keys(compiled).sort()).toEqual(listTargets());
    for (const name of listTargets()) {
      const r = loadTarget(name);
      expect(r.ok).toBe(true);
      expect(compiled[name]!.target).toEqual(r.ok ? r.value : null);
      expect(compiled[name]!.yaml).toBe(readFileSync(join(root, 'targets', `${name}.yaml`), 'utf8'));
    }
  });

  it('an entry is used only while its YAML text is the file\'s text', () => {
    const file = join(outdir, 'targets.json');
    const saved = readFileSync(file, 'utf8');
    const dir = mkdtempSync(join(tmpdir(), 'portabi-targets-json-'));
    const h = join(dir, 's.h');
    writeFileSync(h, 'struct s { int a; };\n');
    const sizeOfS = () => (JSON.parse(run(join(outdir, 'cli.js'), ['dump', h, '-t', 'x86_64-unknown-linux-gnu', '--no-cache']).out) as { types: Record<string, { size: number }> }).types['struct s']!.size;
    try {
      const compiled = JSON.parse(saved) as Record<string, { yaml: string; target: { scalars: Record<string, { size: number; align: number }> } }>;
      // An int of 8 bytes that only this entry says: seen while the entry's text matches the file…
      compiled['x86_64-unknown-linux-gnu']!.target.scalars.int = { size: 8, align: 8 };
      writeFileSync(file, JSON.stringify(compiled));
      expect(sizeOfS()).toBe(8);
      // …and not once the file's text differs from the entry's (an edited target file).
      compiled['x86_64-unknown-linux-gnu']!.yaml += '# edited\n';
      writeFileSync(file, JSON.stringify(compiled));
      expect(sizeOfS()).toBe(4); // x86_64 SysV: int is 4 bytes
    } finally {
      writeFileSync(file, saved);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
