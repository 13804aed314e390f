// `portabi preprocess <file>`: the token stream like `cc -E`, with line markers.
import type { Command } from 'commander';
import { preprocess } from '../parse/preprocess.js';
import { printPreprocessed } from '../parse/print.js';
import { preprocessOptionsFor } from '../pipeline.js';
import { inputAndTargetForCommand } from './compute.js';
import { addInputOptions } from './input-options.js';
import { inputFailed, printDiagnostics, writeOutput } from './output.js';

export function registerPreprocess(program: Command, setExit: (code: number) => void): void {
  addInputOptions(program.command('preprocess').argument('<file>', 'C file or header'))
    .description('preprocess like `cc -E` for the target, with line markers')
    .option('-P, --no-line-markers', 'omit line markers')
    .option('-o, --output <file>', 'write to a file (atomically) instead of stdout')
    .action((file: string, o: Record<string, unknown>) => {
      const it = inputAndTargetForCommand([file], o, setExit);
      if (!it) return;
      const r = preprocess(file, preprocessOptionsFor(it.input, it.target));
      printDiagnostics(r.diagnostics);
      // As `cc -E`: the output after errors (it shows what the preprocessor made of the input),
      // none after a fatal one (processing stopped); either way exit 2.
      if (r.diagnostics.some((d) => d.severity === 'fatal')) return setExit(2);
      writeOutput(printPreprocessed(r, { noLineMarkers: o.lineMarkers === false }), o.output as string | undefined);
      if (inputFailed(r.diagnostics)) setExit(2);
    });
}
