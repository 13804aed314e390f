#!/usr/bin/env node
// Thin launcher. The CLI is dist/cli.js (tsc); `npm run build` also bundles it into
// dist/bundle/ (scripts/bundle.mjs), which starts faster and is used when it is not older
// than dist/cli.js. cli.ts loads only the module of the command being run.
import { statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';

// A run is short and cold: V8's default tier-up budget sends functions to TurboFan while they
// are still warming up, and the compile work (and deopts) cost more than they return. A 3x
// budget measured 13% off a cold newlib `dump` and 6% off glibc's (bench/dump.ts).
setFlagsFromString('--interrupt-budget=400000');

const mtime = (rel) => statSync(new URL(rel, import.meta.url), { throwIfNoEntry: false })?.mtimeMs ?? -1;
const [bundle, plain] = [mtime('../dist/bundle/cli.js'), mtime('../dist/cli.js')];
if (bundle < 0 && plain < 0) {
  // Not built (a git checkout before `npm run build`): say so, usage-error code, no stack.
  process.stderr.write('portabi: not built: dist/cli.js is missing; run `npm run build` in the package\n');
  process.exit(2);
}
const { main } = await import(bundle >= plain ? '../dist/bundle/cli.js' : '../dist/cli.js');

process.exitCode = await main(process.argv.slice(2));
