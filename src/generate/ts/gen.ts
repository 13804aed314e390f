// `portabi gen` over portabi.yaml: every output, `--check` (exit 1 when a generated file is out
// of date), `--explain-async`. Writes are atomic and all-or-nothing (every output to its temp
// file, then every rename: src/write-file.ts); output is deterministic.
import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, relative, resolve, sep } from 'node:path';
import { loadConfig, type PortabiConfig } from '../../config/config.js';
import { reasonOf, stageWrite, WriteError, type StagedWrite } from '../../write-file.js';
import { computeAbi, emptyInput } from '../../pipeline.js';
import { inputFileProblem, inputProblemMessage } from '../../parse/input-file.js';
import { formatDiagnostic } from '../../parse/diagnostics.js';
import type { Loc } from '../../parse/diagnostics.js';
import { explainAsync } from '../async/explain.js';
import { resolveAsync } from '../async/resolve.js';
import { buildIsrShim, isrShimStale } from '../c/build.js';
import { emitIsrShim, planIsrShim, type IsrShimPlan } from '../c/isr-shim.js';
import { generateTs } from './emit.js';
import { generateRust } from '../rust/gen.js';

export interface GenOptions {
  check?: boolean;
  explainAsync?: boolean;
  /** Only the outputs of this language (`portabi gen rust`). */
  lang?: 'ts' | 'rust';
}

export interface GenResult {
  exitCode: number;
  messages: string[];
}

/** Declarations are the user's when they come from a listed header or a file under the
 *  config's directory or an -I / -iquote directory (not from system headers). */
function userLocs(cfg: PortabiConfig): (loc: Loc) => boolean {
  const roots = [cfg.dir, ...cfg.flags.includePaths, ...cfg.flags.quoteIncludePaths, ...cfg.headers.map((h) => dirname(h))].map((r) => resolve(r) + sep);
  const headers = new Set(cfg.headers.map((h) => resolve(h)));
  return (loc) => {
    const f = resolve(loc.file);
    return headers.has(f) || roots.some((r) => f.startsWith(r));
  };
}

/** Generates the text of every output of a loaded config; `inputs` are the files the
 *  preprocessor opened (the headers and all they include), for the shim's rebuild check. */
export function generateOutputs(cfg: PortabiConfig): { files: { path: string; text: string }[]; messages: string[]; explain: string; ok: boolean; inputs: string[] } {
  const input = emptyInput({ headers: cfg.headers, target: cfg.target, ...cfg.flags });
  const computed = computeAbi(input);
  if (!computed.ok) return { files: [], messages: computed.diagnostics.map(formatDiagnostic), explain: '', ok: false, inputs: [] };
  const { ir, ctx, model } = computed.value;
  // Headers the compiler rejects (#error, a missing #include or header, a syntax error) have no
  // ABI to bind: their errors fail the run, and nothing is written.
  const headerErrors = computed.value.diagnostics.filter((d) => d.severity === 'fatal' || d.severity === 'error');
  const messages = headerErrors.map(formatDiagnostic);
  const isUser = userLocs(cfg);
  const asyncs = resolveAsync(ir, cfg.async, (fn) => isUser(fn.loc));
  for (const p of asyncs.problems) messages.push(`${p.loc}: error: ${p.message}`);
  const explain = explainAsync(asyncs.proposals, asyncs.specs, asyncs.problems);
  const files: { path: string; text: string }[] = [];
  // runs-on: isr → the C shim (isr-shim:), generated with the other files (so --check covers it).
  let isrPlan: IsrShimPlan | null = null;
  let isrOk = true;
  const shim = cfg.isrShim;
  const annotationLoc = (symbol: string): string => (Object.prototype.hasOwnProperty.call(cfg.async, symbol) ? cfg.async[symbol]!.loc : (shim?.loc ?? `${cfg.file}:1:1`));
  if (!shim) {
    for (const s of asyncs.specs.filter((x) => x.runsOn === 'isr' && cfg.outputs.some((o) => o.lang === 'ts'))) {
      messages.push(`${annotationLoc(s.symbol)}: error: ${s.symbol}: runs-on isr needs an 'isr-shim:' entry in ${basename(cfg.file)} (path of the C shim to generate; cc and cflags to build it)`);
      isrOk = false;
    }
  } else {
    const planned = planIsrShim(asyncs.specs, ir, shim.prefix);
    for (const p of planned.problems) messages.push(`${annotationLoc(p.symbol)}: error: ${p.symbol}: ${p.message}`);
    isrOk = planned.problems.length === 0;
    isrPlan = planned.plan;
    const headerPath = shim.path.replace(/\.c$/, '.h');
    const rel = (to: string): string => relative(dirname(shim.path), to).split(sep).join('/');
    const text = emitIsrShim(isrPlan, ir, { includes: cfg.headers.map(rel), headerName: basename(headerPath), origin: relative(cfg.dir, cfg.file).split(sep).join('/') });
    files.push({ path: headerPath, text: text.header }, { path: shim.path, text: text.source });
  }
  for (const out of cfg.outputs) {
    if (out.lang === 'rust') {
      const g = generateRust({
        ir, ctx, model, isUserLoc: isUser, async: asyncs.specs, relativeTo: cfg.dir, headers: cfg.headers,
        link: out.link ?? null, newtypeEnums: out.newtypeEnums ?? false, ...(out.maxOps ? { maxOps: out.maxOps } : {}), ...(out.maxBytes ? { maxBytes: out.maxBytes } : {}),
      });
      for (const p of g.problems) messages.push(`${out.loc}: warning: ${p}`);
      files.push({ path: out.path, text: g.text });
      continue;
    }
    let isr: { plan: IsrShimPlan; library: string } | undefined;
    if (isrPlan && shim) {
      const r = relative(dirname(out.path), shim.library).split(sep).join('/');
      isr = { plan: isrPlan, library: r.startsWith('../') ? r : `./${r}` };
    }
    const g = generateTs({ ir, ctx, model, isUserLoc: isUser, async: asyncs.specs, library: out.library, relativeTo: cfg.dir, ...(isr ? { isr } : {}) });
    for (const p of g.problems) messages.push(`${out.loc}: warning: ${p}`);
    messages.push(...g.diagnostics);
    files.push({ path: out.path, text: g.text });
  }
  const inputs = [...new Set(computed.value.pp.includes.map((i) => i.file))];
  return { files, messages, explain, ok: asyncs.problems.length === 0 && isrOk && computed.value.ok && headerErrors.length === 0, inputs };
}

/** What an output path holds now: its text, null when there is none to compare (missing, or a
 *  FIFO or device, which is written without reading it), or why it cannot be an output. */
function currentText(path: string): { text: string | null } | { error: string } {
  try {
    const st = statSync(path, { throwIfNoEntry: false });
    if (!st || !st.isFile()) return st?.isDirectory() ? { error: 'is a directory' } : { text: null };
    return { text: readFileSync(path, 'utf8') };
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOTDIR' ? { text: null } : { error: reasonOf(e) };
  }
}

/** What the CLI calls for `portabi gen [--check] [--explain-async]`. */
export function runGen(configPathOrCwd: string, opts: GenOptions = {}): GenResult {
  const loaded = loadConfig(configPathOrCwd);
  if (!loaded.ok) return { exitCode: 2, messages: loaded.errors.map((e) => `${e.loc}: error: ${e.message}`) };
  const cfg = loaded.config;
  // A header that cannot be read is the config's mistake: say so where portabi.yaml names it.
  const unreadable = cfg.headers.flatMap((h, i) => {
    const p = inputFileProblem(h);
    return p ? [`${cfg.headerLocs[i] ?? cfg.file}: error: ${inputProblemMessage(h, p)}`] : [];
  });
  if (unreadable.length) return { exitCode: 2, messages: unreadable };
  const r = generateOutputs(cfg);
  const messages = [...r.messages];
  if (opts.explainAsync) return { exitCode: r.ok ? 0 : 2, messages: [...messages, r.explain.trimEnd()] };
  if (!r.ok) return { exitCode: 2, messages };
  if (opts.lang && !cfg.outputs.some((o) => o.lang === opts.lang)) return { exitCode: 2, messages: [...messages, `${cfg.file}: error: no '${opts.lang}' output in outputs:`] };
  const rustPaths = new Set(cfg.outputs.filter((o) => o.lang === 'rust').map((o) => o.path));
  let stale = 0;
  // Two phases, so that a failure writes nothing: every changed output to its temp file, then
  // every rename. Only a rename failing after others succeeded (rare: the temp files are in the
  // targets' directories, checked while staging) can leave some outputs written.
  const staged: { write: StagedWrite; rel: string }[] = [];
  const cannotWrite = (rel: string, reason: string): GenResult => {
    for (const s of staged) s.write.abort();
    return { exitCode: 2, messages: [...messages, `${rel}: error: cannot write: ${reason}`] };
  };
  for (const f of r.files) {
    if (opts.lang && (opts.lang === 'rust') !== rustPaths.has(f.path)) continue;
    const rel = relative(process.cwd(), f.path) || f.path;
    const cur = currentText(f.path);
    if ('error' in cur) {
      if (opts.check) return { exitCode: 2, messages: [...messages, `${rel}: error: cannot read: ${cur.error}`] };
      return cannotWrite(rel, cur.error);
    }
    const old = cur.text;
    if (opts.check) {
      if (old !== f.text) {
        stale++;
        messages.push(`${rel}: out of date (${old === null ? 'missing' : 'differs from what portabi gen would write'})`);
      }
      continue;
    }
    if (old === f.text) {
      messages.push(`${rel}: up to date`);
      continue;
    }
    try {
      staged.push({ write: stageWrite(f.path, f.text, { mkdirs: true }), rel });
    } catch (e) {
      if (e instanceof WriteError) return cannotWrite(rel, e.reason);
      for (const x of staged) x.write.abort();
      throw e;
    }
  }
  for (const [i, s] of staged.entries()) {
    try {
      s.write.commit();
    } catch (e) {
      for (const later of staged.slice(i + 1)) later.write.abort();
      if (!(e instanceof WriteError)) throw e;
      return { exitCode: 2, messages: [...messages, `${s.rel}: error: cannot write: ${e.reason}`] };
    }
    messages.push(`${s.rel}: written`);
  }
  // The ISR shim's library, built with the user's compiler (isr-shim: cc:) when out of date.
  const shim = cfg.isrShim;
  if (shim?.cc) {
    const rel = relative(process.cwd(), shim.library) || shim.library;
    // Every header the model was computed from, not only the listed ones: the shim includes
    // them, so a change in one they include changes what cc builds.
    const inputs = [cfg.file, ...cfg.headers, ...r.inputs, ...cfg.flags.configFiles, ...cfg.flags.forcedIncludes];
    const outdated = isrShimStale(shim, shim.path.replace(/\.c$/, '.h'), inputs);
    if (opts.check) {
      if (outdated) {
        stale++;
        messages.push(`${rel}: out of date (not built from the current shim; portabi gen builds it with ${shim.cc})`);
      }
    } else if (outdated) {
      const b = buildIsrShim(shim, cfg.flags);
      if (!b.ok) return { exitCode: 2, messages: [...messages, b.message] };
      messages.push(`${rel}: built with ${shim.cc}`);
    } else messages.push(`${rel}: up to date`);
  }
  return { exitCode: opts.check && stale > 0 ? 1 : 0, messages };
}
