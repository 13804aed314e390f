// What an object-like macro's expansion is, syntactically: nothing, an expression, a braced
// initializer, a type name, a string, or something else (with the reason). A pure function
// over strings; the typedef table decides whether `FOO_T *` is a type. Each expansion is
// lexed and parsed on its own small token array (no document-sized re-parse).
import type { MacroForm, TranslationUnitIR } from './ir.js';
import type { Token } from './token.js';
import { DeclContext, ParseError, emptyIR } from './decl-context.js';
import { isSpecifierWord, parseTypeName } from './c-types.js';
import { parseExpr, parseInitList } from './expr.js';
import { lexPreprocessedText } from './pp-text.js';

export interface MacroExpansion {
  name: string;
  expansion: string;
}

const STORAGE_OR_FUNCTION_SPEC = new Set([
  'typedef', 'extern', 'static', 'auto', 'register', 'inline', '__inline', '__inline__', '_Noreturn', '_Thread_local', '__thread',
]);
const NOT_A_TYPE_ALONE = new Set(['const', '__const', '__const__', 'volatile', '__volatile', '__volatile__', 'restrict', '__restrict',
  '__restrict__', '_Atomic', '__extension__', ...STORAGE_OR_FUNCTION_SPEC]);

/**
 * Classifies each expansion. `ir`, when given, is where `struct tag` references in type
 * macros resolve (an unknown tag is added as an incomplete record); diagnostics stay out of it.
 */
export function classifyMacros(
  macros: readonly MacroExpansion[],
  typedefNames: Iterable<string>,
  ir?: TranslationUnitIR,
): Map<string, MacroForm> {
  const names = typedefNames instanceof Set ? (typedefNames as Set<string>) : new Set(typedefNames);
  const scratch: TranslationUnitIR = ir ? { ...ir, diagnostics: [] } : emptyIR();
  const out = new Map<string, MacroForm>();
  for (const m of macros) out.set(m.name, classifyOne(m.expansion, names, scratch));
  return out;
}

export function classifyMacro(expansion: string, typedefNames: Iterable<string> = [], ir?: TranslationUnitIR): MacroForm {
  return classifyMacros([{ name: '', expansion }], typedefNames, ir).get('')!;
}

function classifyOne(expansion: string, typedefNames: Set<string>, ir: TranslationUnitIR): MacroForm {
  const src = expansion.trim();
  if (src === '') return { form: 'empty' };
  if (src.startsWith('#')) return { form: 'other', reason: 'starts with #' };
  const { tokens } = lexPreprocessedText(src);
  if (tokens.length === 1) return { form: 'empty' };
  const body = tokens.slice(0, -1);
  if (body.every((t) => t.kind === 'string')) return { form: 'string', text: body.map((t) => t.text).join(' ') };
  const p = new DeclContext(tokens, ir, typedefNames, [], true);
  try {
    if (p.is('{')) {
      const list = parseInitList(p);
      return p.atEnd() ? { form: 'init', list } : trailing(p);
    }
    if (looksLikeTypeName(body, typedefNames)) {
      if (body.some((t) => t.kind === 'ident' && STORAGE_OR_FUNCTION_SPEC.has(t.text))) {
        return { form: 'other', reason: 'declaration specifiers, not a type name' };
      }
      const type = parseTypeName(p);
      return p.atEnd() ? { form: 'type', type } : trailing(p);
    }
    const first = body[0]!;
    if (first.kind === 'ident' && (NOT_A_TYPE_ALONE.has(first.text) || first.text.startsWith('__attribute'))) {
      return { form: 'other', reason: `'${first.text}' is a specifier or attribute, not a value` };
    }
    const expr = parseExpr(p);
    return p.atEnd() ? { form: 'expr', expr } : trailing(p);
  } catch (e) {
    if (e instanceof ParseError) return { form: 'other', reason: e.message };
    throw e;
  }
}

function trailing(p: DeclContext): MacroForm {
  return { form: 'other', reason: `unexpected '${p.tok.text}' after a complete ${'expression or type'}` };
}

/** A type name starts with a type specifier or typedef name (qualifiers may come first). */
function looksLikeTypeName(body: Token[], typedefNames: Set<string>): boolean {
  for (const t of body) {
    if (t.kind !== 'ident') return false;
    if (NOT_A_TYPE_ALONE.has(t.text)) continue;
    return typedefNames.has(t.text) || (isSpecifierWord(t.text) && !NOT_A_TYPE_ALONE.has(t.text));
  }
  return false;
}
