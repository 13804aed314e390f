// Kconfig `.config` files → macro definitions, with NuttX `tools/mkconfig` semantics for
// y/n/numbers/strings and the Linux autoconf.h rule for tristate `m`:
//   CONFIG_X=y              → #define CONFIG_X 1
//   CONFIG_X=m              → #define CONFIG_X_MODULE 1
//   CONFIG_X=n              → (not defined)
//   CONFIG_X=123 / 0x10     → #define CONFIG_X 123 / 0x10
//   CONFIG_X="text"         → #define CONFIG_X "text"
//   # CONFIG_X is not set   → (not defined)
// Comments and blank lines are ignored; any other line is a located diagnostic.
import type { Diagnostic, Loc } from './diagnostics.js';
import { diag } from './diagnostics.js';
import { quoteExcerpt } from './input-file.js';

export interface KconfigEntry {
  name: string;
  /** Macro body text, or null when the option is explicitly not set. */
  value: string | null;
  loc: Loc;
}

export function parseKconfig(text: string, file: string, diags: Diagnostic[]): KconfigEntry[] {
  const out: KconfigEntry[] = [];
  // A NUL byte: not a text file (an object file, an image given by mistake). One diagnostic,
  // not one per "line" of binary.
  const nul = text.indexOf('\0');
  if (nul >= 0) {
    const line = text.slice(0, nul).split('\n').length;
    const col = nul - text.lastIndexOf('\n', nul - 1);
    diags.push(diag('error', 'not a Kconfig file: it holds a NUL byte (a binary file?)', { file, line, col }, 'kconfig'));
    return out;
  }
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k]!.replace(/\r$/, '');
    const line = raw.trim();
    const col = raw.length - raw.trimStart().length + 1;
    const loc: Loc = { file, line: k + 1, col };
    if (line === '') continue;
    if (line.startsWith('#')) {
      const m = /^#\s*([A-Za-z_][A-Za-z0-9_]*) is not set\s*$/.exec(line);
      if (m) out.push({ name: m[1]!, value: null, loc });
      continue;
    }
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(line);
    if (!m) {
      diags.push(diag('error', `malformed Kconfig line: ${quoteExcerpt(line)}`, loc, 'kconfig'));
      continue;
    }
    const name = m[1]!;
    const value = m[2]!.trim();
    if (value === 'y') out.push({ name, value: '1', loc });
    else if (value === 'm') out.push({ name: name + '_MODULE', value: '1', loc });
    else if (value === 'n' || value === '') out.push({ name, value: null, loc });
    else if (/^-?(0[xX][0-9a-fA-F]+|[0-9]+)$/.test(value)) out.push({ name, value, loc });
    else if (/^"(?:[^"\\]|\\.)*"$/.test(value)) out.push({ name, value, loc });
    else {
      diags.push(diag('error', `malformed Kconfig value for ${name}: ${quoteExcerpt(value)}`, { file, line: k + 1, col: raw.indexOf('=') + 2 }, 'kconfig'));
    }
  }
  return out;
}
