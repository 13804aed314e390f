// A macro bomb in the final macro table: the ABI model expands every object-like macro, used
// or not. One over the expansion budget is not a constant, with the reason, and a warning at
// its #define; it never passes for an empty macro, and the macros after it are unaffected.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeAbi, emptyInput } from '../../src/pipeline.js';
import { LADDER } from '../helpers/macro-ladder.js';


const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function model(src: string) {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-bomb-'));
  dirs.push(dir);
  const h = join(dir, 'bomb.h');
  writeFileSync(h, src);
  const r = computeAbi(emptyInput({ headers: [h], target: 'x86_64-unknown-linux-gnu' }));
  if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
  return { ...r.value, h };
}

describe('macro bombs in the ABI model', () => {
  it('an unused E(E(1)) (2^32 tokens) is not a constant, with a warning at its #define', () => {
    const t0 = Date.now();
    const { model: m, diagnostics, ir, h } = model(LADDER + '#define BIG E(E(1))\n#define SMALL (40 + 2)\n');
    expect(Date.now() - t0).toBeLessThan(5000);
    expect(m.macros.BIG).toEqual({ class: 'not-constant', detail: 'expansion exceeds 1000000 tokens', loc: `${h}:11:9` });
    expect(ir.macros.BIG!.expansion).toBeUndefined();
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]).toMatchObject({ severity: 'warning', code: 'macro-bomb', loc: { file: h, line: 11, col: 9 } });
    expect(diagnostics[0]!.message).toContain("'BIG'");
    expect(m.constants.SMALL).toMatchObject({ value: '42', type: 'int' });
  });

  it('arguments nested too deep: not a constant, with the reason; the macros after it are unaffected', () => {
    const deep = 'F('.repeat(2000) + '1' + ')'.repeat(2000);
    const { model: m, diagnostics, h } = model(`#define F(x) x\n#define DEEP ${deep}\n#define SMALL 1\n`);
    expect(m.macros.DEEP).toEqual({ class: 'not-constant', detail: 'expansion nests macro arguments more than 256 levels deep', loc: `${h}:2:9` });
    expect(diagnostics).toMatchObject([{ severity: 'warning', code: 'expansion-depth', loc: { file: h, line: 2, col: 9 } }]);
    expect(m.constants.SMALL).toMatchObject({ value: '1', type: 'int' });
  });

  it('an expansion that fails otherwise is not a constant either, never empty', () => {
    // OPEN is used as `OPEN x)`: alone, F's invocation does not end (clang-19: "unterminated
    // function-like macro invocation").
    const { model: m } = model('#define F(x) x\n#define OPEN F(\n');
    expect(m.macros.OPEN!.class).toBe('not-constant');
    expect(m.macros.OPEN!.detail).toContain('unterminated function-like macro invocation');
  });

  it('a used one is an error at its use; the macro itself is still a classified non-constant', () => {
    const { model: m, diagnostics, h } = model(LADDER + '#define BIG E(E(1))\nint v[BIG];\n');
    const errors = diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal');
    expect(errors.map((d) => [d.code, d.loc?.line, d.loc?.col])).toContainEqual(['macro-bomb', 12, 7]);
    expect(m.macros.BIG).toMatchObject({ class: 'not-constant', detail: 'expansion exceeds 1000000 tokens', loc: `${h}:11:9` });
  });
});
