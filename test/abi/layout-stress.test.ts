// Differential layout test: a seeded random corpus of C types per target, laid out by portabi
// and compared with clang-19's record layout dump (every record, every member, every typedef
// and enum) and, for the arm-none-eabi targets, with arm-none-eabi-gcc (static asserts and
// bit-field images). Set PORTABI_STRESS_SEED / PORTABI_STRESS_COUNT to explore other corpora.
import { describe, expect, it } from 'vitest';
import { formatReport, runTarget, STRESS_TARGETS, type TargetReport } from './stress/run.js';

const SEED = Number(process.env.PORTABI_STRESS_SEED ?? 20261121);
const COUNT = Number(process.env.PORTABI_STRESS_COUNT ?? 3000);

describe(`layout stress (seed ${SEED}, ${COUNT} declarations per target)`, () => {
  let reports: TargetReport[] = [];
  it('runs every target against its compilers', async () => {
    reports = await Promise.all(STRESS_TARGETS.map((t) => runTarget(t, SEED, COUNT)));
    for (const r of reports) {
      console.log(formatReport(r));
      if (r.gcc?.note) console.log('  gcc: ' + r.gcc.note.replace(/\n/g, '\n  gcc: '));
      for (const f of r.failures) console.log('  ' + f.replace(/\n/g, '\n  '));
    }
  }, 600_000);
  for (const t of STRESS_TARGETS) {
    it(`${t}: portabi agrees with clang${['thumbv7em-none-eabi', 'thumbv7em-none-eabihf', 'thumbv6m-none-eabi'].includes(t) ? ' and gcc' : ''} on every record`, () => {
      const r = reports.find((x) => x.target === t);
      expect(r, 'stress run did not complete').toBeDefined();
      if (!r) return;
      expect(r.failures, r.failures.join('\n\n')).toEqual([]);
      expect(r.records.agree).toBe(r.records.total);
      expect(r.fields.agree).toBe(r.fields.total);
      expect(r.scalars.agree).toBe(r.scalars.total);
      if (r.parsed) expect(r.parsed.agree, r.parsed.note).toBe(r.parsed.total);
      if (r.gcc) {
        expect(r.gcc.records.agree, r.gcc.note).toBe(r.gcc.records.total);
        expect(r.gcc.bitfields.agree, r.gcc.note).toBe(r.gcc.bitfields.total);
      }
    });
  }
});
