// Record layout on real libc headers: for one TU per corpus × target (abi-tu.ts), every record
// clang-19 lays out (-fdump-record-layouts-complete: every complete record definition,
// anonymous and nested ones included) must have portabi's size, alignment and member offsets
// (bit offsets and widths for bit-fields). Named records are matched by tag, unnamed ones by
// the location of their `struct`/`union` keyword, which both front ends record.
import { describe, expect, it } from 'vitest';
import type { FieldLayout, RecordLayout } from '../../src/abi/context.js';
import { recordLayoutById } from '../../src/abi/layout.js';
import { parseClangDump, type DumpField, type DumpRecord } from '../abi/stress/oracle.js';
import { ABI_CASES, buildAbiTU, caseAvailable, caseLabel, mapLimit, runClang, type AbiCase } from './abi-tu.js';

interface Result {
  label: string;
  records: { agree: number; total: number };
  fields: { agree: number; total: number };
  failures: string[];
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
    if (m.anonymous && !compareFields(m.anonymous.fields, t.children, base + m.offsetBits, name, r)) ok = false;
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

async function runCase(c: AbiCase): Promise<Result> {
  const r: Result = { label: caseLabel(c), records: { agree: 0, total: 0 }, fields: { agree: 0, total: 0 }, failures: [] };
  const t = await buildAbiTU(c);
  if (!t.abi.ok) {
    r.failures.push(`portabi: ${t.abi.error.map((d) => d.message).join('; ')}`);
    return r;
  }
  const { ctx, ir } = t.abi.value;
  const clang = await runClang([...t.clangArgs, '-fsyntax-only', '-Xclang', '-fdump-record-layouts-complete'], t.tu.source);
  if (clang.code !== 0) r.failures.push(`clang failed: ${clang.stderr.slice(0, 2000)}`);
  const dump = parseClangDump(clang.stdout);
  const mine = new Map<string, number>();
  for (const rec of ir.records) {
    if (!rec.complete) continue;
    const key = rec.name !== null ? `${rec.tag} ${rec.name}` : `${rec.tag} (unnamed at ${rec.loc.file}:${rec.loc.line}:${rec.loc.col})`;
    mine.set(key, rec.id);
  }
  for (const [dumpName, theirs] of dump) {
    if (BUILTIN.test(dumpName)) continue;
    // "struct P::(unnamed at F:L:C)" (nested) → "struct (unnamed at F:L:C)".
    const u = /^(struct|union) .*\((?:unnamed|anonymous) at ([^()]*)\)$/.exec(dumpName);
    const name = u ? `${u[1]} (unnamed at ${u[2]})` : dumpName;
    r.records.total++;
    const id = mine.get(name);
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
  }
  return r;
}

describe('record layout on real libc headers, against clang-19 -fdump-record-layouts-complete', () => {
  const cases = ABI_CASES.filter(caseAvailable);
  let results: Result[] = [];
  it('lays out every corpus × target', async () => {
    results = await mapLimit(cases, 3, runCase);
    for (const r of results) {
      console.log(`${r.label.padEnd(48)} records ${r.records.agree}/${r.records.total}, members ${r.fields.agree}/${r.fields.total}`);
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
    });
  }
});
