// `portabi explain NAME <headers…>`: definition, macro chain, the #if/CONFIG_ that chose it, value.
import type { Command } from 'commander';
import { explain } from '../abi/explain.js';
import { computeForCommand } from './compute.js';
import { addInputOptions } from './input-options.js';

export function registerExplain(program: Command, setExit: (code: number) => void): void {
  addInputOptions(program.command('explain').argument('<name>', 'a constant, type (e.g. "struct stat") or initializer macro').argument('<headers...>', 'header files'))
    .description('show where NAME is defined, how it expands, which #if chose it, and its value or layout')
    .action((name: string, headers: string[], o: Record<string, unknown>) => {
      const r = computeForCommand(headers, o, setExit);
      if (!r) return;
      const lines = explain(name, { model: r.model, macros: r.ir.macros });
      if (!lines) {
        process.stderr.write(`portabi: '${name}' is not defined by these headers\n`);
        return setExit(2);
      }
      process.stdout.write(lines.join('\n') + '\n');
    });
}
