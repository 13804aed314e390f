// The header-input flags every command shares (-I, -isystem, -iquote, -D, -U, --include,
// --config, --target), as commander options and as a plain value.
import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import type { Diagnostic } from '../parse/diagnostics.js';
import { computeAbi, loadInputTarget, type Computed, type InputOptions } from '../pipeline.js';
import type { Target } from '../abi/target-types.js';
import type { MacroValueOptions } from '../abi/macro-values.js';
import { hasFatal, printDiagnostics } from './output.js';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const DEFAULT_TARGET = 'x86_64-unknown-linux-gnu';

export function addInputOptions(cmd: Command): Command {
  return cmd
    .option('-I, --include-dir <dir>', 'add a directory to the #include search path', collect, [])
    .option('--isystem <dir>', 'add a system include directory', collect, [])
    .option('--iquote <dir>', 'add a directory for #include "..." only', collect, [])
    .option('-D, --define <name[=value]>', 'define a macro', collect, [])
    .option('-U, --undefine <name>', 'undefine a macro', collect, [])
    .option('--include <file>', 'process this file before the headers', collect, [])
    .option('--config <file>', 'a Kconfig .config file (CONFIG_X=y becomes CONFIG_X 1)', collect, [])
    .option('-t, --target <name>', `target ABI: a name from targets/ or a path to a target YAML (default ${DEFAULT_TARGET})`);
}

export function parseDefine(text: string): { name: string; value: string } {
  const eq = text.indexOf('=');
  return eq < 0 ? { name: text, value: '1' } : { name: text.slice(0, eq), value: text.slice(eq + 1) };
}

export function inputOptionsFrom(headers: string[], o: Record<string, unknown>): InputOptions {
  const list = (k: string): string[] => (o[k] as string[] | undefined) ?? [];
  return {
    headers,
    target: (o.target as string | undefined) ?? DEFAULT_TARGET,
    includePaths: list('includeDir'),
    systemIncludePaths: list('isystem'),
    quoteIncludePaths: list('iquote'),
    defines: list('define').map(parseDefine),
    undefines: list('undefine'),
    forcedIncludes: list('include'),
    configFiles: list('config'),
  };
}

/** Input files that do not exist, as located diagnostics (checked before any work is done). */
export function missingInputs(input: InputOptions): Diagnostic[] {
  const files = [...input.headers, ...input.forcedIncludes, ...input.configFiles];
  return files
    .filter((f) => !existsSync(f))
    .map((f) => ({ severity: 'fatal' as const, message: `no such file '${f}'`, loc: { file: f, line: 1, col: 1 }, code: 'missing-file' }));
}

/**
 * The shared start of every header command: flags → input, missing files checked, ABI
 * computed, diagnostics printed. Returns null (after setting exit 2) when there is nothing
 * to work on.
 */
export function computeForCommand(
  headers: string[],
  o: Record<string, unknown>,
  setExit: (code: number) => void,
  adjust?: (input: InputOptions) => void,
  macroOpts?: MacroValueOptions,
): Computed | null {
  const input = inputOptionsFrom(headers, o);
  adjust?.(input);
  const missing = missingInputs(input);
  const r = missing.length ? ({ ok: false, diagnostics: missing } as const) : computeAbi(input, macroOpts);
  if (!r.ok) {
    printDiagnostics(r.diagnostics);
    setExit(2);
    return null;
  }
  printDiagnostics(r.value.diagnostics, 'warning');
  if (hasFatal(r.value.diagnostics)) {
    setExit(2);
    return null;
  }
  return r.value;
}

/** The start of the commands that need only the front end: flags → input, missing files
 *  checked, target loaded. Returns null (after setting exit 2) when there is nothing to do. */
export function inputAndTargetForCommand(
  headers: string[],
  o: Record<string, unknown>,
  setExit: (code: number) => void,
): { input: InputOptions; target: Target } | null {
  const input = inputOptionsFrom(headers, o);
  const missing = missingInputs(input);
  const t = missing.length ? ({ ok: false, diagnostics: missing } as const) : loadInputTarget(input.target);
  if (!t.ok) {
    printDiagnostics(t.diagnostics);
    setExit(2);
    return null;
  }
  return { input, target: t.value };
}
