// portabi's command line. Each command is a thin shell over the library: parse flags, run the
// phases, print. Exit codes: 0 success, 1 findings at or above --fail-on, 2 usage or input error
// (and an output that cannot be written), 141 when stdout's reader went away (guardOutputStreams).
import { Command, CommanderError } from 'commander';
import { EXIT_BROKEN_PIPE, stdoutFailed, WriteError } from './write-file.js';

type Register = (program: Command, setExit: (code: number) => void) => void;

/**
 * Each command's module, loaded only when that command runs (or for `--help`): a run of
 * `dump` does not load the checker, the generators or their dependencies. Start-up is part
 * of every CI step and pre-commit hook that calls portabi.
 */
const COMMANDS: Record<string, () => Promise<Register>> = {
  preprocess: async () => (await import('./cli/preprocess-command.js')).registerPreprocess,
  dump: async () => (await import('./cli/dump-command.js')).registerDump,
  eval: async () => (await import('./cli/eval-command.js')).registerEval,
  explain: async () => (await import('./cli/explain-command.js')).registerExplain,
  check: async () => (await import('./cli/check-command.js')).registerCheck,
  profile: async () => (await import('./cli/profile-command.js')).registerProfile,
  probe: async () => (await import('./cli/probe-command.js')).registerProbe,
  gen: async () => (await import('./cli/gen-command.js')).registerGen,
  diff: async () => (await import('./cli/diff-command.js')).registerDiff,
};

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** The reader of stdout went away (`portabi dump … | head -1`): 128 + SIGPIPE, see guardOutputStreams. */
export { EXIT_BROKEN_PIPE };

let streamsGuarded = false;

/**
 * Write errors on stdout and stderr, which Node reports as an 'error' event (unhandled: a
 * stack trace and exit 1, the findings code). Every command writes through these streams.
 *
 * - EPIPE, the reader went away: stop at once and quietly, as cat and grep do (they are killed
 *   by SIGPIPE, which Node ignores). The status is 141, what the shell reports for them
 *   (128 + SIGPIPE): without `set -o pipefail` the pipeline's status is the reader's, as with
 *   cat; with it, a run whose output was cut short fails as cat's would, and is never taken for
 *   a complete one (0), for findings (1) or for an input error (2). A `check | head` in CI
 *   thus cannot turn findings into a pass.
 * - Any other stdout error (a full disk, EIO): one line, `portabi: cannot write to standard
 *   output: <reason>`, exit 2. A stderr error other than EPIPE exits 2 silently (nowhere to say it).
 * Documents written to a file or device stdout go through writeStdout (src/write-file.ts),
 * which sees the short writes Node's stream would drop.
 */
export function guardOutputStreams(): void {
  if (streamsGuarded) return;
  streamsGuarded = true;
  process.stdout.on('error', stdoutFailed);
  process.stderr.on('error', (e: NodeJS.ErrnoException) => process.exit(e.code === 'EPIPE' ? EXIT_BROKEN_PIPE : EXIT_USAGE));
}

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

/** The program with the command `argv` names, or every command when it names none. */
export async function buildProgram(setExit: (code: number) => void, argv: string[] = []): Promise<Command> {
  const program = new Command('portabi')
    .description('Keep C headers and the bindings built on them honest with each other.')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
  const only = argv[0] !== undefined ? COMMANDS[argv[0]] : undefined;
  for (const load of only ? [only] : Object.values(COMMANDS)) (await load())(program, setExit);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  let code = EXIT_OK;
  guardOutputStreams();
  try {
    const program = await buildProgram((c) => {
      code = Math.max(code, c);
    }, argv);
    await program.parseAsync(normaliseArgv(argv), { from: 'user' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) {
      // --help and --version exit through here with code 0.
      return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    }
    if (e instanceof WriteError) {
      // An output file (-o) that cannot be written: the user's path and the reason, no stack.
      process.stderr.write(`${e.message}\n`);
      return EXIT_USAGE;
    }
    // An internal error: say so plainly; the stack only on request.
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(`portabi: internal error: ${msg}\n`);
    if (process.env.PORTABI_DEBUG) process.stderr.write(`${(e as Error).stack ?? ''}\n`);
    return EXIT_USAGE;
  }
}
