/** Normalise the errors both official SDKs throw (same Stainless error classes) into LlmCallError. */
import { LlmCallError, kindForStatus, parseRetryAfter } from './types.ts';

interface HeadersLike {
  get(name: string): string | null;
}

export function toLlmCallError(e: unknown, provider: string): unknown {
  if (!(e instanceof Error)) return e;
  const name = e.constructor.name;
  if (name === 'APIConnectionTimeoutError')
    return new LlmCallError('timeout', `${provider}: request timed out`, { cause: e });
  if (name === 'APIUserAbortError')
    return new LlmCallError('timeout', `${provider}: request aborted`, { cause: e });
  if (name === 'APIConnectionError')
    return new LlmCallError('network', `${provider}: connection failed`, { cause: e });
  const status = (e as { status?: unknown }).status;
  if (typeof status === 'number') {
    const headers = (e as { headers?: HeadersLike | Record<string, string> }).headers;
    const get = (h: string): string | null =>
      headers === undefined
        ? null
        : typeof (headers as HeadersLike).get === 'function'
          ? (headers as HeadersLike).get(h)
          : ((headers as Record<string, string>)[h] ?? null);
    const retryAfterMs = parseRetryAfter(get);
    // The SDK message includes the response body; keep the first line only.
    const msg = `${provider}: ${e.message.split('\n')[0] ?? ''}`;
    return new LlmCallError(kindForStatus(status), msg, {
      status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
      cause: e,
    });
  }
  return e;
}
