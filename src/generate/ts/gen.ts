// `portabi gen` over portabi.yaml: every output, `--check` (exit 1 when a generated file is out
// of date), `--explain-async`. Writes are atomic (temp file + rename); output is deterministic.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative, resolve, sep } from 'node:path';
import { loadConfig, type PortabiConfig } from '../../config/config.js';
import { computeAbi, emptyInput } from '../../pipeline.js';
import { formatDiagnostic } from '../../parse/diagnostics.js';
import type { Loc } from '../../parse/diagnostics.js';
import { explainAsync } from '../async/explain.js';
import { resolveAsync } from '../async/resolve.js';
import { generateTs } from './emit.js';

export interface GenOptions {
  check?: boolean;
  explainAsync?: boolean;
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

/** Generates the text of every output of a loaded config. */
export function generateOutputs(cfg: PortabiConfig): { files: { path: string; text: string }[]; messages: string[]; explain: string; ok: boolean } {
  const input = emptyInput({ headers: cfg.headers, target: cfg.target, ...cfg.flags });
  const computed = computeAbi(input);
  if (!computed.ok) return { files: [], messages: computed.diagnostics.map(formatDiagnostic), explain: '', ok: false };
  const { ir, ctx, model } = computed.value;
  const messages = computed.value.diagnostics.filter((d) => d.severity === 'fatal' || d.severity === 'error').map(formatDiagnostic);
  const isUser = userLocs(cfg);
  const asyncs = resolveAsync(ir, cfg.async, (fn) => isUser(fn.loc));
  for (const p of asyncs.problems) messages.push(`${p.loc}: error: ${p.message}`);
  const explain = explainAsync(asyncs.proposals, asyncs.specs, asyncs.problems);
  const files: { path: string; text: string }[] = [];
  for (const out of cfg.outputs) {
    const g = generateTs({ ir, ctx, model, isUserLoc: isUser, async: asyncs.specs, library: out.library, relativeTo: cfg.dir });
    for (const p of g.problems) messages.push(`${out.loc}: warning: ${p}`);
    files.push({ path: out.path, text: g.text });
  }
  return { files, messages, explain, ok: asyncs.problems.length === 0 && computed.value.ok };
}

/** Write a file atomically: a temp file in the same directory, then rename over the target. */
export function writeAtomic(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** What the CLI calls for `portabi gen [--check] [--explain-async]`. */
export function runGen(configPathOrCwd: string, opts: GenOptions = {}): GenResult {
  const loaded = loadConfig(configPathOrCwd);
  if (!loaded.ok) return { exitCode: 2, messages: loaded.errors.map((e) => `${e.loc}: error: ${e.message}`) };
  const cfg = loaded.config;
  const r = generateOutputs(cfg);
  const messages = [...r.messages];
  if (opts.explainAsync) return { exitCode: r.ok ? 0 : 2, messages: [...messages, r.explain.trimEnd()] };
  if (!r.ok) return { exitCode: 2, messages };
  let stale = 0;
  for (const f of r.files) {
    const rel = relative(process.cwd(), f.path) || f.path;
    const old = existsSync(f.path) ? readFileSync(f.path, 'utf8') : null;
    if (opts.check) {
      if (old !== f.text) {
        stale++;
        messages.push(`${rel}: out of date (${old === null ? 'missing' : 'differs from what portabi gen would write'})`);
      }
      continue;
    }
    if (old === f.text) messages.push(`${rel}: up to date`);
    else {
      writeAtomic(f.path, f.text);
      messages.push(`${rel}: written`);
    }
  }
  return { exitCode: opts.check && stale > 0 ? 1 : 0, messages };
}
