/**
 * Runs one command handler and renders its result. Shared by the fast lane and the
 * Commander path.
 */
import type { CommandContext } from '../core/context.ts';
import type { CommandMeta } from '../generated/commands.ts';
import type { CommandId, CommandModule } from '../generated/types.ts';
import { resolveDbPath } from '../store/paths.ts';
import { applyConfig, effectiveConfig } from './config.ts';
import { info, renderData, reportError, toDocument, warn, writeOut } from './output.ts';
import type { Invocation, Settings } from './settings.ts';
import { parseMode, resolveTarget, writeOutput } from './sink.ts';
import { loadCommand, loadLazy } from './lazy.ts';
import { routes } from './lazy-modules.ts';
import { isTerminal } from './stdio.ts';

type AnyModule = CommandModule<CommandId>;

export const abortController = new AbortController();

/** Set when the running command stops by itself on SIGINT/SIGTERM (ctx.trapSignals). */
export const signals = { trapped: false, received: undefined as string | undefined };

function trapSignals(): void {
  if (signals.trapped) return;
  signals.trapped = true;
  for (const sig of ['SIGINT', 'SIGTERM'] as const)
    process.on(sig, () => {
      signals.received = sig;
      abortController.abort();
    });
}

let stdinCache: Promise<string> | undefined;

export function makeContext(settings: Settings): CommandContext {
  return {
    env: process.env,
    load: loadLazy,
    loadCommand,
    now: () => new Date(),
    cwd: process.cwd(),
    // getters: a run that never asks builds no stdin or stderr stream (src/cli/stdio.ts)
    get stdinIsTTY() {
      return isTerminal(0);
    },
    get stderrIsTTY() {
      return isTerminal(2);
    },
    quiet: settings.quiet,
    signal: abortController.signal,
    info: (message) => info(settings, message),
    warn: (message) => warn(settings, message),
    progress: (label, done, total) => {
      // isTerminal asks fstat first: a piped stderr never builds its stream for this
      if (settings.quiet || process.env['CI'] || !isTerminal(2)) return;
      const width = 30;
      const filled = total > 0 ? Math.round((done / total) * width) : width;
      process.stderr.write(
        `\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`,
      );
      if (done >= total) process.stderr.write('\n');
    },
    announce: (message) => {
      if (settings.quiet) return () => undefined;
      if (process.env['CI'] || !isTerminal(2)) {
        info(settings, `dma: ${message}`);
        return () => undefined;
      }
      let stopped = false;
      let spinner: { stop(): unknown } | undefined;
      // ora is loaded only here, on a terminal, when an LLM call is announced.
      void import('ora').then(({ default: ora }) => {
        if (!stopped) spinner = ora({ text: message, stream: process.stderr }).start();
      });
      return () => {
        stopped = true;
        spinner?.stop();
      };
    },
    confirm: async (question) => {
      if (!process.stdin.isTTY) return false;
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
    emit: (chunk) => writeOut(chunk),
    trapSignals,
    config: () => effectiveConfig(process.env, process.cwd()),
    stdin: () => process.stdin,
    readStdin: () =>
      (stdinCache ??= (async () => {
        const chunks: Buffer[] = [];
        for await (const c of process.stdin) chunks.push(c as Buffer);
        return Buffer.concat(chunks).toString('utf8');
      })()),
  };
}

/** Generic text rendering for commands without their own: `key: value` lines. */
function genericText(result: unknown): string {
  if (result === null || result === undefined) return '';
  if (typeof result !== 'object') return String(result);
  const lines: string[] = [];
  for (const [k, v] of Object.entries(result as Record<string, unknown>)) {
    if (v === undefined) continue;
    lines.push(`${k}: ${typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)}`);
  }
  return lines.join('\n');
}

/** The database files an output must never overwrite: from --db, $DMA_DB and the XDG default. */
export function protectedDatabases(input: Record<string, unknown>): string[] {
  const env = process.env;
  const cwd = process.cwd();
  const db = typeof input['db'] === 'string' ? input['db'] : undefined;
  const { DMA_DB: _omit, ...withoutDmaDb } = env;
  return [
    ...new Set([
      resolveDbPath({ explicit: db, env, cwd }).path,
      resolveDbPath({ env, cwd }).path,
      resolveDbPath({ env: withoutDmaDb, cwd }).path,
    ]),
  ];
}

/** Where a command's output goes: its -o/--output when it declares one, else stdout. */
function outputOf(meta: CommandMeta, input: Record<string, unknown>): string {
  return meta.options.some((o) => o.key === 'output') && typeof input['output'] === 'string'
    ? input['output']
    : '-';
}

const withNewline = (text: string) => (text.endsWith('\n') || text === '' ? text : `${text}\n`);

/**
 * Run a handler with a validated input and write what it returns — the raw payload, or the
 * rendered document — through the output sink (stdout, or -o/--output). Returns the exit code.
 */
export async function execute(
  { meta, input, typed, settings }: Invocation,
  mod: AnyModule,
): Promise<number> {
  // what the user did not type comes from the environment, then the config file
  await applyConfig(meta, input, typed, process.env, process.cwd());
  const target = outputOf(meta, input);
  // --mode is checked up front, like the path: a bad one is exit 3 before any work
  const mode = target === '-' ? undefined : parseMode(input['mode'] as string | undefined);
  const sinkOptions = () => ({
    cwd: process.cwd(),
    protect: protectedDatabases(input),
    ...(mode === undefined ? {} : { mode }),
  });
  // refuse an unusable -o before the command does any work (an LLM call, a saved dungeon)
  if (target !== '-') resolveTarget(target, sinkOptions());
  const result = await mod.run(input as never, makeContext(settings));
  const code = mod.exitCode ? mod.exitCode(result as never) : 0;
  let payload = mod.raw?.(result as never, input as never);
  if (payload === undefined) {
    const doc = toDocument(result, meta.schemaVersion);
    payload = await renderData(settings.format, doc, () =>
      mod.text ? mod.text(result as never, input as never) : genericText(result),
    );
  }
  if (typeof payload === 'string') payload = withNewline(payload);
  if (target === '-' && typeof payload === 'string') {
    writeOut(payload);
    return code;
  }
  const sink = await writeOutput(target, payload, sinkOptions());
  if (sink.path !== null)
    info(
      settings,
      mod.written?.(result as never, input as never, sink.path) ?? `wrote ${sink.path}`,
    );
  return code;
}

/** Load a parsed command's handler and run it; an error is reported with the run's settings. */
export async function run(invocation: Invocation, load: () => Promise<AnyModule>): Promise<number> {
  // a run that takes a command's heavy path loads the module carrying both (lazy-modules.ts)
  const route = routes[invocation.meta.path.join('.')];
  try {
    const mod = route?.when(invocation.input)
      ? ((await loadLazy(route.module)) as AnyModule)
      : await load();
    return await execute(invocation, mod);
  } catch (err) {
    return reportError(err, invocation.settings);
  }
}
