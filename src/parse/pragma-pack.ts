// `#pragma pack` (GCC / MSVC form): parse one pragma's text and track the state it sets.
// pack(n) sets, pack() resets, pack(push[, label][, n]) saves and optionally sets,
// pack(pop[, label | n]) restores; pack(show) changes nothing.

export interface PackAction {
  action: 'push' | 'pop' | 'set' | 'reset';
  value?: number;
  label?: string;
}

/** `text` is what follows `#pragma`, e.g. "pack(push, 1)". Null when not a pack pragma. */
export function parsePackPragma(text: string): PackAction | null {
  const m = /^\s*pack\s*\((.*)\)\s*$/.exec(text);
  if (!m) return null;
  const args = m[1]!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (args.length === 0) return { action: 'reset' };
  const num = (s: string | undefined) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : undefined);
  const first = args[0]!;
  if (first === 'push' || first === 'pop') {
    const out: PackAction = { action: first };
    for (const a of args.slice(1)) {
      const n = num(a);
      if (n !== undefined) out.value = n;
      else out.label = a;
    }
    return out;
  }
  if (first === 'show') return null;
  const n = num(first);
  return n === undefined ? null : n === 0 ? { action: 'reset' } : { action: 'set', value: n };
}

/** The `#pragma pack` stack as GCC and clang keep it. `current` is null when unpacked. */
export class PackState {
  current: number | null = null;
  private stack: { value: number | null; label?: string }[] = [];

  apply(a: PackAction): void {
    switch (a.action) {
      case 'set':
        this.current = a.value ?? null;
        break;
      case 'reset':
        this.current = null;
        break;
      case 'push':
        this.stack.push(a.label === undefined ? { value: this.current } : { value: this.current, label: a.label });
        if (a.value !== undefined) this.current = a.value || null;
        break;
      case 'pop': {
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
  }
}
