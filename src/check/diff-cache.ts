// The parse cache of `portabi diff`: unchanged headers are not preprocessed, parsed or laid out
// again.
//
// Granularity: one entry is the ABI model of one side for one target and configuration. The
// preprocessor's output depends on every file of the translation unit (a macro defined in one
// header changes how the next is read), so a per-file parse result cannot be reused alone; the
// model is keyed instead by
//   key      sha256 of the flags (headers, include dirs, -D/-U, --include, Kconfig file names),
//            the target name, a fingerprint of portabi's own code and target files, and the
//            working directory when a path among them is relative (cwdForKey);
//   manifest every file the preprocessor read, with its content id (git blob id), and every
//            path it probed that did not exist, and the compiler directories that existed.
// A lookup finds the key's entries and takes the one whose manifest still holds: each file
// has the same content id, each missing path is still missing. Content ids of a git revision
// come from `git ls-tree` without reading the files; on the file system the files are read
// and hashed (far cheaper than parsing them), except a file whose stamp (inode, size, mtime
// and ctime in ns, as git's index keeps them) is the one recorded with the content id.
//
// On top, the diff of two models is cached by the sha256 of both models and the diff options,
// so a warm run with unchanged headers reads neither model.
//
// Layout (`--cache-dir`, default $PORTABI_CACHE_DIR, else $XDG_CACHE_HOME/portabi, else
// ~/.cache/portabi); the directory can be moved or deleted at any time:
//   v1/models/<key>/<manifest id>.model.json      the model, JSON
//   v1/models/<key>/<manifest id>.manifest.json   the manifest, with the model's sha256
//   v1/results/<result key>.json                  a diff result
//   v1/profiles/<profile key>.json                a parsed, validated profile (check)
// Every file is written to a temporary name, flushed, then renamed into place, and the model
// is written before its manifest, so a crash leaves either no entry or a whole one. A damaged
// entry (a truncated file, a model whose sha256 differs from its manifest) is reported as a
// warning at its path, removed, and recomputed: the cache never changes a result.
import { createHash } from 'node:crypto';
import { readdirSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { inputProblemMessage, readInputFile } from '../parse/input-file.js';
import { homedir } from 'node:os';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AbiModel } from '../abi/model.js';
import { PACKAGE_ROOT, TARGETS_DIR } from '../package-root.js';
import { writeFileAtomic, WriteError } from '../write-file.js';
import type { Diagnostic } from '../parse/diagnostics.js';
import type { InputOptions } from '../pipeline.js';
import type { Change } from './diff.js';
import { blobId, type FileSource } from './diff-sides.js';

export const CACHE_FORMAT = 1;
const VARIANTS_PER_KEY = 8;
/** A temporary file older than this is left over from a crash (a write takes milliseconds). */
const STALE_TMP_MS = 10 * 60 * 1000;

export function defaultCacheDir(): string {
  if (process.env.PORTABI_CACHE_DIR) return process.env.PORTABI_CACHE_DIR;
  const xdg = process.env.XDG_CACHE_HOME;
  return join(xdg && xdg.startsWith('/') ? xdg : join(homedir(), '.cache'), 'portabi');
}

let fingerprint: string | null = null;

/**
 * Identity of the running portabi: its code and targets/. A rebuild or an edited target file
 * gives a new fingerprint, hence new keys. The code is the esbuild bundle's `build-id` (a hash
 * of its files, written by scripts/bundle.mjs) when running from the bundle; otherwise every
 * file of the code directory (dist/ or src/) by path, size and modification time. targets/ is
 * always walked the second way: a user may edit a target file in place.
 */
export function codeFingerprint(): string {
  if (fingerprint) return fingerprint;
  const code = dirname(fileURLToPath(import.meta.url)); // dist/bundle, or <code>/check
  const h = createHash('sha256');
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir).sort();
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st) continue;
      if (st.isDirectory()) walk(p);
      else if (!n.endsWith('.map') && !n.endsWith('.d.ts')) h.update(`${relative(PACKAGE_ROOT, p)}\0${st.size}\0${st.mtimeMs}\n`);
    }
  };
  const buildId = readIfExists(join(code, 'build-id'));
  if (buildId !== null) h.update(`bundle\0${buildId}\n`);
  else walk(dirname(code));
  walk(TARGETS_DIR);
  fingerprint = h.digest('hex');
  return fingerprint;
}

/** A cache entry's text; throws (the entry is damaged) when it is not a readable regular file. */
function readEntry(file: string): string {
  const r = readInputFile(file);
  if (!r.ok) throw new Error(inputProblemMessage(file, r.problem));
  return r.bytes.toString('utf8');
}

function readIfExists(file: string): string | null {
  const r = readInputFile(file);
  return r.ok ? r.bytes.toString('utf8') : null;
}

/**
 * The working directory, for a cache key whose inputs include a relative path (null when every
 * path is absolute): the preprocessor tells files apart by their resolved path (include guards,
 * `#pragma once`, an -I dir that is also a system dir), so the same relative strings name
 * other files, and can give another result, from another directory.
 */
export function cwdForKey(input: Pick<InputOptions, 'headers' | 'includePaths' | 'systemIncludePaths' | 'quoteIncludePaths' | 'forcedIncludes' | 'configFiles'>): string | null {
  const paths = [...input.headers, ...input.includePaths, ...input.systemIncludePaths, ...input.quoteIncludePaths, ...input.forcedIncludes, ...input.configFiles];
  return paths.some((p) => !isAbsolute(p)) ? process.cwd() : null;
}

export function sha256(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Content id recorded for a path the preprocessor probed and found but never read. */
export const EXISTS = 'exists';

export interface Manifest {
  format: number;
  key: string;
  /** [path, content id | EXISTS | null (did not exist)], sorted by path. */
  files: [string, string | null][];
  /** FileSource.stamp of files read, where the source has one and it was not racy: a file
   *  whose stamp is unchanged is not read again to check its content id. */
  stamps?: Record<string, string>;
  /** Compiler include directories and whether they existed (the target's dirs that are
   *  missing are skipped, so their appearing changes the result). */
  dirs: [string, boolean][];
  model: { sha256: string; bytes: number };
  /** Diagnostics of the computation at warning level and above, formatted. */
  diagnostics: string[];
}

/** Read and probe hooks for the preprocessor that record what they see. */
export function recordingFiles(source: FileSource): { files: { readFile: (p: string) => Buffer | null; fileExists: (p: string) => boolean }; recorded: () => [string, string | null][]; stamps: () => Record<string, string> } {
  const seen = new Map<string, string | null>();
  const stamps = new Map<string, string>();
  return {
    files: {
      readFile(p) {
        // A change from a second before the read on makes the stamp untrustworthy (the file
        // system's clock is coarse; the content read may be older than the stamp).
        const before = Date.now() - RACY_MS;
        const b = source.read(p);
        seen.set(p, b === null ? null : blobId(b));
        const st = b === null ? null : source.stamp?.(p, before);
        if (st) stamps.set(p, st);
        return b;
      },
      fileExists(p) {
        const e = source.exists(p);
        if (!seen.has(p) || seen.get(p) === null) seen.set(p, e ? EXISTS : null);
        return e;
      },
    },
    recorded: () => [...seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)),
    stamps: () => Object.fromEntries([...stamps.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))),
  };
}

/** How long before a read a file must have last changed for its stamp to be recorded. */
const RACY_MS = 1000;

function isDir(p: string): boolean {
  return statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Whether the files a manifest recorded are still what they were. */
export function manifestHolds(m: Pick<Manifest, 'files' | 'dirs' | 'stamps'>, source: FileSource): boolean {
  for (const [d, existed] of m.dirs) if (isDir(d) !== existed) return false;
  for (const [p, id] of m.files) {
    if (id === null) {
      if (source.exists(p)) return false;
    } else if (id === EXISTS) {
      if (!source.exists(p)) return false;
    } else {
      const st = m.stamps?.[p];
      if (st !== undefined && source.stamp?.(p) === st) continue;
      if (source.contentId(p) !== id) return false;
    }
  }
  return true;
}

/** An entry written atomically (src/write-file.ts: temp file, flushed, renamed; nothing left
 *  on failure); a failure is a plain Error with the reason, which the caller turns into a
 *  warning. */
function writeAtomic(file: string, text: string): void {
  try {
    writeFileAtomic(file, text, { mkdirs: true });
  } catch (e) {
    throw e instanceof WriteError ? new Error(e.reason) : e;
  }
}

export interface CachedModel {
  manifest: Manifest;
  /** sha256 of the model's JSON text. */
  digest: string;
  load(): AbiModel;
  /** The stored text itself, checked against its sha256. */
  loadText(): string;
}

export class DiffCache {
  readonly dir: string | null;
  private readonly warn: (d: Diagnostic) => void;
  /** What the run did, for tests and the benchmark. */
  readonly stats = { modelsComputed: 0, modelsFromCache: 0, resultsFromCache: 0 };

  /** `dir` null: no cache (every lookup misses, nothing is written). */
  constructor(dir: string | null, warn: (d: Diagnostic) => void) {
    this.dir = dir;
    this.warn = warn;
  }

  private base(): string {
    return join(this.dir!, `v${CACHE_FORMAT}`);
  }

  private damaged(file: string, why: string): void {
    this.warn({ severity: 'warning', message: `damaged cache entry ignored and rebuilt: ${why}`, loc: { file, line: 1, col: 1 }, code: 'cache' });
    try {
      unlinkSync(file);
    } catch {
      /* already gone */
    }
  }

  /** The model cached under `key` whose manifest still holds for `source`, if any. */
  lookupModel(key: string, source: FileSource): CachedModel | null {
    if (!this.dir) return null;
    const dir = join(this.base(), 'models', key);
    let names: string[];
    try {
      names = readdirSync(dir).filter((n) => n.endsWith('.manifest.json')).sort();
    } catch {
      return null;
    }
    for (const n of names) {
      const file = join(dir, n);
      let m: Manifest;
      try {
        m = JSON.parse(readEntry(file)) as Manifest;
      } catch (e) {
        this.damaged(file, (e as Error).message);
        continue;
      }
      if (m?.format !== CACHE_FORMAT || m.key !== key || !Array.isArray(m.files) || !Array.isArray(m.dirs) || (m.stamps !== undefined && (typeof m.stamps !== 'object' || m.stamps === null)) || typeof m.model?.sha256 !== 'string') {
        this.damaged(file, 'not a portabi cache manifest');
        continue;
      }
      if (!manifestHolds(m, source)) continue;
      const modelFile = file.replace(/\.manifest\.json$/, '.model.json');
      const self = this;
      this.stats.modelsFromCache++;
      return {
        manifest: m,
        digest: m.model.sha256,
        loadText(): string {
          // Stat-ed first: a FIFO or a device in the cache is damage, not something to wait on.
          const r = readInputFile(modelFile);
          const text: Buffer | null = r.ok ? r.bytes : null;
          if (text === null || sha256(text) !== m.model.sha256) {
            self.damaged(modelFile, !r.ok ? (r.problem.kind === 'missing' ? 'model file missing' : inputProblemMessage(modelFile, r.problem)) : 'model does not match its manifest (sha256)');
            self.damaged(file, 'its model is damaged');
            throw new CacheDamaged();
          }
          return text.toString('utf8');
        },
        load(): AbiModel {
          return JSON.parse(this.loadText()) as AbiModel;
        },
      };
    }
    return null;
  }

  /** Stores a model; returns its digest (sha256 of its text). Write errors are warnings. */
  storeModel(key: string, entry: Omit<Manifest, 'format' | 'key' | 'model'>, modelText: string): string {
    const digest = sha256(modelText);
    if (!this.dir) return digest;
    const manifest: Manifest = { format: CACHE_FORMAT, key, ...entry, model: { sha256: digest, bytes: Buffer.byteLength(modelText) } };
    const id = sha256(JSON.stringify([manifest.files, manifest.dirs])).slice(0, 32);
    const dir = join(this.base(), 'models', key);
    try {
      writeAtomic(join(dir, `${id}.model.json`), modelText);
      writeAtomic(join(dir, `${id}.manifest.json`), JSON.stringify(manifest));
      this.prune(dir);
    } catch (e) {
      this.warn({ severity: 'warning', message: `cannot write the cache: ${(e as Error).message}`, loc: { file: dir, line: 1, col: 1 }, code: 'cache' });
    }
    return digest;
  }

  /** Keeps the most recent entries of a key. */
  private prune(dir: string): void {
    const entries = readdirSync(dir)
      .filter((n) => n.endsWith('.manifest.json'))
      .map((n) => ({ n, t: statSync(join(dir, n), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.t - a.t || (a.n < b.n ? -1 : 1));
    for (const e of entries.slice(VARIANTS_PER_KEY)) {
      rmSync(join(dir, e.n), { force: true });
      rmSync(join(dir, e.n.replace(/\.manifest\.json$/, '.model.json')), { force: true });
    }
    // Temporary files a crash left behind: old ones only, since a younger one may be another
    // run's write in progress (removing it would fail that run's rename).
    const before = Date.now() - STALE_TMP_MS;
    for (const n of readdirSync(dir)) {
      if (!n.endsWith('.tmp')) continue;
      const st = statSync(join(dir, n), { throwIfNoEntry: false });
      if (st && st.mtimeMs < before) rmSync(join(dir, n), { force: true });
    }
  }

  lookupResult(key: string): Change[] | null {
    const changes = this.lookupValue<Change[]>('results', key, Array.isArray);
    if (changes) this.stats.resultsFromCache++;
    return changes;
  }

  storeResult(key: string, changes: readonly Change[]): void {
    this.storeValue('results', key, changes);
  }

  /**
   * A value stored whole under a key that already says everything it depends on (a diff of
   * two model digests, a profile by its text): `<kind>/<key>.json`. `valid` checks its shape.
   */
  lookupValue<T>(kind: string, key: string, valid: (v: unknown) => boolean): T | null {
    if (!this.dir) return null;
    const file = join(this.base(), kind, `${key}.json`);
    // Stat-ed first: a missing entry is a miss; one that is not a regular file (a FIFO, which
    // a read would wait on forever) is damaged.
    const f = readInputFile(file);
    if (!f.ok && (f.problem.kind === 'missing' || f.problem.kind === 'permission' || f.problem.kind === 'unreadable')) return null;
    try {
      if (!f.ok) throw new Error(inputProblemMessage(file, f.problem));
      const text = f.bytes.toString('utf8');
      const r = JSON.parse(text) as { format: number; key: string; value: unknown };
      if (r.format !== CACHE_FORMAT || r.key !== key || !valid(r.value)) throw new Error(`not a portabi cache entry (${kind})`);
      return r.value as T;
    } catch (e) {
      this.damaged(file, (e as Error).message);
      return null;
    }
  }

  storeValue(kind: string, key: string, value: unknown): void {
    if (!this.dir) return;
    const file = join(this.base(), kind, `${key}.json`);
    try {
      writeAtomic(file, JSON.stringify({ format: CACHE_FORMAT, key, value }));
    } catch (e) {
      this.warn({ severity: 'warning', message: `cannot write the cache: ${(e as Error).message}`, loc: { file, line: 1, col: 1 }, code: 'cache' });
    }
  }
}

/** Thrown by CachedModel.load when the model file is damaged (after the warning); the caller
 *  recomputes. */
export class CacheDamaged extends Error {
  constructor() {
    super('damaged cache entry');
  }
}
