// Shared by the diff tests: running a fixture pair through the library, and a one-line form of
// each change to compare with hand-derived expectations.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import type { Change } from '../../src/check/diff.js';
import { runDiff, type DiffRequest } from '../../src/check/diff-run.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const FIXTURES = join(ROOT, 'test', 'fixtures', 'diff');
export const X86_64 = 'x86_64-unknown-linux-gnu';

/** `class kind item[.field] old→new`: what a test states about a change. */
export function line(c: Pick<Change, 'class' | 'kind' | 'item' | 'field' | 'old' | 'new'>): string {
  return `${c.class} ${c.kind} ${c.item}${c.field !== undefined ? `.${c.field}` : ''} ${c.old ?? ''}→${c.new ?? ''}`;
}

export function lines(changes: readonly Change[]): string[] {
  return changes.map(line).sort();
}

export function emptyFlags(): DiffRequest['flags'] {
  return { includePaths: [], systemIncludePaths: [], quoteIncludePaths: [], defines: [], undefines: [], forcedIncludes: [], configFiles: [] };
}

export const noSideFlags = () => ({ defines: [], undefines: [], configFiles: [] });

/** The changes between `<case>/old` and `<case>/new` for each target. */
export async function diffFixture(name: string, over: Partial<DiffRequest> = {}, targets = [X86_64]) {
  const r = await runDiff({
    old: { kind: 'tree', root: join(FIXTURES, name, 'old') },
    new: { kind: 'tree', root: join(FIXTURES, name, 'new') },
    headers: [],
    flags: emptyFlags(),
    perSide: { old: noSideFlags(), new: noSideFlags() },
    abis: targets.map((target) => ({ target, config: null })),
    cacheDir: null,
    ...over,
  });
  if (!r.ok) throw new Error(`diff failed: ${JSON.stringify(r.diagnostics)}`);
  return r;
}

/** The built CLI, as a user runs it. */
export function portabi(args: string[], cwd = ROOT, env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin', 'portabi.js'), ...args], { encoding: 'utf8', cwd, env: { ...process.env, ...env }, maxBuffer: 1 << 28 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Builds dist/ (tsc emits even when another module has type errors). */
export function build(): void {
  spawnSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'ignore' });
}
