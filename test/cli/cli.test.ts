// The command line as a user meets it: exit codes, located diagnostics, and numbers the
// compilers confirm (probe --verify-with compiles portabi's claims with clang and gcc).
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const ex = join(root, 'examples', 'nuttx-like');
const tmp = mkdtempSync(join(tmpdir(), 'portabi-cli-'));

function portabi(...args: string[]) {
  const r = spawnSync('node', [join(root, 'bin', 'portabi.js'), ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const exampleHeaders = ['include/pthread.h', 'include/sys/socket.h', 'include/sys/ioctl.h', 'include/errno.h'].map((h) => join(ex, h));
const exampleFlags = (config: string) => ['-I', join(ex, 'include'), '--config', join(ex, 'configs', `${config}.config`), '-t', 'thumbv7em-none-eabi'];

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
});

describe('portabi CLI', () => {
  it('exits 2 with a located diagnostic for a missing header', () => {
    const r = portabi('dump', 'no-such.h');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^no-such\.h:1:1: fatal: /m);
    expect(r.out).toBe('');
  });

  it('exits 2 for an unknown target and lists the known ones', () => {
    const r = portabi('dump', join(ex, 'include/errno.h'), '-t', 'no-such-target');
    expect(r.code).toBe(2);
    expect(r.err).toContain('thumbv7em-none-eabi');
  });

  it('exits 2 on an include cycle, with the location', () => {
    const f = join(tmp, 'cycle.h');
    writeFileSync(f, '#include "cycle.h"\n');
    const r = portabi('preprocess', f);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${f}:1:`);
    expect(r.err).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('keeps going on malformed C: diagnostics with file:line:col, exit 0', () => {
    const f = join(tmp, 'bad.h');
    writeFileSync(f, 'struct s { int x\nint ok(void);\n');
    const r = portabi('dump', f);
    expect(r.code).toBe(0);
    expect(r.err).toMatch(new RegExp(`${f.replace(/[.]/g, '\\.')}:\\d+:\\d+: error: `));
  });

  it('evaluates an ioctl number composed by function-like macros', () => {
    // _IOC(_FIOCBASE, 0x0001) = 0x0200 | 0x0001 = 513, an int (hand-derived from sys/ioctl.h).
    const r = portabi('eval', 'FIOCLEX', join(ex, 'include/sys/ioctl.h'), ...exampleFlags('sim'));
    expect(r.code).toBe(0);
    expect(r.out.trim()).toBe('FIOCLEX = 513 (int)');
  });

  it('explains which CONFIG_ option chose an initializer', () => {
    const r = portabi('explain', 'PTHREAD_MUTEX_INITIALIZER', ...exampleHeaders, ...exampleFlags('stm32'));
    expect(r.code).toBe(0);
    expect(r.out).toContain('CONFIG_ options: CONFIG_PTHREAD_MUTEX_TYPES');
    expect(r.out).toMatch(/SEM_INITIALIZER {2}\(.*semaphore\.h:\d+:\d+\)/);
  });

  for (const config of ['sim', 'stm32']) {
    for (const cc of [
      ['clang-19', '-target', 'thumbv7em-none-eabi', '-mcpu=cortex-m4', '-mfloat-abi=soft', '-fshort-enums'],
      ['arm-none-eabi-gcc', '-mcpu=cortex-m4', '-mthumb'],
    ]) {
      it(`every number of the example (${config}) is confirmed by ${cc[0]}`, () => {
        const out = join(tmp, `probe-${config}-${cc[0]}.c`);
        const r = portabi('probe', ...exampleHeaders, ...exampleFlags(config), '-o', out, '--verify-with', ...cc);
        const m = /^(\d+)\/(\d+) checks passed$/m.exec(r.out);
        expect(m, r.out + r.err).not.toBeNull();
        expect(Number(m![2])).toBeGreaterThan(100);
        expect(m![1]).toBe(m![2]);
        expect(r.code).toBe(0);
      });
    }
  }

  it('writes output files atomically and deterministically', () => {
    const a = join(tmp, 'a.json');
    const b = join(tmp, 'b.json');
    expect(portabi('dump', ...exampleHeaders, ...exampleFlags('stm32'), '-o', a).code).toBe(0);
    expect(portabi('dump', ...exampleHeaders, ...exampleFlags('stm32'), '-o', b).code).toBe(0);
    expect(execFileSync('cmp', [a, b]).length).toBe(0);
  });

  it('--config-matrix shows which defconfig changes which item', () => {
    // A profile of the sim configuration, checked under both defconfigs. By hand from the
    // headers: CONFIG_PRIORITY_INHERITANCE adds a pointer-holding member to sem_t (size and
    // alignment change), CONFIG_PTHREAD_MUTEX_TYPES inserts `type` before `proto` in
    // pthread_mutexattr_s and grows the mutex initializer; socket options do not depend on config.
    const headers = ['include/pthread.h', 'include/sys/socket.h'].map((h) => join(ex, h));
    const profile = join(tmp, 'sim-profile.yaml');
    expect(portabi('profile', 'extract', ...headers, ...exampleFlags('sim'), '--name', 'sim', '-o', profile).code).toBe(0);
    const r = portabi('check', ...headers, '-I', join(ex, 'include'), '--profile', profile, '--config-matrix', join(ex, 'configs'));
    expect(r.code).toBe(1);
    const row = (item: string) => r.out.split('\n').find((l) => l.startsWith(`| ${item} |`));
    expect(row('sem_t (size)')).toBe('| sem_t (size) | ok | breaks |');
    expect(row('sem_t (align)')).toBe('| sem_t (align) | ok | breaks |');
    expect(row('pthread_mutexattr_t.proto (offset)')).toBe('| pthread_mutexattr_t.proto (offset) | ok | breaks |');
    expect(row('PTHREAD_MUTEX_INITIALIZER (bytes)')).toBe('| PTHREAD_MUTEX_INITIALIZER (bytes) | ok | breaks |');
    expect(row('SO_REUSEADDR (value)')).toBeUndefined();
  });
});
