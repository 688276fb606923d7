/**
 * The full program (an ES module bundle in dist/full/): the generated Commander program,
 * Zod-validated input, every command's handler loaded lazily.
 */
import { commands } from '../generated/commands.ts';
import type { CommandId, CommandModule } from '../generated/types.ts';
import type { Parsed } from './commander.ts';
import { reportError } from './output.ts';
import { abortController, run, signals } from './run.ts';
import { defaultSettings } from './settings.ts';

/** A command's module by id, through the full program's handler table (src/cli/lazy.ts). */
export async function loadCommandById(id: string): Promise<CommandModule<CommandId>> {
  const meta = commands[id as CommandId];
  if (meta === undefined) throw new Error(`no command "${id}"`);
  const { loadCommand } = await import('./commander.ts');
  return loadCommand(meta.handler);
}

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
