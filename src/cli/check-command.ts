// `portabi check <headers…> --profile P`: every place where a binding layer's assumptions
// (the profile) differ from what the headers define for the target and configuration.
// With --config-matrix, once per configuration, with a table of which ones break what; the
// work that does not depend on the configuration (profile, target, tokenized files) is shared.
import type { Command } from 'commander';
import { CHECK_SCOPES, checkWithSummary, type CheckScope, type CheckSummary } from '../check/check.js';
import { exitCodeFor, FAIL_ON_VALUES, parseFailOn, type Finding } from '../check/finding.js';
import { DiffCache, defaultCacheDir } from '../check/diff-cache.js';
import { loadProfileCached } from '../check/profile-load.js';
import { loadTarget } from '../abi/target.js';
import { modelTextCached } from '../model-cache.js';
import type { Profile } from '../check/profile-types.js';
import { REPORT_FORMATS, renderCheckReport, scopeLine, type ReportFormat } from '../check/report/index.js';
import type { AbiModel } from '../abi/model.js';
import type { Computed, InputOptions, Loaded, SharedWork } from '../pipeline.js';
import { addInputOptions, inputOptionsFrom, matrixInputs, missingInputs } from './input-options.js';
import type { Diagnostic } from '../parse/diagnostics.js';
import { COMMAND_LINE } from '../parse/input-file.js';
import { printDiagnostics, writeOutput } from './output.js';

/** The object type of each initializer the profile states, so the model computes its bytes. */
function initializerTypes(p: Profile): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, i] of Object.entries(p.initializers)) if (i.type) out[name] = i.type;
  return out;
}

function modelFor(pipeline: typeof import('../pipeline.js'), input: InputOptions, profile: Profile, shared?: SharedWork): Loaded<Computed> {
  const r = pipeline.computeAbi(input, { initializerTypes: initializerTypes(profile), guessInitializerTypes: true }, shared);
  if (!r.ok) return r;
  // Headers with errors: no findings to report (the caller exits 2).
  if (r.value.diagnostics.some((d) => d.severity === 'error' || d.severity === 'fatal')) return { ok: false, diagnostics: r.value.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'fatal') };
  return r;
}

function runCheck(c: Pick<Computed, 'model' | 'target'>, profile: Profile, scope: CheckScope, scopeModels?: AbiModel[]): { findings: Finding[]; summary: CheckSummary } {
  return checkWithSummary(c.model, profile, { scope, scalars: c.target.scalars, ...(scopeModels ? { scopeModels } : {}) });
}


/** A directory of defconfigs, or the files themselves. */
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
    .option('--scope <scope>', "profile: check every profile item; headers: only those the headers define (the others are counted)", 'profile')
    .option('-o, --output <file>', 'write the report to a file (atomically)')
    .option('--cache-dir <dir>', `where parsed profiles and computed models are cached (default $PORTABI_CACHE_DIR, else ${defaultCacheDir()})`)
    .option('--no-cache', 'neither read nor write the cache')
    .action(async (headers: string[], o: Record<string, unknown>) => {
      const format = o.format as ReportFormat;
      const failOn = parseFailOn(o.failOn as string);
      const scope = o.scope as CheckScope;
      const badOption = (flag: string, value: unknown, allowed: readonly string[]): Diagnostic =>
        ({ severity: 'fatal', message: `unknown ${flag} '${String(value)}' (${allowed.join(', ')})`, loc: COMMAND_LINE, code: 'usage' });
      const usage = [
        ...(REPORT_FORMATS.includes(format) ? [] : [badOption('--format', o.format, REPORT_FORMATS)]),
        ...(failOn ? [] : [badOption('--fail-on', o.failOn, FAIL_ON_VALUES)]),
        ...(CHECK_SCOPES.includes(scope) ? [] : [badOption('--scope', o.scope, CHECK_SCOPES)]),
      ];
      if (usage.length || !failOn) {
        printDiagnostics(usage);
        return setExit(2);
      }
      const cacheDir = o.cache === false ? null : ((o.cacheDir as string | undefined) ?? defaultCacheDir());
      const lp = loadProfileCached(o.profile as string, new DiffCache(cacheDir, (d) => printDiagnostics([d])));
      printDiagnostics(lp.diagnostics);
      if (!lp.profile) return setExit(2);
      const profile = lp.profile;
      const input = inputOptionsFrom(headers, o);
      if (o.target === undefined) input.target = profile.target; // the ABI the profile assumes
      const matrix = o.configMatrix as string[] | undefined;
      const matrixIn = matrix ? matrixInputs(matrix) : null;
      const missing = [...missingInputs(input), ...(matrixIn?.diagnostics ?? [])];
      if (missing.length) {
        printDiagnostics(missing);
        return setExit(2);
      }
      const ctxFor = { target: input.target, profile: profile.name, baseDir: process.cwd(), toolVersion: '0.1.0', color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR };
      if (matrixIn) {
        // Every configuration's model first (sharing the configuration-independent work), so
        // that --scope headers takes an item any configuration defines.
        const pipeline = await import('../pipeline.js');
        const shared = pipeline.sharedWork();
        const computed: { config: string; c: Computed }[] = [];
        for (const cfg of matrixIn.configs) {
          const c = modelFor(pipeline, { ...input, configFiles: [...input.configFiles, cfg] }, profile, shared);
          if (!c.ok) {
            printDiagnostics(c.diagnostics);
            return setExit(2);
          }
          computed.push({ config: cfg, c: c.value });
        }
        const models = computed.map((x) => x.c.model);
        const checked = computed.map(({ config, c }) => ({ config, ...runCheck(c, profile, scope, models) }));
        const rows = checked.map(({ config, findings }) => ({ config, findings }));
        const summary = checked[0]?.summary;
        writeOutput(matrixTable(rows) + (summary?.scope === 'headers' ? `\n${scopeLine(summary)}\n` : ''), o.output as string | undefined);
        return setExit(Math.max(...rows.map((r) => exitCodeFor(r.findings, failOn)), 0));
      }
      // One configuration: the model through the model cache (src/model-cache.ts).
      const t = loadTarget(input.target);
      if (!t.ok) {
        printDiagnostics(t.error);
        return setExit(2);
      }
      const macroOpts = { initializerTypes: initializerTypes(profile), guessInitializerTypes: true };
      const m = await modelTextCached(input, cacheDir, 'check-model', (model) => JSON.stringify(model), (d) => printDiagnostics([d]), macroOpts);
      if (!m.ok) {
        printDiagnostics(m.diagnostics);
        return setExit(2);
      }
      const r = runCheck({ model: JSON.parse(m.value.text) as AbiModel, target: t.value }, profile, scope);
      writeOutput(renderCheckReport(format, r.findings, { ...ctxFor, summary: r.summary }), o.output as string | undefined);
      setExit(exitCodeFor(r.findings, failOn));
    });
}
