// The headers' _Static_asserts, evaluated for the target: a false one is an error at the
// expression, where clang-19 reports it ("static assertion failed"; clang adds "due to
// requirement '…'" before the message). Expected places and counts are clang-19's, from
// `clang-19 -fsyntax-only -target <triple>` on the same text.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { computeAbi, emptyInput } from '../../src/pipeline.js';

const dir = mkdtempSync(join(tmpdir(), 'portabi-static-assert-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SRC = [
  '_Static_assert(sizeof(int) == 8, "int is 8");',
  'struct s { int a; _Static_assert(sizeof(struct s *) == 8, "p"); char c; };',
  '_Static_assert(0);',
  '_Static_assert(sizeof(long) == 8, "ok");',
  '_Static_assert(__builtin_offsetof(struct s, c) == 4, "c after a");',
  '',
].join('\n');

function failures(target: string): string[] {
  const h = join(dir, `${target}.h`);
  writeFileSync(h, SRC);
  const r = computeAbi(emptyInput({ headers: [h], target }));
  if (!r.ok) throw new Error('not computed');
  return r.value.diagnostics.filter((d) => d.code === 'static-assert').map((d) => `${d.loc!.line}:${d.loc!.col}: ${d.message}`);
}

describe('_Static_assert', () => {
  it('x86_64 (LP64): lines 1 and 3 fail, as clang-19 says', () => {
    expect(failures('x86_64-unknown-linux-gnu')).toEqual(['1:16: static assertion failed: int is 8', '3:16: static assertion failed']);
  });

  it('i686 (ILP32): the pointer and long ones fail too, in a struct as at file scope', () => {
    expect(failures('i686-unknown-linux-gnu')).toEqual([
      '1:16: static assertion failed: int is 8',
      '2:34: static assertion failed: p',
      '3:16: static assertion failed',
      '4:16: static assertion failed: ok',
    ]);
  });
});
