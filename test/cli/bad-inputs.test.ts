// Input files that are not what they should be: a directory, a FIFO, a device, a file the
// user may not read, a huge file, a binary file, an empty one, a snapshot with a repeated key.
// Each is refused before it is read, with a located message that says why, and exit 2 (usage
// or input error); nothing hangs and nothing is echoed whole. Run through an esbuild bundle of
// the sources (what bin/portabi.js runs after `npm run build`), built privately for this file.
//
// Where the expected behaviour is the compilers' (an #include that names a directory), it was
// checked with clang-19 and gcc: both pass a directory over and search on, and say "file not
// found" when nothing else matches.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type BuildOptions } from 'esbuild';
import { bundleOptions } from '../../scripts/bundle-options.mjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jsonDuplicateKey } from '../../src/check/diff-sides.js';

const root = join(import.meta.dirname, '..', '..');
// Inside the package (its root is found upward from the code), private to this test file.
const outdir = join(root, 'dist', `bundle-bad-inputs-${process.pid}`);
const tmp = mkdtempSync(join(tmpdir(), 'portabi-bad-inputs-'));
const TARGET = 'x86_64-unknown-linux-gnu';

/** Runs as root: `setpriv` to user nobody, so that a mode-000 file is unreadable. */
const asNobody = process.getuid?.() === 0 && spawnSync('setpriv', ['--version']).status === 0;
const canTestPermissions = asNobody || (process.getuid?.() ?? 0) !== 0;

function portabi(args: string[], opts: { nobody?: boolean } = {}) {
  const script = `const { main } = await import(${JSON.stringify(join(outdir, 'cli.js'))}); process.exitCode = await main(process.argv.slice(1));`;
  const node = [process.execPath, '--input-type=module', '-e', script, ...args];
  const cmd = opts.nobody && asNobody ? ['setpriv', '--reuid=nobody', '--regid=nogroup', '--clear-groups', ...node] : node;
  // A timeout and a memory cap: a FIFO read would wait forever, /dev/zero fill memory.
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', cwd: tmp, timeout: 60_000, maxBuffer: 1 << 26, env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=1024' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const snapshotOf = (macros: string) =>
  JSON.stringify({ schemaVersion: 1, target: TARGET, types: {}, constants: {}, initializers: {}, functions: {}, macros: {}, diagnostics: [], ...JSON.parse(macros) });

beforeAll(async () => {
  // scripts/bundle.mjs's build, from the sources.
  await build(bundleOptions({ entry: join(root, 'src', 'cli.ts'), outdir }) as BuildOptions);
  writeFileSync(join(outdir, 'build-id'), `${randomBytes(16).toString('hex')}\n`);

  chmodSync(tmp, 0o755); // user nobody reads it
  writeFileSync(join(tmp, 'ok.h'), '#define X 1\nint x;\n');
  writeFileSync(join(tmp, 'two.h'), '#define X 2\nint x;\n');
  mkdirSync(join(tmp, 'adir'));
  mkdirSync(join(tmp, 'emptydir'));
  execFileSync('mkfifo', [join(tmp, 'fifo')]);
  writeFileSync(join(tmp, 'inc-dir.h'), '#include "adir"\nint y;\n');
  mkdirSync(join(tmp, 'other'));
  writeFileSync(join(tmp, 'other', 'adir'), 'int from_other;\n');
  writeFileSync(join(tmp, 'inc-fifo.h'), '#include "fifo"\n');
  writeFileSync(join(tmp, 'inc-zero.h'), '#include "/dev/zero"\n');
  writeFileSync(join(tmp, 'noperm.h'), 'int z;\n');
  chmodSync(join(tmp, 'noperm.h'), 0o000);
  writeFileSync(join(tmp, 'inc-noperm.h'), '#include "noperm.h"\n');
  // 257 MiB, sparse: over the 256 MiB limit without using the disk.
  const fd = openSync(join(tmp, 'big.h'), 'w');
  ftruncateSync(fd, 257 * 1024 * 1024);
  closeSync(fd);
  writeFileSync(join(tmp, 'inc-big.h'), '#include "big.h"\n');
  mkdirSync(join(tmp, 'incd'));
  writeFileSync(join(tmp, 'incd', 'forced.h'), 'int forced;\n');
  writeFileSync(join(tmp, 'p.yaml'), `name: t\ndescription: t\ntarget: ${TARGET}\ntypes: {}\nconstants:\n  X:\n    value: 1\n    type: int\ninitializers: {}\nfunctions: {}\n`);
  writeFileSync(join(tmp, 'empty.yaml'), '');
  // An ELF header's first bytes, then more binary: what `-t ./prog` or `--config prog` reads.
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]), Buffer.alloc(3000, 0x01)]);
  writeFileSync(join(tmp, 'bin.yaml'), elf);
  writeFileSync(join(tmp, 'bin.config'), elf);
  writeFileSync(join(tmp, 'long.config'), 'x'.repeat(5000) + '\n');
}, 120_000);

afterAll(() => {
  rmSync(outdir, { recursive: true, force: true });
  chmodSync(join(tmp, 'noperm.h'), 0o644);
  rmSync(tmp, { recursive: true, force: true });
});

describe('a header, --config or --include that is not a regular file', () => {
  const cases: [string, string[], string][] = [
    ['a directory as the header', ['dump', 'adir'], "adir:1:1: fatal: 'adir' is a directory\n"],
    ['a directory to preprocess', ['preprocess', 'adir'], "adir:1:1: fatal: 'adir' is a directory\n"],
    ['a directory as the header of check (not every profile item "missing")', ['check', 'adir', '-p', 'p.yaml', '--no-cache'], "adir:1:1: fatal: 'adir' is a directory\n"],
    ['a FIFO as the header (no writer: a read would wait forever)', ['dump', 'fifo'], "fifo:1:1: fatal: 'fifo' is not a regular file\n"],
    ['/dev/zero as the header (a read never ends)', ['dump', '/dev/zero'], "/dev/zero:1:1: fatal: '/dev/zero' is not a regular file\n"],
    ['a directory as --config', ['dump', 'ok.h', '--config', 'adir'], "adir:1:1: fatal: 'adir' is a directory\n"],
    ['a FIFO as --config', ['dump', 'ok.h', '--config', 'fifo'], "fifo:1:1: fatal: 'fifo' is not a regular file\n"],
    ['/dev/zero as --config', ['dump', 'ok.h', '--config', '/dev/zero', '--no-cache'], "/dev/zero:1:1: fatal: '/dev/zero' is not a regular file\n"],
    ['a FIFO as --include', ['dump', 'ok.h', '--include', 'fifo'], "<command line>:1:1: fatal: 'fifo' is not a regular file\n"],
    ['/dev/zero as --include', ['dump', 'ok.h', '--include', '/dev/zero', '--no-cache'], "<command line>:1:1: fatal: '/dev/zero' is not a regular file\n"],
    // clang-19 `-include adir` with adir a directory: "fatal error: 'adir' file not found".
    ['a directory as --include is passed over, as by clang', ['dump', 'ok.h', '--include', 'adir'], "<command line>:1:1: fatal: 'adir' file not found (forced include)\n"],
    ['a file over the size limit as the header', ['dump', 'big.h'], "big.h:1:1: fatal: 'big.h' is larger than 256 MiB, the limit for an input file\n"],
  ];
  for (const [what, args, err] of cases) {
    it(what, () => {
      const r = portabi(args);
      expect(r).toEqual({ code: 2, out: '', err });
    });
  }
});

describe('#include of what is not a regular file', () => {
  it('a directory matching the name is passed over and the search goes on (clang-19, gcc)', () => {
    const r = portabi(['preprocess', 'inc-dir.h', '-I', 'other', '-P']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('int from_other;');
  });

  it('a directory and nothing else: not found (clang-19: "\'adir\' file not found")', () => {
    const r = portabi(['preprocess', 'inc-dir.h']);
    expect(r.code).toBe(2);
    expect(r.err).toBe("inc-dir.h:1:10: fatal: 'adir' file not found\n"); // clang-19: 1:10, fatal error
  });

  // clang-19 waits forever on this one; portabi reads only regular files.
  for (const cache of [[], ['--no-cache']]) {
    it(`a FIFO: fatal at the #include line, no hang (dump ${cache.join(' ') || 'through the model cache'})`, () => {
      expect(portabi(['dump', 'inc-fifo.h', ...cache])).toEqual({ code: 2, out: '', err: "inc-fifo.h:1:2: fatal: 'fifo' is not a regular file\n" });
    });
    it(`/dev/zero: fatal at the #include line (dump ${cache.join(' ') || 'through the model cache'})`, () => {
      expect(portabi(['dump', 'inc-zero.h', ...cache])).toEqual({ code: 2, out: '', err: "inc-zero.h:1:2: fatal: '/dev/zero' is not a regular file\n" });
    });
    it(`a file over the size limit: fatal at the #include line (dump ${cache.join(' ') || 'through the model cache'})`, () => {
      expect(portabi(['dump', 'inc-big.h', ...cache])).toEqual({ code: 2, out: '', err: "inc-big.h:1:2: fatal: 'big.h' is larger than 256 MiB, the limit for an input file\n" });
    });
  }

  it('preprocess: a FIFO included is fatal at its #include', () => {
    expect(portabi(['preprocess', 'inc-fifo.h'])).toEqual({ code: 2, out: '', err: "inc-fifo.h:1:2: fatal: 'fifo' is not a regular file\n" });
  });
});

describe.runIf(canTestPermissions)('a file the user may not read (clang-19: "cannot open file \'./noperm.h\': Permission denied")', () => {
  const cases: [string, string[], string][] = [
    ['as the header', ['dump', 'noperm.h', '--no-cache'], "noperm.h:1:1: fatal: cannot read 'noperm.h': permission denied\n"],
    ['through #include', ['dump', 'inc-noperm.h', '--no-cache'], "inc-noperm.h:1:2: fatal: cannot read 'noperm.h': permission denied\n"],
    ['through #include, preprocess', ['preprocess', 'inc-noperm.h'], "inc-noperm.h:1:2: fatal: cannot read 'noperm.h': permission denied\n"],
    ['as --config', ['dump', 'ok.h', '--config', 'noperm.h', '--no-cache'], "noperm.h:1:1: fatal: cannot read 'noperm.h': permission denied\n"],
    ['as --include', ['dump', 'ok.h', '--include', 'noperm.h', '--no-cache'], "<command line>:1:1: fatal: cannot read 'noperm.h': permission denied\n"],
    ['as -t', ['dump', 'ok.h', '-t', './noperm.h', '--no-cache'], `<command line>:1:1: fatal: cannot read target file '${join(tmp, 'noperm.h')}': permission denied\n`],
    ['as the profile', ['check', 'ok.h', '-p', 'noperm.h', '--no-cache'], 'noperm.h:1:1: error: cannot read profile: permission denied\n'],
    ['as a snapshot', ['diff', 'ok.json', 'noperm.h', '-t', TARGET, '--no-cache'], "noperm.h:1:1: fatal: cannot read snapshot 'noperm.h': permission denied\n"],
  ];
  for (const [what, args, err] of cases) {
    it(what, () => {
      writeFileSync(join(tmp, 'ok.json'), snapshotOf('{}'));
      expect(portabi(args, { nobody: true })).toEqual({ code: 2, out: '', err });
    });
  }
});

describe('target, profile and snapshot files that are not regular files', () => {
  const cases: [string, string[], string][] = [
    ['a directory as -t', ['dump', 'ok.h', '-t', './adir'], `<command line>:1:1: fatal: cannot read target file '${join(tmp, 'adir')}': it is a directory\n`],
    ['/dev/zero as -t', ['dump', 'ok.h', '-t', '/dev/zero'], "<command line>:1:1: fatal: cannot read target file '/dev/zero': it is not a regular file\n"],
    ['a FIFO as -t', ['dump', 'ok.h', '-t', './fifo'], `<command line>:1:1: fatal: cannot read target file '${join(tmp, 'fifo')}': it is not a regular file\n`],
    ['a missing -t file: located on the command line', ['dump', 'ok.h', '-t', './nope.yaml'], `<command line>:1:1: fatal: cannot read target file '${join(tmp, 'nope.yaml')}': no such file\n`],
    ['a directory as the profile', ['check', 'ok.h', '-p', 'adir', '--no-cache'], 'adir:1:1: error: cannot read profile: it is a directory\n'],
    ['a FIFO as the profile', ['check', 'ok.h', '-p', 'fifo', '--no-cache'], 'fifo:1:1: error: cannot read profile: it is not a regular file\n'],
    ['/dev/zero as the profile', ['check', 'ok.h', '-p', '/dev/zero', '--no-cache'], '/dev/zero:1:1: error: cannot read profile: it is not a regular file\n'],
    ['a FIFO as a snapshot', ['diff', 'ok.json', 'fifo', '--no-cache'], "fifo:1:1: fatal: cannot read snapshot 'fifo': it is not a regular file\n"],
    ['/dev/zero as a snapshot', ['diff', 'ok.json', '/dev/zero', '--no-cache'], "/dev/zero:1:1: fatal: cannot read snapshot '/dev/zero': it is not a regular file\n"],
  ];
  for (const [what, args, err] of cases) {
    it(what, () => {
      writeFileSync(join(tmp, 'ok.json'), snapshotOf('{}'));
      expect(portabi(args)).toEqual({ code: 2, out: '', err });
    });
  }
});

describe('locations: flags are on the command line, never <unknown>', () => {
  it('--include not found, as given nor on the include path (clang-19: fatal "file not found")', () => {
    expect(portabi(['dump', 'ok.h', '--include', 'nope.h'])).toEqual({ code: 2, out: '', err: "<command line>:1:1: fatal: 'nope.h' file not found (forced include)\n" });
  });

  it('--include found on the include path, as `cc -include` searches it', () => {
    const r = portabi(['preprocess', 'ok.h', '--include', 'forced.h', '-I', 'incd', '-P']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('int forced;');
  });
});

describe('binary and empty files echoed in messages', () => {
  it('a binary target YAML: the value quoted at most 80 characters, escaped', () => {
    const r = portabi(['dump', 'ok.h', '-t', './bin.yaml']);
    expect(r.code).toBe(2);
    const lines = r.err.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]!.length).toBeLessThan(250);
    expect(lines[0]).toContain('got "\\x7fELF\\x02\\x01\\x01\\x00\\x01');
    expect(lines[0]).not.toMatch(/[\x00-\x08]/);
  });

  it('a binary Kconfig file: one diagnostic at the first NUL byte (line 1, column 8)', () => {
    expect(portabi(['dump', 'ok.h', '--config', 'bin.config', '--no-cache'])).toEqual({
      code: 2, out: '', err: 'bin.config:1:8: error: not a Kconfig file: it holds a NUL byte (a binary file?)\n',
    });
  });

  it('a long malformed Kconfig line is quoted to 80 characters', () => {
    const r = portabi(['dump', 'ok.h', '--config', 'long.config', '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`long.config:1:1: error: malformed Kconfig line: '${'x'.repeat(80)}'… (5000 characters)\n`);
  });

  it('an empty target YAML names the file before the colon', () => {
    const r = portabi(['dump', 'ok.h', '-t', './empty.yaml']);
    expect(r).toEqual({ code: 2, out: '', err: `${join(tmp, 'empty.yaml')}:1:1: error: target file '${join(tmp, 'empty.yaml')}': expected a map, got nothing\n` });
  });
});

describe('YAML snapshots (a dynamic import of the CommonJS yaml package, in the bundle)', () => {
  it('a YAML snapshot diffs as the JSON one', () => {
    for (const [h, base] of [['ok.h', 'old'], ['two.h', 'new']] as const) {
      for (const f of ['json', 'yaml']) expect(portabi(['dump', h, '-f', f, '-o', `${base}.${f}`, '--no-cache']).code).toBe(0);
    }
    const json = portabi(['diff', 'old.json', 'new.json', '--no-cache']);
    const yamlOld = portabi(['diff', 'old.yaml', 'new.json', '--no-cache']);
    const yamlBoth = portabi(['diff', 'old.yaml', 'new.yaml', '--no-cache']);
    // By hand: X's value 1 → 2 is a breaking change (exit 1 with the default --fail-on breaking).
    expect(json.code).toBe(1);
    expect(json.out).toContain('breaking: value of X: 1 → 2 (int)');
    expect(yamlOld).toEqual({ ...json, out: json.out.replace('old.json', 'old.yaml') });
    expect(yamlBoth).toEqual({ ...json, out: json.out.replace('old.json', 'old.yaml').replace('new.json', 'new.yaml') });
    expect(portabi(['diff', 'old.json', 'old.yaml', '--no-cache'])).toMatchObject({ code: 0, err: '' });
  });

  it('an alias bomb ("billion laughs") is refused, located, exit 2, at once', () => {
    // 9 levels of 10 aliases: 10^9 nodes once expanded; yaml's maxAliasCount stops it.
    const levels = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    for (let k = 1; k < 9; k++) levels.push(`${String.fromCharCode(97 + k)}: &${String.fromCharCode(97 + k)} [${Array(10).fill(`*${String.fromCharCode(96 + k)}`).join(',')}]`);
    writeFileSync(join(tmp, 'laughs.yaml'), `schemaVersion: 1\ntarget: ${TARGET}\n${levels.join('\n')}\n`);
    const r = portabi(['diff', 'old.json', 'laughs.yaml', '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(/^laughs\.yaml:1:1: fatal: not a valid YAML snapshot: /);
  });
});

describe('JSON snapshots with a repeated key', () => {
  const head = `{\n  "schemaVersion": 1,\n  "target": "${TARGET}",\n  "types": {}, "constants": {}, "initializers": {}, "functions": {}, "macros": {},\n`;
  it('are rejected at the second occurrence (line 5, column 3)', () => {
    writeFileSync(join(tmp, 'ok.json'), snapshotOf('{}'));
    writeFileSync(join(tmp, 'dup.json'), `${head}  "macros": {}\n}\n`);
    expect(portabi(['diff', 'ok.json', 'dup.json', '--no-cache'])).toEqual({ code: 2, out: '', err: 'dup.json:5:3: fatal: not a valid JSON snapshot: duplicate key "macros" in one object\n' });
  });

  it('a key spelled with an escape is the same key', () => {
    writeFileSync(join(tmp, 'dup2.json'), `${head}  "m\\u0061cros": {}\n}\n`);
    expect(portabi(['diff', 'ok.json', 'dup2.json', '--no-cache'])).toEqual({ code: 2, out: '', err: 'dup2.json:5:3: fatal: not a valid JSON snapshot: duplicate key "macros" in one object\n' });
  });

  it('jsonDuplicateKey: the same key in different objects, or as a value, is no duplicate', () => {
    expect(jsonDuplicateKey('{"a": {"a": 1, "b": "a"}, "b": [{"a": 1}, {"a": 2}], "c": "\\"a\\""}')).toBeNull();
    expect(jsonDuplicateKey('{"a": [1, {"x": 1}], "b": {"x": "\\\\", "x": 2}}')).toEqual({ offset: 38, key: 'x' });
  });
});

describe('option values', () => {
  it('--old-rev with an empty revision says so', () => {
    const r = portabi(['diff', '--old-rev', '', 'adir']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^<command line>:1:1: fatal: --old-rev: the revision is empty\b/);
  });

  it('check --fail-on names the option and its values (error, warning, note, none)', () => {
    expect(portabi(['check', 'ok.h', '-p', 'p.yaml', '--fail-on', 'sometimes'])).toEqual({
      code: 2, out: '', err: "<command line>:1:1: fatal: unknown --fail-on 'sometimes' (error, warning, note, none)\n",
    });
  });

  it('check --scope names the option and its values', () => {
    expect(portabi(['check', 'ok.h', '-p', 'p.yaml', '--scope', 'all'])).toEqual({
      code: 2, out: '', err: "<command line>:1:1: fatal: unknown --scope 'all' (profile, headers)\n",
    });
  });

  it('check --config-matrix with a missing file: fatal, no table', () => {
    expect(portabi(['check', 'ok.h', '-p', 'p.yaml', '--config-matrix', 'nope.cfg', '--no-cache'])).toEqual({
      code: 2, out: '', err: "nope.cfg:1:1: fatal: no such file 'nope.cfg'\n",
    });
  });

  it('check --config-matrix with an empty directory: fatal, no table (as diff)', () => {
    expect(portabi(['check', 'ok.h', '-p', 'p.yaml', '--config-matrix', 'emptydir', '--no-cache'])).toEqual({
      code: 2, out: '', err: '<command line>:1:1: fatal: --config-matrix emptydir: no configuration files\n',
    });
  });
});
