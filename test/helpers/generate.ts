// What the `portabi gen` end-to-end tests share: the callback-lib fixture built as a shared
// library, a project directory with its portabi.yaml generated into, and the compilers
// (tsc, cc, rustc) run over the output.
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../src/config/config.js';
import { generateOutputs, runGen } from '../../src/generate/ts/gen.js';

export const CALLBACK_LIB = resolve(__dirname, '../fixtures/callback-lib');

/** The async annotations of callback_lib.h that the TypeScript and Rust tests both use. */
export const CALLBACK_LIB_ASYNC = `async:
  cbl_timer_start:
    scope: once
    cancel: cbl_timer_cancel
  cbl_recv_start:
    scope: stream
    done: last_block
    queue: 64
    overflow: error
  cbl_set_log_handler:
    scope: stream
    cancel: set-null
    result: { level: level, message: string(message) }
  cbl_job_start:
    scope: stream
    cancel: cbl_job_cancel
    errors: [neg-errno, callback-status]
    status: status
    done: last
    result: step
    queue: 4
    overflow: error
`;

/** A command's exit status and output (stdout then stderr, then the spawn error if any). */
export function run(cmd: string, args: string[], opts: { cwd: string; timeout?: number }): { status: number | null; out: string; stdout: string } {
  const r = spawnSync(cmd, args, { cwd: opts.cwd, encoding: 'utf8', timeout: opts.timeout ?? 300_000, maxBuffer: 64 << 20 });
  return { status: r.status, out: (r.stdout ?? '') + (r.stderr ?? '') + (r.error ? String(r.error) : ''), stdout: r.stdout ?? '' };
}

const TSC = resolve(__dirname, '../../node_modules/typescript/bin/tsc');
export const TSC_FLAGS = ['--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', 'node', '--skipLibCheck'];

/** The repository's tsc, run in `cwd`. */
export function tsc(cwd: string, args: string[]): { status: number | null; out: string } {
  return run(process.execPath, [TSC, ...args], { cwd });
}

/** callback_lib.c built with cc as libcallback.so in a new temporary directory. */
export function buildCallbackLibrary(tmpPrefix: string): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), tmpPrefix));
  const path = join(dir, 'libcallback.so');
  execFileSync('cc', ['-shared', '-fPIC', '-pthread', '-O1', '-o', path, join(CALLBACK_LIB, 'callback_lib.c')]);
  return { dir, path };
}

/** `dir` as a project: `headers` copied into dir/include, portabi.yaml written, `portabi gen`
 *  run (throwing with its messages when it fails). */
export function generateProject(dir: string, headers: string[], yaml: string, opts: Parameters<typeof runGen>[1] = {}): void {
  mkdirSync(join(dir, 'include'), { recursive: true });
  for (const h of headers) copyFileSync(h, join(dir, 'include', basename(h)));
  writeFileSync(join(dir, 'portabi.yaml'), yaml);
  const r = runGen(dir, opts);
  if (r.exitCode !== 0) throw new Error(r.messages.join('\n'));
}

/** The generated TypeScript module, imported, and the library its `load()` opens. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export async function importGenerated(file: string): Promise<{ m: any; lib: any }> {
  const m = await import(pathToFileURL(file).href);
  return { m, lib: m.load() };
}

/** Removes the directories a test made (those set). */
export function removeDirs(...dirs: (string | undefined)[]): void {
  for (const d of dirs) if (d) rmSync(d, { recursive: true, force: true });
}

/** The outputs of `dir`'s portabi.yaml generated twice in memory (for determinism checks). */
export function generateTwice(dir: string): [GeneratedFiles, GeneratedFiles] {
  const cfg = loadConfig(dir);
  if (!cfg.ok) throw new Error(`${dir}/portabi.yaml: cannot load`);
  return [generateOutputs(cfg.config).files, generateOutputs(cfg.config).files];
}
type GeneratedFiles = ReturnType<typeof generateOutputs>['files'];

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Waits until `cond` holds, at most `ms`. */
export async function until(cond: () => boolean, ms = 5000): Promise<void> {
  const t0 = Date.now();
  while (!cond() && Date.now() - t0 < ms) await sleep(5);
}

/** Blocks the JS thread (no drain of an ISR ring can run: rings are drained on the event loop)
 *  until the fixture's interrupt handlers have run `target` times, at most 5 s; returns the
 *  count reached (the caller asserts it). */
export function busyUntilFired(lib: { cbl_irq_fired(): number }, target: number): number {
  const t0 = Date.now();
  while (lib.cbl_irq_fired() < target && Date.now() - t0 < 5000) {
    // SIGALRM interrupts this loop; the shim queues (or drops) each event
  }
  return lib.cbl_irq_fired();
}

/**
 * A case of its own under `root/name`: `header` (as h.h) and its C `source` built with cc into
 * a library, bindings generated for h.h, typechecked with tsc and imported. `sys` headers go
 * in an -isystem directory outside the project (so they are not the user's declarations).
 */
export async function bindHeader(
  root: string,
  name: string,
  header: string,
  source: string,
  sys: Record<string, string> = {},
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
): Promise<{ m: any; lib: any; text: string; tscOut: string }> {
  const dir = join(root, name);
  const sysDir = join(root, `${name}-sys`);
  mkdirSync(dir, { recursive: true });
  mkdirSync(sysDir, { recursive: true });
  for (const [f, t] of Object.entries(sys)) writeFileSync(join(sysDir, f), t);
  writeFileSync(join(dir, 'h.h'), header);
  writeFileSync(join(dir, 'lib.c'), `#include "h.h"\n${source}`);
  const libPath = join(dir, 'lib.so');
  execFileSync('cc', ['-shared', '-fPIC', '-O1', '-isystem', sysDir, '-o', libPath, join(dir, 'lib.c')]);
  generateProject(dir, [join(dir, 'h.h')], `headers: [include/h.h]\nflags: [${JSON.stringify(`-isystem ${sysDir}`)}]\ntarget: x86_64-unknown-linux-gnu\noutputs:\n  - lang: ts\n    path: gen/h.ts\n    library: ${JSON.stringify(libPath)}\n`);
  const tscOut = tsc(dir, ['--noEmit', ...TSC_FLAGS, 'gen/h.ts']).out;
  const { m, lib } = await importGenerated(join(dir, 'gen', 'h.ts'));
  return { m, lib, text: readFileSync(join(dir, 'gen', 'h.ts'), 'utf8'), tscOut };
}
