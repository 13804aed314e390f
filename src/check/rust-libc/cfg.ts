// `#[cfg(...)]` evaluation for a Rust target, and the table of Rust targets the importer knows:
// their cfg values (what `rustc --print cfg --target T` prints) and the portabi C target whose
// ABI their `repr(C)` layout follows.
import { readInputFile } from '../../parse/input-file.js';
import type { Meta } from './meta.js';

/** The cfg set of one compilation: `name` and `name = "value"` pairs. */
export interface CfgSet {
  /** Bare names that are set (`unix`, `libc_align`). */
  names: Set<string>;
  /** `key = "value"` pairs; a key may have several values (`target_feature`, `feature`). */
  values: Map<string, Set<string>>;
}

export interface RustTarget {
  triple: string;
  /** The portabi C target (targets/<name>.yaml) with the same C ABI. */
  cTarget: string;
  arch: string;
  os: string;
  env: string;
  abi: string;
  vendor: string;
  family: string[];
  pointerWidth: 16 | 32 | 64;
  endian: 'little' | 'big';
  /** `c_char` is signed on this target (x86; unsigned on Arm, AArch64 Linux, RISC-V). */
  charSigned: boolean;
}

const t = (
  triple: string,
  cTarget: string,
  arch: string,
  os: string,
  env: string,
  abi: string,
  pointerWidth: 32 | 64,
  charSigned: boolean,
  vendor = 'unknown',
): RustTarget => ({
  triple,
  cTarget,
  arch,
  os,
  env,
  abi,
  vendor,
  family: os === 'none' ? [] : ['unix'],
  pointerWidth,
  endian: 'little',
  charSigned,
});

/** Values from `rustc --print cfg --target <triple>` (Rust 1.8x). */
export const RUST_TARGETS: Record<string, RustTarget> = Object.fromEntries(
  [
    t('arm-unknown-linux-gnueabihf', 'armv7-unknown-linux-gnueabihf', 'arm', 'linux', 'gnu', 'eabihf', 32, false),
    t('armv7-unknown-linux-gnueabihf', 'armv7-unknown-linux-gnueabihf', 'arm', 'linux', 'gnu', 'eabihf', 32, false),
    t('x86_64-unknown-linux-gnu', 'x86_64-unknown-linux-gnu', 'x86_64', 'linux', 'gnu', '', 64, true),
    t('x86_64-unknown-linux-musl', 'x86_64-unknown-linux-musl', 'x86_64', 'linux', 'musl', '', 64, true),
    t('i686-unknown-linux-gnu', 'i686-unknown-linux-gnu', 'x86', 'linux', 'gnu', '', 32, true),
    t('aarch64-unknown-linux-gnu', 'aarch64-unknown-linux-gnu', 'aarch64', 'linux', 'gnu', '', 64, false),
    t('riscv64gc-unknown-linux-gnu', 'riscv64gc-unknown-linux-gnu', 'riscv64', 'linux', 'gnu', '', 64, false),
    t('thumbv7em-none-eabi', 'thumbv7em-none-eabi', 'arm', 'none', '', 'eabi', 32, false),
    t('thumbv7em-none-eabihf', 'thumbv7em-none-eabihf', 'arm', 'none', '', 'eabihf', 32, false),
    t('riscv32imac-unknown-none-elf', 'riscv32imac-unknown-none-elf', 'riscv32', 'none', '', '', 32, false),
    // NuttX: a POSIX RTOS (target_family = "unix") on bare-metal Arm AAPCS.
    t('thumbv7em-nuttx-eabi', 'thumbv7em-none-eabi', 'arm', 'nuttx', '', 'eabi', 32, false),
    t('thumbv7em-nuttx-eabihf', 'thumbv7em-none-eabihf', 'arm', 'nuttx', '', 'eabihf', 32, false),
    t('armv7a-nuttx-eabihf', 'thumbv7em-none-eabihf', 'arm', 'nuttx', '', 'eabihf', 32, false),
  ].map((x) => [x.triple, x]),
);

/**
 * The `libc_*` cfgs the crate's build.rs sets for a modern rustc (≥ 1.70) when not built as a
 * dependency of std: every `rustc-cfg` it prints under a `rustc_minor_ver >= N` test, plus the
 * default `freebsd11`. Known names are listed so a crate without build.rs still works.
 */
export const MODERN_RUSTC_CFGS = [
  'libc_priv_mod_use',
  'libc_union',
  'libc_const_size_of',
  'libc_align',
  'libc_int128',
  'libc_core_cvoid',
  'libc_packedN',
  'libc_cfg_target_vendor',
  'libc_non_exhaustive',
  'libc_long_array',
  'libc_ptr_addr_of',
  'libc_underscore_const_names',
  'libc_const_extern_fn',
  'freebsd11',
];

/** The rustc minor version the importer models. */
export const RUSTC_MINOR = 80;

/** Cfgs build.rs enables for rustc 1.RUSTC_MINOR: scans `if <cond> { ... rustc-cfg=X ... }`. */
export function buildScriptCfgs(buildRsText: string): string[] {
  const out = new Set<string>();
  const re = /rustc-cfg=([A-Za-z0-9_]+)/g;
  for (let m = re.exec(buildRsText); m; m = re.exec(buildRsText)) {
    const before = buildRsText.slice(0, m.index);
    const lineStart = before.lastIndexOf('\n') + 1;
    const line = buildRsText.slice(lineStart, buildRsText.indexOf('\n', m.index));
    // `Some(_) | None => println!("cargo:rustc-cfg=freebsd11")`: the default arm of a match.
    if (/\bNone\s*=>/.test(line)) {
      out.add(m[1]!);
      continue;
    }
    // The nearest enclosing `if` header before this line.
    const ifIdx = before.lastIndexOf('if ');
    const braceIdx = before.lastIndexOf('}');
    if (ifIdx < 0 || braceIdx > ifIdx) continue;
    const header = before.slice(ifIdx, before.indexOf('{', ifIdx));
    const v = /rustc_minor_ver\s*>=\s*(\d+)/.exec(header);
    if (v && Number(v[1]) <= RUSTC_MINOR && !/!\s*\(?\s*rustc_minor_ver/.test(header)) out.add(m[1]!);
  }
  return [...out];
}

export interface CfgOptions {
  /** Cargo features enabled (default: the crate's default, `std`). */
  features?: string[];
  /** Extra bare cfg names (e.g. from build.rs). */
  extra?: string[];
}

export function cfgSetFor(target: RustTarget, opts: CfgOptions = {}): CfgSet {
  const names = new Set<string>([...target.family, ...(opts.extra ?? [])]);
  const values = new Map<string, Set<string>>();
  const put = (k: string, v: string) => {
    let s = values.get(k);
    if (!s) values.set(k, (s = new Set()));
    s.add(v);
  };
  put('target_arch', target.arch);
  put('target_os', target.os);
  put('target_env', target.env);
  put('target_abi', target.abi);
  put('target_vendor', target.vendor);
  put('target_pointer_width', String(target.pointerWidth));
  put('target_endian', target.endian);
  for (const f of target.family) put('target_family', f);
  for (const f of opts.features ?? ['std']) put('feature', f);
  return { names, values };
}

/** The cfg set for a crate directory: target values plus what its build.rs sets. */
export function cfgSetForCrate(crateDir: string, target: RustTarget, features?: string[]): { cfg: CfgSet; buildCfgs: string[] } {
  let buildCfgs: string[] = [];
  // Read through readInputFile: a build.rs that is a FIFO or a device is passed over (as a
  // missing one), not waited on.
  const build = readInputFile(`${crateDir}/build.rs`);
  if (build.ok) buildCfgs = buildScriptCfgs(build.bytes.toString('utf8'));
  const extra = [...new Set([...MODERN_RUSTC_CFGS, ...buildCfgs])];
  return { cfg: cfgSetFor(target, features ? { features, extra } : { extra }), buildCfgs };
}

/** Evaluate a cfg predicate (the argument of `cfg(...)`). Unknown names are unset, as in rustc. */
export function evalCfg(pred: Meta, cfg: CfgSet): boolean {
  if (pred.args) {
    switch (pred.name) {
      case 'all':
        return pred.args.every((a) => evalCfg(a, cfg));
      case 'any':
        return pred.args.some((a) => evalCfg(a, cfg));
      case 'not':
        return pred.args.length === 1 && !evalCfg(pred.args[0]!, cfg);
      default:
        return false; // target_has_atomic(...)-like forms we do not model
    }
  }
  if (pred.value !== undefined) return cfg.values.get(pred.name)?.has(pred.value) ?? false;
  return cfg.names.has(pred.name);
}

/**
 * Whether an item with these attributes exists: every `#[cfg(p)]` holds (and every
 * `#[cfg_attr(q, cfg(p))]` whose q holds).
 */
export function itemEnabled(attrs: Meta[], cfg: CfgSet): boolean {
  for (const a of effectiveAttrs(attrs, cfg)) {
    if (a.name === 'cfg') {
      if (!a.args || a.args.length !== 1 || !evalCfg(a.args[0]!, cfg)) return false;
    }
  }
  return true;
}

/** Attributes with `cfg_attr(pred, a, b)` replaced by `a, b` when pred holds (recursively). */
export function effectiveAttrs(attrs: Meta[], cfg: CfgSet): Meta[] {
  const out: Meta[] = [];
  for (const a of attrs) {
    if (a.name === 'cfg_attr' && a.args && a.args.length >= 2) {
      if (evalCfg(a.args[0]!, cfg)) out.push(...effectiveAttrs(a.args.slice(1), cfg));
    } else out.push(a);
  }
  return out;
}
