// The real crate: Debian's librust-libc-dev (old src/unix/... layout). Expected values are
// the C headers' (glibc x86_64: __SIZEOF_PTHREAD_MUTEX_T 40; arm: 24; <asm-generic/socket.h>:
// SOL_SOCKET 1, SO_REUSEADDR 2), derived by hand, never from portabi's output.
import { existsSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { importRustLibc, renderProfileYaml } from '../../src/check/rust-libc/import.js';
import { parseProfile } from '../../src/check/profile-load.js';

const REGISTRY = '/usr/share/cargo/registry';
const crateDir = existsSync(REGISTRY)
  ? readdirSync(REGISTRY).filter((d) => /^libc-0\.2\.\d+$/.test(d)).map((d) => `${REGISTRY}/${d}`).sort().pop()
  : undefined;

describe.skipIf(!crateDir)('Debian libc crate', () => {
  const triples = ['arm-unknown-linux-gnueabihf', 'x86_64-unknown-linux-gnu', 'x86_64-unknown-linux-musl'];
  const results = Object.fromEntries(triples.map((t) => [t, importRustLibc(crateDir!, t)]));

  it.each(triples)('%s: fewer than 2% of items unresolved', (t) => {
    const { stats, profile } = results[t]!;
    console.log(`${t}: ${stats.items} items, ${stats.resolved} resolved, ${stats.unresolved} unresolved`, profile.unresolved.map((u) => u.item));
    expect(stats.items).toBeGreaterThan(3000);
    expect(stats.resolved + stats.unresolved).toBe(stats.items);
    expect(stats.unresolved / stats.items).toBeLessThan(0.02);
  });

  it('x86_64-unknown-linux-gnu: SOL_SOCKET 1, SO_REUSEADDR 2, pthread_mutex_t 40 bytes', () => {
    const p = results['x86_64-unknown-linux-gnu']!.profile;
    expect(p.constants['SOL_SOCKET']).toEqual({ value: '1', type: 'int' });
    expect(p.constants['SO_REUSEADDR']).toEqual({ value: '2', type: 'int' });
    expect(p.types['pthread_mutex_t']).toMatchObject({ size: 40, align: 8 });
    // glibc struct stat on x86_64 is 144 bytes; st_size at 48 (bits/struct_stat.h).
    expect(p.types['stat']).toMatchObject({ size: 144, fields: { st_size: { offset: 48 } } });
  });

  it('arm-unknown-linux-gnueabihf: pthread_mutex_t 24 bytes; struct stat 88 (st_size at 48)', () => {
    const p = results['arm-unknown-linux-gnueabihf']!.profile;
    expect(p.types['pthread_mutex_t']).toMatchObject({ size: 24, align: 4 });
    expect(p.types['stat']).toMatchObject({ size: 88, fields: { st_dev: { offset: 0 } } });
    // PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP: __kind (offset 12 on 32-bit) = 1.
    const bytes = p.initializers['PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP']!.bytes!;
    expect(bytes.length).toBe(48);
    expect(bytes.slice(24, 26)).toBe('01');
  });

  it('the rendered YAML loads with the profile loader and is deterministic', () => {
    const r = results['x86_64-unknown-linux-musl']!;
    const text = renderProfileYaml(r.profile);
    expect(renderProfileYaml(importRustLibc(crateDir!, 'x86_64-unknown-linux-musl').profile)).toBe(text);
    const loaded = parseProfile(text, 'musl.yaml');
    expect(Object.keys(loaded.profile?.constants ?? {}).length).toBe(Object.keys(r.profile.constants).length);
  });
});
