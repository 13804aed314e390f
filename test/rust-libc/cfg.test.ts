// cfg evaluation as rustc does it for a target (`rustc --print cfg --target T`, the Rust
// reference "Conditional compilation"): expected answers derived by hand.
import { describe, expect, it } from 'vitest';
import { buildScriptCfgs, cfgSetFor, evalCfg, itemEnabled, RUST_TARGETS } from '../../src/check/rust-libc/cfg.js';
import { parseMeta } from '../../src/check/rust-libc/meta.js';

const arm = cfgSetFor(RUST_TARGETS['arm-unknown-linux-gnueabihf']!, { extra: ['libc_align'] });
const x64 = cfgSetFor(RUST_TARGETS['x86_64-unknown-linux-gnu']!);
const musl = cfgSetFor(RUST_TARGETS['x86_64-unknown-linux-musl']!);
const bare = cfgSetFor(RUST_TARGETS['thumbv7em-none-eabi']!);
const nuttx = cfgSetFor(RUST_TARGETS['thumbv7em-nuttx-eabi']!);

const cfg = (s: string, set = arm) => evalCfg(parseMeta(s)!, set);

describe('cfg predicates', () => {
  it('bare names: unix is set on Linux and NuttX, not on bare metal', () => {
    expect(cfg('unix', arm)).toBe(true);
    expect(cfg('unix', nuttx)).toBe(true);
    expect(cfg('unix', bare)).toBe(false);
    expect(cfg('windows', x64)).toBe(false);
  });
  it('key = "value" pairs', () => {
    expect(cfg('target_arch = "arm"')).toBe(true);
    expect(cfg('target_pointer_width = "32"')).toBe(true);
    expect(cfg('target_pointer_width = "64"', x64)).toBe(true);
    expect(cfg('target_env = "gnu"', musl)).toBe(false);
    expect(cfg('target_env = "musl"', musl)).toBe(true);
    expect(cfg('target_os = "none"', bare)).toBe(true);
    expect(cfg('target_family = "unix"', bare)).toBe(false);
    expect(cfg('target_endian = "little"')).toBe(true);
    expect(cfg('target_vendor = "unknown"')).toBe(true);
  });
  it('all / any / not, nested', () => {
    expect(cfg('all(target_os = "linux", target_env = "gnu", not(target_arch = "x86_64"))')).toBe(true);
    expect(cfg('all(target_os = "linux", target_env = "gnu", not(target_arch = "x86_64"))', x64)).toBe(false);
    expect(cfg('any(target_arch = "mips", target_arch = "x86_64")', x64)).toBe(true);
    expect(cfg('any()')).toBe(false);
    expect(cfg('all()')).toBe(true);
    // x32: x86_64 with 32-bit pointers, not this target.
    expect(cfg('all(target_arch = "x86_64", target_pointer_width = "32")', x64)).toBe(false);
  });
  it('features: std by default; extra_traits and rustc-dep-of-std off', () => {
    expect(cfg('feature = "std"')).toBe(true);
    expect(cfg('feature = "extra_traits"')).toBe(false);
    expect(cfg('not(feature = "rustc-dep-of-std")')).toBe(true);
  });
  it('unset names are false: doc, test, unknown libc_* cfgs', () => {
    expect(cfg('doc')).toBe(false);
    expect(cfg('test')).toBe(false);
    expect(cfg('libc_thread_local')).toBe(false);
    expect(cfg('libc_align')).toBe(true);
    expect(cfg('target_has_atomic = "64"')).toBe(false);
  });
  it('cfg_attr(pred, cfg(...)) gates an item only when pred holds', () => {
    const a = [parseMeta('cfg_attr(target_arch = "arm", cfg(target_os = "none"))')!];
    expect(itemEnabled(a, arm)).toBe(false);
    expect(itemEnabled(a, x64)).toBe(true);
  });
});

describe('build.rs cfgs for a modern rustc', () => {
  const buildRs = `
    if rustc_minor_ver >= 25 || rustc_dep_of_std || align_cargo_feature {
        println!("cargo:rustc-cfg=libc_align");
    }
    if rustc_minor_ver >= 62 {
        println!("cargo:rustc-cfg=libc_const_extern_fn");
    } else {
        if const_extern_fn_cargo_feature {
            if !is_nightly || rustc_minor_ver < 40 {
                panic!("const-extern-fn requires a nightly compiler >= 1.40");
            }
            println!("cargo:rustc-cfg=libc_const_extern_fn_unstable");
        }
    }
    if rustc_dep_of_std {
        println!("cargo:rustc-cfg=libc_thread_local");
    }
    if libc_ci {
        println!("cargo:rustc-cfg=libc_deny_warnings");
    }
    match which_freebsd() {
        Some(11) if libc_ci => println!("cargo:rustc-cfg=freebsd11"),
        Some(_) | None => println!("cargo:rustc-cfg=freebsd11"),
    }`;
  it('enables what rustc_minor_ver >= N with N <= 80 enables, and the default freebsd11', () => {
    expect(buildScriptCfgs(buildRs).sort()).toEqual(['freebsd11', 'libc_align', 'libc_const_extern_fn']);
  });
});
