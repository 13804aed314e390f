// C probes: a C file that makes a real compiler confirm (or refute) each expectation.
//
// Compile-time checks (`_Static_assert`, C11; clang and gcc): sizeof, _Alignof,
// __builtin_offsetof, the width of ordinary members, constant values, function prototypes
// (`_Generic((__typeof__(f) *)0, T (*)(…): 1, default: 0)`).
//
// Initializer bytes and bit-field positions cannot be checked at compile time portably: C has no
// constant expression that reads an object's bytes, and gcc 12 does not fold
// `((T)MACRO).field` or members of `static const` objects (clang folds both as a GNU
// extension; C23 `constexpr` objects are not in gcc 12). So they are checked from the object
// file: the probe defines `const T portabi_obj_<n> = MACRO;` (or `= { .bf = -1 }` for a
// bit-field, whose set bits give its offset and width), and verifyProbe compiles with `-c` and
// reads the symbol's bytes from the ELF object.
//
// Every check is on one line that ends in a `// portabi:{json}` comment, so verifyProbe maps a
// compiler diagnostic (by line) back to the item, from the probe file alone.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { AbiModel } from '../abi/model.js';
import { fieldsOf, resolveType, typeCandidates } from './check.js';
import { extractProfile } from './profile-extract.js';
import type { Profile } from './profile-types.js';
import { reasonOf, writeFileAtomic, WriteError } from '../write-file.js';

export type ProbeCheckKind = 'size' | 'align' | 'offset' | 'field-size' | 'value' | 'signature' | 'bytes' | 'bitfield';

export interface ProbeCheck {
  id: number;
  kind: ProbeCheckKind;
  item: string;
  field?: string;
  /** size/align/offset bytes; field-size bits; value decimal; signature text; bytes hex;
   *  bitfield "offsetBits:sizeBits". */
  expected: string;
  /** Object checks: the symbol verifyProbe reads. */
  symbol?: string;
}

export interface ProbeOptions {
  /** Lines to `#include`: a path becomes `#include "path"`, `<x.h>` stays as written. */
  includes: string[];
  /** Endianness of the target (for bit-field positions from object bytes). Default little. */
  endian?: 'little' | 'big';
}

export interface Probe {
  text: string;
  checks: ProbeCheck[];
}

function cString(s: string): string {
  return '"' + s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') + '"';
}

/** An integer literal of exactly `v`, typed (long long / unsigned long long) so that no value
 *  wraps: -9223372036854775808 is written as (-9223372036854775807LL - 1). */
export function cIntegerLiteral(v: string): string {
  const n = BigInt(v);
  if (n >= 0n) return `${n}ULL`;
  if (n === -(2n ** 63n)) return '(-9223372036854775807LL - 1)';
  return `(${n}LL)`;
}

/** `int open(const char *, int, ...)` → `int (*)(const char *, int, ...)`. */
export function pointerTypeOfSignature(name: string, signature: string): string | null {
  const re = new RegExp(`(^|[^A-Za-z0-9_])${name}(?=\\s*\\()`);
  const m = re.exec(signature);
  if (!m) return null;
  const at = m.index + m[1]!.length;
  return signature.slice(0, at) + '(*)' + signature.slice(at + name.length);
}

/** A profile name that cannot be pasted into C. Thrown by generateProbe before anything is
 *  written; a WriteError so that main() prints the located message as is and exits 2. */
export class ProbeNameError extends WriteError {
  constructor(where: string, message: string) {
    super(where, message);
    this.message = `${where}: error: ${message}`;
    this.name = 'ProbeNameError';
  }
}

const C_IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;
const C_TYPE = /^(?:(?:struct|union|enum) +)?[A-Za-z_][A-Za-z0-9_]*$/;
const C_MEMBER = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** Refuse profile names the probe would paste into C unchecked (`X == 2 || 1` makes an assert
 *  that always passes; `*\/` or a newline injects code), located at the profile entry. */
function checkProfileNames(p: Profile): void {
  const at = (key: string) => p.source?.locs[key] ?? p.source?.file ?? 'profile';
  const refuse = (key: string, what: string, name: string, want: string): never => {
    throw new ProbeNameError(at(key), `${what} ${JSON.stringify(name)} is not ${want}; the probe cannot check it`);
  };
  for (const [key, t] of Object.entries(p.types)) {
    if (t.ignore !== undefined) continue;
    if (!C_TYPE.test(key)) refuse(`types/${key}`, 'type', key, 'a C type name (an identifier, or struct/union/enum and one)');
    for (const c of t.candidates ?? []) if (!C_TYPE.test(c)) refuse(`types/${key}`, 'candidate of type', c, 'a C type name (an identifier, or struct/union/enum and one)');
    for (const f of Object.keys(t.fields ?? {})) {
      if (f !== '(anonymous)' && !C_MEMBER.test(f)) refuse(`types/${key}/fields/${f}`, `field of ${key}`, f, 'a C member name (an identifier or a dotted path of them)');
    }
  }
  for (const section of ['constants', 'functions', 'initializers'] as const) {
    for (const [name, item] of Object.entries(p[section])) {
      if (item.ignore !== undefined) continue;
      if (!C_IDENT.test(name)) refuse(`${section}/${name}`, section.slice(0, -1), name, 'a C identifier');
    }
  }
  for (const [name, i] of Object.entries(p.initializers)) {
    if (i.ignore === undefined && i.type !== undefined && !C_TYPE.test(i.type)) refuse(`initializers/${name}`, `type of initializer ${name}`, i.type, 'a C type name (an identifier, or struct/union/enum and one)');
  }
}

/** A probe for the profile's expectations (default: everything the model states, which checks
 *  portabi's own model against the compiler). Types are spelled as the model resolves them. */
export function generateProbe(model: AbiModel, profile: Profile | undefined, opts: ProbeOptions): Probe {
  const p = profile ?? extractProfile(model, { name: 'model', description: '' });
  if (profile) checkProfileNames(profile);
  const lines: string[] = [
    '/* Generated by portabi probe. Each check ends in a // portabi:{…} comment; `portabi probe',
    ` * --verify-with <cc> [flags…]` + "` compiles it and maps failures back to items. Target: " + `${p.target}. */`,
    '#pragma GCC diagnostic ignored "-Wpragmas"',
    '#pragma GCC diagnostic ignored "-Wtype-limits"',
    '#pragma GCC diagnostic ignored "-Woverflow"',
    '#pragma GCC diagnostic ignored "-Wunknown-warning-option"',
    '#pragma GCC diagnostic ignored "-Wtautological-constant-out-of-range-compare"',
    '#pragma GCC diagnostic ignored "-Wtautological-unsigned-zero-compare"',
    '#pragma GCC diagnostic ignored "-Wbitfield-constant-conversion"',
    '#pragma GCC diagnostic ignored "-Wsingle-bit-bitfield-constant-conversion"',
    '#pragma GCC diagnostic ignored "-Wmissing-field-initializers"',
    '#pragma GCC diagnostic ignored "-Wmissing-braces"',
  ];
  for (const inc of opts.includes) lines.push(inc.startsWith('<') ? `#include ${inc}` : `#include ${cString(inc)}`);
  lines.push('', '#ifndef PORTABI_PROBE_OBJECTS_ONLY');
  const checks: ProbeCheck[] = [];
  const objects: string[] = [];
  const add = (c: Omit<ProbeCheck, 'id'>, code: (id: number) => string, object = false) => {
    const check: ProbeCheck = { id: checks.length + 1, ...c };
    if (object) check.symbol = `portabi_obj_${check.id}`;
    checks.push(check);
    const meta = `// portabi:${JSON.stringify(check)}`;
    (object ? objects : lines).push(`${code(check.id)} ${meta}`);
  };
  const sa = (cond: string, what: string) => (id: number) => `_Static_assert(${cond}, ${cString(`portabi#${id}: ${what}`)});`;
  /** A member name that is also an object-like macro (glibc <resolv.h>: `#define p_type
   *  __p_type`, after <elf.h> declared Elf32_Phdr.p_type) is not expanded for its check. */
  const unmacro = (name: string, add: () => void, object = false) => {
    if (!(name in model.macros)) return add();
    const push = `#pragma push_macro(${cString(name)})\n#undef ${name}`;
    const pop = `#pragma pop_macro(${cString(name)})`;
    if (object) {
      // One entry per object check (it is wrapped in #ifndef PORTABI_SKIP_<id> below).
      const n = objects.length;
      add();
      if (objects.length > n) objects[n] = `${push}\n${objects[n]}\n${pop}`;
      return;
    }
    lines.push(push);
    add();
    lines.push(pop);
  };

  for (const key of Object.keys(p.types).sort()) {
    const item = p.types[key]!;
    if (item.ignore !== undefined) continue;
    const r = resolveType(model, key, item);
    const T = r?.name ?? typeCandidates(key, item)[0]!;
    if (item.size !== undefined) add({ kind: 'size', item: T, expected: String(item.size) }, sa(`sizeof(${T}) == ${item.size}`, `sizeof(${T}) == ${item.size}`));
    if (item.align !== undefined) add({ kind: 'align', item: T, expected: String(item.align) }, sa(`_Alignof(${T}) == ${item.align}`, `_Alignof(${T}) == ${item.align}`));
    const modelFields = r ? fieldsOf(model, r.entry) : null;
    for (const [fname, f] of Object.entries(item.fields ?? {})) {
      if (fname === '(anonymous)') continue;
      const bitField = modelFields?.get(fname)?.bitField ?? (f.offsetBits !== undefined && f.offset === undefined);
      if (bitField) {
        if (f.offsetBits !== undefined || f.sizeBits !== undefined) {
          const mf = modelFields?.get(fname);
          const exp = `${f.offsetBits ?? mf?.offsetBits ?? ''}:${f.sizeBits ?? mf?.sizeBits ?? ''}`;
          unmacro(fname, () => add({ kind: 'bitfield', item: T, field: fname, expected: exp }, (id) => `const ${T} portabi_obj_${id} = { .${fname} = -1 };`, true), true);
        }
        continue;
      }
      const off = f.offset ?? (f.offsetBits !== undefined && f.offsetBits % 8 === 0 ? f.offsetBits / 8 : undefined);
      if (off !== undefined) unmacro(fname, () => add({ kind: 'offset', item: T, field: fname, expected: String(off) }, sa(`__builtin_offsetof(${T}, ${fname}) == ${off}`, `offsetof(${T}, ${fname}) == ${off}`)));
      if (f.sizeBits !== undefined) unmacro(fname, () => add({ kind: 'field-size', item: T, field: fname, expected: String(f.sizeBits) }, sa(`sizeof(((${T} *)0)->${fname}) * 8 == ${f.sizeBits}`, `bits of ${T}.${fname} == ${f.sizeBits}`)));
    }
  }
  for (const name of Object.keys(p.constants).sort()) {
    const c = p.constants[name]!;
    if (c.ignore !== undefined || c.value === undefined) continue;
    const neg = BigInt(c.value) < 0n ? 1 : 0;
    // Equal after the usual conversions AND the same sign: -1 never passes for 0xffffffffu.
    add({ kind: 'value', item: name, expected: c.value }, sa(`(${name}) == ${cIntegerLiteral(c.value)} && ((${name}) < 0) == ${neg}`, `${name} == ${c.value}`));
  }
  for (const name of Object.keys(p.functions).sort()) {
    const f = p.functions[name]!;
    if (f.ignore !== undefined || f.signature === undefined) continue;
    // A static function has no symbol to bind, and may not be addressable at all (clang's
    // overloadable tgmath __tg_*).
    if (model.functions[name]?.linkage === 'internal') continue;
    const ptr = pointerTypeOfSignature(name, f.signature);
    if (!ptr) continue;
    // __typeof__, not &name: a library builtin (alloca) cannot have its address taken; and the
    // name as declared, not a macro of the same name (musl: `#define alloca __builtin_alloca`).
    const sig = f.signature;
    unmacro(name, () => add({ kind: 'signature', item: name, expected: sig }, sa(`_Generic((__typeof__(${name}) *)0, ${ptr}: 1, default: 0)`, sig)));
  }
  lines.push('#endif /* PORTABI_PROBE_OBJECTS_ONLY */', '', '/* Object checks: verifyProbe compiles with -c and reads these symbols\' bytes. */');
  for (const name of Object.keys(p.initializers).sort()) {
    const i = p.initializers[name]!;
    if (i.ignore !== undefined || i.bytes === undefined) continue;
    const T = i.type ?? model.initializers[name]?.type;
    if (!T) continue;
    add({ kind: 'bytes', item: name, expected: i.bytes }, (id) => `const ${T} portabi_obj_${id} = ${name};`, true);
  }
  // Object definitions go last, each guarded so a failing one can be left out on a retry.
  for (const o of objects) {
    const id = /portabi_obj_(\d+)/.exec(o)![1];
    lines.push(`#ifndef PORTABI_SKIP_${id}`, o, '#endif');
  }
  lines.push('');
  return { text: lines.join('\n'), checks };
}

// ---- verification -----------------------------------------------------------------------------

export type ProbeStatus = 'pass' | 'fail' | 'error';

export interface ProbeCheckResult extends ProbeCheck {
  status: ProbeStatus;
  /** What the compiler says, when it says it (clang's "expression evaluates to", object bytes). */
  actual?: string;
  /** The compiler's message(s) for this check. */
  message?: string;
}

export interface ProbeVerification {
  /** True when every check passed. */
  ok: boolean;
  results: ProbeCheckResult[];
  /** Compiler diagnostics not attributable to a check (e.g. errors in the headers). */
  unattributed: string[];
  commands: string[][];
  /** Set when the compiler could not be run or failed in a way that checks nothing (it could
   *  not be started, crashed, timed out, failed without an error about a check, wrote no
   *  object): nothing it said is a verdict, so no check passes (ok is false). */
  compilerFailure?: { message: string; stderr: string[] };
}

export interface VerifyOptions {
  /** Each compiler run is killed after this long (default VERIFY_TIMEOUT_MS). */
  timeoutMs?: number;
}

/** A compiler run that takes longer than 120 s is taken to hang (the probe is one small file). */
export const VERIFY_TIMEOUT_MS = 120_000;

/** Checks recorded in a probe file's `// portabi:{…}` comments, by line (1-based). */
export function readProbeChecks(text: string): Map<number, ProbeCheck> {
  const out = new Map<number, ProbeCheck>();
  text.split('\n').forEach((l, i) => {
    const m = /\/\/ portabi:(\{.*\})\s*$/.exec(l);
    if (m) out.set(i + 1, JSON.parse(m[1]!) as ProbeCheck);
  });
  return out;
}

interface RunResult {
  code: number;
  stderr: string;
  /** Why the run says nothing about the probe: could not start, killed, timed out. */
  failed?: string;
}
const MAX_STDERR = 64 * 1024 * 1024;
/** Runs the compiler. On timeout it gets SIGTERM (the gcc and clang drivers clean up their
 *  temp files on it), then SIGKILL 5 s later; the result does not wait for stderr to close,
 *  which a child the compiler started may hold open. */
function run(cmd: string, args: string[], timeoutMs: number): Promise<RunResult> {
  return new Promise((res) => {
    let stderr = '';
    let settled = false;
    let timedOut = false;
    const done = (r: RunResult): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(killer);
      res(r);
    };
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      if (stderr.length < MAX_STDERR) stderr += d;
    });
    let killer: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      killer = setTimeout(() => child.kill('SIGKILL'), 5000);
    }, timeoutMs);
    child.on('error', (e) => done({ code: -1, stderr, failed: `cannot be run: ${reasonOf(e)}` }));
    const finish = (code: number | null, signal: NodeJS.Signals | null): void => {
      if (timedOut) done({ code: -1, stderr, failed: `did not finish in ${timeoutMs / 1000} s (killed)` });
      else if (signal) done({ code: -1, stderr, failed: `was killed by ${signal}` });
      else done({ code: code ?? -1, stderr });
    };
    child.on('exit', (code, signal) => {
      if (timedOut) {
        child.stderr.destroy();
        finish(code, signal);
      }
    });
    child.on('close', finish);
  });
}

/** A compiler crash rather than a verdict on the code (gcc exits 4, clang asks for a report). */
const COMPILER_CRASH = /internal compiler error|PLEASE submit a bug report|frontend command failed|terminated program/i;

/** Group compiler output into diagnostics: an error/warning line and the notes after it. */
function groupDiagnostics(stderr: string): string[][] {
  const groups: string[][] = [];
  for (const line of stderr.split('\n')) {
    if (/^\S.*:\d+:\d+: (fatal error|error|warning):/.test(line) || /^\S.*: (fatal error|error):/.test(line)) groups.push([line]);
    else if (groups.length && line.trim()) groups[groups.length - 1]!.push(line);
  }
  return groups;
}

/** Compile the probe with `cc flags…` (-fsyntax-only for the asserts, -c for the objects) and
 *  report each check by name. */
export async function verifyProbe(file: string, cc: string, flags: string[], opts: VerifyOptions = {}): Promise<ProbeVerification> {
  const timeoutMs = opts.timeoutMs ?? VERIFY_TIMEOUT_MS;
  const text = readFileSync(file, 'utf8');
  const byLine = readProbeChecks(text);
  const results = new Map<number, ProbeCheckResult>();
  for (const c of byLine.values()) results.set(c.id, { ...c, status: 'pass' });
  const unattributed: string[] = [];
  const commands: string[][] = [];
  const fileName = basename(file);
  const isClang = /clang/.test(basename(cc));
  const extra = isClang ? ['-ferror-limit=0'] : [];

  const attribute = (stderr: string, mode: 'assert' | 'object'): Set<number> => {
    const hit = new Set<number>();
    for (const g of groupDiagnostics(stderr)) {
      if (/: warning:/.test(g[0]!)) continue;
      let id: number | undefined;
      for (const l of g) {
        const m = /^(.*?):(\d+):\d+:/.exec(l);
        if (m && basename(m[1]!) === fileName && byLine.has(Number(m[2]))) {
          id = byLine.get(Number(m[2]))!.id;
          break;
        }
      }
      if (id === undefined) {
        unattributed.push(g.join('\n'));
        continue;
      }
      hit.add(id);
      const r = results.get(id)!;
      const isAssert = /static assert(ion)? failed|static_assert/i.test(g[0]!);
      r.status = mode === 'assert' && isAssert ? 'fail' : 'error';
      const ev = g.map((l) => /expression evaluates to '(-?\d+) == /.exec(l)).find((x) => x);
      if (ev && (r.kind === 'size' || r.kind === 'align' || r.kind === 'offset' || r.kind === 'value')) r.actual = ev[1];
      if (ev && r.kind === 'field-size') r.actual = String(Number(ev[1]));
      const text = g[0]!.replace(/^.*?: (error|fatal error): /, '');
      if (!r.message?.split('; ').includes(text)) r.message = r.message ? `${r.message}; ${text}` : text;
    }
    return hit;
  };

  /** The verdict when the compiler failed rather than judged: no check passes. */
  const failure = (message: string, stderr: string): ProbeVerification => {
    const lines = stderr.split('\n').filter((l) => l.trim());
    for (const r of results.values()) if (r.status === 'pass') r.status = 'error';
    return {
      ok: false,
      results: [...results.values()].sort((x, y) => x.id - y.id),
      unattributed,
      commands,
      compilerFailure: { message: `${cc} ${message}; nothing was verified`, stderr: lines.slice(0, 5).concat(lines.length > 5 ? ['…'] : []) },
    };
  };
  /** A run that is not a verdict: not started, killed, crashed, or failing with no error about
   *  a check (`false`, a missing header, a wrapper script's own error). */
  const notAVerdict = (r: RunResult, attributed: number): string | undefined => {
    if (r.failed) return r.failed;
    if (r.code !== 0 && COMPILER_CRASH.test(r.stderr)) return `crashed (exit status ${r.code})`;
    if (r.code !== 0 && attributed === 0) return `failed (exit status ${r.code}) with no error about a check`;
    return undefined;
  };

  // 1. compile-time asserts
  const a = [...flags, ...extra, '-fsyntax-only', file];
  commands.push([cc, ...a]);
  const r1 = await run(cc, a, timeoutMs);
  const why1 = notAVerdict(r1, r1.failed ? 0 : attribute(r1.stderr, 'assert').size);
  if (why1) return failure(why1, r1.stderr);

  // 2. object checks: compile -c, leave out the ones that do not compile, read the bytes
  const objectChecks = [...results.values()].filter((c) => c.symbol);
  if (objectChecks.length) {
    const dir = mkdtempSync(join(tmpdir(), 'portabi-probe-'));
    try {
      const skip = new Set<number>();
      let compiled = false;
      for (let attempt = 0; attempt < 3 && !compiled; attempt++) {
        const obj = join(dir, 'probe.o');
        const args = [...flags, ...extra, '-DPORTABI_PROBE_OBJECTS_ONLY', ...[...skip].map((id) => `-DPORTABI_SKIP_${id}`), '-c', '-o', obj, resolve(file)];
        commands.push([cc, ...args]);
        const r2 = await run(cc, args, timeoutMs);
        if (r2.failed || (r2.code !== 0 && COMPILER_CRASH.test(r2.stderr))) return failure(notAVerdict(r2, 0)!, r2.stderr);
        if (r2.code === 0) {
          let objText: Buffer;
          try {
            objText = readFileSync(obj);
          } catch (e) {
            return failure(`exited 0 but its object file cannot be read (${reasonOf(e)})`, r2.stderr);
          }
          const elf = readElfSymbols(objText);
          for (const c of objectChecks) {
            if (skip.has(c.id)) continue;
            const bytes = elf?.get(c.symbol!);
            if (!bytes) {
              c.status = 'error';
              c.message = elf ? `symbol ${c.symbol} not found in the object` : 'the object is not an ELF file';
              continue;
            }
            judgeObject(c, bytes, elf!.endian);
          }
          compiled = true;
          break;
        }
        const before = unattributed.length;
        const hit = attribute(r2.stderr, 'object');
        if (hit.size === 0) {
          // Errors outside the object checks. Already reported by step 1 (errors in the headers
          // next to failing asserts): the object checks are not verified. Otherwise the
          // compiler failed on something step 1 did not see.
          if (before === 0) return failure(`failed (exit status ${r2.code}) with no error about a check`, r2.stderr);
          unattributed.splice(before);
          break;
        }
        for (const id of hit) skip.add(id);
        unattributed.splice(before);
      }
      // Never compiled (errors outside the checks, or still failing after three attempts):
      // the object checks left are not verified, so none of them passes.
      if (!compiled) {
        for (const c of objectChecks) {
          if (skip.has(c.id) || c.status !== 'pass') continue;
          c.status = 'error';
          c.message = 'not verified: the object file did not compile';
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const all = [...results.values()].sort((x, y) => x.id - y.id);
  return { ok: all.every((r) => r.status === 'pass') && unattributed.length === 0, results: all, unattributed, commands };
}

function judgeObject(c: ProbeCheckResult, bytes: Uint8Array, endian: 'little' | 'big'): void {
  const hex = Buffer.from(bytes).toString('hex');
  if (c.kind === 'bytes') {
    c.actual = hex;
    if (hex !== c.expected) c.status = 'fail';
    return;
  }
  // bitfield: the set bits of { .f = -1 } in ABI bit order (LSB-first on little-endian targets,
  // MSB-first on big-endian ones).
  const set: number[] = [];
  for (let i = 0; i < bytes.length * 8; i++) {
    const byte = bytes[i >> 3]!;
    const bit = endian === 'little' ? (byte >> (i & 7)) & 1 : (byte >> (7 - (i & 7))) & 1;
    if (bit) set.push(i);
  }
  const actual = set.length ? `${set[0]}:${set.length}` : '?:0';
  c.actual = actual;
  const [eo, es] = c.expected.split(':');
  const [ao, as] = actual.split(':');
  if ((eo !== '' && eo !== ao) || (es !== '' && es !== as)) c.status = 'fail';
}

/** Defined data symbols of an ELF relocatable object → their bytes (zeros for .bss). */
export function readElfSymbols(buf: Buffer): (Map<string, Uint8Array> & { endian: 'little' | 'big' }) | null {
  if (buf.length < 52 || buf.readUInt32BE(0) !== 0x7f454c46) return null;
  const is64 = buf[4] === 2;
  const le = buf[5] === 1;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const addr = (o: number) => (is64 ? Number(le ? buf.readBigUInt64LE(o) : buf.readBigUInt64BE(o)) : u32(o));
  const shoff = is64 ? addr(0x28) : u32(0x20);
  const shentsize = u16(is64 ? 0x3a : 0x2e);
  const shnum = u16(is64 ? 0x3c : 0x30);
  const sections = [];
  for (let i = 0; i < shnum; i++) {
    const o = shoff + i * shentsize;
    sections.push({
      type: u32(o + 4),
      offset: is64 ? addr(o + 0x18) : u32(o + 0x10),
      size: is64 ? addr(o + 0x20) : u32(o + 0x14),
      link: u32(is64 ? o + 0x28 : o + 0x18),
      entsize: is64 ? addr(o + 0x38) : u32(o + 0x24),
    });
  }
  const out = new Map<string, Uint8Array>() as Map<string, Uint8Array> & { endian: 'little' | 'big' };
  out.endian = le ? 'little' : 'big';
  const symtab = sections.find((s) => s.type === 2);
  if (!symtab) return out;
  const strtab = sections[symtab.link]!;
  const entsize = symtab.entsize || (is64 ? 24 : 16);
  for (let o = symtab.offset; o + entsize <= symtab.offset + symtab.size; o += entsize) {
    const nameOff = u32(o);
    const shndx = u16(is64 ? o + 6 : o + 14);
    const value = is64 ? addr(o + 8) : u32(o + 4);
    const size = is64 ? addr(o + 16) : u32(o + 8);
    if (shndx === 0 || shndx >= 0xff00) continue;
    const sec = sections[shndx];
    if (!sec) continue;
    let end = strtab.offset + nameOff;
    while (buf[end] !== 0 && end < buf.length) end++;
    const name = buf.toString('latin1', strtab.offset + nameOff, end);
    out.set(name, sec.type === 8 ? new Uint8Array(size) : new Uint8Array(buf.subarray(sec.offset + value, sec.offset + value + size)));
  }
  return out;
}

/** Convenience for the CLI: write a probe to a file, atomically (src/write-file.ts); throws
 *  WriteError naming `file`. */
export function writeProbe(file: string, probe: Probe): void {
  writeFileAtomic(file, probe.text);
}
