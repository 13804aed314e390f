// Load and validate a profile YAML (targets/profiles/SCHEMA.md). Every problem is a Diagnostic
// located at file:line:col in the YAML; nothing is thrown to the caller.
import { readdirSync } from 'node:fs';
import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Node, type Pair, type YAMLMap } from 'yaml';
import { diag, type Diagnostic, type Loc } from '../parse/diagnostics.js';
import { readInputFile } from '../parse/input-file.js';
import { TARGETS_DIR } from '../package-root.js';
import { resolveAliases } from '../yaml-aliases.js';
import { duplicateKeys } from './yaml-duplicates.js';
import { CACHE_FORMAT, codeFingerprint, sha256, type DiffCache } from './diff-cache.js';
import type {
  Profile,
  ProfileConstant,
  ProfileField,
  ProfileFunction,
  ProfileInitializer,
  ProfileType,
  ProfileUnresolved,
} from './profile-types.js';

export interface ProfileLoadOptions {
  /** Valid target names. Default: the names of targets/*.yaml in `targetsDir`. */
  targets?: readonly string[];
  /** Default: the repository's targets/ directory. */
  targetsDir?: string;
}

export interface ProfileLoadResult {
  /** null when any diagnostic is an error. */
  profile: Profile | null;
  diagnostics: Diagnostic[];
}

/**
 * `loadProfile` through the cache: a profile is stored parsed and validated, keyed by its path,
 * its text, the options and portabi's code fingerprint. Parsing YAML with locations is most of
 * a check against a large profile (the Rust libc crate's: 19,000 lines).
 */
export function loadProfileCached(file: string, cache: DiffCache, opts: ProfileLoadOptions = {}): ProfileLoadResult {
  const read = readInputFile(file);
  if (!read.ok) return loadProfile(file, opts); // the located "cannot read" diagnostic
  const text = read.bytes.toString('utf8');
  const key = cache.dir ? sha256(JSON.stringify({ format: CACHE_FORMAT, code: codeFingerprint(), file, text: sha256(text), opts })) : '';
  const hit = cache.lookupValue<ProfileLoadResult>('profiles', key, (v) => typeof v === 'object' && v !== null && Array.isArray((v as ProfileLoadResult).diagnostics));
  if (hit) return hit;
  const r = parseProfile(text, file, opts);
  cache.storeValue('profiles', key, r);
  return r;
}

/** The package's targets/ directory. */
export function defaultTargetsDir(): string {
  return TARGETS_DIR;
}

/** Target names: the *.yaml files of `dir`, without extension, sorted. */
export function listTargetNames(dir: string = defaultTargetsDir()): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

export function loadProfile(file: string, opts: ProfileLoadOptions = {}): ProfileLoadResult {
  // Only a regular file, up to the input size limit (src/parse/input-file.ts).
  const read = readInputFile(file);
  if (!read.ok) {
    const code = read.problem.kind === 'missing' ? 'profile-missing-file' : read.problem.code;
    return { profile: null, diagnostics: [diag('error', `cannot read profile: ${read.problem.reason}`, { file, line: 1, col: 1 }, code)] };
  }
  return parseProfile(read.bytes.toString('utf8'), file, opts);
}

const TOP_KEYS = ['name', 'description', 'target', 'types', 'constants', 'initializers', 'functions', 'unresolved'];
const CONTROL_KEYS = ['optional', 'ignore', 'rustName'];
const TYPE_KEYS = [...CONTROL_KEYS, 'size', 'align', 'fields', 'candidates', 'aliasOf'];
const FIELD_KEYS = ['offset', 'offsetBits', 'sizeBits'];
const CONSTANT_KEYS = [...CONTROL_KEYS, 'value', 'type'];
const INITIALIZER_KEYS = [...CONTROL_KEYS, 'type', 'bytes'];
const FUNCTION_KEYS = [...CONTROL_KEYS, 'signature'];
const UNRESOLVED_KEYS = ['item', 'reason'];

/** Parse and validate profile text; `file` is only used for locations. */
export function parseProfile(text: string, file: string, opts: ProfileLoadOptions = {}): ProfileLoadResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, intAsBigInt: true, prettyErrors: false, uniqueKeys: false });
  const diagnostics: Diagnostic[] = [];
  const locs: Record<string, string> = {};

  const locAt = (offset: number): Loc => {
    const { line } = lc.linePos(offset);
    const start = lc.lineStarts[line - 1] ?? 0;
    return { file, line, col: Buffer.byteLength(text.slice(start, offset), 'utf8') + 1 };
  };
  const locOf = (node: Node | null | undefined): Loc => locAt(node?.range?.[0] ?? 0);
  const fmt = (l: Loc) => `${l.file}:${l.line}:${l.col}`;
  const err = (message: string, node: Node | null | undefined, code: string) =>
    diagnostics.push(diag('error', message, locOf(node), code));

  for (const e of doc.errors) diagnostics.push(diag('error', `YAML: ${e.message.split('\n')[0]}`, locAt(e.pos[0]), 'profile-yaml'));
  for (const w of doc.warnings) diagnostics.push(diag('warning', `YAML: ${w.message.split('\n')[0]}`, locAt(w.pos[0]), 'profile-yaml'));
  const dups = doc.errors.length ? [] : duplicateKeys(doc);
  for (const k of dups) err(`YAML: map keys must be unique ('${String((k as { value?: unknown }).value)}' again)`, k, 'profile-yaml');
  if (doc.errors.length || dups.length) return { profile: null, diagnostics };
  // After the duplicate check, which would see a node reached through several aliases again.
  const aliasProblem = resolveAliases(doc);
  if (aliasProblem) {
    err(`YAML: ${aliasProblem.message}`, aliasProblem.node, 'profile-yaml');
    return { profile: null, diagnostics };
  }

  const root = doc.contents;
  if (!isMap(root)) {
    err('a profile is a mapping with name, description, target, types, constants, initializers, functions', root, 'profile-type');
    return { profile: null, diagnostics };
  }

  // ---- small typed readers; each reports its own error and returns undefined on failure ----
  const keyName = (p: Pair): string | undefined => {
    if (isScalar(p.key) && (typeof p.key.value === 'string' || typeof p.key.value === 'number' || typeof p.key.value === 'bigint')) return String(p.key.value);
    err('keys must be plain strings', p.key as Node, 'profile-type');
    return undefined;
  };
  const pairs = (map: YAMLMap, allowed: readonly string[] | null, what: string): [string, Pair][] => {
    const out: [string, Pair][] = [];
    for (const p of map.items) {
      const k = keyName(p);
      if (k === undefined) continue;
      if (allowed && !allowed.includes(k)) {
        err(`unknown key '${k}' in ${what} (expected one of: ${allowed.join(', ')})`, p.key as Node, 'profile-unknown-key');
        continue;
      }
      out.push([k, p]);
    }
    return out;
  };
  const valueNode = (p: Pair): Node | null => (p.value as Node | null) ?? null;
  const isNull = (n: Node | null): boolean => n === null || (isScalar(n) && n.value === null);
  const str = (p: Pair, key: string, allowEmpty = true): string | undefined => {
    const n = valueNode(p);
    if (isScalar(n) && typeof n.value === 'string' && (allowEmpty || n.value !== '')) return n.value;
    err(`'${key}' must be a ${allowEmpty ? '' : 'non-empty '}string`, n ?? (p.key as Node), 'profile-type');
    return undefined;
  };
  const nat = (p: Pair, key: string): number | undefined => {
    const n = valueNode(p);
    if (isScalar(n)) {
      const v = n.value;
      if (typeof v === 'bigint' && v >= 0n && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
      if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    }
    err(`'${key}' must be a non-negative integer`, n ?? (p.key as Node), 'profile-type');
    return undefined;
  };
  const bool = (p: Pair, key: string): boolean | undefined => {
    const n = valueNode(p);
    if (isScalar(n) && typeof n.value === 'boolean') return n.value;
    err(`'${key}' must be true or false`, n ?? (p.key as Node), 'profile-type');
    return undefined;
  };
  const decimal = (p: Pair, key: string): string | undefined => {
    const n = valueNode(p);
    if (isScalar(n)) {
      const v = n.value;
      if (typeof v === 'bigint') return v.toString();
      if (typeof v === 'number' && Number.isSafeInteger(v)) return String(v);
      if (typeof v === 'string' && /^-?(0|[1-9][0-9]*)$/.test(v)) return v === '-0' ? '0' : v;
    }
    err(`'${key}' must be an integer or a decimal string`, n ?? (p.key as Node), 'profile-type');
    return undefined;
  };
  const hexBytes = (p: Pair, key: string): string | undefined => {
    const n = valueNode(p);
    if (isScalar(n) && typeof n.value === 'string' && /^([0-9a-fA-F]{2})*$/.test(n.value)) return n.value.toLowerCase();
    err(`'${key}' must be a string of hex byte pairs (e.g. "00ff")`, n ?? (p.key as Node), 'profile-type');
    return undefined;
  };
  const mapOf = (p: Pair, key: string): YAMLMap | null | undefined => {
    const n = valueNode(p);
    if (isNull(n)) return null;
    if (isMap(n)) return n;
    err(`'${key}' must be a mapping`, n, 'profile-type');
    return undefined;
  };
  /** Keys every item may carry. */
  const control = (k: string, p: Pair, out: { optional?: boolean; ignore?: string; rustName?: string }): boolean => {
    if (k === 'optional') {
      const v = bool(p, k);
      if (v !== undefined) out.optional = v;
      return true;
    }
    if (k === 'ignore') {
      const v = str(p, k, false);
      if (v !== undefined) out.ignore = v;
      return true;
    }
    if (k === 'rustName') {
      const v = str(p, k, false);
      if (v !== undefined) out.rustName = v;
      return true;
    }
    return false;
  };
  /** A section: a mapping of item name → item mapping (or null: existence only). */
  const section = <T>(p: Pair, name: string, allowed: readonly string[], read: (k: string, vp: Pair, item: T, itemName: string) => void): Record<string, T> => {
    const out: Record<string, T> = {};
    const m = mapOf(p, name);
    if (!m) return out;
    for (const [itemName, ip] of pairs(m, null, name)) {
      locs[`${name}/${itemName}`] = fmt(locOf(ip.key as Node));
      const item = {} as T;
      out[itemName] = item;
      const im = mapOf(ip, `${name}: ${itemName}`);
      if (!im) continue;
      for (const [k, vp] of pairs(im, allowed, `${name}: ${itemName}`)) {
        if (!control(k, vp, item as ProfileConstant)) read(k, vp, item, itemName);
      }
    }
    return out;
  };

  const profile: Profile = { name: '', description: '', target: '', types: {}, constants: {}, initializers: {}, functions: {}, unresolved: [], source: { file, locs } };
  const seen = new Set<string>();
  let targetNode: Node | null = null;

  for (const [key, p] of pairs(root, TOP_KEYS, 'the profile')) {
    seen.add(key);
    switch (key) {
      case 'name': profile.name = str(p, key, false) ?? ''; break;
      case 'description': profile.description = str(p, key) ?? ''; break;
      case 'target': profile.target = str(p, key, false) ?? ''; targetNode = valueNode(p); break;
      case 'types':
        profile.types = section<ProfileType>(p, 'types', TYPE_KEYS, (k, vp, item, typeName) => {
          if (k === 'size' || k === 'align') {
            const v = nat(vp, k);
            if (v !== undefined) item[k] = v;
          } else if (k === 'aliasOf') {
            const v = str(vp, k, false);
            if (v !== undefined) item.aliasOf = v;
          } else if (k === 'candidates') {
            const n = valueNode(vp);
            if (isSeq(n) && n.items.length > 0 && n.items.every((x) => isScalar(x) && typeof x.value === 'string' && x.value !== '')) {
              item.candidates = n.items.map((x) => String((x as { value: unknown }).value));
            } else err(`'candidates' must be a non-empty list of C spellings`, n ?? (vp.key as Node), 'profile-type');
          } else if (k === 'fields') {
            const fm = mapOf(vp, k);
            if (!fm) return;
            const fields: Record<string, ProfileField> = {};
            for (const [fname, fp] of pairs(fm, null, 'fields')) {
              const field: ProfileField = {};
              fields[fname] = field;
              locs[`types/${typeName}/fields/${fname}`] = fmt(locOf(fp.key as Node));
              const ffm = mapOf(fp, `field ${fname}`);
              if (!ffm) continue;
              for (const [fk, ffp] of pairs(ffm, FIELD_KEYS, `field ${fname}`)) {
                const v = nat(ffp, fk);
                if (v !== undefined) field[fk as keyof ProfileField] = v;
              }
            }
            item.fields = fields;
          }
        });
        break;
      case 'constants':
        profile.constants = section<ProfileConstant>(p, 'constants', CONSTANT_KEYS, (k, vp, item) => {
          if (k === 'value') {
            const v = decimal(vp, k);
            if (v !== undefined) item.value = v;
          } else if (k === 'type') {
            const v = str(vp, k, false);
            if (v !== undefined) item.type = v;
          }
        });
        break;
      case 'initializers':
        profile.initializers = section<ProfileInitializer>(p, 'initializers', INITIALIZER_KEYS, (k, vp, item) => {
          if (k === 'bytes') {
            const v = hexBytes(vp, k);
            if (v !== undefined) item.bytes = v;
          } else if (k === 'type') {
            const v = str(vp, k, false);
            if (v !== undefined) item.type = v;
          }
        });
        break;
      case 'functions':
        profile.functions = section<ProfileFunction>(p, 'functions', FUNCTION_KEYS, (k, vp, item) => {
          if (k === 'signature') {
            const v = str(vp, k, false);
            if (v !== undefined) item.signature = v;
          }
        });
        break;
      case 'unresolved': {
        const n = valueNode(p);
        if (isNull(n)) break;
        if (!isSeq(n)) {
          err(`'unresolved' must be a list of { item, reason }`, n, 'profile-type');
          break;
        }
        for (const u of n.items) {
          if (!isMap(u)) {
            err(`each 'unresolved' entry must be a mapping { item, reason }`, u as Node, 'profile-type');
            continue;
          }
          const entry: Partial<ProfileUnresolved> = {};
          for (const [k, up] of pairs(u, UNRESOLVED_KEYS, 'an unresolved entry')) entry[k as keyof ProfileUnresolved] = str(up, k, false);
          if (entry.item === undefined || entry.reason === undefined) {
            // A present but ill-typed key was reported by str(); report absent ones here.
            const missing = ['item', 'reason'].filter((k) => !u.items.some((x) => isScalar(x.key) && x.key.value === k));
            if (missing.length) err(`unresolved entry lacks ${missing.map((m) => `'${m}'`).join(' and ')}`, u, 'profile-missing-key');
            continue;
          }
          locs[`unresolved/${profile.unresolved.length}`] = fmt(locOf(u));
          profile.unresolved.push({ item: entry.item, reason: entry.reason });
        }
        break;
      }
    }
  }
  for (const k of ['name', 'target']) if (!seen.has(k)) err(`the profile lacks '${k}'`, root, 'profile-missing-key');

  if (profile.target) {
    let targets: readonly string[] | undefined = opts.targets;
    if (!targets) {
      try {
        targets = listTargetNames(opts.targetsDir ?? defaultTargetsDir());
      } catch (e) {
        diagnostics.push(diag('warning', `cannot list targets to validate '${profile.target}': ${(e as Error).message}`, locOf(targetNode), 'profile-target'));
      }
    }
    if (targets && !targets.includes(profile.target)) {
      err(`unknown target '${profile.target}' (known: ${targets.join(', ')})`, targetNode, 'profile-target');
    }
  }

  diagnostics.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0));
  const failed = diagnostics.some((d) => d.severity === 'error' || d.severity === 'fatal');
  return { profile: failed ? null : profile, diagnostics };
}
