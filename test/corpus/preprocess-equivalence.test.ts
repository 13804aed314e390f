// Preprocessing equivalence on real libc headers: for every public header of each corpus,
// portabi's token sequence equals the reference compiler's `-E` output (ignoring whitespace
// and line markers; `#pragma` lines compared as lines, with their position).
//
// PORTABI_CORPUS=newlib,musl limits the corpora; PORTABI_CORPUS_LIMIT=N the headers.
import { describe, expect, it } from 'vitest';
import { corpora, corpusAvailable, listHeaders, pool, runReference } from './corpora.js';
import { compareSeq, corpusOptions, portabiSequence, referenceSequence, runPortabi } from './pp-compare.js';

const only = process.env.PORTABI_CORPUS?.split(',');
const limit = Number(process.env.PORTABI_CORPUS_LIMIT ?? 0) || Infinity;

describe('preprocessing equivalence with the reference compiler', () => {
  for (const c of corpora) {
    const skip = (only && !only.includes(c.name)) || !corpusAvailable(c);
    it.skipIf(skip)(`${c.name}: every public header preprocesses like ${c.compiler} -E`, async () => {
      const headers = listHeaders(c).slice(0, limit);
      const opts = corpusOptions(c);
      const refs = await pool(headers, 3, (h) => runReference(c, h));
      const rejected: string[] = [];
      const mismatches: string[] = [];
      let accepted = 0;
      let matched = 0;
      for (let k = 0; k < headers.length; k++) {
        const h = headers[k]!;
        const ref = refs[k]!;
        if (!ref.ok) {
          rejected.push(h);
          continue;
        }
        accepted++;
        const r = runPortabi(h, opts);
        const errs = r.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal');
        const diff = compareSeq(portabiSequence(r), referenceSequence(ref.out), r);
        if (diff === null && errs.length === 0) matched++;
        else mismatches.push(`${h}: ${diff ?? ''}${errs.length ? `\n  diagnostics: ${errs.slice(0, 3).map((d) => `${d.loc?.file}:${d.loc?.line}:${d.loc?.col}: ${d.message}`).join('; ')}` : ''}`);
      }
      console.log(`[${c.name}] ${matched}/${accepted} headers match ${c.compiler} -E (${rejected.length} rejected by the reference compiler and excluded)`);
      if (rejected.length) console.log(`[${c.name}] excluded: ${rejected.slice(0, 40).map((h) => h.slice(c.root.length + 1)).join(" ")}${rejected.length > 40 ? ` ... (+${rejected.length - 40})` : ""}`);
      if (mismatches.length) console.log(`[${c.name}] mismatches:\n${mismatches.slice(0, 30).join('\n')}`);
      expect(mismatches).toEqual([]);
    }, 900_000);
  }
});
