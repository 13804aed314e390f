// Writing results: diagnostics to stderr, documents to stdout or to a file atomically
// (temp file + rename, so a crash never leaves a half-written output). Light: `diff` loads it
// at start-up; JSON/YAML rendering, which loads YAML, is in render.ts.
import { writeFileAtomic, writeStdout } from '../write-file.js';
import { formatDiagnostic, type Diagnostic } from '../parse/diagnostics.js';

export function printDiagnostics(diags: readonly Diagnostic[], minSeverity: 'note' | 'warning' | 'error' = 'note'): void {
  const rank = { note: 0, warning: 1, error: 2, fatal: 3 } as const;
  for (const d of diags) if (rank[d.severity] >= rank[minSeverity]) process.stderr.write(formatDiagnostic(d) + '\n');
}

/**
 * Whether the input failed: an error or a fatal diagnostic. A header the target's compiler
 * rejects has no ABI to report (clang and gcc stop too), so every header command exits 2 and
 * writes no document; warnings and notes never fail a run.
 */
export function inputFailed(diags: readonly Diagnostic[]): boolean {
  return diags.some((d) => d.severity === 'error' || d.severity === 'fatal');
}

/**
 * stdout, or a file written atomically (src/write-file.ts: temp file + rename; symlinks
 * followed; a FIFO, a device or /dev/stdout written directly). A file that cannot be written
 * throws WriteError (`<file>: error: cannot write: <reason>`), which main() reports, exit 2.
 * stdout that fails stops the run (src/write-file.ts stdoutFailed: quietly, 141, on EPIPE;
 * else one line, exit 2).
 */
export function writeOutput(text: string, file: string | undefined): void {
  if (!file) {
    writeStdout(text);
    return;
  }
  writeFileAtomic(file, text);
}
