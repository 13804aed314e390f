// The caches' atomic writes (src/check/diff-cache.ts): a failed write is a warning and leaves no
// temp file (the idiom: write a temp file beside the entry, rename it over; on failure remove it).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CACHE_FORMAT, DiffCache } from '../../src/check/diff-cache.js';
import type { Diagnostic } from '../../src/parse/diagnostics.js';

const root = join(import.meta.dirname, '..', '..');
const tmp = mkdtempSync(join(tmpdir(), 'portabi-cache-write-'));
// Temp files left under `dir` (none when a failed write also removed the directories it made).
const temps = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.tmp')) : []);

describe("the caches' writes", () => {
  it('a rename that fails (the entry name taken by a directory): a warning, no temp file left', () => {
    const dir = join(tmp, 'cache-rename');
    // The results entry `<dir>/v<format>/results/<key>.json`, made a directory beforehand.
    mkdirSync(join(dir, `v${CACHE_FORMAT}`, 'results', 'k1.json'), { recursive: true });
    const warnings: Diagnostic[] = [];
    new DiffCache(dir, (d) => warnings.push(d)).storeValue('results', 'k1', []);
    expect(warnings.map((w) => w.message)).toEqual([expect.stringMatching(/^cannot write the cache: /)]);
    expect(temps(dir)).toEqual([]);
  });

  it('a write failing midway (file size limit): a warning, no temp file left', () => {
    const dir = join(tmp, 'cache-efbig');
    const big = join(tmp, 'cache-big.h');
    writeFileSync(big, Array.from({ length: 500 }, (_, i) => `struct s${i} { int a; char b; };\n`).join(''));
    spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
    // `ulimit -f 1`: files may not grow past 1 KiB (SIGXFSZ ignored: write() fails with EFBIG).
    const r = spawnSync('bash', ['-c', `trap "" XFSZ; ulimit -f 1; node ${join(root, 'bin', 'portabi.js')} dump ${big} --cache-dir ${dir} > /dev/null`], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: cannot write the cache: /);
    expect(temps(dir)).toEqual([]);
  });
});
