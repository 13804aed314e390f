// Writing outputs as a user meets it: stdout that goes away or fails, `-o` files that cannot be
// written, and `-o` naming a symlink, a FIFO or a descriptor. Expected behaviour comes from the
// tools users compare portabi with: cat and grep under `| head` (SIGPIPE: status 128 + 13 = 141
// in the shell), `sed -i --follow-symlinks`, and a shell's `>` redirection into a FIFO.
import { spawn, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'portabi.js');
const tmp = mkdtempSync(join(tmpdir(), 'portabi-write-'));

function portabi(...args: string[]) {
  const r = spawnSync('node', [bin, ...args], { encoding: 'utf8', cwd: tmp });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** `sh -c script` in the scratch directory, with $PORTABI set to the command. */
function sh(script: string) {
  const r = spawnSync('bash', ['-c', script], { encoding: 'utf8', cwd: tmp, env: { ...process.env, PORTABI: `node ${bin}` } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Files whose name ends in .tmp under `dir` (what a failed atomic write must not leave). */
const temps = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.tmp'));

// A small header, and one whose model is far larger than a pipe's buffer (64 KiB on Linux) and
// than the 1 KiB file-size limit used below to make a write fail midway.
const small = 'small.h'; // relative to tmp, the commands' working directory
const big = 'big.h';

beforeAll(() => {
  // Emit dist/ from the current sources (type errors elsewhere do not stop the emit).
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
  writeFileSync(join(tmp, small), 'struct point { int x; int y; };\n#define ANSWER 42\n');
  writeFileSync(join(tmp, big), Array.from({ length: 2000 }, (_, i) => `struct s${i} { int a; char b; };\n#define M${i} ${i}\n`).join(''));
});

describe('standard output', () => {
  it('the reader goes away (| head): stops quietly with status 141, as cat does', () => {
    // cat, killed by SIGPIPE: the shell reports 128 + 13. portabi mimics it.
    const c = sh('cat big.h big.h big.h big.h big.h big.h big.h big.h | head -c 1 >/dev/null; echo "status ${PIPESTATUS[0]}"');
    expect(c.out.trim()).toBe('status 141');
    const r = sh('$PORTABI dump big.h | head -c 1 >/dev/null; echo "status ${PIPESTATUS[0]}"');
    expect(r.out.trim()).toBe('status 141');
    expect(r.err).toBe('');
  });

  it('a write error (file size limit): one line naming standard output, exit 2', () => {
    // `ulimit -f 1`: files may not grow past 1 KiB; SIGXFSZ ignored, so write() fails with EFBIG.
    const r = sh('trap "" XFSZ; ulimit -f 1; $PORTABI dump big.h --no-cache > stdout.json; echo "status $?"');
    expect(r.out.trim()).toBe('status 2');
    expect(r.err).toBe('portabi: cannot write to standard output: file too large\n');
  });
});

describe('-o FILE that cannot be written', () => {
  it('a missing directory: the user path, a plain reason, exit 2, no temp file', () => {
    const r = portabi('dump', small, '-o', 'nodir/x.json');
    expect(r.code).toBe(2);
    expect(r.err).toBe('nodir/x.json: error: cannot write: no such file or directory\n');
    expect(temps(tmp)).toEqual([]);
  });

  it('a path under a regular file', () => {
    writeFileSync(join(tmp, 'plain'), 'x');
    const r = portabi('dump', small, '-o', 'plain/x.json');
    expect(r.code).toBe(2);
    expect(r.err).toBe('plain/x.json: error: cannot write: not a directory\n');
    expect(temps(tmp)).toEqual([]);
  });

  it('a directory', () => {
    mkdirSync(join(tmp, 'adir'), { recursive: true });
    const r = portabi('dump', small, '-o', 'adir');
    expect(r.code).toBe(2);
    expect(r.err).toBe('adir: error: cannot write: is a directory\n');
    expect(lstatSync(join(tmp, 'adir')).isDirectory()).toBe(true);
    expect(temps(tmp)).toEqual([]);
  });

  it('a write failing midway (file size limit): the old file intact, no temp file', () => {
    const d = join(tmp, 'efbig');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'out.json'), 'old\n');
    const r = sh('trap "" XFSZ; ulimit -f 1; $PORTABI dump big.h --no-cache -o efbig/out.json; echo "status $?"');
    expect(r.out.trim()).toBe('status 2');
    expect(r.err).toBe('efbig/out.json: error: cannot write: file too large\n');
    expect(readFileSync(join(d, 'out.json'), 'utf8')).toBe('old\n');
    expect(temps(d)).toEqual([]);
  });

  it('probe -o failing midway leaves no truncated probe and no temp file', () => {
    const d = join(tmp, 'probe-efbig');
    mkdirSync(d, { recursive: true });
    const r = sh('trap "" XFSZ; ulimit -f 1; $PORTABI probe big.h -o probe-efbig/probe.c; echo "status $?"');
    expect(r.out.trim()).toBe('status 2');
    expect(r.err).toBe('probe-efbig/probe.c: error: cannot write: file too large\n');
    expect(readdirSync(d)).toEqual([]);
  });

  it('probe -o into a missing directory: located error, exit 2', () => {
    const r = portabi('probe', small, '-o', 'nodir/probe.c');
    expect(r.code).toBe(2);
    expect(r.err).toBe('nodir/probe.c: error: cannot write: no such file or directory\n');
  });
});

describe('-o naming something other than a regular file', () => {
  it('a symlink (two hops) is followed: its target is replaced, the links stay', () => {
    const d = join(tmp, 'links');
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'real.json'), '{}\n');
    symlinkSync('real.json', join(d, 'link.json'));
    symlinkSync('link.json', join(d, 'link2.json'));
    const r = portabi('dump', small, '-o', 'links/link2.json');
    expect(r.code, r.err).toBe(0);
    expect(lstatSync(join(d, 'link2.json')).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(d, 'link.json')).isSymbolicLink()).toBe(true);
    expect(readFileSync(join(d, 'real.json'), 'utf8')).toBe(portabi('dump', small).out);
    expect(temps(d)).toEqual([]);
  });

  it('a FIFO is written to, not replaced', async () => {
    const fifo = join(tmp, 'fifo');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    // The reader: a shell's `cat fifo`, given 20 s (without the fix it would wait for ever).
    const reader = spawn('timeout', ['20', 'cat', fifo], { stdio: ['ignore', 'pipe', 'inherit'] });
    let got = '';
    reader.stdout.setEncoding('utf8').on('data', (d: string) => (got += d));
    const closed = new Promise((res) => reader.on('close', res));
    const r = await new Promise<number | null>((res) => spawn('node', [bin, 'dump', small, '-o', fifo], { cwd: tmp, stdio: 'ignore' }).on('close', res));
    await closed;
    expect(r).toBe(0);
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(got).toBe(portabi('dump', small).out);
    expect(temps(tmp)).toEqual([]);
  }, 60_000);

  it('a descriptor (/dev/fd/1) is written to: the output arrives on stdout', () => {
    const r = portabi('dump', small, '-o', '/dev/fd/1');
    expect(r.code, r.err).toBe(0);
    expect(r.out).toBe(portabi('dump', small).out);
    expect(r.out).toContain('"ANSWER"');
  });

  it('a descriptor redirected to a file continues what the shell wrote before', () => {
    const r = sh('{ echo PREFIX; $PORTABI dump small.h -o /dev/fd/1; } > fd.json; echo "status $?"');
    expect(r.out.trim()).toBe('status 0');
    expect(readFileSync(join(tmp, 'fd.json'), 'utf8')).toBe(`PREFIX\n${portabi('dump', small).out}`);
  });
});
