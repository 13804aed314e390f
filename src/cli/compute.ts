// The shared start of the header commands, over the flags of input-options.ts: flags → input,
// missing files checked, then the front end or the whole pipeline run, diagnostics printed.
import { computeAbi, loadInputTarget, type Computed, type InputOptions } from '../pipeline.js';
import type { Target } from '../abi/target-types.js';
import type { MacroValueOptions } from '../abi/macro-values.js';
import { inputOptionsFrom, missingInputs } from './input-options.js';
import { inputFailed, printDiagnostics } from './output.js';

/**
 * Flags → input, missing files checked, ABI computed, diagnostics printed. Returns null (after
 * setting exit 2) when there is nothing to work on.
 */
export function computeForCommand(
  headers: string[],
  o: Record<string, unknown>,
  setExit: (code: number) => void,
  adjust?: (input: InputOptions) => void,
  macroOpts?: MacroValueOptions,
): Computed | null {
  const input = inputOptionsFrom(headers, o);
  adjust?.(input);
  const missing = missingInputs(input);
  const r = missing.length ? ({ ok: false, diagnostics: missing } as const) : computeAbi(input, macroOpts);
  if (!r.ok) {
    printDiagnostics(r.diagnostics);
    setExit(2);
    return null;
  }
  printDiagnostics(r.value.diagnostics, 'warning');
  if (inputFailed(r.value.diagnostics)) {
    setExit(2);
    return null;
  }
  return r.value;
}

/** The start of the commands that need only the front end: flags → input, missing files
 *  checked, target loaded. Returns null (after setting exit 2) when there is nothing to do. */
export function inputAndTargetForCommand(
  headers: string[],
  o: Record<string, unknown>,
  setExit: (code: number) => void,
): { input: InputOptions; target: Target } | null {
  const input = inputOptionsFrom(headers, o);
  const missing = missingInputs(input);
  const t = missing.length ? ({ ok: false, diagnostics: missing } as const) : loadInputTarget(input.target);
  if (!t.ok) {
    printDiagnostics(t.diagnostics);
    setExit(2);
    return null;
  }
  return { input, target: t.value };
}
