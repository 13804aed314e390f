// The small Rust AST the libc importer works on, and its construction from tree-sitter-rust.
// Only what the `libc` crate's declarations use: type aliases, consts, statics, structs,
// unions, enums, modules, `use`, `extern "C"` blocks, and the crate's item macros
// (`s!`, `s_no_extra_traits!`, `e!`, `cfg_if!`, ...). Macro bodies are token trees to
// tree-sitter; their text between the braces is parsed again as items.
import Parser from 'tree-sitter';
import Rust from 'tree-sitter-rust';
import { parseMeta, type Meta } from './meta.js';

type Node = Parser.SyntaxNode;

export interface SrcLoc {
  file: string;
  line: number; // 1-based
}

export type Vis = 'pub' | 'crate' | 'private';

export type RType =
  | { t: 'path'; segments: string[]; generics: RType[] }
  | { t: 'ptr'; mut: boolean; to: RType }
  | { t: 'array'; of: RType; len: RExpr }
  | { t: 'fn'; params: RType[]; ret: RType | null; variadic: boolean }
  | { t: 'unit' }
  | { t: 'never' }
  | { t: 'unknown'; text: string };

export type RExpr =
  | { e: 'int'; value: bigint; suffix: string | null }
  | { e: 'bool'; value: boolean }
  | { e: 'other-literal'; text: string }
  | { e: 'path'; segments: string[]; generics: RType[] }
  | { e: 'unary'; op: '-' | '!'; arg: RExpr }
  | { e: 'binary'; op: string; left: RExpr; right: RExpr }
  | { e: 'cast'; arg: RExpr; type: RType }
  | { e: 'call'; callee: RExpr; args: RExpr[] }
  | { e: 'struct'; name: string[]; fields: { name: string; value: RExpr }[]; base: boolean }
  | { e: 'array'; items: RExpr[] }
  | { e: 'repeat'; value: RExpr; count: RExpr }
  | { e: 'unknown'; text: string };

export interface RField {
  name: string;
  type: RType;
  vis: Vis;
  /** `#[cfg(...)]` and other attributes on the field. */
  attrs: Meta[];
}

interface ItemBase {
  name: string;
  vis: Vis;
  attrs: Meta[];
  loc: SrcLoc;
}

export type RItem =
  | (ItemBase & { kind: 'alias'; type: RType })
  | (ItemBase & { kind: 'const'; type: RType; value: RExpr })
  | (ItemBase & { kind: 'static'; type: RType })
  | (ItemBase & { kind: 'struct' | 'union'; fields: RField[]; tuple: boolean })
  | (ItemBase & { kind: 'enum'; variants: { name: string; value: RExpr | null }[] })
  | (ItemBase & { kind: 'fn'; params: RType[]; ret: RType | null; variadic: boolean; foreign: boolean })
  | (ItemBase & { kind: 'mod'; body: RItem[] | null })
  /** `use a::b::c;` (name 'c' or the alias), `use a::b::*;` (name '*'). */
  | (ItemBase & { kind: 'use'; path: string[] })
  /** `cfg_if!`: branches in order; the first whose cfg holds (null: `else`) is taken. */
  | (ItemBase & { kind: 'cfg-if'; branches: { cfg: Meta | null; body: RItem[] }[] })
  /** `macro_rules! name { () => { items } }`: the expansion of its argument-less rule. */
  | (ItemBase & { kind: 'macro-def'; body: RItem[] | null })
  /** An item macro (`s!`, `e!`, ...): its body parsed as items, the macro's name kept. */
  | (ItemBase & { kind: 'macro'; macro: string; body: RItem[] | null; text: string });

let parser: Parser | null = null;

function getParser(): Parser {
  if (!parser) {
    parser = new Parser();
    parser.setLanguage(Rust as unknown as Parser.Language);
  }
  return parser;
}

function parseText(text: string): Parser.Tree {
  // Feed the text in chunks: the binding's plain-string path limits the input size.
  return getParser().parse((index: number) => (index < text.length ? text.slice(index, index + 16384) : ''));
}

/** Parse Rust source text as a list of items. `lineBase` is added to tree-sitter rows. */
export function parseItems(text: string, file: string, lineBase = 0): RItem[] {
  const tree = parseText(text);
  return itemsOf(tree.rootNode, file, lineBase);
}

function itemsOf(container: Node, file: string, lineBase: number): RItem[] {
  const out: RItem[] = [];
  let attrs: Meta[] = [];
  for (const c of container.namedChildren) {
    if (c.type === 'attribute_item') {
      const m = parseMeta(c.text.replace(/^#\s*\[/, '').replace(/\]\s*$/, ''));
      if (m) attrs.push(m);
      continue;
    }
    if (c.type === 'line_comment' || c.type === 'block_comment' || c.type === 'inner_attribute_item') continue;
    const loc = { file, line: c.startPosition.row + 1 + lineBase };
    const item = itemOf(c, attrs, loc, file, lineBase);
    if (item) {
      if (Array.isArray(item)) out.push(...item);
      else out.push(item);
    }
    attrs = [];
  }
  return out;
}

function visOf(n: Node): Vis {
  const v = n.namedChildren.find((c) => c.type === 'visibility_modifier');
  if (!v) return 'private';
  return v.text === 'pub' ? 'pub' : 'crate';
}

function itemOf(n: Node, attrs: Meta[], loc: SrcLoc, file: string, lineBase: number): RItem | RItem[] | null {
  const vis = visOf(n);
  const nameOf = () => n.childForFieldName('name')?.text ?? '';
  switch (n.type) {
    case 'type_item': {
      const t = n.childForFieldName('type');
      return { kind: 'alias', name: nameOf(), vis, attrs, loc, type: t ? typeOf(t) : { t: 'unknown', text: n.text } };
    }
    case 'const_item': {
      const t = n.childForFieldName('type');
      const v = n.childForFieldName('value');
      return {
        kind: 'const',
        name: nameOf(),
        vis,
        attrs,
        loc,
        type: t ? typeOf(t) : { t: 'unknown', text: n.text },
        value: v ? exprOf(v) : { e: 'unknown', text: 'no value' },
      };
    }
    case 'static_item': {
      const t = n.childForFieldName('type');
      return { kind: 'static', name: nameOf(), vis, attrs, loc, type: t ? typeOf(t) : { t: 'unknown', text: n.text } };
    }
    case 'struct_item':
    case 'union_item': {
      const body = n.childForFieldName('body');
      const fields: RField[] = [];
      let tuple = false;
      if (body?.type === 'field_declaration_list') {
        let fattrs: Meta[] = [];
        for (const f of body.namedChildren) {
          if (f.type === 'attribute_item') {
            const m = parseMeta(f.text.replace(/^#\s*\[/, '').replace(/\]\s*$/, ''));
            if (m) fattrs.push(m);
            continue;
          }
          if (f.type !== 'field_declaration') continue;
          const ft = f.childForFieldName('type');
          fields.push({ name: f.childForFieldName('name')?.text ?? '', vis: visOf(f), type: ft ? typeOf(ft) : { t: 'unknown', text: f.text }, attrs: fattrs });
          fattrs = [];
        }
      } else if (body?.type === 'ordered_field_declaration_list') {
        tuple = true;
        let i = 0;
        for (const f of body.namedChildren) {
          if (f.type === 'visibility_modifier' || f.type === 'attribute_item' || f.type.endsWith('comment')) continue;
          fields.push({ name: String(i++), vis: 'pub', type: typeOf(f), attrs: [] });
        }
      }
      return { kind: n.type === 'struct_item' ? 'struct' : 'union', name: nameOf(), vis, attrs, loc, fields, tuple };
    }
    case 'enum_item': {
      const body = n.childForFieldName('body');
      const variants: { name: string; value: RExpr | null }[] = [];
      for (const v of body?.namedChildren ?? []) {
        if (v.type !== 'enum_variant') continue;
        const val = v.childForFieldName('value');
        variants.push({ name: v.childForFieldName('name')?.text ?? '', value: val ? exprOf(val) : null });
      }
      return { kind: 'enum', name: nameOf(), vis, attrs, loc, variants };
    }
    case 'function_item':
    case 'function_signature_item': {
      const sig = fnSigOf(n);
      return { kind: 'fn', name: nameOf(), vis, attrs, loc, ...sig, foreign: n.type === 'function_signature_item' };
    }
    case 'foreign_mod_item': {
      const body = n.childForFieldName('body');
      if (!body) return null;
      // Attributes on the block (e.g. #[link(...)], a #[cfg]) apply to every item inside.
      const inner = itemsOf(body, file, lineBase);
      const cfgs = attrs.filter((a) => a.name === 'cfg' || a.name === 'cfg_attr');
      return inner.map((it) => (cfgs.length ? { ...it, attrs: [...cfgs, ...it.attrs] } : it));
    }
    case 'mod_item': {
      const body = n.childForFieldName('body');
      return { kind: 'mod', name: nameOf(), vis, attrs, loc, body: body ? itemsOf(body, file, lineBase) : null };
    }
    case 'use_declaration': {
      const arg = n.childForFieldName('argument');
      if (!arg) return null;
      return useTreeOf(arg, []).map((u) => ({ kind: 'use' as const, name: u.name, path: u.path, vis, attrs, loc }));
    }
    case 'macro_invocation': {
      const macro = n.childForFieldName('macro')?.text ?? '';
      const tt = n.namedChildren.find((c) => c.type === 'token_tree');
      if (!tt) return null;
      const name = macro.replace(/^.*::/, '');
      if (name === 'cfg_if') return { kind: 'cfg-if', name: '', vis, attrs, loc, branches: cfgIfBranches(tt, file, lineBase) };
      const open = tt.text[0];
      const inner = tt.text.slice(1, -1);
      // The body of a brace/paren item macro parsed as items; its first line shares the
      // opening delimiter's row.
      const body = open === '{' || open === '(' ? parseItems(inner, file, lineBase + tt.startPosition.row) : null;
      return { kind: 'macro', macro: name, name: '', vis, attrs, loc, body, text: inner };
    }
    case 'macro_definition': {
      // Only an argument-less rule can be expanded without a macro_rules matcher
      // (the crate's `expand_align!();`); other macros stay unexpanded.
      for (const r of n.namedChildren) {
        if (r.type !== 'macro_rule') continue;
        const left = r.childForFieldName('left');
        const right = r.childForFieldName('right');
        if (!left || !right || left.text.replace(/\s+/g, '') !== '()') continue;
        const body = parseItems(right.text.slice(1, -1), file, lineBase + right.startPosition.row);
        return { kind: 'macro-def', name: nameOf(), vis, attrs, loc, body };
      }
      return { kind: 'macro-def', name: nameOf(), vis, attrs, loc, body: null };
    }
    case 'expression_statement': {
      // A macro call at item level that tree-sitter saw as an expression (`prelude!();`).
      const m = n.namedChildren[0];
      return m && m.type === 'macro_invocation' ? itemOf(m, attrs, loc, file, lineBase) : null;
    }
    default:
      return null;
  }
}

function fnSigOf(n: Node): { params: RType[]; ret: RType | null; variadic: boolean } {
  const ps = n.childForFieldName('parameters');
  const params: RType[] = [];
  let variadic = false;
  for (const p of ps?.namedChildren ?? []) {
    if (p.type === 'parameter') {
      const t = p.childForFieldName('type');
      params.push(t ? typeOf(t) : { t: 'unknown', text: p.text });
    } else if (p.type === 'variadic_parameter') variadic = true;
    else if (p.type === 'self_parameter') params.push({ t: 'unknown', text: 'self' });
    else if (p.type.endsWith('_type') || p.type === 'type_identifier' || p.type === 'primitive_type') params.push(typeOf(p));
  }
  // A bare `...` may appear as an anonymous token.
  if (ps && ps.children.some((c) => c.type === '...')) variadic = true;
  const r = n.childForFieldName('return_type');
  return { params, ret: r ? typeOf(r) : null, variadic };
}

interface UseLeaf {
  name: string; // bound name, '*' for a glob
  path: string[];
}

function pathSegments(n: Node): string[] {
  return n.text.replace(/\s+/g, '').split('::').map((s) => (s === '' ? '::' : s)).filter((s, i) => !(s === '::' && i > 0));
}

function useTreeOf(n: Node, prefix: string[]): UseLeaf[] {
  switch (n.type) {
    case 'identifier':
    case 'scoped_identifier':
    case 'self':
    case 'crate':
    case 'super': {
      const segs = [...prefix, ...pathSegments(n)];
      let name = segs[segs.length - 1]!;
      if (name === 'self') {
        segs.pop();
        name = segs[segs.length - 1] ?? 'self';
      }
      return [{ name, path: segs }];
    }
    case 'use_as_clause': {
      const p = n.childForFieldName('path');
      const a = n.childForFieldName('alias');
      if (!p || !a) return [];
      const segs = [...prefix, ...pathSegments(p)];
      return [{ name: a.text, path: segs }];
    }
    case 'use_wildcard': {
      const inner = n.namedChildren[0];
      return [{ name: '*', path: [...prefix, ...(inner ? pathSegments(inner) : [])] }];
    }
    case 'use_list':
      return n.namedChildren.flatMap((c) => useTreeOf(c, prefix));
    case 'scoped_use_list': {
      const p = n.childForFieldName('path');
      const l = n.childForFieldName('list');
      const segs = p ? [...prefix, ...pathSegments(p)] : prefix;
      return l ? useTreeOf(l, segs) : [];
    }
    default:
      return [];
  }
}

/** `cfg_if! { if #[cfg(a)] { ... } else if #[cfg(b)] { ... } else { ... } }` */
function cfgIfBranches(tt: Node, file: string, lineBase: number): { cfg: Meta | null; body: RItem[] }[] {
  const out: { cfg: Meta | null; body: RItem[] }[] = [];
  let pending: Meta | null = null;
  const kids = tt.children;
  for (let i = 0; i < kids.length; i++) {
    const k = kids[i]!;
    if (k.type === 'token_tree' && k.text.startsWith('[') && kids[i - 1]?.type === '#') {
      pending = parseMeta(k.text.slice(1, -1));
      continue;
    }
    if (k.type === 'token_tree' && k.text.startsWith('{')) {
      out.push({ cfg: pending, body: parseItems(k.text.slice(1, -1), file, lineBase + k.startPosition.row) });
      pending = null;
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Types.

export function typeOf(n: Node): RType {
  switch (n.type) {
    case 'primitive_type':
    case 'type_identifier':
      return { t: 'path', segments: [n.text], generics: [] };
    case 'scoped_type_identifier':
    case 'scoped_identifier':
    case 'identifier':
      return { t: 'path', segments: pathSegments(n), generics: [] };
    case 'generic_type': {
      const base = n.childForFieldName('type');
      const args = n.childForFieldName('type_arguments');
      return {
        t: 'path',
        segments: base ? pathSegments(base) : [n.text],
        generics: (args?.namedChildren ?? []).filter((c) => !c.type.endsWith('comment')).map(typeOf),
      };
    }
    case 'pointer_type': {
      const to = n.childForFieldName('type');
      const mut = n.children.some((c) => c.type === 'mutable_specifier');
      return { t: 'ptr', mut, to: to ? typeOf(to) : { t: 'unknown', text: n.text } };
    }
    case 'reference_type': {
      const to = n.childForFieldName('type');
      const mut = n.children.some((c) => c.type === 'mutable_specifier');
      return { t: 'ptr', mut, to: to ? typeOf(to) : { t: 'unknown', text: n.text } };
    }
    case 'array_type': {
      const el = n.childForFieldName('element');
      const len = n.childForFieldName('length');
      if (!el || !len) return { t: 'unknown', text: n.text };
      return { t: 'array', of: typeOf(el), len: exprOf(len) };
    }
    case 'function_type':
      return { t: 'fn', ...fnSigOf(n) };
    case 'unit_type':
      return { t: 'unit' };
    case 'never_type':
      return { t: 'never' };
    case 'parenthesized_type':
      return n.namedChildren[0] ? typeOf(n.namedChildren[0]) : { t: 'unknown', text: n.text };
    default:
      return { t: 'unknown', text: n.text };
  }
}

// ---------------------------------------------------------------------------------------------
// Expressions.

const INT_SUFFIX = /(i8|i16|i32|i64|i128|isize|u8|u16|u32|u64|u128|usize)$/;

export function intLiteral(text: string): { value: bigint; suffix: string | null } | null {
  let t = text.replace(/_/g, '');
  let suffix: string | null = null;
  // Hex digits never include 'i' or 'u', so a match is always a suffix.
  const m = INT_SUFFIX.exec(t);
  if (m) {
    suffix = m[1]!;
    t = t.slice(0, -suffix.length);
  }
  try {
    if (/^0o/i.test(t)) return { value: BigInt('0o' + t.slice(2)), suffix };
    if (/^0b/i.test(t)) return { value: BigInt('0b' + t.slice(2)), suffix };
    return { value: BigInt(t), suffix };
  } catch {
    return null;
  }
}

export function exprOf(n: Node): RExpr {
  switch (n.type) {
    case 'integer_literal': {
      const v = intLiteral(n.text);
      return v ? { e: 'int', ...v } : { e: 'unknown', text: n.text };
    }
    case 'boolean_literal':
      return { e: 'bool', value: n.text === 'true' };
    case 'float_literal':
    case 'string_literal':
    case 'char_literal':
    case 'raw_string_literal':
      return { e: 'other-literal', text: n.text };
    case 'identifier':
    case 'scoped_identifier':
    case 'self':
      return { e: 'path', segments: pathSegments(n), generics: [] };
    case 'generic_function': {
      const f = n.childForFieldName('function');
      const args = n.childForFieldName('type_arguments');
      return {
        e: 'path',
        segments: f ? pathSegments(f) : [n.text],
        generics: (args?.namedChildren ?? []).filter((c) => !c.type.endsWith('comment')).map(typeOf),
      };
    }
    case 'parenthesized_expression':
      return n.namedChildren[0] ? exprOf(n.namedChildren[0]) : { e: 'unknown', text: n.text };
    case 'unary_expression': {
      const op = n.children[0]?.type;
      const arg = n.namedChildren[0];
      if ((op === '-' || op === '!') && arg) return { e: 'unary', op, arg: exprOf(arg) };
      return { e: 'unknown', text: n.text };
    }
    case 'binary_expression': {
      const l = n.childForFieldName('left');
      const r = n.childForFieldName('right');
      const op = n.childForFieldName('operator')?.type;
      if (!l || !r || !op) return { e: 'unknown', text: n.text };
      return { e: 'binary', op, left: exprOf(l), right: exprOf(r) };
    }
    case 'type_cast_expression': {
      const v = n.childForFieldName('value');
      const t = n.childForFieldName('type');
      if (!v || !t) return { e: 'unknown', text: n.text };
      return { e: 'cast', arg: exprOf(v), type: typeOf(t) };
    }
    case 'call_expression': {
      const f = n.childForFieldName('function');
      const a = n.childForFieldName('arguments');
      if (!f) return { e: 'unknown', text: n.text };
      return { e: 'call', callee: exprOf(f), args: (a?.namedChildren ?? []).filter((c) => !c.type.endsWith('comment')).map(exprOf) };
    }
    case 'struct_expression': {
      const name = n.childForFieldName('name');
      const body = n.childForFieldName('body');
      const fields: { name: string; value: RExpr }[] = [];
      let base = false;
      for (const f of body?.namedChildren ?? []) {
        if (f.type === 'field_initializer') {
          const fn = f.childForFieldName('field');
          const fv = f.childForFieldName('value');
          if (fn && fv) fields.push({ name: fn.text, value: exprOf(fv) });
        } else if (f.type === 'shorthand_field_initializer') {
          fields.push({ name: f.text, value: { e: 'path', segments: [f.text], generics: [] } });
        } else if (f.type === 'base_field_initializer') base = true;
      }
      return { e: 'struct', name: name ? pathSegments(name) : [], fields, base };
    }
    case 'array_expression': {
      const len = n.childForFieldName('length');
      if (len) {
        const first = n.namedChildren.find((c) => c.id !== len.id && !c.type.endsWith('comment') && c.type !== 'attribute_item');
        return first ? { e: 'repeat', value: exprOf(first), count: exprOf(len) } : { e: 'unknown', text: n.text };
      }
      return { e: 'array', items: n.namedChildren.filter((c) => !c.type.endsWith('comment') && c.type !== 'attribute_item').map(exprOf) };
    }
    case 'block': {
      // `{ expr }` with no statements.
      const kids = n.namedChildren.filter((c) => !c.type.endsWith('comment'));
      if (kids.length === 1 && kids[0]!.type !== 'expression_statement' && !kids[0]!.type.endsWith('_declaration')) return exprOf(kids[0]!);
      return { e: 'unknown', text: n.text };
    }
    default:
      return { e: 'unknown', text: n.text };
  }
}

/** The text of a type as written, for messages. */
export function typeText(t: RType): string {
  switch (t.t) {
    case 'path':
      return t.segments.join('::').replace(/^::::/, '::') + (t.generics.length ? `<${t.generics.map(typeText).join(', ')}>` : '');
    case 'ptr':
      return `*${t.mut ? 'mut' : 'const'} ${typeText(t.to)}`;
    case 'array':
      return `[${typeText(t.of)}; ..]`;
    case 'fn':
      return `fn(${t.params.map(typeText).join(', ')}${t.variadic ? ', ...' : ''})${t.ret ? ' -> ' + typeText(t.ret) : ''}`;
    case 'unit':
      return '()';
    case 'never':
      return '!';
    case 'unknown':
      return t.text;
  }
}
