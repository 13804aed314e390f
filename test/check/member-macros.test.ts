// Fields the headers spell through a member-path macro whose steps go through members of
// untagged struct/union types (glibc: `union { char ifrn_name[IFNAMSIZ]; } ifr_ifrn;` with
// `#define ifr_name ifr_ifrn.ifrn_name`). The expected offsets and widths are clang-19's
// offsetof and sizeof, compiled for the target into an object file and read back.
import { existsSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkModel } from '../../src/check/check.js';
import { emptyProfile } from '../../src/check/profile-types.js';
import { computeAbi, emptyInput } from '../../src/pipeline.js';
import { compileWithClang, hasCommand, readSymbolBytes } from '../abi/elf-object.js';

const CLANG_INCLUDE = '/usr/lib/llvm-19/lib/clang/19/include';
const FIXTURE = new URL('../fixtures/check/member-macros.h', import.meta.url).pathname;

interface Setup {
  label: string;
  target: string;
  /** Header dirs, in search order, for portabi and clang alike (clang's own dir last, as
   *  portabi searches it). */
  dirs: string[];
  available: boolean;
  /** The header text: what is included, and the [type, field] pairs a profile names. */
  text: string;
  fields: [type: string, field: string][];
}

// The C library's own macros: every field below is spelled only through one.
const LIBC_FIELDS: [string, string][] = [
  ['struct ifreq', 'ifr_name'], // ifr_ifrn.ifrn_name: untagged union, array
  ['struct ifreq', 'ifr_addr'], // ifr_ifru.ifru_addr: untagged union, tagged struct
  ['struct ifreq', 'ifr_mtu'],
  ['struct sigaction', 'sa_handler'],
  ['struct sigaction', 'sa_sigaction'],
  ['struct in6_addr', 's6_addr'],
  ['struct in6_addr', 's6_addr32'],
  ['struct sigevent', 'sigev_notify_function'], // two untagged records deep
  ['siginfo_t', 'si_pid'], // a typedef of an untagged struct, then untagged records
  ['siginfo_t', 'si_addr'],
  ['struct stat', 'st_atime'], // st_atim.tv_sec: a tagged struct
];
const LIBC_TEXT = '#define _GNU_SOURCE 1\n#include <net/if.h>\n#include <signal.h>\n#include <netinet/in.h>\n#include <sys/stat.h>\n';

const SETUPS: Setup[] = [
  {
    label: 'glibc x86_64', target: 'x86_64-unknown-linux-gnu',
    dirs: ['/usr/include/x86_64-linux-gnu', '/usr/include'],
    available: existsSync('/usr/include/x86_64-linux-gnu/bits/sigaction.h'),
    text: LIBC_TEXT, fields: LIBC_FIELDS,
  },
  {
    label: 'glibc armhf', target: 'armv7-unknown-linux-gnueabihf',
    dirs: ['/usr/arm-linux-gnueabihf/include'],
    available: existsSync('/usr/arm-linux-gnueabihf/include/bits/sigaction.h'),
    text: LIBC_TEXT, fields: LIBC_FIELDS,
  },
  {
    label: 'musl x86_64', target: 'x86_64-unknown-linux-musl',
    dirs: ['/usr/include/x86_64-linux-musl'],
    available: existsSync('/usr/include/x86_64-linux-musl/signal.h'),
    text: LIBC_TEXT, fields: LIBC_FIELDS,
  },
  ...['x86_64-unknown-linux-gnu', 'armv7-unknown-linux-gnueabihf'].map((target) => ({
    label: `fixture ${target}`, target, dirs: [], available: true,
    text: `#include "${FIXTURE}"\n`,
    fields: [['struct outer', 'o_bytes'], ['struct outer', 'o_hi'], ['struct outer', 'o_d'], ['struct outer', 'o_b']] as [string, string][],
  })),
];

/** clang-19's offsetof and 8 * sizeof of each field, in bits. Both targets are little-endian. */
function compilerOffsets(s: Setup, header: string): { offsetBits: number; sizeBits: number }[] {
  const rows = s.fields.map(([t, f]) => `  { offsetof(${t}, ${f}), sizeof(((${t} *)0)->${f}) },`);
  const src = `#include "${header}"\n#include <stddef.h>\nconst unsigned long long portabi_oracle[][2] = {\n${rows.join('\n')}\n};\n`;
  const flags = ['-nostdinc', ...[...s.dirs, CLANG_INCLUDE].flatMap((d) => ['-isystem', d])];
  const { bytes } = readSymbolBytes(compileWithClang(src, s.target, flags), 'portabi_oracle');
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return s.fields.map((_, i) => ({ offsetBits: Number(dv.getBigUint64(i * 16, true)) * 8, sizeBits: Number(dv.getBigUint64(i * 16 + 8, true)) * 8 }));
}

describe.skipIf(!hasCommand('clang-19'))('fields spelled through member-path macros, against clang-19', () => {
  const dir = mkdtempSync(join(tmpdir(), 'portabi-member-macros-'));
  for (const s of SETUPS) {
    it.skipIf(!s.available)(`${s.label}: found at the compiler's offset; a wrong offset is still reported`, () => {
      const header = join(dir, `${s.label.replace(/\W+/g, '-')}.h`);
      writeFileSync(header, s.text);
      const expected = compilerOffsets(s, header);
      const r = computeAbi(emptyInput({ headers: [header], target: s.target, systemIncludePaths: s.dirs }));
      if (!r.ok) throw new Error(JSON.stringify(r.diagnostics));
      const model = r.value.model;
      // Each field is one only a macro spells, so the check goes through memberThroughMacro.
      for (const [t, f] of s.fields) {
        expect(model.macros[f]?.member, f).toBeDefined();
        expect(model.types[t]?.fields?.some((x) => x.name === f), `${t} ${f}`).toBe(false);
      }

      const right = emptyProfile('compiler', s.target);
      const wrong = emptyProfile('off-by-one', s.target);
      s.fields.forEach(([t, f], i) => {
        const { offsetBits, sizeBits } = expected[i]!;
        (right.types[t] ??= { fields: {} }).fields![f] = { offset: offsetBits / 8, sizeBits };
        (wrong.types[t] ??= { fields: {} }).fields![f] = { offset: offsetBits / 8 + 1, sizeBits };
      });
      expect(checkModel(model, right)).toEqual([]);
      const findings = checkModel(model, wrong).map((x) => `${x.item}.${x.field} ${x.kind} ${x.expected} ${x.actual}`);
      expect(findings.sort()).toEqual(
        s.fields.map(([t, f], i) => `${t}.${f} offset ${expected[i]!.offsetBits / 8 + 1} ${expected[i]!.offsetBits / 8}`).sort(),
      );
    });
  }
});
