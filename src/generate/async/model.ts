// The async model: how a C callback API becomes an asynchronous operation. Language-neutral
// (the TypeScript generator reads it; a Rust generator will too). Detection (detect.ts)
// proposes AsyncSpecs from the declarations; portabi.yaml annotations (AsyncAnnotation,
// keyed by the C start function's symbol) confirm or override them (resolve.ts).

/** once: one callback settles the operation. stream: many callbacks, until `done` or cancel.
 *  call: the callback runs only during the start call, on the calling thread. */
export type AsyncScope = 'once' | 'stream' | 'call';

/** neg-errno: the start function returns -errno on failure. zero-fail: it returns 0 / NULL on
 *  failure. callback-status: a callback argument (`status`) is 0 or -errno. */
export type ErrorConvention = 'neg-errno' | 'zero-fail' | 'callback-status';

/** Where C calls the callback from. isr: an interrupt handler, which may only enqueue. */
export type RunsOn = 'thread' | 'isr' | 'caller';

export type OverflowPolicy = 'error' | 'drop-oldest' | 'drop-newest';

/** A C expression over the callback's arguments (`done: last_block`, `status != 0`). */
export type ArgExpr =
  | { k: 'arg'; name: string }
  | { k: 'int'; value: bigint }
  | { k: 'unary'; op: '!' | '-' | '~'; arg: ArgExpr }
  | { k: 'binary'; op: '&&' | '||' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&' | '|' | '^' | '+' | '-' | '*'; left: ArgExpr; right: ArgExpr };

/** One value taken from the callback's arguments. */
export type ResultValue =
  | { k: 'arg'; name: string }
  /** A (pointer, length) pair copied into a byte array. */
  | { k: 'bytes'; ptr: string; len: string }
  /** A NUL-terminated `char *` copied into a string. */
  | { k: 'string'; ptr: string };

export type ResultMapping =
  | { k: 'void' }
  | { k: 'value'; value: ResultValue }
  | { k: 'object'; fields: { name: string; value: ResultValue }[] };

/** Where a start function takes the callback or its context: a parameter, or a field of a
 *  struct passed (by pointer or value) as a parameter. */
export type Site = { k: 'param'; param: string } | { k: 'field'; param: string; field: string };

/** An argument of the cancel call. */
export type CancelArg =
  | { k: 'start-result' } // the start function's return value (a handle / id)
  | { k: 'start-arg'; param: string } // the same argument the start call got
  | { k: 'context' } // the operation's context value
  | { k: 'null' };

export type CancelSpec =
  | { k: 'function'; symbol: string; args: CancelArg[] }
  /** `set_cb(NULL, ...)`: the start function itself, called again with a NULL callback. */
  | { k: 'set-null' };

export interface AsyncSpec {
  /** The C start function. */
  symbol: string;
  scope: AsyncScope;
  callback: Site;
  context: Site;
  /** The callback's prototype: typedef name, if it has one. */
  prototype: string | null;
  /** Index of the user-data parameter in the callback's parameter list. */
  userDataIndex: number;
  cancel: CancelSpec | null;
  /** Stream end condition over the callback's arguments. */
  done: ArgExpr | null;
  /** Whether the event that ends a stream is delivered (yield) or not (drop). */
  doneEvent: 'yield' | 'drop';
  errors: ErrorConvention[];
  /** The callback argument holding a status, for 'callback-status'. */
  status: string | null;
  result: ResultMapping;
  runsOn: RunsOn;
  queue: { capacity: number; overflow: OverflowPolicy };
  /** What detection saw, for `--explain-async`. */
  reasons: string[];
  origin: 'detected' | 'configured' | 'detected+configured';
}

/** An annotation from portabi.yaml `async:` (every key optional: overrides detection). */
export interface AsyncAnnotation {
  /** false: no wrapper for this symbol even if detected. */
  enabled?: boolean;
  scope?: AsyncScope;
  callback?: string; // param, or param.field
  context?: string; // param, or param.field
  cancel?: string | null; // function symbol, 'set-null', or null for none
  cancelArgs?: string[]; // 'result' | 'context' | 'null' | start param name
  done?: string;
  doneEvent?: 'yield' | 'drop';
  errors?: ErrorConvention[];
  status?: string;
  /** 'arg', 'bytes(ptr, len)', 'string(ptr)', a list of those, or a map name → those. */
  result?: string | string[] | Record<string, string> | null;
  runsOn?: RunsOn;
  queue?: number;
  overflow?: OverflowPolicy;
}

export const DEFAULT_QUEUE_CAPACITY = 1024;
