// `probe --verify-with <cc>`: only a compiler's verdict on the checks counts. A compiler that
// cannot be started, crashes, hangs, fails without an error about a check, or writes no object
// has said nothing about portabi's numbers: exit 2 naming it, never "checks passed".
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateProbe, verifyProbe } from '../../src/check/probe.js';
import { FIXTURE_HEADER, fixtureModel } from '../check/fixtures.js';

const root = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'portabi-probe-verify-'));

function portabi(...args: string[]) {
  const r = spawnSync('node', [join(root, 'bin', 'portabi.js'), ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** An executable shell script in tmp, standing in for a compiler. */
function script(name: string, body: string): string {
  const f = join(tmp, name);
  writeFileSync(f, `#!/bin/sh\n${body}\n`);
  chmodSync(f, 0o755);
  return f;
}

// sizeof/_Alignof/offsetof and a value: compile-time checks; a bit-field: an object check.
const header = join(tmp, 'api.h');

beforeAll(() => {
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
  writeFileSync(header, 'struct point { int x; int y; };\nstruct flags { unsigned a : 3; unsigned b : 5; };\n#define ANSWER 42\n');
});

describe('probe --verify-with: a compiler that gives no verdict', () => {
  it('`false` (fails, says nothing): exit 2, named, no "checks passed"', () => {
    const r = portabi('probe', header, '-o', 'p1.c', '--verify-with', 'false');
    expect(r.code).toBe(2);
    expect(r.err).toContain('portabi: --verify-with false failed (exit status 1) with no error about a check; nothing was verified');
    expect(r.out).not.toMatch(/checks passed/);
  });

  it('an internal compiler error (exit 4, as gcc): exit 2 with its first stderr lines', () => {
    const ice = script('ice-cc', 'echo "p2.c:1:1: internal compiler error: Segmentation fault" >&2\necho "Please submit a full bug report" >&2\nexit 4');
    const r = portabi('probe', header, '-o', 'p2.c', '--verify-with', ice);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`portabi: --verify-with ${ice} crashed (exit status 4); nothing was verified:\n  p2.c:1:1: internal compiler error: Segmentation fault\n  Please submit a full bug report\n`);
    expect(r.out).not.toMatch(/checks passed/);
  });

  it('a compiler that does not exist: exit 2, named', () => {
    const r = portabi('probe', header, '-o', 'p3.c', '--verify-with', '/nonexistent/cc');
    expect(r.code).toBe(2);
    expect(r.err).toContain('portabi: --verify-with /nonexistent/cc cannot be run: no such file or directory; nothing was verified');
    expect(r.out).not.toMatch(/checks passed/);
  });

  it('--verify-with and no compiler: a usage error, exit 2, nothing written', () => {
    const r = portabi('probe', header, '-o', 'p4.c', '--verify-with');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--verify-with needs a compiler/);
    expect(existsSync(join(tmp, 'p4.c'))).toBe(false);
  });

  it('compiles the asserts but fails the object compile with nothing about a check: exit 2', () => {
    const cc = script('half-cc', 'case "$*" in *-fsyntax-only*) exit 0 ;; esac\necho "cc1: out of memory allocating 4096 bytes" >&2\nexit 1');
    const r = portabi('probe', header, '-o', 'p5.c', '--verify-with', cc);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`portabi: --verify-with ${cc} failed (exit status 1) with no error about a check; nothing was verified:\n  cc1: out of memory allocating 4096 bytes\n`);
    expect(r.out).not.toMatch(/checks passed/);
  });

  it('exits 0 but writes no object file: exit 2', () => {
    const r = portabi('probe', header, '-o', 'p6.c', '--verify-with', 'true');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--verify-with true exited 0 but its object file cannot be read \(no such file or directory\); nothing was verified/);
  });
});

describe('verifyProbe: a compiler that hangs', () => {
  it('is stopped after the timeout, and nothing passes', async () => {
    const file = join(tmp, 'hang.c');
    writeFileSync(file, generateProbe(fixtureModel(), undefined, { includes: [FIXTURE_HEADER] }).text);
    const hang = script('hang-cc', 'sleep 8');
    const t0 = Date.now();
    const v = await verifyProbe(file, hang, [], { timeoutMs: 500 });
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(v.ok).toBe(false);
    expect(v.compilerFailure?.message).toBe(`${hang} did not finish in 0.5 s (killed); nothing was verified`);
    expect(v.results.filter((r) => r.status === 'pass')).toEqual([]);
  }, 30_000);
});
