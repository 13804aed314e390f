// Layout stress run for one target: generate a seeded corpus, lay it out with portabi (from the
// generator's IR and, when the declaration parser is available, from parsing the C text), and
// compare every record, every member, every typedef and enum with clang's layout dump and, for
// targets with a gcc cross compiler, with gcc (static asserts + bit-field images).
//
// Standalone: npx tsx test/abi/stress/run.ts [target] [seed] [count]
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FieldLayout, RecordLayout } from '../../../src/abi/context.js';
import { createAbiContext } from '../../../src/abi/context-impl.js';
import { loadTarget } from '../../../src/abi/target.js';
import type { Target } from '../../../src/abi/target-types.js';
import type { IntKind, TranslationUnitIR } from '../../../src/parse/ir.js';
import { generate, type Generated } from './generator.js';
import { clangDump, gccImages, gccSyntax, parseClangDump, type DumpField, type DumpRecord } from './oracle.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const STRESS_TARGETS = [
  'thumbv7em-none-eabi', 'thumbv7em-none-eabihf', 'thumbv6m-none-eabi', 'armv7-unknown-linux-gnueabihf',
  'riscv32imac-unknown-none-elf', 'riscv64gc-unknown-linux-gnu', 'x86_64-unknown-linux-gnu', 'i686-unknown-linux-gnu',
  'aarch64-unknown-linux-gnu', 'avr', 'msp430', 'armebv7r-none-eabi',
];

export interface Tally {
  agree: number;
  total: number;
}

export interface TargetReport {
  target: string;
  seed: number;
  records: Tally;
  fields: Tally;
  scalars: Tally; // typedefs + enums (sizeof/_Alignof)
  /** The same corpus through parseDeclarations (C text → IR), when the parser exists. */
  parsed?: Tally & { note?: string };
  gcc?: { records: Tally; bitfields: Tally; note?: string };
  failures: string[];
}

export function requireTarget(name: string): Target {
  const r = loadTarget(name);
  if (!r.ok) throw new Error(`cannot load target ${name}: ${r.error.map((d) => d.message).join('; ')}`);
  return r.value;
}

function genTarget(t: Target) {
  const bits: Partial<Record<IntKind, number>> = {};
  for (const k of ['_Bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int', 'long', 'unsigned long', 'long long', 'unsigned long long'] as IntKind[]) {
    const s = t.scalars[k];
    if (s) bits[k] = s.size * 8;
  }
  // Compilers reject objects of 2^(pointer bits - 1) bytes or more ("array is too large").
  const maxObjectSize = 2 ** (t.scalars.pointer.size * 8 - 1) - 1;
  return { bits, hasLongDouble: t.scalars['long double'] !== undefined, shortEnums: t.shortEnums, maxObjectSize };
}

/** Compare portabi's members with clang's dump; `base` is the enclosing anonymous member's
 *  offset (clang prints nested offsets from the outermost record). */
function compareFields(mine: FieldLayout[], theirs: DumpField[], base: number, path: string): string | null {
  if (mine.length !== theirs.length) return `${path}: ${mine.length} members, clang has ${theirs.length}`;
  for (let i = 0; i < mine.length; i++) {
    const m = mine[i]!;
    const t = theirs[i]!;
    const name = `${path}.${m.name ?? `<#${i}>`}`;
    if (base + m.offsetBits !== t.offsetBits) return `${name}: offset ${base + m.offsetBits} bits, clang ${t.offsetBits} (${t.text})`;
    if (m.bitField !== (t.width !== undefined)) return `${name}: bit-field ${m.bitField}, clang ${t.width !== undefined}`;
    if (m.bitField && m.sizeBits !== t.width) return `${name}: width ${m.sizeBits}, clang ${t.width}`;
    if (m.anonymous) {
      const e = compareFields(m.anonymous.fields, t.children, base + m.offsetBits, name);
      if (e) return e;
    }
  }
  return null;
}

export function compareRecord(mine: RecordLayout, theirs: DumpRecord): string | null {
  if (mine.size !== theirs.size || mine.align !== theirs.align) {
    return `${theirs.name}: size/align ${mine.size}/${mine.align}, clang ${theirs.size}/${theirs.align}`;
  }
  return compareFields(mine.fields, theirs.fields, 0, theirs.name);
}

/** Probes: force clang to lay out every record; check typedefs and enums with static asserts
 *  of portabi's numbers (the compiler is the judge). */
function scalarProbes(gen: Generated, sizes: Map<string, { size: number; align: number } | null>): string {
  const lines: string[] = [];
  gen.records.forEach((r, i) => lines.push(`extern char force_${i}[sizeof(${r.spelling})];`));
  for (const [spelling, l] of sizes) {
    if (!l) continue;
    lines.push(`_Static_assert(sizeof(${spelling}) == ${l.size} && _Alignof(${spelling}) == ${l.align}, "probe ${spelling}");`);
  }
  return lines.join('\n') + '\n';
}

async function parserAvailable(): Promise<((text: string) => TranslationUnitIR) | null> {
  const p = join(ROOT, 'src', 'parse', 'declarations.ts');
  if (!existsSync(p)) return null;
  try {
    const mod = (await import(pathToFileURL(p).href)) as { parseDeclarations?: (text: string) => TranslationUnitIR };
    return mod.parseDeclarations ?? null;
  } catch {
    return null;
  }
}

export async function runTarget(name: string, seed: number, count: number): Promise<TargetReport> {
  const target = requireTarget(name);
  const gen = generate(seed, count, genTarget(target));
  // portabi models both compilers' layout rules where they differ (target.compiler); the clang
  // dump is compared with portabi's clang rules, gcc with the target's own (gcc) rules.
  const clangTarget: Target = { ...target, compiler: 'clang' };
  const ctx = createAbiContext(gen.ir, clangTarget);
  const report: TargetReport = {
    target: name, seed,
    records: { agree: 0, total: 0 }, fields: { agree: 0, total: 0 }, scalars: { agree: 0, total: 0 }, failures: [],
  };
  const fail = (msg: string, id?: number) => {
    if (report.failures.length < 5) {
      report.failures.push(`[${name} seed=${seed}] ${msg}${id !== undefined ? `\n--- minimal C ---\n${gen.minimal(id)}` : ''}`);
    }
  };

  // Typedefs and enums: portabi's numbers, judged by static asserts.
  const sizes = new Map<string, { size: number; align: number } | null>();
  for (const t of gen.typedefs) {
    const l = ctx.layoutOf({ kind: 'typedef', name: t });
    sizes.set(t, l.complete ? { size: l.size, align: l.align } : null);
    if (!l.complete) fail(`${t}: portabi says incomplete: ${l.reason}`);
  }
  for (const e of gen.enums) {
    const l = ctx.layoutOf({ kind: 'enum', id: e.id });
    sizes.set(e.spelling, l.complete ? { size: l.size, align: l.align } : null);
    if (!l.complete) fail(`${e.spelling}: portabi says incomplete: ${l.reason}`);
  }
  const source = gen.c + scalarProbes(gen, sizes);
  const clangPromise = clangDump(source, target.clangTriple, target.clangFlags);
  const gccPromise = target.gcc ? runGcc(gen, createAbiContext(gen.ir, { ...target, compiler: 'gcc' }), target) : null;
  const clang = await clangPromise;
  const hardErrors = clang.stderr.split('\n').filter((l) => /error:/.test(l) && !/static assertion failed/.test(l));
  if (hardErrors.length) throw new Error(`clang rejected the generated source (${clang.file}):\n${hardErrors.slice(0, 5).join('\n')}`);
  const failedProbes = new Set([...clang.stderr.matchAll(/static assertion failed[^"]*"probe ([^"]+)"/g)].map((m) => m[1]!));
  for (const [spelling, l] of sizes) {
    report.scalars.total++;
    if (l && !failedProbes.has(spelling)) report.scalars.agree++;
    else if (l) fail(`${spelling}: portabi size/align ${l.size}/${l.align} rejected by clang`);
  }

  const dump = parseClangDump(clang.stdout);
  const check = (ir: TranslationUnitIR, idOf: (spelling: string, id: number) => number | undefined, tally: Tally, withFields: boolean) => {
    const c = ir === gen.ir ? ctx : createAbiContext(ir, clangTarget);
    for (const r of gen.records) {
      tally.total++;
      const theirs = dump.get(r.spelling);
      if (!theirs) {
        fail(`${r.spelling}: missing from clang's dump`, r.id);
        continue;
      }
      const id = idOf(r.spelling, r.id);
      if (id === undefined) {
        fail(`${r.spelling}: not found in the parsed IR`, r.id);
        continue;
      }
      const l = c.layoutOf({ kind: 'record', id });
      if (!l.complete || !l.record) {
        fail(`${r.spelling}: portabi says incomplete: ${l.complete ? 'no record layout' : l.reason}`, r.id);
        continue;
      }
      if (withFields) {
        report.fields.total += theirs.fields.length;
        for (let i = 0; i < theirs.fields.length; i++) {
          const m = l.record.fields[i];
          if (m && compareFields([m], [theirs.fields[i]!], 0, r.spelling) === null) report.fields.agree++;
        }
      }
      const e = compareRecord(l.record, theirs);
      if (e) fail(e, r.id);
      else tally.agree++;
    }
  };
  check(gen.ir, (_s, id) => id, report.records, true);

  const parse = await parserAvailable();
  if (parse) {
    const tally: Tally = { agree: 0, total: 0 };
    try {
      const ir2 = parse(gen.c);
      check(ir2, (s) => {
        const [tag, n] = s.split(' ') as ['struct' | 'union', string];
        return ir2.tags[tag][n];
      }, tally, false);
      report.parsed = tally;
    } catch (e) {
      report.parsed = { ...tally, note: `parseDeclarations threw: ${(e as Error).message}` };
    }
  }
  if (gccPromise) report.gcc = await gccPromise;
  return report;
}

/** gcc oracle: static asserts for sizeof/_Alignof/offsetof, bit-field images for bit-fields. */
async function runGcc(gen: Generated, ctx: ReturnType<typeof createAbiContext>, target: Target): Promise<NonNullable<TargetReport['gcc']>> {
  const lines: string[] = [];
  const imageLines: string[] = [];
  const images: { key: string; record: string; field: string; bytes: number[] }[] = [];
  const recordProbe = new Map<string, number>(); // record spelling -> #probes
  const big = target.endian === 'big';
  for (const r of gen.records) {
    const l = ctx.layoutOf({ kind: 'record', id: r.id });
    if (!l.complete || !l.record) continue;
    const tag = r.spelling.replace(' ', '_');
    lines.push(`_Static_assert(sizeof(${r.spelling}) == ${l.size} && _Alignof(${r.spelling}) == ${l.align}, "probe ${r.spelling}");`);
    let n = 1;
    const walk = (fields: FieldLayout[], base: number) => {
      for (const f of fields) {
        if (f.anonymous) {
          walk(f.anonymous.fields, base + f.offsetBits);
          continue;
        }
        if (f.name === null) continue;
        const off = base + f.offsetBits;
        if (!f.bitField) {
          lines.push(`_Static_assert(__builtin_offsetof(${r.spelling}, ${f.name}) == ${off / 8}, "probe ${r.spelling}");`);
          n++;
          continue;
        }
        // Image: this bit-field all ones, the rest zero.
        const bytes = new Array<number>(l.size).fill(0);
        for (let b = off; b < off + f.sizeBits; b++) {
          const byte = b >> 3;
          const bit = big ? 7 - (b & 7) : b & 7;
          bytes[byte]! |= 1 << bit;
        }
        const key = `${tag}.${f.name}`;
        images.push({ key, record: r.spelling, field: f.name, bytes });
        const rt = ctx.resolve(f.type);
        const ones = rt.kind === 'int' && rt.name === '_Bool' ? '1' : '-1';
        imageLines.push(`static const union { ${r.spelling} s; unsigned char b[sizeof(${r.spelling})]; } img_${tag}_${f.name} __attribute__((used, section(".pimg.${key}"))) = { .s = { .${f.name} = ${ones} } };`);
        n++;
      }
    };
    walk(l.record.fields, 0);
    recordProbe.set(r.spelling, n);
  }
  // Two compilations: static asserts (-fsyntax-only; a failure names the record) and images
  // (-c; an object file is only produced when everything compiles).
  const [a, g] = await Promise.all([
    gccSyntax(gen.c + lines.join('\n') + '\n', target.gcc!.command, target.gcc!.flags),
    gccImages(gen.c + imageLines.join('\n') + '\n', target.gcc!.command, target.gcc!.flags),
  ]);
  const failedRecords = new Set([...a.stderr.matchAll(/static assertion failed: "probe ([^"]+)"/g)].map((m) => m[1]!));
  const hard = (a.stderr + g.errors).split('\n').filter((l) => /error:/.test(l) && !/static assertion failed/.test(l));
  const records: Tally = { agree: 0, total: recordProbe.size };
  for (const r of recordProbe.keys()) if (!failedRecords.has(r)) records.agree++;
  const bitfields: Tally = { agree: 0, total: images.length };
  const notes: string[] = [];
  if (hard.length) notes.push(`gcc errors (${g.file}): ${hard.slice(0, 3).join(' | ')}`);
  if (failedRecords.size) notes.push(`gcc rejects size/align/offsetof of: ${[...failedRecords].slice(0, 5).join(', ')}`);
  for (const im of images) {
    const got = g.sections.get(im.key);
    if (got && got.length === im.bytes.length && got.every((b, i) => b === im.bytes[i])) bitfields.agree++;
    else if (notes.length < 8) notes.push(`${im.record}.${im.field}: gcc image ${got ? hex(got) : '(none)'}, portabi ${hex(im.bytes)}`);
  }
  return { records, bitfields, ...(notes.length ? { note: notes.join('\n') } : {}) };
}

function hex(b: number[]): string {
  return b.map((x) => x.toString(16).padStart(2, '0')).join('');
}

export function formatReport(r: TargetReport): string {
  const t = (x: Tally) => `${x.agree}/${x.total}`;
  let s = `${r.target.padEnd(32)} clang: records ${t(r.records)}, members ${t(r.fields)}, typedefs+enums ${t(r.scalars)}`;
  if (r.parsed) s += `; via parseDeclarations: records ${t(r.parsed)}${r.parsed.note ? ` (${r.parsed.note})` : ''}`;
  if (r.gcc) s += `; gcc: records ${t(r.gcc.records)}, bit-field images ${t(r.gcc.bitfields)}`;
  return s;
}

// Standalone use.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [name, seedArg, countArg] = process.argv.slice(2);
  const seed = seedArg ? Number(seedArg) : 1;
  const count = countArg ? Number(countArg) : 500;
  const names = name && name !== 'all' ? [name] : STRESS_TARGETS;
  const reports = await Promise.all(names.map((n) => runTarget(n, seed, count)));
  for (const r of reports) {
    console.log(formatReport(r));
    if (r.gcc?.note) console.log('  gcc: ' + r.gcc.note.replace(/\n/g, '\n  gcc: '));
    for (const f of r.failures) console.log('  ' + f.replace(/\n/g, '\n  '));
  }
}
