// Bundles the compiled CLI (dist/) with esbuild into dist/bundle/: portabi's modules,
// commander and yaml in a few files instead of ~100, so a run starts faster (module
// resolution and loading were ~70 ms of `portabi --version`). Dynamic imports stay split into
// chunks, so a command still loads only its own code (options: scripts/bundle-options.mjs).
// bin/portabi.js uses the bundle only when it is newer than dist/cli.js (a plain `tsc` after
// it falls back to dist/ rather than run stale code). dist/bundle/build-id holds a hash of the
// bundle's files, dist/bundle/targets.json the shipped targets as checked at build time.
//
//   node scripts/bundle.mjs [outdir]     (default dist/bundle; must be inside the package)
//
// The new bundle is built beside the old one and swapped in with renames, so a portabi
// started meanwhile finds either the whole old bundle, none (and uses dist/), or the new one.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bundleOptions } from './bundle-options.mjs';

/** Name of the file holding the bundle's content hash (read by codeFingerprint). */
const BUILD_ID = 'build-id';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outdir = resolve(process.argv[2] ?? join(root, 'dist', 'bundle'));
const fresh = `${outdir}.new-${process.pid}`;
const stale = `${outdir}.old-${process.pid}`;
await build(bundleOptions({ entry: join(root, 'dist', 'cli.js'), outdir: fresh }));
// The shipped targets, checked once here (src/abi/target.ts reads targets.json next to the
// bundle and uses an entry while its YAML text is unchanged).
const { listTargets, loadTarget, TARGETS_DIR } = await import(pathToFileURL(join(root, 'dist', 'abi', 'target.js')).href);
const targets = {};
for (const name of listTargets()) {
  const r = loadTarget(name);
  if (!r.ok) throw new Error(`targets/${name}.yaml: ${r.error.map((d) => d.message).join('; ')}`);
  targets[name] = { yaml: readFileSync(join(TARGETS_DIR, `${name}.yaml`), 'utf8'), target: r.value };
}
writeFileSync(join(fresh, 'targets.json'), JSON.stringify(targets));
// The bundle's identity, for the caches' code fingerprint (src/check/diff-cache.ts): reading
// one file at start is cheaper than stat-ing every file of dist/.
const h = createHash('sha256');
for (const name of readdirSync(fresh).sort()) h.update(`${name}\0`).update(readFileSync(join(fresh, name))).update('\0');
writeFileSync(join(fresh, BUILD_ID), `${h.digest('hex')}\n`);
if (existsSync(outdir)) renameSync(outdir, stale);
renameSync(fresh, outdir);
rmSync(stale, { recursive: true, force: true });
