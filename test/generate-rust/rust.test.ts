// `portabi gen rust` end to end: the callback-lib and layout-zoo C fixtures compiled with cc,
// bindings generated through portabi.yaml, compiled with rustc (`#![no_std]`, edition 2021,
// -D warnings), and a Rust program (fixtures/e2e.rs) linked against the C fixtures that runs
// the async wrappers on its own minimal executor. Expected values come from the fixtures' C
// source, derived by hand, or from cc / arm-none-eabi-gcc — never from portabi's output.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadTarget } from '../../src/abi/target.js';
import { loadConfig } from '../../src/config/config.js';
import { generateOutputs, runGen } from '../../src/generate/ts/gen.js';
import { readSymbolBytes } from '../abi/elf-object.js';
import { CALLBACK_LIB, CALLBACK_LIB_ASYNC, generateProject, generateTwice, run as runIn } from '../helpers/generate.js';

const ZOO = resolve(__dirname, '../fixtures/rust-gen');
// rustup's toolchain when it is not on PATH (scripts/test.sh checks that one exists).
const RUSTUP_RUSTC = join(homedir(), '.cargo', 'bin', 'rustc');
const RUSTC = existsSync(RUSTUP_RUSTC) ? RUSTUP_RUSTC : 'rustc';
let work: string;
let genFile: string;

const YAML = `headers: [include/callback_lib.h, include/layout_zoo.h]
target: x86_64-unknown-linux-gnu
outputs:
  - lang: rust
    path: gen/bindings.rs
    newtype-enums: [zoo_color]
    max-ops: 128
    max-bytes: 16
${CALLBACK_LIB_ASYNC}`;

const run = (cmd: string, args: string[], opts: { cwd?: string; timeout?: number } = {}): ReturnType<typeof runIn> => runIn(cmd, args, { cwd: work, ...opts });

/** `key=value` lines (several keys per line allowed) → map. */
function keys(stdout: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of stdout.split('\n')) {
    const re = /(\w+)=((?:\[[^\]]*\]|\([^)]*\)|\S)+)/g;
    for (let m = re.exec(line); m; m = re.exec(line)) out[m[1]!] = m[2]!;
  }
  return out;
}

function rlib(extra: string[] = []): { status: number | null; out: string } {
  writeFileSync(join(work, 'lib.rs'), '#![no_std]\n#[path = "gen/bindings.rs"]\nmod bindings;\npub use bindings::*;\n');
  return run(RUSTC, ['--edition', '2021', '--crate-type', 'rlib', '--crate-name', 'bindings', '-D', 'warnings', '-o', join(work, 'libbindings.rlib'), ...extra, 'lib.rs']);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'portabi-rust-'));
  generateProject(work, [join(CALLBACK_LIB, 'callback_lib.h'), join(ZOO, 'layout_zoo.h')], YAML, { lang: 'rust' });
  mkdirSync(join(work, 'lib'));
  execFileSync('cc', ['-shared', '-fPIC', '-pthread', '-O1', '-I', join(work, 'include'), '-o', join(work, 'lib', 'libfixture.so'), join(CALLBACK_LIB, 'callback_lib.c'), join(ZOO, 'layout_zoo.c')]);
  genFile = join(work, 'gen', 'bindings.rs');
});

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('generated module', () => {
  test('compiles #![no_std] with rustc (edition 2021, -D warnings); the layout assertions hold', () => {
    const r = rlib();
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
    const text = readFileSync(genFile, 'utf8');
    expect(text).not.toMatch(/\bstd::/);
    expect(text).not.toMatch(/\b(alloc|Box|Vec)::/);
    // One size + align assertion per record at least (struct cbl_point: hand-checked below).
    expect(text).toContain('const _: () = assert!(core::mem::size_of::<cbl_point>() == 8, "sizeof(struct cbl_point) == 8");');
  });

  test('a wrong layout number fails to compile, naming the C expression', () => {
    const text = readFileSync(genFile, 'utf8');
    const bad = text.replace('offset_of!(zoo_pack2, c) == 6', 'offset_of!(zoo_pack2, c) == 8');
    expect(bad).not.toBe(text);
    writeFileSync(join(work, 'gen', 'bad.rs'), bad);
    writeFileSync(join(work, 'bad_lib.rs'), '#![no_std]\n#[path = "gen/bad.rs"]\nmod bindings;\n');
    const r = run(RUSTC, ['--edition', '2021', '--crate-type', 'rlib', '-o', join(work, 'libbad.rlib'), 'bad_lib.rs']);
    expect(r.status).not.toBe(0);
    expect(r.out).toContain('offsetof(struct zoo_pack2, c) == 6');
  });

  test('the futures-core Stream impls compile behind the cfg (a local stand-in crate, no registry)', () => {
    writeFileSync(
      join(work, 'futures_core.rs'),
      '#![no_std]\npub trait Stream {\n    type Item;\n    fn poll_next(self: core::pin::Pin<&mut Self>, cx: &mut core::task::Context<\'_>) -> core::task::Poll<Option<Self::Item>>;\n}\n',
    );
    const fc = run(RUSTC, ['--edition', '2021', '--crate-type', 'rlib', '-o', join(work, 'libfutures_core.rlib'), 'futures_core.rs']);
    expect(fc.status).toBe(0);
    const r = rlib(['--cfg', 'feature="futures-core"', '--extern', `futures_core=${join(work, 'libfutures_core.rlib')}`]);
    expect(r.out).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(genFile, 'utf8')).toContain('impl<const N: usize> futures_core::Stream for cbl_recv_start_stream<N>');
    expect(rlib().status).toBe(0); // back to the plain build for the next tests
  });

  test('doc comments carry provenance', () => {
    const text = readFileSync(genFile, 'utf8');
    expect(text).toContain('/// `struct cbl_point` — include/callback_lib.h:19; size 8, align 4');
    expect(text).toMatch(/\/\/\/ `#define CBL_VERSION_MINOR` \(`int`\) — include\/callback_lib.h:11\n\/\/\/ expands through `CBL_VERSION_MINOR` → `CBL_VERSION_MAJOR`/);
    expect(text).toContain('/// `int cbl_timer_start(uint32_t, uint32_t, cbl_timer_cb, void *)` — include/callback_lib.h:60');
  });

  test('a newtype enum is its own type: a plain integer does not type-check', () => {
    writeFileSync(join(work, 'nt.rs'), 'fn main() {\n    let mut z = bindings::zoo_bits::default();\n    z.set_color(300);\n}\n');
    const r = run(RUSTC, ['--edition', '2021', '--extern', `bindings=${join(work, 'libbindings.rlib')}`, '-o', join(work, 'nt'), 'nt.rs']);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/expected `zoo_color`, found integer/);
  });
});

describe('Rust program against the C fixtures', () => {
  let exe: string;
  beforeAll(() => {
    if (!existsSync(join(work, 'libbindings.rlib'))) rlib();
    exe = join(work, 'e2e');
    const lib = join(work, 'lib');
    const r = run(RUSTC, [
      '--edition', '2021', '-D', 'warnings', '-C', 'opt-level=1', '-C', 'debug-assertions=on', '-g',
      '--extern', `bindings=${join(work, 'libbindings.rlib')}`, '-L', lib, '-l', 'fixture', '-C', `link-arg=-Wl,-rpath,${lib}`,
      '-o', exe, resolve(__dirname, 'fixtures/e2e.rs'),
    ]);
    if (r.status !== 0) throw new Error(r.out);
  });

  test('results, streams, errno errors, bit-fields, initializers, drop-cancellation', () => {
    const r = run(exe, ['main'], { timeout: 120_000 });
    expect(r.status, r.out).toBe(0);
    const k = keys(r.stdout);
    // Constants: callback_lib.h / layout_zoo.h.
    expect(k.magic).toBe('0xcafef00ddeadbeef');
    expect(k.minor).toBe('23'); // CBL_VERSION_MAJOR * 10 + 3
    expect(k.name).toBe('callback-lib');
    expect(k.zoo_text).toBe('[116, 97, 98, 9, 104, 101, 114, 101, 32, 34, 113, 34, 127]'); // "tab\there \"q\"\x7f"
    expect([k.zoo_float, k.zoo_double, k.zoo_wide]).toEqual(['1.5', '2.25', String(2 ** 40)]);
    expect(k.levels).toBe('1,5,10');
    expect(r.stdout).toContain('color=(zoo_color(-1), 300)'); // ZOO_RED = -1 (typed), ZOO_BLUE = 300 (newtype)
    expect(k.dot).toBe('23'); // 2*4 + 3*5
    expect(k.add64).toBe(String(2n ** 60n + 1n));
    expect(k.sum).toBe('42'); // variadic: 10 + 20 + 12
    // Initializers: { 7, -2 }, and byte-equal to what cc builds from the macro.
    expect(r.stdout).toContain('pair=7,-2 c_equal=1');
    expect(r.stdout).toContain('cfg=[1, 2, 3, 0, 0, 0],0xa5a5a5a5,1 c_equal=1');
    // Bit-fields: C reads w->count; 12 bits wrap 4096 to 0 and leave mode alone.
    expect(r.stdout).toContain('status=1,5,-3,1234 c_count=1234 kind=9 tail=7');
    expect(r.stdout).toContain('status_wrap c_count=0 mode=5');
    // Rust sets a=5, b=-6, flag=1, wide=0xABCDEF0123, color=ZOO_RED(-1); C reads them back.
    expect(r.stdout).toContain(`zoo_bits_rust_to_c=[5, -6, 1, ${0xabcdef0123}, -1] head=0xaa tail=0x55`);
    // C sets a=3, b=7, flag=1, wide=0xFF00000001, color=300; Rust reads them.
    expect(r.stdout).toContain('zoo_bits_c_to_rust=3,7,true,0xff00000001,zoo_color(300)');
    expect(k.packed_c_value).toBe('0xdeadbeef');
    expect(k.packed_aligned_b).toBe('0x1020304');
    // once.
    expect(k.timer).toBe('Ok(77)');
    expect(r.stdout).toContain('request=Ok(cbl_request_send_result { sum: 13, product: 42 })');
    expect(k.op).toBe('Ok(42)'); // input * 3
    // errno: -ETIMEDOUT, -EINVAL, -ENOTCONN (Linux numbers 110, 22, 107).
    expect(k.connect_unreachable).toBe('Err(Errno(110))');
    expect(k.timer_einval).toBe('Err(Errno(22))');
    expect(k.request_null).toBe('Err(Errno(107))');
    expect(k.connect).toBe('Ok(42)');
    // stream: block i has len i % 4 + 1, bytes i, i+1, ...
    expect(r.stdout).toContain('blocks=[(0, [0]), (1, [1, 2]), (2, [2, 3, 4]), (3, [3, 4, 5, 6]), (4, [4]), (5, [5, 6])]');
    expect(k.after_end).toBe('true');
    expect(k.early_seqs).toBe('[0, 1, 2]');
    expect(k.early_stop_cancels).toBe('1');
    // overflow: 64 queued (+1 if the first event was consumed before the 65th push), then the
    // error, once; C stopped once.
    expect(['64', '65']).toContain(k.overflow_items);
    expect(k.consecutive).toBe('true');
    expect(k.end).toBe('Some(Overflow)');
    expect(k.overflow_cancels).toBe('1');
    expect(k.overflow_drop_cancels).toBe('1');
    // A job (callback_lib.c, section 10): steps 0, 1, then the final callback with -EIO (Linux
    // 5); C has finished, so no cancel reaches it (also when dropped before the error is read,
    // or when its queue of 4 overflowed at step 4 and the final callback came after).
    expect(r.stdout).toContain('job_status=[Ok(0), Ok(1), Err(Errno(5))]');
    expect(r.stdout).toContain('job_status_first=Some(Ok(0))');
    expect(r.stdout).toContain('job_overflow=[Ok(0), Ok(1), Ok(2), Ok(3), Err(Overflow)]');
    expect(k.job_finished_cancels).toBe('0');
    // set_cb(NULL) stream.
    expect(k.log_first_poll_pending).toBe('true');
    expect(r.stdout).toContain('log=3,hello\nlog=4,world');
    expect(k.log_cancels).toBe('1');
    // call.
    expect(r.stdout).toContain('foreach=[(0, 0), (1, 1), (2, 4), (3, 9)] ret=Ok(4)');
    // Drop of a pending once: cancel called; the fixture's late callback comes and is ignored.
    expect(k.op_pending).toBe('true');
    expect(k.drop_cancels).toBe('1');
    expect(k.late_seen).toBe('true');
    expect(k.ignored_seen).toBe('true');
    expect(k.live).toBe('0');
  });

  test('10,000 async operations allocate nothing (counting global allocator)', () => {
    const r = run(exe, ['alloc'], { timeout: 240_000 });
    expect(r.status, r.out).toBe(0);
    const k = keys(r.stdout);
    expect(k.ops).toBe('10000');
    expect(k.bad).toBe('0');
    expect(k.allocations).toBe('0');
    expect(k.live).toBe('0');
  });

  test('an executor that polls inside wake() (on the callback thread) completes and drops the task there', () => {
    // The task finishes inside the callback's wake: releasing its slot must not wait for that
    // same callback. The 20 s limit turns a hang into a failure.
    const r = run(exe, ['inline-wake'], { timeout: 20_000 });
    expect(r.status, r.out).toBe(0);
    expect(r.stdout).toContain('inline_timer=Some("Ok(5)")'); // cbl_timer_start(20, 5): cb(arg, 5)
    expect(r.stdout).toContain('inline_stream=Some("[Ok(0), Ok(1), Ok(2)]")'); // 3 blocks, seq 0..2
    expect(keys(r.stdout).live).toBe('0');
  });

  const valgrind = spawnSync('valgrind', ['--version']).status === 0;
  test.runIf(valgrind)('drop-cancellation under valgrind: heap futures freed before late callbacks, no invalid access', () => {
    // Control: valgrind does catch a late callback writing into a freed Box here.
    const c = run('valgrind', ['-q', '--error-exitcode=99', exe, 'control-uaf'], { timeout: 240_000 });
    expect(c.status).toBe(99);
    expect(c.out).toMatch(/Invalid write of size 4/);
    const r = run('valgrind', ['-q', '--error-exitcode=99', exe, 'drop'], { timeout: 240_000 });
    expect(r.out).not.toMatch(/Invalid (read|write)/);
    expect(r.status, r.out).toBe(0);
    const k = keys(r.stdout);
    expect(k.cancels).toBe('6'); // 5 cbl_op_cancel + 1 cbl_recv_stop
    expect(k.late_seen).toBe('true'); // the fixture called back 5 times after the cancels
    expect(k.ignored_seen).toBe('true');
    expect(k.live).toBe('0');
  });
});

describe('thumbv7em-none-eabi: generated layout assertions vs arm-none-eabi-gcc', () => {
  test('every size, alignment and offset the assertions state is the number gcc computes', () => {
    // The same header text for portabi and gcc. The fixture declares a host-only __int128
    // function; gcc rejects that type on this target, so those lines are guarded the way
    // portable headers do (no layout involves them).
    const arm = join(work, 'arm');
    mkdirSync(join(arm, 'include'), { recursive: true });
    for (const h of ['callback_lib.h', 'layout_zoo.h']) {
      const t = readFileSync(join(work, 'include', h), 'utf8').replace(/^[^*/\n]*__int128[^\n]*;[ \t]*$/gm, (l) => `#ifdef __SIZEOF_INT128__\n${l}\n#endif`);
      writeFileSync(join(arm, 'include', h), t);
    }
    writeFileSync(join(arm, 'portabi.yaml'), YAML.replace('target: x86_64-unknown-linux-gnu', 'target: thumbv7em-none-eabi'));
    const loaded = loadConfig(arm);
    if (!loaded.ok) throw new Error('config');
    const g = generateOutputs(loaded.config);
    expect(g.ok).toBe(true);
    const text = g.files.find((f) => f.path.endsWith('bindings.rs'))!.text;
    expect(text).toContain('layout assertions for thumbv7em-none-eabi');
    const asserts: { n: number; c: string }[] = [];
    for (const m of text.matchAll(/^const _: \(\) = assert!\(.+ == (\d+), "((?:sizeof|_Alignof|offsetof)\(.+\)) == \d+"\);$/gm)) asserts.push({ n: Number(m[1]), c: m[2]! });
    // Bit-field accessors: `/// \`T name : W\` — bit B of the record` inside `impl R {`.
    const cOf = new Map<string, string>();
    for (const m of text.matchAll(/assert!\(core::mem::size_of::<(\w+)>\(\) == \d+, "sizeof\((.+)\) == \d+"\)/g)) cOf.set(m[1]!, m[2]!);
    const bits: { c: string; field: string; bit: number; width: number }[] = [];
    let impl = '';
    for (const line of text.split('\n')) {
      const im = /^impl (\w+) \{$/.exec(line);
      if (im) impl = im[1]!;
      const bm = /^ {4}\/\/\/ `.*?(\w+) : (\d+)` — bit (\d+) of the record$/.exec(line);
      if (bm && cOf.has(impl)) bits.push({ c: cOf.get(impl)!, field: bm[1]!, bit: Number(bm[3]), width: Number(bm[2]) });
    }
    expect(asserts.length).toBeGreaterThan(80);
    expect(bits.length).toBe(9); // cbl_status_word: 4, zoo_bits: 5
    const gcc = loadTarget('thumbv7em-none-eabi');
    if (!gcc.ok || !gcc.value.gcc) throw new Error('no gcc for thumbv7em');
    const probe = [
      '#include <stddef.h>',
      '#include "callback_lib.h"',
      '#include "layout_zoo.h"',
      ...asserts.map((a, i) => `const unsigned int portabi_v${i} = (unsigned int)(${a.c});`),
      ...bits.map((b, i) => `const ${b.c} portabi_b${i} = { .${b.field} = -1 };`),
    ].join('\n');
    writeFileSync(join(work, 'probe_arm.c'), probe + '\n');
    const cc = run(gcc.value.gcc.command, [...gcc.value.gcc.flags, '-w', '-I', join(arm, 'include'), '-c', '-o', join(work, 'probe_arm.o'), join(work, 'probe_arm.c')]);
    expect(cc.out).toBe('');
    expect(cc.status).toBe(0);
    const elf = readFileSync(join(work, 'probe_arm.o'));
    const disagree: string[] = [];
    asserts.forEach((a, i) => {
      const b = readSymbolBytes(elf, `portabi_v${i}`).bytes;
      const v = b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24);
      if (v !== a.n) disagree.push(`${a.c}: generated ${a.n}, gcc ${v}`);
    });
    bits.forEach((b, i) => {
      const bytes = readSymbolBytes(elf, `portabi_b${i}`).bytes;
      const set: number[] = [];
      bytes.forEach((byte, j) => {
        for (let k = 0; k < 8; k++) if (byte & (1 << k)) set.push(j * 8 + k); // little-endian bit order
      });
      const want = Array.from({ length: b.width }, (_, k) => b.bit + k);
      if (JSON.stringify(set) !== JSON.stringify(want)) disagree.push(`${b.c}.${b.field}: generated bits ${b.bit}+${b.width}, gcc sets ${set.join(',')}`);
    });
    console.log(`thumbv7em-none-eabi: ${asserts.length - disagree.length}/${asserts.length} layout assertions and ${bits.length} bit-field positions checked against ${gcc.value.gcc.command}`);
    expect(disagree).toEqual([]);
  });
});

describe('portabi gen rust over portabi.yaml', () => {
  test('output is byte-identical across runs; --check passes, then fails after a header change', () => {
    const [first, second] = generateTwice(work);
    const a = first[0]!.text;
    expect(second[0]!.text).toBe(a);
    expect(readFileSync(genFile, 'utf8')).toBe(a);
    expect(runGen(work, { lang: 'rust', check: true }).exitCode).toBe(0);
    const h = join(work, 'include', 'layout_zoo.h');
    const orig = readFileSync(h, 'utf8');
    writeFileSync(h, orig.replace('uint16_t small;', 'uint32_t small;'));
    try {
      const r = runGen(work, { lang: 'rust', check: true });
      expect(r.exitCode).toBe(1);
      expect(r.messages.join('\n')).toMatch(/bindings\.rs: out of date/);
    } finally {
      writeFileSync(h, orig);
    }
    expect(runGen(work, { lang: 'rust', check: true }).exitCode).toBe(0);
  });

  test('flags: -D and -U apply in the order written, as with cc', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portabi-rust-order-'));
    try {
      writeFileSync(join(dir, 'order.h'), '#ifdef PICK_X\n#define PICK PICK_X\n#else\n#define PICK 1\n#endif\n#ifdef PICK_Y\n#define GONE 1\n#endif\n');
      writeFileSync(join(dir, 'portabi.yaml'), 'headers: [order.h]\nflags: [-UPICK_X, -DPICK_X=2, -DPICK_Y=3, -UPICK_Y]\noutputs:\n  - lang: rust\n    path: order.rs\n');
      const loaded = loadConfig(dir);
      if (!loaded.ok) throw new Error('config');
      const text = generateOutputs(loaded.config).files[0]!.text;
      // cc -UPICK_X -DPICK_X=2 -DPICK_Y=3 -UPICK_Y: PICK_X is 2, PICK_Y is undefined.
      expect(/^pub const PICK: \w+ = (\S+);$/m.exec(text)?.[1]).toBe('2');
      expect(text).not.toMatch(/pub const GONE\b/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('bad rust output keys are located errors', () => {
    const dir = mkdtempSync(join(tmpdir(), 'portabi-rust-cfg-'));
    try {
      writeFileSync(join(dir, 'portabi.yaml'), 'headers: [x.h]\noutputs:\n  - lang: rust\n    path: a.rs\n    library: x.so\n    max-ops: -1\n');
      const r = runGen(dir, { lang: 'rust' });
      expect(r.exitCode).toBe(2);
      expect(r.messages.join('\n')).toMatch(/portabi\.yaml:5:5: error: unknown key 'library' in a rust output \(known: lang, path, link, newtype-enums, max-ops, max-bytes\)/);
      expect(r.messages.join('\n')).toMatch(/portabi\.yaml:6:14: error: max-ops must be a positive integer/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
