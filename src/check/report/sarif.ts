// SARIF 2.1.0 (OASIS) log of report results: one run, tool.driver "portabi" with one rule per
// result kind, each result located at its file:line:col. Artifact URIs are relative to
// `baseDir` (under uriBaseId SRCROOT) when the file is inside it, absolute file: URIs otherwise.
// Validated against the official schema in test/check/report-sarif.test.ts.
import { createHash } from 'node:crypto';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseLocString } from '../finding.js';
import type { ReportResult, ReportRule } from './result.js';

export interface SarifOptions {
  /** Directory artifact URIs are made relative to (the repository root). */
  baseDir: string;
  rules: readonly ReportRule[];
  toolVersion: string;
  informationUri?: string;
  /** Relative file names in locations are resolved against this. Default: baseDir. */
  cwd?: string;
}

type Json = Record<string, unknown>;

export function sarifArtifactLocation(file: string, opts: Pick<SarifOptions, 'baseDir' | 'cwd'>): Json {
  const abs = resolve(opts.cwd ?? opts.baseDir, file);
  const rel = relative(resolve(opts.baseDir), abs);
  if (rel && !rel.startsWith('..') && !isAbsolute(rel)) {
    return { uri: rel.split(sep).map(encodeURIComponent).join('/'), uriBaseId: 'SRCROOT' };
  }
  return { uri: pathToFileURL(abs).href };
}

function physical(loc: string, opts: SarifOptions): Json | null {
  const p = parseLocString(loc);
  if (!p) return null;
  return { artifactLocation: sarifArtifactLocation(p.file, opts), region: { startLine: Math.max(1, p.line), startColumn: Math.max(1, p.col) } };
}

export function sarifLog(results: readonly ReportResult[], opts: SarifOptions): Json {
  const ruleIndex = new Map(opts.rules.map((r, i) => [r.id, i]));
  const driver: Json = {
    name: 'portabi',
    version: opts.toolVersion,
    rules: opts.rules.map((r) => ({
      id: r.id,
      name: r.name,
      shortDescription: { text: r.shortDescription },
      ...(r.fullDescription ? { fullDescription: { text: r.fullDescription } } : {}),
      defaultConfiguration: { level: r.defaultLevel },
    })),
  };
  if (opts.informationUri) driver.informationUri = opts.informationUri;

  const sarifResults = results.map((r) => {
    const out: Json = { ruleId: r.ruleId };
    const idx = ruleIndex.get(r.ruleId);
    if (idx !== undefined) out.ruleIndex = idx;
    out.level = r.level;
    out.message = { text: r.message };
    const pl = r.loc ? physical(r.loc, opts) : null;
    if (pl) out.locations = [{ physicalLocation: pl }];
    const related = (r.related ?? [])
      .map((x) => ({ x, pl: physical(x.loc, opts) }))
      .filter((y) => y.pl !== null)
      .map((y, i) => ({ id: i, physicalLocation: y.pl, message: { text: y.x.message } }));
    if (related.length) out.relatedLocations = related;
    const identity = [r.ruleId, r.item ?? '', r.field ?? '', r.item ? '' : r.message].join('\u0000');
    out.partialFingerprints = { 'portabiItem/v1': createHash('sha256').update(identity).digest('hex').slice(0, 32) };
    const props: Json = {};
    for (const k of ['item', 'field', 'expected', 'actual'] as const) if (r[k] !== undefined) props[k] = r[k];
    if (r.details?.length) props.details = r.details;
    if (Object.keys(props).length) out.properties = props;
    return out;
  });

  const run: Json = { tool: { driver }, results: sarifResults, columnKind: 'utf16CodeUnits' };
  run.originalUriBaseIds = { SRCROOT: { uri: pathToFileURL(resolve(opts.baseDir)).href.replace(/\/?$/, '/') } };
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [run],
  };
}

export function renderSarif(results: readonly ReportResult[], opts: SarifOptions): string {
  return JSON.stringify(sarifLog(results, opts), null, 2) + '\n';
}
