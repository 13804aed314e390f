// Small parts of the TS generator on their own: portabi.yaml errors, the annotation
// languages, detection on a hand-built IR, the runtime's layout self-check and bit-fields.
import koffi from 'koffi';
import { describe, expect, test } from 'vitest';
import { parseConfig } from '../../src/config/config.js';
import { parseArgExpr, parseResultValue } from '../../src/generate/async/arg-expr.js';
import { detectAsync } from '../../src/generate/async/detect.js';
import { resolveAsync } from '../../src/generate/async/resolve.js';
import { checkLayouts, readBits, writeBits } from '../../src/generate/runtime/runtime.js';
import type { CType, FunctionDecl, TranslationUnitIR } from '../../src/parse/ir.js';

describe('portabi.yaml', () => {
  test('unknown keys are errors with file:line:col', () => {
    const r = parseConfig('headers: [a.h]\ntarget: x86_64-unknown-linux-gnu\noutputs:\n  - lang: ts\n    path: out.ts\n    librray: x.so\nasync:\n  f:\n    scope: once\n    cancle: g\n', '/p/portabi.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => `${e.loc}: ${e.message}`)).toEqual([
      "/p/portabi.yaml:6:5: unknown key 'librray' in an output (known: lang, path, library)",
      "/p/portabi.yaml:10:5: unknown key 'cancle' in async.f (known: enabled, scope, callback, context, cancel, cancel-args, done, done-event, errors, status, result, runs-on, queue, overflow)",
    ]);
  });

  test('bad enum values and flags are located errors', () => {
    const r = parseConfig('headers: a.h\nflags: [-Iinc, -Wall]\nasync:\n  f:\n    scope: sometimes\n', '/p/portabi.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.message)).toEqual([
      "unknown flag '-Wall' (known: -I, -isystem, -iquote, -D, -U, -include, --config)",
      "async.f.scope: 'sometimes' is not one of once, stream, call",
    ]);
    expect(r.errors[1]!.loc).toBe('/p/portabi.yaml:5:12');
  });

  test('flags, paths relative to the file, annotations', () => {
    const r = parseConfig('headers: [inc/a.h]\nflags: ["-Iinc -DX=2 -DY", -UZ]\noutputs: [{ lang: ts, path: gen/a.ts, library: ./liba.so }]\nasync:\n  a_start: { scope: stream, done: "flags & 1", errors: [neg-errno], queue: 8, overflow: drop-oldest, runs-on: thread }\n', '/p/portabi.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.headers).toEqual(['/p/inc/a.h']);
    expect(r.config.flags.includePaths).toEqual(['/p/inc']);
    expect(r.config.flags.defines).toEqual([{ name: 'X', value: '2' }, { name: 'Y', value: '1' }]);
    expect(r.config.flags.undefines).toEqual(['Z']);
    expect(r.config.outputs[0]).toMatchObject({ lang: 'ts', path: '/p/gen/a.ts', library: './liba.so' });
    expect(r.config.async.a_start!.annotation).toEqual({ scope: 'stream', done: 'flags & 1', errors: ['neg-errno'], queue: 8, overflow: 'drop-oldest', runsOn: 'thread' });
  });
});

describe('annotation languages', () => {
  test('done: C expressions over callback parameters, precedence as in C', () => {
    const e = parseArgExpr('status != 0 || flags & 4', ['status', 'flags']);
    expect(e).toEqual({
      ok: true,
      value: {
        k: 'binary', op: '||',
        left: { k: 'binary', op: '!=', left: { k: 'arg', name: 'status' }, right: { k: 'int', value: 0n } },
        right: { k: 'binary', op: '&', left: { k: 'arg', name: 'flags' }, right: { k: 'int', value: 4n } },
      },
    });
    expect(parseArgExpr('last', ['done'])).toEqual({ ok: false, error: "'last' is not a parameter of the callback (parameters: done)" });
  });

  test('result values', () => {
    expect(parseResultValue('bytes(data, len)', ['data', 'len'])).toEqual({ ok: true, value: { k: 'bytes', ptr: 'data', len: 'len' } });
    expect(parseResultValue('string(msg)', ['msg'])).toEqual({ ok: true, value: { k: 'string', ptr: 'msg' } });
    expect(parseResultValue('nope', ['x']).ok).toBe(false);
  });
});

describe('detection on a hand-built IR', () => {
  const loc = { file: 'h.h', line: 1, col: 1 };
  const voidp: CType = { kind: 'pointer', to: { kind: 'void' } };
  const int: CType = { kind: 'int', name: 'int' };
  const handle: CType = { kind: 'pointer', to: { kind: 'record', id: 0 } };
  const cb: CType = { kind: 'pointer', to: { kind: 'function', ret: { kind: 'void' }, params: [{ name: 'user', type: voidp }, { name: 'status', type: int }], variadic: false, prototyped: true } };
  const fn = (name: string, ret: CType, params: [string, CType][]): FunctionDecl => ({
    name, storage: 'extern', inline: false, signature: name, loc,
    type: { kind: 'function', ret, params: params.map(([n, t]) => ({ name: n, type: t })), variadic: false, prototyped: true },
  });
  const ir: TranslationUnitIR = {
    records: [{ id: 0, tag: 'struct', name: 'dev', complete: false, fields: [], attrs: {}, pack: null, loc }],
    enums: [],
    typedefs: {},
    tags: { struct: { dev: 0 }, union: {}, enum: {} },
    functions: {
      dev_watch_add: fn('dev_watch_add', int, [['dev', handle], ['on_event', cb], ['user', voidp]]),
      dev_watch_remove: fn('dev_watch_remove', int, [['dev', handle], ['watch', int]]),
      dev_close: fn('dev_close', { kind: 'void' }, [['dev', handle]]),
    },
    variables: {},
    macros: {},
    diagnostics: [],
  };

  test('callback + user data + context; cancel paired by suffix and handle type', () => {
    const [p, ...rest] = detectAsync(ir);
    expect(rest).toEqual([]);
    expect(p).toMatchObject({
      symbol: 'dev_watch_add',
      callback: { k: 'param', param: 'on_event' },
      context: { k: 'param', param: 'user' },
      userDataIndex: 0,
      cancel: { k: 'function', symbol: 'dev_watch_remove', args: [{ k: 'start-arg', param: 'dev' }, { k: 'start-result' }] },
      errors: ['neg-errno', 'callback-status'],
      status: 'status',
      result: { k: 'void' },
    });
  });

  test('annotations override and are checked against the callback', () => {
    const r = resolveAsync(ir, {
      dev_watch_add: { annotation: { scope: 'stream', done: 'status < 0', doneEvent: 'drop' }, loc: 'portabi.yaml:3:3' },
      dev_close: { annotation: { scope: 'once' }, loc: 'portabi.yaml:9:3' },
    });
    expect(r.specs.map((s) => [s.symbol, s.scope, s.origin])).toEqual([['dev_watch_add', 'stream', 'detected+configured']]);
    expect(r.problems).toEqual([{ loc: 'portabi.yaml:9:3', symbol: 'dev_close', message: 'dev_close: no callback with a user-data parameter' }]);
  });
});

describe('runtime', () => {
  test('the layout self-check names the type and the difference', () => {
    const t = koffi.struct({ a: 'int32_t', b: 'uint8_t' });
    expect(() => checkLayouts([{ name: 'struct s', loc: 'h.h:3', type: t, size: 8, align: 4, fields: [['a', 0], ['b', 4]] }])).not.toThrow();
    expect(() => checkLayouts([{ name: 'struct s', loc: 'h.h:3', type: t, size: 12, align: 4, fields: [['a', 0], ['b', 5]] }])).toThrow(
      'portabi layout self-check failed for struct s (h.h:3): koffi has size 8, portabi says 12; offsetof(b) 4, portabi says 5',
    );
  });

  test('bit-fields across storage units, little endian, signed', () => {
    const units = [{ field: 'u1', byte: 1, size: 1 }, { field: 'u2', byte: 2, size: 2 }];
    const o: Record<string, number> = { u1: 0, u2: 0 };
    writeBits(o, units, 12, 5, -3); // bits 12..16: crosses from u1 into u2
    expect(o).toEqual({ u1: 0b11010000, u2: 0b1 });
    expect(readBits(o, units, 12, 5, true)).toBe(-3);
    expect(readBits(o, units, 12, 5, false)).toBe(29);
  });
});
