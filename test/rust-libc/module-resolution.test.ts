// Module resolution as rustc does it (the Rust reference, "Modules", "Use declarations",
// "Visibility and privacy"): `mod x;` → x.rs or x/mod.rs, inline `mod x { mod y; }` →
// x/y.rs, `#[path]`, `pub(crate)` globs that do not widen visibility, explicit `pub use` of
// chosen headers. Fixture: test/fixtures/rust-libc-new-layout (upstream's src/new/ shape).
import { describe, expect, it } from 'vitest';
import { cfgSetFor, RUST_TARGETS } from '../../src/check/rust-libc/cfg.js';
import { loadCrate, Resolver } from '../../src/check/rust-libc/crate.js';
import { importRustLibc } from '../../src/check/rust-libc/import.js';

const FIXTURE = new URL('../fixtures/rust-libc-new-layout', import.meta.url).pathname;

function publicNames(triple: string) {
  const crate = loadCrate(FIXTURE, cfgSetFor(RUST_TARGETS[triple]!));
  const p = new Resolver(crate).publicItems();
  return { crate, types: [...p.types.keys()].sort(), values: [...p.values.keys()].sort() };
}

describe('new layout (src/new/<library>/)', () => {
  it('glibc target: files come from the cfg-selected modules, #[path] and inline modules', () => {
    const { crate } = publicNames('x86_64-unknown-linux-gnu');
    const files = crate.files.map((f) => f.slice(FIXTURE.length + 1)).sort();
    expect(files).toContain('src/new/glibc/posix/unistd.rs'); // inline `mod posix { mod unistd; }`
    expect(files).toContain('src/new/glibc/sysdeps/pthread_impl.rs'); // #[path]
    expect(files).toContain('src/new/linux_uapi/linux/can.rs'); // x/mod.rs then x.rs
    expect(files.some((f) => f.includes('/musl/') || f.includes('/nuttx/'))).toBe(false);
    expect(crate.diagnostics).toEqual([]);
  });

  it('exports only what src/new/mod.rs re-exports with `pub use`', () => {
    const { types, values } = publicNames('x86_64-unknown-linux-gnu');
    expect(types).toEqual(['c_char', 'c_int', 'c_long', 'c_short', 'c_uint', 'can_frame', 'canid_t', 'packed_one', 'packed_pair', 'pthread_mutex_t', 'size_t', 'ssize_t']);
    // unistd: a glob chain glibc → posix → unistd → common::posix::unistd.
    expect(values).toEqual(expect.arrayContaining(['close', 'read', 'execvp', '_POSIX_VERSION', 'SOL_SOCKET', 'PTHREAD_MUTEX_INITIALIZER', 'pthread_mutex_lock']));
    // pub(crate) items and private consts stay inside the crate.
    expect(values).not.toContain('GLIBC_INTERNAL');
    expect(values).not.toContain('CAN_DATA_LEN');
    expect(values).not.toContain('NUTTX_ONLY');
  });

  it('musl target: `pub(crate) use path::to::module;` makes the module name usable by a glob', () => {
    const { crate, values } = publicNames('x86_64-unknown-linux-musl');
    expect(crate.files.some((f) => f.includes('/glibc/'))).toBe(false);
    expect(values).toEqual(expect.arrayContaining(['close', 'read', 'SOL_SOCKET']));
    expect(values).not.toContain('_POSIX_VERSION'); // glibc's unistd only
  });

  it('nuttx target: target_os = "nuttx" picks the nuttx module, no libc env module', () => {
    const { values } = publicNames('thumbv7em-nuttx-eabi');
    expect(values).toEqual(['NUTTX_ONLY']);
  });

  it('bare metal (target_os = "none", no unix): the crate is empty', () => {
    const { types, values } = publicNames('thumbv7em-none-eabi');
    expect(types).toEqual([]);
    expect(values).toEqual([]);
  });

  it('field cfgs: musl pthread_mutex_t is [u64; 5] on 64-bit (40) and [u32; 6] on 32-bit (24)', () => {
    expect(importRustLibc(FIXTURE, 'x86_64-unknown-linux-musl').profile.types['pthread_mutex_t']).toMatchObject({ size: 40, align: 8 });
    expect(importRustLibc(FIXTURE, 'arm-unknown-linux-gnueabihf').profile.types['pthread_mutex_t']).toMatchObject({ size: 24, align: 4 });
  });

  it('prototypes: c_* aliases as C base types, *const T as const T *', () => {
    const { profile } = importRustLibc(FIXTURE, 'x86_64-unknown-linux-gnu');
    expect(profile.functions['read']).toEqual({ signature: 'ssize_t read(int, void *, size_t)' });
    expect(profile.functions['execvp']).toEqual({ signature: 'int execvp(const char *, const char *const *)' });
    expect(profile.functions['pthread_mutex_lock']).toEqual({ signature: 'int pthread_mutex_lock(pthread_mutex_t *)' });
  });
});
