// `portabi dump <headers…>`: the ABI model (docs/abi-model.md), or with --ir the declaration IR.
import type { Command } from 'commander';
import { runFrontEnd } from '../pipeline.js';
import { computeForCommand, inputAndTargetForCommand } from './compute.js';
import { addInputOptions } from './input-options.js';
import { hasFatal, printDiagnostics, writeOutput } from './output.js';
import { render } from './render.js';

export function registerDump(program: Command, setExit: (code: number) => void): void {
  addInputOptions(program.command('dump').argument('<headers...>', 'header files'))
    .description('print the ABI model of the headers for the target')
    .option('-f, --format <format>', 'json or yaml', 'json')
    .option('--ir', 'print the declaration IR instead of the ABI model')
    .option('-o, --output <file>', 'write to a file (atomically) instead of stdout')
    .action((headers: string[], o: Record<string, unknown>) => {
      const format = o.format as string;
      if (format !== 'json' && format !== 'yaml') {
        process.stderr.write(`portabi: unknown --format '${format}' (json or yaml)\n`);
        return setExit(2);
      }
      if (o.ir) {
        // The IR needs only the front end: no layout or evaluation.
        const it = inputAndTargetForCommand(headers, o, setExit);
        if (!it) return;
        const fe = runFrontEnd(it.input, it.target);
        printDiagnostics(fe.diagnostics, 'warning');
        if (hasFatal(fe.diagnostics)) return setExit(2);
        return writeOutput(render(fe.ir, format), o.output as string | undefined);
      }
      const r = computeForCommand(headers, o, setExit);
      if (r) writeOutput(render(r.model, format, true), o.output as string | undefined);
    });
}
