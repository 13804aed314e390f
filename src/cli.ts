// portabi's command line. Each command is a thin shell over the library: parse flags, run the
// phases, print. Exit codes: 0 success, 1 findings at or above --fail-on, 2 usage or input error.
import { Command, CommanderError } from 'commander';
import { registerPreprocess } from './cli/preprocess-command.js';
import { registerDump } from './cli/dump-command.js';
import { registerEval } from './cli/eval-command.js';
import { registerExplain } from './cli/explain-command.js';
import { registerCheck } from './cli/check-command.js';
import { registerProfile } from './cli/profile-command.js';
import { registerProbe } from './cli/probe-command.js';
import { registerGen } from './cli/gen-command.js';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

/** GCC spells some flags with one dash and a long name; commander wants two. */
function normaliseArgv(argv: string[]): string[] {
  const out: string[] = [];
  // `--verify-with <cc> [flags…]` takes the rest of the line: pass it as one JSON argument so
  // that the compiler's flags are not read as portabi's.
  const vw = argv.indexOf('--verify-with');
  if (vw >= 0) return [...normaliseArgv(argv.slice(0, vw)), '--verify-with', JSON.stringify(argv.slice(vw + 1))];
  for (const a of argv) {
    const m = /^-(isystem|iquote|include)(.*)$/.exec(a);
    if (m) {
      out.push(`--${m[1]}`);
      if (m[2]) out.push(m[2]);
    } else {
      out.push(a);
    }
  }
  return out;
}

export function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('portabi')
    .description('Keep C headers and the bindings built on them honest with each other.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  registerPreprocess(program, setExit);
  registerDump(program, setExit);
  registerEval(program, setExit);
  registerExplain(program, setExit);
  registerCheck(program, setExit);
  registerProfile(program, setExit);
  registerProbe(program, setExit);
  registerGen(program, setExit);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  const program = buildProgram((c) => {
    code = Math.max(code, c);
  });
  try {
    await program.parseAsync(normaliseArgv(argv), { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    // An internal error: say so plainly; the stack only on request.
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`portabi: internal error: ${msg}\n`);
    if (process.env.PORTABI_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return EXIT_USAGE;
  }
}
