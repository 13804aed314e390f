import { load, runtimeStats } from './callback_lib.js';
const lib = load();
const N = Number(process.argv[2] ?? 20000);
for (let i = 0; i < N; i++) {
  const v = await lib.cbl_timer_start_async(0, i);
  if (v !== i) throw new Error('timer ' + i + ' gave ' + v);
  if (i % 2000 === 0) console.error('at', i);
}
console.error('seq done', JSON.stringify(runtimeStats()));
