// -D and -U apply in command-line order, as the compilers apply them: build systems pass
// `-U_FORTIFY_SOURCE -D_FORTIFY_SOURCE=2`. The expected outcome of each order is clang-19's.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'portabi-define-order-'));
const header = join(dir, 'x.h');
writeFileSync(header, '#ifdef X\nenum { X_VALUE = X };\n#else\nenum { X_VALUE = -1 };\n#endif\n');

/** X_VALUE as clang-19 -E sees it under these flags: X's value, or -1 when X ends undefined. */
function clangValue(flags: string[]): string {
  const out = execFileSync('clang-19', ['-E', '-P', ...flags, header], { encoding: 'utf8' });
  return /X_VALUE = (-?\w+)/.exec(out)![1]!;
}

function portabiValue(flags: string[], cache: string): string {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'portabi.js'), 'dump', header, ...flags, '--cache-dir', cache], { encoding: 'utf8' });
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) as { constants: Record<string, { value: string }> }).constants.X_VALUE!.value;
}

beforeAll(() => {
  execFileSync('npx', ['tsc', '-p', 'tsconfig.json'], { cwd: root });
});

describe('-D and -U in command-line order', () => {
  const cache = join(dir, 'cache'); // shared: each order must be its own cache entry
  const orders: string[][] = [
    ['-U', 'X', '-D', 'X=2'],
    ['-D', 'X=2', '-U', 'X'],
    ['-D', 'X=2', '-U', 'X', '-D', 'X=3'],
    ['-D', 'X=2'],
    ['-U', 'X'],
  ];
  for (const flags of orders) {
    it(flags.join(' '), () => {
      expect(portabiValue(flags, cache)).toBe(clangValue(flags));
    });
  }
});

describe('eval expands its text through the final macro table', () => {
  const ex = join(root, 'examples', 'nuttx-like', 'include');
  const evalOut = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin', 'portabi.js'), 'eval', ...args], { encoding: 'utf8' });

  it('a -D macro, and an expression over it (hand-derived: 2, 2 + 1)', () => {
    expect(evalOut('X', header, '-U', 'X', '-D', 'X=2').stdout).toBe('X = 2 (int)\n');
    expect(evalOut('X + 1', header, '-D', 'X=2').stdout).toBe('X + 1 = 3 (int)\n');
  });

  it("an expression over the headers' macros (errno.h: #define ENOSYS 38)", () => {
    expect(evalOut('ENOSYS + 1', join(ex, 'errno.h'), '-I', ex).stdout).toBe('ENOSYS + 1 = 39 (int)\n');
  });
});
