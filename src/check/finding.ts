// A Finding is one disagreement between a profile (what a binding assumes) and the ABI model
// (what the headers define). Findings are values; reporters (report/*.ts) turn them into text.
import type { Provenance } from '../abi/model.js';

export type FindingKind =
  | 'size'
  | 'align'
  | 'offset'
  | 'field-size'
  | 'value'
  | 'sign'
  | 'bytes'
  | 'signature'
  | 'missing'
  | 'unresolved';

export const FINDING_KINDS: readonly FindingKind[] = [
  'size', 'align', 'offset', 'field-size', 'value', 'sign', 'bytes', 'signature', 'missing', 'unresolved',
];

/** The same three levels SARIF uses, so the mapping is the identity. */
export type FindingSeverity = 'error' | 'warning' | 'note';

export interface Finding {
  kind: FindingKind;
  severity: FindingSeverity;
  /** C spelling of the item as resolved in the headers (for types: the candidate that matched),
   *  or the profile's key when nothing matched. */
  item: string;
  /** Field (C access name) for offset / field-size / missing-field findings. */
  field?: string;
  /** What the profile says: decimal string, lowercase hex bytes, or a C prototype. */
  expected?: string;
  /** What the headers say, in the same form. Absent for 'missing' and 'unresolved'. */
  actual?: string;
  /** For size / align / offset / field-size: the unit of expected/actual. */
  unit?: 'bytes' | 'bits';
  /** One line, self-contained: "size of struct stat: profile 144, headers 128 bytes". */
  message: string;
  /** file:line:col of the definition in the headers (from the model), when there is one. */
  loc: string | null;
  /** file:line:col where the profile states the expectation, when the profile was loaded from a file. */
  profileLoc?: string;
  /** How the headers arrived at the definition: macro chain, #if conditions. */
  why?: Provenance;
  /** The binding's name for the item, when the profile records it. */
  rustName?: string;
}

// ---- severity ordering and --fail-on --------------------------------------------------------

const RANK: Record<FindingSeverity, number> = { note: 0, warning: 1, error: 2 };

export function severityRank(s: FindingSeverity): number {
  return RANK[s];
}

/** `--fail-on`: the lowest severity that fails the run; 'none' never fails. */
export type FailOn = FindingSeverity | 'none';

export const FAIL_ON_VALUES: readonly FailOn[] = ['error', 'warning', 'note', 'none'];

export function parseFailOn(s: string): FailOn | null {
  return (FAIL_ON_VALUES as readonly string[]).includes(s) ? (s as FailOn) : null;
}

/** True when some finding is at or above `failOn`. */
export function failsOn(findings: readonly { severity: FindingSeverity }[], failOn: FailOn): boolean {
  if (failOn === 'none') return false;
  return findings.some((f) => RANK[f.severity] >= RANK[failOn]);
}

/** Exit code for a check run: 0 clean, 1 findings at or above fail-on. (2, usage or input
 *  error, is the CLI's own.) */
export function exitCodeFor(findings: readonly { severity: FindingSeverity }[], failOn: FailOn): 0 | 1 {
  return failsOn(findings, failOn) ? 1 : 0;
}

export function countBySeverity(findings: readonly { severity: FindingSeverity }[]): Record<FindingSeverity, number> {
  const out: Record<FindingSeverity, number> = { error: 0, warning: 0, note: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

/** Plain code-point comparison: deterministic across locales. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Deterministic finding order: item, field (none first), kind, then message. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    compareStrings(a.item, b.item) ||
    compareStrings(a.field ?? '', b.field ?? '') ||
    compareStrings(a.kind, b.kind) ||
    compareStrings(a.message, b.message)
  );
}

// ---- locations and provenance as text --------------------------------------------------------

export interface ParsedLoc {
  file: string;
  line: number;
  col: number;
}

/** "file:line:col" (or "file:line") → parts; the file may itself contain ':'. */
export function parseLocString(loc: string | null | undefined): ParsedLoc | null {
  if (!loc) return null;
  let m = /^(.*):(\d+):(\d+)$/.exec(loc);
  if (m) return { file: m[1]!, line: Number(m[2]), col: Number(m[3]) };
  m = /^(.*):(\d+)$/.exec(loc);
  if (m) return { file: m[1]!, line: Number(m[2]), col: 1 };
  return null;
}

/** The provenance chain as lines of text, outermost first:
 *    expanded from macro FOO at a.h:3:9
 *    selected by #if defined(CONFIG_X) at b.h:10:2 (CONFIG_X = 1)                          */
export function formatWhy(why: Provenance | undefined): string[] {
  if (!why) return [];
  const out: string[] = [];
  for (const step of why.chain ?? []) out.push(`expanded from macro ${step.macro} at ${step.loc}`);
  for (const c of why.conditions ?? []) {
    const tested = c.tested.map((t) => `${t.name} = ${t.value === null ? 'undefined' : t.value}`).join(', ');
    out.push(`selected by #${c.directive} ${c.text} at ${c.loc}${tested ? ` (${tested})` : ''}`);
  }
  return out;
}
