import { load, type Ptr } from './gen/callback_lib.js';
const lib = load();
const c = lib.cbl_client_open('t');
declare const point: Ptr<'struct cbl_point'>;
// @ts-expect-error a pointer to another struct is not a struct cbl_client *
lib.cbl_client_close(point);
// @ts-expect-error missing argument
void lib.cbl_request_send_async(c, 1);
// @ts-expect-error the result is { sum, product }, not a number
const n: Promise<number> = lib.cbl_request_send_async(c, 1, 2);
// @ts-expect-error a stream is not a promise
const q: Promise<unknown> = lib.cbl_recv_start_async(c, 1, 1);
const ok: Promise<{ sum: number; product: number }> = lib.cbl_request_send_async(c, 1, 2, { timeoutMs: 5 });
void n; void q; void ok;
lib.cbl_client_close(c);
