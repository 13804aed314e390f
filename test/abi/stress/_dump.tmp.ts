import { computeAbi, emptyInput } from '../../../src/pipeline.js';
const [t, file, rec] = process.argv.slice(2);
const r: any = computeAbi(emptyInput({ headers: [file!], target: t! }));
const m = r.value.model.types[rec!];
console.log(rec, m.size, m.align);
for (const f of m.fields) console.log(`${f.name} ${f.offsetBits} ${f.sizeBits}${f.bitField ? ' bf' : ''}`);
