// Loads a target ABI from targets/<name>.yaml (schema: targets/SCHEMA.md). Every fact in those
// files is generated from the real compilers by scripts/gen-targets.mjs; this module only reads
// and checks them. Problems come back as diagnostics located in the YAML, never as exceptions.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node as YamlNode } from 'yaml';
import { resolveAliases } from '../yaml-aliases.js';
import { diag, type Diagnostic, type Loc } from '../parse/diagnostics.js';
import { COMMAND_LINE, quoteExcerpt, readInputFile } from '../parse/input-file.js';
import { isTargetPath, type Target } from './target-types.js';
import { TARGETS_DIR } from '../package-root.js';

export type Result<T, E> = { ok: true; value: T } | { ok: false; error: E };

export { TARGETS_DIR };

// ---------------------------------------------------------------------------------------------
// The schema, as data. Keep in step with target-types.ts and targets/SCHEMA.md.

type Spec =
  | { t: 'string' }
  | { t: 'boolean' }
  /** An exact integer (a YAML 1.2 int, never a float such as `4.0` or `1e308`) from `min` to
   *  `max` (default: a safe integer); `pow2`: a power of two (or 0 when `min` is 0). */
  | { t: 'int'; min?: number; max?: number; pow2?: boolean }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'array'; of: Spec }
  | { t: 'object'; fields: Record<string, Field> }
  /** A map with free keys (restricted to `keys` when given), all values of one spec. */
  | { t: 'record'; keys?: readonly string[]; of: Spec };
interface Field {
  spec: Spec;
  optional?: boolean;
}

const INT_KINDS = [
  '_Bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int',
  'long', 'unsigned long', 'long long', 'unsigned long long', '__int128', 'unsigned __int128',
] as const;
const FLOAT_KINDS = ['float', 'double', 'long double', '_Float16', '__fp16', '__float128', '__bf16'] as const;
const SCALAR_NAMES = [...INT_KINDS, ...FLOAT_KINDS, 'pointer', '__builtin_va_list'] as const;

const str: Spec = { t: 'string' };
const bool: Spec = { t: 'boolean' };
/** Bound on every size and alignment in bytes: the largest fact of a real ABI is tens of bytes
 *  (x86-64 `__builtin_va_list`: 24), so a larger one is a typo, and layout sums stay exact. */
const MAX_TARGET_BYTES = 65536;
const size: Spec = { t: 'int', min: 1, max: MAX_TARGET_BYTES };
/** C17 6.2.8p4: every valid alignment is a nonnegative integral power of two. */
const alignment: Spec = { t: 'int', min: 1, max: MAX_TARGET_BYTES, pow2: true };
const intKind: Spec = { t: 'enum', values: INT_KINDS };
const hasTable: Spec = { t: 'record', of: { t: 'int' } };
const req = (spec: Spec): Field => ({ spec });
const opt = (spec: Spec): Field => ({ spec, optional: true });

const TARGET_SPEC: Spec = {
  t: 'object',
  fields: {
    name: req(str),
    description: req(str),
    clangTriple: req(str),
    compiler: req({ t: 'enum', values: ['gcc', 'clang'] }),
    clangFlags: req({ t: 'array', of: str }),
    gcc: opt({ t: 'object', fields: { command: req(str), flags: req({ t: 'array', of: str }) } }),
    endian: req({ t: 'enum', values: ['little', 'big'] }),
    charSigned: req(bool),
    scalars: req({
      t: 'record',
      keys: SCALAR_NAMES,
      of: { t: 'object', fields: { size: req(size), align: req(alignment), preferredAlign: opt(alignment) } },
    }),
    sizeType: req(intKind),
    ptrdiffType: req(intKind),
    intptrType: req(intKind),
    wcharType: req(intKind),
    shortEnums: req(bool),
    bitfields: req({
      t: 'object',
      fields: {
        typeAlignmentMatters: req(bool),
        unnamedAffectsAlignment: req(bool),
        zeroWidthAffectsAlignment: req(bool),
      },
    }),
    maxAlign: req(alignment),
    maxVectorAlign: opt({ t: 'int', min: 0, max: MAX_TARGET_BYTES, pow2: true }),
    maxAtomicPromoteWidth: opt({ t: 'int', min: 0, max: MAX_TARGET_BYTES }),
    predefinedFile: req(str),
    predefinedFiles: req({ t: 'object', fields: { clang: req(str), gcc: opt(str) } }),
    systemIncludes: req({ t: 'array', of: str }),
    hasOperators: req({ t: 'array', of: str }),
    hasAttribute: req(hasTable),
    hasBuiltin: req(hasTable),
    hasFeature: req(hasTable),
    hasExtension: req(hasTable),
    hasCAttribute: req(hasTable),
  },
};

/** Scalars every target must describe; the others are present only where the target has them. */
const REQUIRED_SCALARS: readonly string[] = [
  '_Bool', 'char', 'signed char', 'unsigned char', 'short', 'unsigned short', 'int', 'unsigned int',
  'long', 'unsigned long', 'long long', 'unsigned long long', 'float', 'double', 'long double',
  'pointer', '__builtin_va_list',
];

// ---------------------------------------------------------------------------------------------

function describe(spec: Spec): string {
  switch (spec.t) {
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'int':
      return spec.min === undefined ? 'an integer' : spec.min === 0 ? 'a non-negative integer' : 'a positive integer';
    case 'enum':
      return `one of ${spec.values.map((v) => `'${v}'`).join(', ')}`;
    case 'array':
      return `a list of ${describe(spec.of).replace(/^an? /, '')}s`;
    case 'object':
    case 'record':
      return 'a map';
  }
}

/** A YAML value in a message; a string escaped and cut to 80 characters (a binary file given as
 *  a target parses as one long string). */
function cappedJson(v: unknown): string {
  return typeof v === 'string' ? quoteExcerpt(v, 80, '"') : JSON.stringify(v);
}

/** A scalar in a message: a number as written (`1e308`, `4.0`, not `1e+308`, `4`). */
function shown(node: YamlNode): string {
  const v = (node as { value?: unknown }).value;
  if (isScalar(node) && (typeof v === 'number' || typeof v === 'bigint')) return node.source ?? String(v);
  return cappedJson(v);
}

class Checker {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    private readonly file: string,
    private readonly lines: LineCounter,
  ) {}

  loc(offset: number | undefined): Loc {
    if (offset === undefined) return { file: this.file, line: 1, col: 1 };
    const p = this.lines.linePos(offset);
    return { file: this.file, line: p.line, col: p.col };
  }

  error(node: YamlNode | null | undefined, message: string, code = 'target-schema'): void {
    this.diagnostics.push(diag('error', message, this.loc(node?.range?.[0]), code));
  }

  /** Converts `node` to a plain value per `spec`, reporting every mismatch; undefined on error. */
  check(node: YamlNode | null | undefined, spec: Spec, path: string, parent: YamlNode | null): unknown {
    const at = node ?? parent;
    const wrong = (): undefined => {
      const got = node == null ? 'nothing' : isMap(node) ? 'a map' : isSeq(node) ? 'a list' : shown(node);
      // The whole file (path ''): name it, as an empty file has no line to point at.
      this.error(at, `${path || `target file '${this.file}'`}: expected ${describe(spec)}, got ${got}`, 'target-type');
      return undefined;
    };
    switch (spec.t) {
      case 'string': {
        if (!isScalar(node) || typeof node.value !== 'string') return wrong();
        return node.value;
      }
      case 'boolean': {
        if (!isScalar(node) || typeof node.value !== 'boolean') return wrong();
        return node.value;
      }
      case 'int': {
        // Parsed with intAsBigInt: a YAML int is a bigint, a float (`4.0`, `1e308`) a number.
        if (!isScalar(node) || typeof node.value !== 'bigint') return wrong();
        if (spec.min !== undefined && node.value < BigInt(spec.min)) return wrong();
        const max = spec.max ?? Number.MAX_SAFE_INTEGER;
        if (node.value > BigInt(max) || node.value < -BigInt(Number.MAX_SAFE_INTEGER)) {
          this.error(node, `${path}: ${node.value} is ${node.value > 0n ? `larger than ${max}` : `smaller than -${Number.MAX_SAFE_INTEGER}`}`, 'target-type');
          return undefined;
        }
        const v = Number(node.value);
        // max <= 2^16 wherever pow2 is set, so the bit trick is exact.
        if (spec.pow2 && v !== 0 && (v & (v - 1)) !== 0) {
          this.error(node, `${path}: ${v} is not a power of two${spec.min === 0 ? ' (or 0)' : ''}, as every alignment is`, 'target-type');
          return undefined;
        }
        return v;
      }
      case 'enum': {
        if (!isScalar(node) || typeof node.value !== 'string' || !spec.values.includes(node.value)) return wrong();
        return node.value;
      }
      case 'array': {
        if (!isSeq(node)) return wrong();
        const out: unknown[] = [];
        let ok = true;
        node.items.forEach((item, i) => {
          const v = this.check(item as YamlNode, spec.of, `${path}[${i}]`, node);
          if (v === undefined) ok = false;
          out.push(v);
        });
        return ok ? out : undefined;
      }
      case 'object':
      case 'record': {
        if (!isMap(node)) return wrong();
        // Null prototype: keys like 'constructor' (a GNU attribute) must not find Object.prototype.
        const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
        let ok = true;
        for (const pair of node.items) {
          const keyNode = pair.key as YamlNode;
          const key = isScalar(keyNode) ? String(keyNode.value) : null;
          const sub = path ? `${path}.${key}` : String(key);
          if (key === null) {
            this.error(keyNode, `${path || 'target'}: keys must be plain names`, 'target-schema');
            ok = false;
            continue;
          }
          let fieldSpec: Spec;
          if (spec.t === 'object') {
            const field = spec.fields[key];
            if (!field) {
              this.error(keyNode, `${sub}: unknown key '${key}' (allowed: ${Object.keys(spec.fields).join(', ')})`, 'target-unknown-key');
              ok = false;
              continue;
            }
            fieldSpec = field.spec;
          } else {
            if (spec.keys && !spec.keys.includes(key)) {
              this.error(keyNode, `${sub}: unknown key '${key}' (allowed: ${spec.keys.join(', ')})`, 'target-unknown-key');
              ok = false;
              continue;
            }
            fieldSpec = spec.of;
          }
          const v = this.check(pair.value as YamlNode | null, fieldSpec, sub, keyNode);
          if (v === undefined) ok = false;
          else out[key] = v;
        }
        if (spec.t === 'object') {
          for (const [key, field] of Object.entries(spec.fields)) {
            if (!field.optional && !(key in out) && !node.items.some((p) => isScalar(p.key) && p.key.value === key)) {
              this.error(node, `${path || 'target'}: missing key '${key}'`, 'target-missing-key');
              ok = false;
            }
          }
        }
        return ok ? out : undefined;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------

const cache = new Map<string, Result<Target, Diagnostic[]>>();
/** Directory each loaded target came from, for its predefined files. */
const homes = new WeakMap<Target, string>();

/** Names of the targets shipped in targets/, sorted. */
export function listTargets(dir: string = TARGETS_DIR): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** Loads a target by name (`thumbv7em-none-eabi`) or by path to a YAML file. Cached. */
export function loadTarget(nameOrPath: string): Result<Target, Diagnostic[]> {
  const path = isTargetPath(nameOrPath)
    ? isAbsolute(nameOrPath)
      ? nameOrPath
      : resolve(nameOrPath)
    : join(TARGETS_DIR, `${nameOrPath}.yaml`);
  const cached = cache.get(path);
  if (cached) return cached;
  const result = load(nameOrPath, path);
  cache.set(path, result);
  return result;
}

/**
 * The shipped targets as the build checked them: scripts/bundle.mjs writes targets.json next
 * to the bundle, each target's YAML text with the Target it gave. A file whose text is still
 * that text is not parsed and checked again: ~20 ms of every cold run, mostly the YAML
 * parser's cold code. Outside the bundle (src/, dist/) there is no such file.
 */
let compiled: Record<string, { yaml: string; target: Target }> | null | undefined;

function compiledTarget(name: string, text: string, home: string): Target | null {
  if (compiled === undefined) {
    try {
      compiled = JSON.parse(readFileSync(new URL('./targets.json', import.meta.url), 'utf8')) as Record<string, { yaml: string; target: Target }>;
    } catch {
      compiled = null;
    }
  }
  const c = compiled?.[name];
  if (!c || c.yaml !== text) return null;
  // Its predefined-macro files must still be there (else the full check below says so).
  const files = [c.target.predefinedFile, ...Object.values(c.target.predefinedFiles)];
  return files.every((f) => f === undefined || existsSync(join(home, f))) ? c.target : null;
}

function load(nameOrPath: string, path: string): Result<Target, Diagnostic[]> {
  const read = readInputFile(path);
  if (!read.ok) {
    // -t names it: a problem of the command line.
    if (read.problem.kind === 'missing' && !isTargetPath(nameOrPath)) {
      return { ok: false, error: [diag('error', `unknown target '${nameOrPath}'; available targets: ${listTargets().join(', ')}`, COMMAND_LINE, 'unknown-target')] };
    }
    return { ok: false, error: [diag('fatal', `cannot read target file '${path}': ${read.problem.reason}`, COMMAND_LINE, read.problem.code === 'missing-file' ? 'target-file' : read.problem.code)] };
  }
  const text = read.bytes.toString('utf8');
  const known = isTargetPath(nameOrPath) ? null : compiledTarget(nameOrPath, text, dirname(path));
  if (known) {
    homes.set(known, dirname(path));
    return { ok: true, value: known };
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true, intAsBigInt: true });
  const checker = new Checker(path, lines);
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      checker.diagnostics.push(diag('error', `YAML: ${e.message.split('\n')[0]}`, checker.loc(e.pos[0]), 'target-yaml'));
    }
    return { ok: false, error: checker.diagnostics };
  }
  const aliasProblem = resolveAliases(doc);
  if (aliasProblem) {
    checker.error(aliasProblem.node, `YAML: ${aliasProblem.message}`, 'target-yaml');
    return { ok: false, error: checker.diagnostics };
  }
  const value = checker.check(doc.contents as YamlNode | null, TARGET_SPEC, '', null) as Target | undefined;
  if (value === undefined || checker.diagnostics.length > 0) return { ok: false, error: checker.diagnostics };

  // Cross-field checks.
  const root = doc.contents;
  const nodeOf = (key: string): YamlNode | null => (isMap(root) ? ((root.get(key, true) as YamlNode | undefined) ?? null) : null);
  const fileName = basename(path).replace(/\.ya?ml$/, '');
  if (value.name !== fileName) checker.error(nodeOf('name'), `name '${value.name}' does not match the file name '${fileName}'`);
  for (const s of REQUIRED_SCALARS) {
    if (!(s in value.scalars)) checker.error(nodeOf('scalars'), `scalars: missing '${s}'`, 'target-missing-key');
  }
  if (value.compiler === 'gcc' && !value.gcc) checker.error(nodeOf('compiler'), `compiler is 'gcc' but there is no 'gcc' section`);
  if (value.compiler === 'gcc' && !value.predefinedFiles.gcc) checker.error(nodeOf('predefinedFiles'), `compiler is 'gcc' but predefinedFiles has no 'gcc' entry`);
  const home = dirname(path);
  const files: [string, string][] = [['predefinedFile', value.predefinedFile]];
  for (const [k, f] of Object.entries(value.predefinedFiles)) if (f !== undefined) files.push([`predefinedFiles.${k}`, f]);
  for (const [key, f] of files) {
    if (!existsSync(join(home, f))) {
      const node = key.startsWith('predefinedFiles.') && isMap(nodeOf('predefinedFiles'))
        ? ((nodeOf('predefinedFiles') as unknown as { get(k: string, keep: true): YamlNode | undefined }).get(key.split('.')[1]!, true) ?? null)
        : nodeOf(key);
      checker.error(node, `${key}: file '${join(home, f)}' does not exist (run scripts/gen-targets.mjs)`, 'target-file');
    }
  }
  if (checker.diagnostics.length > 0) return { ok: false, error: checker.diagnostics };
  homes.set(value, home);
  return { ok: true, value };
}

const sources = new Map<string, string>();

/** The target's predefined macros as `#define` source text: the ABI compiler's set by default,
 *  or a given compiler's set. Empty string when that compiler has no set for this target. */
export function predefinedSource(target: Target, compiler?: 'clang' | 'gcc'): string {
  const rel = compiler === undefined ? target.predefinedFile : target.predefinedFiles[compiler];
  if (rel === undefined) return '';
  const file = join(homes.get(target) ?? TARGETS_DIR, rel);
  let text = sources.get(file);
  if (text === undefined) {
    text = existsSync(file) ? readFileSync(file, 'utf8') : '';
    sources.set(file, text);
  }
  return text;
}

export type HasOperator = '__has_attribute' | '__has_builtin' | '__has_feature' | '__has_extension' | '__has_c_attribute';

const HAS_TABLE = {
  __has_attribute: 'hasAttribute',
  __has_builtin: 'hasBuiltin',
  __has_feature: 'hasFeature',
  __has_extension: 'hasExtension',
  __has_c_attribute: 'hasCAttribute',
} as const;

/** What the target's ABI compiler answers for `op(name)`: 0 when the name is not listed (or the
 *  compiler lacks the operator — see `target.hasOperators`). Attribute names may be written
 *  `__name__`, and `__has_feature`/`__has_extension` names too, as the compilers accept. */
export function hasAnswer(target: Target, op: HasOperator, name: string): number {
  const table = target[HAS_TABLE[op]];
  const direct = table[name];
  if (direct !== undefined) return direct;
  const m = /^(?:(\w+)::)?__(\w+)__$/.exec(name);
  if (m && op !== '__has_builtin') return table[m[1] ? `${m[1]}::${m[2]}` : m[2]!] ?? 0;
  return 0;
}
