// Record layout on real libc headers: for one TU per corpus × target (abi-tu.ts), every record
// clang-19 lays out must have portabi's size, alignment and member offsets (bit offsets and
// widths for bit-fields), nested records included (compared inside their parent, by position).
// The records are those -fdump-record-layouts-complete lists (every complete definition); their
// layouts come from the ordinary dump, forced by a sizeof of each (see runCase for why).
// Named records are matched by tag, unnamed ones by their typedef name or by the location of
// their `struct`/`union` keyword. For gcc-defined targets, the target's gcc checks portabi's
// sizeof, _Alignof and offsetof with _Static_assert.
import { writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FieldLayout, RecordLayout } from '../../src/abi/context.js';
import { layoutOf, recordLayoutById } from '../../src/abi/layout.js';
import type { CType } from '../../src/parse/ir.js';
import { parseClangDump, type DumpField, type DumpRecord } from '../abi/stress/oracle.js';
import { ABI_CASES, buildAbiTU, caseAvailable, caseLabel, mapLimit, runClang, runCompiler, type AbiCase, type AbiTU } from './abi-tu.js';
import { toolAvailable } from './decl-corpora.js';

interface Result {
  label: string;
  records: { agree: number; total: number };
  fields: { agree: number; total: number };
  failures: string[];
  /** arm-none-eabi-gcc's _Static_assert verdicts (records: sizeof+_Alignof; members: offsetof). */
  gcc?: { records: { agree: number; total: number }; fields: { agree: number; total: number } };
  /** The record layout of a member's type, in this case's context. */
  recordOf: (type: CType) => RecordLayout | undefined;
}

/** Compare members; counts every member (nested anonymous ones too); failures appended. */
function compareFields(mine: FieldLayout[], theirs: DumpField[], base: number, path: string, r: Result): boolean {
  let ok = true;
  if (mine.length !== theirs.length) {
    r.fields.total += theirs.length;
    r.failures.push(`${path}: ${mine.length} members, clang has ${theirs.length}`);
    return false;
  }
  for (let i = 0; i < mine.length; i++) {
    const m = mine[i]!;
    const t = theirs[i]!;
    const name = `${path}.${m.name ?? `<#${i}>`}`;
    r.fields.total++;
    let err: string | null = null;
    if (base + m.offsetBits !== t.offsetBits) err = `offset ${base + m.offsetBits} bits, clang ${t.offsetBits} (${t.text})`;
    else if (m.bitField !== (t.width !== undefined)) err = `bit-field ${m.bitField}, clang ${t.width !== undefined}`;
    else if (m.bitField && m.sizeBits !== t.width) err = `width ${m.sizeBits}, clang ${t.width}`;
    if (err) {
      ok = false;
      r.failures.push(`${name}: ${err}`);
    } else r.fields.agree++;
    // Members of record type: clang prints their members nested, offsets from the outermost record.
    const sub = m.anonymous ?? (m.bitField ? undefined : r.recordOf(m.type));
    if (sub && t.children.length > 0 && !compareFields(sub.fields, t.children, base + m.offsetBits, name, r)) ok = false;
  }
  return ok;
}

function compareRecord(mine: RecordLayout, theirs: DumpRecord, r: Result): boolean {
  let ok = true;
  if (mine.size !== theirs.size || mine.align !== theirs.align) {
    r.failures.push(`${theirs.name}: size/align ${mine.size}/${mine.align}, clang ${theirs.size}/${theirs.align}`);
    ok = false;
  }
  return compareFields(mine.fields, theirs.fields, 0, theirs.name, r) && ok;
}

// Records clang declares implicitly for the target, not in any header.
const BUILTIN = /^struct (__NSConstantString_tag|__va_list_tag|__va_list)$/;

/** "struct P::(unnamed at F:L:C)" (nested) → "struct (unnamed at F:L:C)"; other names as they are. */
function unnamedKey(dumpName: string): string {
  const u = /^(struct|union) .*\((?:unnamed|anonymous) at ([^()]*)\)$/.exec(dumpName);
  return u ? `${u[1]} (unnamed at ${u[2]})` : dumpName;
}

/** The same TU compiled by the target's gcc (the compiler newlib and picolibc are built with
 *  for these targets), with a _Static_assert of portabi's sizeof and _Alignof for every record
 *  clang laid out that has a name, and of portabi's offsetof for each of its named
 *  non-bit-field members (members of anonymous members included). */
async function runGcc(t: AbiTU, checks: { spelling: string | null; record: RecordLayout }[], r: Result): Promise<void> {
  const lines: string[] = [`#include "${t.tu.source}"`, '#include <stddef.h>'];
  const what: { kind: 'record' | 'field'; text: string }[] = [];
  const add = (kind: 'record' | 'field', cond: string, text: string) => {
    lines.push(`_Static_assert(${cond}, "portabi probe ${what.length}");`);
    what.push({ kind, text });
  };
  for (const c of checks) {
    if (!c.spelling) continue;
    add('record', `sizeof(${c.spelling}) == ${c.record.size} && _Alignof(${c.spelling}) == ${c.record.align}`, `${c.spelling}: size/align ${c.record.size}/${c.record.align}`);
    const walk = (fields: FieldLayout[], base: number) => {
      for (const f of fields) {
        if (f.anonymous) walk(f.anonymous.fields, base + f.offsetBits);
        else if (f.name && !f.bitField) add('field', `offsetof(${c.spelling}, ${f.name}) == ${(base + f.offsetBits) / 8}`, `${c.spelling}.${f.name}: offset ${(base + f.offsetBits) / 8}`);
      }
    };
    walk(c.record.fields, 0);
  }
  const file = t.tu.source.replace(/\.c$/, '-gcc-probes.c');
  writeFileSync(file, lines.join('\n') + '\n');
  const gcc = t.target.gcc!;
  const res = await runCompiler(gcc.command, [...gcc.flags, '-nostdinc', ...t.dirs.flatMap((d) => ['-isystem', d]), '-std=gnu11', '-w', '-fmax-errors=0', '-fsyntax-only'], file);
  const failed = new Set<number>();
  for (const m of res.stderr.matchAll(/portabi probe (\d+)/g)) failed.add(Number(m[1]));
  const other = res.stderr.split('\n').filter((l) => /error:/.test(l) && !/portabi probe/.test(l));
  if (other.length) r.failures.push(`gcc: ${other.slice(0, 5).join('\n')}`);
  const g = { records: { agree: 0, total: 0 }, fields: { agree: 0, total: 0 } };
  what.forEach((w, i) => {
    const tally = w.kind === 'record' ? g.records : g.fields;
    tally.total++;
    if (failed.has(i)) r.failures.push(`gcc disagrees: ${w.text}`);
    else tally.agree++;
  });
  r.gcc = g;
}

async function runCase(c: AbiCase): Promise<Result> {
  const r: Result = { label: caseLabel(c), records: { agree: 0, total: 0 }, fields: { agree: 0, total: 0 }, failures: [], recordOf: () => undefined };
  const t = await buildAbiTU(c);
  if (!t.abi.ok) {
    r.failures.push(`portabi: ${t.abi.error.map((d) => d.message).join('; ')}`);
    return r;
  }
  const { ctx, ir } = t.abi.value;
  r.recordOf = (type) => {
    const l = layoutOf(type, ctx);
    return l.complete ? l.record : undefined;
  };
  const mine = new Map<string, number>();
  for (const rec of ir.records) {
    if (!rec.complete) continue;
    const key = rec.name !== null ? `${rec.tag} ${rec.name}` : `${rec.tag} (unnamed at ${rec.loc.file}:${rec.loc.line}:${rec.loc.col})`;
    mine.set(key, rec.id);
  }
  // -fdump-record-layouts-complete names every complete record, but lays it out when its
  // closing brace is seen, before trailing attributes (packed, aligned) apply: its numbers are
  // wrong for those. So it only lists the records; their layouts come from the ordinary dump,
  // which shows the layouts clang computes for use, forced by a sizeof of each record (named
  // ones by tag, unnamed ones through a typedef naming them; nested ones come with their parent).
  const listing = await runClang([...t.clangArgs, '-fsyntax-only', '-Xclang', '-fdump-record-layouts-complete'], t.tu.source);
  if (listing.code !== 0) r.failures.push(`clang failed: ${listing.stderr.slice(0, 2000)}`);
  const typedefOf = new Map<number, string>();
  for (const [name, td] of Object.entries(ir.typedefs)) {
    if (td.type.kind === 'record' && !typedefOf.has(td.type.id)) typedefOf.set(td.type.id, name);
  }
  const probes: string[] = [];
  for (const name of parseClangDump(listing.stdout).keys()) {
    if (BUILTIN.test(name)) continue;
    if (!/\(unnamed at /.test(name)) probes.push(name);
    else {
      const id = mine.get(unnamedKey(name));
      const td = id === undefined ? undefined : typedefOf.get(id);
      if (td) probes.push(td);
    }
  }
  const probeFile = t.tu.source.replace(/\.c$/, '-probes.c');
  writeFileSync(probeFile, `#include "${t.tu.source}"\n` + probes.map((p, i) => `extern char __portabi_probe_${i}[sizeof(${p})];\n`).join(''));
  const clang = await runClang([...t.clangArgs, '-fsyntax-only', '-Xclang', '-fdump-record-layouts'], probeFile);
  if (clang.code !== 0 && listing.code === 0) r.failures.push(`clang failed on probes: ${clang.stderr.slice(0, 2000)}`);
  const dump = parseClangDump(clang.stdout);
  const gccChecks: { spelling: string | null; record: RecordLayout }[] = [];
  for (const [dumpName, theirs] of dump) {
    if (BUILTIN.test(dumpName)) continue;
    // A record nested in another ("P::(unnamed at ...)") is checked inside its parent, where it
    // is matched by position rather than by the location of its keyword (which, for a record
    // that a macro expands to, the two front ends report differently).
    if (dumpName.includes('::(')) continue;
    const name = unnamedKey(dumpName);
    r.records.total++;
    // clang names an unnamed record that a typedef names by that typedef.
    const td = ir.typedefs[name];
    const id = mine.get(name) ?? (td?.type.kind === 'record' ? td.type.id : undefined);
    if (id === undefined) {
      r.failures.push(`${name}: not a complete record in portabi's IR`);
      r.fields.total += theirs.fields.length;
      continue;
    }
    const l = recordLayoutById(id, ctx);
    if (!l.complete || !l.record) {
      r.failures.push(`${name}: portabi has no layout: ${l.complete ? 'not a record' : l.reason}`);
      r.fields.total += theirs.fields.length;
      continue;
    }
    if (compareRecord(l.record, theirs, r)) r.records.agree++;
    gccChecks.push({ spelling: name.includes('(unnamed at ') ? null : name, record: l.record });
  }
  if (t.target.compiler === 'gcc' && t.target.gcc && toolAvailable(t.target.gcc.command)) await runGcc(t, gccChecks, r);
  return r;
}

describe('record layout on real libc headers, against clang-19 -fdump-record-layouts-complete', () => {
  const cases = ABI_CASES.filter(caseAvailable);
  let results: Result[] = [];
  it('lays out every corpus × target', async () => {
    results = await mapLimit(cases, 3, runCase);
    for (const r of results) {
      const gcc = r.gcc ? `; gcc: records ${r.gcc.records.agree}/${r.gcc.records.total}, offsetof ${r.gcc.fields.agree}/${r.gcc.fields.total}` : '';
      console.log(`${r.label.padEnd(48)} records ${r.records.agree}/${r.records.total}, members ${r.fields.agree}/${r.fields.total}${gcc}`);
      for (const f of r.failures.slice(0, 20)) console.log('  ' + f);
    }
  }, 900_000);
  for (const c of cases) {
    it(`${caseLabel(c)}: every record agrees with clang`, () => {
      const r = results.find((x) => x.label === caseLabel(c));
      expect(r, 'run did not complete').toBeDefined();
      if (!r) return;
      expect(r.records.total).toBeGreaterThan(0);
      expect(r.failures.slice(0, 50), r.failures.slice(0, 50).join('\n')).toEqual([]);
      expect(r.records.agree).toBe(r.records.total);
      expect(r.fields.agree).toBe(r.fields.total);
      if (r.gcc) {
        expect(r.gcc.records.agree).toBe(r.gcc.records.total);
        expect(r.gcc.fields.agree).toBe(r.gcc.fields.total);
      }
    });
  }
});
