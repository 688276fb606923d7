/**
 * The one place that writes to stdout/stderr and sets the exit code.
 * Renders results (text | json | yaml) and errors (one line, or JSON on stderr with a
 * machine format).
 */
import { ExitCode, isDmaError } from '../core/errors.ts';
import { colourEnabled, dim, red, yellow } from './colour.ts';

export type Format = 'text' | 'json' | 'yaml';

export interface OutputSettings {
  format: Format;
  quiet: boolean;
  noColor: boolean;
}

export const settings: OutputSettings = { format: 'text', quiet: false, noColor: false };

const env = process.env;
export const stderrColour = () => colourEnabled(process.stderr, env, settings.noColor);
export const stdoutColour = () => colourEnabled(process.stdout, env, settings.noColor);

export function writeOut(text: string): void {
  process.stdout.write(text.endsWith('\n') || text === '' ? text : text + '\n');
}

export function info(message: string): void {
  if (!settings.quiet) process.stderr.write(dim(stderrColour(), message) + '\n');
}

export function warn(message: string): void {
  process.stderr.write(`${yellow(stderrColour(), 'dma: warning:')} ${message}\n`);
}

/** Peek at --json/--format/--no-color/--quiet before parsing, so early errors use the right format. */
export function presetGlobals(argv: readonly string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') settings.format = 'json';
    else if ((a === '--format' || a === '-f') && /^(json|yaml|text)$/.test(argv[i + 1] ?? '')) {
      settings.format = argv[i + 1] as Format;
    } else if (/^--format=(json|yaml|text)$/.test(a)) settings.format = a.slice(9) as Format;
    // LLM commands: --report-format sets the same output format
    else if (a === '--report-format' && /^(json|yaml|text)$/.test(argv[i + 1] ?? '')) {
      settings.format = argv[i + 1] as Format;
    } else if (/^--report-format=(json|yaml|text)$/.test(a))
      settings.format = a.slice(16) as Format;
    else if (a === '--no-color') settings.noColor = true;
    else if (a === '--quiet' || a === '-q') settings.quiet = true;
  }
}

export { toDocument } from '../core/document.ts';

export async function renderData(
  format: Format,
  doc: unknown,
  text: () => string,
): Promise<string> {
  if (format === 'json') return JSON.stringify(doc, null, 2) + '\n';
  if (format === 'yaml') {
    const { stringify } = await import('yaml');
    return stringify(doc, { lineWidth: 0 });
  }
  return text();
}

/** Print an error the way CLI-CONVENTIONS.md says and return its exit code. */
export function reportError(err: unknown): number {
  const debug = env['DMA_DEBUG'] === '1';
  let code: string;
  let message: string;
  let hint: string | undefined;
  let exit: number;
  if (isDmaError(err)) {
    code = err.code;
    message = err.message;
    hint = err.hint;
    exit = err.exitCode;
  } else {
    code = 'UNEXPECTED';
    message = `unexpected error: ${err instanceof Error ? err.message : String(err)}`;
    hint = debug ? undefined : 'this is a bug; run with DMA_DEBUG=1 for the stack trace';
    exit = ExitCode.UNEXPECTED;
  }
  if (settings.format !== 'text') {
    const body: Record<string, string> = { code, message };
    if (hint) body['hint'] = hint;
    process.stderr.write(JSON.stringify({ error: body }) + '\n');
  } else {
    const c = stderrColour();
    process.stderr.write(`${red(c, 'dma:')} ${message}\n`);
    if (hint) process.stderr.write(`${dim(c, 'hint:')} ${hint}\n`);
  }
  if (debug && err instanceof Error && err.stack) process.stderr.write(err.stack + '\n');
  return exit;
}

/**
 * LLM commands render as --report-format says (CLI-CONVENTIONS.md); --json wins over it, an
 * explicit --format counts when it is not given, else the option's contract default (json for
 * audit and explain). `reportFormat` is left unset when the user chose none, so a handler can
 * tell the default from a choice (--show-prompt prints plain text then). `chosen` says which
 * of the two options the user typed (Commander and the fast lane find that out differently).
 */
export function applyReportFormat(
  input: Record<string, unknown>,
  chosen: { reportFormat: boolean; format: boolean },
): void {
  const fallback = chosen.reportFormat ? undefined : input['reportFormat'];
  if (!chosen.reportFormat) delete input['reportFormat'];
  if (input['json'] === true) input['reportFormat'] = 'json';
  else if (!chosen.reportFormat && chosen.format) input['reportFormat'] = input['format'];
  const format = (input['reportFormat'] ?? fallback) as Format | undefined;
  if (format !== undefined) {
    settings.format = format;
    input['format'] = format;
  }
}
