import { load, runtimeStats } from './callback_lib.js';
const lib = load();
const c = lib.cbl_client_open('stress');
const N = Number(process.argv[2] ?? 1000);
const rs = await Promise.all(Array.from({ length: N }, (_, i) => lib.cbl_request_send_async(c, i, 3)));
rs.forEach((r, i) => { if (r.sum !== i + 3 || r.product !== i * 3) throw new Error('request ' + i); });
console.error('conc done', JSON.stringify(runtimeStats()));
