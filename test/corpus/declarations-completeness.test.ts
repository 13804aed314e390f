// Declaration completeness: for one TU per libc that includes all its public headers,
// portabi's own front end (its preprocessor, with the reference compiler's predefined
// macros, include dirs and __has_* answers, then the declaration parser on its tokens) must
// find exactly the structs, unions, enums, typedefs and functions clang's AST finds, and
// every record definition must have the same members in the same order (anonymous members
// included). clang's AST is computed from the reference compiler's -E output of the same TU.
// See decl-corpora.ts for how each TU is built.
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDeclarationTokens } from '../../src/parse/declarations.js';
import type { TranslationUnitIR } from '../../src/parse/ir.js';
import { preprocessSource } from '../../src/parse/preprocess.js';
import { corpusOptions } from './pp-compare.js';
import {
  DECL_CORPORA, buildCorpusTU, clangDeclaredNames, emptyNames, preprocessCorpus, recordKey, toolAvailable,
  type DeclaredNames,
} from './decl-corpora.js';

function irNames(ir: TranslationUnitIR): DeclaredNames {
  const n = emptyNames();
  for (const k of Object.keys(ir.tags.struct)) n.struct.add(k);
  for (const k of Object.keys(ir.tags.union)) n.union.add(k);
  for (const k of Object.keys(ir.tags.enum)) n.enum.add(k);
  for (const k of Object.keys(ir.typedefs)) n.typedef.add(k);
  for (const k of Object.keys(ir.functions)) n.function.add(k);
  for (const k of Object.keys(ir.variables)) n.variable.add(k);
  for (const r of ir.records) if (r.complete) n.records.push(recordKey(r.tag, r.name, r.fields.map((f) => f.name)));
  return n;
}

function setDiff(a: Set<string>, b: Set<string>): string[] {
  return [...a].filter((x) => !b.has(x)).sort();
}

function multisetDiff(a: string[], b: string[]): string[] {
  const count = new Map<string, number>();
  for (const x of b) count.set(x, (count.get(x) ?? 0) + 1);
  const out: string[] = [];
  for (const x of a) {
    const c = count.get(x) ?? 0;
    if (c > 0) count.set(x, c - 1);
    else out.push(x);
  }
  return out;
}

const work = join(tmpdir(), 'portabi-decl-corpora');

describe('declaration completeness against clang -ast-dump=json', () => {
  for (const corpus of DECL_CORPORA) {
    const available = toolAvailable(corpus.cc) && toolAvailable('clang-19');
    it.skipIf(!available)(`${corpus.name}: all public headers`, async () => {
      const tu = await buildCorpusTU(corpus, work);
      const opts = corpusOptions(preprocessCorpus(corpus));
      const source = await readFile(tu.source, 'utf8');
      const t0 = performance.now();
      const pp = preprocessSource(source, opts, tu.source);
      const t1 = performance.now();
      const ir = parseDeclarationTokens(pp.tokens, pp.pragmas);
      const t2 = performance.now();
      const ref = await clangDeclaredNames(tu);
      const got = irNames(ir);
      const ppErrors = pp.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal');
      const lines: string[] = [
        `${corpus.name}: ${tu.headers.length} headers in one TU (${tu.dropped.length} dropped as conflicting: ${tu.dropped.join(' ')}); ` +
          `portabi preprocess ${pp.tokens.length} tokens in ${(t1 - t0).toFixed(0)} ms (${ppErrors.length} errors), ` +
          `declarations in ${(t2 - t1).toFixed(0)} ms (${ir.diagnostics.length} diagnostics)`,
      ];
      const problems: string[] = [];
      for (const d of ppErrors.slice(0, 10)) problems.push(`preprocess: ${d.loc?.file}:${d.loc?.line}:${d.loc?.col}: ${d.message}`);
      for (const kind of ['struct', 'union', 'enum', 'typedef', 'function', 'variable'] as const) {
        const missing = setDiff(ref[kind], got[kind]);
        const extra = setDiff(got[kind], ref[kind]);
        lines.push(`  ${kind}: ${ref[kind].size - missing.length}/${ref[kind].size}` + (extra.length ? ` (+${extra.length} extra)` : ''));
        if (missing.length) problems.push(`${kind} missing: ${missing.slice(0, 20).join(' ')}`);
        if (extra.length) problems.push(`${kind} extra: ${extra.slice(0, 20).join(' ')}`);
      }
      const recMissing = multisetDiff(ref.records, got.records);
      const recExtra = multisetDiff(got.records, ref.records);
      lines.push(`  record member lists: ${ref.records.length - recMissing.length}/${ref.records.length}`);
      if (recMissing.length) problems.push(`records missing/different: ${recMissing.slice(0, 10).join('\n    ')}`);
      if (recExtra.length) problems.push(`records extra/different: ${recExtra.slice(0, 10).join('\n    ')}`);
      for (const d of ir.diagnostics.slice(0, 10)) problems.push(`diagnostic: ${d.loc?.file}:${d.loc?.line}:${d.loc?.col}: ${d.message}`);
      console.log([...lines, ...problems.map((p) => '  ! ' + p)].join('\n'));
      expect(problems).toEqual([]);
    }, 900_000);
  }
});
