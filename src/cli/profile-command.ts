// `portabi profile extract|from-rust-libc`: build target-libc profiles from headers or from
// the Rust libc crate's source.
import type { Command } from 'commander';
import { extractProfile, renderProfileYaml } from '../check/profile-extract.js';
import { inputProblemMessage, readInputFile } from '../parse/input-file.js';
import { computeForCommand } from './compute.js';
import { addInputOptions } from './input-options.js';
import { writeOutput } from './output.js';

export function registerProfile(program: Command, setExit: (code: number) => void): void {
  const profile = program.command('profile').description('build target-libc profiles');
  addInputOptions(profile.command('extract').argument('<headers...>', 'header files'))
    .description('a profile stating what these headers define for the target')
    .option('--name <name>', 'profile name', 'extracted')
    .option('--description <text>', 'profile description', '')
    .option('--names <file>', 'only these items, one per line (e.g. "struct stat", O_RDONLY)')
    .option('-o, --output <file>', 'write the YAML to a file (atomically)')
    .action((headers: string[], o: Record<string, unknown>) => {
      const r = computeForCommand(headers, o, setExit);
      if (!r) return;
      let names: string[] | undefined;
      if (o.names) {
        // Stat-ed before it is read: a FIFO or a device is refused, not waited on.
        const file = o.names as string;
        const f = readInputFile(file);
        if (!f.ok) {
          process.stderr.write(`${file}:1:1: fatal: ${inputProblemMessage(file, f.problem)}\n`);
          return setExit(2);
        }
        names = f.bytes.toString('utf8').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
      }
      const p = extractProfile(r.model, { name: o.name as string, description: (o.description as string) || `extracted from ${headers.join(', ')}`, ...(names ? { names } : {}) });
      writeOutput(renderProfileYaml(p), o.output as string | undefined);
    });
  // The Rust importer (tree-sitter) is loaded only when it runs.
  profile
    .command('from-rust-libc')
    .allowUnknownOption()
    .allowExcessArguments()
    .helpOption(false)
    .description('import what the Rust libc crate assumes for a target, as a target-libc profile')
    .action(async (_o: unknown, cmd: Command) => {
      const { registerFromRustLibc } = await import('../check/rust-libc/command.js');
      const { Command: Cmd } = await import('commander');
      const inner = new Cmd('profile').exitOverride();
      registerFromRustLibc(inner, setExit);
      await inner.parseAsync(['from-rust-libc', ...cmd.args], { from: 'user' });
    });
}
