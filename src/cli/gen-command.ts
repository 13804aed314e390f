// `portabi gen [ts|rust]`: every output of portabi.yaml (found from the current directory upward),
// `--check` to fail (exit 1) when a generated file is out of date, `--explain-async` to list
// the callback APIs detection proposes.
import type { Command } from 'commander';

export function registerGen(program: Command, setExit: (code: number) => void): void {
  program
    .command('gen')
    .argument('[lang]', 'only the outputs of this language (ts or rust)')
    .description('generate the bindings portabi.yaml lists')
    .option('-c, --config <file>', 'portabi.yaml to use (default: found from the current directory upward)')
    .option('--check', 'write nothing; exit 1 when a generated file is out of date')
    .option('--explain-async', 'list the detected callback APIs and the annotations that would confirm them')
    .action(async (lang: string | undefined, o: Record<string, unknown>) => {
      if (lang !== undefined && lang !== 'ts' && lang !== 'rust') {
        process.stderr.write(`portabi: gen ${lang}: unknown language (ts or rust)\n`);
        return setExit(2);
      }
      // ts-morph is loaded only when generating: it costs hundreds of ms at start-up.
      const { runGen } = await import('../generate/ts/gen.js');
      const r = runGen((o.config as string | undefined) ?? process.cwd(), { check: Boolean(o.check), explainAsync: Boolean(o.explainAsync), ...(lang ? { lang: lang as 'ts' | 'rust' } : {}) });
      for (const m of r.messages) process.stderr.write(m + '\n');
      setExit(r.exitCode);
    });
}
