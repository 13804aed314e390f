// portabi.yaml: no generated file may be one of gen's inputs (portabi.yaml itself, a listed
// header, a -include or --config file of its flags): `gen` would replace the input.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { runGen } from '../../src/generate/ts/gen.js';

const FILE = '/p/portabi.yaml';
const messages = (r: ReturnType<typeof parseConfig>) => (r.ok ? [] : r.errors.map((e) => `${e.loc}: ${e.message}`));

describe('an output that would overwrite an input', () => {
  test('a listed header', () => {
    // line 4 `    path: lib.h`: the value starts at column 11; the entry `- lang` item at 3:5.
    const r = parseConfig('headers: [lib.h]\noutputs:\n  - lang: ts\n    path: lib.h\n', FILE);
    expect(messages(r)).toEqual(['/p/portabi.yaml:4:11: the output at /p/portabi.yaml:3:5 would overwrite an input: the header /p/lib.h']);
  });

  test('portabi.yaml itself, spelled another way', () => {
    const r = parseConfig('headers: [lib.h]\noutputs:\n  - lang: rust\n    path: ./sub/../portabi.yaml\n', FILE);
    expect(messages(r)).toEqual(['/p/portabi.yaml:4:11: the output at /p/portabi.yaml:3:5 would overwrite an input: portabi.yaml']);
  });

  test('the -include and --config files of the flags', () => {
    const text = 'headers: [lib.h]\nflags: [-include, pre.h, --config, k.config]\noutputs:\n  - { lang: ts, path: pre.h }\n  - { lang: ts, path: /p/k.config }\n';
    // line 4 `  - { lang: ts, path: pre.h }`: pre.h at column 23; the entry `{` at 4:5.
    // line 5 `  - { lang: ts, path: /p/k.config }`: the value at column 23.
    expect(messages(parseConfig(text, FILE))).toEqual([
      '/p/portabi.yaml:4:23: the output at /p/portabi.yaml:4:5 would overwrite an input: the -include file /p/pre.h',
      '/p/portabi.yaml:5:23: the output at /p/portabi.yaml:5:5 would overwrite an input: the --config file /p/k.config',
    ]);
  });

  test("the isr-shim's .h next to its .c", () => {
    // line 3 `  path: lib.c`: the value at column 9.
    const r = parseConfig('headers: [lib.h]\nisr-shim:\n  path: lib.c\n', FILE);
    expect(messages(r)).toEqual(['/p/portabi.yaml:3:9: isr-shim (its .h) at /p/portabi.yaml:3:9 would overwrite an input: the header /p/lib.h']);
  });

  test('gen: exit 2, located, nothing written', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portabi-gen-inputs-'));
    mkdirSync(dir, { recursive: true });
    const header = 'int add(int a, int b);\n';
    const yaml = 'headers: [lib.h]\noutputs:\n  - lang: ts\n    path: lib.h\n    library: ./lib.so\n  - lang: ts\n    path: portabi.yaml\n    library: ./lib.so\n';
    writeFileSync(join(dir, 'lib.h'), header);
    writeFileSync(join(dir, 'portabi.yaml'), yaml);
    const r = runGen(dir);
    const f = join(dir, 'portabi.yaml');
    expect(r.exitCode).toBe(2);
    expect(r.messages).toEqual([
      `${f}:4:11: error: the output at ${f}:3:5 would overwrite an input: the header ${join(dir, 'lib.h')}`,
      `${f}:7:11: error: the output at ${f}:6:5 would overwrite an input: portabi.yaml`,
    ]);
    expect(readFileSync(join(dir, 'lib.h'), 'utf8')).toBe(header);
    expect(readFileSync(f, 'utf8')).toBe(yaml);
  });
});
