import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
    globalSetup: ['test/global-setup.ts'],
    // Commands the tests run cache models here, not in the user's ~/.cache/portabi; one
    // directory per test run, so no run sees another's entries.
    env: { PORTABI_CACHE_DIR: join(tmpdir(), `portabi-test-cache-${process.pid}`) },
  },
});
