// The header-input flags every command shares (-I, -isystem, -iquote, -D, -U, --include,
// --config, --target), as commander options and as a plain value. Light on purpose: it loads
// neither the C front end nor YAML, so that `diff` (whose warm run is mostly start-up) can use
// it. The helpers that run the pipeline are in compute.ts.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Diagnostic } from '../parse/diagnostics.js';
import { COMMAND_LINE, inputFileProblem, inputProblemMessage, type InputProblem } from '../parse/input-file.js';
import type { InputOptions } from '../pipeline.js';

export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const DEFAULT_TARGET = 'x86_64-unknown-linux-gnu';

/** The header flags; `targetDefault` says what --target defaults to, when not DEFAULT_TARGET. */
export function addInputOptions(cmd: Command, targetDefault = ` ${DEFAULT_TARGET}`): Command {
  // -D and -U apply in the order given, as the compilers do: record it beside their values.
  const order: ('D' | 'U')[] = [];
  cmd.on('option:define', () => order.push('D'));
  cmd.on('option:undefine', () => order.push('U'));
  cmd.setOptionValue('macroOrder', order);
  return cmd
    .option('-I, --include-dir <dir>', 'add a directory to the #include search path', collect, [])
    .option('--isystem <dir>', 'add a system include directory', collect, [])
    .option('--iquote <dir>', 'add a directory for #include "..." only', collect, [])
    .option('-D, --define <name[=value]>', 'define a macro', collect, [])
    .option('-U, --undefine <name>', 'undefine a macro', collect, [])
    .option('--include <file>', 'process this file before the headers', collect, [])
    .option('--config <file>', 'a Kconfig .config file (CONFIG_X=y becomes CONFIG_X 1)', collect, [])
    .option('-t, --target <name>', `target ABI: a name from targets/ or a path to a target YAML (default${targetDefault})`);
}

export function parseDefine(text: string): { name: string; value: string } {
  const eq = text.indexOf('=');
  return eq < 0 ? { name: text, value: '1' } : { name: text.slice(0, eq), value: text.slice(eq + 1) };
}

/** A repeatable option's values (an empty list when not given). */
export function optionList(o: Record<string, unknown>, key: string): string[] {
  return (o[key] as string[] | undefined) ?? [];
}

/** The header flags as a value, without the headers and the target. */
export function headerFlagsFrom(o: Record<string, unknown>): Omit<InputOptions, 'headers' | 'target' | 'files'> {
  return {
    includePaths: optionList(o, 'includeDir'),
    systemIncludePaths: optionList(o, 'isystem'),
    quoteIncludePaths: optionList(o, 'iquote'),
    defines: optionList(o, 'define').map(parseDefine),
    undefines: optionList(o, 'undefine'),
    macroOrder: [...((o.macroOrder as ('D' | 'U')[] | undefined) ?? [])],
    forcedIncludes: optionList(o, 'include'),
    configFiles: optionList(o, 'config'),
  };
}

export function inputOptionsFrom(headers: string[], o: Record<string, unknown>): InputOptions {
  return { headers, target: (o.target as string | undefined) ?? DEFAULT_TARGET, ...headerFlagsFrom(o) };
}

/** A located fatal diagnostic for an input file named on the command line. */
function inputFileDiagnostic(f: string, p: InputProblem): Diagnostic {
  return { severity: 'fatal', message: inputProblemMessage(f, p), loc: { file: f, line: 1, col: 1 }, code: p.code };
}

/**
 * Header and Kconfig files that cannot be read (missing, a directory, a FIFO or device, no
 * permission, too large), as located diagnostics, checked before any work is done. Forced
 * includes are not checked here: as with `cc -include`, one not found as given is searched
 * for on the include path, by the preprocessor, which reports it.
 */
export function missingInputs(input: InputOptions): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const f of [...input.headers, ...input.configFiles]) {
    const p = inputFileProblem(f);
    if (p) out.push(inputFileDiagnostic(f, p));
  }
  return out;
}

/** --config-matrix: a directory of defconfigs (its files, sorted), or the files themselves. */
export function matrixConfigs(specs: string[]): string[] {
  const out: string[] = [];
  for (const s of specs) {
    if (statSync(s, { throwIfNoEntry: false })?.isDirectory()) {
      let names: string[];
      try {
        names = readdirSync(s).sort();
      } catch {
        continue; // matrixInputs reports it
      }
      for (const f of names) if (isFileQuiet(join(s, f))) out.push(join(s, f));
    } else out.push(s);
  }
  return out;
}

function isFileQuiet(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false; // a dangling symbolic link
  }
}

/** --config-matrix's files (matrixConfigs), with a located fatal diagnostic for each that
 *  cannot be read, a directory that cannot be listed, and for no files at all. */
export function matrixInputs(specs: string[]): { configs: string[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  for (const s of specs) {
    if (!statSync(s, { throwIfNoEntry: false })?.isDirectory()) continue;
    try {
      readdirSync(s);
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'EACCES' ? 'permission denied' : (e as Error).message;
      diagnostics.push({ severity: 'fatal', message: `cannot list the directory '${s}': ${why}`, loc: { file: s, line: 1, col: 1 }, code: 'unreadable-file' });
    }
  }
  const configs = matrixConfigs(specs);
  for (const f of configs) {
    const p = inputFileProblem(f);
    if (p) diagnostics.push(inputFileDiagnostic(f, p));
  }
  if (!configs.length && !diagnostics.length) {
    diagnostics.push({ severity: 'fatal', message: `--config-matrix ${specs.join(' ')}: no configuration files`, loc: COMMAND_LINE, code: 'usage' });
  }
  return { configs, diagnostics };
}
