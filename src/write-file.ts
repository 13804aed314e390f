// Writing an output file the way a user expects of a tool that replaces it:
//
// - A regular file (or a new one) is written to a temp file next to it (same directory, so the
//   rename is atomic), flushed, then renamed over it: a reader, a crash or a full disk never
//   sees half an output. The temp file is removed on any failure. An existing file keeps its
//   permission bits.
// - A symlink is followed to its final target, as `sed -i --follow-symlinks` does: the link
//   stays, its target is replaced (a dangling link gets its target created, as `>` would).
// - A FIFO, a device, a socket or a descriptor link (/dev/stdout, /dev/fd/N, /proc/<pid>/fd/N)
//   is written directly: renaming over it would replace the node, not write to it, and
//   atomicity is impossible there. A link to one of this process's descriptors is written to
//   that descriptor, like `cat` writing to fd 1: it continues what the caller's file holds (the
//   shell may have written to it before), and works when it is a socket, which cannot be
//   opened by name. Another process's descriptor is opened to append.
//
// stdout itself: writeStdout and stdoutFailed (the policy main() applies to every command).
// - A directory is an error.
//
// Failures are WriteError, which names the user's path (never the temp file) and a plain
// reason: `out/x.json: error: cannot write: no such file or directory`.
import { closeSync, fchmodSync, fstatSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readlinkSync, renameSync, rmdirSync, statSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { getSystemErrorMap } from 'node:util';

export class WriteError extends Error {
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: error: cannot write: ${reason}`);
    this.name = 'WriteError';
  }
}

/** A system error as the C library says it ("no such file or directory"), without Node's
 *  code, syscall and path decorations. */
export function reasonOf(e: unknown): string {
  const err = e as NodeJS.ErrnoException | undefined;
  if (err?.code === 'EISDIR') return 'is a directory'; // libuv says "illegal operation on a directory"
  if (typeof err?.errno === 'number') {
    const known = getSystemErrorMap().get(err.errno);
    if (known) return known[1];
  }
  return err instanceof Error ? err.message : String(e);
}

/** A write prepared by stageWrite: commit() puts it in place, abort() undoes the preparation. */
export interface StagedWrite {
  /** The path the caller named. */
  readonly path: string;
  /** Renames the temp file over the target (or writes a non-regular target directly).
   *  Throws WriteError, after removing the temp file. */
  commit(): void;
  /** Removes the temp file and any directory the staging created; safe to call twice. */
  abort(): void;
}

export interface WriteOptions {
  /** Create the missing parent directories (mkdir -p), as `gen` does for its outputs. */
  mkdirs?: boolean;
}

/** /dev/stdout, /dev/fd/N, /proc/<pid>/fd/N: an open file, not a file name. */
const DESCRIPTOR_LINK = /^\/(?:dev\/(?:stdin|stdout|stderr)$|dev\/fd\/|proc\/[^/]+\/fd\/)/;
const MAX_LINKS = 40; // Linux's MAXSYMLINKS

/** The descriptor of this process a descriptor link names, if it names one. */
function ownDescriptor(p: string): number | undefined {
  const std = /^\/dev\/std(in|out|err)$/.exec(p);
  if (std) return ['in', 'out', 'err'].indexOf(std[1]!);
  const m = /^\/(?:dev\/fd|proc\/(self|thread-self|\d+)\/fd)\/(\d+)$/.exec(p);
  if (m && (m[1] === undefined || m[1] === 'self' || m[1] === 'thread-self' || Number(m[1]) === process.pid)) return Number(m[2]);
  return undefined;
}

/** Follows `path`'s symlinks: the final target, or `descriptor` when the chain goes through a
 *  descriptor link (whose text, such as `pipe:[123]`, is not a path), with `fd` when it is one
 *  of this process's. */
function followLinks(path: string): { target: string; descriptor: boolean; fd?: number } {
  let p = resolve(path);
  for (let hops = 0; ; hops++) {
    if (DESCRIPTOR_LINK.test(p)) {
      const fd = ownDescriptor(p);
      return fd === undefined ? { target: p, descriptor: true } : { target: p, descriptor: true, fd };
    }
    let st: Stats | undefined;
    try {
      st = lstatSync(p, { throwIfNoEntry: false });
    } catch {
      st = undefined; // the open or the rename reports it
    }
    if (!st?.isSymbolicLink()) return { target: p, descriptor: false };
    if (hops >= MAX_LINKS) throw new WriteError(path, 'too many levels of symbolic links');
    p = resolve(dirname(p), readlinkSync(p));
  }
}

/** write() until all is written: a short write (a nearly full disk, a file size limit) is
 *  followed by one that fails, so the failure is seen. A descriptor in non-blocking mode (a
 *  pipe another process set so) is waited for. */
function writeAll(fd: number, data: Uint8Array): void {
  for (let off = 0; off < data.length; ) {
    try {
      off += writeSync(fd, data, off, data.length - off);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
}

const tryUnlink = (p: string): void => {
  try {
    unlinkSync(p);
  } catch {
    // already gone
  }
};

/**
 * Prepares a write of `data` to `path`: for a regular or new file, the whole text is written
 * and flushed to a temp file beside the target; nothing is visible until commit(). Throws
 * WriteError (leaving nothing behind) when the target cannot be written.
 */
export function stageWrite(path: string, data: string | Uint8Array, opts: WriteOptions = {}): StagedWrite {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let st: Stats | undefined;
  try {
    st = statSync(path, { throwIfNoEntry: false });
  } catch (e) {
    throw new WriteError(path, reasonOf(e)); // a parent that is a file, a loop, no permission
  }
  if (st?.isDirectory()) throw new WriteError(path, 'is a directory');
  const { target, descriptor, fd: ownFd } = followLinks(path);

  if (ownFd !== undefined) {
    return {
      path,
      commit() {
        try {
          writeAll(ownFd, bytes);
        } catch (e) {
          throw new WriteError(path, reasonOf(e));
        }
      },
      abort() {},
    };
  }
  if (descriptor || (st && !st.isFile())) {
    // Written in place at commit (opening a FIFO waits for its reader). Another process's
    // descriptor is appended to rather than truncated, as writing to the descriptor would.
    return {
      path,
      commit() {
        let fd: number | undefined;
        try {
          fd = openSync(path, descriptor ? 'a' : 'w');
          writeAll(fd, bytes);
          const f = fd;
          fd = undefined;
          closeSync(f);
        } catch (e) {
          if (fd !== undefined) closeSync(fd);
          throw new WriteError(path, reasonOf(e));
        }
      },
      abort() {},
    };
  }

  const dir = dirname(target);
  let created: string | undefined;
  if (opts.mkdirs) {
    try {
      created = mkdirSync(dir, { recursive: true });
    } catch (e) {
      // mkdir -p over a regular file fails with EEXIST: say what is wrong with it.
      throw new WriteError(path, (e as NodeJS.ErrnoException).code === 'EEXIST' ? 'not a directory' : reasonOf(e));
    }
  }
  const removeCreatedDirs = (): void => {
    if (!created) return;
    // From the deepest up to the first one mkdir made; stops at one that is not empty.
    for (let d = dir; ; d = dirname(d)) {
      try {
        rmdirSync(d);
      } catch {
        return;
      }
      if (d === created || dirname(d) === d) return;
    }
  };
  removeDeadTemps(target);
  const tmp = `${target}.${process.pid}.${Math.random().toString(36).slice(2, 8)}.tmp`;
  let fd: number | undefined;
  try {
    fd = openSync(tmp, 'wx', 0o666);
    if (st) {
      try {
        fchmodSync(fd, st.mode & 0o7777);
      } catch {
        // keep the default mode
      }
    }
    writeAll(fd, bytes);
    fsyncSync(fd);
    const f = fd;
    fd = undefined;
    closeSync(f);
  } catch (e) {
    if (fd !== undefined) {
      try {
        closeSync(fd);
      } catch {
        // reported below
      }
    }
    tryUnlink(tmp);
    removeCreatedDirs();
    throw new WriteError(path, reasonOf(e));
  }
  let done = false;
  return {
    path,
    commit() {
      try {
        renameSync(tmp, target);
        done = true;
      } catch (e) {
        tryUnlink(tmp);
        removeCreatedDirs();
        done = true;
        throw new WriteError(path, reasonOf(e));
      }
    },
    abort() {
      if (done) return;
      done = true;
      tryUnlink(tmp);
      removeCreatedDirs();
    },
  };
}

/**
 * Removes the temp files of `target` that a killed portabi left (`<target>.<pid>.<rand>.tmp`
 * whose process is gone). A signal during a write cannot remove its own: every write is
 * synchronous, so a signal handler would run only after it, and one installed for the whole
 * run would hold off Ctrl-C until the computation ends. So the next write of the file does it.
 */
function removeDeadTemps(target: string): void {
  const dir = dirname(target);
  const prefix = `${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith('.tmp')) continue;
    const m = /^(\d+)\.[a-z0-9]+\.tmp$/.exec(n.slice(prefix.length));
    if (!m || Number(m[1]) === process.pid || processAlive(Number(m[1]))) continue;
    tryUnlink(join(dir, n));
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'; // alive, another user's
  }
}

/** Writes `data` to `path` (see the top of this file); throws WriteError. */
export function writeFileAtomic(path: string, data: string | Uint8Array, opts: WriteOptions = {}): void {
  stageWrite(path, data, opts).commit();
}

/** The reader of stdout went away: 128 + SIGPIPE, the shell's status for cat killed by it. */
export const EXIT_BROKEN_PIPE = 141;

/**
 * stdout failed; the run stops. EPIPE (the reader went away: `portabi dump … | head -1`):
 * quietly, status 141, as cat and grep stop (they are killed by SIGPIPE, which Node ignores;
 * the shell reports 128 + 13). Any other error (a full disk, EIO, a file size limit): one line,
 * exit 2. Why 141 and not 0 is in src/cli.ts (guardOutputStreams).
 */
export function stdoutFailed(e: unknown): never {
  if ((e as NodeJS.ErrnoException | undefined)?.code === 'EPIPE') process.exit(EXIT_BROKEN_PIPE);
  process.stderr.write(`portabi: cannot write to standard output: ${reasonOf(e)}\n`);
  process.exit(2);
}

let stdoutIsFile: boolean | undefined;

/**
 * Writes a document to stdout. When stdout is a file or a device, Node's stream writes once
 * and silently drops what a short write left (a nearly full disk, a file size limit): it is
 * written here until done, so that the failure is seen. Pipes, sockets and terminals go
 * through process.stdout, whose errors main() handles.
 */
export function writeStdout(text: string): void {
  if (stdoutIsFile === undefined) {
    try {
      const st = fstatSync(1);
      stdoutIsFile = !st.isFIFO() && !st.isSocket() && !process.stdout.isTTY;
    } catch {
      stdoutIsFile = false;
    }
  }
  if (!stdoutIsFile) {
    process.stdout.write(text);
    return;
  }
  try {
    writeAll(1, Buffer.from(text, 'utf8'));
  } catch (e) {
    stdoutFailed(e);
  }
}
