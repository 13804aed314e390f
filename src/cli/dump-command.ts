// `portabi dump <headers…>`: the ABI model (docs/abi-model.md), or with --ir the declaration IR.
// The model goes through the model cache (src/model-cache.ts) unless --no-cache: unchanged
// headers, flags, target and portabi print the stored text without loading the C front end.
import type { Command } from 'commander';
import type { AbiModel } from '../abi/model.js';
import { defaultCacheDir } from '../check/diff-cache.js';
import { modelTextCached } from '../model-cache.js';
import { addInputOptions, inputOptionsFrom, missingInputs } from './input-options.js';
import { inputFailed, printDiagnostics, writeOutput } from './output.js';

export function registerDump(program: Command, setExit: (code: number) => void): void {
  addInputOptions(program.command('dump').argument('<headers...>', 'header files'))
    .description('print the ABI model of the headers for the target')
    .option('-f, --format <format>', 'json or yaml', 'json')
    .option('--ir', 'print the declaration IR instead of the ABI model')
    .option('-o, --output <file>', 'write to a file (atomically) instead of stdout')
    .option('--cache-dir <dir>', `where computed models are cached (default $PORTABI_CACHE_DIR, else ${defaultCacheDir()})`)
    .option('--no-cache', 'neither read nor write the cache')
    .action(async (headers: string[], o: Record<string, unknown>) => {
      const format = o.format as string;
      if (format !== 'json' && format !== 'yaml') {
        process.stderr.write(`portabi: unknown --format '${format}' (json or yaml)\n`);
        return setExit(2);
      }
      if (o.ir) {
        // The IR needs only the front end: no layout or evaluation (and no cache).
        const [{ inputAndTargetForCommand }, { runFrontEnd }, { render }] = await Promise.all([
          import('./compute.js'), import('../pipeline.js'), import('./render.js'),
        ]);
        const it = inputAndTargetForCommand(headers, o, setExit);
        if (!it) return;
        const fe = runFrontEnd(it.input, it.target);
        printDiagnostics(fe.diagnostics, 'warning');
        if (inputFailed(fe.diagnostics)) return setExit(2);
        return writeOutput(render(fe.ir, format), o.output as string | undefined);
      }
      const input = inputOptionsFrom(headers, o);
      const missing = missingInputs(input);
      if (missing.length) {
        printDiagnostics(missing);
        return setExit(2);
      }
      // The model holds only JSON types: no replacer (several times faster on megabytes).
      const yaml = format === 'yaml' ? (await import('./render.js')).render : null;
      const renderModel = (m: AbiModel): string => (yaml ? yaml(m, 'yaml') : JSON.stringify(m, null, 2) + '\n');
      const cacheDir = o.cache === false ? null : ((o.cacheDir as string | undefined) ?? defaultCacheDir());
      const r = await modelTextCached(input, cacheDir, `dump-${format}`, renderModel, (d) => printDiagnostics([d]));
      if (!r.ok) {
        printDiagnostics(r.diagnostics);
        return setExit(2);
      }
      for (const d of r.value.diagnostics) process.stderr.write(`${d}\n`);
      writeOutput(r.value.text, o.output as string | undefined);
    });
}
