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
  if (e instanceof LlmCallError) return e;
  // Anything else the SDK throws while reading the answer — a body cut short (SyntaxError from
  // JSON.parse), a stream that broke — is the provider's failure, not a bug of dma.
  const what = e instanceof SyntaxError ? 'the response body is not valid JSON' : e.message;
  return new LlmCallError('bad_response', `${provider}: ${what.split('\n')[0] ?? ''}`, {
    cause: e,
  });
}

/**
 * The answer of a call that returned: it must be a JSON object with the fields the adapter reads
 * (`check` returns the first one missing). An HTML page or a body of the wrong shape is a
 * retryable `bad_response`, with the content type and the first bytes in the message.
 */
export function checkResponseShape<T>(
  data: unknown,
  response: { headers: HeadersLike } | undefined,
  provider: string,
  check: (body: Record<string, unknown>) => string | undefined,
): T {
  const type = response?.headers.get('content-type') ?? 'no content type';
  const problem =
    data === null || typeof data !== 'object' || Array.isArray(data)
      ? `not a JSON object (${type}: ${JSON.stringify(String(data).slice(0, 60))})`
      : check(data as Record<string, unknown>);
  if (problem !== undefined)
    throw new LlmCallError('bad_response', `${provider}: the answer is ${problem}`);
  return data as T;
}
