// The crate as rustc sees it for one target: modules loaded from files (`mod x;` → x.rs or
// x/mod.rs, `#[path]`), items whose cfg holds (including `cfg_if!` branches and the crate's
// item macros), and name resolution through `use` and glob re-exports.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { inputProblemMessage, readInputFile } from '../../parse/input-file.js';
import { effectiveAttrs, evalCfg, itemEnabled, type CfgSet } from './cfg.js';
import type { Meta } from './meta.js';
import { parseItems, type RItem, type SrcLoc, type Vis } from './rust-ast.js';

export type Ns = 'type' | 'value';

export interface Def {
  item: RItem;
  module: Module;
  vis: Vis;
}

export interface Module {
  path: string; // crate::unix::linux_like
  parent: Module | null;
  /** Directory where `mod x;` inside this module looks for x.rs / x/mod.rs. */
  dir: string;
  file: string;
  types: Map<string, Def>;
  values: Map<string, Def>;
  mods: Map<string, { module: Module; vis: Vis }>;
  uses: { name: string; path: string[]; vis: Vis; loc: SrcLoc }[];
}

export interface CrateDiagnostic {
  loc: SrcLoc | null;
  message: string;
}

/** Item macros whose structs and unions are `#[repr(C)]` (the macro adds it). */
const REPR_C_MACROS = new Set(['s', 's_no_extra_traits', 's_paren']);
/** Item macros that define Rust functions (C macros re-implemented), not C symbols. */
const RUST_FN_MACROS = new Set(['f', 'safe_f', 'const_fn']);
/** Macros that never hold items. */
const NON_ITEM_MACROS = new Set(['static_assert_eq', 'compile_error', 'panic', 'expand_align', 'prelude', 'ptr_addr_of', 'macro_rules']);

export interface Crate {
  root: Module;
  modules: Module[];
  /** Every enabled item by name, for names the resolver cannot place. */
  byName: { type: Map<string, Def[]>; value: Map<string, Def[]> };
  diagnostics: CrateDiagnostic[];
  /** Counts of what was seen but is not part of the C interface. */
  skipped: { rustFunctions: number; statics: number; disabled: number };
  files: string[];
}

export function loadCrate(crateDir: string, cfg: CfgSet): Crate {
  const libRs = join(crateDir, 'src', 'lib.rs');
  const crate: Crate = {
    root: null as unknown as Module,
    modules: [],
    byName: { type: new Map(), value: new Map() },
    diagnostics: [],
    skipped: { rustFunctions: 0, statics: 0, disabled: 0 },
    files: [],
  };
  const newModule = (path: string, parent: Module | null, dir: string, file: string): Module => {
    const m: Module = { path, parent, dir, file, types: new Map(), values: new Map(), mods: new Map(), uses: [] };
    crate.modules.push(m);
    return m;
  };
  const root = newModule('crate', null, dirname(libRs), libRs);
  crate.root = root;

  // A crate file that exists but is not a regular file (a FIFO, a device, a directory) or is
  // too large: read through readInputFile, which refuses it before reading (a FIFO would wait
  // for a writer forever, /dev/zero never ends). Such a file makes the whole crate unusable.
  let refused: string | null = null;
  const loadFile = (file: string): RItem[] | null => {
    const r = readInputFile(file);
    if (!r.ok) {
      if (r.problem.kind !== 'missing' && r.problem.kind !== 'permission' && r.problem.kind !== 'unreadable') refused ??= inputProblemMessage(file, r.problem);
      return null;
    }
    crate.files.push(file);
    return parseItems(r.bytes.toString('utf8'), file);
  };

  const addDef = (m: Module, ns: Ns, item: RItem, vis: Vis) => {
    const map = ns === 'type' ? m.types : m.values;
    if (!map.has(item.name)) map.set(item.name, { item, module: m, vis });
    const idx = crate.byName[ns];
    const list = idx.get(item.name) ?? [];
    list.push({ item, module: m, vis });
    idx.set(item.name, list);
  };

  // macro_rules! definitions with an argument-less rule, in textual order (as rustc's
  // legacy macro scope: a macro is visible after its definition).
  const macroDefs = new Map<string, RItem[] | null>();

  const addItems = (m: Module, items: RItem[], implied: Meta[]) => {
    for (const raw of items) {
      if (!itemEnabled(raw.attrs, cfg)) {
        crate.skipped.disabled++;
        continue;
      }
      const item = { ...raw, attrs: [...implied, ...effectiveAttrs(raw.attrs, cfg)] } as RItem;
      // Fields carry their own #[cfg]s (e.g. per-architecture padding).
      if (item.kind === 'struct' || item.kind === 'union') item.fields = item.fields.filter((f) => itemEnabled(f.attrs, cfg));
      switch (item.kind) {
        case 'alias':
        case 'enum':
        case 'struct':
        case 'union':
          addDef(m, 'type', item, item.vis);
          break;
        case 'const':
          addDef(m, 'value', item, item.vis);
          break;
        case 'static':
          crate.skipped.statics++;
          addDef(m, 'value', item, item.vis);
          break;
        case 'fn':
          if (item.foreign) addDef(m, 'value', item, item.vis);
          else crate.skipped.rustFunctions++;
          break;
        case 'use':
          m.uses.push({ name: item.name, path: item.path, vis: item.vis, loc: item.loc });
          break;
        case 'cfg-if': {
          const b = item.branches.find((br) => br.cfg === null || (br.cfg.name === 'cfg' && br.cfg.args?.length === 1 && evalCfg(br.cfg.args[0]!, cfg)));
          if (b) addItems(m, b.body, []);
          break;
        }
        case 'macro-def':
          macroDefs.set(item.name, item.body);
          break;
        case 'macro': {
          if (macroDefs.has(item.macro) && !REPR_C_MACROS.has(item.macro) && item.text.trim() === '') {
            const body = macroDefs.get(item.macro);
            if (body) addItems(m, body, []);
            else crate.diagnostics.push({ loc: item.loc, message: `macro '${item.macro}!' has no argument-less rule to expand` });
            break;
          }
          if (RUST_FN_MACROS.has(item.macro)) {
            crate.skipped.rustFunctions += (item.body ?? []).filter((x) => x.kind === 'fn').length;
            break;
          }
          if (NON_ITEM_MACROS.has(item.macro) || !item.body) break;
          const imp = REPR_C_MACROS.has(item.macro) ? [{ name: 'repr', args: [{ name: 'C' }] }] : [];
          addItems(m, item.body, imp);
          break;
        }
        case 'mod': {
          const pathAttr = item.attrs.find((a) => a.name === 'path' && a.value !== undefined)?.value;
          let child: Module;
          if (item.body) {
            child = newModule(`${m.path}::${item.name}`, m, pathAttr ? join(m.dir, pathAttr) : join(m.dir, item.name), m.file);
            addItems(child, item.body, []);
          } else {
            let file: string | null = null;
            if (pathAttr) file = join(m.dir, pathAttr);
            else {
              const a = join(m.dir, `${item.name}.rs`);
              const b = join(m.dir, item.name, 'mod.rs');
              file = existsSync(a) ? a : existsSync(b) ? b : null;
            }
            if (!file) {
              crate.diagnostics.push({ loc: item.loc, message: `module '${item.name}' has no file (${join(m.dir, item.name)}.rs or ${item.name}/mod.rs)` });
              break;
            }
            const wasRefused = refused;
            const items = loadFile(file);
            if (!items) {
              crate.diagnostics.push({ loc: item.loc, message: refused !== wasRefused ? refused! : `cannot read module file ${file}` });
              break;
            }
            const isModRs = /^(mod|lib|main)\.rs$/.test(basename(file));
            const dir = isModRs || pathAttr ? dirname(file) : join(dirname(file), basename(file, '.rs'));
            child = newModule(`${m.path}::${item.name}`, m, dir, file);
            addItems(child, items, []);
          }
          m.mods.set(item.name, { module: child, vis: item.vis });
          break;
        }
      }
    }
  };

  const rootItems = loadFile(libRs);
  if (!rootItems) crate.diagnostics.push({ loc: null, message: refused ?? `cannot read ${libRs}` });
  else addItems(root, rootItems, []);
  if (refused !== null && rootItems) {
    // Nothing of a crate with a file that is not one: no modules, no files read, so the
    // command reports that no crate source was read (exit 2), after the reason.
    root.types.clear();
    root.values.clear();
    root.mods.clear();
    root.uses = [];
    crate.modules = [root];
    crate.byName = { type: new Map(), value: new Map() };
    crate.files = [];
  }
  return crate;
}

// ---------------------------------------------------------------------------------------------
// Name resolution.

export type Binding = { kind: 'def'; def: Def; vis: Vis } | { kind: 'mod'; module: Module; vis: Vis };

export interface Scope {
  type: Map<string, Binding>;
  value: Map<string, Binding>;
  mod: Map<string, Binding>;
}

const RANK: Record<Vis, number> = { private: 0, crate: 1, pub: 2 };
const minVis = (a: Vis, b: Vis): Vis => (RANK[a] <= RANK[b] ? a : b);

function isWithin(m: Module, ancestor: Module): boolean {
  for (let x: Module | null = m; x; x = x.parent) if (x === ancestor) return true;
  return false;
}

export class Resolver {
  private scopes = new Map<Module, Scope>();
  private inProgress = new Set<Module>();

  constructor(readonly crate: Crate) {}

  /** Every name visible inside module `m` (own items, imports, globs), with its visibility. */
  scope(m: Module): Scope {
    const hit = this.scopes.get(m);
    if (hit) return hit;
    const s: Scope = { type: new Map(), value: new Map(), mod: new Map() };
    this.scopes.set(m, s);
    this.inProgress.add(m);
    for (const [n, d] of m.types) s.type.set(n, { kind: 'def', def: d, vis: d.vis });
    for (const [n, d] of m.values) s.value.set(n, { kind: 'def', def: d, vis: d.vis });
    for (const [n, c] of m.mods) s.mod.set(n, { kind: 'mod', module: c.module, vis: c.vis });
    // Named imports shadow globs; own items shadow both.
    for (const u of m.uses) {
      if (u.name === '*') continue;
      const target = this.resolvePathAll(u.path, m);
      for (const [ns, b] of Object.entries(target) as [keyof Scope, Binding | null][]) {
        if (!b || s[ns].has(u.name)) continue;
        s[ns].set(u.name, { ...b, vis: minVis(u.vis, b.vis) } as Binding);
      }
    }
    for (const u of m.uses) {
      if (u.name !== '*') continue;
      const target = this.resolveModule(u.path, m);
      if (!target) continue;
      const inner = this.scope(target);
      const descendant = isWithin(m, target);
      for (const ns of ['type', 'value', 'mod'] as const) {
        for (const [n, b] of inner[ns]) {
          if (s[ns].has(n)) continue;
          if (b.vis === 'private' && !descendant) continue;
          s[ns].set(n, { ...b, vis: minVis(u.vis, b.vis) } as Binding);
        }
      }
    }
    this.inProgress.delete(m);
    return s;
  }

  /** The module a path names (for `use path::*`), or null. */
  resolveModule(path: string[], from: Module): Module | null {
    const b = this.resolvePathAll(path, from).mod;
    return b && b.kind === 'mod' ? b.module : null;
  }

  /** What a path names in each namespace. */
  resolvePathAll(path: string[], from: Module): { type: Binding | null; value: Binding | null; mod: Binding | null } {
    const none = { type: null, value: null, mod: null };
    if (path.length === 0) return none;
    let i = 0;
    let cur: Module | null = null;
    const first = path[0]!;
    if (first === 'crate' || first === '::') {
      cur = this.crate.root;
      i = 1;
    } else if (first === 'self') {
      cur = from;
      i = 1;
    } else if (first === 'super') {
      cur = from;
      while (path[i] === 'super' && cur) {
        cur = cur.parent;
        i++;
      }
    } else if (first === 'core' || first === 'std' || first === 'alloc') return none;
    if (cur === null) {
      // 2018: a name in scope here; 2015: a path from the crate root.
      cur = this.scope(from).mod.has(first) || this.scope(from).type.has(first) || this.scope(from).value.has(first) ? from : this.crate.root;
    }
    if (i === path.length) return { type: null, value: null, mod: { kind: 'mod', module: cur, vis: 'pub' } };
    for (; i < path.length - 1; i++) {
      const b = this.scope(cur).mod.get(path[i]!);
      if (!b || b.kind !== 'mod') return none;
      cur = b.module;
    }
    const last = path[path.length - 1]!;
    const s = this.scope(cur);
    return { type: s.type.get(last) ?? null, value: s.value.get(last) ?? null, mod: s.mod.get(last) ?? null };
  }

  /** Resolve a name used in a type or expression inside `from`. Falls back to the crate root,
   *  then to a unique enabled item of that name anywhere in the crate. */
  lookup(path: string[], from: Module, ns: Ns): Def | null {
    const segs = path.filter((s) => s !== '');
    if (segs.length > 1 || segs[0] === '::') {
      const b = this.resolvePathAll(segs, from)[ns];
      if (b && b.kind === 'def') return b.def;
    } else {
      const name = segs[0]!;
      for (let m: Module | null = from; m; m = null) {
        const b = this.scope(m)[ns].get(name);
        if (b && b.kind === 'def') return b.def;
      }
      const r = this.scope(this.crate.root)[ns].get(name);
      if (r && r.kind === 'def') return r.def;
    }
    const last = segs[segs.length - 1]!;
    const all = this.crate.byName[ns].get(last);
    return all && all.length > 0 ? all[0]! : null;
  }

  /** The crate's public interface: names `pub` at the root, by namespace. */
  publicItems(): { types: Map<string, Def>; values: Map<string, Def> } {
    const s = this.scope(this.crate.root);
    const pick = (m: Map<string, Binding>) => {
      const out = new Map<string, Def>();
      for (const [n, b] of m) if (b.kind === 'def' && b.vis === 'pub' && b.def.vis !== 'private') out.set(n, b.def);
      return out;
    };
    return { types: pick(s.type), values: pick(s.value) };
  }
}
