// Reading one input file: a header, an #include target, an --include or --config file, a
// target YAML, a profile, a snapshot. Only regular files are read, and only up to
// MAX_INPUT_BYTES: the file is stat-ed first, so a FIFO (a read waits for a writer forever),
// a device (/dev/zero never ends), a directory or a huge file is refused with its reason
// before any byte is read. Messages name the path, as the compilers do.
import { closeSync, constants, fstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import { getSystemErrorMap } from 'node:util';
import type { Loc } from './diagnostics.js';

/** Where a problem of a command-line argument or flag is reported (clang's `<command line>`). */
export const COMMAND_LINE: Loc = { file: '<command line>', line: 1, col: 1 };

/**
 * The largest input file portabi reads: 256 MiB. A whole libc's headers are a few MiB
 * (glibc's /usr/include: ~30 MiB in thousands of files), the largest profile (the Rust libc
 * crate's) about 1 MiB. Text is held several times over (bytes, a string, tokens) and V8's
 * strings stop at 2^29 - 24 characters (~512 MiB); a file this large is not an input but a
 * mistake (a disk image, a core dump), better refused at once than after gigabytes of memory.
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;
const MAX_INPUT_TEXT = '256 MiB';

export type InputProblemKind = 'missing' | 'directory' | 'not-regular' | 'permission' | 'too-large' | 'unreadable';

export interface InputProblem {
  kind: InputProblemKind;
  /** Why, to follow "cannot read X: " ("permission denied", "it is a directory"). */
  reason: string;
  /** Diagnostic code. */
  code: string;
}

const problem = (kind: InputProblemKind, reason: string): InputProblem => ({
  kind,
  reason,
  code: kind === 'missing' ? 'missing-file' : kind === 'too-large' ? 'file-too-large' : kind === 'directory' || kind === 'not-regular' ? 'not-a-file' : 'unreadable-file',
});

/** The problem an fs error stands for. */
function fromError(e: unknown): InputProblem {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'ENOENT' || err?.code === 'ENOTDIR') return problem('missing', 'no such file');
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return problem('permission', 'permission denied');
  if (err?.code === 'EISDIR') return problem('directory', 'it is a directory');
  const known = typeof err?.errno === 'number' ? getSystemErrorMap().get(err.errno) : undefined;
  return problem('unreadable', known ? known[1] : err instanceof Error ? err.message : String(e));
}

/** What makes a stat-ed file not an input, or null. */
function kindProblem(st: Stats): InputProblem | null {
  if (st.isDirectory()) return problem('directory', 'it is a directory');
  if (!st.isFile()) return problem('not-regular', 'it is not a regular file');
  if (st.size > MAX_INPUT_BYTES) return problem('too-large', `it is larger than ${MAX_INPUT_TEXT} (${st.size} bytes), the limit for an input file`);
  return null;
}

/** The diagnostic message for a problem of `path`, standing alone. */
export function inputProblemMessage(path: string, p: InputProblem): string {
  switch (p.kind) {
    case 'missing':
      return `no such file '${path}'`;
    case 'directory':
      return `'${path}' is a directory`;
    case 'not-regular':
      return `'${path}' is not a regular file`;
    case 'too-large':
      return `'${path}' is larger than ${MAX_INPUT_TEXT}, the limit for an input file`;
    default:
      return `cannot read '${path}': ${p.reason}`;
  }
}

/** Whether `path` could be read as an input, without reading it: null when it could. */
export function inputFileProblem(path: string): InputProblem | null {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (e) {
    return fromError(e);
  }
  const k = kindProblem(st);
  if (k) return k;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return fromError(e);
  }
  closeSync(fd);
  return null;
}

/** The bytes of an input file, or why it cannot be read. */
export function readInputFile(path: string): { ok: true; bytes: Buffer } | { ok: false; problem: InputProblem } {
  let fd: number | undefined;
  try {
    const k = kindProblem(statSync(path));
    if (k) return { ok: false, problem: k };
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait
    // for a writer; the fstat below then refuses it.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const st = fstatSync(fd);
    const k2 = kindProblem(st);
    if (k2) return { ok: false, problem: k2 };
    // Read what the file holds now, up to the limit (it may have grown since the fstat).
    const chunks: Buffer[] = [];
    let total = 0;
    let chunk = Buffer.allocUnsafe(Math.min(Math.max(st.size, 4096) + 1, MAX_INPUT_BYTES + 1));
    for (;;) {
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
      if (total > MAX_INPUT_BYTES) return { ok: false, problem: problem('too-large', `it is larger than ${MAX_INPUT_TEXT}, the limit for an input file`) };
      if (n === chunk.length) chunk = Buffer.allocUnsafe(Math.min(chunk.length * 2, MAX_INPUT_BYTES + 1 - total));
      else chunk = chunk.subarray(n);
    }
    return { ok: true, bytes: chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, total) };
  } catch (e) {
    return { ok: false, problem: fromError(e) };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Text quoted from an input in a message: control characters and bytes that are not text shown
 * as escapes (\x00, \u{fffd}), cut after `max` characters of the quoted form, so a binary file
 * given where a text file belongs makes one short line, not the file.
 */
export function quoteExcerpt(text: string, max = 80, quote: "'" | '"' = "'"): string {
  let s = '';
  let n = 0; // characters of `text` quoted
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    let e: string;
    if (ch === '\\' || ch === quote) e = '\\' + ch;
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) e = '\\x' + c.toString(16).padStart(2, '0');
    else if (c === 0xfffd || (c >= 0xd800 && c < 0xe000)) e = `\\u{${c.toString(16)}}`;
    else e = ch;
    if (s.length + e.length > max) break;
    s += e;
    n += ch.length;
  }
  return `${quote}${s}${quote}${n < text.length ? `… (${text.length} characters)` : ''}`;
}
