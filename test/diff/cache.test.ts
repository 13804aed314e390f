// The parse cache: unchanged headers are not parsed again, a changed or newly shadowing header
// is, and a crash mid-write leaves nothing that changes a result.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DiffCache, manifestHolds, recordingFiles } from '../../src/check/diff-cache.js';
import { fsSource, type FileSource } from '../../src/check/diff-sides.js';
import { runDiff, type DiffRequest } from '../../src/check/diff-run.js';
import { FIXTURES, X86_64, emptyFlags, lines, noSideFlags } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'portabi-diff-cache-'));

function request(oldRoot: string, newRoot: string, cacheDir: string | null, over: Partial<DiffRequest> = {}): DiffRequest {
  return {
    old: { kind: 'tree', root: oldRoot },
    new: { kind: 'tree', root: newRoot },
    headers: [],
    flags: emptyFlags(),
    perSide: { old: noSideFlags(), new: noSideFlags() },
    abis: [{ target: X86_64, config: null }],
    cacheDir,
    ...over,
  };
}

describe('parse cache', () => {
  it('a second run with unchanged headers computes no model and no diff', async () => {
    const cache = join(tmp, 'c1');
    const req = request(join(FIXTURES, 'nested/old'), join(FIXTURES, 'nested/new'), cache);
    const cold = await runDiff(req);
    expect(cold.stats).toEqual({ modelsComputed: 2, modelsFromCache: 0, resultsFromCache: 0 });
    const warm = await runDiff(req);
    expect(warm.stats).toEqual({ modelsComputed: 0, modelsFromCache: 2, resultsFromCache: 1 });
    expect(warm.runs).toEqual(cold.runs);
    const none = await runDiff({ ...req, cacheDir: null });
    expect(none.runs).toEqual(cold.runs);
  });

  it('editing a header on one side recomputes that side only', async () => {
    const cache = join(tmp, 'c2');
    const newRoot = join(tmp, 'edit-new');
    cpSync(join(FIXTURES, 'nested/new'), newRoot, { recursive: true });
    const req = request(join(FIXTURES, 'nested/old'), newRoot, cache);
    await runDiff(req);
    writeFileSync(join(newRoot, 'nested.h'), 'struct leaf { short s; };\nstruct mid { struct leaf l; char tail; };\nstruct top { char head; struct mid m; int n; };\ntypedef struct top top_t;\nstruct byref { struct leaf *p; };\n');
    const r = await runDiff(req);
    expect(r.stats).toEqual({ modelsComputed: 1, modelsFromCache: 1, resultsFromCache: 0 });
    expect(r.runs[0]!.changes).toEqual([]); // the new side is the old one again
  });

  it('a header that newly shadows an include (earlier in the search path) is seen', async () => {
    // `#include "dep.h"` resolves through -I a, then -I b. The first run finds b/dep.h; then
    // a/dep.h appears: the manifest recorded that a/dep.h did not exist, so the model is
    // recomputed and sees the new definition.
    const root = join(tmp, 'shadow');
    for (const side of ['old', 'new']) {
      mkdirSync(join(root, side, 'a'), { recursive: true });
      mkdirSync(join(root, side, 'b'), { recursive: true });
      writeFileSync(join(root, side, 'top.h'), '#include <dep.h>\n');
      writeFileSync(join(root, side, 'b', 'dep.h'), '#define DEP 1\n');
    }
    const cache = join(tmp, 'c3');
    const flags = { ...emptyFlags(), includePaths: ['a', 'b'] };
    const req = request(join(root, 'old'), join(root, 'new'), cache, { headers: ['top.h'], flags });
    expect((await runDiff(req)).runs[0]!.changes).toEqual([]);
    writeFileSync(join(root, 'new', 'a', 'dep.h'), '#define DEP 2\n');
    const r = await runDiff(req);
    expect(r.stats.modelsComputed).toBe(1);
    expect(lines(r.runs[0]!.changes)).toEqual(['breaking value DEP 1→2']);
  });

  it('a crash mid-write leaves only temporary files, which change nothing', async () => {
    const cache = join(tmp, 'c4');
    const req = request(join(FIXTURES, 'packed/old'), join(FIXTURES, 'packed/new'), cache);
    const cold = await runDiff(req);
    // What a process killed between write and rename leaves: a half-written temporary file
    // next to each entry (never under an entry's own name).
    const models = join(cache, 'v1', 'models');
    for (const key of readdirSync(models)) {
      for (const n of readdirSync(join(models, key))) writeFileSync(join(models, key, `${n}.999.crash.tmp`), '{"format":1,"ke');
    }
    const warm = await runDiff(req);
    expect(warm.diagnostics).toEqual([]);
    expect(warm.stats.modelsComputed).toBe(0);
    expect(warm.runs).toEqual(cold.runs);
  });

  it("storing an entry removes a crash's old temporary files, not another run's write in progress", () => {
    const cache = join(tmp, 'c5');
    const dir = join(cache, 'v1', 'models', 'k');
    mkdirSync(dir, { recursive: true });
    const inProgress = join(dir, 'x.model.json.4242.ab.tmp');
    const leftOver = join(dir, 'y.model.json.4243.cd.tmp');
    writeFileSync(inProgress, '{"sch');
    writeFileSync(leftOver, '{"sch');
    const dayAgo = new Date(Date.now() - 24 * 3600 * 1000);
    utimesSync(leftOver, dayAgo, dayAgo);
    const warnings: unknown[] = [];
    new DiffCache(cache, (d) => warnings.push(d)).storeModel('k', { files: [], dirs: [], diagnostics: [] }, '{}');
    expect(warnings).toEqual([]);
    expect(existsSync(inProgress)).toBe(true);
    expect(existsSync(leftOver)).toBe(false);
  });

  it('--no-cache writes nothing', async () => {
    const r = await runDiff(request(join(FIXTURES, 'packed/old'), join(FIXTURES, 'packed/new'), null));
    expect(r.stats).toEqual({ modelsComputed: 2, modelsFromCache: 0, resultsFromCache: 0 });
  });
});

describe('file stamps (inode, size, mtime, ctime) spare re-reading unchanged files', () => {
  /** A file system source that counts the content ids it is asked for. */
  function counting() {
    const fs = fsSource();
    const asked: string[] = [];
    const source: FileSource = { ...fs, contentId: (p) => (asked.push(p), fs.contentId(p)) };
    return { source, asked };
  }
  function record(file: string) {
    const rec = recordingFiles(fsSource());
    rec.files.readFile(file);
    return { files: rec.recorded(), stamps: rec.stamps(), dirs: [] as [string, boolean][] };
  }

  it('a file changed less than a second before it was read gets no stamp (its content is hashed next time)', () => {
    const file = join(tmp, 'racy.h');
    writeFileSync(file, '#define A 1\n');
    const m = record(file);
    expect(m.stamps).toEqual({});
    const { source, asked } = counting();
    expect(manifestHolds(m, source)).toBe(true);
    expect(asked).toEqual([file]);
  });

  describe('a file older than that', () => {
    // Reading "later": the clock moved on two seconds since the file was written.
    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(Date.now() + 2000);
    });
    afterEach(() => vi.useRealTimers());

    it('unchanged: the stamp holds and the file is not read again', () => {
      const file = join(tmp, 'old.h');
      writeFileSync(file, '#define A 1\n');
      const m = record(file);
      expect(Object.keys(m.stamps)).toEqual([file]);
      const { source, asked } = counting();
      expect(manifestHolds(m, source)).toBe(true);
      expect(asked).toEqual([]);
    });

    it('rewritten with the same size and its old mtime put back: the change time differs, the content is hashed, the change seen', () => {
      const file = join(tmp, 'sneaky.h');
      writeFileSync(file, '#define A 1\n');
      const m = record(file);
      const { mtime, atime } = statSync(file);
      writeFileSync(file, '#define A 2\n');
      utimesSync(file, atime, mtime);
      const { source, asked } = counting();
      expect(manifestHolds(m, source)).toBe(false);
      expect(asked).toEqual([file]);
    });

    it('replaced by another file (a new inode) with the same content: hashed, and still holds', () => {
      const file = join(tmp, 'replaced.h');
      writeFileSync(file, '#define A 1\n');
      const m = record(file);
      writeFileSync(`${file}.new`, '#define A 1\n');
      renameSync(`${file}.new`, file);
      const { source, asked } = counting();
      expect(manifestHolds(m, source)).toBe(true);
      expect(asked).toEqual([file]);
    });
  });
});
