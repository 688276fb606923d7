/**
 * The full program (an ES module bundle in dist/full/): the generated Commander program,
 * Zod-validated input, every command's handler loaded lazily.
 */
import { abortController, signals } from './run.ts';
import { presetGlobals, reportError } from './output.ts';

export async function runFull(argv: readonly string[]): Promise<number> {
  presetGlobals(argv);
  process.once('SIGINT', () => {
    abortController.abort();
    if (signals.trapped) return; // the command stops by itself
    process.stderr.write('\ndma: interrupted\n');
    process.exit(130);
  });
  try {
    const { runCommander } = await import('./commander.ts');
    return await runCommander(argv.length === 0 ? ['--help'] : argv);
  } catch (err) {
    return reportError(err);
  }
}
