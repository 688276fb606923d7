/**
 * What every handler gets besides its input: the environment, clock, streams' TTY-ness
 * and progress reporting — parameters, never globals (STYLE.md, "Determinism is an input").
 */
export interface CommandContext {
  /** environment variables (a copy; handlers never read process.env directly) */
  env: Readonly<Record<string, string | undefined>>;
  /** the current time; tests pass a fixed clock */
  now: () => Date;
  /** working directory for relative paths */
  cwd: string;
  /** stdin is a terminal (never prompt when it is not) */
  stdinIsTTY: boolean;
  /** stderr is a terminal (progress bars only then) */
  stderrIsTTY: boolean;
  /** -q/--quiet */
  quiet: boolean;
  /** cancelled on Ctrl-C */
  signal: AbortSignal;
  /** informational message to stderr (silenced by --quiet) */
  info: (message: string) => void;
  /** warning to stderr (shown even with --quiet) */
  warn: (message: string) => void;
  /** progress of long work: done of total (rendered as a bar on a TTY only) */
  progress: (label: string, done: number, total: number) => void;
  /**
   * Announce slow work (an LLM call) before it starts: a spinner on a TTY (ora), else one plain
   * line; nothing with --quiet. Call the returned function when the work is done.
   */
  announce: (message: string) => () => void;
  /** ask a yes/no question on the terminal; false when stdin is not a TTY */
  confirm: (question: string) => Promise<boolean>;
  /** read all of stdin (for `-` file arguments) */
  readStdin: () => Promise<string>;
  /** stdin as a stream of chunks (for `-` file arguments read without holding them whole) */
  stdin?: () => AsyncIterable<string | Uint8Array>;
  /** write one chunk of data to stdout now (streaming commands: `bus tail --follow`) */
  emit?: (chunk: string) => void;
  /**
   * The command stops by itself when `signal` aborts: SIGINT and SIGTERM then abort
   * `signal` instead of ending the process at once (`dma worker`, `bus tail --follow`).
   */
  trapSignals?: () => void;
  /** the effective configuration and where each value came from (`dma config show`) */
  config?: () => Promise<EffectiveConfig>;
  /**
   * Load a command's heavy path by name (src/cli/lazy.ts holds the table; typed by
   * `lazy()` in src/commands/_lazy.ts). The one way a command defers loading code: no
   * `import()` in a command file (docs/development.md, "Start-up").
   */
  load: (module: string) => Promise<unknown>;
  /** Load a command's module by id (`rules.show`), as the CLI runs it (src/cli/lazy.ts). */
  loadCommand: (id: string) => Promise<unknown>;
}

/** One configuration key's effective value (src/cli/config.ts). */
export interface ConfigValue {
  key: string;
  value: string | number | null;
  source: 'flag' | 'env' | 'config' | 'default';
  /** the environment variable that sets it */
  env: string;
}

export interface EffectiveConfig {
  file: string;
  exists: boolean;
  values: ConfigValue[];
}

/**
 * What a command hands the CLI's output sink (src/cli/sink.ts) instead of a data document:
 * text, bytes (a PNG), or chunks from a generator, written to stdout or to `-o <file>`
 * without ever holding the whole output in memory.
 */
export type Payload =
  string | Uint8Array | Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array>;
