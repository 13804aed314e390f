// Hidesets (Prosser's algorithm; the standard's "painted blue" rule as data, C17 6.10.3.4):
// the set of macro names a token may no longer be expanded by. Hidesets are immutable and
// interned, so union and intersection results are cached and tokens share them.

export class Hideset {
  private readonly addCache = new Map<string, Hideset>();
  private readonly unionCache = new Map<Hideset, Hideset>();
  private readonly interCache = new Map<Hideset, Hideset>();
  private constructor(
    /** Sorted, distinct names. */
    readonly names: readonly string[],
    private readonly set: ReadonlySet<string>,
    private readonly table: Map<string, Hideset>,
  ) {}

  static empty(): Hideset {
    const table = new Map<string, Hideset>();
    const e = new Hideset([], new Set(), table);
    table.set('', e);
    return e;
  }

  has(name: string): boolean {
    return this.set.has(name);
  }

  get size(): number {
    return this.names.length;
  }

  private make(names: string[]): Hideset {
    const key = names.join('\0');
    let h = this.table.get(key);
    if (!h) {
      h = new Hideset(names, new Set(names), this.table);
      this.table.set(key, h);
    }
    return h;
  }

  add(name: string): Hideset {
    if (this.set.has(name)) return this;
    let h = this.addCache.get(name);
    if (!h) {
      h = this.make([...this.names, name].sort());
      this.addCache.set(name, h);
    }
    return h;
  }

  union(o: Hideset): Hideset {
    if (o === this || o.names.length === 0) return this;
    if (this.names.length === 0) return o;
    let h = this.unionCache.get(o);
    if (!h) {
      const s = new Set(this.names);
      for (const n of o.names) s.add(n);
      h = this.make([...s].sort());
      this.unionCache.set(o, h);
    }
    return h;
  }

  intersect(o: Hideset): Hideset {
    if (o === this) return this;
    if (this.names.length === 0 || o.names.length === 0) return this.make([]);
    let h = this.interCache.get(o);
    if (!h) {
      h = this.make(this.names.filter((n) => o.set.has(n)));
      this.interCache.set(o, h);
    }
    return h;
  }
}
