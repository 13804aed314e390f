// The command line as a user meets it: exit codes, located diagnostics, and numbers the
// compilers confirm (probe --verify-with compiles portabi's claims with clang and gcc).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
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

  it('malformed C: every error located (file:line:col), exit 2, no model written', () => {
    // clang-19 -fsyntax-only rejects this file (expected ';' at end of declaration list).
    const f = join(tmp, 'bad.h');
    writeFileSync(f, 'struct s { int x\nint ok(void);\n');
    const out = join(tmp, 'bad.json');
    for (const cmd of [['dump', f], ['dump', f, '-o', out], ['eval', 'sizeof(struct s)', f], ['explain', 'ok', f]]) {
      const r = portabi(...cmd);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toMatch(new RegExp(`${f.replace(/[.]/g, '\\.')}:\\d+:\\d+: error: `));
    }
    expect(existsSync(out)).toBe(false);
  });

  it('sizes clang rejects: its three errors at its places, exit 2, no model', () => {
    // clang-19 -fsyntax-only -target x86_64-linux-gnu on this file prints exactly these.
    const f = join(tmp, 'sizes.h');
    writeFileSync(f, 'struct s { char a[-1]; int x:99; };\nchar big[0x7fffffffffffffff];\n');
    const r = portabi('dump', f, '-t', 'x86_64-unknown-linux-gnu');
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err.split('\n').filter((l) => l.includes(': error: '))).toEqual([
      `${f}:1:19: error: 'a' declared as an array with a negative size`,
      `${f}:1:28: error: width of bit-field 'x' (99 bits) exceeds the width of its type (32 bits)`,
      `${f}:2:10: error: array is too large (9223372036854775807 elements)`,
    ]);
  });

  it('eval of text that is a macro bomb: not evaluable, exit 2 (not the empty text it leaves)', () => {
    // E(E(1)) doubles 1 2^16 times: 65,536 tokens at E(1)'s level, then 2^(2^16)... far past any budget.
    const f = join(tmp, 'bomb-defs.h');
    writeFileSync(f, '#define A(x) x x\n#define B(x) A(A(x))\n#define C(x) B(B(x))\n#define D(x) C(C(x))\n#define E(x) D(D(x))\nint y;\n');
    const r = portabi('eval', 'E(E(1))', f); // before the budget: minutes and gigabytes
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/'E\(E\(1\)\)' is not evaluable: expansion of macro 'E' exceeds \d+ tokens/);
  });

  it('#error and a missing #include: errors, exit 2; preprocess still prints its output, as cc -E does', () => {
    const f = join(tmp, 'err.h');
    writeFileSync(f, 'int before;\n#error stop here\nint after;\n');
    const d = portabi('dump', f);
    expect(d.code).toBe(2);
    expect(d.out).toBe('');
    expect(d.err).toContain(`${f}:2:2: error: #error stop here`); // gcc's wording
    const g = join(tmp, 'noinc.h');
    writeFileSync(g, 'int before;\n#include <portabi-no-such-header.h>\n');
    const n = portabi('dump', g);
    expect(n.code).toBe(2);
    expect(n.out).toBe('');
    expect(n.err).toMatch(new RegExp(`${g.replace(/[.]/g, '\\.')}:2:10: fatal: 'portabi-no-such-header\\.h' file not found`)); // clang-19's words
    const p = portabi('preprocess', '-P', f);
    expect(p.code).toBe(2);
    expect(p.out.split('\n').filter(Boolean)).toEqual(['int before;', 'int after;']); // clang-19 -E -P prints both
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

  it('check and diff on headers with an error: the error, exit 2 (not 1: no findings are made up from a broken model)', () => {
    const headers = [join(ex, 'include/pthread.h')];
    const profile = join(tmp, 'err-profile.yaml');
    expect(portabi('profile', 'extract', ...headers, ...exampleFlags('sim'), '--name', 'sim', '-o', profile).code).toBe(0);
    const bad = join(tmp, 'broken.h');
    writeFileSync(bad, '#include <pthread.h>\n#error broken configuration\n');
    for (const more of [[], ['--config-matrix', join(ex, 'configs')]]) {
      const r = portabi('check', bad, '-I', join(ex, 'include'), '-t', 'thumbv7em-none-eabi', '--profile', profile, ...more);
      expect(r.code).toBe(2);
      expect(r.out).toBe('');
      expect(r.err).toContain(`${bad}:2:2: error: #error broken configuration`);
    }
    for (const side of ['old', 'new']) {
      mkdirSync(join(tmp, 'diff-err', side), { recursive: true });
      writeFileSync(join(tmp, 'diff-err', side, 'a.h'), side === 'new' ? 'struct s { int x; };\n#error new side broken\n' : 'struct s { int x; };\n');
    }
    const d = portabi('diff', join(tmp, 'diff-err', 'old'), join(tmp, 'diff-err', 'new'), '-t', 'x86_64-unknown-linux-gnu', '--no-cache');
    expect(d.code).toBe(2);
    expect(d.out).toBe('');
    expect(d.err).toContain('a.h:2:2: error: #error new side broken');
  });
});

// The README's first Quick start command: the example checked against what the Rust libc crate
// (Debian's librust-libc-dev) assumes for arm-unknown-linux-gnueabihf. Every finding is one the
// example seeds (examples/nuttx-like/README.md, "What the check finds"), nothing else.
const REGISTRY = '/usr/share/cargo/registry';
const libcCrate = existsSync(REGISTRY)
  ? readdirSync(REGISTRY).filter((d) => /^libc-0\.2\.\d+$/.test(d)).sort((a, b) => Number(a.split('.').pop()) - Number(b.split('.').pop())).map((d) => join(REGISTRY, d)).pop()
  : undefined;

describe.skipIf(!libcCrate)('the example against the Rust libc crate (arm-unknown-linux-gnueabihf)', () => {
  const rel = (h: string) => `examples/nuttx-like/include/${h}`;
  const headers = ['errno.h', 'fcntl.h', 'pthread.h', 'semaphore.h', 'time.h', 'sys/ioctl.h', 'sys/socket.h', 'sys/types.h'].map(rel);
  const profile = join(tmp, 'rust-libc-arm.yaml');
  const check = (config: string, ...more: string[]) =>
    portabi('check', ...headers, '-I', 'examples/nuttx-like/include', '--config', `examples/nuttx-like/configs/${config}.config`, '-t', 'thumbv7em-none-eabi', '--profile', profile, ...more);

  beforeAll(() => {
    const r = portabi('profile', 'from-rust-libc', libcCrate!, '-t', 'arm-unknown-linux-gnueabihf', '-o', profile);
    expect(r.code, r.err).toBe(0);
  });

  // [item, field, kind, expected (the crate: Linux on 32-bit Arm), actual (the headers), file:line]
  // Expected: Linux's values, confirmed by clang-19 on glibc armhf below. Actual: by hand from the
  // example's headers for the stm32 defconfig on a Cortex-M4 (ILP32, AAPCS):
  //   O_* are NuttX's separate bits (1 << n); SOCK_CLOEXEC/SOCK_NONBLOCK are O_CLOEXEC/O_NONBLOCK;
  //   SOL_SOCKET and SO_* are numbered from 0; FIO* are _IOC(0x0200, n) = 512 + n;
  //   pid_t and pthread_t are int16_t (2 bytes); time_t is int64_t (8 bytes, align 8), so
  //   struct timespec { time_t @0; long @8 } is 16 bytes, align 8;
  //   stm32: CONFIG_PRIORITY_INHERITANCE with CONFIG_SEM_PREALLOCHOLDERS=4 defines
  //   CONFIG_SEM_HOLDER_LIST, so struct semholder_s { ptr, ptr, int16 } is 12 bytes and
  //   sem_t { int16 @0, uint8 @2, holder @4 } 16 bytes, align 4;
  //   pthread_mutex_t { ptr @0, sem_t @4, pid_t @20, uint8 type @22, int16 nlocks @24 } = 28;
  //   its initializer {NULL, {1, SEM_PRIO_INHERIT, {NULL, NULL, 0}}, -1, 0, 0} is
  //   00000000 | 0100 01 00 | 00000000 00000000 0000 0000 | ffff 00 00 | 0000 0000;
  //   pthread_cond_t { sem_t @0, clockid_t @16 } = 20 bytes, align 4, initialized
  //   {{0, 1, {NULL, NULL, 0}}, CLOCK_REALTIME};
  //   pthread_attr_t { 4 × uint8, ptr @4, size_t @8 } = 12; pthread_mutexattr_t: bit-fields in
  //   one uint8_t, 1 byte; struct sockaddr_storage with CONFIG_NET_IPv6: SS_MAXSIZE 28.
  const z = (bytes: number) => '00'.repeat(bytes);
  const SEEDED: [string, string | null, string, string, string, string][] = [
    ['ENOTSUP', null, 'value', '95', '38', 'errno.h:20'],
    ['FIOCLEX', null, 'value', '21585', '513', 'sys/ioctl.h:17'],
    ['FIONBIO', null, 'value', '21537', '515', 'sys/ioctl.h:19'],
    ['FIONCLEX', null, 'value', '21584', '514', 'sys/ioctl.h:18'],
    ['FIONREAD', null, 'value', '21531', '516', 'sys/ioctl.h:20'],
    ['O_APPEND', null, 'value', '1024', '16', 'fcntl.h:11'],
    ['O_CLOEXEC', null, 'value', '524288', '1024', 'fcntl.h:17'],
    ['O_CREAT', null, 'value', '64', '4', 'fcntl.h:9'],
    ['O_DIRECT', null, 'value', '65536', '512', 'fcntl.h:16'],
    ['O_EXCL', null, 'value', '128', '8', 'fcntl.h:10'],
    ['O_NOCTTY', null, 'value', '256', '0', 'fcntl.h:18'],
    ['O_NONBLOCK', null, 'value', '2048', '64', 'fcntl.h:13'],
    ['O_RDONLY', null, 'value', '0', '1', 'fcntl.h:6'],
    ['O_RDWR', null, 'value', '2', '3', 'fcntl.h:8'],
    ['O_SYNC', null, 'value', '1052672', '128', 'fcntl.h:14'],
    ['O_TRUNC', null, 'value', '512', '32', 'fcntl.h:12'],
    ['O_WRONLY', null, 'value', '1', '2', 'fcntl.h:7'],
    ['PTHREAD_COND_INITIALIZER', null, 'bytes', z(48), '0000' + '0100' + z(12) + '00000000', 'pthread.h:57'],
    ['PTHREAD_MUTEX_ERRORCHECK', null, 'value', '2', '1', 'pthread.h:9'],
    ['PTHREAD_MUTEX_INITIALIZER', null, 'bytes', z(24), '00000000' + '01000100' + z(8) + '00000000' + 'ffff0000' + '00000000', 'pthread.h:45'],
    ['PTHREAD_MUTEX_RECURSIVE', null, 'value', '1', '2', 'pthread.h:10'],
    ['PTHREAD_STACK_MIN', null, 'value', '16384', '256', 'pthread.h:16'],
    ['SOCK_CLOEXEC', null, 'value', '524288', '1024', 'sys/socket.h:19'],
    ['SOCK_NONBLOCK', null, 'value', '2048', '64', 'sys/socket.h:20'],
    ['SOL_SOCKET', null, 'value', '1', '0', 'sys/socket.h:23'],
    ['SO_ACCEPTCONN', null, 'value', '30', '0', 'sys/socket.h:24'],
    ['SO_BROADCAST', null, 'value', '6', '1', 'sys/socket.h:25'],
    ['SO_DEBUG', null, 'value', '1', '2', 'sys/socket.h:26'],
    ['SO_DONTROUTE', null, 'value', '5', '3', 'sys/socket.h:27'],
    ['SO_KEEPALIVE', null, 'value', '9', '5', 'sys/socket.h:29'],
    ['SO_LINGER', null, 'value', '13', '6', 'sys/socket.h:30'],
    ['SO_OOBINLINE', null, 'value', '10', '7', 'sys/socket.h:31'],
    ['SO_RCVLOWAT', null, 'value', '18', '9', 'sys/socket.h:33'],
    ['SO_RCVTIMEO', null, 'value', '20', '10', 'sys/socket.h:34'],
    ['SO_REUSEADDR', null, 'value', '2', '11', 'sys/socket.h:35'],
    ['SO_SNDBUF', null, 'value', '7', '12', 'sys/socket.h:36'],
    ['SO_SNDLOWAT', null, 'value', '19', '13', 'sys/socket.h:37'],
    ['SO_SNDTIMEO', null, 'value', '21', '14', 'sys/socket.h:38'],
    ['SO_TYPE', null, 'value', '3', '15', 'sys/socket.h:39'],
    ['ioctl', null, 'signature', 'int ioctl(int, unsigned long, ...)', 'int ioctl(int, int, ...)', 'sys/ioctl.h:22'],
    ['pid_t', null, 'align', '4', '2', 'sys/types.h:20'],
    ['pid_t', null, 'size', '4', '2', 'sys/types.h:20'],
    ['pthread_attr_t', null, 'size', '36', '12', 'pthread.h:68'],
    ['pthread_cond_t', null, 'align', '8', '4', 'pthread.h:56'],
    ['pthread_cond_t', null, 'size', '48', '20', 'pthread.h:56'],
    ['pthread_mutex_t', null, 'size', '24', '28', 'pthread.h:42'],
    ['pthread_mutexattr_t', null, 'align', '4', '1', 'pthread.h:30'],
    ['pthread_mutexattr_t', null, 'size', '4', '1', 'pthread.h:30'],
    ['pthread_t', null, 'align', '4', '2', 'pthread.h:19'],
    ['pthread_t', null, 'size', '4', '2', 'pthread.h:19'],
    ['struct sockaddr_storage', null, 'size', '128', '28', 'sys/socket.h:60'],
    ['struct timespec', null, 'align', '4', '8', 'time.h:9'],
    ['struct timespec', null, 'size', '8', '16', 'time.h:9'],
    ['struct timespec', 'tv_nsec', 'offset', '4', '8', 'time.h:9'],
    ['struct timespec', 'tv_sec', 'field-size', '32', '64', 'time.h:9'],
    ['time_t', null, 'align', '4', '8', 'sys/types.h:26'],
    ['time_t', null, 'size', '4', '8', 'sys/types.h:26'],
  ];

  it('reports exactly the seeded mismatches, each at its header line (stm32)', () => {
    const r = check('stm32', '--scope', 'headers', '--format', 'json');
    expect(r.code, r.err).toBe(1);
    const report = JSON.parse(r.out) as { scope: { scope: string; checked: number; notInHeaders: number }; findings: { item: string; field: string | null; kind: string; severity: string; expected: string; actual: string; loc: string }[] };
    const got = report.findings.map((f) => [f.item, f.field, f.kind, f.expected, f.actual, f.loc.replace(/^examples\/nuttx-like\/include\/(.*):(\d+):\d+$/, '$1:$2')]);
    expect(got).toEqual(SEEDED);
    expect(report.findings.every((f) => f.severity === 'error')).toBe(true);
    // The rest of the crate's 5000-odd items are not in these headers: counted, not findings.
    expect(report.scope.scope).toBe('headers');
    expect(report.scope.notInHeaders).toBeGreaterThan(5000);
    expect(report.scope.checked).toBeGreaterThan(SEEDED.length);
  });

  it('the text report names each mismatch at file:line and ends with the scope line', () => {
    const r = check('stm32', '--scope', 'headers');
    expect(r.out).toContain('examples/nuttx-like/include/sys/socket.h:35:9: error: value of SO_REUSEADDR: profile 2, headers 11 (int) [value]');
    expect(r.out).toContain('examples/nuttx-like/include/pthread.h:42:32: error: size of pthread_mutex_t: profile 24, headers 28 bytes [size]');
    expect(r.out).toMatch(/: 57 errors, 0 warnings, 0 notes\nchecked \d+ profile items the headers define; \d+ others not defined in them, not checked \(--scope headers\)\n$/);
  });

  it('without --scope headers every crate item the example lacks is missing', () => {
    const r = spawnSync('node', [join(root, 'bin', 'portabi.js'), 'check', ...headers, '-I', 'examples/nuttx-like/include', '--config', 'examples/nuttx-like/configs/stm32.config', '-t', 'thumbv7em-none-eabi', '--profile', profile, '--format', 'json'], {
      encoding: 'utf8',
      cwd: root,
      maxBuffer: 1 << 28,
    });
    expect(r.status, r.stderr).toBe(1);
    const findings = (JSON.parse(r.stdout) as { findings: { kind: string; item: string }[] }).findings;
    expect(findings.filter((f) => f.kind === 'missing').length).toBeGreaterThan(5000);
    expect(findings.some((f) => f.kind === 'missing' && f.item === 'EPOLLET')).toBe(true);
  });

  it('sim: the mutex and condition variable are smaller, sem_t differs too, the other seeds the same', () => {
    // sim: no priority inheritance, no mutex types: sem_t { int16, uint8 } = 4 bytes, align 2,
    // where glibc armhf's is 16 bytes, align 4 (stm32's 16-byte sem_t happens to agree);
    // pthread_mutex_t { ptr @0, sem_t @4, pid_t @8 } = 12; initializer {NULL, {1, 0}, -1}:
    // 00000000 | 0100 00 00 | ffff 0000. pthread_cond_t { sem_t @0, clockid_t @4 } = 8;
    // sockaddr_storage without IPv6: SS_MAXSIZE 16.
    const r = check('sim', '--scope', 'headers', '--format', 'json');
    const f = (JSON.parse(r.out) as { findings: { item: string; field: string | null; kind: string; expected: string; actual: string }[] }).findings;
    const changed = new Map([
      ['PTHREAD_COND_INITIALIZER/bytes', [z(48), z(8)]],
      ['PTHREAD_MUTEX_INITIALIZER/bytes', [z(24), '00000000' + '01000000' + 'ffff0000']],
      ['pthread_cond_t/size', ['48', '8']],
      ['pthread_mutex_t/size', ['24', '12']],
      ['struct sockaddr_storage/size', ['128', '16']],
    ]);
    const expected = SEEDED.map(([item, field, kind, e, a]) => [item, field, kind, ...(changed.get(`${item}/${kind}`) ?? [e, a])]);
    const at = expected.findIndex(([item]) => item === 'struct sockaddr_storage');
    expected.splice(at, 0, ['sem_t', null, 'align', '4', '2'], ['sem_t', null, 'size', '16', '4']);
    expect(f.map((x) => [x.item, x.field, x.kind, x.expected, x.actual])).toEqual(expected);
  });

  it.skipIf(!existsSync('/usr/arm-linux-gnueabihf/include/sys/socket.h'))("the crate's values are glibc armhf's (clang-19)", () => {
    // The expected column is Linux on 32-bit Arm: clang-19 confirms it on glibc's own headers.
    const src = join(tmp, 'linux-armhf.c');
    const asserts = SEEDED.flatMap(([item, field, kind, e]) => {
      if (kind === 'value') return [`_Static_assert((${item}) == ${e}, "${item}");`];
      if (kind === 'size') return [`_Static_assert(sizeof(${item}) == ${e}, "sizeof ${item}");`];
      if (kind === 'align') return [`_Static_assert(_Alignof(${item}) == ${e}, "alignof ${item}");`];
      if (kind === 'offset') return [`_Static_assert(__builtin_offsetof(${item}, ${field}) == ${e}, "offsetof ${item}.${field}");`];
      if (kind === 'field-size') return [`_Static_assert(sizeof(((${item} *)0)->${field}) * 8 == ${e}, "bits ${item}.${field}");`];
      if (kind === 'signature') return [`_Static_assert(_Generic(&ioctl, int (*)(int, unsigned long, ...): 1, default: 0), "ioctl");`];
      if (kind === 'bytes') return [`_Static_assert(sizeof(${item === 'PTHREAD_MUTEX_INITIALIZER' ? 'pthread_mutex_t' : 'pthread_cond_t'}) == ${e.length / 2}, "${item}");`];
      return [];
    });
    // O_DIRECT needs _GNU_SOURCE; PTHREAD_STACK_MIN is then a sysconf() call (glibc >= 2.34): the
    // crate has the static value, which is glibc's without it, so that one is checked apart.
    const includes = ['#include <errno.h>', '#include <fcntl.h>', '#include <limits.h>', '#include <pthread.h>', '#include <time.h>', '#include <sys/ioctl.h>', '#include <sys/socket.h>', '#include <sys/types.h>'];
    const stackMin = asserts.filter((a) => a.includes('PTHREAD_STACK_MIN'));
    const src2 = join(tmp, 'linux-armhf-stack-min.c');
    writeFileSync(src, ['#define _GNU_SOURCE', ...includes, ...asserts.filter((a) => !stackMin.includes(a)), ''].join('\n'));
    writeFileSync(src2, [...includes, ...stackMin, ''].join('\n'));
    expect(asserts.length).toBe(SEEDED.length);
    for (const f of [src, src2]) {
      execFileSync('clang-19', ['-target', 'armv7-unknown-linux-gnueabihf', '-nostdinc', '-isystem', '/usr/lib/llvm-19/lib/clang/19/include', '-isystem', '/usr/arm-linux-gnueabihf/include', '-fsyntax-only', f], { stdio: 'pipe' });
    }
  });
});
