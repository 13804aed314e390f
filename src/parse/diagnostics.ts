// Diagnostics are values: every phase collects them with a location and returns them;
// nothing is thrown across a phase boundary.

export interface Loc {
  file: string;
  line: number; // 1-based
  col: number; // 1-based, in bytes of the source line
}

export type Severity = 'fatal' | 'error' | 'warning' | 'note';

export interface Diagnostic {
  severity: Severity;
  message: string;
  loc: Loc | null;
  /** Short machine-readable code, e.g. 'include-cycle', 'macro-bomb', 'pp-error'. */
  code?: string;
}

export function formatLoc(loc: Loc | null): string {
  return loc ? `${loc.file}:${loc.line}:${loc.col}` : '<unknown>';
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${formatLoc(d.loc)}: ${d.severity}: ${d.message}`;
}

export function diag(severity: Severity, message: string, loc: Loc | null, code?: string): Diagnostic {
  return code === undefined ? { severity, message, loc } : { severity, message, loc, code };
}
