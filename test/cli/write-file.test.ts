// The atomic writer (src/write-file.ts): what a failed or abandoned write leaves behind. The
// rule, from the atomic-replace idiom (write a temp file beside the target, rename it over): on
// any failure the target is untouched and no temp file remains.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stageWrite, WriteError, writeFileAtomic } from '../../src/write-file.js';

const tmp = mkdtempSync(join(tmpdir(), 'portabi-write-file-'));
const temps = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).filter((n) => n.endsWith('.tmp'));

describe('writeFileAtomic', () => {
  it('keeps the permission bits of the file it replaces', () => {
    const f = join(tmp, 'mode.txt');
    writeFileSync(f, 'old', { mode: 0o640 });
    writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(statSync(f).mode & 0o777).toBe(0o640);
  });

  it('a staged write is invisible until commit, and abort leaves nothing (not even the directories it made)', () => {
    const d = join(tmp, 'stage');
    mkdirSync(d);
    const s = stageWrite(join(d, 'a', 'b', 'out.txt'), 'text', { mkdirs: true });
    expect(readdirSync(join(d, 'a', 'b')).length).toBe(1); // the temp file only
    s.abort();
    expect(readdirSync(d)).toEqual([]);
  });

  it('mkdirs over a regular file: a WriteError naming the path, no temp file', () => {
    const d = join(tmp, 'mk');
    mkdirSync(d);
    writeFileSync(join(d, 'plain'), 'x');
    let err: unknown;
    try {
      writeFileAtomic(join(d, 'plain', 'out.txt'), 'text', { mkdirs: true });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(WriteError);
    expect((err as WriteError).message).toBe(`${join(d, 'plain', 'out.txt')}: error: cannot write: not a directory`);
    expect(temps(d)).toEqual([]);
  });
});

describe('temp files a killed run left', () => {
  it('the next write of the same file removes those of dead processes, not a live one\'s write in progress', () => {
    const d = join(tmp, 'killed');
    mkdirSync(d);
    const out = join(d, 'out.json');
    // A pid that surely exited: a process that has run and been reaped.
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const live = process.ppid; // the test runner's parent: running
    writeFileSync(`${out}.${dead}.abc123.tmp`, 'half a document');
    writeFileSync(`${out}.${live}.def456.tmp`, 'another writer, still writing');
    writeFileSync(join(d, `other.json.${dead}.ghi789.tmp`), 'another file: not this write\'s business');
    writeFileAtomic(out, 'whole');
    expect(readFileSync(out, 'utf8')).toBe('whole');
    expect(temps(d).sort()).toEqual([`other.json.${dead}.ghi789.tmp`, `out.json.${live}.def456.tmp`]);
  });
});
