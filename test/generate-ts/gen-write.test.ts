// `portabi gen` writing its outputs: all or nothing, located errors (exit 2) for a path that
// cannot be written, headers the compiler rejects, and a `-c` file that does not exist.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGen } from '../../src/generate/ts/gen.js';

const root = join(import.meta.dirname, '..', '..');
const base = mkdtempSync(join(tmpdir(), 'portabi-gen-write-'));
const rel = (p: string): string => relative(process.cwd(), p) || p;
const temps = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.tmp'));

/** A project directory: api.h and a portabi.yaml with a TypeScript output at each path. */
function project(name: string, outputs: string[], header = 'int add(int a, int b);\n', headers = '[api.h]'): string {
  const dir = join(base, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'api.h'), header);
  const outs = outputs.map((p) => `  - lang: ts\n    path: ${p}\n    library: ./libapi.so\n`).join('');
  writeFileSync(join(dir, 'portabi.yaml'), `headers: ${headers}\noutputs:\n${outs}`);
  return dir;
}

describe('gen -c', () => {
  it('a config file that does not exist is an error, not a reason to use the portabi.yaml above it', () => {
    const dir = project('c-missing', ['out/a.ts']);
    const r = runGen(join(dir, 'nope.yaml'));
    expect(r.exitCode).toBe(2);
    expect(r.messages).toEqual([`${join(dir, 'nope.yaml')}: error: no such file`]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('from the command line: the name as given, exit 2', () => {
    const dir = project('c-missing-cli', ['out/a.ts']);
    spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
    const r = spawnSync('node', [join(root, 'bin', 'portabi.js'), 'gen', '-c', 'nope.yaml'], { cwd: dir, encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('nope.yaml: error: no such file\n');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});

describe('gen writes every output or none', () => {
  it('the second output cannot be written (its parent is a file): exit 2, located, the first not written', () => {
    const dir = project('two-phase', ['out/a.ts', 'plain/b.ts']);
    writeFileSync(join(dir, 'plain'), 'a regular file\n');
    const r = runGen(dir);
    expect(r.exitCode).toBe(2);
    expect(r.messages).toEqual([`${rel(join(dir, 'plain/b.ts'))}: error: cannot write: not a directory`]);
    expect(existsSync(join(dir, 'out'))).toBe(false); // neither out/a.ts nor the directory made for it
    expect(temps(dir)).toEqual([]);
  });

  it('an earlier output that exists keeps its old text when a later one fails', () => {
    const dir = project('two-phase-old', ['a.ts', 'b.ts']);
    writeFileSync(join(dir, 'a.ts'), '// old\n');
    mkdirSync(join(dir, 'b.ts'));
    const r = runGen(dir);
    expect(r.exitCode).toBe(2);
    expect(r.messages).toEqual([`${rel(join(dir, 'b.ts'))}: error: cannot write: is a directory`]);
    expect(readFileSync(join(dir, 'a.ts'), 'utf8')).toBe('// old\n');
    expect(temps(dir)).toEqual([]);
  });

  it('an output path that is a directory: a located error, exit 2 (also with --check)', () => {
    const dir = project('is-dir', ['out.ts']);
    mkdirSync(join(dir, 'out.ts'));
    const r = runGen(dir);
    expect(r.exitCode).toBe(2);
    expect(r.messages).toEqual([`${rel(join(dir, 'out.ts'))}: error: cannot write: is a directory`]);
    const c = runGen(dir, { check: true });
    expect(c.exitCode).toBe(2);
    expect(c.messages).toEqual([`${rel(join(dir, 'out.ts'))}: error: cannot read: is a directory`]);
  });

  it('an output whose parent is a regular file: a located error, exit 2', () => {
    const dir = project('parent-file', ['gen/out.ts']);
    writeFileSync(join(dir, 'gen'), 'x');
    const r = runGen(dir);
    expect(r.exitCode).toBe(2);
    expect(r.messages).toEqual([`${rel(join(dir, 'gen/out.ts'))}: error: cannot write: not a directory`]);
  });
});

describe('gen on headers the compiler rejects writes nothing, exit 2', () => {
  it('#error', () => {
    const dir = project('hash-error', ['out/a.ts'], 'int add(int a, int b);\n#error not configured\n');
    const r = runGen(dir);
    expect(r.exitCode).toBe(2);
    expect(r.messages).toContain(`${join(dir, 'api.h')}:2:2: error: #error not configured`); // gcc's and clang's wording
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a missing #include', () => {
    const dir = project('missing-include', ['out/a.ts'], '#include "portabi-no-such.h"\nint add(int a, int b);\n');
    const r = runGen(dir);
    expect(r.exitCode).toBe(2);
    expect(r.messages.join('\n')).toMatch(/api\.h:1:\d+: (?:error|fatal): 'portabi-no-such\.h' file not found/); // clang's words
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a listed header that does not exist: located where portabi.yaml names it', () => {
    const dir = project('missing-header', ['out/a.ts'], 'int add(int a, int b);\n', '[nope.h]');
    const r = runGen(dir);
    expect(r.exitCode).toBe(2);
    // `headers: [nope.h]`: the name starts at line 1, column 11.
    expect(r.messages).toEqual([`${join(dir, 'portabi.yaml')}:1:11: error: no such file '${join(dir, 'nope.h')}'`]);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });
});
