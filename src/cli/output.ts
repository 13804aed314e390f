// Writing results: diagnostics to stderr, documents to stdout or to a file atomically
// (temp file + rename, so a crash never leaves a half-written output). Light: `diff` loads it
// at start-up; JSON/YAML rendering, which loads YAML, is in render.ts.
import { renameSync, writeFileSync } from 'node:fs';
import { formatDiagnostic, type Diagnostic } from '../parse/diagnostics.js';

export function printDiagnostics(diags: readonly Diagnostic[], minSeverity: 'note' | 'warning' | 'error' = 'note'): void {
  const rank = { note: 0, warning: 1, error: 2, fatal: 3 } as const;
  for (const d of diags) if (rank[d.severity] >= rank[minSeverity]) process.stderr.write(formatDiagnostic(d) + '\n');
}

export function hasFatal(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'fatal');
}

/** stdout, or a file written atomically (temp file + rename). */
export function writeOutput(text: string, file: string | undefined): void {
  if (!file) {
    process.stdout.write(text);
    return;
  }
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}
