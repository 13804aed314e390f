// `portabi probe <headers…>`: a C file of compile-time checks of portabi's numbers (or a
// profile's), for the user's own cross compiler; --verify-with compiles it and names failures.
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseKconfig } from '../parse/kconfig.js';
import { generateProbe, VERIFY_TIMEOUT_MS, verifyProbe, writeProbe } from '../check/probe.js';
import { WriteError } from '../write-file.js';
import { loadProfile } from '../check/profile-load.js';
import type { InputOptions } from '../pipeline.js';
import type { Profile } from '../check/profile-types.js';
import { computeForCommand } from './compute.js';
import { addInputOptions } from './input-options.js';
import { printDiagnostics } from './output.js';

export function registerProbe(program: Command, setExit: (code: number) => void): void {
  addInputOptions(program.command('probe').argument('<headers...>', 'header files'))
    .description("emit a C file of _Static_asserts checking the ABI model (or a profile) with any compiler")
    .option('-p, --profile <file>', "check the profile's numbers instead of portabi's")
    .requiredOption('-o, --output <file>', 'the probe C file to write')
    .option('--verify-with <cc>', `compile the probe with this compiler and the flags after it (last option), and report each failing check; a compiler that cannot run, crashes, fails with no error about a check or takes over ${VERIFY_TIMEOUT_MS / 1000} s is an error (exit 2)`)
    .action(async (headers: string[], o: Record<string, unknown>) => {
      // normaliseArgv passes `--verify-with <cc> [flags…]` as one JSON array; `--verify-with=cc` is one word.
      const vw = o.verifyWith as string | undefined;
      const cc = vw === undefined ? undefined : vw.startsWith('[') ? (JSON.parse(vw) as string[]) : [vw];
      if (cc && !cc[0]) {
        process.stderr.write('portabi: probe: --verify-with needs a compiler: --verify-with <cc> [flags…], last on the line\n');
        return setExit(2);
      }
      let profile: Profile | undefined;
      if (o.profile) {
        const lp = loadProfile(o.profile as string);
        printDiagnostics(lp.diagnostics);
        if (!lp.profile) return setExit(2);
        profile = lp.profile;
      }
      let input: InputOptions | undefined;
      const r = computeForCommand(headers, o, setExit, (i) => {
        if (profile && o.target === undefined) i.target = profile.target; // the ABI the profile assumes
        input = i;
      });
      if (!r || !input) return;
      const probe = generateProbe(r.model, profile, { includes: headers.map((h) => resolve(h)), endian: r.target.endian });
      const file = o.output as string;
      try {
        writeProbe(file, probe);
      } catch (e) {
        if (!(e instanceof WriteError)) throw e;
        process.stderr.write(`${e.message}\n`);
        return setExit(2);
      }
      process.stderr.write(`portabi: wrote ${probe.checks.length} checks to ${file}\n`);
      if (!cc) return;
      const defs = [...input.defines.map((d) => `-D${d.name}=${d.value}`), ...input.undefines.map((u) => `-U${u}`)];
      const incs = [...input.includePaths.map((d) => `-I${d}`), ...input.systemIncludePaths.flatMap((d) => ['-isystem', d])];
      // The compiler has no --config: pass the Kconfig options as -D, as mkconfig would define them.
      const config = input.configFiles.flatMap((f) =>
        parseKconfig(readFileSync(f, 'latin1'), f, []).flatMap((e) => (e.value === null ? [] : [`-D${e.name}=${e.value}`])),
      );
      const v = await verifyProbe(file, cc[0]!, [...cc.slice(1), ...incs, ...defs, ...config]);
      if (v.compilerFailure) {
        // Not a verdict: no "checks passed" line, exit 2 (an input or tool error, not findings).
        process.stderr.write(`portabi: --verify-with ${v.compilerFailure.message}${v.compilerFailure.stderr.length ? ':' : ''}\n`);
        for (const l of v.compilerFailure.stderr) process.stderr.write(`  ${l}\n`);
        return setExit(2);
      }
      for (const u of v.unattributed) process.stderr.write(`${u}\n`);
      const failed = v.results.filter((x) => x.status !== 'pass');
      for (const f of failed) process.stdout.write(`${f.status}: ${f.kind} ${f.item}${f.field ? `.${f.field}` : ''}: expected ${f.expected}${f.actual !== undefined ? `, compiler says ${f.actual}` : ''}${f.message ? ` (${f.message})` : ''}\n`);
      process.stdout.write(`${v.results.length - failed.length}/${v.results.length} checks passed\n`);
      setExit(v.ok ? 0 : 1);
    });
}
