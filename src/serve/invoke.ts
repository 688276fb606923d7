/**
 * One command call for a server (`dma mcp`, `dma serve`): JSON parameters named as the
 * generated tool table says → the same validated input, handler and JSON document as
 * `dma <command> --format json`. Handlers are loaded by the caller's `loadCommand` (the
 * CLI's, src/cli/lazy.ts: lazy loading stays at that boundary); nothing here prints or exits.
 */
import { checkInput } from '../contracts/command-input.ts';
import type { CommandContext, Payload } from '../core/context.ts';
import { toDocument } from '../core/document.ts';
import { ExitCode, isDmaError, UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { commands } from '../generated/commands.ts';
import type { ToolEntry } from '../generated/tools.ts';
import type { CommandId, CommandModule } from '../generated/types.ts';

/** a command's module by id (the CLI's `ctx.loadCommand`) */
export type LoadCommand = (id: string) => Promise<CommandModule<CommandId>>;

/** How a server runs commands: its campaign, whether it may write, its LLM adapter. */
export interface ServeOptions {
  loadCommand: LoadCommand;
  /** a command's heavy path, by name (the CLI's `ctx.load`) */
  load: CommandContext['load'];
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
  /** the campaign database (else the handlers' own default: $DMA_DB, XDG) */
  db?: string;
  allowWrites: boolean;
  /** the LLM adapter for the LLM commands; without one they are not offered */
  adapter?: string;
  model?: string;
  baseUrl?: string;
  /** a line for the server's log (stderr) */
  log: (message: string) => void;
}

export interface ServeError {
  code: string;
  message: string;
  hint?: string;
  exit_code: number;
}

export type Outcome =
  | {
      ok: true;
      exitCode: number;
      /** the `--format json` document */
      document: unknown;
      /** the command's text rendering (for an MCP client's text content), made when asked */
      text: () => string;
      /** what the CLI prints instead of the document (a map, NDJSON events), when it does */
      raw?: string;
    }
  | { ok: false; exitCode: number; error: ServeError; status?: number };

/** Refusals that are the server's, not the command's: they have an HTTP status of their own. */
export const WRITES_DISABLED = 'WRITES_DISABLED';
export const LLM_DISABLED = 'LLM_DISABLED';

export function errorOutcome(err: unknown): Outcome {
  if (isDmaError(err)) {
    const error: ServeError = { code: err.code, message: err.message, exit_code: err.exitCode };
    if (err.hint) error.hint = err.hint;
    return { ok: false, exitCode: err.exitCode, error };
  }
  const message = err instanceof Error ? err.message : String(err);
  return {
    ok: false,
    exitCode: ExitCode.UNEXPECTED,
    error: { code: 'UNEXPECTED', message: `unexpected error: ${message}`, exit_code: 1 },
  };
}

/**
 * An AbortController made when first asked for its signal. Node's AbortSignal is an
 * EventTarget (~1.4 KB and 2 % of a fast-lane call's CPU), and no lookup ever looks at it;
 * a call that does gets one already aborted if the client left before it asked.
 */
export class LazyAbort {
  #controller: AbortController | undefined;
  #aborted = false;
  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      this.#controller = new AbortController();
      if (this.#aborted) this.#controller.abort();
    }
    return this.#controller.signal;
  }
  abort(): void {
    this.#aborted = true;
    this.#controller?.abort();
  }
}

const noop = () => undefined;
const announceNothing = () => noop;
const clock = () => new Date();
const declineConfirm = async () => false;
const noStdin = async (): Promise<string> => {
  throw new UsageError('a server request has no stdin', {
    hint: 'pass the content in the request instead of "-"',
  });
};

/** The context a handler gets in a server: no terminal, no stdin, no prompts. */
export function serverContext(
  options: ServeOptions,
  abort: AbortSignal | LazyAbort,
  emit?: (chunk: string) => void,
): CommandContext {
  return {
    env: options.env,
    load: options.load,
    loadCommand: options.loadCommand,
    now: clock,
    cwd: options.cwd,
    stdinIsTTY: false,
    stderrIsTTY: false,
    quiet: true,
    get signal() {
      return abort instanceof LazyAbort ? abort.signal : abort;
    },
    info: noop,
    warn: (message) => options.log(`warning: ${message}`),
    progress: noop,
    announce: announceNothing,
    // a destructive command asks; a server request answers with `yes: true` instead
    confirm: declineConfirm,
    readStdin: noStdin,
    ...(emit ? { emit } : {}),
    trapSignals: noop,
  };
}

/** Is this call a write the server refuses? (`save: false`, `dry_run: true` write nothing.) */
export function refusesWrite(
  tool: ToolEntry,
  params: Record<string, unknown>,
  options: ServeOptions,
): boolean {
  if (!tool.writes || options.allowWrites) return false;
  return !tool.safe_switches.some((s) => params[s.name] === s.value);
}

function writesOff(tool: ToolEntry): Outcome {
  const safe = tool.safe_switches.map((s) => `${s.name}: ${String(s.value)}`);
  return {
    ok: false,
    exitCode: ExitCode.INVALID_INPUT,
    status: 403,
    error: {
      code: WRITES_DISABLED,
      message: `${tool.id.replace(/\./g, ' ')} writes to the campaign, and writes are off on this server`,
      hint:
        (safe.length > 0 ? `pass ${safe.join(' or ')} to write nothing, or ` : '') +
        'start the server with --allow-writes',
      exit_code: ExitCode.INVALID_INPUT,
    },
  };
}

const paramTables = new WeakMap<ToolEntry, Map<string, ToolEntry['params'][number]>>();

/** A tool's parameters by name (made once a tool when none is omitted: a server calls it per request). */
function paramsByName(tool: ToolEntry, omit: readonly string[]) {
  if (omit.length > 0)
    return new Map(tool.params.filter((p) => !omit.includes(p.name)).map((p) => [p.name, p]));
  let table = paramTables.get(tool);
  if (table === undefined) {
    table = new Map(tool.params.map((p) => [p.name, p]));
    paramTables.set(tool, table);
  }
  return table;
}

/** Parameters → the handler's input (camelCase keys, contract defaults), or a usage error. */
export function toInput(
  tool: ToolEntry,
  params: unknown,
  options: ServeOptions,
  omit: readonly string[] = [],
): Record<string, unknown> {
  if (params === undefined || params === null) params = {};
  if (typeof params !== 'object' || Array.isArray(params))
    throw new UsageError('the parameters must be a JSON object');
  const byName = paramsByName(tool, omit);
  const meta = commands[tool.id as CommandId];
  const input: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(params as Record<string, unknown>)) {
    const param = byName.get(name);
    if (!param)
      throw new UsageError(
        `unknown parameter "${name}" for ${tool.name}${didYouMean(name, [...byName.keys()])}`,
        { hint: `its parameters: ${[...byName.keys()].join(', ') || 'none'}` },
      );
    if (value === null || value === undefined) continue;
    input[param.key] = value;
  }
  for (const o of meta.options) {
    if (input[o.key] !== undefined) continue;
    if (o.default !== undefined) input[o.key] = o.default;
    else if (o.negate) input[o.key] = true;
  }
  // the server's campaign and adapter, whatever the client asks
  if (options.db !== undefined) input['db'] = options.db;
  if (options.adapter !== undefined && meta.options.some((o) => o.key === 'adapter')) {
    input['adapter'] = options.adapter;
    if (options.model !== undefined) input['model'] = options.model;
    if (options.baseUrl !== undefined) input['baseUrl'] = options.baseUrl;
  }
  if (meta.options.some((o) => o.key === 'reportFormat')) input['reportFormat'] = 'json';
  input['format'] = 'json';
  const issue = checkInput(tool.id, input);
  if (issue) {
    const name = tool.params.find((p) => p.key === issue.key)?.name ?? issue.key;
    throw new UsageError(`invalid ${name || 'input'}: ${issue.message}`);
  }
  return input;
}

/**
 * A command's raw output as text for a response: chunks from a generator (an export) are
 * joined; binary output (a PNG map) is not served (undefined).
 */
async function payloadText(payload: Payload): Promise<string | undefined> {
  if (typeof payload === 'string') return payload;
  if (payload instanceof Uint8Array) return undefined;
  let text = '';
  for await (const chunk of payload) {
    if (typeof chunk !== 'string') return undefined;
    text += chunk;
  }
  return text;
}

/** Run one command for a server client. Never throws: failures are outcomes with an exit code. */
export async function invoke(
  tool: ToolEntry,
  params: unknown,
  options: ServeOptions,
  call: {
    signal: AbortSignal | LazyAbort;
    emit?: (chunk: string) => void;
    omit?: readonly string[];
  },
): Promise<Outcome> {
  try {
    if (tool.llm && options.adapter === undefined)
      return {
        ok: false,
        exitCode: ExitCode.LLM_ERROR,
        status: 501,
        error: {
          code: LLM_DISABLED,
          message: `${tool.id.replace(/\./g, ' ')} needs an LLM adapter, and this server has none`,
          hint: 'start the server with --adapter mock|anthropic|openai',
          exit_code: ExitCode.LLM_ERROR,
        },
      };
    const input = toInput(tool, params, options, call.omit);
    if (refusesWrite(tool, (params ?? {}) as Record<string, unknown>, options))
      return writesOff(tool);
    const meta = commands[tool.id as CommandId];
    const mod = await options.loadCommand(tool.id);
    const result = await mod.run(input as never, serverContext(options, call.signal, call.emit));
    const exitCode = mod.exitCode ? mod.exitCode(result as never) : 0;
    const payload = mod.raw?.(result as never, input as never);
    const raw = payload === undefined ? undefined : await payloadText(payload);
    // a streamed JSON document (entity export) is the document a client gets
    let document = toDocument(result, meta.schemaVersion);
    if (raw !== undefined && raw.trimStart().startsWith('{') && meta.schemaVersion !== null) {
      try {
        document = JSON.parse(raw) as unknown;
      } catch {
        // NDJSON or another text: the CLI's document stays
      }
    }
    // rendered only for a client that shows text (MCP), never on the HTTP path
    const text = () => {
      try {
        return mod.text ? mod.text(result as never, input as never) : JSON.stringify(document);
      } catch {
        return JSON.stringify(document);
      }
    };
    return { ok: true, exitCode, document, text, ...(raw ? { raw } : {}) };
  } catch (err) {
    return errorOutcome(err);
  }
}
