// Building the ISR shim with the user's compiler (src/generate/c/build.ts): the compiler sees the
// headers in the configuration portabi computed the bindings for (portabi.yaml's Kconfig files
// included), and the library is rebuilt when anything the build reads changed.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildIsrShim, isrShimStale } from '../../src/generate/c/build.js';
import { parseConfig, type FlagsConfig, type IsrShimConfig } from '../../src/config/config.js';

const dir = mkdtempSync(join(tmpdir(), 'portabi-isr-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const flags = (over: Partial<FlagsConfig>): FlagsConfig => ({
  includePaths: [], systemIncludePaths: [], quoteIncludePaths: [], defines: [], undefines: [], forcedIncludes: [], configFiles: [], ...over,
});

describe('the ISR shim build', () => {
  it('passes the Kconfig options as portabi reads them (y, m, numbers, strings, not set), before -D', () => {
    const config = join(dir, 'board.config');
    writeFileSync(config, 'CONFIG_A=y\nCONFIG_N=0x10\nCONFIG_S="abc"\nCONFIG_M=m\n# CONFIG_B is not set\nCONFIG_OVR=1\n');
    // The values asserted are the README's Kconfig rules: y -> 1, m -> X_MODULE 1, not set ->
    // undefined; a -D after the Kconfig file wins, as in portabi's prologue.
    const c = join(dir, 'shim.c');
    writeFileSync(c, [
      '#ifndef CONFIG_A',
      '#error CONFIG_A=y must define CONFIG_A',
      '#endif',
      '_Static_assert(CONFIG_A == 1, "y is 1");',
      '_Static_assert(CONFIG_N == 16, "0x10");',
      '_Static_assert(sizeof(CONFIG_S) == 4, "a string literal of 3 chars");',
      '_Static_assert(CONFIG_M_MODULE == 1, "m");',
      '#ifdef CONFIG_B',
      '#error "is not set" must leave CONFIG_B undefined',
      '#endif',
      '_Static_assert(CONFIG_OVR == 2, "-D after the Kconfig file");',
      '',
    ].join('\n'));
    const shim: IsrShimConfig = { path: c, prefix: 'shim', library: join(dir, 'shim.o'), cc: 'cc', cflags: [], loc: 'portabi.yaml:1:1' };
    expect(buildIsrShim(shim, flags({ configFiles: [config], defines: [{ name: 'CONFIG_OVR', value: '2' }] }))).toEqual({ ok: true });
  });

  it('applies -D and -U in the order portabi.yaml gives them, as cc does', () => {
    const c = join(dir, 'order.c');
    // cc -UX -DX=2 defines X as 2; cc -DY=3 -UY leaves Y undefined.
    writeFileSync(c, '_Static_assert(X == 2, "-UX then -DX=2");\n#ifdef Y\n#error "-DY=3 then -UY"\n#endif\n');
    const loaded = parseConfig('headers: [a.h]\nflags: [-UX, -DX=2, -DY=3, -UY]\n', join(dir, 'portabi.yaml'));
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    const shim: IsrShimConfig = { path: c, prefix: 'order', library: join(dir, 'order.o'), cc: 'cc', cflags: [], loc: 'portabi.yaml:1:1' };
    expect(buildIsrShim(shim, loaded.config.flags)).toEqual({ ok: true });
  });

  it('the library is out of date when an input other than the shim is newer (a Kconfig file)', () => {
    const c = join(dir, 'stale.c');
    const h = join(dir, 'stale.h');
    const lib = join(dir, 'libstale.so');
    const config = join(dir, 'stale.config');
    for (const f of [c, h, lib, config]) writeFileSync(f, '');
    const shim: IsrShimConfig = { path: c, prefix: 'stale', library: lib, cc: 'cc', cflags: [], loc: 'portabi.yaml:1:1' };
    const at = (f: string, s: number) => utimesSync(f, s, s);
    at(c, 1000);
    at(h, 1000);
    at(config, 1000);
    at(lib, 2000);
    expect(isrShimStale(shim, h, [config])).toBe(false);
    at(config, 3000); // the configuration changed after the build; the shim's text did not
    expect(isrShimStale(shim, h, [config])).toBe(true);
    expect(isrShimStale(shim, h)).toBe(false); // the shim alone does not say so
  });
});
