// Writing results: diagnostics to stderr, documents to stdout or to a file atomically
// (temp file + rename, so a crash never leaves a half-written output).
import { renameSync, writeFileSync } from 'node:fs';
import { stringify } from 'yaml';
import { formatDiagnostic, type Diagnostic } from '../parse/diagnostics.js';

export function printDiagnostics(diags: readonly Diagnostic[], minSeverity: 'note' | 'warning' | 'error' = 'note'): void {
  const rank = { note: 0, warning: 1, error: 2, fatal: 3 } as const;
  for (const d of diags) if (rank[d.severity] >= rank[minSeverity]) process.stderr.write(formatDiagnostic(d) + '\n');
}

export function hasFatal(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'fatal');
}

/**
 * JSON or YAML text of a value. `plain` says the value holds only JSON types (the ABI model
 * does, by contract): JSON.stringify then runs without a replacer, which is several times
 * faster on a model of megabytes. Otherwise bigints print as decimal and Maps as objects.
 */
export function render(value: unknown, format: string, plain = false): string {
  if (format === 'yaml') return stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });
  if (plain) return JSON.stringify(value, null, 2) + '\n';
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Map ? Object.fromEntries(v) : v), 2) + '\n';
}

export function writeOutput(text: string, file: string | undefined): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
