// -D and -U as the compilers apply them: in command-line order (`-U_FORTIFY_SOURCE
// -D_FORTIFY_SOURCE=2` defines it). The order comes as PreprocessOptions.macroOrder; entries
// past it (added by a caller after the command line) follow, -D then -U, and so does all when
// there is no order.
import type { PreprocessOptions } from './pp-types.js';

export type CommandLineMacro = { op: 'D'; name: string; value: string } | { op: 'U'; name: string };

export function commandLineMacros(o: Pick<PreprocessOptions, 'defines' | 'undefines' | 'macroOrder'>): CommandLineMacro[] {
  const out: CommandLineMacro[] = [];
  let nd = 0;
  let nu = 0;
  for (const op of o.macroOrder ?? []) {
    if (op === 'D' && nd < o.defines.length) out.push({ op: 'D', ...o.defines[nd++]! });
    else if (op === 'U' && nu < o.undefines.length) out.push({ op: 'U', name: o.undefines[nu++]! });
  }
  for (; nd < o.defines.length; nd++) out.push({ op: 'D', ...o.defines[nd]! });
  for (; nu < o.undefines.length; nu++) out.push({ op: 'U', name: o.undefines[nu]! });
  return out;
}
