// portabi.yaml: found from the working directory upward. Holds the headers, the flags (-I, -D,
// -U, -isystem, -iquote, -include, --config), the target, the outputs, async annotations
// keyed by C symbol and `isr-shim:` (the C shim for `runs-on: isr`, docs/isr-shim.md). Every problem — an unknown key included — is a located error value.
import type { InputOptions } from '../pipeline.js';
import { existsSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode, type Pair, type YAMLMap } from 'yaml';
import { reasonOf } from '../write-file.js';
import { resolveAliases } from '../yaml-aliases.js';
import type { AsyncAnnotation, ErrorConvention } from '../generate/async/model.js';

export const CONFIG_NAME = 'portabi.yaml';

export interface OutputConfig {
  lang: 'ts' | 'rust';
  /** Absolute path of the generated file. */
  path: string;
  /** What the generated module loads by default (ts). */
  library: string;
  loc: string;
  /** rust: `#[link(name = ...)]` on the extern block. */
  link?: string | null;
  /** rust: enums emitted as newtypes (true: all; or C names). */
  newtypeEnums?: boolean | string[];
  /** rust: operations that can be pending at once (registry slots). */
  maxOps?: number;
  /** rust: inline bytes of a bytes / string callback result. */
  maxBytes?: number;
}

/** `isr-shim:`: the C shim for `runs-on: isr` callbacks (src/generate/c/isr-shim.ts). */
export interface IsrShimConfig {
  /** Absolute path of the generated .c; the .h is written next to it (same stem). */
  path: string;
  /** C identifier prefix of everything the shim defines (default: the file stem). */
  prefix: string;
  /** Absolute path of the library `portabi gen` builds (`.o`: compile only, else a shared
   *  library), and that bindings load by default. */
  library: string;
  /** The user's compiler; when set, `portabi gen` builds `library` with it. */
  cc: string | null;
  cflags: string[];
  loc: string;
}

/** The header flags of portabi.yaml: the pipeline's input options less headers and target. */
export type FlagsConfig = Omit<InputOptions, 'headers' | 'target'>;

export interface PortabiConfig {
  /** Absolute path of portabi.yaml. */
  file: string;
  dir: string;
  headers: string[];
  /** Where each header is named in portabi.yaml (file:line:col), for problems with the file. */
  headerLocs: string[];
  flags: FlagsConfig;
  target: string;
  outputs: OutputConfig[];
  async: Record<string, { annotation: AsyncAnnotation; loc: string }>;
  isrShim: IsrShimConfig | null;
}

export interface ConfigError {
  loc: string;
  message: string;
}

export type ConfigResult = { ok: true; config: PortabiConfig } | { ok: false; errors: ConfigError[] };

/** portabi.yaml in `start` (a file, or a directory searched upward). */
export function findConfig(start: string): string | null {
  let p = resolve(start);
  if (existsSync(p) && statSync(p).isFile()) return p;
  for (;;) {
    const c = join(p, CONFIG_NAME);
    if (existsSync(c)) return c;
    const up = dirname(p);
    if (up === p) return null;
    p = up;
  }
}

const TOP_KEYS = ['headers', 'flags', 'target', 'outputs', 'async', 'isr-shim'];
const ISR_SHIM_KEYS = ['path', 'prefix', 'library', 'cc', 'cflags'];
const OUTPUT_KEYS = ['lang', 'path', 'library'];
const RUST_OUTPUT_KEYS = ['lang', 'path', 'link', 'newtype-enums', 'max-ops', 'max-bytes'];
const ASYNC_KEYS = ['enabled', 'scope', 'callback', 'context', 'cancel', 'cancel-args', 'done', 'done-event', 'errors', 'status', 'result', 'runs-on', 'queue', 'overflow'];
const ENUMS: Record<string, string[]> = {
  scope: ['once', 'stream', 'call'],
  'runs-on': ['thread', 'isr', 'caller'],
  overflow: ['error', 'drop-oldest', 'drop-newest'],
  'done-event': ['yield', 'drop'],
  errors: ['neg-errno', 'zero-fail', 'callback-status'],
};

/** The config of `start`: a portabi.yaml file (`gen -c FILE`), or the one found from a
 *  directory upward. A `start` that does not exist is an error, never a reason to search
 *  upward: a mistyped `-c` must not pick up another project's config. */
export function loadConfig(start: string): ConfigResult {
  let st;
  try {
    st = statSync(start, { throwIfNoEntry: false });
  } catch (e) {
    return { ok: false, errors: [{ loc: start, message: `cannot read: ${reasonOf(e)}` }] };
  }
  if (!st) return { ok: false, errors: [{ loc: start, message: 'no such file' }] };
  const file = findConfig(start);
  if (!file) return { ok: false, errors: [{ loc: resolve(start), message: `no ${CONFIG_NAME} here or in any parent directory` }] };
  return parseConfig(readFileSync(file, 'utf8'), file);
}

export function parseConfig(text: string, file: string): ConfigResult {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  const errors: ConfigError[] = [];
  const at = (n: YamlNode | null | undefined): string => {
    const off = n?.range?.[0] ?? 0;
    const p = lc.linePos(off);
    return `${file}:${p.line}:${p.col}`;
  };
  for (const e of doc.errors) {
    const p = lc.linePos(e.pos[0]);
    errors.push({ loc: `${file}:${p.line}:${p.col}`, message: e.message.split('\n')[0]! });
  }
  if (errors.length) return { ok: false, errors };
  const aliasProblem = resolveAliases(doc);
  if (aliasProblem) return { ok: false, errors: [{ loc: at(aliasProblem.node), message: aliasProblem.message }] };
  const dir = dirname(file);
  const cfg: PortabiConfig = {
    file,
    dir,
    headers: [],
    headerLocs: [],
    flags: { includePaths: [], systemIncludePaths: [], quoteIncludePaths: [], defines: [], undefines: [], macroOrder: [], forcedIncludes: [], configFiles: [] },
    target: 'x86_64-unknown-linux-gnu',
    outputs: [],
    async: {},
    isrShim: null,
  };
  const root = doc.contents;
  if (!isMap(root)) return { ok: false, errors: [{ loc: at(root as YamlNode), message: `${CONFIG_NAME} must be a mapping` }] };
  const abs = (p: string): string => (isAbsolute(p) ? p : resolve(dir, p));
  const keyName = (pair: Pair): string => (isScalar(pair.key) ? String(pair.key.value) : '');
  const unknown = (map: YAMLMap, allowed: string[], where: string): void => {
    for (const pair of map.items) {
      const k = keyName(pair);
      if (!allowed.includes(k)) errors.push({ loc: at(pair.key as YamlNode), message: `unknown key '${k}' in ${where} (known: ${allowed.join(', ')})` });
    }
  };
  const strings = (n: unknown, what: string): string[] => {
    if (isScalar(n) && typeof n.value === 'string') return [n.value];
    if (isSeq(n) && n.items.every((i) => isScalar(i) && typeof i.value === 'string')) return n.items.map((i) => String((i as { value: unknown }).value));
    errors.push({ loc: at(n as YamlNode), message: `${what} must be a string or a list of strings` });
    return [];
  };
  /** Every file `portabi gen` writes, with the entry that asks for it. */
  const written: { path: string; node: YamlNode; owner: string }[] = [];
  unknown(root, TOP_KEYS, CONFIG_NAME);
  for (const pair of root.items) {
    const k = keyName(pair);
    const v = pair.value;
    if (k === 'headers') {
      cfg.headers = strings(v, 'headers').map(abs);
      cfg.headerLocs = isSeq(v) ? v.items.map((i) => at(i as YamlNode)) : cfg.headers.map(() => at(v as YamlNode));
    }
    else if (k === 'target') {
      if (isScalar(v) && typeof v.value === 'string') cfg.target = v.value;
      else errors.push({ loc: at(v as YamlNode), message: 'target must be a string' });
    } else if (k === 'flags') parseFlags(strings(v, 'flags'), cfg.flags, abs, (m) => errors.push({ loc: at(v as YamlNode), message: m }));
    else if (k === 'outputs') {
      if (!isSeq(v)) {
        errors.push({ loc: at(v as YamlNode), message: 'outputs must be a list' });
        continue;
      }
      for (const item of v.items) {
        if (!isMap(item)) {
          errors.push({ loc: at(item as YamlNode), message: 'an output must be a mapping with lang and path' });
          continue;
        }
        const langNode: unknown = item.get('lang', true);
        const isRust = isScalar(langNode) && langNode.value === 'rust';
        unknown(item, isRust ? RUST_OUTPUT_KEYS : OUTPUT_KEYS, isRust ? 'a rust output' : 'an output');
        const get = (key: string): string | undefined => {
          const n = item.get(key, true);
          return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
        };
        const lang = get('lang');
        const path = get('path');
        if (lang !== 'ts' && lang !== 'rust') errors.push({ loc: at(item as YamlNode), message: `output lang must be 'ts' or 'rust' (got ${lang ?? 'nothing'})` });
        if (!path) errors.push({ loc: at(item as YamlNode), message: 'output needs a path' });
        if (path) written.push({ path: abs(path), node: item.get('path', true) as YamlNode, owner: `the output at ${at(item as YamlNode)}` });
        if (lang === 'ts' && path) cfg.outputs.push({ lang, path: abs(path), library: get('library') ?? 'lib.so', loc: at(item as YamlNode) });
        if (lang === 'rust' && path) cfg.outputs.push(parseRustOutput(item, abs(path), at(item as YamlNode), (n, m) => errors.push({ loc: at(n), message: m })));
      }
    } else if (k === 'isr-shim') {
      if (!isMap(v)) {
        errors.push({ loc: at(v as YamlNode), message: 'isr-shim must be a mapping with path (and prefix, library, cc, cflags)' });
        continue;
      }
      unknown(v, ISR_SHIM_KEYS, 'isr-shim');
      const str = (key: string): string | undefined => {
        const n = v.get(key, true);
        if (n === undefined) return undefined;
        if (isScalar(n) && typeof n.value === 'string' && n.value !== '') return n.value;
        errors.push({ loc: at(n as YamlNode), message: `isr-shim.${key} must be a non-empty string` });
        return undefined;
      };
      const path = str('path');
      if (!path) {
        if (v.get('path', true) === undefined) errors.push({ loc: at(v as YamlNode), message: 'isr-shim needs a path (the .c file to generate)' });
        continue;
      }
      if (!/\.c$/.test(path)) errors.push({ loc: at(v.get('path', true) as YamlNode), message: `isr-shim.path must name a .c file (got ${path})` });
      const stem = path.replace(/^.*[\\/]/, '').replace(/\.c$/, '');
      const prefix = str('prefix') ?? stem.replace(/[^A-Za-z0-9_]/g, '_').replace(/^(?=[0-9])/, '_');
      if (!/^[A-Za-z_]\w*$/.test(prefix)) errors.push({ loc: at(v.get('prefix', true) as YamlNode), message: `isr-shim.prefix must be a C identifier (got ${prefix})` });
      const library = str('library') ?? join(dirname(path), `lib${stem}.so`);
      const flagsNode = v.get('cflags', true);
      const pathNode = v.get('path', true) as YamlNode;
      written.push({ path: abs(path), node: pathNode, owner: `isr-shim at ${at(pathNode)}` });
      if (/\.c$/.test(path)) written.push({ path: abs(path).replace(/\.c$/, '.h'), node: pathNode, owner: `isr-shim (its .h) at ${at(pathNode)}` });
      cfg.isrShim = {
        path: abs(path),
        prefix,
        library: abs(library),
        cc: str('cc') ?? null,
        cflags: flagsNode === undefined ? [] : strings(flagsNode, 'isr-shim.cflags').flatMap((f) => f.trim().split(/\s+/)).filter((w) => w),
        loc: at(pair.key as YamlNode),
      };
    } else if (k === 'async') {
      if (!isMap(v)) {
        errors.push({ loc: at(v as YamlNode), message: 'async must be a mapping from C symbol to annotation' });
        continue;
      }
      for (const ap of v.items) {
        const sym = keyName(ap);
        const a = ap.value;
        if (!isMap(a)) {
          errors.push({ loc: at(ap.key as YamlNode), message: `async.${sym} must be a mapping` });
          continue;
        }
        unknown(a, ASYNC_KEYS, `async.${sym}`);
        const ann = parseAnnotation(a, sym, (n, m) => errors.push({ loc: at(n), message: m }));
        cfg.async[sym] = { annotation: ann, loc: at(ap.key as YamlNode) };
      }
    }
  }
  // Two entries writing one file: `gen` would write one over the other.
  const owners = new Map<string, (typeof written)[number]>();
  for (const w of written) {
    const first = owners.get(w.path);
    if (first) errors.push({ loc: at(w.node), message: `${w.owner} writes ${w.path}, as does ${first.owner}: each generated file needs its own path` });
    else owners.set(w.path, w);
  }
  // A generated file that is one of gen's inputs: writing it would replace the input. Compared
  // by resolved path (and real path, for a symlink that exists) with portabi.yaml, the listed
  // headers and the flags' -include and --config files. Files reached only by #include are not
  // known here (they are found when the headers are preprocessed), so they are not compared.
  const real = (p: string): string => {
    try {
      return realpathSync(p);
    } catch {
      return p;
    }
  };
  const inputs = new Map<string, string>();
  const addInput = (p: string, what: string): void => {
    for (const k of [resolve(p), real(resolve(p))]) if (!inputs.has(k)) inputs.set(k, what);
  };
  addInput(file, CONFIG_NAME);
  for (const h of cfg.headers) addInput(h, `the header ${h}`);
  for (const f of cfg.flags.forcedIncludes) addInput(f, `the -include file ${f}`);
  for (const f of cfg.flags.configFiles) addInput(f, `the --config file ${f}`);
  for (const w of written) {
    const input = inputs.get(resolve(w.path)) ?? inputs.get(real(resolve(w.path)));
    if (input !== undefined) errors.push({ loc: at(w.node), message: `${w.owner} would overwrite an input: ${input}` });
  }
  if (cfg.headers.length === 0) errors.push({ loc: `${file}:1:1`, message: 'headers: at least one header is needed' });
  return errors.length ? { ok: false, errors } : { ok: true, config: cfg };
}

function parseRustOutput(item: YAMLMap, path: string, loc: string, err: (n: YamlNode, m: string) => void): OutputConfig {
  const out: OutputConfig = { lang: 'rust', path, library: '', loc };
  for (const pair of item.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const n = pair.value as YamlNode;
    const js = (n as { toJSON?: () => unknown })?.toJSON ? (n as { toJSON: () => unknown }).toJSON() : null;
    if (key === 'link') {
      if (typeof js === 'string' && /^[\w.+-]+$/.test(js)) out.link = js;
      else err(n, 'link must be a library name (as for -l)');
    } else if (key === 'newtype-enums') {
      if (typeof js === 'boolean') out.newtypeEnums = js;
      else if (Array.isArray(js) && js.every((x) => typeof x === 'string')) out.newtypeEnums = js as string[];
      else err(n, 'newtype-enums must be true, false or a list of enum names');
    } else if (key === 'max-ops' || key === 'max-bytes') {
      if (typeof js === 'number' && Number.isInteger(js) && js > 0 && js <= 1 << 20) {
        if (key === 'max-ops') out.maxOps = js;
        else out.maxBytes = js;
      } else err(n, `${key} must be a positive integer`);
    }
  }
  return out;
}

function parseAnnotation(a: YAMLMap, sym: string, err: (n: YamlNode, m: string) => void): AsyncAnnotation {
  const out: AsyncAnnotation = {};
  for (const pair of a.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    const n = pair.value as YamlNode;
    const js = (n as { toJSON?: () => unknown })?.toJSON ? (n as { toJSON: () => unknown }).toJSON() : null;
    const str = (): string | undefined => {
      if (typeof js === 'string') return js;
      err(n, `async.${sym}.${key} must be a string`);
      return undefined;
    };
    const oneOf = (v: string | undefined): string | undefined => {
      if (v !== undefined && ENUMS[key] && !ENUMS[key]!.includes(v)) {
        err(n, `async.${sym}.${key}: '${v}' is not one of ${ENUMS[key]!.join(', ')}`);
        return undefined;
      }
      return v;
    };
    switch (key) {
      case 'enabled':
        if (typeof js === 'boolean') out.enabled = js;
        else err(n, `async.${sym}.enabled must be true or false`);
        break;
      case 'scope': {
        const v = oneOf(str());
        if (v) out.scope = v as AsyncAnnotation['scope'] & string;
        break;
      }
      case 'runs-on': {
        const v = oneOf(str());
        if (v) out.runsOn = v as NonNullable<AsyncAnnotation['runsOn']>;
        break;
      }
      case 'overflow': {
        const v = oneOf(str());
        if (v) out.overflow = v as NonNullable<AsyncAnnotation['overflow']>;
        break;
      }
      case 'done-event': {
        const v = oneOf(str());
        if (v) out.doneEvent = v as NonNullable<AsyncAnnotation['doneEvent']>;
        break;
      }
      case 'callback':
      case 'context':
      case 'done':
      case 'status': {
        const v = str();
        if (v !== undefined) out[key] = v;
        break;
      }
      case 'cancel':
        if (js === null || typeof js === 'string') out.cancel = js;
        else err(n, `async.${sym}.cancel must be a function name, set-null or null`);
        break;
      case 'cancel-args':
        if (Array.isArray(js) && js.every((x) => typeof x === 'string')) out.cancelArgs = js as string[];
        else err(n, `async.${sym}.cancel-args must be a list of strings`);
        break;
      case 'errors': {
        const list = typeof js === 'string' ? [js] : Array.isArray(js) ? js : null;
        if (!list || !list.every((x) => typeof x === 'string' && ENUMS.errors!.includes(x))) err(n, `async.${sym}.errors must be one or a list of ${ENUMS.errors!.join(', ')}`);
        else out.errors = list as ErrorConvention[];
        break;
      }
      case 'result':
        if (js === null || typeof js === 'string' || (Array.isArray(js) && js.every((x) => typeof x === 'string'))) out.result = js as AsyncAnnotation['result'];
        else if (typeof js === 'object' && Object.values(js as object).every((x) => typeof x === 'string')) out.result = js as Record<string, string>;
        else err(n, `async.${sym}.result must be a name, bytes(ptr, len), string(ptr), or a list / map of those`);
        break;
      case 'queue':
        if (typeof js === 'number' && Number.isInteger(js) && js > 0) out.queue = js;
        else err(n, `async.${sym}.queue must be a positive integer`);
        break;
    }
  }
  return out;
}

function parseFlags(flags: string[], into: FlagsConfig, abs: (p: string) => string, err: (m: string) => void): void {
  const words = flags.flatMap((f) => f.trim().split(/\s+/)).filter((w) => w);
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const arg = (prefix: string): string | null => {
      if (w.length > prefix.length) return w.slice(prefix.length);
      const n = words[++i];
      if (n === undefined) {
        err(`flag ${w} needs an argument`);
        return null;
      }
      return n;
    };
    if (w.startsWith('-isystem')) {
      const a = arg('-isystem');
      if (a) into.systemIncludePaths.push(abs(a));
    } else if (w.startsWith('-iquote')) {
      const a = arg('-iquote');
      if (a) into.quoteIncludePaths.push(abs(a));
    } else if (w === '-include') {
      const a = arg('-include');
      if (a) into.forcedIncludes.push(abs(a));
    } else if (w.startsWith('--config')) {
      const a = w.startsWith('--config=') ? w.slice(9) : arg('--config');
      if (a) into.configFiles.push(abs(a));
    } else if (w.startsWith('-I')) {
      const a = arg('-I');
      if (a) into.includePaths.push(abs(a));
    } else if (w.startsWith('-D')) {
      const a = arg('-D');
      if (a) {
        const eq = a.indexOf('=');
        into.defines.push(eq < 0 ? { name: a, value: '1' } : { name: a.slice(0, eq), value: a.slice(eq + 1) });
        // -D and -U apply in the order written, as with cc (-UX -DX=2 defines X).
        (into.macroOrder ??= []).push('D');
      }
    } else if (w.startsWith('-U')) {
      const a = arg('-U');
      if (a) {
        into.undefines.push(a);
        (into.macroOrder ??= []).push('U');
      }
    } else err(`unknown flag '${w}' (known: -I, -isystem, -iquote, -D, -U, -include, --config)`);
  }
}
