// `#pragma pack` (GCC / MSVC form): parse one pragma's text and track the state it sets.
// pack(n) sets, pack() resets, pack(push[, label][, n]) saves and optionally sets,
// pack(pop[, label | n]) restores; pack(show) changes nothing. A pragma clang ignores is
// ignored here too, with clang's warning (-Wignored-pragmas): a malformed one, an alignment
// that is not 0, 1, 2, 4, 8 or 16, a pop from an empty stack (which still sets its value).

export interface PackAction {
  action: 'push' | 'pop' | 'set' | 'reset';
  value?: number;
  label?: string;
}

/** clang's warning for an alignment it ignores (Sema::ActOnPragmaPack). */
export const PACK_ALIGNMENT_WARNING = "expected #pragma pack parameter to be '1', '2', '4', '8', or '16'";

/** A C integer constant as the pragma's alignment (clang reads it as an integer literal). */
function literal(s: string): number | undefined {
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)[uUlL]*$/.exec(s);
  if (!m) return undefined;
  const d = m[1]!;
  return Number(/^0[0-7]+$/.test(d) ? BigInt('0o' + d.slice(1)) : BigInt(d));
}

const IDENT = /^[A-Za-z_]\w*$/;

/** The action of a pack pragma, or clang's warning for a malformed one; null when `text` (what
 *  follows `#pragma`) is not a pack pragma or is pack(show). */
function readPackPragma(text: string): PackAction | { malformed: string } | null {
  if (!/^\s*pack\b/.test(text)) return null;
  const m = /^\s*pack\s*\((.*)$/s.exec(text);
  if (!m) return { malformed: "missing '(' after '#pragma pack' - ignoring" };
  const close = m[1]!.indexOf(')');
  if (close < 0 || m[1]!.slice(close + 1).trim() !== '') return { malformed: "missing ')' after '#pragma pack' - ignoring" };
  const inner = m[1]!.slice(0, close).trim();
  if (inner === '') return { action: 'reset' };
  const args = inner.split(',').map((s) => s.trim());
  const first = args[0]!;
  const n = literal(first);
  if (n !== undefined) {
    if (args.length > 1) return { malformed: "missing ')' after '#pragma pack' - ignoring" };
    return n === 0 ? { action: 'reset' } : { action: 'set', value: n };
  }
  if (first === 'show') return args.length === 1 ? null : { malformed: "missing ')' after '#pragma pack' - ignoring" };
  if (first !== 'push' && first !== 'pop') {
    return IDENT.test(first) ? { malformed: "unknown action for '#pragma pack' - ignored" } : { malformed: "missing ')' after '#pragma pack' - ignoring" };
  }
  const out: PackAction = { action: first };
  const rest = args.slice(1);
  if (rest.length === 0) return out;
  const v0 = literal(rest[0]!);
  if (v0 !== undefined) {
    if (rest.length > 1) return { malformed: "missing ')' after '#pragma pack' - ignoring" };
    out.value = v0;
    return out;
  }
  if (!IDENT.test(rest[0]!)) return { malformed: "expected integer or identifier in '#pragma pack' - ignored" };
  out.label = rest[0]!;
  if (rest.length === 1) return out;
  const v1 = literal(rest[1]!);
  if (v1 === undefined) return { malformed: "expected integer or identifier in '#pragma pack' - ignored" };
  if (rest.length > 2) return { malformed: "missing ')' after '#pragma pack' - ignoring" };
  out.value = v1;
  return out;
}

/** `text` is what follows `#pragma`, e.g. "pack(push, 1)". Null when not a pack pragma, when
 *  it is pack(show), or when it is malformed (packPragmaProblem says how). */
export function parsePackPragma(text: string): PackAction | null {
  const r = readPackPragma(text);
  return r && 'action' in r ? r : null;
}

/** clang's warning for a malformed pack pragma; null when `text` is not one. */
export function packPragmaProblem(text: string): string | null {
  const r = readPackPragma(text);
  return r && 'malformed' in r ? r.malformed : null;
}

/** The `#pragma pack` stack as GCC and clang keep it. `current` is null when unpacked. */
export class PackState {
  current: number | null = null;
  private stack: { value: number | null; label?: string }[] = [];

  /** Applies one pragma; returns clang's warnings for it (an ignored alignment, a pop that
   *  found the stack empty). */
  apply(a: PackAction): string[] {
    // clang ignores the whole pragma when its alignment is not 0 or a power of two up to 16.
    if (a.value !== undefined && !(a.value === 0 || (a.value <= 16 && (a.value & (a.value - 1)) === 0))) return [PACK_ALIGNMENT_WARNING];
    const warnings: string[] = [];
    switch (a.action) {
      case 'set':
        this.current = a.value || null;
        break;
      case 'reset':
        this.current = null;
        break;
      case 'push':
        this.stack.push(a.label === undefined ? { value: this.current } : { value: this.current, label: a.label });
        if (a.value !== undefined) this.current = a.value || null;
        break;
      case 'pop': {
        if (a.label !== undefined && a.value !== undefined) warnings.push("specifying both a name and alignment to 'pop' is undefined");
        if (this.stack.length === 0) warnings.push('#pragma pack(pop, ...) failed: stack empty');
        if (a.label !== undefined) {
          const i = this.stack.map((e) => e.label).lastIndexOf(a.label);
          if (i >= 0) {
            this.current = this.stack[i]!.value;
            this.stack.length = i;
          }
        } else {
          const top = this.stack.pop();
          if (top) this.current = top.value;
        }
        if (a.value !== undefined) this.current = a.value || null;
        break;
      }
    }
    return warnings;
  }
}
