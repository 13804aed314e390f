// CType / Expr → C text, in one canonical form, so that `check` can compare prototypes
// written differently. The normal form:
//   - base types spelled canonically ("unsigned int", "long long", "signed char", "_Bool");
//   - qualifiers in the order const, volatile, restrict, _Atomic, before the base type and
//     after a `*` ("const char *const");
//   - one space between the base type and its declarator, none inside "**", "(*)", "[4]";
//   - tags as "struct tag" / "union tag" / "enum tag"; anonymous ones as "struct <anonymous>";
//   - typedef names kept as written (never resolved), attributes omitted;
//   - expressions fully parenthesised below the top level ("(N + 1)" → "N + 1" at top).
// Signatures (signatureOf) drop parameter names, apply the parameter adjustments of C17
// 6.7.6.3 (array → pointer, function → pointer to function, top-level qualifiers dropped),
// print "(void)" for an empty prototype, "()" for an unprototyped declaration and ", ..."
// for variadic ones: `int printf(const char *, ...)`.
import type { CType, Expr, FunctionDecl, InitList, Qualifiers, TranslationUnitIR } from './ir.js';

type Names = Pick<TranslationUnitIR, 'records' | 'enums'> & Partial<Pick<TranslationUnitIR, 'typedefs'>>;

function qualText(q: Qualifiers | undefined): string {
  if (!q) return '';
  const out: string[] = [];
  if (q.const) out.push('const');
  if (q.volatile) out.push('volatile');
  if (q.restrict) out.push('restrict');
  if (q.atomic) out.push('_Atomic');
  return out.join(' ');
}

function baseText(t: CType, ir: Names): string {
  switch (t.kind) {
    case 'void': return 'void';
    case 'int': case 'float': case 'builtin': return t.name;
    case 'complex': return `_Complex ${t.of}`;
    case 'record': {
      const r = ir.records[t.id];
      return `${r?.tag ?? 'struct'} ${r?.name ?? '<anonymous>'}`;
    }
    case 'enum': return `enum ${ir.enums[t.id]?.name ?? '<anonymous>'}`;
    case 'typedef': return t.name;
    case 'typeof': return `typeof(${exprToC(t.expr, ir)})`;
    case 'unknown': return t.text;
    default: return '?';
  }
}

/** A type as C text around an (optional) declarator name: typeToC(int[4], 'a') = "int a[4]". */
export function typeToC(t: CType, ir: Names, name = ''): string {
  return declare(t, name, ir);
}

function declare(t: CType, inner: string, ir: Names, paramText?: (t: Extract<CType, { kind: 'function' }>) => string): string {
  switch (t.kind) {
    case 'pointer': {
      const q = qualText(t.quals);
      let s = '*' + (q ? q + (inner ? ' ' : '') : '') + inner;
      if (t.to.kind === 'array' || t.to.kind === 'function') s = `(${s})`;
      return declare(t.to, s, ir, paramText);
    }
    case 'array':
      return declare(t.of, `${inner}[${t.length ? exprToC(t.length, ir) : ''}]`, ir, paramText);
    case 'function':
      return declare(t.ret, `${inner}(${(paramText ?? defaultParams)(t)})`, ir, paramText);
    default: {
      const q = qualText(t.quals);
      const b = (q ? q + ' ' : '') + baseText(t, ir);
      return inner ? `${b} ${inner}` : b;
    }
  }
  function defaultParams(f: Extract<CType, { kind: 'function' }>): string {
    return paramsText(f, ir, false);
  }
}

function paramsText(f: Extract<CType, { kind: 'function' }>, ir: Names, canonical: boolean): string {
  if (!f.prototyped) return canonical ? '' : f.params.map((p) => p.name ?? '').join(', ');
  if (f.params.length === 0) return f.variadic ? '...' : 'void';
  const ps = f.params.map((p) => (canonical ? declare(adjustParam(p.type, ir), '', ir, (g) => paramsText(g, ir, true)) : declare(p.type, p.name ?? '', ir)));
  if (f.variadic) ps.push('...');
  return ps.join(', ');
}

/** C17 6.7.6.3p7-8: how a parameter's declared type is adjusted. A qualified typedef of an
 *  array type (`const prgregset_t`) qualifies the elements (6.7.3p10), so after the adjustment
 *  to a pointer the qualifier is not top-level: it is kept (with the typedef name, as written). */
export function adjustParam(t: CType, ir?: Names): CType {
  let out: CType;
  if (t.kind === 'array') out = t.quals ? { kind: 'pointer', to: t.of, quals: t.quals } : { kind: 'pointer', to: t.of };
  else if (t.kind === 'function') out = { kind: 'pointer', to: t };
  else if (t.kind === 'typedef' && t.quals && ir?.typedefs && typedefIsArray(t.name, ir)) return t;
  else out = t;
  if (out.quals) {
    const { quals: _q, ...rest } = out;
    out = rest as CType;
  }
  return out;
}

/** A type as an abstract declarator in the signatures' canonical form: no parameter names,
 *  parameters adjusted (`void *(*)(void *)`), so a typedef's alias compares with prototypes. */
export function abstractTypeToC(t: CType, ir: Names): string {
  return declare(t, '', ir, (f) => paramsText(f, ir, true));
}

function typedefIsArray(name: string, ir: Names): boolean {
  let t: CType | undefined = ir.typedefs?.[name]?.type;
  for (let hops = 0; t && t.kind === 'typedef' && hops < 64; hops++) t = ir.typedefs?.[t.name]?.type;
  return t?.kind === 'array';
}

/** The canonical prototype of a function: `int f(const char *, ...)`. */
export function signatureOf(name: string, type: FunctionDecl['type'], ir: Names): string {
  return declare(type, name, ir, (f) => paramsText(f, ir, true));
}

export function exprToC(e: Expr, ir: Names, top = true): string {
  const sub = (x: Expr) => exprToC(x, ir, false);
  const paren = (s: string) => (top ? s : `(${s})`);
  switch (e.k) {
    case 'int': case 'float': case 'char': case 'string': return e.text;
    case 'unknown': return e.text;
    case 'ident': return e.name;
    case 'unary': return `${e.op}${sub(e.arg)}`;
    case 'binary': return paren(`${sub(e.left)} ${e.op} ${sub(e.right)}`);
    case 'cond': return paren(`${sub(e.cond)} ? ${sub(e.then)} : ${sub(e.else)}`);
    case 'comma': return paren(`${sub(e.left)}, ${sub(e.right)}`);
    case 'cast': return paren(`(${typeToC(e.type, ir)})${sub(e.arg)}`);
    case 'sizeof': case 'alignof': {
      const kw = e.k === 'sizeof' ? 'sizeof' : e.preferred ? '__alignof__' : '_Alignof';
      return e.type ? `${kw}(${typeToC(e.type, ir)})` : `${kw}(${exprToC(e.arg!, ir)})`;
    }
    case 'offsetof':
      return `__builtin_offsetof(${typeToC(e.type, ir)}, ${e.path
        .map((d, i) => ('field' in d ? (i ? '.' : '') + d.field : `[${exprToC(d.index, ir)}]`))
        .join('')})`;
    case 'call': return `${sub(e.callee)}(${e.args.map((a) => exprToC(a, ir)).join(', ')})`;
    case 'member': return `${sub(e.obj)}${e.arrow ? '->' : '.'}${e.name}`;
    case 'index': return `${sub(e.obj)}[${exprToC(e.index, ir)}]`;
    case 'compound': return `(${typeToC(e.type, ir)})${initText(e.init, ir)}`;
    case 'init': return initText(e.list, ir);
  }
}

function initText(list: InitList, ir: Names): string {
  const items = list.items.map((it) => {
    const d = it.designators.map((x) => ('field' in x ? `.${x.field}` : `[${exprToC(x.index, ir)}]`)).join('');
    return (d ? `${d} = ` : '') + exprToC(it.value, ir);
  });
  return `{${items.join(', ')}}`;
}
