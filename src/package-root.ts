// Where portabi's own files are (targets/, the generators' runtime sources), found from this
// module's location: src/ under tsx, dist/ after tsc, dist/bundle/ in the esbuild bundle. One
// answer for every module, so moving code between those layouts moves nothing else.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  for (let dir = start; ; ) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'targets'))) return dir;
    const up = dirname(dir);
    if (up === dir) return dirname(start); // not found: the layout of src/ and dist/
    dir = up;
  }
}

/** The package's root directory (holds package.json and targets/). */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** targets/ of this package. */
export const TARGETS_DIR = join(PACKAGE_ROOT, 'targets');
