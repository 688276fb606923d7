/**
 * The full program (an ES module bundle in dist/full/): the generated Commander program,
 * Zod-validated input, every command's handler loaded lazily.
 */
import type { Parsed } from './commander.ts';
import { reportError } from './output.ts';
import { abortController, run, signals } from './run.ts';
import { defaultSettings } from './settings.ts';

export async function runFull(argv: readonly string[]): Promise<number> {
  process.once('SIGINT', () => {
    abortController.abort();
    if (signals.trapped) return; // the command stops by itself
    process.stderr.write('\ndma: interrupted\n');
    process.exit(130);
  });
  let parsed: Parsed;
  try {
    const { parseCommandLine } = await import('./commander.ts');
    parsed = await parseCommandLine(argv.length === 0 ? ['--help'] : argv);
  } catch (err) {
    // the parser itself failed to load: nothing of argv has been read
    return reportError(err, defaultSettings);
  }
  if ('invocation' in parsed) return run(parsed.invocation, parsed.load);
  if ('error' in parsed) return reportError(parsed.error, parsed.settings);
  return parsed.exit;
}
