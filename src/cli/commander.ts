/**
 * The full path's parser: the generated Commander program reads argv into an invocation
 * (Zod-validated input, the run's settings), and Commander's errors become dma's one-line
 * errors with exit 3 and a "did you mean". Running it is src/cli/run.ts's job.
 */
import { Command, CommanderError } from 'commander';
import { checkInput } from '../contracts/command-input.ts';
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { commands, type CommandMeta } from '../generated/commands.ts';
import { buildProgram } from '../generated/program.ts';
import { commandPath, examplesText, helpModel, helpWidth, renderHelp } from './help.ts';
import { applyFormats, settle, type Invocation, type Settings, type Settled } from './settings.ts';
import type { CommandId as Id, CommandModule } from '../generated/types.ts';

/** Handlers are loaded lazily, one file per command (esbuild bundles each as its own chunk). */
export async function loadCommand(handler: string): Promise<CommandModule<Id>> {
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
  if ((m = /^unknown command '(.*)'$/.exec(first!))) {
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

/** What Commander's parse of argv comes to, each with the settings it read. */
export type Parsed =
  | { invocation: Invocation; load: () => Promise<CommandModule<Id>> }
  /** help was printed (exit 0), or a command group was run without its subcommand (3) */
  | { exit: number; settings: Settings }
  | { error: unknown; settings: Settings };

/** The output a command's options decide, from the values Commander has read so far. */
function settledAt(command: Command): Settled & { typed: Set<string> } {
  const values = command.optsWithGlobals() as Record<string, unknown>;
  const typed = new Set(
    Object.keys(values).filter((k) => command.getOptionValueSourceWithGlobals(k) === 'cli'),
  );
  const meta = (commands as Record<string, CommandMeta | undefined>)[
    commandPath(command).replaceAll(' ', '.')
  ];
  return { ...settle(values, typed, meta?.llm ?? false), typed };
}

/** The parsed command with its input checked by the contract's validator. */
function invocationOf(id: Id, positionals: unknown[], command: Command): Parsed {
  const meta = commands[id];
  const opts = command.optsWithGlobals() as Record<string, unknown>;
  const raw: Record<string, unknown> = {};
  meta.args.forEach((a, i) => {
    if (positionals[i] !== undefined) raw[a.key] = positionals[i];
  });
  for (const o of meta.options) if (opts[o.key] !== undefined) raw[o.key] = opts[o.key];
  for (const key of ['format', 'json', 'quiet', 'color', 'db', 'campaign'])
    if (opts[key] !== undefined) raw[key] = opts[key];
  const { typed, ...settled } = settledAt(command);
  const { settings } = settled;
  const issue = checkInput(id, raw);
  if (issue)
    return { error: new UsageError(`invalid ${issue.key || 'input'}: ${issue.message}`), settings };
  const input = raw;
  applyFormats(input, settled, meta.llm);
  return {
    invocation: { meta, input, typed, settings },
    load: () => loadCommand(meta.handler),
  };
}

function* allCommands(command: Command): Generator<Command> {
  yield command;
  for (const c of command.commands) yield* allCommands(c);
}

/**
 * Parse argv with the generated Commander program: the command to run with its validated
 * input, or the exit code of help, or the usage error in dma's style. The settings come from
 * what Commander read — all of it on success; on an error, what it had read by then, so
 * `--json` still shapes the error (Commander reads the global options of the whole line
 * before a subcommand's, and a command's options before it reports an unknown one).
 */
export async function parseCommandLine(argv: readonly string[]): Promise<Parsed> {
  let parsed: Parsed | undefined;
  // A value a parser refuses does not stop Commander: it keeps the option's previous value
  // and reads on, so the settings the error is reported with include a --json that comes
  // after the bad value. The first refusal is the error, as if Commander had stopped there,
  // and nothing Commander would print after it (help) is printed.
  let refused: UsageError | undefined;
  const refuse = <T>(label: string, value: string, why: string, previous: T): T => {
    refused ??= new UsageError(`invalid value "${value}" for ${label}: ${why}`);
    return previous;
  };
  const write = (stream: NodeJS.WriteStream) => (text: string) => {
    if (refused === undefined) stream.write(text);
  };
  const program = buildProgram({
    configure(root: Command) {
      root.exitOverride();
      root.showSuggestionAfterError(true);
      root.configureOutput({
        outputError: () => undefined,
        writeOut: write(process.stdout),
        writeErr: write(process.stderr),
      });
      // the same renderer as the prebuilt help: contract prose rewrapped to the terminal
      root.configureHelp({
        formatHelp: (cmd, helper) => renderHelp(helpModel(cmd, helper), helpWidth()),
      });
    },
    parseNumber(label, integer, min, max) {
      return (value: string, previous?: number) => {
        const ok = integer ? /^-?\d+$/.test(value) : /^-?(\d+\.?\d*|\.\d+)$/.test(value);
        const n = Number(value);
        if (!ok || (min !== undefined && n < min) || (max !== undefined && n > max))
          return refuse(label, value, `expected ${rangeText(integer, min, max)}`, previous!);
        return n;
      };
    },
    parseChoice(label, choices) {
      return (value: string, previous?: string) => {
        if (choices.includes(value)) return value;
        const why = `expected one of ${choices.join(', ')}${didYouMean(value, choices)}`;
        return refuse(label, value, why, previous!);
      };
    },
    collect(parse) {
      return (value, previous) => [...(previous ?? []), parse ? parse(value) : (value as never)];
    },
    examples: examplesText,
    run(id, positionals, command) {
      if (refused === undefined) parsed = invocationOf(id, positionals, command);
      return Promise.resolve();
    },
  });
  // the deepest command Commander has reached, whose options it was reading when it failed
  let reached = program;
  for (const c of allCommands(program))
    if (c.commands.length > 0) c.hook('preSubcommand', (_, sub) => void (reached = sub));
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (err) {
    const { settings } = settledAt(reached);
    if (refused !== undefined) return { error: refused, settings };
    if (!(err instanceof CommanderError)) return { error: err, settings };
    if (err.exitCode === 0) return { exit: 0, settings };
    // a command group run without a subcommand: Commander printed its help to stderr
    if (err.code === 'commander.help') return { exit: 3, settings };
    const { message, hint } = reformatCommanderMessage(err.message);
    return { error: new UsageError(message, hint === undefined ? {} : { hint }), settings };
  }
  if (refused !== undefined) return { error: refused, settings: settledAt(reached).settings };
  return parsed ?? { exit: 0, settings: settledAt(reached).settings };
}
