// Files that are not regular files where portabi reads one: a FIFO (a read waits for a writer
// forever) or a device (/dev/zero never ends) as the --names file of `profile extract`, as a
// .rs file of the crate `profile from-rust-libc` imports, or as a cache entry. Each used to
// hang. Inputs are refused with the wording of src/parse/input-file.ts ("'x' is not a regular
// file") and exit 2; a cache entry is damage: warned about, rebuilt, and the command prints
// what it prints without a cache. Every run has a timeout, so a regression fails, not hangs.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { inputProblemMessage } from '../../src/parse/input-file.js';

const root = join(import.meta.dirname, '..', '..');
const TARGET = 'x86_64-unknown-linux-gnu';
const notRegular = (p: string) => inputProblemMessage(p, { kind: 'not-regular', reason: 'it is not a regular file', code: 'not-a-file' });
let dir: string;

function portabi(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'portabi.js'), ...args], { encoding: 'utf8', cwd: dir, timeout: 20_000, maxBuffer: 1 << 26 });
  return { code: r.status, out: r.stdout, err: r.stderr, timedOut: r.error !== undefined };
}
const mkfifo = (p: string) => execFileSync('mkfifo', [p]);
/** Files under `rel` (relative to the run's directory), as the paths the cache names them by. */
const filesUnder = (rel: string): string[] => (existsSync(join(dir, rel)) ? readdirSync(join(dir, rel), { recursive: true }).map((n) => join(rel, String(n))).filter((p) => /\.json$/.test(p)) : []);

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
});

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'portabi-fifo-inputs-'));
  writeFileSync(join(dir, 'ok.h'), 'struct s { int a; };\n#define X 1\n');
  mkdirSync(join(dir, 'crate', 'src', 'unix'), { recursive: true });
  writeFileSync(join(dir, 'crate', 'Cargo.toml'), '[package]\nname = "libc"\nversion = "0.2.1"\n');
  writeFileSync(join(dir, 'crate', 'src', 'lib.rs'), 'mod unix;\npub use unix::*;\npub type c_int = i32;\n#[repr(C)]\npub struct foo { pub a: c_int }\n');
  writeFileSync(join(dir, 'crate', 'src', 'unix', 'mod.rs'), '#[repr(C)]\npub struct bar { pub b: i64 }\n');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('profile extract --names', () => {
  it.each([['a FIFO', 'fifo'], ['/dev/zero', '/dev/zero']])('refuses %s, naming it', (_what, names) => {
    if (names === 'fifo') mkfifo(join(dir, 'fifo'));
    const r = portabi('profile', 'extract', 'ok.h', '-t', TARGET, '--names', names);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${names}:1:1: fatal: ${notRegular(names)}`);
  });
});

describe('profile from-rust-libc', () => {
  it('reads the crate when its files are regular', () => {
    const r = portabi('profile', 'from-rust-libc', 'crate', '-t', TARGET);
    expect(r.code).toBe(0);
    expect(r.out).toContain('bar:');
  });

  it('refuses src/lib.rs that is a FIFO', () => {
    const lib = join('crate', 'src', 'lib.rs');
    unlinkSync(join(dir, lib));
    mkfifo(join(dir, lib));
    const r = portabi('profile', 'from-rust-libc', 'crate', '-t', TARGET);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err).toContain(notRegular(lib));
  });

  it('refuses a module file that is a symlink to /dev/zero, located at its mod item', () => {
    const mod = join('crate', 'src', 'unix', 'mod.rs');
    unlinkSync(join(dir, mod));
    symlinkSync('/dev/zero', join(dir, mod));
    const r = portabi('profile', 'from-rust-libc', 'crate', '-t', TARGET);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${join('crate', 'src', 'lib.rs')}:1: ${notRegular(mod)}`);
  });

  it('passes over a build.rs that is a FIFO', () => {
    mkfifo(join(dir, 'crate', 'build.rs'));
    const r = portabi('profile', 'from-rust-libc', 'crate', '-t', TARGET);
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.out).toContain('bar:');
  });
});

describe('a cache entry that is a FIFO', () => {
  const damaged = 'damaged cache entry ignored and rebuilt';

  it.each([['a model', '.model.json'], ['a manifest', '.manifest.json']])('dump: %s is damage, rebuilt', (_what, suffix) => {
    const plain = portabi('dump', 'ok.h', '-t', TARGET);
    expect(plain.code).toBe(0);
    expect(portabi('dump', 'ok.h', '-t', TARGET, '--cache-dir', 'C').out).toBe(plain.out);
    const entry = filesUnder(join('C', 'v1', 'models')).find((f) => f.endsWith(suffix))!;
    expect(entry).toBeDefined();
    unlinkSync(join(dir, entry));
    mkfifo(join(dir, entry));
    const r = portabi('dump', 'ok.h', '-t', TARGET, '--cache-dir', 'C');
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(0);
    expect(r.out).toBe(plain.out);
    expect(r.err).toContain(damaged);
    expect(r.err).toContain(notRegular(entry));
    // Rebuilt: the next run reads it back without a warning.
    const again = portabi('dump', 'ok.h', '-t', TARGET, '--cache-dir', 'C');
    expect(again.out).toBe(plain.out);
    expect(again.err).not.toContain(damaged);
  });

  it('check: a cached profile is damage, rebuilt', () => {
    expect(portabi('profile', 'extract', 'ok.h', '-t', TARGET, '-o', 'p.yaml').code).toBe(0);
    const plain = portabi('check', 'ok.h', '-t', TARGET, '--profile', 'p.yaml');
    expect(portabi('check', 'ok.h', '-t', TARGET, '--profile', 'p.yaml', '--cache-dir', 'C').out).toBe(plain.out);
    const entries = filesUnder(join('C', 'v1', 'profiles'));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      unlinkSync(join(dir, e));
      mkfifo(join(dir, e));
    }
    const r = portabi('check', 'ok.h', '-t', TARGET, '--profile', 'p.yaml', '--cache-dir', 'C');
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(plain.code);
    expect(r.out).toBe(plain.out);
    expect(r.err).toContain(damaged);
    expect(r.err).toContain(notRegular(entries[0]!));
  });

  it('diff: a cached result is damage, rebuilt', () => {
    for (const side of ['old', 'new']) mkdirSync(join(dir, side));
    writeFileSync(join(dir, 'old', 'a.h'), 'struct s { int a; };\n');
    writeFileSync(join(dir, 'new', 'a.h'), 'struct s { long a; };\n');
    const plain = portabi('diff', 'old', 'new', '-t', TARGET);
    expect(portabi('diff', 'old', 'new', '-t', TARGET, '--cache-dir', 'C').out).toBe(plain.out);
    const entries = filesUnder(join('C', 'v1', 'results'));
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      unlinkSync(join(dir, e));
      mkfifo(join(dir, e));
    }
    const r = portabi('diff', 'old', 'new', '-t', TARGET, '--cache-dir', 'C');
    expect(r.timedOut).toBe(false);
    expect(r.code).toBe(plain.code);
    expect(r.out).toBe(plain.out);
    expect(r.err).toContain(damaged);
    expect(r.err).toContain(notRegular(entries[0]!));
  });
});
