import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../../src/check/check.js';
import type { Finding } from '../../src/check/finding.js';
import { escapeData, escapeProperty, renderGithub } from '../../src/check/report/github.js';
import { renderCheckReport } from '../../src/check/report/index.js';
import { renderMarkdown } from '../../src/check/report/markdown.js';
import { CHECK_RULES, findingToResult, type ReportResult } from '../../src/check/report/result.js';
import { sarifLog } from '../../src/check/report/sarif.js';
import { renderText } from '../../src/check/report/text.js';
import { emptyProfile } from '../../src/check/profile-types.js';
import { fixtureModel } from './fixtures.js';

const BASE = '/repo';

function sampleFindings(): Finding[] {
  const p = emptyProfile('nuttx', 'x86_64-unknown-linux-gnu');
  p.types['struct point'] = { size: 24 };
  p.constants.BIGU = { value: '1' };
  p.functions.close = { optional: true };
  p.unresolved.push({ item: 'sigevent', reason: 'union, padding' });
  p.source = { file: 'targets/profiles/nuttx.yaml', locs: { 'functions/close': 'targets/profiles/nuttx.yaml:9:3' } };
  return checkModel(fixtureModel(), p);
}

describe('json report', () => {
  it('has exactly the contract keys', () => {
    const j = JSON.parse(renderCheckReport('json', sampleFindings(), { target: 'x86_64-unknown-linux-gnu', profile: 'nuttx', baseDir: BASE, toolVersion: '0.1.0' }));
    expect(Object.keys(j)).toEqual(['schemaVersion', 'target', 'profile', 'findings']);
    expect(j.schemaVersion).toBe(1);
    for (const f of j.findings) {
      expect(Object.keys(f)).toEqual(['kind', 'severity', 'item', 'field', 'expected', 'actual', 'unit', 'message', 'loc', 'profileLoc', 'why', 'rustName']);
    }
    expect(j.findings[0]).toEqual({
      kind: 'value', severity: 'error', item: 'BIGU', field: null, expected: '1', actual: '4294967295', unit: null,
      message: 'value of BIGU: profile 1, headers 4294967295 (unsigned int)',
      loc: 'test/fixtures/check/probe-fixture.h:7:9', profileLoc: null,
      why: fixtureModel().constants.BIGU!.why, rustName: null,
    });
    expect(j.findings.map((f: { item: string }) => f.item)).toEqual(['BIGU', 'close', 'sigevent', 'struct point']);
  });
});

describe('github workflow commands', () => {
  it('escapes data and properties as the runner expects', () => {
    expect(escapeData('50% done\r\nnext')).toBe('50%25 done%0D%0Anext');
    expect(escapeProperty('a:b,c%\n')).toBe('a%3Ab%2Cc%25%0A');
  });
  it('writes one annotation per result, file relative to the base', () => {
    const r: ReportResult = { ruleId: 'size', level: 'error', title: 'size mismatch: struct a,b', message: 'size: 100%\nnow', loc: '/repo/inc/a.h:3:8', details: ['expanded from macro X at /repo/inc/b.h:1:9'] };
    const n: ReportResult = { ruleId: 'unresolved', level: 'note', title: 'not checked: x', message: 'x', loc: null };
    expect(renderGithub([r, n], { baseDir: BASE })).toBe(
      '::error file=inc/a.h,line=3,col=8,title=portabi size mismatch%3A struct a%2Cb::size: 100%25%0Anow%0Aexpanded from macro X at /repo/inc/b.h:1:9\n' +
        '::notice title=portabi not checked%3A x::x\n',
    );
  });
});

describe('markdown report', () => {
  it('puts a summary table first, then one <details> block per result', () => {
    const md = renderMarkdown(sampleFindings().map(findingToResult), { heading: 'portabi check' });
    const lines = md.split('\n');
    expect(lines[0]).toBe('### portabi check');
    expect(lines[2]).toBe('**2 errors, 1 warning, 1 note**');
    expect(lines[4]).toBe('| | item | field | check | expected | actual | where |');
    expect(lines[6]).toBe('| ❌ | `BIGU` |  | value | `1` | `4294967295` | `test/fixtures/check/probe-fixture.h:7:9` |');
    const firstDetails = md.indexOf('<details>');
    expect(firstDetails).toBeGreaterThan(md.lastIndexOf('| '));
    expect(md.match(/<details>/g)!.length).toBe(4);
    expect(md.match(/<\/details>/g)!.length).toBe(4);
    expect(md).toContain('<summary>❌ size mismatch: struct point</summary>');
    expect(md).toContain('- selected by #if defined(CONFIG_BIG) at test/fixtures/check/probe-fixture.h:1:2 (CONFIG_BIG = 1)');
  });
  it('keeps table cells intact', () => {
    const md = renderMarkdown([{ ruleId: 'signature', level: 'error', title: 't', message: 'm', loc: null, item: 'f', expected: 'int (*f(int|x))', actual: 'a`b' }], { heading: 'h' });
    expect(md).toContain('| `int (*f(int\\|x))` | ``a`b`` |');
  });
  it('says so when there is nothing', () => {
    expect(renderMarkdown([], { heading: 'h' })).toBe('### h\n\n✅ No findings.\n');
  });
});

describe('text report', () => {
  it('prints compiler-style lines and a summary, colour only on request', () => {
    const results = sampleFindings().map(findingToResult);
    const plain = renderText(results, { color: false, heading: 'portabi check' });
    expect(plain.split('\n')[0]).toBe('test/fixtures/check/probe-fixture.h:7:9: error: value of BIGU: profile 1, headers 4294967295 (unsigned int) [value]');
    expect(plain).toContain('    note: selected by #if defined(CONFIG_BIG)');
    expect(plain).toContain('targets/profiles/nuttx.yaml:9:3: warning: function close is not declared in the headers [missing]');
    expect(plain.trimEnd().split('\n').at(-1)).toBe('portabi check: 2 errors, 1 warning, 1 note');
    expect(plain).not.toContain('\x1b[');
    expect(renderText(results, { color: true })).toContain('\x1b[31m');
  });
});

describe('sarif report', () => {
  const schemaFile = new URL('../fixtures/sarif-schema-2.1.0.json', import.meta.url);

  it('locates results relative to the base directory', () => {
    const log = sarifLog(sampleFindings().map(findingToResult), { baseDir: '/work', cwd: '/work/proj', rules: CHECK_RULES, toolVersion: '0.1.0' }) as any;
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe('portabi');
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(CHECK_RULES.map((r) => r.id));
    const first = run.results[0];
    expect(first).toMatchObject({ ruleId: 'value', level: 'error', message: { text: 'value of BIGU: profile 1, headers 4294967295 (unsigned int)' } });
    expect(first.locations[0].physicalLocation).toEqual({ artifactLocation: { uri: 'proj/test/fixtures/check/probe-fixture.h', uriBaseId: 'SRCROOT' }, region: { startLine: 7, startColumn: 9 } });
    expect(run.results.find((r: { ruleId: string }) => r.ruleId === 'unresolved').locations).toBeUndefined();
    expect(run.originalUriBaseIds.SRCROOT.uri).toBe('file:///work/');
  });

  it.skipIf(!existsSync(schemaFile))('validates against the official SARIF 2.1.0 schema', async () => {
    // The OASIS schema is draft-04; Ajv 8 validates its keywords with the draft-04 meta-schema
    // check turned off (the schema uses no draft-04-only keyword semantics).
    const { default: Ajv } = await import('ajv');
    const { default: addFormats } = await import('ajv-formats');
    const schema = JSON.parse(readFileSync(schemaFile, 'utf8'));
    delete schema.$schema;
    delete schema.id;
    const ajv = new (Ajv as any)({ strict: false, validateSchema: false, allErrors: true });
    (addFormats as any)(ajv);
    const validate = ajv.compile(schema);
    const text = renderCheckReport('sarif', sampleFindings(), { target: 't', profile: 'p', baseDir: process.cwd(), toolVersion: '0.1.0' });
    const ok = validate(JSON.parse(text));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
    // …and the validator does reject a broken log.
    const broken = JSON.parse(text);
    broken.runs[0].results[0].level = 'fatal';
    expect(validate(broken)).toBe(false);
  });
});
