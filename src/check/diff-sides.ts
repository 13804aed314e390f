// The two sides `portabi diff` compares. Each side is one of:
//   tree      a directory of headers (paths in the flags are relative to it);
//   git       a revision of the repository around the working directory, read through git
//             with no checkout (paths are relative to the working directory, as in the
//             working tree, so locations read as repository paths);
//   snapshot  an ABI model written by `portabi dump` (JSON, or YAML by extension).
// Files are read through a FileSource, so the parse cache (diff-cache.ts) can record and later
// re-check every file a side read; content is identified by its git blob id (SHA-1 of
// "blob <size>\0" + bytes), which a git side knows without reading the file.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, normalize, posix, relative, sep } from 'node:path';
import type { AbiModel } from '../abi/model.js';
import type { Diagnostic, Loc } from '../parse/diagnostics.js';
import { COMMAND_LINE, readInputFile } from '../parse/input-file.js';

export function blobId(content: Buffer): string {
  return createHash('sha1').update(`blob ${content.length}\0`).update(content).digest('hex');
}

export interface FileSource {
  /** 'fs' or 'git:<commit>'. */
  id: string;
  read(path: string): Buffer | null;
  exists(path: string): boolean;
  /** Content id (git blob id) of a file, null when it does not exist. */
  contentId(path: string): string | null;
  /** .h files under a directory (recursively), as paths joined to `dir`, sorted. */
  listHeaders(dir: string): string[];
  /**
   * The file's metadata as a string that changes whenever its content may have (inode, size,
   * and modification and change times in ns), so an unchanged stamp spares reading and hashing
   * it again. Null when the file does not exist, or when its change time is not before
   * `changedBefore` (ms since the epoch): a file changed while it was being read may have a
   * stamp newer than the content read ("racily clean" in git's index). Absent when the source
   * has no such metadata (git revisions, whose content ids cost nothing).
   */
  stamp?(path: string, changedBefore?: number): string | null;
}

// ---- the file system --------------------------------------------------------------------------

export function fsSource(): FileSource {
  const ids = new Map<string, string | null>();
  // Only regular files, up to the input size limit (a FIFO would block, /dev/zero not end).
  const read = (p: string): Buffer | null => {
    const r = readInputFile(p);
    return r.ok ? r.bytes : null;
  };
  return {
    id: 'fs',
    read,
    stamp(p, changedBefore = Infinity) {
      const st = statSync(p, { bigint: true, throwIfNoEntry: false });
      if (!st?.isFile() || Number(st.ctimeMs) >= changedBefore) return null;
      return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
    },
    exists(p) {
      // As the compilers' include search: a directory is passed over; anything else is found
      // (and a FIFO or device then refused when read).
      try {
        return !statSync(p).isDirectory();
      } catch {
        return false;
      }
    },
    contentId(p) {
      let id = ids.get(p);
      if (id === undefined) {
        const b = read(p);
        id = b === null ? null : blobId(b);
        ids.set(p, id);
      }
      return id;
    },
    listHeaders(dir) {
      const out: string[] = [];
      const walk = (d: string) => {
        let names: string[];
        try {
          names = readdirSync(d).sort();
        } catch {
          return;
        }
        for (const e of names) {
          const p = d === '.' ? e : join(d, e);
          let st;
          try {
            st = statSync(p);
          } catch {
            continue;
          }
          if (st.isDirectory()) walk(p);
          else if (st.isFile() && e.endsWith('.h')) out.push(p);
        }
      };
      walk(dir);
      return out;
    },
  };
}

// ---- a git revision ---------------------------------------------------------------------------

interface GitEntry {
  mode: string;
  sha: string;
  size: number;
}

function git(args: string[], cwd: string, input?: Buffer | string): { ok: boolean; out: Buffer; err: string } {
  const r = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30 });
  return { ok: r.status === 0 && !r.error, out: r.stdout ?? Buffer.alloc(0), err: r.error ? String(r.error.message) : String(r.stderr ?? '') };
}

export { COMMAND_LINE };

/**
 * The files of revision `rev` of the repository that contains `cwd`. Paths inside the
 * repository are read from the revision (relative paths from `cwd`, as in the working tree);
 * paths outside it (the compiler's own headers) from the file system. The header blobs are
 * read in one `git cat-file --batch` on first use.
 */
export function gitSource(rev: string, flag: string, cwd = process.cwd()): { ok: true; source: FileSource; commit: string } | { ok: false; diagnostics: Diagnostic[] } {
  const fail = (message: string): { ok: false; diagnostics: Diagnostic[] } => ({ ok: false, diagnostics: [{ severity: 'fatal', message, loc: COMMAND_LINE, code: 'bad-revision' }] });
  const top = git(['rev-parse', '--show-toplevel'], cwd);
  if (!top.ok) return fail(`${flag} ${rev}: ${cwd} is not inside a git repository`);
  const toplevel = top.out.toString('utf8').trim();
  const c = git(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], cwd);
  if (!c.ok) return fail(`${flag} ${rev}: not a revision of the repository at ${toplevel}`);
  const commit = c.out.toString('utf8').trim();
  const ls = git(['ls-tree', '-r', '-l', '-z', '--full-tree', commit], cwd);
  if (!ls.ok) return fail(`${flag} ${rev}: git ls-tree failed: ${ls.err.trim()}`);
  const tree = new Map<string, GitEntry>();
  for (const rec of ls.out.toString('utf8').split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\s+(-|\d+)\t(.*)$/s.exec(rec);
    if (m && m[2] === 'blob') tree.set(m[5]!, { mode: m[1]!, sha: m[3]!, size: m[4] === '-' ? 0 : Number(m[4]) });
  }
  let realCwd: string;
  let realTop: string;
  try {
    realCwd = realpathSync(cwd);
    realTop = realpathSync(toplevel);
  } catch {
    return fail(`${flag} ${rev}: cannot resolve ${cwd}`);
  }
  const fs = fsSource();
  const blobs = new Map<string, Buffer>();
  let prefetched = false;

  /** Repository path of a path, or null when it is outside the repository. */
  const repoPath = (p: string): string | null => {
    const abs = isAbsolute(p) ? p : join(realCwd, p);
    const rel = relative(realTop, abs);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
    return rel.split(sep).join('/');
  };
  /** The entry of a repository path, through symbolic links. */
  const entry = (rp: string): GitEntry | null => {
    let cur = posix.normalize(rp);
    for (let hops = 0; hops < 16; hops++) {
      const e = tree.get(cur);
      if (!e) return null;
      if (e.mode !== '120000') return e;
      const target = blob(e.sha)?.toString('utf8') ?? '';
      cur = posix.normalize(posix.join(posix.dirname(cur), target));
      if (cur.startsWith('..')) return null;
    }
    return null;
  };
  const prefetch = () => {
    prefetched = true;
    const want: string[] = [];
    let total = 0;
    for (const [p, e] of tree) {
      if (!(p.endsWith('.h') || e.mode === '120000') || blobs.has(e.sha)) continue;
      if (total + e.size > 64 << 20) break;
      total += e.size;
      want.push(e.sha);
    }
    if (!want.length) return;
    const r = git(['cat-file', '--batch'], realTop, want.join('\n') + '\n');
    if (!r.ok) return;
    let at = 0;
    const buf = r.out;
    while (at < buf.length) {
      const nl = buf.indexOf(10, at);
      if (nl < 0) break;
      const [sha, type, size] = buf.toString('utf8', at, nl).split(' ');
      if (type === 'missing' || size === undefined) {
        at = nl + 1;
        continue;
      }
      const n = Number(size);
      blobs.set(sha!, buf.subarray(nl + 1, nl + 1 + n));
      at = nl + 1 + n + 1;
    }
  };
  function blob(sha: string): Buffer | null {
    if (!prefetched) prefetch();
    let b = blobs.get(sha);
    if (!b) {
      const r = git(['cat-file', 'blob', sha], realTop);
      if (!r.ok) return null;
      b = r.out;
      blobs.set(sha, b);
    }
    return b;
  }
  const source: FileSource = {
    id: `git:${commit}`,
    read(p) {
      const rp = repoPath(p);
      if (rp === null) return fs.read(p);
      const e = entry(rp);
      return e ? blob(e.sha) : null;
    },
    exists(p) {
      const rp = repoPath(p);
      if (rp === null) return fs.exists(p);
      return entry(rp) !== null;
    },
    contentId(p) {
      const rp = repoPath(p);
      if (rp === null) return fs.contentId(p);
      return entry(rp)?.sha ?? null;
    },
    listHeaders(dir) {
      const rp = repoPath(dir);
      if (rp === null) return fs.listHeaders(dir);
      const prefix = rp === '' ? '' : rp.replace(/\/$/, '') + '/';
      const out: string[] = [];
      for (const p of tree.keys()) {
        if (!p.startsWith(prefix) || !p.endsWith('.h')) continue;
        out.push(normalize(join(dir, p.slice(prefix.length))));
      }
      return out.sort();
    },
  };
  return { ok: true, source, commit };
}

// ---- side specs -------------------------------------------------------------------------------

export type SideSpec =
  | { kind: 'tree'; root: string }
  | { kind: 'git'; rev: string }
  | { kind: 'snapshot'; file: string };

export function sideLabel(s: SideSpec): { kind: SideSpec['kind']; spec: string } {
  return { kind: s.kind, spec: s.kind === 'tree' ? s.root : s.kind === 'git' ? s.rev : s.file };
}

/** A positional side: a directory is a header tree, a file a snapshot. Null (with a located
 *  diagnostic) when it is neither. */
export function positionalSide(arg: string): { side: SideSpec } | { diagnostics: Diagnostic[] } {
  let st;
  try {
    st = statSync(arg.replace(/\{(target|config)\}/g, '_'));
  } catch {
    st = null;
  }
  if (/\{(target|config)\}/.test(arg)) return { side: { kind: 'snapshot', file: arg } };
  if (!st) return { diagnostics: [{ severity: 'fatal', message: `no such header tree or snapshot '${arg}'`, loc: { file: arg, line: 1, col: 1 }, code: 'missing-file' }] };
  return { side: st.isDirectory() ? { kind: 'tree', root: arg } : { kind: 'snapshot', file: arg } };
}

/** A path from the flags, on a side rooted at `root` ('.' for git sides and the working tree). */
export function sidePath(root: string, p: string): string {
  if (isAbsolute(p) || root === '.' || root === '') return normalize(p);
  return normalize(join(root, p));
}

/** `{target}` and `{config}` in a snapshot path: the ABI it holds. */
export function snapshotPath(file: string, target: string, config: string | null): string {
  const cfg = config ? config.split(/[\\/]/).pop()!.replace(/\.config$/, '') : 'default';
  return file.replace(/\{target\}/g, target).replace(/\{config\}/g, cfg);
}

// ---- snapshots ---------------------------------------------------------------------------------

function locAt(text: string, offset: number, file: string): Loc {
  let line = 1;
  let col = 1;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      col = 1;
    } else col++;
  }
  return { file, line, col };
}

/** Where a key first appears in the text (as `"key"`), for locating a bad entry. */
function locOfKey(text: string, key: string, file: string): Loc {
  const i = text.indexOf(JSON.stringify(key));
  if (i >= 0) return locAt(text, i, file);
  const y = text.indexOf(key);
  return y >= 0 ? locAt(text, y, file) : { file, line: 1, col: 1 };
}

/** The first key that repeats an earlier key of its object, in a text JSON.parse accepted:
 *  where, and the key. One pass over the structure, skipping string contents with indexOf;
 *  about as long as JSON.parse itself (a few ms on a libc's snapshot). */
export function jsonDuplicateKey(text: string): { offset: number; key: string } | null {
  const structure = /["{}[\],]/g;
  // Per open object its keys (a list while short: most objects have a few), null for an array.
  const open: (string[] | Set<string> | null)[] = [];
  let expectKey = false;
  for (let m = structure.exec(text); m; m = structure.exec(text)) {
    const i = m.index;
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      let j = text.indexOf('"', i + 1);
      for (;;) {
        let k = j - 1;
        while (text.charCodeAt(k) === 0x5c /* \ */) k--;
        if ((j - 1 - k) % 2 === 0) break; // not escaped
        j = text.indexOf('"', j + 1);
      }
      structure.lastIndex = j + 1;
      if (!expectKey) continue;
      expectKey = false;
      const raw = text.slice(i + 1, j);
      const key = raw.includes('\\') ? (JSON.parse(text.slice(i, j + 1)) as string) : raw;
      const keys = open[open.length - 1]!;
      if (Array.isArray(keys)) {
        if (keys.includes(key)) return { offset: i, key };
        keys.push(key);
        if (keys.length > 16) open[open.length - 1] = new Set(keys);
      } else {
        if (keys.has(key)) return { offset: i, key };
        keys.add(key);
      }
    } else if (c === 0x7b /* { */) {
      open.push([]);
      expectKey = true;
    } else if (c === 0x5b /* [ */) open.push(null);
    else if (c === 0x7d /* } */ || c === 0x5d /* ] */) open.pop();
    else expectKey = open[open.length - 1] != null; // ','
  }
  return null;
}

/** The first JSON syntax error (RFC 8259) in a text JSON.parse rejected: where, and what was
 *  expected there. (V8's own messages do not always give the position.) */
export function jsonSyntaxError(text: string): { offset: number; message: string } {
  let i = 0;
  class Stop {
    constructor(readonly offset: number, readonly message: string) {}
  }
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const fail = (what: string): never => {
    throw new Stop(i, i >= text.length ? `unexpected end of file; expected ${what}` : `unexpected ${JSON.stringify(text[i])}; expected ${what}`);
  };
  const str = () => {
    if (text[i] !== '"') fail('a string');
    i++;
    while (i < text.length && text[i] !== '"') {
      const c = text.charCodeAt(i);
      if (c < 0x20) fail('a closing quote');
      if (text[i] === '\\') {
        i++;
        if (text[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail('four hex digits');
          i += 5;
          continue;
        }
        if (!'"\\/bfnrt'.includes(text[i] ?? 'x')) fail('an escape character');
      }
      i++;
    }
    if (i >= text.length) fail('a closing quote');
    i++;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        str();
        ws();
        if (text[i] !== ':') fail("':'");
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail("',' or '}'");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail("',' or ']'");
      }
    }
    if (c === '"') return str();
    const lit = /^(true|false|null|-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?)/.exec(text.slice(i, i + 400));
    if (!lit) fail('a value');
    i += lit![0].length;
  };
  try {
    value();
    ws();
    if (i < text.length) fail('the end of the file');
  } catch (e) {
    if (e instanceof Stop) return { offset: e.offset, message: e.message };
    throw e;
  }
  return { offset: 0, message: 'not valid JSON' };
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the shape of a model read from a file: what the diff relies on. The first problem,
 *  as a message and the key it is under. */
export function modelShapeError(m: unknown): { message: string; key: string } | null {
  if (!isObj(m)) return { message: 'not an ABI model (expected a JSON object written by `portabi dump`)', key: '' };
  if (m.schemaVersion !== 1) return { message: `unsupported schemaVersion ${JSON.stringify(m.schemaVersion)} (this portabi reads 1)`, key: 'schemaVersion' };
  if (typeof m.target !== 'string') return { message: 'target: expected a string', key: 'target' };
  for (const k of ['types', 'constants', 'initializers', 'functions', 'macros']) if (!isObj(m[k])) return { message: `${k}: expected an object`, key: k };
  const str = (v: unknown) => typeof v === 'string';
  const numOrNull = (v: unknown) => v === null || (typeof v === 'number' && Number.isFinite(v));
  for (const [name, t] of Object.entries(m.types as Record<string, unknown>)) {
    if (!isObj(t) || !str(t.kind) || !numOrNull(t.size) || !numOrNull(t.align) || typeof t.complete !== 'boolean' || !str(t.loc)) return { message: `types["${name}"]: expected { kind, size, align, complete, loc }`, key: name };
    if (t.aliasOf !== undefined && !str(t.aliasOf)) return { message: `types["${name}"].aliasOf: expected a string`, key: name };
    if (t.fields !== undefined) {
      if (!Array.isArray(t.fields)) return { message: `types["${name}"].fields: expected an array`, key: name };
      for (const f of t.fields as unknown[]) {
        if (!isObj(f) || !str(f.name) || typeof f.offsetBits !== 'number' || typeof f.sizeBits !== 'number' || typeof f.bitField !== 'boolean' || !str(f.type)) return { message: `types["${name}"].fields: expected { name, offsetBits, sizeBits, bitField, type }`, key: name };
      }
    }
  }
  for (const [name, c] of Object.entries(m.constants as Record<string, unknown>)) {
    if (!isObj(c) || !str(c.value) || !/^-?\d+$/.test(c.value as string) || !str(c.type) || !str(c.loc) || (c.source !== 'macro' && c.source !== 'enumerator')) return { message: `constants["${name}"]: expected { value (decimal string), type, loc, source }`, key: name };
  }
  for (const [name, i] of Object.entries(m.initializers as Record<string, unknown>)) {
    if (!isObj(i) || !str(i.type) || !str(i.bytes) || !/^([0-9a-f]{2})*$/.test(i.bytes as string) || !str(i.loc)) return { message: `initializers["${name}"]: expected { type, bytes (lowercase hex), loc }`, key: name };
  }
  for (const [name, f] of Object.entries(m.functions as Record<string, unknown>)) {
    if (!isObj(f) || !str(f.signature) || !str(f.loc)) return { message: `functions["${name}"]: expected { signature, loc }`, key: name };
  }
  for (const [name, x] of Object.entries(m.macros as Record<string, unknown>)) {
    if (!isObj(x) || !str(x.class) || !str(x.loc) || (x.detail !== undefined && !str(x.detail))) return { message: `macros["${name}"]: expected { class, detail?, loc }`, key: name };
  }
  if (m.diagnostics !== undefined && !Array.isArray(m.diagnostics)) return { message: 'diagnostics: expected an array', key: 'diagnostics' };
  return null;
}

export interface SnapshotText {
  file: string;
  text: string;
  /** sha256 of the text: the model's identity for the result cache. */
  digest: string;
}

export function readSnapshotText(file: string): { ok: true; value: SnapshotText } | { ok: false; diagnostics: Diagnostic[] } {
  // Only a regular file, up to the input size limit (src/parse/input-file.ts).
  const read = readInputFile(file);
  if (!read.ok) {
    const message = read.problem.kind === 'missing' ? `no such snapshot file '${file}'` : `cannot read snapshot '${file}': ${read.problem.reason}`;
    return { ok: false, diagnostics: [{ severity: 'fatal', message, loc: { file, line: 1, col: 1 }, code: read.problem.code }] };
  }
  const buf = read.bytes;
  return { ok: true, value: { file, text: buf.toString('utf8'), digest: createHash('sha256').update(buf).digest('hex') } };
}

/** A snapshot's model, checked: JSON (or YAML for .yaml/.yml) of the shape `portabi dump`
 *  writes, for `target`. Problems are located in the file. */
export async function parseSnapshot(s: SnapshotText, target: string): Promise<{ ok: true; model: AbiModel } | { ok: false; diagnostics: Diagnostic[] }> {
  const bad = (message: string, loc: Loc): { ok: false; diagnostics: Diagnostic[] } => ({ ok: false, diagnostics: [{ severity: 'fatal', message, loc, code: 'bad-snapshot' }] });
  let value: unknown;
  if (/\.ya?ml$/i.test(s.file)) {
    // `yaml` is CommonJS: in the esbuild bundle a dynamic import of it has only `default`
    // (Node's own loader also gives the named exports).
    const yaml = await import('yaml');
    const parseDocument = (yaml.default ?? yaml).parseDocument;
    const doc = parseDocument(s.text);
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const lp = e.linePos?.[0];
      return bad(`not a valid YAML snapshot: ${e.message.split('\n')[0]}`, { file: s.file, line: lp?.line ?? 1, col: lp?.col ?? 1 });
    }
    try {
      // yaml's own guard against alias bombs ("billion laughs"): a snapshot `dump` wrote has
      // no aliases at all.
      value = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      return bad(`not a valid YAML snapshot: ${(e as Error).message.split('\n')[0]}`, { file: s.file, line: 1, col: 1 });
    }
  } else {
    try {
      value = JSON.parse(s.text);
    } catch {
      const e = jsonSyntaxError(s.text);
      return bad(`not a valid JSON snapshot: ${e.message}`, locAt(s.text, e.offset, s.file));
    }
    // JSON.parse keeps the last of a repeated key; a snapshot `dump` wrote has none, so one
    // is an edited or merged file whose meaning is unclear (profiles and targets reject them too).
    const dup = jsonDuplicateKey(s.text);
    if (dup) return bad(`not a valid JSON snapshot: duplicate key ${JSON.stringify(dup.key)} in one object`, locAt(s.text, dup.offset, s.file));
  }
  const shape = modelShapeError(value);
  if (shape) return bad(`not a portabi ABI model: ${shape.message}`, shape.key ? locOfKey(s.text, shape.key, s.file) : { file: s.file, line: 1, col: 1 });
  const model = value as AbiModel;
  if (model.target !== target) return bad(`snapshot is for target ${model.target}, not ${target}`, locOfKey(s.text, 'target', s.file));
  return { ok: true, model };
}
