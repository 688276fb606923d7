/**
 * Typed errors that carry their exit code (CLI-CONVENTIONS.md, "Exit codes").
 * Handlers and libraries throw these; src/cli/ maps them to a process exit in one place.
 */
export const ExitCode = {
  OK: 0,
  UNEXPECTED: 1,
  INVALID_INPUT: 3,
  NOT_FOUND: 4,
  CONFLICT: 5,
  REPLAY_DIFFERS: 6,
  AUDIT_FINDINGS: 10,
  SDK_MISSING: 11,
  LLM_ERROR: 12,
  INTERRUPTED: 130,
} as const;
export type ExitCodeName = keyof typeof ExitCode;
export type ExitCodeValue = (typeof ExitCode)[ExitCodeName];

/** Brand shared by every copy of this module (each bundled command carries its own copy). */
const DMA_ERROR = Symbol.for('dma.error');

/** True for a DmaError from any bundle; use this, not `instanceof`, across bundles. */
export function isDmaError(err: unknown): err is DmaError {
  return (
    typeof err === 'object' && err !== null && (err as Record<symbol, unknown>)[DMA_ERROR] === true
  );
}

export class DmaError extends Error {
  readonly [DMA_ERROR] = true;
  /**
   * `x instanceof DmaError` holds for a DmaError of any copy of this module (the brand): a
   * command's heavy path is a bundle of its own (src/cli/lazy-modules.ts), and its errors
   * reach code of another. A subclass (`instanceof NotFoundError`) keeps the usual test.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    return this === DmaError
      ? isDmaError(value)
      : Function.prototype[Symbol.hasInstance].call(this, value);
  }
  readonly exitCode: ExitCodeValue;
  readonly code: ExitCodeName;
  readonly hint: string | undefined;
  readonly details: unknown;
  constructor(
    code: ExitCodeName,
    message: string,
    options: { hint?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = ExitCode[code];
    this.hint = options.hint;
    this.details = options.details;
  }
}

/** Exit 3: unknown command/option/value, malformed argument, a file that fails its schema. */
export class UsageError extends DmaError {
  constructor(
    message: string,
    options: { hint?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super('INVALID_INPUT', message, options);
  }
}

/** Exit 4: an entity id or name that does not exist. */
export class NotFoundError extends DmaError {
  constructor(message: string, options: { hint?: string; details?: unknown } = {}) {
    super('NOT_FOUND', message, options);
  }
}

/** Exit 5: a write against a stale version, an import that collides. */
export class ConflictError extends DmaError {
  constructor(message: string, options: { hint?: string; details?: unknown } = {}) {
    super('CONFLICT', message, options);
  }
}

/** Exit 130: interrupted; nothing half-written. */
export class InterruptedError extends DmaError {
  constructor(message = 'interrupted') {
    super('INTERRUPTED', message);
  }
}
