import { load, type Ptr } from './gen/callback_lib.js';
declare const p: Ptr<'struct cbl_point'>;
load().cbl_client_close(p);
