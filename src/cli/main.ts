/**
 * Start-up entry (bundled to CommonJS in dist/dma.cjs): `--version` and the fast lane
 * run here without Commander or Zod; everything else is handed to the full program
 * (src/cli/full.ts, an ES module bundle loaded on demand). Returns the exit code.
 */
import { VERSION, commands, globalOptions } from '../generated/commands.ts';
import { fastHandlers } from '../generated/fast-handlers.ts';
import { fastParse } from './fastlane.ts';
import { prebuiltHelp } from './help.ts';
import { run } from './run.ts';
import { quietClosedPipes, write } from './stdio.ts';

export { quietClosedPipes };

/**
 * End the process with `code`. With nothing left in the event loop (no pending write,
 * request, timer, server or worker), Node would still wait, before exiting, for the compile
 * jobs V8 runs in the background (TurboFan optimising what ran hot): 14-22 ms of idle after
 * the output of a `dungeon gen` on this machine. So exit now; 'exit' handlers run as ever.
 * Anything still pending keeps the normal end.
 */
export function exitWhenIdle(code: number): void {
  process.exitCode = code;
  // a turn of the loop later: a file request just awaited (the rename of an -o file) is
  // still listed as active until its callback has returned
  setImmediate(() => {
    if (process.getActiveResourcesInfo().length === 0) process.exit(code);
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  quietClosedPipes();
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    write(1, VERSION + '\n');
    return 0;
  }
  const help = prebuiltHelp(argv.length === 0 ? ['--help'] : argv);
  if (help !== undefined) {
    write(1, help);
    return 0;
  }
  // argv is parsed once: here when the fast lane is sure of it, else by Commander
  const fast = fastParse(argv, commands, globalOptions);
  const load = fast && fastHandlers[fast.meta.path.join('.') as keyof typeof fastHandlers];
  if (fast && load) return run(fast, load);
  const { runFull } = await import('./full.ts');
  return runFull(argv);
}
