// The runtime a generator copies into its output (src/generate/runtime/runtime.ts,
// src/generate/rust/runtime.rs): the text below the file's marker line. The files are read
// from the package's src/ whether portabi runs from src/, dist/ or the bundle (tsc does not
// copy them to dist/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../package-root.js';

const MARKER = '// @portabi-runtime-begin\n';
const cache = new Map<string, string>();

/** The runtime text of `rel` (a path below the package root). */
export function runtimeBelowMarker(rel: string): string {
  const hit = cache.get(rel);
  if (hit !== undefined) return hit;
  const file = join(PACKAGE_ROOT, rel);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new Error(`portabi: cannot find the runtime ${file}`);
  }
  const at = text.indexOf(MARKER);
  if (at < 0) throw new Error(`portabi: ${file} has no '${MARKER.trim()}' line`);
  const body = text.slice(at + MARKER.length);
  cache.set(rel, body);
  return body;
}
