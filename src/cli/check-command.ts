// `portabi check <headers…> --profile P`: every place where a binding layer's assumptions
// (the profile) differ from what the headers define for the target and configuration.
// With --config-matrix, once per configuration, with a table of which ones break what.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { checkModel } from '../check/check.js';
import { exitCodeFor, parseFailOn, type Finding } from '../check/finding.js';
import { loadProfile } from '../check/profile-load.js';
import type { Profile } from '../check/profile-types.js';
import { REPORT_FORMATS, renderCheckReport, type ReportFormat } from '../check/report/index.js';
import { computeAbi, type InputOptions } from '../pipeline.js';
import { addInputOptions, inputOptionsFrom, missingInputs } from './input-options.js';
import { printDiagnostics, writeOutput } from './output.js';

/** The object type of each initializer the profile states, so the model computes its bytes. */
function initializerTypes(p: Profile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, i] of Object.entries(p.initializers)) if (i.type) out[name] = i.type;
  return out;
}

function runCheck(input: InputOptions, profile: Profile): { findings: Finding[] } | { diagnostics: import('../parse/diagnostics.js').Diagnostic[] } {
  const r = computeAbi(input, { initializerTypes: initializerTypes(profile), guessInitializerTypes: true });
  if (!r.ok) return { diagnostics: r.diagnostics };
  printDiagnostics(r.value.diagnostics, 'error');
  return { findings: checkModel(r.value.model, profile) };
}

/** A directory of defconfigs, or the files themselves. */
function matrixConfigs(specs: string[]): string[] {
  const out: string[] = [];
  for (const s of specs) {
    if (statSync(s, { throwIfNoEntry: false })?.isDirectory()) {
      for (const f of readdirSync(s).sort()) if (statSync(join(s, f)).isFile()) out.push(join(s, f));
    } else out.push(s);
  }
  return out;
}

function matrixTable(rows: { config: string; findings: Finding[] }[]): string {
  const items = [...new Set(rows.flatMap((r) => r.findings.filter((f) => f.severity === 'error').map((f) => `${f.item}${f.field ? `.${f.field}` : ''} (${f.kind})`)))].sort();
  const lines = [`| item | ${rows.map((r) => r.config).join(' | ')} |`, `| --- |${rows.map(() => ' --- |').join('')}`];
  for (const it of items) {
    const cells = rows.map((r) => (r.findings.some((f) => f.severity === 'error' && `${f.item}${f.field ? `.${f.field}` : ''} (${f.kind})` === it) ? 'breaks' : 'ok'));
    lines.push(`| ${it} | ${cells.join(' | ')} |`);
  }
  return lines.join('\n') + '\n';
}

export function registerCheck(program: Command, setExit: (code: number) => void): void {
  addInputOptions(program.command('check').argument('<headers...>', 'header files'))
    .description("check the headers' ABI against a target-libc profile")
    .requiredOption('-p, --profile <file>', 'profile YAML (targets/profiles/SCHEMA.md)')
    .option('-f, --format <format>', REPORT_FORMATS.join('|'), 'text')
    .option('--fail-on <severity>', 'error|warning|note|none', 'error')
    .option('--config-matrix <configs...>', '.config files or directories of defconfigs: check each')
    .option('-o, --output <file>', 'write the report to a file (atomically)')
    .action((headers: string[], o: Record<string, unknown>) => {
      const format = o.format as ReportFormat;
      const failOn = parseFailOn(o.failOn as string);
      if (!REPORT_FORMATS.includes(format) || !failOn) {
        process.stderr.write(`portabi: bad --format or --fail-on (formats: ${REPORT_FORMATS.join(', ')})\n`);
        return setExit(2);
      }
      const lp = loadProfile(o.profile as string);
      printDiagnostics(lp.diagnostics);
      if (!lp.profile) return setExit(2);
      const profile = lp.profile;
      const input = inputOptionsFrom(headers, o);
      if (o.target === undefined) input.target = profile.target; // the ABI the profile assumes
      const missing = missingInputs(input);
      if (missing.length) {
        printDiagnostics(missing);
        return setExit(2);
      }
      const ctxFor = { target: input.target, profile: profile.name, baseDir: process.cwd(), toolVersion: '0.1.0', color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR };
      const matrix = o.configMatrix as string[] | undefined;
      if (matrix) {
        const rows: { config: string; findings: Finding[] }[] = [];
        for (const cfg of matrixConfigs(matrix)) {
          const r = runCheck({ ...input, configFiles: [...input.configFiles, cfg] }, profile);
          if ('diagnostics' in r) {
            printDiagnostics(r.diagnostics);
            return setExit(2);
          }
          rows.push({ config: cfg, findings: r.findings });
        }
        writeOutput(matrixTable(rows), o.output as string | undefined);
        return setExit(Math.max(...rows.map((r) => exitCodeFor(r.findings, failOn)), 0));
      }
      const r = runCheck(input, profile);
      if ('diagnostics' in r) {
        printDiagnostics(r.diagnostics);
        return setExit(2);
      }
      writeOutput(renderCheckReport(format, r.findings, ctxFor), o.output as string | undefined);
      setExit(exitCodeFor(r.findings, failOn));
    });
}
