// Object-like macros as the ABI model sees them: each one's full expansion (parsed by the
// declaration phase into a MacroForm) is classified and, where it is a constant, evaluated
// for the target — an integer with its C type, a floating value, a string, an initializer
// list (with its exact byte image when the object type is known), a type name, nothing, or
// "not a constant" with the reason. Enumerators become constants too.
import { formatLoc } from '../parse/diagnostics.js';
import type { CType, Expr, MacroDecl, MacroForm } from '../parse/ir.js';
import { typeToC } from '../parse/c-text.js';
import type { AbiContext } from './context.js';
import { evaluateConstant } from './constexpr.js';
import { enumValues } from './enum-values.js';
import { evaluateInitializer, evaluateScalarInitializer, toHex } from './initializer.js';
import type { ConstantEntry, InitializerEntry, MacroEntry, Provenance } from './model.js';
import { conditionEntries } from './provenance.js';
import { floatFormatOf, shortestDecimal } from './float-format.js';

export interface MacroValue {
  entry: MacroEntry;
  /** For class 'integer' (and pointer constants such as `((void *)-1)`). */
  constant?: ConstantEntry;
  /** For class 'initializer' when the object type is known and the bytes could be computed. */
  initializer?: InitializerEntry;
}

export interface MacroValueOptions {
  /**
   * The object type each initializer macro is for (`PTHREAD_MUTEX_INITIALIZER` →
   * `pthread_mutex_t`), as a typedef/tag spelling or a CType. Without it an initializer
   * macro is classified but gets no bytes.
   */
  initializerTypes?: Record<string, string | CType>;
  /**
   * Also guess the object type of `X_INITIALIZER` / `X_INIT` macros from a typedef `x_t`
   * (glibc/POSIX naming: PTHREAD_MUTEX_INITIALIZER → pthread_mutex_t). Off by default.
   */
  guessInitializerTypes?: boolean;
}

export interface MacroValues {
  constants: Record<string, ConstantEntry>;
  initializers: Record<string, InitializerEntry>;
  macros: Record<string, MacroEntry>;
}

function provenance(m: MacroDecl): Provenance {
  const why: Provenance = { loc: formatLoc(m.loc) };
  if (m.chain?.length) why.chain = m.chain.map((s) => ({ macro: s.macro, loc: formatLoc(s.definedAt) }));
  const conditions = conditionEntries(m.conditions);
  if (conditions) why.conditions = conditions;
  return why;
}

/** A type named by a spelling the IR knows: a typedef name or `struct|union|enum tag`. */
export function typeFromSpelling(spelling: string, ctx: AbiContext): CType | null {
  const s = spelling.trim();
  const tag = /^(struct|union|enum)\s+([A-Za-z_]\w*)$/.exec(s);
  if (tag) {
    const kind = tag[1] as 'struct' | 'union' | 'enum';
    const id = ctx.ir.tags[kind][tag[2]!];
    if (id === undefined) return null;
    return kind === 'enum' ? { kind: 'enum', id } : { kind: 'record', id };
  }
  if (ctx.ir.typedefs[s]) return { kind: 'typedef', name: s };
  return null;
}

/** glibc/POSIX naming: FOO_BAR_INITIALIZER or FOO_BAR_INIT initializes a `foo_bar_t`. */
export function guessInitializerType(name: string, ctx: AbiContext): CType | null {
  const m = /^(.*?)_(?:INITIALIZER|INIT)(?:_NP)?$/.exec(name);
  if (!m) return null;
  const words = m[1]!.toLowerCase();
  const candidates = [`${words}_t`];
  // PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP → pthread_mutex_t: drop inner qualifier words.
  const parts = words.split('_');
  if (parts.length > 2) candidates.push(`${parts[0]}_${parts[parts.length - 1]}_t`);
  for (const c of candidates) if (ctx.ir.typedefs[c]) return { kind: 'typedef', name: c };
  return null;
}

/** Classify and evaluate one parsed macro expansion (or any already-expanded expression). */
export function evaluateMacroForm(form: MacroForm, ctx: AbiContext, initializerType?: CType | null): Omit<MacroValue, 'entry'> & { entry: Omit<MacroEntry, 'loc'> } {
  switch (form.form) {
    case 'empty':
      return { entry: { class: 'empty' } };
    case 'string':
      return { entry: { class: 'string', detail: form.text } };
    case 'type':
      return { entry: { class: 'type', detail: typeToC(form.type, ctx.ir) } };
    case 'other':
      return { entry: { class: 'not-constant', detail: form.reason } };
    case 'init': {
      if (!initializerType) return { entry: { class: 'initializer', detail: 'object type unknown; no bytes computed' } };
      const r = evaluateInitializer(form.list, initializerType, ctx);
      if (!r.ok) return { entry: { class: 'initializer', detail: `bytes not computed: ${r.reason}` } };
      return {
        entry: { class: 'initializer' },
        initializer: { type: typeToC(initializerType, ctx.ir), bytes: toHex(r.bytes), loc: '' },
      };
    }
    case 'expr':
      return evaluateExpressionValue(form.expr, ctx);
  }
}

/** An expression's class and value: integer (with C type), floating, string, or not a constant. */
export function evaluateExpressionValue(expr: Expr, ctx: AbiContext): { entry: Omit<MacroEntry, 'loc'>; constant?: ConstantEntry } {
  const r = evaluateConstant(expr, ctx);
  if (!r.ok) return { entry: { class: 'not-constant', detail: r.reason } };
  const v = r.value;
  switch (v.k) {
    case 'int':
      return { entry: { class: 'integer' }, constant: { value: v.value.toString(), type: v.type, loc: '', source: 'macro' } };
    case 'float': {
      // The value as the target stores it: shortest round-trip spelling, or for formats wider
      // than double enough decimal digits to tell every value apart.
      const f = v.exact ? floatFormatOf(v.type, ctx.target) : null;
      return { entry: { class: 'floating', detail: floatSpelling(v.value, v.type, v.exact && f ? () => shortestDecimal(v.exact!, f) : undefined) } };
    }
    case 'ptr':
      return {
        entry: { class: 'integer', detail: 'pointer constant' },
        constant: { value: v.address.toString(), type: typeToC({ kind: 'pointer', to: v.to }, ctx.ir), loc: '', source: 'macro' },
      };
    case 'string':
      return { entry: { class: 'string', detail: expr.k === 'string' ? expr.text : '<string literal>' } };
  }
}

/** `wide`: the shortest spelling in a format wider than double (x87, binary128), which a
 *  double's shortest spelling may not round-trip through. */
function floatSpelling(x: number, type: string, wide?: () => string): string {
  if (wide) return `${wide()} (${type})`;
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const s = String(x);
  return type === 'float' ? `${s} (float)` : type === 'long double' ? `${s} (long double)` : s;
}

const MEMBER_PATH = /^[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;

/** One macro of the IR: its MacroEntry, and the constant / initializer entry when it has one. */
export function evaluateMacro(m: MacroDecl, ctx: AbiContext, opts: MacroValueOptions = {}): MacroValue {
  const loc = formatLoc(m.loc);
  if (m.kind !== 'object') return { entry: { class: 'not-constant', detail: 'function-like macro', loc } };
  if (!m.parsed) return { entry: { class: 'not-constant', detail: 'the expansion was not parsed', loc } };
  let initType: CType | null = null;
  if (m.parsed.form === 'init') {
    const given = opts.initializerTypes?.[m.name];
    if (given !== undefined) initType = typeof given === 'string' ? typeFromSpelling(given, ctx) : given;
    else if (opts.guessInitializerTypes) initType = guessInitializerType(m.name, ctx);
  }
  const r = evaluateMacroForm(m.parsed, ctx, initType);
  const why = provenance(m);
  const out: MacroValue = { entry: { ...r.entry, loc } };
  // An initializer without bytes keeps its expansion, so that a change to it stays visible.
  if (r.entry.class === 'initializer' && !r.initializer && m.expansion !== undefined) out.entry.detail = `${r.entry.detail}: ${m.expansion}`;
  // A member path (glibc's `#define st_atime st_atim.tv_sec`, `#define sa_handler
  // __sigaction_handler.sa_handler`): fields spelled through a macro.
  const path = m.expansion?.replace(/\s+/g, '');
  if (r.entry.class === 'not-constant' && path !== undefined && MEMBER_PATH.test(path)) out.entry.member = path;
  if (r.constant) out.constant = { ...r.constant, loc, why };
  if (r.initializer) out.initializer = { ...r.initializer, loc, why };
  return out;
}

/** Every object-like macro and every enumerator of the translation unit, for the ABI model. */
export function evaluateMacros(ctx: AbiContext, opts: MacroValueOptions = {}): MacroValues {
  const out: MacroValues = { constants: {}, initializers: {}, macros: {} };
  for (const en of ctx.ir.enums) {
    if (!en.complete) continue;
    const v = enumValues(en, ctx);
    if (!v.ok) continue;
    for (let i = 0; i < v.enumerators.length; i++) {
      const e = v.enumerators[i]!;
      if (out.constants[e.name]) continue;
      const decl = en.enumerators[i]!;
      const loc = formatLoc(decl.loc);
      const why: Provenance = { loc };
      // An enumerator is selected by its enum's branches and by any inside the enum's body.
      const conditions = conditionEntries(decl.conditions ?? en.conditions);
      if (conditions) why.conditions = conditions;
      out.constants[e.name] = { value: e.value.toString(), type: e.type, loc, source: 'enumerator', why };
    }
  }
  for (const m of Object.values(ctx.ir.macros)) {
    if (m.kind !== 'object' || m.builtin) continue;
    const r = evaluateMacro(m, ctx, opts);
    out.macros[m.name] = r.entry;
    if (r.constant) out.constants[m.name] = r.constant;
    if (r.initializer) out.initializers[m.name] = r.initializer;
  }
  return out;
}

/** Evaluate `T v = expr;` for a scalar type: the bytes, e.g. for a checked constant's storage. */
export function scalarBytes(expr: Expr, type: CType, ctx: AbiContext): string | { error: string } {
  const r = evaluateScalarInitializer(expr, type, ctx);
  return r.ok ? toHex(r.bytes) : { error: r.reason };
}
