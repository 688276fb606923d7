/**
 * The LLM call log, response cache and circuit-breaker store as interfaces both src/llm (which
 * uses them) and src/store (whose engines keep them in the campaign) can import. Every method
 * may answer synchronously (in memory, SQLite) or with a promise (PostgreSQL); callers await.
 */

export type MaybePromise<T> = T | Promise<T>;

export type CallStatus = 'ok' | 'cached' | 'error' | 'refusal' | 'truncated';

/** One adapter call (or cache hit) as logged. Never holds an API key or request headers. */
export interface CallRecord {
  id: string;
  /** ISO 8601 time the call started. */
  createdAt: string;
  workflowId: string | null;
  taskId: string | null;
  adapter: string;
  model: string;
  status: CallStatus;
  /** LlmCallError kind or gateway error (timeout, circuit_open, bulkhead_full, …). */
  errorKind: string | null;
  httpStatus: number | null;
  /** 1 for the first attempt of a call, 2 for its first retry, … */
  attempt: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  latencyMs: number;
  /** Estimated cost in US dollars from a built-in price table; null when the model is unknown. */
  costUsd: number | null;
  cacheKey: string;
  /** The prompt as sent (system + messages), secrets redacted. */
  prompt: string | null;
  /** The raw answer text, secrets redacted. */
  response: string | null;
  errorMessage: string | null;
}

export interface CallQuery {
  /** Newest first; default 20. */
  limit?: number;
  /** ISO time; only calls at or after it. */
  since?: string;
  workflowId?: string;
  status?: CallStatus;
}

export interface UsageQuery {
  since?: string;
  groupBy?: 'model' | 'adapter' | 'day' | 'workflow';
}

export interface UsageRow {
  /** The group value (model name, adapter, YYYY-MM-DD or workflow id). */
  key: string;
  calls: number;
  cachedCalls: number;
  errors: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  costUsd: number;
}

export interface CallLog {
  append(record: CallRecord): MaybePromise<void>;
  list(query?: CallQuery): MaybePromise<CallRecord[]>;
  usage(query?: UsageQuery): MaybePromise<UsageRow[]>;
}

/** What the cache keeps: a complete, valid response (R: src/llm's LlmResponse). */
export interface CachedEntry<R = unknown> {
  response: R;
  createdAt: number;
}

export interface ResponseCacheOf<R = unknown> {
  get(key: string, nowMs: number): MaybePromise<CachedEntry<R> | undefined>;
  set(
    key: string,
    entry: CachedEntry<R>,
    meta: { adapter: string; model: string; expiresAt: number },
  ): MaybePromise<void>;
  /** Remove every entry; returns how many were removed. */
  clear(): MaybePromise<number>;
  /** Remove expired entries; returns how many were removed. */
  purgeExpired(nowMs: number): MaybePromise<number>;
  size(): MaybePromise<number>;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerRow {
  key: string;
  state: string;
  failures: number;
  retryAt: number | null;
}

/** Persistence of breaker states by key (S: cockatiel's snapshot, see src/llm/gateway.ts). */
export interface BreakerStoreOf<S = unknown> {
  load(key: string): MaybePromise<S | undefined>;
  /** One transaction per change; `retryAt` is epoch ms while the circuit is open. */
  save(
    key: string,
    snapshot: S,
    meta: { state: BreakerState; failures: number; retryAt: number | null },
  ): MaybePromise<void>;
}

/** A campaign engine's LLM tables (Store.llmStorage()). */
export interface LlmStorage {
  log: CallLog;
  cache: ResponseCacheOf;
  breakers: BreakerStoreOf & { list(): MaybePromise<BreakerRow[]> };
}

/** A stored breaker snapshot is usable when it parses and carries cockatiel's state number. */
export function parseBreakerSnapshot(text: string): unknown {
  try {
    const snap = JSON.parse(text) as { ownState?: { value?: unknown } } | null;
    return typeof snap?.ownState?.value === 'number' ? snap : undefined;
  } catch {
    return undefined; // a damaged row is a closed breaker
  }
}
