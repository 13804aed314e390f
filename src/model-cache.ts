// The ABI model of a header set, through the model cache `portabi diff` keeps
// (src/check/diff-cache.ts): a run whose headers, flags, target and portabi are unchanged
// prints the stored text instead of preprocessing, parsing and laying out again. The entry is
// used only while the manifest of every file the preprocessor read (content id), every path
// it probed and found missing, and the compiler directories still hold; the key has the flags,
// the target, the output form, a fingerprint of portabi's code and targets/, and the working
// directory when a path is relative.
//
// On a miss the pipeline is loaded (a dynamic import, so a hit does not pay for loading it),
// the model computed and rendered, and the entry written atomically.
import { statSync } from 'node:fs';
import type { AbiModel } from './abi/model.js';
import { isTargetPath } from './abi/target-types.js';
import { CACHE_FORMAT, CacheDamaged, DiffCache, codeFingerprint, cwdForKey, recordingFiles, sha256 } from './check/diff-cache.js';
import { fsSource } from './check/diff-sides.js';
import { formatDiagnostic, type Diagnostic } from './parse/diagnostics.js';
import type { InputOptions, Loaded } from './pipeline.js';
import type { MacroValueOptions } from './abi/macro-values.js';

export interface ModelText {
  /** The rendered model. */
  text: string;
  /** The computation's diagnostics at warning level and above, formatted (replayed on a hit). */
  diagnostics: string[];
  fromCache: boolean;
}

/**
 * The model of `input` rendered by `render`, from the cache in `cacheDir` when it holds (null:
 * no cache). `view` names the rendering, so two renderings of one model are two entries.
 * Cache problems are warnings through `warn`, never a different result.
 */
export async function modelTextCached(
  input: InputOptions,
  cacheDir: string | null,
  view: string,
  render: (model: AbiModel) => string,
  warn: (d: Diagnostic) => void,
  macroOpts?: MacroValueOptions,
): Promise<Loaded<ModelText>> {
  const source = fsSource();
  // A target given as a file outside targets/ is not in the code fingerprint: not cached.
  const cache = new DiffCache(isTargetPath(input.target) ? null : cacheDir, warn);
  const key = !cache.dir ? '' : sha256(JSON.stringify({
    format: CACHE_FORMAT, view, code: codeFingerprint(), target: input.target, headers: input.headers,
    includePaths: input.includePaths, systemIncludePaths: input.systemIncludePaths, quoteIncludePaths: input.quoteIncludePaths,
    defines: input.defines, undefines: input.undefines, macroOrder: input.macroOrder ?? null, forcedIncludes: input.forcedIncludes, configFiles: input.configFiles,
    macroOpts: macroOpts ?? null, cwd: cwdForKey(input),
  }));
  const hit = cache.dir ? cache.lookupModel(key, source) : null;
  if (hit) {
    try {
      return { ok: true, value: { text: hit.loadText(), diagnostics: hit.manifest.diagnostics, fromCache: true } };
    } catch (e) {
      if (!(e instanceof CacheDamaged)) throw e; // warned; computed below
    }
  }
  const { computeAbi } = await import('./pipeline.js');
  // Without a cache nothing is recorded (recording hashes every file read).
  const rec = cache.dir ? recordingFiles(source) : null;
  const r = computeAbi(rec ? { ...input, files: rec.files } : input, macroOpts);
  if (!r.ok) return r;
  // Headers with errors have no model to print (nor to cache): the command fails with them.
  if (r.value.diagnostics.some((d) => d.severity === 'fatal' || d.severity === 'error')) return { ok: false, diagnostics: r.value.diagnostics.filter((d) => d.severity !== 'note') };
  const diagnostics = r.value.diagnostics.filter((d) => d.severity !== 'note').map(formatDiagnostic);
  const text = render(r.value.model);
  if (rec) {
    const dirs: [string, boolean][] = r.value.target.systemIncludes.map((d) => [d, statSync(d, { throwIfNoEntry: false })?.isDirectory() ?? false]);
    cache.storeModel(key, { files: rec.recorded(), stamps: rec.stamps(), dirs, diagnostics }, text);
  }
  return { ok: true, value: { text, diagnostics, fromCache: false } };
}
