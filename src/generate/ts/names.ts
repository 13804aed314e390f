// TypeScript names for C declarations: tags (tag-names.ts), typedefs, prototypes, parameters.
// One scope allocates every module-level name the generated module exports, knowing the JS
// reserved words and every name the module itself declares (its imports, the runtime, load()).
import type { TranslationUnitIR } from '../../parse/ir.js';
import { runtimeBelowMarker } from '../runtime-source.js';
import { TagNames } from '../tag-names.js';

const RESERVED = new Set(
  (
    'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package ' +
    'private protected public await arguments eval undefined NaN Infinity any number string boolean bigint symbol never unknown object ' +
    'koffi load Library'
  ).split(' '),
);

/** Names the generated module declares at its top level besides the runtime's: its imports and
 *  load()'s surroundings. */
const MODULE_NAMES = ['koffi', 'Socket', 'osConstants', 'fileURLToPath', 'load', 'loaded', 'Library', 'DEFAULT_LIBRARY', 'DEFAULT_ISR_SHIM'];

let runtimeNames: Set<string> | null = null;
/** Every top-level name the runtime (copied into the module) declares. */
function runtimeTopLevel(): Set<string> {
  if (!runtimeNames) {
    runtimeNames = new Set();
    const text = runtimeBelowMarker('src/generate/runtime/runtime.ts');
    for (const m of text.matchAll(/^(?:export\s+)?(?:declare\s+)?(?:abstract\s+)?(?:const|let|var|function\*?|class|interface|type|enum)\s+([A-Za-z_$][\w$]*)/gm)) runtimeNames.add(m[1]!);
  }
  return runtimeNames;
}

/** A C name as an identifier: reserved words take a trailing `_`. */
export function safeIdent(name: string): string {
  return RESERVED.has(name) ? name + '_' : name;
}

/** A property or method name of the Library interface and object: quoted when it is a
 *  reserved word (`new()` in an interface would be a construct signature). */
export function memberName(name: string): string {
  return RESERVED.has(name) || !/^[A-Za-z_$][\w$]*$/.test(name) ? JSON.stringify(name) : name;
}

/** The module's one namespace: a name goes to the first declaration that claims it (per owner,
 *  claiming again gives the same name); later ones take trailing `_` until free. */
export class ModuleScope {
  private readonly used = new Set<string>([...RESERVED, ...MODULE_NAMES, ...runtimeTopLevel()]);
  private readonly byOwner = new Map<string, string>();

  /** The name of `owner` (a key such as `record:3`), `want` if free. */
  claim(want: string, owner: string): string {
    const hit = this.byOwner.get(owner);
    if (hit !== undefined) return hit;
    let n = want;
    while (this.used.has(n)) n += '_';
    this.used.add(n);
    this.byOwner.set(owner, n);
    return n;
  }

  /** A base name for a family of names (`${base}${suffix}` for each suffix), all free: the
   *  candidates are `next(i)` for i = 0, 1, ... */
  claimFamily(next: (i: number) => string, suffixes: (b: string) => string[], owner: string): string {
    const hit = this.byOwner.get(owner);
    if (hit !== undefined) return hit;
    for (let i = 0; ; i++) {
      const b = next(i);
      const all = suffixes(b);
      if (this.used.has(b) && !all.includes(b)) continue;
      if (all.some((n) => this.used.has(n))) continue;
      for (const n of all) this.used.add(n);
      this.byOwner.set(owner, b);
      return b;
    }
  }

  has(name: string): boolean {
    return this.used.has(name);
  }
}

/** Tag- and typedef-derived names, made safe identifiers and unique in the module. */
export class TsNames extends TagNames {
  constructor(
    ir: TranslationUnitIR,
    readonly scope: ModuleScope = new ModuleScope(),
  ) {
    super(ir, safeIdent, safeIdent);
  }

  override record(id: number): string {
    const rid = this.recordId(id);
    const base = super.record(rid);
    // A record's name is its interface; `${name}$type` and `${name}_bits` go with it.
    return this.scope.claimFamily((i) => base + '_'.repeat(i), (b) => [b, `${b}$type`, `${b}_bits`], `record:${rid}`);
  }

  override enumName(id: number): string {
    const base = super.enumName(id);
    return this.scope.claim(base, `enum:${id}`);
  }

  /** The name a typedef is emitted under. */
  typedef(name: string): string {
    return this.scope.claim(safeIdent(name), `typedef:${name}`);
  }
}
