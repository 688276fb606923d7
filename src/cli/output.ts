/**
 * The one place that writes to stdout/stderr and sets the exit code.
 * Renders results (text | json | yaml) and errors (one line, or JSON on stderr with a
 * machine format).
 */
import { loadYaml } from '../core/yaml.ts';
import { ExitCode, isDmaError } from '../core/errors.ts';
import { colourEnabled, dim, red, yellow } from './colour.ts';
import type { Format, Settings } from './settings.ts';
import { isTerminal, write } from './stdio.ts';

const env = process.env;
// asked only when the environment and the flags leave the answer to the terminal
const terminal = (fd: 1 | 2) => ({
  get isTTY() {
    return isTerminal(fd);
  },
});
export const stderrColour = (s: Settings) => colourEnabled(terminal(2), env, s.noColor);
export const stdoutColour = (s: Settings) => colourEnabled(terminal(1), env, s.noColor);

export function writeOut(text: string): void {
  write(1, text.endsWith('\n') || text === '' ? text : text + '\n');
}

export function info(s: Settings, message: string): void {
  if (!s.quiet) write(2, dim(stderrColour(s), message) + '\n');
}

export function warn(s: Settings, message: string): void {
  write(2, `${yellow(stderrColour(s), 'dma: warning:')} ${message}\n`);
}

export { toDocument } from '../core/document.ts';

export async function renderData(
  format: Format,
  doc: unknown,
  text: () => string,
): Promise<string> {
  if (format === 'json') return JSON.stringify(doc, null, 2) + '\n';
  // NDJSON: compact, one line per record; a command that is not a stream is one record
  if (format === 'ndjson') return JSON.stringify(doc) + '\n';
  if (format === 'yaml') {
    const { stringify } = await loadYaml();
    return stringify(doc, { lineWidth: 0 });
  }
  return text();
}

/**
 * Print an error the way CLI-CONVENTIONS.md says and return its exit code: JSON on stderr
 * when the run's settings ask for a machine format (the parser's settings even when it
 * failed part-way: what it had read by then).
 */
export function reportError(err: unknown, s: Settings): number {
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
  if (s.format !== 'text') {
    const body: Record<string, unknown> = { code, message };
    if (hint) body['hint'] = hint;
    // what a script can act on (dma ask's ranked interpretations, a schema's issues)
    if (isDmaError(err) && err.details !== undefined) body['details'] = err.details;
    write(2, JSON.stringify({ error: body }) + '\n');
  } else {
    const c = stderrColour(s);
    write(2, `${red(c, 'dma:')} ${message}\n`);
    if (hint) write(2, `${dim(c, 'hint:')} ${hint}\n`);
  }
  if (debug && err instanceof Error && err.stack) write(2, err.stack + '\n');
  return exit;
}
