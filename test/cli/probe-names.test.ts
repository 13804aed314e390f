// `portabi probe -p PROFILE`: profile names are pasted into C, so a name that is not C (an
// expression, a comment end, a newline) is refused at its profile entry: exit 2, nothing written.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'portabi-probe-names-'));
const header = join(tmp, 'api.h');
writeFileSync(header, 'struct point { int x; int y; };\n#define X 2\n');

async function probe(name: string, profileText: string): Promise<{ code: number; err: string; out: string; file: string; profile: string }> {
  const profile = join(tmp, `${name}.yaml`);
  const file = join(tmp, `${name}.c`);
  writeFileSync(profile, profileText);
  let err = '';
  const spy = vi.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
    err += String(s);
    return true;
  });
  let code: number;
  try {
    code = await main(['probe', header, '-p', profile, '-o', file, '--target', 'x86_64-unknown-linux-gnu']);
  } finally {
    spy.mockRestore();
  }
  return { code, err, out: '', file, profile };
}

const HEAD = 'name: t\ndescription: d\ntarget: x86_64-unknown-linux-gnu\n';

afterEach(() => vi.restoreAllMocks());

describe('probe: profile names that are not C', () => {
  it('a constant named `X == 2 || 1` (an assert that always passes)', async () => {
    // line 5 `  "X == 2 || 1": { value: 3 }`: the key at column 3.
    const r = await probe('const', `${HEAD}constants:\n  "X == 2 || 1": { value: 3 }\n`);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${r.profile}:5:3: error: constant "X == 2 || 1" is not a C identifier`);
    expect(existsSync(r.file)).toBe(false);
  });

  it('a field name with `*/` and a newline', async () => {
    // line 7 `      "x */ int y; /*": { offset: 0 }`: the key at column 7.
    const r = await probe('field', `${HEAD}types:\n  struct point:\n    fields:\n      "x */ int y; /*": { offset: 0 }\n`);
    expect(r.code).toBe(2);
    expect(r.err).toContain(`${r.profile}:7:7: error: field of struct point "x */ int y; /*" is not a C member name`);
    expect(existsSync(r.file)).toBe(false);
    const nl = await probe('nl', `${HEAD}types:\n  "struct point\\n#error x":\n    size: 8\n`);
    expect(nl.code).toBe(2);
    // line 5 `  "struct point\n#error x":`: the key at column 3.
    expect(nl.err).toContain(`${nl.profile}:5:3: error: type "struct point\\n#error x" is not a C type name`);
    expect(existsSync(nl.file)).toBe(false);
  });

  it('C spellings are accepted: struct x, an identifier, a dotted member path', async () => {
    const r = await probe('ok', `${HEAD}types:\n  struct point:\n    size: 8\n    fields:\n      y: { offset: 4 }\nconstants:\n  X: { value: 2 }\n`);
    expect(r.err).not.toContain('error');
    expect(r.code).toBe(0);
    expect(existsSync(r.file)).toBe(true);
  });
});
