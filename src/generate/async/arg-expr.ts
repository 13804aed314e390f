// The two small languages of async annotations: `done:` (a C expression over the callback's
// arguments) and `result:` values (`arg`, `bytes(ptr, len)`, `string(ptr)`).
import type { ArgExpr, ResultValue } from './model.js';

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

const BINARY: { ops: string[]; prec: number }[] = [
  { ops: ['||'], prec: 1 },
  { ops: ['&&'], prec: 2 },
  { ops: ['|'], prec: 3 },
  { ops: ['^'], prec: 4 },
  { ops: ['&'], prec: 5 },
  { ops: ['==', '!='], prec: 6 },
  { ops: ['<', '<=', '>', '>='], prec: 7 },
  { ops: ['+', '-'], prec: 8 },
  { ops: ['*'], prec: 9 },
];

function precOf(op: string): number {
  for (const b of BINARY) if (b.ops.includes(op)) return b.prec;
  return -1;
}

function tokenize(text: string): string[] | string {
  const out: string[] = [];
  const re = /\s*(?:(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_]\w*)|(\|\||&&|==|!=|<=|>=|[-+*!~&|^<>()]))/y;
  let pos = 0;
  while (pos < text.length) {
    if (/^\s*$/.test(text.slice(pos))) break;
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return `unexpected '${text.slice(pos).trim()[0]}' at column ${pos + 1}`;
    out.push(m[1] ?? m[2] ?? m[3]!);
    pos = re.lastIndex;
  }
  return out;
}

/** Parses a `done:` expression; `names` are the callback's parameter names. */
export function parseArgExpr(text: string, names: readonly string[]): Parsed<ArgExpr> {
  const toks = tokenize(text);
  if (typeof toks === 'string') return { ok: false, error: toks };
  let i = 0;
  const fail = (msg: string): never => {
    throw new Error(msg);
  };
  const primary = (): ArgExpr => {
    const t = toks[i++];
    if (t === undefined) return fail('unexpected end of expression');
    if (t === '(') {
      const e = binary(0);
      if (toks[i++] !== ')') fail("expected ')'");
      return e;
    }
    if (t === '!' || t === '-' || t === '~') return { k: 'unary', op: t, arg: primary() };
    if (/^\d/.test(t)) return { k: 'int', value: BigInt(t) };
    if (/^[A-Za-z_]/.test(t)) {
      if (!names.includes(t)) fail(`'${t}' is not a parameter of the callback (parameters: ${names.join(', ') || 'none'})`);
      return { k: 'arg', name: t };
    }
    return fail(`unexpected '${t}'`);
  };
  const binary = (min: number): ArgExpr => {
    let left = primary();
    for (;;) {
      const op = toks[i];
      const p = op === undefined ? -1 : precOf(op);
      if (p < 0 || p <= min - 1 || p < min) break;
      i++;
      const right = binary(p + 1);
      left = { k: 'binary', op: op as Extract<ArgExpr, { k: 'binary' }>['op'], left, right };
    }
    return left;
  };
  try {
    const e = binary(0);
    if (i !== toks.length) return { ok: false, error: `unexpected '${toks[i]}'` };
    return { ok: true, value: e };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

export function argExprText(e: ArgExpr): string {
  switch (e.k) {
    case 'arg':
      return e.name;
    case 'int':
      return e.value.toString();
    case 'unary':
      return `${e.op}${argExprText(e.arg)}`;
    case 'binary':
      return `(${argExprText(e.left)} ${e.op} ${argExprText(e.right)})`;
  }
}

/** Parses one `result:` value. */
export function parseResultValue(text: string, names: readonly string[]): Parsed<ResultValue> {
  const t = text.trim();
  const check = (n: string): string | null => (names.includes(n) ? null : `'${n}' is not a parameter of the callback (parameters: ${names.join(', ')})`);
  let m = /^bytes\(\s*(\w+)\s*,\s*(\w+)\s*\)$/.exec(t);
  if (m) {
    const e = check(m[1]!) ?? check(m[2]!);
    return e ? { ok: false, error: e } : { ok: true, value: { k: 'bytes', ptr: m[1]!, len: m[2]! } };
  }
  m = /^string\(\s*(\w+)\s*\)$/.exec(t);
  if (m) {
    const e = check(m[1]!);
    return e ? { ok: false, error: e } : { ok: true, value: { k: 'string', ptr: m[1]! } };
  }
  if (/^\w+$/.test(t)) {
    const e = check(t);
    return e ? { ok: false, error: e } : { ok: true, value: { k: 'arg', name: t } };
  }
  return { ok: false, error: `'${t}' is not a result value (use name, bytes(ptr, len) or string(ptr))` };
}

export function resultValueText(v: ResultValue): string {
  return v.k === 'arg' ? v.name : v.k === 'bytes' ? `bytes(${v.ptr}, ${v.len})` : `string(${v.ptr})`;
}
