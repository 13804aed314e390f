// Include bombs: a file that includes itself twice per level enters 2^depth files. C sets no
// limit and clang runs on; portabi stops at DEFAULT_LIMITS.maxIncludes files entered (100,000:
// glibc's bench TU enters 1,482), fatal at the #include that went past it, and reports
// nothing the cut-short token stream would make the later phases say.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../../src/parse/preprocess.js';
import { emptyInput, runFrontEnd, loadInputTarget } from '../../src/pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'portabi-include-bomb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a runaway recursive #include', () => {
  it('stops at maxIncludes files entered, fatal at the #include that would enter one more', () => {
    const lvl = join(dir, 'lvl.h');
    writeFileSync(lvl, '#if __INCLUDE_LEVEL__ < 40\n#include "lvl.h"\n#include "lvl.h"\n#endif\nint y;\n');
    const main = join(dir, 'main.h');
    writeFileSync(main, '#include "lvl.h"\nint x\n'); // a syntax error after it: never reported
    const target = loadInputTarget('x86_64-unknown-linux-gnu');
    if (!target.ok) throw new Error('target');
    const fe = runFrontEnd(emptyInput({ headers: [main], target: 'x86_64-unknown-linux-gnu' }), target.value);
    expect(fe.ok).toBe(false);
    expect(fe.pp.includes.filter((i) => !i.skipped).length).toBe(DEFAULT_LIMITS.maxIncludes);
    // The includes form a perfect binary tree entered in preorder (levels 1 to 40). By hand:
    // the 100,001st node of that preorder is a first child, at level 38, so the #include on
    // line 2 (the first one) is the one refused.
    expect(fe.diagnostics.map((d) => `${d.loc?.file}:${d.loc?.line}: ${d.severity}: ${d.message}`)).toEqual([
      `${lvl}:2: fatal: more than 100000 files entered by #include (a runaway recursive #include?)`,
    ]);
  });
});
