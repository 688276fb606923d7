/** The adapter extension point: one interface, one registry (adapters/index.ts). */
import type { JsonSchema } from '../dsl/types.ts';

export interface LlmMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface LlmRequest {
  model: string;
  /** Static part (agent + task rubric, output schema): first, so provider prompt caches hit. */
  system: string;
  /** Variable part last: the capped context, then any follow-ups. */
  messages: LlmMessage[];
  /** Name of the result handoff type; used as the tool / json_schema name. */
  schemaName: string;
  /** The schema the output must validate against (the handoff's model schema). */
  schema: JsonSchema;
  maxOutputTokens: number;
  temperature?: number | undefined;
  signal?: AbortSignal | undefined;
  /** The structured input the prompt was built from. Only the mock adapter reads it. */
  input?: unknown;
}

export interface LlmUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache. */
  cachedTokens: number;
}

export interface LlmResponse {
  /** complete: a final answer; truncated: hit the output-token limit; refusal: the model declined. */
  stopReason: 'complete' | 'truncated' | 'refusal';
  /** The structured output, when the provider returned one (tool input / parsed JSON). */
  output?: unknown;
  /** The raw text of the answer (JSON for structured output). */
  text: string;
  refusal?: string | undefined;
  usage: LlmUsage;
  /** The model that answered, as the provider reports it. */
  model: string;
}

export interface LlmAdapter {
  /** Canonical adapter name (mock, anthropic, openai). */
  readonly name: string;
  /** The model used when a request does not name one. */
  readonly model: string;
  /** The provider's base URL, when it has one: part of the circuit breaker's key. */
  readonly endpoint?: string;
  complete(request: LlmRequest): Promise<LlmResponse>;
}

export type LlmErrorKind =
  | 'rate_limit'
  | 'overloaded'
  | 'server'
  | 'timeout'
  | 'network'
  | 'auth'
  | 'client'
  /** HTTP 200 with a body that is not the API's answer: truncated JSON, HTML, wrong shape. */
  | 'bad_response';

/** A failed provider call, normalised across SDKs. The gateway decides retries from `kind`. */
export class LlmCallError extends Error {
  readonly kind: LlmErrorKind;
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;
  constructor(
    kind: LlmErrorKind,
    message: string,
    options: { status?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'LlmCallError';
    this.kind = kind;
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** Maps an HTTP status to an error kind (529 is Anthropic's "overloaded"). */
export function kindForStatus(status: number | undefined): LlmErrorKind {
  if (status === undefined) return 'network';
  if (status === 429) return 'rate_limit';
  if (status === 529) return 'overloaded';
  if (status === 408) return 'timeout';
  if (status === 401 || status === 403) return 'auth';
  if (status >= 500) return 'server';
  return 'client';
}

/** `retry-after-ms`, then `retry-after` (seconds or an HTTP date), in milliseconds. */
export function parseRetryAfter(
  get: (name: string) => string | null | undefined,
  now = Date.now(),
): number | undefined {
  const ms = get('retry-after-ms');
  if (ms != null && ms !== '' && Number.isFinite(Number(ms))) return Math.max(0, Number(ms));
  const ra = get('retry-after');
  if (ra == null || ra === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(ra.trim())) return Math.max(0, Number(ra) * 1000);
  const date = Date.parse(ra);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
