// `portabi diff` as a user runs it: every side kind (tree, git revision, snapshot), every
// format, exit codes, byte-identical output across runs and cache states, and located
// diagnostics (exit 2, no stack trace) for bad input.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DIFF_FORMATS } from '../../src/check/diff-report.js';
import { FIXTURES, ROOT, X86_64, build, portabi } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'portabi-diff-cli-'));
const fx = (p: string) => join('test/fixtures/diff', p);
const noStack = (err: string) => expect(err).not.toMatch(/\n\s+at /);

beforeAll(() => build());

describe('exit codes and --fail-on', () => {
  const addOnly = join(tmp, 'add-only');
  beforeAll(() => {
    mkdirSync(join(addOnly, 'old'), { recursive: true });
    mkdirSync(join(addOnly, 'new'), { recursive: true });
    writeFileSync(join(addOnly, 'old', 'a.h'), 'struct a { int x; };\n');
    writeFileSync(join(addOnly, 'new', 'a.h'), 'struct a { int x; };\nstruct b { int y; };\n');
  });

  it('breaking changes: 1 by default, 0 with --fail-on none', () => {
    const r = portabi(['diff', fx('layout/old'), fx('layout/new'), '-t', X86_64, '--no-cache']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/: 12 breaking, 0 source-only, 3 compatible\n$/);
    expect(portabi(['diff', fx('layout/old'), fx('layout/new'), '-t', X86_64, '--no-cache', '--fail-on', 'none']).code).toBe(0);
  });

  it('only additions: 0 with --fail-on breaking, 1 with --fail-on any', () => {
    const args = ['diff', join(addOnly, 'old'), join(addOnly, 'new'), '-t', X86_64, '--no-cache'];
    const r = portabi(args);
    expect(r.code).toBe(0);
    expect(r.out).toContain('compatible: struct b added (4 bytes) [added]');
    expect(portabi([...args, '--fail-on', 'any']).code).toBe(1);
  });

  it('identical sides: no changes, exit 0', () => {
    const r = portabi(['diff', fx('layout/old'), fx('layout/old'), '-t', X86_64, '--no-cache']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/on x86_64-unknown-linux-gnu: no ABI changes\n$/);
  });

  it('usage errors: exit 2', () => {
    expect(portabi(['diff', fx('layout/old'), fx('layout/new'), '--fail-on', 'sometimes']).code).toBe(2);
    expect(portabi(['diff', fx('layout/old'), fx('layout/new'), '-f', 'html']).code).toBe(2);
    const one = portabi(['diff', fx('layout/old')]);
    expect(one.code).toBe(2);
    expect(one.err).toMatch(/^<command line>:1:1: fatal: expected OLD and NEW side arguments, got 1/m);
  });
});

describe('formats', () => {
  const cache = join(tmp, 'fmt-cache');
  const args = (format: string, ...extra: string[]) => [
    'diff', fx('nested/old'), fx('nested/new'), '--targets', `${X86_64},i686-unknown-linux-gnu`, '-f', format, ...extra,
  ];

  it('every format is byte-identical across runs: cold cache, warm cache, no cache', () => {
    for (const f of DIFF_FORMATS) {
      const cold = portabi(args(f, '--cache-dir', join(cache, f)));
      const warm = portabi(args(f, '--cache-dir', join(cache, f)));
      const none = portabi(args(f, '--no-cache'));
      expect(cold.code, f).toBe(1);
      expect(cold.out.length, f).toBeGreaterThan(100);
      expect(warm.out, f).toBe(cold.out);
      expect(none.out, f).toBe(cold.out);
      expect(warm.code, f).toBe(1);
    }
  });

  it('json: one run per ABI with every key, changes with old and new provenance', () => {
    const j = JSON.parse(portabi(args('json', '--no-cache')).out);
    expect(Object.keys(j)).toEqual(['schemaVersion', 'summary', 'runs']);
    expect(j.runs.map((r: { target: string }) => r.target)).toEqual([X86_64, 'i686-unknown-linux-gnu']);
    const c = j.runs[0].changes.find((x: { item: string; kind: string }) => x.item === 'struct top' && x.kind === 'size');
    expect(Object.keys(c)).toEqual(['class', 'kind', 'section', 'item', 'field', 'renamedFrom', 'old', 'new', 'unit', 'message', 'oldLoc', 'newLoc', 'oldWhy', 'newWhy', 'because', 'cause']);
    expect(c).toMatchObject({ class: 'breaking', old: '12', new: '20', unit: 'bytes', oldLoc: `${fx('nested/old/nested.h')}:3:8`, newLoc: `${fx('nested/new/nested.h')}:3:8`, because: ['struct mid'] });
  });

  it('markdown: summary table first, every change folded in <details>', () => {
    const md = portabi(args('markdown', '--no-cache')).out;
    const table = md.indexOf('| ABI | ❌ breaking | ⚠️ source-only | ➕ compatible |');
    expect(table).toBeGreaterThan(0);
    expect(table).toBeLessThan(md.indexOf('<details>'));
    expect(md).toContain(`| ${X86_64} | 11 | 0 | 1 |`);
    expect((md.match(/<summary>❌ breaking \(size\): struct top<\/summary>/g) ?? []).length).toBe(2); // one per ABI
    expect((md.match(/<details>/g) ?? []).length).toBe((md.match(/<\/details>/g) ?? []).length);
  });

  it('github: one annotation per change, files relative to the repository', () => {
    const gh = portabi(args('github', '--no-cache')).out.trim().split('\n');
    expect(gh.length).toBe(24); // 12 changes on each target (hand count in fixtures.test.ts)
    expect(gh.filter((l) => l.startsWith('::error file=test/fixtures/diff/nested/new/nested.h,line=')).length).toBe(22);
    expect(gh.filter((l) => l.startsWith('::notice ')).length).toBe(2);
  });

  it('sarif: valid against the OASIS SARIF 2.1.0 schema, one run per ABI', async () => {
    const log = JSON.parse(portabi(args('sarif', '--no-cache')).out);
    const schema = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/sarif-schema-2.1.0.json'), 'utf8'));
    delete schema.$schema;
    delete schema.id;
    const { default: Ajv } = await import('ajv');
    const { default: addFormats } = await import('ajv-formats');
    // The schema is draft-04; its keywords validate with Ajv 8 once the meta-schema check is off.
    const ajv = new (Ajv as any)({ strict: false, validateSchema: false, allErrors: true });
    (addFormats as any)(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    const broken = structuredClone(log);
    broken.runs[1].results[0].level = 'breaking';
    expect(validate(broken)).toBe(false); // the validator does reject a broken log
    expect(log.runs.length).toBe(2);
    expect(log.runs[0].automationDetails.id).toBe(`portabi-diff/${X86_64}/default/`);
    const r = log.runs[0].results.find((x: { properties?: { item?: string } ; ruleId: string }) => x.ruleId === 'size' && x.properties?.item === 'struct top');
    expect(r.level).toBe('error');
    expect(r.locations[0].physicalLocation.artifactLocation).toEqual({ uri: 'test/fixtures/diff/nested/new/nested.h', uriBaseId: 'SRCROOT' });
    expect(r.relatedLocations[0]).toMatchObject({ message: { text: 'old definition' }, physicalLocation: { artifactLocation: { uri: 'test/fixtures/diff/nested/old/nested.h' }, region: { startLine: 3, startColumn: 8 } } });
  });

  it('-o writes the report atomically to a file', () => {
    const out = join(tmp, 'report.md');
    const r = portabi([...args('markdown', '--no-cache'), '-o', out]);
    expect(r.out).toBe('');
    expect(readFileSync(out, 'utf8')).toBe(portabi(args('markdown', '--no-cache')).out);
    expect(readdirSync(tmp).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('git revisions, read without a checkout', () => {
  const repo = join(tmp, 'repo');
  const git = (...a: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...a], { cwd: repo, encoding: 'utf8' });
  beforeAll(() => {
    mkdirSync(join(repo, 'include'), { recursive: true });
    git('init', '-q');
    copyFileSync(join(FIXTURES, 'layout/old/api.h'), join(repo, 'include/api.h'));
    git('add', '.');
    git('commit', '-q', '-m', 'old');
    copyFileSync(join(FIXTURES, 'layout/new/api.h'), join(repo, 'include/api.h'));
    git('commit', '-q', '-am', 'new');
    copyFileSync(join(FIXTURES, 'layout/old/api.h'), join(repo, 'include/api.h')); // working tree: old again
  });

  it('--old-rev/--new-rev: the same changes as the two trees, located at repository paths', () => {
    const viaGit = portabi(['diff', '--old-rev', 'HEAD~1', '--new-rev', 'HEAD', '-I', 'include', '-t', X86_64, '-f', 'json', '--no-cache'], repo);
    const viaTrees = portabi(['diff', fx('layout/old'), fx('layout/new'), '-t', X86_64, '-f', 'json', '--no-cache']);
    expect(viaGit.code).toBe(1);
    const a = JSON.parse(viaGit.out).runs[0].changes;
    const b = JSON.parse(viaTrees.out).runs[0].changes;
    const strip = (cs: { oldLoc: string | null; newLoc: string | null; oldWhy: unknown; newWhy: unknown }[]) => cs.map((c) => ({ ...c, oldLoc: null, newLoc: null, oldWhy: null, newWhy: null }));
    expect(strip(a)).toEqual(strip(b));
    const grow = a.find((c: { item: string; kind: string }) => c.item === 'struct grow' && c.kind === 'size');
    expect([grow.oldLoc, grow.newLoc]).toEqual(['include/api.h:1:8', 'include/api.h:1:8']);
    expect(viaGit.out).not.toContain(tmpdir());
  });

  it('--old-rev alone: the working tree is the new side', () => {
    const r = portabi(['diff', '--old-rev', 'HEAD', '--header', 'include/api.h', '-I', 'include', '-t', X86_64, '-f', 'json', '--no-cache'], repo);
    // HEAD has the new header, the working tree the old one: the changes run backwards.
    const cs = JSON.parse(r.out).runs[0].changes as { item: string; kind: string; old: string; new: string }[];
    expect(cs.find((c) => c.item === 'struct grow' && c.kind === 'size')).toMatchObject({ old: '16', new: '8' });
    expect(cs.find((c) => c.item === 'struct gone_type')).toMatchObject({ kind: 'added' });
  });

  it('a bad revision: located diagnostic, exit 2, no stack trace', () => {
    const r = portabi(['diff', '--old-rev', 'no-such-rev', '-t', X86_64, '--no-cache'], repo);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^<command line>:1:1: fatal: --old-rev no-such-rev: not a revision of the repository at /m);
    expect(r.out).toBe('');
    noStack(r.err);
  });

  it('outside a repository: located diagnostic, exit 2', () => {
    const r = portabi(['diff', '--old-rev', 'HEAD', '-t', X86_64, '--no-cache'], tmpdir());
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^<command line>:1:1: fatal: --old-rev HEAD: .* is not inside a git repository/m);
  });
});

describe('snapshots from portabi dump', () => {
  const snap = join(tmp, 'old-x86.json');
  beforeAll(() => {
    const d = portabi(['dump', fx('layout/old/api.h'), '-t', X86_64, '-o', snap]);
    expect(d.code).toBe(0);
  });

  it('a snapshot side gives the same changes as its header tree; its target is the default', () => {
    const viaSnap = portabi(['diff', snap, fx('layout/new'), '-f', 'json', '--no-cache']);
    const viaTree = portabi(['diff', fx('layout/old'), fx('layout/new'), '-t', X86_64, '-f', 'json', '--no-cache']);
    expect(viaSnap.code).toBe(1);
    expect(JSON.parse(viaSnap.out).runs[0].changes).toEqual(JSON.parse(viaTree.out).runs[0].changes);
  });

  it('{target} in a snapshot path picks one snapshot per target', () => {
    const want = join(tmp, `snap-${X86_64}.json`);
    const missing = portabi(['diff', join(tmp, 'snap-{target}.json'), fx('layout/new'), '--targets', X86_64, '--no-cache']);
    expect(missing.code).toBe(2);
    expect(missing.err).toBe(`${want}:1:1: fatal: no such snapshot file '${want}'\n`);
    copyFileSync(snap, want);
    const good = portabi(['diff', join(tmp, 'snap-{target}.json'), fx('layout/new'), '--targets', X86_64, '--no-cache']);
    expect(good.code).toBe(1);
    expect(good.out).toMatch(/: 12 breaking, 0 source-only, 3 compatible\n$/);
  });

  it('a corrupt snapshot: the syntax error located at its line and column, exit 2', () => {
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{\n  "schemaVersion": 1,\n  "target": }\n');
    const r = portabi(['diff', bad, fx('layout/new'), '-t', X86_64, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${bad}:3:13: fatal: not a valid JSON snapshot: unexpected "}"; expected a value\n`);
    noStack(r.err);
  });

  it('a snapshot of the wrong shape or target: located at the offending key, exit 2', () => {
    const shape = join(tmp, 'shape.json');
    writeFileSync(shape, JSON.stringify({ schemaVersion: 1, target: X86_64, types: { 'struct a': { kind: 'struct', size: 'big' } }, constants: {}, initializers: {}, functions: {}, macros: {} }, null, 2));
    const r = portabi(['diff', shape, fx('layout/new'), '-t', X86_64, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(new RegExp(`^${shape.replace(/[.]/g, '\\.')}:5:5: fatal: not a portabi ABI model: types\\["struct a"\\]: expected`, 'm'));
    const other = portabi(['diff', snap, fx('layout/new'), '-t', 'i686-unknown-linux-gnu', '--no-cache']);
    expect(other.code).toBe(2);
    expect(other.err).toMatch(new RegExp(`^${snap.replace(/[.]/g, '\\.')}:3:3: fatal: snapshot is for target ${X86_64}, not i686-unknown-linux-gnu`, 'm'));
  });
});

describe('bad input', () => {
  it('a missing side: located, exit 2, no stack trace', () => {
    const r = portabi(['diff', 'no-such-dir', fx('layout/new'), '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.err).toBe("no-such-dir:1:1: fatal: no such header tree or snapshot 'no-such-dir'\n");
    expect(r.out).toBe('');
  });

  it('a --header missing on one side: located, exit 2', () => {
    const r = portabi(['diff', fx('layout/old'), fx('bitfield/new'), '--header', 'api.h', '-t', X86_64, '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${fx('bitfield/new/api.h')}:1:1: fatal: no such file '${fx('bitfield/new/api.h')}' in the new side (tree ${fx('bitfield/new')})\n`);
  });

  it('an unknown target: exit 2 with the known ones', () => {
    const r = portabi(['diff', fx('layout/old'), fx('layout/new'), '-t', 'no-such-target', '--no-cache']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('thumbv7em-none-eabi');
    noStack(r.err);
  });

  it('a damaged cache entry: a located warning, then the same report and exit code as without a cache', () => {
    const cache = join(tmp, 'damaged-cache');
    const args = ['diff', fx('macro-chain/old'), fx('macro-chain/new'), '--header', 'derived.h', '-t', X86_64, '--cache-dir', cache];
    const first = portabi(args);
    // Damage every cached file: truncate models and manifests, garble results.
    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    const files = walk(cache);
    expect(files.some((f) => f.endsWith('.model.json'))).toBe(true);
    for (const f of files) writeFileSync(f, readFileSync(f, 'utf8').slice(0, 20));
    const again = portabi(args);
    expect(again.code).toBe(first.code);
    expect(again.out).toBe(first.out);
    expect(again.err).toMatch(/\.json:1:1: warning: damaged cache entry ignored and rebuilt: /);
    noStack(again.err);
    const third = portabi(args); // rebuilt: clean again
    expect(third.err).toBe('');
    expect(third.out).toBe(first.out);
  });

  it('a cache directory copied elsewhere still serves (entries are keyed by content, not place)', () => {
    const a = join(tmp, 'cache-a');
    const args = (c: string) => ['diff', fx('packed/old'), fx('packed/new'), '-t', X86_64, '-f', 'json', '--cache-dir', c];
    const first = portabi(args(a));
    cpSync(a, join(tmp, 'cache-b'), { recursive: true });
    expect(portabi(args(join(tmp, 'cache-b'))).out).toBe(first.out);
  });
});
