// Builds the generated ISR shim with the user's compiler (portabi.yaml `isr-shim: cc:`):
// `<cc> <cflags> <portabi.yaml flags> -shared -fPIC -o <library> <shim.c>`, or `-c` when the
// library is a `.o` (bare metal: the user links the object). The flags include the Kconfig
// files' options as -D/-U, so the shim sees the headers in the configuration the bindings were
// computed for. The output is written to a temp file and renamed, like every file `portabi gen`
// writes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { FlagsConfig, IsrShimConfig } from '../../config/config.js';
import { commandLineMacros } from '../../parse/command-line-macros.js';
import { parseKconfig } from '../../parse/kconfig.js';

/** The compiler's arguments, with `out` as the output file. */
export function isrShimBuildArgs(shim: IsrShimConfig, flags: FlagsConfig, out: string): string[] {
  const args = [...shim.cflags];
  // Kconfig first, then -D and -U in command-line order: as portabi's preprocessor. A file
  // that cannot be read or has bad lines was already reported when the model was computed.
  for (const f of flags.configFiles) {
    let text: string;
    try {
      text = readFileSync(f, 'latin1');
    } catch {
      continue;
    }
    for (const e of parseKconfig(text, f, [])) args.push(e.value === null ? `-U${e.name}` : `-D${e.name}=${e.value}`);
  }
  for (const d of flags.includePaths) args.push(`-I${d}`);
  for (const d of flags.quoteIncludePaths) args.push('-iquote', d);
  for (const d of flags.systemIncludePaths) args.push('-isystem', d);
  // -D and -U in the order portabi.yaml gives them, as the preprocessor applies them.
  for (const m of commandLineMacros(flags)) args.push(m.op === 'D' ? `-D${m.name}=${m.value}` : `-U${m.name}`);
  for (const f of flags.forcedIncludes) args.push('-include', f);
  if (shim.library.endsWith('.o')) args.push('-c');
  else args.push('-shared', '-fPIC');
  args.push('-o', out, shim.path);
  return args;
}

/**
 * Whether the built library is missing or older than the shim's .c or .h, or than one of
 * `inputs`: what else the build reads (portabi.yaml with its cc, cflags and flags, the Kconfig
 * files, the headers the shim includes). The shim's text alone does not change when only those
 * do, and `portabi gen` leaves an unchanged file alone.
 */
export function isrShimStale(shim: IsrShimConfig, header: string, inputs: readonly string[] = []): boolean {
  if (!existsSync(shim.library)) return true;
  const built = statSync(shim.library).mtimeMs;
  if ([shim.path, header].some((f) => !existsSync(f) || statSync(f).mtimeMs > built)) return true;
  return inputs.some((f) => (statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0) > built);
}

/** Runs the user's compiler; an error is a located message (the `isr-shim:` entry). */
export function buildIsrShim(shim: IsrShimConfig, flags: FlagsConfig): { ok: true } | { ok: false; message: string } {
  const cc = shim.cc!;
  mkdirSync(dirname(shim.library), { recursive: true });
  const tmp = `${shim.library}.${process.pid}.tmp${shim.library.endsWith('.o') ? '.o' : ''}`;
  const r = spawnSync(cc, isrShimBuildArgs(shim, flags, tmp), { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(tmp, { force: true });
    const why = r.error
      ? (r.error as NodeJS.ErrnoException).code === 'ENOENT'
        ? `compiler '${cc}' not found`
        : r.error.message
      : `${cc} exited with ${r.status ?? r.signal}${r.stderr.trim() ? `:\n${r.stderr.trimEnd()}` : ''}`;
    return { ok: false, message: `${shim.loc}: error: isr-shim: building ${shim.library} failed: ${why}` };
  }
  renameSync(tmp, shim.library);
  return { ok: true };
}
