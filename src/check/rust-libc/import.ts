// `portabi profile from-rust-libc <crate-dir> --target <rust-triple>`: read the Rust `libc`
// crate's source for one Rust target and write down, as a target-libc profile
// (src/check/profile-types.ts), what it assumes about the C ABI: sizes, alignments and field
// offsets of its repr(C) types, constant values, initializer images and function prototypes.
// Layout comes from portabi's own ABI engine applied to the Rust definitions; nothing is
// guessed: what cannot be resolved is listed with the reason.
import { readInputFile } from '../../parse/input-file.js';
import { join } from 'node:path';
import YAML from 'yaml';
import { toHex, evaluateInitializer } from '../../abi/initializer.js';
import { loadTarget } from '../../abi/target.js';
import { abstractTypeToC, signatureOf, typeToC } from '../../parse/c-text.js';
import type { CType } from '../../parse/ir.js';
import { emptyProfile, type Profile, type ProfileType } from '../profile-types.js';
import { cfgSetForCrate, RUST_TARGETS } from './cfg.js';
import { loadCrate, Resolver, type Def, type Module } from './crate.js';
import { reprOf, RustAbi } from './rust-abi.js';
import { typeText, type RItem, type RType } from './rust-ast.js';
import { C_KEYWORD_ALIASES, cFunctionOfRust, cTypeOfRust, type RustTypeReader } from './rust-c-types.js';

export interface ImportStats {
  /** Public items of the C interface: types, constants, initializers, extern functions. */
  items: number;
  resolved: number;
  unresolved: number;
  /** Seen but not part of the C interface: Rust functions (`f!`), statics, cfg'd-out items. */
  skipped: { rustFunctions: number; statics: number; disabled: number };
  files: number;
}

export interface ImportResult {
  profile: Profile;
  stats: ImportStats;
  diagnostics: string[];
}

export interface ImportOptions {
  /** Cargo features (default: `std`, the crate's default). */
  features?: string[];
}

/** Names C spells as typedefs even though Rust defines them as structs or opaque enums. */
function spellsAsTypedef(name: string): boolean {
  return /_t$/.test(name) || /^[A-Z][A-Z0-9_]*$/.test(name) || name === 'fd_set' || name === 'jmp_buf' || name === 'sigjmp_buf';
}

function crateVersion(crateDir: string): string {
  // Only a regular file is read (a FIFO would wait forever): anything else is 'unknown'.
  const r = readInputFile(join(crateDir, 'Cargo.toml'));
  if (!r.ok) return 'unknown';
  const pkg = /\[package\][^[]*?\bversion\s*=\s*"([^"]+)"/.exec(r.bytes.toString('utf8'));
  return pkg?.[1] ?? 'unknown';
}

export function importRustLibc(crateDir: string, rustTriple: string, opts: ImportOptions = {}): ImportResult {
  const diagnostics: string[] = [];
  const rt = RUST_TARGETS[rustTriple];
  const version = crateVersion(crateDir);
  const stats: ImportStats = { items: 0, resolved: 0, unresolved: 0, skipped: { rustFunctions: 0, statics: 0, disabled: 0 }, files: 0 };
  if (!rt) {
    diagnostics.push(`unknown Rust target '${rustTriple}' (known: ${Object.keys(RUST_TARGETS).join(', ')})`);
    return { profile: emptyProfile(`rust-libc-${version}-${rustTriple}`, rustTriple), stats, diagnostics };
  }
  const tr = loadTarget(rt.cTarget);
  if (!tr.ok) {
    diagnostics.push(...tr.error.map((d) => `target ${rt.cTarget}: ${d.message}`));
    return { profile: emptyProfile(`rust-libc-${version}-${rustTriple}`, rt.cTarget), stats, diagnostics };
  }
  const target = tr.value;
  const { cfg, buildCfgs } = cfgSetForCrate(crateDir, rt, opts.features);
  const crate = loadCrate(crateDir, cfg);
  for (const d of crate.diagnostics) diagnostics.push(`${d.loc ? `${d.loc.file}:${d.loc.line}: ` : ''}${d.message}`);
  const resolver = new Resolver(crate);
  const abi = new RustAbi(resolver, target, rt);
  const profile = emptyProfile(
    `rust-libc-${version}-${rustTriple}`,
    rt.cTarget,
    `What the Rust libc crate ${version} assumes for ${rustTriple} (C ABI ${rt.cTarget}); imported by portabi from ${crateDir}` +
      (buildCfgs.length ? `; build.rs cfgs: ${buildCfgs.join(' ')}` : ''),
  );
  stats.skipped = { ...crate.skipped };
  stats.files = crate.files.length;

  const pub = resolver.publicItems();
  const unresolved = (item: string, reason: string) => {
    profile.unresolved.push({ item, reason });
    stats.unresolved++;
  };

  // Types.
  for (const [name, def] of [...pub.types].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const item = def.item;
    stats.items++;
    const ct = abi.cTypeOfDef(def);
    const kw = C_KEYWORD_ALIASES[name];
    if (item.kind === 'alias' && kw) {
      // c_int, c_long, ...: Rust's names for C's base types. Compare with the target here;
      // a disagreement goes into the profile under the C spelling, for check to report.
      const l = abi.ctx.layoutOf(ct);
      if (kw.kind === 'void') {
        stats.resolved++;
        continue;
      }
      const kl = abi.ctx.layoutOf(kw);
      if (!l.complete) {
        unresolved(name, l.reason);
        continue;
      }
      stats.resolved++;
      const kwName = (kw as { name: string }).name;
      const signedDiffers = kw.kind === 'int' && kwName !== 'char' && isSignedC(abi.ctx.resolve(ct), target.charSigned) !== isSignedC(kw, target.charSigned);
      if (!kl.complete || kl.size !== l.size || kl.align !== l.align || signedDiffers) {
        profile.types[kwName] = { size: l.size, align: l.align, rustName: name };
        diagnostics.push(`${name} is ${typeText((item as Extract<RItem, { kind: 'alias' }>).type)} (${l.size} bytes) but C '${kwName}' is ${kl.complete ? kl.size : '?'} bytes on ${target.name}`);
      }
      continue;
    }
    if ((item.kind === 'struct' || item.kind === 'union') && !reprOf(item.attrs).c && !reprOf(item.attrs).transparent) {
      unresolved(name, `${item.kind} '${name}' is not #[repr(C)]: its Rust layout is unspecified (${item.loc.file}:${item.loc.line})`);
      continue;
    }
    const l = abi.ctx.layoutOf(ct);
    const entry: ProfileType = {};
    const isRecordish = item.kind === 'struct' || item.kind === 'union' || (item.kind === 'enum' && item.variants.length === 0);
    if (isRecordish) entry.candidates = [name, `struct ${name}`, `union ${name}`];
    if (!l.complete) {
      if (item.kind === 'enum' && item.variants.length === 0) {
        // Opaque: the profile only asks that the type exists.
        profile.types[name] = entry;
        stats.resolved++;
      } else unresolved(name, l.reason);
      continue;
    }
    entry.size = l.size;
    entry.align = l.align;
    if (item.kind === 'alias') {
      // The crate's meaning of the name, so its prototypes are read through it: the crate's
      // `sighandler_t` is `size_t`, C's is `void (*)(int)`.
      const aliased = spellType(item.type, def.module, abi);
      if (!firstUnknown(aliased)) entry.aliasOf = abstractTypeToC(aliased, abi.ir);
    }
    if (l.record && (item.kind === 'struct' || item.kind === 'union')) {
      // Only the fields a binding can name. A private field (`size: [u8; N]`, `__ss_pad2`,
      // `__unused1`) is the crate's spelling of opaque storage or padding: its name is no
      // interface, and the layout it implies is already stated by the type's size and alignment
      // and the offsets of the public fields.
      const pub = new Set(item.fields.filter((f) => f.vis === 'pub').map((f) => f.name));
      const fields: Record<string, { offset: number; sizeBits: number }> = {};
      for (const f of l.record.fields) {
        if (f.name === null || !pub.has(f.name)) continue;
        fields[cFieldName(f.name)] = { offset: f.offsetBits / 8, sizeBits: f.sizeBits };
      }
      entry.fields = fields;
    }
    profile.types[name] = entry;
    stats.resolved++;
  }

  // Constants, initializers and functions.
  for (const [name, def] of [...pub.values].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const item = def.item;
    if (item.kind === 'static') continue;
    stats.items++;
    if (item.kind === 'const') {
      if (item.value.e === 'struct' || item.value.e === 'array' || item.value.e === 'repeat') {
        const ct = abi.cTypeOf(item.type, def.module);
        const init = abi.toCInit(item.value, item.type, def.module);
        if (!init.ok) {
          unresolved(name, init.reason);
          continue;
        }
        const list = init.expr.k === 'init' ? init.expr.list : { items: [{ designators: [], value: init.expr }] };
        const r = evaluateInitializer(list, ct, abi.ctx);
        if (!r.ok) {
          unresolved(name, r.reason);
          continue;
        }
        profile.initializers[name] = { type: spellC(spellType(item.type, def.module, abi), abi), bytes: toHex(r.bytes) };
        stats.resolved++;
        continue;
      }
      const v = abi.constValue(def);
      if (!v.ok) {
        unresolved(name, v.reason);
        continue;
      }
      profile.constants[name] = { value: v.value.toString(), type: spellC(spellType(item.type, def.module, abi), abi) };
      stats.resolved++;
      continue;
    }
    if (item.kind === 'fn') {
      const sig = signatureFor(item, def.module, abi);
      if (!sig.ok) {
        unresolved(name, sig.reason);
        continue;
      }
      const link = item.attrs.find((a) => a.name === 'link_name' && a.value !== undefined)?.value;
      profile.functions[name] = { signature: sig.signature };
      if (link && link !== name) diagnostics.push(`${name}: links to symbol '${link}'`);
      stats.resolved++;
      continue;
    }
    stats.items--;
  }
  for (const d of abi.ctx.diagnostics) diagnostics.push(d.message);
  return { profile, stats, diagnostics };
}

/** Rust keywords a C member may be named (the crate writes `type_` or `r#type` for C's `type`). */
const RUST_KEYWORDS = new Set(['as', 'box', 'break', 'const', 'continue', 'crate', 'else', 'enum', 'extern', 'fn', 'for', 'if', 'impl', 'in', 'let', 'loop', 'match', 'mod', 'move', 'mut', 'priv', 'pub', 'ref', 'return', 'self', 'static', 'struct', 'super', 'trait', 'type', 'unsafe', 'use', 'where', 'while', 'async', 'await', 'dyn', 'abstract', 'become', 'do', 'final', 'macro', 'override', 'typeof', 'unsized', 'virtual', 'yield', 'try']);

/** The C member name of a Rust field: `type_` and `r#type` are C's `type`. */
function cFieldName(name: string): string {
  if (name.startsWith('r#')) return name.slice(2);
  if (name.endsWith('_') && RUST_KEYWORDS.has(name.slice(0, -1))) return name.slice(0, -1);
  return name;
}

function isSignedC(t: CType, charSigned: boolean): boolean {
  if (t.kind !== 'int') return false;
  if (t.name === 'char') return charSigned;
  return !(t.name.startsWith('unsigned') || t.name === '_Bool');
}

// ---------------------------------------------------------------------------------------------
// C spellings of Rust types, for prototypes: c_* aliases as C base types, other aliases as the
// typedef names they are in C, structs as `struct X` unless C spells them as typedefs (`_t`,
// all-caps like DIR and FILE).

function spellType(t: RType, from: Module, abi: RustAbi): CType {
  return cTypeOfRust(t, spelling(from, abi));
}

function spelling(from: Module, abi: RustAbi): RustTypeReader {
  // Arrays as the ABI model builds them (only it evaluates the length), element type included.
  return { path: (t) => spellPath(t, from, abi), array: (t) => abi.cTypeOf(t, from) };
}

function spellPath(t: Extract<RType, { t: 'path' }>, from: Module, abi: RustAbi): CType {
  const last = t.segments[t.segments.length - 1]!;
  const kw = C_KEYWORD_ALIASES[last];
  if (kw) return kw;
  const def: Def | null = t.segments.length === 1 && abi.primitiveInt(last) ? null : abi.resolver.lookup(t.segments, from, 'type');
  if (!def) return abi.cTypeOf(t, from);
  const it = def.item;
  if (it.kind === 'alias') return { kind: 'typedef', name: it.name };
  if (it.kind === 'struct' || it.kind === 'union' || it.kind === 'enum') {
    const tag = it.kind === 'union' ? 'union' : 'struct';
    return { kind: 'typedef', name: spellsAsTypedef(it.name) ? it.name : `${tag} ${it.name}` };
  }
  return abi.cTypeOf(t, from);
}

function spellC(t: CType, abi: RustAbi): string {
  return typeToC(t, abi.ir);
}

function firstUnknown(t: CType): string | null {
  switch (t.kind) {
    case 'unknown':
      return t.reason;
    case 'pointer':
      return firstUnknown(t.to);
    case 'array':
      return firstUnknown(t.of);
    case 'function':
      return firstUnknown(t.ret) ?? t.params.map((p) => firstUnknown(p.type)).find((x) => x) ?? null;
    default:
      return null;
  }
}

function signatureFor(item: Extract<RItem, { kind: 'fn' }>, from: Module, abi: RustAbi): { ok: true; signature: string } | { ok: false; reason: string } {
  const fn = cFunctionOfRust(item, spelling(from, abi));
  const bad = firstUnknown(fn);
  if (bad) return { ok: false, reason: bad };
  return { ok: true, signature: signatureOf(item.name, fn, abi.ir) };
}

// ---------------------------------------------------------------------------------------------
// YAML.

function sortedObject<T>(o: Record<string, T>): Record<string, T> {
  const out: Record<string, T> = {};
  for (const k of Object.keys(o).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) out[k] = o[k]!;
  return out;
}

/** The profile as YAML, keys in a fixed order (sections as in SCHEMA.md, items sorted by name,
 *  fields in layout order), so re-imports diff cleanly. */
export function renderProfileYaml(profile: Profile, header?: string): string {
  const typeOrder = ['rustName', 'candidates', 'aliasOf', 'size', 'align', 'fields', 'optional', 'ignore'] as const;
  const types: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(sortedObject(profile.types))) {
    const o: Record<string, unknown> = {};
    for (const key of typeOrder) if (v[key] !== undefined) o[key] = v[key];
    types[k] = o;
  }
  const doc = {
    name: profile.name,
    description: profile.description,
    target: profile.target,
    types,
    constants: sortedObject(profile.constants),
    initializers: sortedObject(profile.initializers),
    functions: sortedObject(profile.functions),
    unresolved: [...profile.unresolved].sort((a, b) => (a.item < b.item ? -1 : a.item > b.item ? 1 : 0)),
  };
  const body = YAML.stringify(doc, { lineWidth: 0, aliasDuplicateObjects: false });
  return (header ? header.split('\n').map((l) => `# ${l}`).join('\n') + '\n' : '') + body;
}
