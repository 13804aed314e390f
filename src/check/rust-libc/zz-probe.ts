import { importRustLibc, renderProfileYaml } from './import.js';
import { writeFileSync } from 'node:fs';
const dir = '/usr/share/cargo/registry/libc-0.2.139';
for (const tr of process.argv.slice(2)) {
  const t0 = Date.now();
  const r = importRustLibc(dir, tr);
  console.log(tr, Date.now()-t0, 'ms', r.stats, r.diagnostics.slice(0,10));
  writeFileSync(`/tmp/prof-${tr}.yaml`, renderProfileYaml(r.profile));
  const reasons = new Map<string, number>();
  for (const u of r.profile.unresolved) { const k = u.reason.replace(/'[^']*'/g,"'X'").slice(0,80); reasons.set(k, (reasons.get(k)??0)+1); }
  console.log([...reasons].sort((a,b)=>b[1]-a[1]).slice(0,25));
}
