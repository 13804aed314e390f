// The compiler oracles for layout stress testing.
//
// clang: `clang-19 -target <clangTriple> <clangFlags> -Xclang -fdump-record-layouts
// -fsyntax-only` prints, for every record whose layout was needed, each member's offset
// ("byte" or "byte:firstbit-lastbit" for bit-fields, "byte:-" for zero-width ones), nested
// records indented two spaces per level, and "[sizeof=N, align=M]". We make clang lay out every
// record by asking for its sizeof in a _Static_assert, and parse that dump.
//
// gcc: has no layout dump. We check portabi's numbers with _Static_assert (sizeof, _Alignof,
// offsetof of every named non-bit-field member), and bit-field positions by *images*: for each
// named bit-field, a static const union of the record and a byte array, initialised with that
// bit-field all ones and everything else zero, each in its own section; the object file's
// sections (objdump -s) give the bytes gcc chose, which we compare with the bytes portabi's
// offset and width predict. This needs `-c` rather than `-fsyntax-only`.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface DumpField {
  depth: number;
  offsetBits: number;
  /** Bit-field width; undefined for ordinary members. */
  width?: number;
  text: string; // "int f3", "struct S1::(anonymous at ...)"
  children: DumpField[];
}

export interface DumpRecord {
  name: string; // "struct S12"
  size: number;
  align: number;
  fields: DumpField[];
}

const LINE = /^\s*(\d+)(?::(?:(\d+)-(\d+)|-))?\s\|( +)(.*)$/;
const SIZE = /^\s*\|\s*\[sizeof=(\d+),.*?align=(\d+)/;

/** Parse clang's -fdump-record-layouts output (C records). */
export function parseClangDump(out: string): Map<string, DumpRecord> {
  const records = new Map<string, DumpRecord>();
  const blocks = out.split('*** Dumping AST Record Layout');
  for (const block of blocks) {
    const lines = block.split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    let rec: DumpRecord | null = null;
    const stack: DumpField[] = [];
    for (const l of lines) {
      const s = SIZE.exec(l);
      if (s && rec) {
        rec.size = Number(s[1]);
        rec.align = Number(s[2]);
        break;
      }
      const m = LINE.exec(l);
      if (!m) continue;
      const depth = (m[4]!.length - 1) / 2;
      const byte = Number(m[1]);
      if (depth === 0) {
        rec = { name: m[5]!.trim(), size: -1, align: -1, fields: [] };
        continue;
      }
      if (!rec) continue;
      const f: DumpField = { depth, offsetBits: byte * 8, text: m[5]!.trim(), children: [] };
      if (l.includes(':-')) f.width = 0;
      else if (m[2] !== undefined) {
        f.offsetBits += Number(m[2]);
        f.width = Number(m[3]) - Number(m[2]) + 1;
      }
      while (stack.length && stack[stack.length - 1]!.depth >= depth) stack.pop();
      if (depth === 1) rec.fields.push(f);
      else stack[stack.length - 1]?.children.push(f);
      stack.push(f);
    }
    if (rec && !rec.name.includes('(anonymous')) records.set(rec.name, rec);
  }
  return records;
}

export interface CompileResult {
  stdout: string;
  stderr: string;
  code: number;
}

async function compile(cmd: string, args: string[]): Promise<CompileResult> {
  try {
    const { stdout, stderr } = await run(cmd, args, { maxBuffer: 1 << 30 });
    return { stdout, stderr, code: 0 };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string; code?: number };
    return { stdout: err.stdout ?? '', stderr: err.stderr ?? '', code: typeof err.code === 'number' ? err.code : 1 };
  }
}

export function tempFile(name: string, text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-stress-'));
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Run clang's layout dump over `source`. */
export async function clangDump(source: string, triple: string, flags: string[]): Promise<CompileResult & { file: string }> {
  const file = tempFile('stress.c', source);
  const r = await compile('clang-19', [
    '-target', triple, ...flags, '-std=gnu11', '-w', '-ferror-limit=0',
    '-Xclang', '-fdump-record-layouts', '-fsyntax-only', file,
  ]);
  return { ...r, file };
}

/** gcc -fsyntax-only over `source`. */
export async function gccSyntax(source: string, command: string, flags: string[]): Promise<CompileResult & { file: string }> {
  const file = tempFile('stress-gcc-asserts.c', source);
  const r = await compile(command, [...flags, '-std=gnu11', '-w', '-fmax-errors=0', '-fsyntax-only', file]);
  return { ...r, file };
}

/** Compile with gcc to an object and return the bytes of every section named `.pimg.*`. */
export async function gccImages(source: string, command: string, flags: string[]): Promise<{ errors: string; sections: Map<string, number[]>; file: string }> {
  const file = tempFile('stress-gcc.c', source);
  const obj = file.replace(/\.c$/, '.o');
  const c = await compile(command, [...flags, '-std=gnu11', '-w', '-fmax-errors=0', '-c', '-o', obj, file]);
  const sections = new Map<string, number[]>();
  if (c.code !== 0) return { errors: c.stderr, sections, file };
  const objdump = command.replace(/gcc$/, 'objdump');
  const d = await compile(objdump, ['-s', obj]);
  let cur: number[] | null = null;
  for (const line of d.stdout.split('\n')) {
    const h = /^Contents of section (\S+):/.exec(line);
    if (h) {
      cur = h[1]!.startsWith('.pimg.') ? [] : null;
      if (cur) sections.set(h[1]!.slice('.pimg.'.length), cur);
      continue;
    }
    if (!cur) continue;
    // " 0000 ffff0000 00000000 ...  ascii"
    const m = /^ [0-9a-f]+ ((?:[0-9a-f]{2,8} ?){1,4})/.exec(line);
    if (!m) continue;
    for (const word of m[1]!.trim().split(/\s+/)) {
      for (let i = 0; i < word.length; i += 2) cur.push(parseInt(word.slice(i, i + 2), 16));
    }
  }
  return { errors: c.stderr, sections, file };
}
