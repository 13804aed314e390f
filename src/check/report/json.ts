// Machine-readable check report. A contract (targets/profiles/SCHEMA.md, "JSON report"):
//   { schemaVersion, target, profile, findings: [ { kind, severity, item, field, expected,
//     actual, unit, message, loc, profileLoc, why, rustName } ] }
// Every finding has every key; absent values are null. Bump JSON_REPORT_SCHEMA_VERSION on any
// change that removes or re-means a key.
import type { Provenance } from '../../abi/model.js';
import type { Finding, FindingKind, FindingSeverity } from '../finding.js';

export const JSON_REPORT_SCHEMA_VERSION = 1;

export interface JsonFinding {
  kind: FindingKind;
  severity: FindingSeverity;
  item: string;
  field: string | null;
  expected: string | null;
  actual: string | null;
  unit: 'bytes' | 'bits' | null;
  message: string;
  loc: string | null;
  profileLoc: string | null;
  why: Provenance | null;
  rustName: string | null;
}

export interface JsonReport {
  schemaVersion: number;
  target: string;
  profile: string;
  /** What was checked (`portabi check` adds it): `{ scope, checked, notInHeaders }`. */
  scope?: { scope: string; checked: number; notInHeaders: number };
  findings: JsonFinding[];
}

export function toJsonFinding(f: Finding): JsonFinding {
  return {
    kind: f.kind,
    severity: f.severity,
    item: f.item,
    field: f.field ?? null,
    expected: f.expected ?? null,
    actual: f.actual ?? null,
    unit: f.unit ?? null,
    message: f.message,
    loc: f.loc ?? null,
    profileLoc: f.profileLoc ?? null,
    why: f.why ?? null,
    rustName: f.rustName ?? null,
  };
}

export function jsonReport(findings: readonly Finding[], ctx: { target: string; profile: string; scope?: JsonReport['scope'] }): JsonReport {
  return {
    schemaVersion: JSON_REPORT_SCHEMA_VERSION,
    target: ctx.target,
    profile: ctx.profile,
    ...(ctx.scope ? { scope: { scope: ctx.scope.scope, checked: ctx.scope.checked, notInHeaders: ctx.scope.notInHeaders } } : {}),
    findings: findings.map(toJsonFinding),
  };
}

export function renderJson(findings: readonly Finding[], ctx: { target: string; profile: string; scope?: JsonReport['scope'] }): string {
  return JSON.stringify(jsonReport(findings, ctx), null, 2) + '\n';
}
