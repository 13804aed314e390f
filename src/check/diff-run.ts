// One `portabi diff` run: for each ABI (target × configuration), the model of each side (from
// the cache, or computed through the pipeline), then the changes (from the cache, or
// diffModels). The pipeline is imported only when a model has to be computed, so a warm run
// loads no C front end at all.
import { isTargetPath } from '../abi/target-types.js';
import type { AbiModel } from '../abi/model.js';
import { formatDiagnostic, type Diagnostic } from '../parse/diagnostics.js';
import { parseKconfig } from '../parse/kconfig.js';
import type { InputOptions } from '../pipeline.js';
import { CACHE_FORMAT, CacheDamaged, DiffCache, codeFingerprint, cwdForKey, recordingFiles, sha256, type Manifest } from './diff-cache.js';
import { diffModels, relativeFile, type Change, type ConfigMacroDelta, type DiffOptions } from './diff.js';
import type { AbiDiffResult } from './diff-report.js';
import {
  COMMAND_LINE, fsSource, gitSource, parseSnapshot, readSnapshotText, sideLabel, sidePath, snapshotPath,
  type FileSource, type SideSpec,
} from './diff-sides.js';
import { compareStrings } from './finding.js';

/** Flags that apply to one side only (`--old-config`, `--new-define`, …). */
export interface SideFlags {
  defines: { name: string; value: string }[];
  undefines: string[];
  configFiles: string[];
}

export interface DiffRequest {
  old: SideSpec;
  new: SideSpec;
  /** Headers, relative to each side's root; empty: every .h file under the side's include
   *  dirs (the tree root when none is given). */
  headers: string[];
  /** Flags for both sides; relative paths are relative to each side's root. */
  flags: Omit<InputOptions, 'headers' | 'target' | 'files'>;
  perSide: { old: SideFlags; new: SideFlags };
  /** The ABIs to compare: every target × every --config-matrix entry (config null: none). */
  abis: { target: string; config: string | null }[];
  /** null: no cache. */
  cacheDir: string | null;
}

export interface DiffOutcome {
  /** False when an input error stopped the run (diagnostics say where). */
  ok: boolean;
  runs: AbiDiffResult[];
  /** Located input errors (fatal) and warnings (cache problems). */
  diagnostics: Diagnostic[];
  /** The models' own diagnostics at warning level and above, formatted, per side. */
  messages: string[];
  stats: DiffCache['stats'];
}

interface PreparedSide {
  root: string;
  digest: string;
  /** Headers read (not Kconfig files), by path relative to the root → content id; null for
   *  snapshots. */
  files: Record<string, string> | null;
  /** Configuration macros (Kconfig, -D, -U) → value (null = undefined); null for snapshots. */
  config: Map<string, string | null> | null;
  /** Kconfig files as locations name them. */
  configFiles: string[];
  model(): Promise<AbiModel>;
}

type Fail = { fail: Diagnostic[] };

function missing(path: string, what: string): Diagnostic {
  return { severity: 'fatal', message: `no such file '${path}' in ${what}`, loc: { file: path, line: 1, col: 1 }, code: 'missing-file' };
}

function configMacros(input: InputOptions, source: FileSource): Map<string, string | null> {
  const out = new Map<string, string | null>();
  const diags: Diagnostic[] = [];
  for (const f of input.configFiles) {
    const b = source.read(f);
    if (!b) continue;
    for (const e of parseKconfig(b.toString('latin1'), f, diags)) out.set(e.name, e.value);
  }
  for (const d of input.defines) out.set(d.name, d.value);
  for (const u of input.undefines) out.set(u, null);
  return out;
}

function deltasOf(o: Map<string, string | null> | null, n: Map<string, string | null> | null): ConfigMacroDelta[] {
  if (!o || !n) return [];
  const names = [...new Set([...o.keys(), ...n.keys()])].sort(compareStrings);
  const out: ConfigMacroDelta[] = [];
  for (const name of names) {
    const a = o.get(name) ?? null;
    const b = n.get(name) ?? null;
    if (a !== b) out.push({ name, old: a, new: b });
  }
  return out;
}

function sameFiles(a: Record<string, string> | null, b: Record<string, string> | null): boolean {
  if (!a || !b) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

export async function runDiff(req: DiffRequest): Promise<DiffOutcome> {
  const diagnostics: Diagnostic[] = [];
  const messages: string[] = [];
  // A target given as a file outside targets/ is not in the code fingerprint: no cache then.
  const cacheDir = req.abis.some((a) => isTargetPath(a.target)) ? null : req.cacheDir;
  const cache = new DiffCache(cacheDir, (d) => diagnostics.push(d));
  const outcome = (ok: boolean, runs: AbiDiffResult[]): DiffOutcome => ({ ok, runs, diagnostics: located(diagnostics), messages, stats: cache.stats });

  // File sources, once per side.
  const sources = new Map<'old' | 'new', FileSource>();
  for (const which of ['old', 'new'] as const) {
    const spec = req[which];
    if (spec.kind === 'git') {
      const g = gitSource(spec.rev, which === 'old' ? '--old-rev' : '--new-rev');
      if (!g.ok) {
        diagnostics.push(...g.diagnostics);
        return outcome(false, []);
      }
      sources.set(which, g.source);
    } else if (spec.kind === 'tree') sources.set(which, fsSource());
  }

  let pipeline: typeof import('../pipeline.js') | null = null;
  // Tokenized files shared by every model this run computes (keyed by path and content, so
  // the two sides share only what is the same).
  let shared: import('../pipeline.js').SharedWork | null = null;

  const prepare = async (which: 'old' | 'new', abi: { target: string; config: string | null }): Promise<PreparedSide | Fail> => {
    const spec = req[which];
    const what = `the ${which} side (${spec.kind === 'tree' ? `tree ${spec.root}` : spec.kind === 'git' ? `git revision ${spec.rev}` : `snapshot ${spec.file}`})`;
    if (spec.kind === 'snapshot') {
      const file = snapshotPath(spec.file, abi.target, abi.config);
      const t = readSnapshotText(file);
      if (!t.ok) return { fail: t.diagnostics };
      let parsed: AbiModel | null = null;
      return {
        root: '', digest: t.value.digest, files: null, config: null, configFiles: [],
        async model() {
          if (parsed) return parsed;
          const p = await parseSnapshot(t.value, abi.target);
          if (!p.ok) throw new InputError(p.diagnostics);
          parsed = p.model;
          return parsed;
        },
      };
    }
    const source = sources.get(which)!;
    const root = spec.kind === 'tree' ? spec.root : '.';
    const at = (p: string) => sidePath(root, p);
    const side = req.perSide[which];
    // Kconfig files: in the side; for a tree, one that is not there may come from the
    // working directory (a defconfig kept next to the trees).
    const cfg = (p: string) => {
      const inSide = at(p);
      if (spec.kind === 'tree' && !source.exists(inSide) && source.exists(p)) return p;
      return inSide;
    };
    const noDirs = !req.flags.includePaths.length && !req.flags.systemIncludePaths.length && !req.flags.quoteIncludePaths.length;
    const input: InputOptions = {
      headers: [],
      target: abi.target,
      includePaths: req.flags.includePaths.map(at),
      systemIncludePaths: noDirs ? [root] : req.flags.systemIncludePaths.map(at),
      quoteIncludePaths: req.flags.quoteIncludePaths.map(at),
      defines: [...req.flags.defines, ...side.defines],
      undefines: [...req.flags.undefines, ...side.undefines],
      // The shared flags in command-line order; a side's own -D/-U apply after them.
      ...(req.flags.macroOrder ? { macroOrder: req.flags.macroOrder } : {}),
      forcedIncludes: req.flags.forcedIncludes.map(at),
      configFiles: [...req.flags.configFiles, ...side.configFiles, ...(abi.config ? [abi.config] : [])].map(cfg),
    };
    if (req.headers.length) input.headers = req.headers.map(at);
    else {
      const dirs = noDirs ? [root] : [...input.includePaths, ...input.systemIncludePaths, ...input.quoteIncludePaths];
      input.headers = [...new Set(dirs.flatMap((d) => source.listHeaders(d)))].sort(compareStrings);
      if (!input.headers.length) return { fail: [{ severity: 'fatal', message: `no .h files under ${dirs.join(', ')} in ${what}; name the headers with --header`, loc: { file: dirs[0] ?? root, line: 1, col: 1 }, code: 'missing-file' }] };
    }
    const absent = [...input.headers, ...input.forcedIncludes, ...input.configFiles].filter((f) => !source.exists(f)).map((f) => missing(f, what));
    if (absent.length) return { fail: absent };

    const key = sha256(JSON.stringify({
      format: CACHE_FORMAT, code: codeFingerprint(), target: input.target, headers: input.headers, includePaths: input.includePaths,
      systemIncludePaths: input.systemIncludePaths, quoteIncludePaths: input.quoteIncludePaths, defines: input.defines,
      undefines: input.undefines, macroOrder: input.macroOrder ?? null, forcedIncludes: input.forcedIncludes, configFiles: input.configFiles, cwd: cwdForKey(input),
    }));
    const configSet = new Set(input.configFiles);
    const filesOf = (m: Pick<Manifest, 'files'>): Record<string, string> => {
      const out: Record<string, string> = {};
      for (const [p, id] of m.files) if (id !== null && id !== 'exists' && !configSet.has(p)) out[relativeFile(p, root)] = id;
      return out;
    };
    const configFiles = [...input.configFiles, ...input.configFiles.map((f) => relativeFile(f, root))];
    const config = configMacros(input, source);

    const compute = async (): Promise<PreparedSide | Fail> => {
      pipeline ??= await import('../pipeline.js');
      shared ??= pipeline.sharedWork();
      const rec = recordingFiles(source);
      const r = pipeline.computeAbi({ ...input, files: rec.files }, undefined, shared);
      if (!r.ok) return { fail: r.diagnostics };
      // Errors fail the side: a header its compiler rejects has no ABI to compare.
      const failed = r.value.diagnostics.filter((d) => d.severity === 'fatal' || d.severity === 'error');
      if (failed.length) return { fail: failed };
      cache.stats.modelsComputed++;
      const shown = r.value.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
      const text = JSON.stringify(r.value.model);
      const { statSync } = await import('node:fs');
      const dirs: [string, boolean][] = r.value.target.systemIncludes.map((d) => [d, statSync(d, { throwIfNoEntry: false })?.isDirectory() ?? false]);
      const files = rec.recorded();
      const digest = cache.storeModel(key, { files, stamps: rec.stamps(), dirs, diagnostics: shown }, text);
      messages.push(...shown);
      const model = r.value.model;
      return { root, digest, files: filesOf({ files }), config, configFiles, model: async () => model };
    };

    const hit = cache.lookupModel(key, source);
    if (!hit) return compute();
    messages.push(...hit.manifest.diagnostics);
    let loaded: AbiModel | null = null;
    return {
      root, digest: hit.digest, files: filesOf(hit.manifest), config, configFiles,
      async model() {
        if (loaded) return loaded;
        try {
          loaded = hit.load();
        } catch (e) {
          if (!(e instanceof CacheDamaged)) throw e;
          const again = await compute();
          if ('fail' in again) throw new InputError(again.fail);
          loaded = await again.model();
        }
        return loaded;
      },
    };
  };

  const runs: AbiDiffResult[] = [];
  try {
    for (const abi of req.abis) {
      const o = await prepare('old', abi);
      const n = await prepare('new', abi);
      const fails = [...('fail' in o ? o.fail : []), ...('fail' in n ? n.fail : [])];
      if (fails.length || 'fail' in o || 'fail' in n) {
        diagnostics.push(...fails);
        return outcome(false, runs);
      }
      const deltas = deltasOf(o.config, n.config);
      const opts: DiffOptions = {
        oldRoot: o.root,
        newRoot: n.root,
        config: {
          deltas,
          headersIdentical: sameFiles(o.files, n.files),
          ...(o.files ? { oldFiles: o.files } : {}),
          ...(n.files ? { newFiles: n.files } : {}),
          configFiles: [...new Set([...o.configFiles, ...n.configFiles])].sort(compareStrings),
        },
      };
      const resultKey = sha256(JSON.stringify({ format: CACHE_FORMAT, code: codeFingerprint(), old: o.digest, new: n.digest, target: abi.target, opts }));
      let changes: Change[] | null = cache.lookupResult(resultKey);
      if (!changes) {
        const [om, nm] = [await o.model(), await n.model()];
        changes = diffModels(om, nm, opts);
        cache.storeResult(resultKey, changes);
      }
      runs.push({ target: abi.target, config: abi.config, old: sideLabel(req.old), new: sideLabel(req.new), changes, configDeltas: deltas });
    }
  } catch (e) {
    if (e instanceof InputError) {
      diagnostics.push(...e.diagnostics);
      return outcome(false, runs);
    }
    throw e;
  }
  return outcome(true, runs);
}

/** Each diagnostic once (both sides report a bad flag, such as an unknown target, alike), and
 *  one without a place (from the flags) at the command line. */
function located(diags: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  for (const d of diags) {
    const at = d.loc ? d : { ...d, loc: COMMAND_LINE };
    const text = formatDiagnostic(at);
    if (seen.has(text)) continue;
    seen.add(text);
    out.push(at);
  }
  return out;
}

/** An input problem found while loading a model lazily (a bad snapshot). */
class InputError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
    this.diagnostics = diagnostics;
  }
}
