// --config-matrix shares the configuration-independent work (src/pipeline.ts SharedWork: the
// target, and the tokenized files through src/parse/source-cache.ts). Sharing must not change
// any result: each configuration's model equals the one computed alone, and each run reports
// the diagnostics the file's text gives.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { computeAbi, emptyInput, sharedWork } from '../../src/pipeline.js';

const ex = join(import.meta.dirname, '..', '..', 'examples', 'nuttx-like');
const headers = ['pthread.h', 'sys/socket.h', 'sys/ioctl.h', 'errno.h'].map((h) => join(ex, 'include', h));
const input = (config: string) =>
  emptyInput({ headers, includePaths: [join(ex, 'include')], configFiles: [join(ex, 'configs', `${config}.config`)], target: 'thumbv7em-none-eabi' });

describe('shared work across configurations', () => {
  it('gives each configuration the model it gets alone, reading every file once', () => {
    const shared = sharedWork();
    for (const config of ['sim', 'stm32', 'sim']) {
      const alone = computeAbi(input(config));
      const withShared = computeAbi(input(config), undefined, shared);
      expect(alone.ok && withShared.ok).toBe(true);
      if (!alone.ok || !withShared.ok) return;
      expect(withShared.value.model).toEqual(alone.value.model);
      expect(withShared.value.diagnostics).toEqual(alone.value.diagnostics);
    }
    // The example's headers: the 4 named, and what they include (sys/types.h, nuttx/config.h,
    // nuttx/compiler.h, arch/types.h, semaphore.h, time.h, fcntl.h) — 11 files, tokenized once;
    // the two later runs take all 11 from the cache.
    expect(shared.sources.stats).toEqual({ built: 11, reused: 22 });
    expect(shared.targets.size).toBe(1);
  });

  it("reports a file's diagnostics in every run, and re-reads a file whose text changed", () => {
    const dir = mkdtempSync(join(tmpdir(), 'portabi-share-'));
    const h = join(dir, 'bad.h');
    writeFileSync(h, '#define A 1\nint x; /* never closed\n');
    const shared = sharedWork();
    const run = () => {
      const r = computeAbi(emptyInput({ headers: [h] }), undefined, shared);
      if (!r.ok) throw new Error('no model');
      return r.value.diagnostics.filter((d) => d.code === 'unterminated-comment').map((d) => `${d.loc.line}:${d.loc.col}`);
    };
    expect(run()).toEqual(['2:8']);
    expect(run()).toEqual(['2:8']);
    expect(shared.sources.stats).toEqual({ built: 1, reused: 1 });
    writeFileSync(h, '#define A 2\n');
    const r = computeAbi(emptyInput({ headers: [h] }), undefined, shared);
    expect(r.ok && r.value.model.constants.A?.value).toBe('2');
    expect(shared.sources.stats).toEqual({ built: 2, reused: 1 });
  });
});
