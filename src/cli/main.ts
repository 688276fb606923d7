/**
 * Entry of the CLI: the fast lane first (no Commander, no Zod), else the full program.
 * Returns the exit code; bin.ts sets it.
 */
import { VERSION, commands, globalOptions } from '../generated/commands.ts';
import { fastParse } from './fastlane.ts';
import { reportError, settings } from './output.ts';
import { abortController, execute } from './run.ts';

/** Peek at --json/--format/--no-color before parsing, so early errors use the right format. */
function presetGlobals(argv: readonly string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') settings.format = 'json';
    else if ((a === '--format' || a === '-f') && /^(json|yaml|text)$/.test(argv[i + 1] ?? '')) {
      settings.format = argv[i + 1] as typeof settings.format;
    } else if (/^--format=(json|yaml|text)$/.test(a))
      settings.format = a.slice(9) as typeof settings.format;
    else if (a === '--no-color') settings.noColor = true;
    else if (a === '--quiet' || a === '-q') settings.quiet = true;
  }
}

export async function main(argv: readonly string[]): Promise<number> {
  presetGlobals(argv);
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(VERSION + '\n');
    return 0;
  }
  try {
    const fast = fastParse(argv, commands, globalOptions);
    if (fast) {
      if (fast.input['json'] === true) fast.input['format'] = 'json';
      return await execute(fast.meta, fast.input);
    }
    process.once('SIGINT', () => {
      abortController.abort();
      process.stderr.write('\ndma: interrupted\n');
      process.exit(130);
    });
    const { runCommander } = await import('./commander.ts');
    return await runCommander(argv.length === 0 ? ['--help'] : argv);
  } catch (err) {
    return reportError(err);
  }
}
