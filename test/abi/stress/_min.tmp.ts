import { generate } from './generator.ts';
import { requireTarget } from './run.ts';
const [tname, seed, count, name] = process.argv.slice(2);
const t = requireTarget(tname!);
const bits: any = {};
for (const k of ['_Bool','char','signed char','unsigned char','short','unsigned short','int','unsigned int','long','unsigned long','long long','unsigned long long']) { const s = (t.scalars as any)[k]; if (s) bits[k] = s.size*8; }
const g = generate(Number(seed), Number(count), { bits, hasLongDouble: t.scalars['long double'] !== undefined, shortEnums: t.shortEnums } as any);
const r = g.records.find((x) => x.spelling === name)!;
console.log(g.minimal(r.id));
