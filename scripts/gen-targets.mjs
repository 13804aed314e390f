#!/usr/bin/env node
// Regenerates all generated target data from the real compilers:
//   targets/predefined/<target>.clang.h   clang-19 `-dM -E` for the target (sorted)
//   targets/predefined/<target>.gcc.h     the gcc cross compiler's set, for gcc-ABI targets
//   targets/<target>.yaml                 sizes, alignments, typedef types, bit-field rules,
//                                         __has_* answers, include dirs — all probed.
// The only hand-written facts are in TARGETS below: which compiler defines each ABI and the
// flags that select it. Everything else is asked of the compilers. Idempotent and
// deterministic: same compilers in, same bytes out.
//
//   node scripts/gen-targets.mjs                 # all targets
//   node scripts/gen-targets.mjs x86_64-unknown-linux-gnu ...   # some
//   node scripts/gen-targets.mjs --predefined-only
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const TARGETS_DIR = join(ROOT, 'targets');
const PREDEF_DIR = join(TARGETS_DIR, 'predefined');
const CLANG = process.env.PORTABI_CLANG ?? 'clang-19';

/** The hand-written part: one entry per target. Add a target here, then re-run. */
const TARGETS = [
  {
    name: 'thumbv7em-none-eabi',
    description: 'Arm Cortex-M4/M7, soft-float, bare metal; ABI of arm-none-eabi-gcc defaults (short enums)',
    clangTriple: 'thumbv7em-none-eabi',
    clangFlags: ['-mcpu=cortex-m4', '-mfloat-abi=soft', '-fshort-enums'],
    compiler: 'gcc',
    gcc: { command: 'arm-none-eabi-gcc', flags: ['-mcpu=cortex-m4', '-mthumb'] },
  },
  {
    name: 'thumbv7em-none-eabihf',
    description: 'Arm Cortex-M4F/M7F, hard-float (fpv4-sp-d16), bare metal; ABI of arm-none-eabi-gcc defaults (short enums)',
    clangTriple: 'thumbv7em-none-eabihf',
    clangFlags: ['-mcpu=cortex-m4', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16', '-fshort-enums'],
    compiler: 'gcc',
    gcc: { command: 'arm-none-eabi-gcc', flags: ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=hard', '-mfpu=fpv4-sp-d16'] },
  },
  {
    name: 'thumbv6m-none-eabi',
    description: 'Arm Cortex-M0/M0+, bare metal; ABI of arm-none-eabi-gcc defaults (short enums)',
    clangTriple: 'thumbv6m-none-eabi',
    clangFlags: ['-mcpu=cortex-m0', '-mfloat-abi=soft', '-fshort-enums'],
    compiler: 'gcc',
    gcc: { command: 'arm-none-eabi-gcc', flags: ['-mcpu=cortex-m0', '-mthumb'] },
  },
  {
    name: 'armv7-unknown-linux-gnueabihf',
    description: 'Armv7-A Linux, glibc, hard-float (AAPCS-VFP)',
    clangTriple: 'armv7-unknown-linux-gnueabihf',
    clangFlags: [],
    compiler: 'clang',
  },
  {
    name: 'armebv7r-none-eabi',
    description: 'Armv7-R big-endian, soft-float, bare metal',
    clangTriple: 'armebv7r-none-eabi',
    clangFlags: [],
    compiler: 'clang',
  },
  {
    name: 'riscv32imac-unknown-none-elf',
    description: 'RISC-V 32-bit IMAC, ilp32 (soft-float ABI), bare metal',
    clangTriple: 'riscv32-unknown-none-elf',
    clangFlags: ['-march=rv32imac', '-mabi=ilp32'],
    compiler: 'clang',
  },
  {
    name: 'riscv64gc-unknown-linux-gnu',
    description: 'RISC-V 64-bit GC Linux, glibc, lp64d',
    clangTriple: 'riscv64-unknown-linux-gnu',
    clangFlags: ['-march=rv64gc', '-mabi=lp64d'],
    compiler: 'clang',
  },
  {
    name: 'x86_64-unknown-linux-gnu',
    description: 'x86-64 Linux, glibc (System V AMD64 ABI, LP64)',
    clangTriple: 'x86_64-unknown-linux-gnu',
    clangFlags: [],
    compiler: 'clang',
  },
  {
    name: 'x86_64-unknown-linux-musl',
    description: 'x86-64 Linux, musl (System V AMD64 ABI, LP64)',
    clangTriple: 'x86_64-unknown-linux-musl',
    clangFlags: [],
    compiler: 'clang',
  },
  {
    name: 'i686-unknown-linux-gnu',
    description: 'x86 32-bit Linux, glibc (System V i386 ABI: 4-byte double/long long members)',
    clangTriple: 'i686-unknown-linux-gnu',
    clangFlags: [],
    compiler: 'clang',
  },
  {
    name: 'aarch64-unknown-linux-gnu',
    description: 'AArch64 Linux, glibc (AAPCS64, LP64)',
    clangTriple: 'aarch64-unknown-linux-gnu',
    clangFlags: [],
    compiler: 'clang',
  },
  {
    name: 'avr',
    description: 'AVR 8-bit (ATmega328P): 16-bit int and pointers, 32-bit double',
    clangTriple: 'avr',
    clangFlags: ['-mmcu=atmega328p'],
    compiler: 'clang',
  },
  {
    name: 'msp430',
    description: 'TI MSP430 16-bit',
    clangTriple: 'msp430',
    clangFlags: [],
    compiler: 'clang',
  },
];

// ---------------------------------------------------------------------------------------------

const args = process.argv.slice(2);
const predefinedOnly = args.includes('--predefined-only');
const only = args.filter((a) => !a.startsWith('--'));
for (const o of only) if (!TARGETS.some((t) => t.name === o)) die(`unknown target ${o}`);
const selected = only.length ? TARGETS.filter((t) => only.includes(t.name)) : TARGETS;

function die(msg) {
  console.error(`gen-targets: ${msg}`);
  process.exit(1);
}

const work = mkdtempSync(join(tmpdir(), 'portabi-gen-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));

function clangArgs(t) {
  return ['-target', t.clangTriple, ...t.clangFlags];
}
function gccArgs(t) {
  return [...t.gcc.flags];
}
/** The ABI compiler: [command, flags] */
function abiCompiler(t) {
  return t.compiler === 'gcc' ? [t.gcc.command, gccArgs(t)] : [CLANG, clangArgs(t)];
}

function run(cmd, argv, input) {
  const r = spawnSync(cmd, argv, { input, encoding: 'utf8', maxBuffer: 256 << 20 });
  if (r.error) die(`${cmd}: ${r.error.message}`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function predefinedText(cmd, flags) {
  const r = run(cmd, [...flags, '-dM', '-E', '-x', 'c', '/dev/null']);
  if (r.status !== 0) die(`${cmd} ${flags.join(' ')} -dM -E failed:\n${r.stderr}`);
  const lines = r.stdout.split('\n').filter((l) => l.length > 0);
  // clang (16+) makes __FLT_EVAL_METHOD__ a builtin macro (#pragma clang fp eval_method can
  // change it), so -dM leaves it out; headers' FLT_EVAL_METHOD needs its value (2 on i686).
  if (!lines.some((l) => l.startsWith('#define __FLT_EVAL_METHOD__ '))) {
    const e = run(cmd, [...flags, '-E', '-P', '-x', 'c', '-'], '__FLT_EVAL_METHOD__\n');
    const v = /^\s*(-?\d+)\s*$/m.exec(e.stdout);
    if (e.status === 0 && v) lines.push(`#define __FLT_EVAL_METHOD__ ${v[1]}`);
  }
  lines.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return lines.join('\n') + '\n';
}

function parseMacros(text) {
  const m = new Map();
  for (const line of text.split('\n')) {
    const r = /^#define (\w+)(?:\([^)]*\))?(?: (.*))?$/.exec(line);
    if (r) m.set(r[1], r[2] ?? '');
  }
  return m;
}

function writeIfChanged(path, text) {
  if (existsSync(path) && readFileSync(path, 'utf8') === text) return false;
  writeFileSync(path, text);
  return true;
}

mkdirSync(PREDEF_DIR, { recursive: true });
const predef = new Map(); // name -> { clang: Map, gcc?: Map }
for (const t of selected) {
  const clangText = predefinedText(CLANG, clangArgs(t));
  writeIfChanged(join(PREDEF_DIR, `${t.name}.clang.h`), clangText);
  const entry = { clang: parseMacros(clangText) };
  if (t.gcc) {
    const gccText = predefinedText(t.gcc.command, gccArgs(t));
    writeIfChanged(join(PREDEF_DIR, `${t.name}.gcc.h`), gccText);
    entry.gcc = parseMacros(gccText);
  }
  predef.set(t.name, entry);
  console.error(`predefined: ${t.name}`);
}
if (predefinedOnly) process.exit(0);

// ---------------------------------------------------------------------------------------------
// Probes: constant expressions evaluated by a compiler. Each becomes a global initialiser; the
// value is read back from clang's LLVM IR or gcc's assembly, so nothing needs to run.

const SCALARS = [
  ['_Bool', '_Bool'],
  ['char', 'char'],
  ['signed char', 'signed char'],
  ['unsigned char', 'unsigned char'],
  ['short', 'short'],
  ['unsigned short', 'unsigned short'],
  ['int', 'int'],
  ['unsigned int', 'unsigned int'],
  ['long', 'long'],
  ['unsigned long', 'unsigned long'],
  ['long long', 'long long'],
  ['unsigned long long', 'unsigned long long'],
  ['__int128', '__int128'],
  ['unsigned __int128', 'unsigned __int128'],
  ['float', 'float'],
  ['double', 'double'],
  ['long double', 'long double'],
  ['_Float16', '_Float16'],
  ['__fp16', '__fp16'],
  ['__float128', '__float128'],
  ['__bf16', '__bf16'],
  ['pointer', 'void *'],
  ['__builtin_va_list', '__builtin_va_list'],
];

/** Cross-checks against the compiler's own __SIZEOF_*__ macros. */
const SIZEOF_MACROS = {
  short: '__SIZEOF_SHORT__',
  int: '__SIZEOF_INT__',
  long: '__SIZEOF_LONG__',
  'long long': '__SIZEOF_LONG_LONG__',
  __int128: '__SIZEOF_INT128__',
  float: '__SIZEOF_FLOAT__',
  double: '__SIZEOF_DOUBLE__',
  'long double': '__SIZEOF_LONG_DOUBLE__',
  pointer: '__SIZEOF_POINTER__',
};

function compileOk(cmd, flags, src) {
  const r = run(cmd, [...flags, '-fsyntax-only', '-Werror=pedantic', '-w', '-x', 'c', '-'], src);
  return r.status === 0;
}

/** Evaluates named constant expressions with the compiler; returns Map name -> number. */
function evaluate(cmd, flags, isClang, probes) {
  let src = '';
  probes.forEach(([, expr], i) => {
    src += `unsigned int portabi_p${i} = (unsigned int)(${expr});\n`;
  });
  const out = isClang
    ? run(cmd, [...flags, '-S', '-emit-llvm', '-O0', '-o', '-', '-x', 'c', '-'], src)
    : run(cmd, [...flags, '-S', '-O0', '-o', '-', '-x', 'c', '-'], src);
  if (out.status !== 0) die(`${cmd} ${flags.join(' ')}: probe compile failed:\n${out.stderr}\n${src}`);
  const values = new Map();
  if (isClang) {
    for (const m of out.stdout.matchAll(/^@portabi_p(\d+) = [^\n]*?global i\d+ (-?\d+)/gm)) {
      values.set(Number(m[1]), Number(m[2]));
    }
  } else {
    const lines = out.stdout.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^portabi_p(\d+):$/.exec(lines[i]);
      if (!m) continue;
      const d = /^\s*\.(word|long|short|4byte|space|zero)\s+(-?\w+)/.exec(lines[i + 1]);
      if (!d) die(`cannot read gcc value of probe ${m[1]}: ${lines[i + 1]}`);
      values.set(Number(m[1]), d[1] === 'space' || d[1] === 'zero' ? 0 : Number(d[2]));
    }
  }
  const result = new Map();
  probes.forEach(([name], i) => {
    if (!values.has(i)) die(`${cmd}: no value for probe ${name}`);
    result.set(name, values.get(i));
  });
  return result;
}

/** gcc/clang spelling of a type in __SIZE_TYPE__ etc. -> our IntKind */
function intKindOf(spelling) {
  const words = spelling.trim().split(/\s+/);
  const has = (w) => words.includes(w);
  const longs = words.filter((w) => w === 'long').length;
  const uns = has('unsigned');
  let base;
  if (has('char')) return uns ? 'unsigned char' : has('signed') ? 'signed char' : 'char';
  if (has('__int128')) base = '__int128';
  else if (has('short')) base = 'short';
  else if (longs === 2) base = 'long long';
  else if (longs === 1) base = 'long';
  else base = 'int';
  return uns ? `unsigned ${base}` : base;
}

// ---------------------------------------------------------------------------------------------
// Names for the __has_* tables: every name real headers ask about, plus common GNU names.

const HEADER_CORPORA = [
  '/usr/lib/arm-none-eabi/include',
  '/usr/lib/picolibc/arm-none-eabi/include',
  '/usr/include', // glibc, and musl under /usr/include/<arch>-linux-musl
  '/usr/arm-linux-gnueabihf/include',
];

const COMMON_ATTRIBUTES = `access alias aligned alloc_align alloc_size always_inline annotate artificial
assume_aligned availability cleanup cold common const constructor copy counted_by deprecated
designated_init destructor diagnose_if enable_if error externally_visible fallthrough flag_enum
flatten format format_arg gnu_inline hot ifunc interrupt leaf malloc may_alias mode naked
no_instrument_function no_profile_instrument_function no_reorder no_sanitize no_sanitize_address
no_stack_protector noclone nocommon noinline noipa nonnull nonstring noplt noreturn nothrow
nodiscard objc_boxable optimize overloadable packed pure retain returns_nonnull returns_twice scalar_storage_order
section sentinel simdstrict_flex_arrays target target_clones tls_model transparent_union unavailable
unused used vector_size visibility warn_if_not_aligned warn_unused_result warning weak weakref
zero_call_used_regs __packed__ __aligned__ __unused__ __used__ __noreturn__ __format__ __deprecated__
__always_inline__ __nonnull__ __warn_unused_result__ __malloc__ __pure__ __const__ __weak__ __section__
__visibility__ __mode__ __vector_size__ __may_alias__ __transparent_union__ __noinline__ __cold__ __hot__
__alloc_size__ __fallthrough__ __error__ __warning__ __nothrow__ __leaf__ __returns_twice__ __artificial__
__gnu_inline__ __cleanup__ __sentinel__ __format_arg__ __alias__ __constructor__ __destructor__ __naked__
__interrupt__ __access__ __nonstring__ __counted_by__ __designated_init__ __externally_visible__`;

const COMMON_BUILTINS = `__builtin_add_overflow __builtin_alloca __builtin_assume __builtin_assume_aligned
__builtin_bswap16 __builtin_bswap32 __builtin_bswap64 __builtin_bswap128 __builtin_choose_expr
__builtin_clz __builtin_clzl __builtin_clzll __builtin_constant_p __builtin_ctz __builtin_ctzl __builtin_ctzll
__builtin_dynamic_object_size __builtin_expect __builtin_expect_with_probability __builtin_ffs
__builtin_frame_address __builtin_huge_val __builtin_huge_valf __builtin_inf __builtin_inff
__builtin_is_constant_evaluated __builtin_memcpy __builtin_memset __builtin_mul_overflow __builtin_nan
__builtin_nanf __builtin_object_size __builtin_offsetof __builtin_parity __builtin_popcount
__builtin_popcountl __builtin_popcountll __builtin_prefetch __builtin_return_address __builtin_sub_overflow
__builtin_trap __builtin_types_compatible_p __builtin_unreachable __builtin_va_arg __builtin_va_copy
__builtin_va_end __builtin_va_start __builtin_convertvector __builtin_shufflevector __builtin_bit_cast
__builtin_classify_type __builtin_speculation_safe_value __builtin_complex __builtin_isnan __builtin_isinf
__builtin_isfinite __builtin_signbit __builtin_fabs __builtin_strlen __builtin_LINE __builtin_FILE
__builtin_FUNCTION __builtin_launder __builtin_addressof __builtin_rotateleft32 __builtin_rotateright32
__builtin_arm_ldrex __builtin_arm_strex __builtin_arm_clrex __builtin_arm_dmb __builtin_arm_dsb
__builtin_arm_isb __builtin_arm_nop __builtin_arm_wfi __builtin_arm_wfe __builtin_arm_sev
__builtin_arm_get_fpscr __builtin_arm_set_fpscr __builtin_ia32_pause __builtin_ia32_rdtsc
__atomic_load_n __atomic_store_n __atomic_exchange_n __atomic_compare_exchange_n __atomic_fetch_add
__atomic_fetch_sub __atomic_thread_fence __atomic_signal_fence __atomic_always_lock_free
__atomic_is_lock_free __c11_atomic_load __c11_atomic_store __sync_synchronize __sync_fetch_and_add
__sync_val_compare_and_swap __sync_bool_compare_and_swap __sync_lock_test_and_set`;

const COMMON_FEATURES = `address_sanitizer attribute_deprecated_with_message attribute_unavailable_with_message
blocks c_alignas c_alignof c_atomic c_generic_selections c_static_assert c_thread_local
cxx_exceptions cxx_rtti enumerator_attributes memory_sanitizer modules nullability
objc_arc ptrauth_calls safe_stack thread_sanitizer undefined_behavior_sanitizer
hwaddress_sanitizer dataflow_sanitizer leak_sanitizer is_trivially_copyable`;

const COMMON_C_ATTRIBUTES = `deprecated fallthrough maybe_unused nodiscard noreturn _Noreturn reproducible unsequenced
gnu::packed gnu::aligned gnu::unused gnu::always_inline gnu::noinline gnu::fallthrough gnu::format
clang::fallthrough`;

const OPERATORS = [
  '__has_attribute', '__has_builtin', '__has_c_attribute', '__has_cpp_attribute', '__has_declspec_attribute',
  '__has_embed', '__has_extension', '__has_feature', '__has_include', '__has_include_next', '__has_warning',
  '__is_identifier', '__is_target_arch', '__is_target_environment', '__is_target_os', '__is_target_vendor',
];

function collectHasNames(extraDirs) {
  const kinds = { attribute: new Set(), builtin: new Set(), feature: new Set(), extension: new Set(), c_attribute: new Set() };
  const dirs = [...HEADER_CORPORA, ...extraDirs].filter((d) => existsSync(d));
  const r = run('grep', ['-rhoE', '__has_(attribute|builtin|feature|extension|c_attribute)[[:space:]]*\\([[:space:]]*[A-Za-z_][A-Za-z_0-9:]*[[:space:]]*\\)', ...dirs]);
  for (const m of r.stdout.matchAll(/__has_(attribute|builtin|feature|extension|c_attribute)\s*\(\s*([A-Za-z_][\w:]*)\s*\)/g)) {
    kinds[m[1]].add(m[2]);
  }
  const add = (set, text) => text.split(/\s+/).filter(Boolean).forEach((n) => set.add(n));
  add(kinds.attribute, COMMON_ATTRIBUTES);
  add(kinds.builtin, COMMON_BUILTINS);
  add(kinds.feature, COMMON_FEATURES);
  add(kinds.extension, COMMON_FEATURES);
  add(kinds.c_attribute, COMMON_C_ATTRIBUTES);
  // `a::b` is only meaningful for __has_c_attribute.
  for (const k of ['attribute', 'builtin', 'feature', 'extension']) for (const n of kinds[k]) if (n.includes(':')) kinds[k].delete(n);
  // An operator's own name is not a valid operand (gcc rejects it).
  for (const s of Object.values(kinds)) for (const op of OPERATORS) s.delete(op);
  const sorted = {};
  for (const [k, s] of Object.entries(kinds)) sorted[k] = [...s].sort();
  return sorted;
}

/** Asks the compiler each __has_X(name); returns { operators, attribute: {name: value}, ... }. */
function probeHas(cmd, flags, names) {
  let src = '';
  OPERATORS.forEach((op, i) => {
    src += `#ifdef ${op}\nportabi_op ${i}\n#endif\n`;
  });
  for (const [kind, list] of Object.entries(names)) {
    const op = `__has_${kind}`;
    src += `#ifdef ${op}\n`;
    for (const n of list) src += `portabi_has ${kind} ${n} ${op}(${n})\n`;
    src += '#endif\n';
  }
  const r = run(cmd, [...flags, '-E', '-P', '-w', '-x', 'c', '-'], src);
  if (r.status !== 0) die(`${cmd}: __has_* probe failed:\n${r.stderr}`);
  const result = { operators: [], attribute: {}, builtin: {}, feature: {}, extension: {}, c_attribute: {} };
  for (const line of r.stdout.split('\n')) {
    let m = /^portabi_op (\d+)$/.exec(line);
    if (m) {
      result.operators.push(OPERATORS[Number(m[1])]);
      continue;
    }
    m = /^portabi_has (\w+) (\S+) (\d+)L?$/.exec(line);
    if (m) {
      const v = Number(m[3]);
      if (v !== 0) result[m[1]][m[2]] = v;
    } else if (line.startsWith('portabi_has')) die(`${cmd}: unexpected __has_* answer: ${line}`);
  }
  result.operators.sort();
  return result;
}

function systemIncludesOf(t) {
  if (t.compiler === 'gcc') {
    return ['include', 'include-fixed']
      .map((d) => run(t.gcc.command, [...gccArgs(t), `-print-file-name=${d}`]).stdout.trim())
      .filter((d) => d.startsWith('/') && existsSync(d));
  }
  const res = run(CLANG, [...clangArgs(t), '-print-resource-dir']).stdout.trim();
  return [join(res, 'include')];
}

// ---------------------------------------------------------------------------------------------

function probeTarget(t) {
  const [cmd, flags] = abiCompiler(t);
  const isClang = t.compiler === 'clang';
  const macros = isClang ? predef.get(t.name).clang : predef.get(t.name).gcc;

  const present = SCALARS.filter(([, spelling]) => compileOk(cmd, flags, `${spelling} portabi_x; unsigned long portabi_s = sizeof(${spelling});\n`));
  const probes = [];
  for (const [name, spelling] of present) {
    probes.push([`size ${name}`, `sizeof(${spelling})`]);
    probes.push([`align ${name}`, `__builtin_offsetof(struct { char c; ${spelling} x; }, x)`]);
    probes.push([`pref ${name}`, `__alignof__(${spelling})`]);
  }
  probes.push(['enum', 'sizeof(enum { PORTABI_A, PORTABI_B })']);
  probes.push(['bare aligned', '_Alignof(struct { char c __attribute__((aligned)); })']);
  const v0 = evaluate(cmd, flags, isClang, probes);
  const scalars = {};
  for (const [name] of present) {
    const s = { size: v0.get(`size ${name}`), align: v0.get(`align ${name}`) };
    const pref = v0.get(`pref ${name}`);
    if (pref !== s.align) s.preferredAlign = pref;
    scalars[name] = s;
    const mac = SIZEOF_MACROS[name];
    if (mac && macros.has(mac) && Number(macros.get(mac)) !== s.size) die(`${t.name}: sizeof(${name}) = ${s.size} but ${mac} = ${macros.get(mac)}`);
  }

  // Bit-field rules, probed with the most strictly aligned integer type (differences only show
  // when that alignment exceeds 1; on targets where every alignment is 1 they are moot).
  const intNames = ['int', 'long', 'long long'].filter((n) => scalars[n]);
  const bt = intNames.reduce((a, b) => (scalars[b].align > scalars[a].align ? b : a));
  const ba = scalars[bt].align;
  const v1 = evaluate(cmd, flags, isClang, [
    ['named', `_Alignof(struct { char c; ${bt} x : 1; })`],
    ['unnamed', `_Alignof(struct { char c; ${bt} : 1; })`],
    ['zero', `_Alignof(struct { char c; ${bt} : 0; char d; })`],
    ['zeroNext', `__builtin_offsetof(struct { char c; ${bt} : 0; char d; }, d)`],
  ]);
  const bitfields = {
    typeAlignmentMatters: ba === 1 ? true : v1.get('named') === ba,
    unnamedAffectsAlignment: ba === 1 ? false : v1.get('unnamed') === ba,
    zeroWidthAffectsAlignment: ba === 1 ? false : v1.get('zero') === ba,
  };
  if (ba > 1 && v1.get('zeroNext') !== ba) console.error(`warning: ${t.name}: zero-width ${bt} bit-field puts the next member at ${v1.get('zeroNext')}, not ${ba}`);

  // vector_size alignment cap: a 256-byte vector is aligned to 256 unless the target caps it.
  // _Atomic promotion (clang's model: sizeof <= width -> rounded up to a power of two and aligned
  // to it). gcc does not round sizes up (an _Atomic 3-byte struct stays 3 bytes, align 1) and caps
  // alignment by mode, so gcc-ABI targets get no maxAtomicPromoteWidth.
  const atomicSizes = [1, 2, 4, 8, 16, 32];
  const v2 = evaluate(cmd, flags, isClang, [
    ['vector', `_Alignof(char __attribute__((vector_size(256))))`],
    ['atomic3 size', `sizeof(_Atomic struct { char a[3]; })`],
    ...atomicSizes.map((n) => [`atomic ${n}`, `_Alignof(_Atomic struct { char a[${n}]; })`]),
  ]);
  const maxVectorAlign = v2.get('vector') >= 256 ? 0 : v2.get('vector');
  let maxAtomicPromoteWidth;
  if (isClang) {
    maxAtomicPromoteWidth = 0;
    for (const n of atomicSizes) if (v2.get(`atomic ${n}`) === n) maxAtomicPromoteWidth = n;
    else break;
    if ((v2.get('atomic3 size') === 4) !== maxAtomicPromoteWidth >= 4) die(`${t.name}: _Atomic promotion does not follow clang's model`);
  }

  // What a bare `aligned` means. Usually __BIGGEST_ALIGNMENT__, but clang's msp430 says 2 there
  // and aligns to 16 (its DefaultAlignForAttributeAligned); the layout must follow the latter.
  const maxAlign = v0.get('bare aligned');
  if (maxAlign !== Number(macros.get('__BIGGEST_ALIGNMENT__'))) {
    console.error(`note: ${t.name}: bare aligned is ${maxAlign} but __BIGGEST_ALIGNMENT__ is ${macros.get('__BIGGEST_ALIGNMENT__')}`);
  }

  const typeOf = (m) => {
    if (!macros.has(m)) die(`${t.name}: ${m} not predefined`);
    return intKindOf(macros.get(m));
  };
  const has = probeHas(cmd, flags, hasNames);
  const predefinedFiles = { clang: `predefined/${t.name}.clang.h` };
  if (t.gcc) predefinedFiles.gcc = `predefined/${t.name}.gcc.h`;

  return {
    name: t.name,
    description: t.description,
    clangTriple: t.clangTriple,
    compiler: t.compiler,
    clangFlags: t.clangFlags,
    gcc: t.gcc,
    endian: macros.get('__BYTE_ORDER__') === '__ORDER_BIG_ENDIAN__' ? 'big' : 'little',
    charSigned: !macros.has('__CHAR_UNSIGNED__'),
    scalars,
    sizeType: typeOf('__SIZE_TYPE__'),
    ptrdiffType: typeOf('__PTRDIFF_TYPE__'),
    intptrType: typeOf('__INTPTR_TYPE__'),
    wcharType: typeOf('__WCHAR_TYPE__'),
    shortEnums: v0.get('enum') === 1,
    bitfields,
    maxAlign,
    maxVectorAlign,
    maxAtomicPromoteWidth,
    predefinedFile: t.compiler === 'gcc' ? predefinedFiles.gcc : predefinedFiles.clang,
    predefinedFiles,
    systemIncludes: systemIncludesOf(t),
    hasOperators: has.operators,
    hasAttribute: has.attribute,
    hasBuiltin: has.builtin,
    hasFeature: has.feature,
    hasExtension: has.extension,
    hasCAttribute: has.c_attribute,
  };
}

// ---------------------------------------------------------------------------------------------
// YAML output, written by hand so the layout is stable and readable.

const q = (s) => (/^[A-Za-z_][\w.\-+/ ]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s) && !s.endsWith(' ') ? s : JSON.stringify(s));
const flow = (arr) => `[${arr.map((s) => JSON.stringify(s)).join(', ')}]`;

function toYaml(d, versions) {
  const L = [];
  L.push(`# Generated by scripts/gen-targets.mjs — do not edit; change the script's TARGETS table and re-run.`);
  L.push(`# Probed with: ${versions}`);
  L.push(`# Schema: targets/SCHEMA.md`);
  L.push(`name: ${q(d.name)}`);
  L.push(`description: ${JSON.stringify(d.description)}`);
  L.push(`clangTriple: ${q(d.clangTriple)}`);
  L.push(`compiler: ${d.compiler}`);
  L.push(`clangFlags: ${flow(d.clangFlags)}`);
  if (d.gcc) {
    L.push('gcc:');
    L.push(`  command: ${q(d.gcc.command)}`);
    L.push(`  flags: ${flow(d.gcc.flags)}`);
  }
  L.push(`endian: ${d.endian}`);
  L.push(`charSigned: ${d.charSigned}`);
  L.push('# size and align in bytes; align is the alignment as a struct member (offsetof after a char);');
  L.push('# preferredAlign is GNU __alignof__ where it differs. Types the target lacks are absent.');
  L.push('scalars:');
  for (const [name, s] of Object.entries(d.scalars)) {
    L.push(`  ${name}: { size: ${s.size}, align: ${s.align}${s.preferredAlign !== undefined ? `, preferredAlign: ${s.preferredAlign}` : ''} }`);
  }
  L.push(`sizeType: ${d.sizeType}`);
  L.push(`ptrdiffType: ${d.ptrdiffType}`);
  L.push(`intptrType: ${d.intptrType}`);
  L.push(`wcharType: ${d.wcharType}`);
  L.push(`shortEnums: ${d.shortEnums}`);
  L.push('bitfields:');
  for (const [k, v] of Object.entries(d.bitfields)) L.push(`  ${k}: ${v}`);
  L.push(`maxAlign: ${d.maxAlign} # what a bare __attribute__((aligned)) aligns to`);
  L.push(`maxVectorAlign: ${d.maxVectorAlign}`);
  if (d.maxAtomicPromoteWidth !== undefined) L.push(`maxAtomicPromoteWidth: ${d.maxAtomicPromoteWidth}`);
  else L.push(`# maxAtomicPromoteWidth: absent, ${d.compiler} does not promote _Atomic types the way clang does`);
  L.push(`predefinedFile: ${d.predefinedFile}`);
  L.push('predefinedFiles:');
  for (const [k, v] of Object.entries(d.predefinedFiles)) L.push(`  ${k}: ${v}`);
  L.push('systemIncludes:');
  for (const s of d.systemIncludes) L.push(`  - ${JSON.stringify(s)}`);
  if (d.systemIncludes.length === 0) L[L.length - 1] += ' []';
  L.push(`hasOperators: ${flow(d.hasOperators)}`);
  L.push('# __has_* answers: only names the compiler answered non-zero; an absent name answers 0.');
  for (const key of ['hasAttribute', 'hasBuiltin', 'hasFeature', 'hasExtension', 'hasCAttribute']) {
    const entries = Object.entries(d[key]).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (entries.length === 0) {
      L.push(`${key}: {}`);
      continue;
    }
    L.push(`${key}:`);
    for (const [n, v] of entries) L.push(`  ${q(n)}: ${v}`);
  }
  return L.join('\n') + '\n';
}

function versionOf(cmd) {
  return run(cmd, ['--version']).stdout.split('\n')[0].trim();
}

const extraDirs = [join(run(CLANG, ['-print-resource-dir']).stdout.trim(), 'include')];
if (existsSync('/usr/lib/gcc/arm-none-eabi')) extraDirs.push('/usr/lib/gcc/arm-none-eabi');
const hasNames = collectHasNames(extraDirs);

for (const t of selected) {
  const d = probeTarget(t);
  const versions = t.compiler === 'gcc' ? `${versionOf(t.gcc.command)}; oracle ${versionOf(CLANG)}` : versionOf(CLANG);
  const changed = writeIfChanged(join(TARGETS_DIR, `${t.name}.yaml`), toYaml(d, versions));
  console.error(`${changed ? 'wrote' : 'unchanged'}: targets/${t.name}.yaml`);
}
