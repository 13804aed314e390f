// What the sarif, github, markdown and text reporters draw: a generic result, so that `check`
// findings and (later) `diff` changes share one plumbing. A feature converts its own values
// into ReportResults and passes its rules; reporters know nothing about profiles.
import { formatWhy, type Finding, type FindingSeverity } from '../finding.js';

export interface ReportRule {
  /** Stable id: the finding kind for check ('size', 'missing', …). */
  id: string;
  /** PascalCase name for SARIF (`SizeMismatch`). */
  name: string;
  shortDescription: string;
  fullDescription?: string;
  defaultLevel: FindingSeverity;
}

export interface ReportResult {
  ruleId: string;
  level: FindingSeverity;
  /** Short heading, e.g. "size mismatch: struct stat". */
  title: string;
  /** One line. */
  message: string;
  /** file:line:col of the primary location, or null. */
  loc: string | null;
  /** Other places worth showing (the profile line, the macro definition…). */
  related?: { loc: string; message: string }[];
  /** Extra lines: provenance, hints. */
  details?: string[];
  /** Columns for tables (markdown) and SARIF result properties. */
  item?: string;
  field?: string;
  expected?: string;
  actual?: string;
}

export const CHECK_RULES: readonly ReportRule[] = [
  { id: 'size', name: 'SizeMismatch', shortDescription: 'Type size differs from the profile', fullDescription: 'sizeof the type in the headers is not what the binding assumes.', defaultLevel: 'error' },
  { id: 'align', name: 'AlignmentMismatch', shortDescription: 'Type alignment differs from the profile', fullDescription: '_Alignof the type in the headers is not what the binding assumes.', defaultLevel: 'error' },
  { id: 'offset', name: 'OffsetMismatch', shortDescription: 'Field offset differs from the profile', fullDescription: 'offsetof (or the bit offset of a bit-field) in the headers is not what the binding assumes.', defaultLevel: 'error' },
  { id: 'field-size', name: 'FieldSizeMismatch', shortDescription: 'Field width differs from the profile', fullDescription: 'The width in bits of a field in the headers is not what the binding assumes.', defaultLevel: 'error' },
  { id: 'value', name: 'ConstantValueMismatch', shortDescription: 'Constant value differs from the profile', fullDescription: 'The value of a macro or enumerator in the headers is not what the binding assumes.', defaultLevel: 'error' },
  { id: 'sign', name: 'ConstantSignMismatch', shortDescription: 'Constant has the same bits as the profile but the other sign', fullDescription: "The binding's value and the header's are the same bits in the binding's type (e.g. int -2147483648 and unsigned 2147483648): correct at that width, but they widen differently (sign extension into a wider parameter).", defaultLevel: 'warning' },
  { id: 'bytes', name: 'InitializerBytesMismatch', shortDescription: 'Initializer object image differs from the profile', fullDescription: 'The bytes an initializer macro produces (e.g. PTHREAD_MUTEX_INITIALIZER) are not what the binding assumes.', defaultLevel: 'error' },
  { id: 'signature', name: 'SignatureMismatch', shortDescription: 'Function prototype differs from the profile', fullDescription: 'The prototype declared in the headers is not what the binding assumes.', defaultLevel: 'error' },
  { id: 'missing', name: 'MissingItem', shortDescription: 'Item expected by the profile is absent from the headers', fullDescription: 'The binding assumes an item (type, field, constant, initializer, function) the headers do not define; a warning when the profile marks it optional.', defaultLevel: 'error' },
  { id: 'unresolved', name: 'UnresolvedItem', shortDescription: 'Profile item its producer could not resolve', fullDescription: 'The profile producer (e.g. the Rust libc importer) could not resolve this item, so it was not checked.', defaultLevel: 'note' },
];

const KIND_TITLE: Record<string, string> = {
  size: 'size mismatch',
  align: 'alignment mismatch',
  offset: 'offset mismatch',
  'field-size': 'field width mismatch',
  value: 'value mismatch',
  sign: 'sign mismatch',
  bytes: 'initializer bytes mismatch',
  signature: 'prototype mismatch',
  missing: 'missing',
  unresolved: 'not checked',
};

/** One check finding as a report result: located at the header definition when there is one,
 *  else at the profile's line; the other place becomes a related location. */
export function findingToResult(f: Finding): ReportResult {
  const subject = f.field !== undefined ? `${f.item}.${f.field}` : f.item;
  const r: ReportResult = {
    ruleId: f.kind,
    level: f.severity,
    title: `${KIND_TITLE[f.kind] ?? f.kind}: ${subject}`,
    message: f.message,
    loc: f.loc ?? f.profileLoc ?? null,
    item: f.item,
  };
  if (f.field !== undefined) r.field = f.field;
  if (f.expected !== undefined) r.expected = f.unit === 'bits' ? `${f.expected} bits` : f.expected;
  if (f.actual !== undefined) r.actual = f.unit === 'bits' ? `${f.actual} bits` : f.actual;
  const related: { loc: string; message: string }[] = [];
  if (f.loc && f.profileLoc) related.push({ loc: f.profileLoc, message: 'the profile states this here' });
  for (const step of f.why?.chain ?? []) related.push({ loc: step.loc, message: `macro ${step.macro}` });
  for (const c of f.why?.conditions ?? []) related.push({ loc: c.loc, message: `#${c.directive} ${c.text}` });
  if (related.length) r.related = related;
  const details = formatWhy(f.why);
  if (f.profileLoc) details.push(`profile: ${f.profileLoc}`);
  if (f.rustName) details.push(`Rust name: ${f.rustName}`);
  if (details.length) r.details = details;
  return r;
}

/** Summary counts line: "2 errors, 1 warning, 0 notes". */
export function summaryLine(results: readonly { level: FindingSeverity }[]): string {
  const c = { error: 0, warning: 0, note: 0 };
  for (const r of results) c[r.level]++;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(c.error, 'error')}, ${plural(c.warning, 'warning')}, ${plural(c.note, 'note')}`;
}
