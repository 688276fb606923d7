/**
 * The full path: the generated Commander program, Zod-validated input, and Commander's
 * errors turned into dma's one-line errors with exit 3 and a "did you mean".
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { commands } from '../generated/commands.ts';
import { buildProgram } from '../generated/program.ts';
import { inputValidators } from '../generated/validators.ts';
import { examplesText, helpModel, helpWidth, renderHelp } from './help.ts';
import { applyReportFormat, settings } from './output.ts';
import { execute } from './run.ts';
import type { CommandId as Id, CommandModule } from '../generated/types.ts';

/** Handlers are loaded lazily, one file per command (esbuild bundles each as its own chunk). */
async function loadCommand(handler: string): Promise<CommandModule<Id>> {
  return (await import(`../commands/${handler}.ts`)) as CommandModule<Id>;
}

function rangeText(integer: boolean, min?: number, max?: number): string {
  const what = integer ? 'an integer' : 'a number';
  if (min !== undefined && max !== undefined) return `${what} from ${min} to ${max}`;
  if (min !== undefined) return `${what} ≥ ${min}`;
  if (max !== undefined) return `${what} ≤ ${max}`;
  return what;
}

/** Turn Commander's messages into dma's one-line style. */
export function reformatCommanderMessage(message: string): { message: string; hint?: string } {
  const text = message.replace(/^error: /, '').trim();
  const [first, ...rest] = text.split('\n');
  const suggestion = /\(Did you mean (.+)\?\)/.exec(rest.join(' '));
  let m: RegExpExecArray | null;
  let out = first!;
  if ((m = /^command-argument value '(.*)' is invalid for argument '(.*)'\. (.*)$/.exec(first!))) {
    out = `invalid value "${m[1]}" for <${m[2]}>: ${m[3]}`;
  } else if ((m = /^option '(.*)' argument '(.*)' is invalid\. (.*)$/.exec(first!))) {
    const flag = m[1]!.split(/[ ,]+/).find((f) => f.startsWith('--')) ?? m[1]!;
    out = `invalid value "${m[2]}" for ${flag}: ${m[3]}`;
  } else if ((m = /^unknown command '(.*)'$/.exec(first!))) {
    out = `unknown command "${m[1]}"`;
  } else if ((m = /^unknown option '(.*)'$/.exec(first!))) {
    out = `unknown option "${m[1]}"`;
  } else if ((m = /^missing required argument '(.*)'$/.exec(first!))) {
    out = `missing required argument <${m[1]}>`;
  }
  out = out.replace(/\.$/, '');
  if (suggestion) return { message: `${out} — did you mean "${suggestion[1]}"?` };
  if (/^unknown command/.test(out))
    return { message: out, hint: 'run `dma --help` for the list of commands' };
  if (/^unknown option/.test(out))
    return { message: out, hint: 'run the command with --help for its options' };
  return { message: out };
}

export async function runCommander(argv: readonly string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram({
    configure(root: Command) {
      root.exitOverride();
      root.showSuggestionAfterError(true);
      root.configureOutput({ outputError: () => undefined });
      // the same renderer as the prebuilt help: contract prose rewrapped to the terminal
      root.configureHelp({
        formatHelp: (cmd, helper) => renderHelp(helpModel(cmd, helper), helpWidth()),
      });
    },
    parseNumber(label, integer, min, max) {
      return (value: string) => {
        const ok = integer ? /^-?\d+$/.test(value) : /^-?(\d+\.?\d*|\.\d+)$/.test(value);
        const n = Number(value);
        if (!ok || (min !== undefined && n < min) || (max !== undefined && n > max)) {
          throw new InvalidArgumentError(`expected ${rangeText(integer, min, max)}`);
        }
        void label;
        return n;
      };
    },
    parseChoice(label, choices) {
      return (value: string) => {
        if (choices.includes(value)) return value;
        throw new InvalidArgumentError(
          `expected one of ${choices.join(', ')}${didYouMean(value, choices)}`,
        );
      };
    },
    collect(parse) {
      return (value, previous) => [...(previous ?? []), parse ? parse(value) : (value as never)];
    },
    examples: examplesText,
    async run(id, positionals, command) {
      const meta = commands[id];
      const opts = command.optsWithGlobals() as Record<string, unknown>;
      const raw: Record<string, unknown> = {};
      meta.args.forEach((a, i) => {
        if (positionals[i] !== undefined) raw[a.key] = positionals[i];
      });
      for (const o of [...meta.options]) if (opts[o.key] !== undefined) raw[o.key] = opts[o.key];
      for (const key of ['format', 'json', 'quiet', 'color', 'db', 'campaign'])
        if (opts[key] !== undefined) raw[key] = opts[key];
      applyGlobals(raw);
      if (meta.llm) {
        applyReportFormat(raw, {
          reportFormat: command.getOptionValueSourceWithGlobals('reportFormat') === 'cli',
          format: command.getOptionValueSourceWithGlobals('format') === 'cli',
        });
      }
      const parsed = inputValidators[id].safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0]!;
        throw new UsageError(`invalid ${String(issue.path[0] ?? 'input')}: ${issue.message}`);
      }
      const typed = new Set(
        [...meta.options.map((o) => o.key), 'db'].filter(
          (k) => command.getOptionValueSourceWithGlobals(k) === 'cli',
        ),
      );
      exitCode = await execute(
        meta,
        parsed.data as Record<string, unknown>,
        await loadCommand(meta.handler),
        typed,
      );
    },
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) return 0;
      // a command group run without a subcommand: Commander printed its help to stderr
      if (err.code === 'commander.help') return 3;
      const { message, hint } = reformatCommanderMessage(err.message);
      throw new UsageError(message, hint === undefined ? {} : { hint });
    }
    throw err;
  }
  return exitCode;
}

/** --json, --format, --quiet and --no-color take effect for rendering. */
export function applyGlobals(input: Record<string, unknown>): void {
  if (typeof input['reportFormat'] === 'string') input['format'] = input['reportFormat'];
  // --json asks for machine output: an explicit --format ndjson already is
  if (input['json'] === true && input['format'] !== 'ndjson') input['format'] = 'json';
  if (typeof input['format'] === 'string')
    settings.format = input['format'] as typeof settings.format;
  if (input['quiet'] === true) settings.quiet = true;
  if (input['color'] === false) settings.noColor = true;
}
