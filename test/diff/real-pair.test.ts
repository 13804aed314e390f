// A real pair: newlib (libnewlib-arm-none-eabi) against picolibc (picolibc-arm-none-eabi), its
// descendant, for thumbv7em-none-eabi, over the headers both ship that compile together, and
// the names both define.
//
// The compiler is the judge, both ways. Three probes (src/check/probe.ts, _Static_assert and
// object-file checks) compiled with arm-none-eabi-gcc:
//   C: newlib's numbers (portabi's old model) against the newlib tree: all must hold;
//   B: picolibc's numbers (the new model) against the picolibc tree: all must hold;
//   A: newlib's numbers against the picolibc tree: exactly the items diff reports as changed
//      must fail, every other item (reported unchanged) must hold.
// So every reported layout, constant and prototype change is confirmed by the compiler, and
// nothing the compiler sees as different is missing from the report. Constant types are
// checked the same way with _Generic.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AbiModel } from '../../src/abi/model.js';
import { diffModels, type Change } from '../../src/check/diff.js';
import { runDiff } from '../../src/check/diff-run.js';
import { extractProfile } from '../../src/check/profile-extract.js';
import { generateProbe, verifyProbe, type ProbeCheckResult } from '../../src/check/probe.js';
import type { Profile } from '../../src/check/profile-types.js';
import { computeAbi, emptyInput } from '../../src/pipeline.js';
import { DECL_CORPORA, buildCorpusTU, compileTogether, toolAvailable } from '../corpus/decl-corpora.js';
import { emptyFlags, noSideFlags } from './helpers.js';

const NEWLIB = '/usr/lib/arm-none-eabi/include';
const PICOLIBC = '/usr/lib/picolibc/arm-none-eabi/include';
const GCC_INC = '/usr/lib/gcc/arm-none-eabi/12.2.1/include';
const TARGET = 'thumbv7em-none-eabi';
const WORK = join(tmpdir(), 'portabi-diff-real');

/** gcc with exactly portabi's search order for a tree: the tree, then the compiler's dirs. */
const gccFlags = (root: string) => ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=soft', '-std=gnu17', '-nostdinc', '-isystem', root, '-isystem', GCC_INC, '-isystem', `${GCC_INC}-fixed`, '-w'];

const available = toolAvailable('arm-none-eabi-gcc') && existsSync(NEWLIB) && existsSync(PICOLIBC) && existsSync(GCC_INC);

/** The common names of both models: what the probes check and what the diff is judged on. */
function commonProfile(model: AbiModel, other: AbiModel, name: string): Profile {
  const names = [
    ...Object.keys(model.types).filter((k) => k in other.types),
    ...Object.keys(model.constants).filter((k) => k in other.constants),
    ...Object.keys(model.initializers).filter((k) => k in other.initializers),
    ...Object.keys(model.functions).filter((k) => k in other.functions),
  ];
  const p = extractProfile(model, { name, description: '', names });
  // Fields both define (a removed or added field is its own change, not a probe of a number).
  for (const [k, t] of Object.entries(p.types)) {
    if (!t.fields) continue;
    const otherFields = new Set((other.types[k]?.fields ?? []).map((f) => f.name));
    for (const f of Object.keys(t.fields)) if (!otherFields.has(f)) delete t.fields[f];
  }
  p.unresolved = [];
  return p;
}

function probeFile(model: AbiModel, profile: Profile, headers: string[], file: string, types = false): string {
  const probe = generateProbe(model, profile, { includes: headers.map((h) => `<${h}>`) });
  if (!types) {
    writeFileSync(file, probe.text);
    return file;
  }
  // Constant types: _Generic picks the type the compiler gives the constant.
  const extra = Object.entries(profile.constants)
    .filter(([, c]) => c.type)
    .map(([n, c], i) => `_Static_assert(_Generic((${n}), ${c.type}: 1, default: 0), "portabi-type ${n}"); // type#${i} ${n}`);
  const text = probe.text.replace('#ifndef PORTABI_PROBE_OBJECTS_ONLY', `#ifndef PORTABI_PROBE_OBJECTS_ONLY\n${extra.join('\n')}`);
  writeFileSync(file, text);
  return file;
}

/** The constants whose _Generic type check failed, from the compiler's output. */
function typeFailures(file: string, root: string): Set<string> {
  let out = '';
  try {
    execFileSync('arm-none-eabi-gcc', [...gccFlags(root), '-fsyntax-only', file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 28 });
  } catch (e) {
    out = String((e as { stderr?: string }).stderr ?? '');
  }
  const lines = readFileSync(file, 'utf8').split('\n');
  const bad = new Set<string>();
  for (const m of out.matchAll(/^[^\n]*?:(\d+):\d+: error: [^\n]*/gm)) {
    const t = /\/\/ type#\d+ (\S+)$/.exec(lines[Number(m[1]) - 1] ?? '');
    if (t) bad.add(t[1]!);
  }
  return bad;
}

/** What a probe check says differs, as `kind item[.field]` in the diff's terms. */
function probeKey(r: ProbeCheckResult): string[] {
  const subject = r.field !== undefined ? `${r.item}.${r.field}` : r.item;
  switch (r.kind) {
    case 'size':
      return [`size ${subject}`];
    case 'align':
      return [`align ${subject}`];
    case 'offset':
      return [`field-offset ${subject}`];
    case 'field-size':
      return [`field-width ${subject}`];
    case 'bitfield':
      return [`field-offset ${subject}`, `field-width ${subject}`];
    case 'value':
      return [`value ${subject}`];
    case 'bytes':
      return [`bytes ${subject}`];
    case 'signature':
      return [`signature ${subject}`];
  }
}

/** A reported change in the same terms (enumerator values count as values; a type that
 *  became opaque has no size or alignment any more). */
function changeKeys(c: Change): string[] {
  const subject = c.field !== undefined ? `${c.item}.${c.field}` : c.item;
  if (c.kind === 'opaque') return [`size ${subject}`, `align ${subject}`];
  const kind = c.kind === 'enum-value' ? 'value' : c.kind;
  return ['size', 'align', 'field-offset', 'field-width', 'value', 'bytes', 'signature'].includes(kind) ? [`${kind} ${subject}`] : [];
}

describe.skipIf(!available)('newlib → picolibc for thumbv7em-none-eabi, judged by arm-none-eabi-gcc', () => {
  let headers: string[] = [];
  let oldModel: AbiModel;
  let newModel: AbiModel;
  let changes: Change[] = [];

  beforeAll(async () => {
    mkdirSync(WORK, { recursive: true });
    // Headers both libcs ship that each compiles together (test/corpus/decl-corpora.ts), then
    // reduced to those gcc accepts together on both trees.
    const lists = await Promise.all(['newlib', 'picolibc'].map((n) => buildCorpusTU(DECL_CORPORA.find((d) => d.name === n)!, join(tmpdir(), 'portabi-bench', 'decl'))));
    const inPico = new Set(lists[1]!.headers);
    headers = lists[0]!.headers.filter((h) => inPico.has(h));
    for (const root of [NEWLIB, PICOLIBC]) headers = (await compileTogether('arm-none-eabi-gcc', gccFlags(root), headers, join(WORK, 'together.c'))).headers;
    const model = (root: string) => {
      const r = computeAbi(emptyInput({ headers: headers.map((h) => join(root, h)), systemIncludePaths: [root], target: TARGET }));
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      return r.value.model;
    };
    oldModel = model(NEWLIB);
    newModel = model(PICOLIBC);
    changes = diffModels(oldModel, newModel, { oldRoot: NEWLIB, newRoot: PICOLIBC });
  });

  it('portabi diff on the two trees reports what diffModels does on their models', async () => {
    const r = await runDiff({
      old: { kind: 'tree', root: NEWLIB }, new: { kind: 'tree', root: PICOLIBC }, headers, flags: emptyFlags(),
      perSide: { old: noSideFlags(), new: noSideFlags() }, abis: [{ target: TARGET, config: null }], cacheDir: null,
    });
    expect(r.ok).toBe(true);
    expect(headers.length).toBeGreaterThan(60);
    const strip = (cs: Change[]) => cs.map((c) => ({ ...c, cause: undefined }));
    expect(strip(r.runs[0]!.changes)).toEqual(strip(changes));
    expect(changes.filter((c) => c.class === 'breaking').length).toBeGreaterThan(10);
  });

  it('every reported change of a common name is confirmed by the compiler, and none is missing', async () => {
    const oldP = commonProfile(oldModel, newModel, 'newlib');
    const newP = commonProfile(newModel, oldModel, 'picolibc');
    const C = await verifyProbe(probeFile(oldModel, oldP, headers, join(WORK, 'old-on-old.c')), 'arm-none-eabi-gcc', gccFlags(NEWLIB));
    const B = await verifyProbe(probeFile(newModel, newP, headers, join(WORK, 'new-on-new.c')), 'arm-none-eabi-gcc', gccFlags(PICOLIBC));
    const A = await verifyProbe(probeFile(newModel, oldP, headers, join(WORK, 'old-on-new.c')), 'arm-none-eabi-gcc', gccFlags(PICOLIBC));

    // portabi's numbers on each side are the compiler's.
    expect(C.unattributed).toEqual([]);
    expect(C.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(B.unattributed).toEqual([]);
    expect(B.results.filter((r) => r.status !== 'pass')).toEqual([]);
    expect(A.unattributed).toEqual([]);

    // Old numbers that no longer hold on the new tree = the reported changes of common names.
    // (Prototypes apart, below.)
    const layout = A.results.filter((r) => r.kind !== 'signature');
    const compilerSees = new Set(layout.filter((r) => r.status !== 'pass').flatMap(probeKey));
    const checked = new Set(layout.flatMap(probeKey));
    const reported = new Set(changes.flatMap(changeKeys).filter((k) => checked.has(k)));
    // A failing bit-field check stands for an offset or a width change: keep the one reported.
    for (const r of A.results.filter((x) => x.kind === 'bitfield' && x.status !== 'pass')) {
      const keys = probeKey(r);
      if (keys.some((k) => reported.has(k))) for (const k of keys) if (!reported.has(k)) compilerSees.delete(k);
    }
    expect([...reported].sort()).toEqual([...compilerSees].sort());
    const counts = { checks: A.results.length, differ: compilerSees.size };
    expect(counts.differ).toBeGreaterThan(10);
    console.log(`newlib → picolibc: ${headers.length} headers; ${layout.length} layout/constant probe checks of common names; ${counts.differ} differ on the compiler's word, ${reported.size} reported`);

    // Prototypes: the probe spells the old prototype with the typedef names, which the new tree
    // resolves its own way, so it cannot confirm a change made through a typedef (off_t long →
    // long long, FILE another struct), which diff sees by expanding typedefs on each side. It
    // can still catch a miss: an old prototype the new tree rejects must be reported.
    const protoFails = A.results.filter((r) => r.kind === 'signature' && r.status !== 'pass').map((r) => r.item);
    const protoReported = new Set(changes.filter((c) => c.section === 'function' && c.kind === 'signature').map((c) => c.item));
    expect(protoFails.filter((f) => !protoReported.has(f))).toEqual([]);
    console.log(`prototypes: ${A.results.filter((r) => r.kind === 'signature').length} checked, ${protoFails.length} rejected on the new tree, all reported; ${protoReported.size} prototype changes reported`);

    // Constant types: the old type fails on the new tree exactly where diff reports a type change.
    const typeOld = typeFailures(probeFile(newModel, oldP, headers, join(WORK, 'types-old-on-new.c'), true), PICOLIBC);
    const typeNew = typeFailures(probeFile(newModel, newP, headers, join(WORK, 'types-new-on-new.c'), true), PICOLIBC);
    const typeOnOld = typeFailures(probeFile(oldModel, oldP, headers, join(WORK, 'types-old-on-old.c'), true), NEWLIB);
    expect([...typeNew]).toEqual([]);
    expect([...typeOnOld]).toEqual([]);
    const reportedTypes = changes
      .filter((c) => c.section === 'constant' && (c.kind === 'value-type' || ((c.kind === 'value' || c.kind === 'enum-value') && oldModel.constants[c.item]?.type !== newModel.constants[c.item]?.type)))
      .map((c) => c.item)
      .sort();
    expect([...typeOld].sort()).toEqual(reportedTypes);
  });
});
