/**
 * The SDKs' own notices — a model's deprecation date, a parameter's deprecation — reach the
 * user only through `onWarning` (the CLI prints them with --verbose); without it they are
 * dropped. Some are printed with console.warn from inside a call, not through the SDK's
 * logger, so the call runs with console.warn redirected, and the original is put back when
 * the last call in flight settles.
 */
type Warn = ((message: string) => void) | undefined;

const format = (args: unknown[]): string =>
  args
    .map((a) => (typeof a === 'string' ? a : a instanceof Error ? a.message : JSON.stringify(a)))
    .join(' ')
    .trim();

const active: Warn[] = [];
let saved: typeof console.warn | undefined;

export async function routeSdkWarnings<T>(onWarning: Warn, call: () => Promise<T>): Promise<T> {
  // console.warn is global state: the first call in flight replaces it, the last one to settle
  // puts the original back; meanwhile a notice goes to the newest caller's onWarning.
  if (active.length === 0) {
    saved = console.warn; // eslint-disable-line no-console
    console.warn = (...args: unknown[]) => active[active.length - 1]?.(format(args)); // eslint-disable-line no-console
  }
  active.push(onWarning);
  try {
    return await call();
  } finally {
    active.splice(active.lastIndexOf(onWarning), 1);
    if (active.length === 0 && saved !== undefined) console.warn = saved; // eslint-disable-line no-console
  }
}

/** A logger for the SDK's `logger` option: warnings and errors to onWarning, the rest dropped. */
export function sdkLogger(onWarning: Warn): {
  error: (...a: unknown[]) => void;
  warn: (...a: unknown[]) => void;
  info: (...a: unknown[]) => void;
  debug: (...a: unknown[]) => void;
} {
  const send = (...a: unknown[]) => onWarning?.(format(a));
  const drop = () => undefined;
  return { error: send, warn: send, info: drop, debug: drop };
}
