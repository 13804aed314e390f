// `portabi eval NAME|{init} --as TYPE <headers…>`: an initializer's exact byte image for the
// target with a per-field breakdown, or a constant's value and C type.
import type { Command } from 'commander';
import { classifyMacro } from '../parse/macro-forms.js';
import { expandMacroTokens, spell } from '../parse/preprocess.js';
import type { PPToken } from '../parse/tokenize.js';
import { evaluateInitializer, toHex } from '../abi/initializer.js';
import { evaluateExpressionValue, typeFromSpelling } from '../abi/macro-values.js';
import { evaluateConstant } from '../abi/constexpr.js';
import type { Diagnostic, Loc } from '../parse/diagnostics.js';
import { computeForCommand } from './compute.js';
import { addInputOptions } from './input-options.js';
import { printDiagnostics } from './output.js';

/** The argument as error messages show it: long text (a generated expression) shortened. */
function shown(what: string): string {
  return what.length > 80 ? `${what.slice(0, 77)}...` : what;
}

export function registerEval(program: Command, setExit: (code: number) => void): void {
  addInputOptions(program.command('eval').argument('<what>', 'a macro name, or initializer/expression text').argument('<headers...>', 'header files'))
    .description('evaluate a constant, or an initializer against a type (--as), for the target')
    .option('--as <type>', 'the object type of an initializer, e.g. pthread_mutex_t')
    .action((what: string, headers: string[], o: Record<string, unknown>) => {
      const r = computeForCommand(headers, o, setExit);
      if (!r) return;
      const { ctx, ir } = r;
      const macro = ir.macros[what];
      // Text (or a macro the headers did not define, e.g. a -D one) is expanded through the
      // final macro table first, as the compiler would read it after the headers.
      const name = shown(what);
      let text = what;
      if (!macro?.parsed) {
        const x = expandMacroTokens(what, r.pp.macros);
        // An expansion the preprocessor gave up on (a macro bomb, nesting too deep) is not
        // the empty text it leaves behind.
        const failed = x.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal');
        if (failed.length) {
          process.stderr.write(`portabi: '${name}' is not evaluable: ${failed[0]!.message}\n`);
          return setExit(2);
        }
        text = spell(x.tokens as PPToken[]);
      }
      const form = macro?.parsed ?? classifyMacro(text, Object.keys(ir.typedefs), ir);
      if (form.form === 'init') {
        const as = o.as as string | undefined;
        if (!as) {
          process.stderr.write(`portabi: '${name}' is an initializer list: say which type with --as\n`);
          return setExit(2);
        }
        const type = typeFromSpelling(as, ctx);
        if (!type) {
          process.stderr.write(`portabi: unknown type '${as}'\n`);
          return setExit(2);
        }
        const v = evaluateInitializer(form.list, type, ctx);
        if (!v.ok) {
          process.stderr.write(`portabi: cannot evaluate ${name} as ${as}: ${v.reason}\n`);
          return setExit(2);
        }
        const lines = [`${what} as ${as} (${r.target.name}, ${v.bytes.length} bytes):`, toHex(v.bytes)];
        for (const f of v.fields) {
          const where = f.bitField ? `bit ${f.offsetBits}, ${f.sizeBits} bits` : `offset ${f.offsetBits / 8}, ${f.sizeBits / 8} bytes`;
          lines.push(`  ${f.path} = ${f.value}  (${where})`);
        }
        process.stdout.write(lines.join('\n') + '\n');
        return;
      }
      if (form.form === 'expr') {
        // clang's warnings for the expression (-Winteger-overflow), located in the text given
        // (columns of its expansion), or at the definition of the macro named.
        const warnings: Diagnostic[] = [];
        evaluateConstant(form.expr, ctx, undefined, warnings);
        const at = (loc: Loc | null): Loc | null => (macro?.parsed ? macro.loc : loc && { ...loc, file: '<eval>' });
        printDiagnostics(warnings.map((d) => ({ ...d, loc: at(d.loc) })));
        const v = evaluateExpressionValue(form.expr, ctx);
        if (v.constant) {
          process.stdout.write(`${what} = ${v.constant.value} (${v.constant.type})\n`);
          return;
        }
        process.stderr.write(`portabi: ${name} is not a constant: ${v.entry.detail ?? v.entry.class}\n`);
        return setExit(2);
      }
      process.stderr.write(`portabi: ${name} is ${form.form === 'other' ? `not evaluable: ${form.reason}` : `a ${form.form}`}\n`);
      setExit(2);
    });
}
