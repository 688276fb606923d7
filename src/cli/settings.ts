/**
 * The settings of one run: what the global options (--format, --json, --report-format,
 * --quiet, --no-color) decide about rendering. Both parsers — the fast lane's and
 * Commander's — hand their option values to `settle`, so the same command line gives the
 * same frozen value on either path; it is passed down to execute(), the command context
 * and reportError(), never kept in a module.
 */
import type { CommandMeta } from '../generated/commands.ts';

export type Format = 'text' | 'json' | 'yaml' | 'ndjson';

export interface Settings {
  readonly format: Format;
  readonly quiet: boolean;
  readonly noColor: boolean;
}

/** What a parse produces: one command line, ready to run. */
export interface Invocation {
  meta: CommandMeta;
  /** the handler's input: arguments and options, defaults included */
  input: Record<string, unknown>;
  /** the option keys typed on the command line (the rest may come from the environment or config) */
  typed: ReadonlySet<string>;
  settings: Settings;
}

/** Before anything is parsed (a broken install, an error loading the parser). */
export const defaultSettings: Settings = Object.freeze({
  format: 'text',
  quiet: false,
  noColor: false,
});

/** The settings, and the formats the handler's input carries to match them. */
export interface Settled {
  settings: Settings;
  /** LLM commands: the report format chosen, undefined when the user chose none */
  reportFormat: Format | undefined;
}

/**
 * Decide the output of one parsed command line. `values` are the option values as parsed
 * (defaults included), `typed` the option keys typed on the command line, `llm` whether the
 * command is an LLM command.
 *
 * LLM commands render as --report-format says (CLI-CONVENTIONS.md); --json wins over it, an
 * explicit --format counts when it is not given, else the option's contract default (json for
 * audit and explain). Other commands render as --format says, or --report-format where they
 * have one (dungeon gen); --json means json unless --format ndjson (already machine output).
 */
export function settle(
  values: Readonly<Record<string, unknown>>,
  typed: ReadonlySet<string>,
  llm: boolean,
): Settled {
  const formatOf = (v: unknown): Format | undefined =>
    typeof v === 'string' ? (v as Format) : undefined;
  const format = formatOf(values['format']) ?? 'text';
  let chosen: Format;
  let reportFormat: Format | undefined;
  if (llm) {
    if (values['json'] === true) reportFormat = 'json';
    else if (typed.has('reportFormat')) reportFormat = formatOf(values['reportFormat']);
    else if (typed.has('format')) reportFormat = format;
    chosen = reportFormat ?? formatOf(values['reportFormat']) ?? format;
  } else {
    chosen = formatOf(values['reportFormat']) ?? format;
    if (values['json'] === true && chosen !== 'ndjson') chosen = 'json';
  }
  const settings: Settings = Object.freeze({
    format: chosen,
    quiet: values['quiet'] === true,
    noColor: values['color'] === false,
  });
  return { settings, reportFormat };
}

/**
 * Write the settled formats into a handler's input: `format` is the one rendered, and an LLM
 * command's `reportFormat` is left unset when the user chose none, so a handler can tell the
 * default from a choice (--show-prompt prints plain text then).
 */
export function applyFormats(
  input: Record<string, unknown>,
  { settings, reportFormat }: Settled,
  llm: boolean,
): void {
  input['format'] = settings.format;
  if (!llm) return;
  if (reportFormat === undefined) delete input['reportFormat'];
  else input['reportFormat'] = reportFormat;
}
