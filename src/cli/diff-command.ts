// `portabi diff OLD NEW`: the ABI changes between two versions of a set of headers, classified
// breaking / source-only / compatible. Each side is a header tree, a git revision
// (--old-rev/--new-rev; a side not given is the working tree) or a snapshot from `portabi dump`.
//
// This module and what it loads at start stay clear of the C front end and of YAML (cli.ts
// loads only the module of the command being run): a warm run, models and result in the
// cache, is mostly process start-up. input-options.ts and output.ts are light for that reason.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Diagnostic } from '../parse/diagnostics.js';
import { inputFileProblem } from '../parse/input-file.js';
import { defaultCacheDir } from '../check/diff-cache.js';
import { DIFF_FAIL_ON, DIFF_FORMATS, diffExitCode, parseDiffFailOn, renderDiffReport, type DiffFormat } from '../check/diff-report.js';
import { runDiff, type SideFlags } from '../check/diff-run.js';
import { COMMAND_LINE, positionalSide, type SideSpec } from '../check/diff-sides.js';
import { addInputOptions, collect, DEFAULT_TARGET, headerFlagsFrom, matrixConfigs, optionList, parseDefine } from './input-options.js';
import { printDiagnostics, writeOutput } from './output.js';

const TOOL_VERSION = '0.1.0';

/** The target a snapshot file holds (read from its head), when no target is given. */
function snapshotTarget(file: string): string | null {
  if (inputFileProblem(file)) return null; // a FIFO, a device, …: reported when the side is read
  try {
    const head = readFileSync(file, 'utf8').slice(0, 4096);
    return /"target"\s*:\s*"([^"]+)"/.exec(head)?.[1] ?? /^target:\s*"?([^"\n]+)"?\s*$/m.exec(head)?.[1] ?? null;
  } catch {
    return null;
  }
}

const usage = (message: string): Diagnostic => ({ severity: 'fatal', message, loc: COMMAND_LINE, code: 'usage' });

export function registerDiff(program: Command, setExit: (code: number) => void): void {
  const cmd = program
    .command('diff')
    .argument('[sides...]', 'OLD and NEW: header trees (directories) or snapshots (files from `portabi dump`); a side given by --old-rev/--new-rev is left out')
    .description('ABI changes between two versions of the headers: breaking, source-only, compatible')
    .option('--old-rev <rev>', 'the old side is this git revision of the repository (read with git, no checkout)')
    .option('--new-rev <rev>', 'the new side is this git revision (default with --old-rev alone: the working tree)')
    .option('--header <file>', 'a header to read, relative to each side (repeat; default every .h under the include dirs)', collect, []);
  addInputOptions(cmd, `: the snapshot's, else ${DEFAULT_TARGET}`)
    .option('--targets <list>', 'several target ABIs, comma-separated: each is compared')
    .option('--config-matrix <configs...>', '.config files or directories of defconfigs: each is compared')
    .option('--old-config <file>', 'a Kconfig file for the old side only', collect, [])
    .option('--new-config <file>', 'a Kconfig file for the new side only', collect, [])
    .option('--old-define <name[=value]>', 'define a macro on the old side only', collect, [])
    .option('--new-define <name[=value]>', 'define a macro on the new side only', collect, [])
    .option('--old-undefine <name>', 'undefine a macro on the old side only', collect, [])
    .option('--new-undefine <name>', 'undefine a macro on the new side only', collect, [])
    .option('-f, --format <format>', DIFF_FORMATS.join('|'), 'text')
    .option('--fail-on <class>', `${DIFF_FAIL_ON.join('|')}: which changes give exit code 1`, 'breaking')
    .option('-o, --output <file>', 'write the report to a file (atomically)')
    .option('--cache-dir <dir>', `where parsed models are cached (default $PORTABI_CACHE_DIR, else ${defaultCacheDir()})`)
    .option('--no-cache', 'neither read nor write the cache')
    .action(async (positional: string[], o: Record<string, unknown>) => {
      const format = o.format as DiffFormat;
      const failOn = parseDiffFailOn(o.failOn as string);
      if (!DIFF_FORMATS.includes(format)) {
        printDiagnostics([usage(`unknown --format '${format}' (${DIFF_FORMATS.join(', ')})`)]);
        return setExit(2);
      }
      if (!failOn) {
        printDiagnostics([usage(`unknown --fail-on '${o.failOn as string}' (${DIFF_FAIL_ON.join(', ')})`)]);
        return setExit(2);
      }
      const oldRev = o.oldRev as string | undefined;
      const newRev = o.newRev as string | undefined;
      const emptyRev = ([['--old-rev', oldRev], ['--new-rev', newRev]] as const).filter(([, rev]) => rev !== undefined && rev.trim() === '');
      if (emptyRev.length) {
        printDiagnostics(emptyRev.map(([flag]) => usage(`${flag}: the revision is empty (give a commit, branch or tag, e.g. ${flag} HEAD~1)`)));
        return setExit(2);
      }
      const need = (oldRev ? 0 : 1) + (newRev ? 0 : 1);
      let sides: string[] = positional;
      if (oldRev && !newRev && positional.length === 0) sides = ['.']; // the working tree
      if (sides.length !== need) {
        printDiagnostics([usage(`expected ${need === 2 ? 'OLD and NEW' : need === 1 ? (oldRev ? 'NEW' : 'OLD') : 'no'} side argument${need === 1 ? '' : 's'}, got ${positional.length}: ${positional.join(' ') || '(none)'}`)]);
        return setExit(2);
      }
      const pick = (rev: string | undefined, arg: string | undefined): SideSpec | Diagnostic[] => {
        if (rev) return { kind: 'git', rev };
        const p = positionalSide(arg!);
        return 'side' in p ? p.side : p.diagnostics;
      };
      const oldSide = pick(oldRev, oldRev ? undefined : sides[0]);
      const newSide = pick(newRev, newRev ? undefined : sides[sides.length - 1]);
      const bad = [...(Array.isArray(oldSide) ? oldSide : []), ...(Array.isArray(newSide) ? newSide : [])];
      if (bad.length || Array.isArray(oldSide) || Array.isArray(newSide)) {
        printDiagnostics(bad);
        return setExit(2);
      }

      const list = (k: string): string[] => optionList(o, k);
      let targets = ((o.targets as string | undefined) ?? '').split(',').map((t) => t.trim()).filter(Boolean);
      if (!targets.length) {
        const fromSnapshot = [oldSide, newSide].map((s) => (s.kind === 'snapshot' && !/\{target\}/.test(s.file) ? snapshotTarget(s.file) : null)).find((t) => t);
        targets = [(o.target as string | undefined) ?? fromSnapshot ?? DEFAULT_TARGET];
      }
      const matrix = o.configMatrix as string[] | undefined;
      const configs: (string | null)[] = matrix ? matrixConfigs(matrix) : [null];
      if (matrix && !configs.length) {
        printDiagnostics([usage(`--config-matrix ${matrix.join(' ')}: no configuration files`)]);
        return setExit(2);
      }
      const sideFlags = (w: 'old' | 'new'): SideFlags => ({
        defines: list(`${w}Define`).map(parseDefine),
        undefines: list(`${w}Undefine`),
        configFiles: list(`${w}Config`),
      });
      const r = await runDiff({
        old: oldSide,
        new: newSide,
        headers: list('header'),
        flags: headerFlagsFrom(o),
        perSide: { old: sideFlags('old'), new: sideFlags('new') },
        abis: targets.flatMap((target) => configs.map((config) => ({ target, config }))),
        cacheDir: o.cache === false ? null : ((o.cacheDir as string | undefined) ?? defaultCacheDir()),
      });
      printDiagnostics(r.diagnostics);
      if (!r.ok) return setExit(2);
      const text = renderDiffReport(format, r.runs, { baseDir: process.cwd(), toolVersion: TOOL_VERSION, color: format === 'text' && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR && !o.output });
      writeOutput(text, o.output as string | undefined);
      setExit(Math.max(0, ...r.runs.map((x) => diffExitCode(x.changes, failOn))));
    });
}
