/**
 * The gateway around every adapter call: response cache, call log, token meter, and
 * resilience from cockatiel (retry with exponential backoff + jitter honouring Retry-After,
 * a circuit breaker per adapter+model, a bulkhead, a per-attempt timeout). Truncation gets one
 * retry with more output tokens; a refusal ends the call with a clear error.
 */
import { randomUUID } from 'node:crypto';
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  DelegateBackoff,
  TaskCancelledError,
  TimeoutStrategy,
  bulkhead,
  circuitBreaker,
  handleWhen,
  retry,
  timeout,
  type CircuitBreakerPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import type { BreakerStoreOf, ResponseCacheOf } from '../contracts/llm-storage.ts';
import { DmaError } from '../core/errors.ts';
import { canonicalJson, sha256 } from './dsl/common.ts';
import {
  LlmCallError,
  type LlmAdapter,
  type LlmRequest,
  type LlmResponse,
} from './adapters/types.ts';
import {
  MemoryCallLog,
  MemoryResponseCache,
  type CallLog,
  type CallRecord,
  type CallStatus,
  type CachedResponse,
} from './storage.ts';

export interface GatewayOptions {
  /** Any engine's cache: it keeps the responses this gateway wrote. */
  cache?: ResponseCacheOf;
  log?: CallLog;
  /** Neither read nor write the response cache. */
  noCache?: boolean;
  /** Write nothing to the call log. */
  noLog?: boolean;
  /** Cache entry lifetime; default 7 days. */
  cacheTtlMs?: number;
  /** Token budget per rolling minute (input + output estimate); default unlimited. */
  tokensPerMinute?: number;
  retry?: {
    maxAttempts?: number;
    initialDelayMs?: number;
    maxDelayMs?: number;
    retryAfterCapMs?: number;
  };
  breaker?: { consecutiveFailures?: number; halfOpenAfterMs?: number };
  bulkhead?: { limit?: number; queue?: number };
  /** Per-attempt timeout; default 60 s (and never past the deadline). */
  timeoutMs?: number;
  /**
   * One deadline for everything this gateway does, counted from its creation: attempts,
   * retries and their waits, follow-ups. Past it a call fails at once with LLM_ERROR. Default
   * none (the CLI passes --timeout, default 60 s).
   */
  deadlineMs?: number;
  /** Cancels every call (Ctrl-C). */
  signal?: AbortSignal;
  /**
   * Where each breaker's state lives between processes (the campaign database); default in
   * this gateway's memory only.
   */
  breakerStore?: BreakerStore;
  /** Values that must never be stored (API keys); see secretsFromEnv(). */
  secrets?: string[];
  /** USD per million tokens, by model-name prefix; merged over DEFAULT_PRICING. */
  pricing?: Record<string, { input: number; output: number }>;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  onEvent?: (event: GatewayEvent) => void;
}

/**
 * A circuit breaker's state as cockatiel serialises it (CircuitBreakerPolicy.toJSON(), typed
 * `unknown` there): its own state and the ConsecutiveBreaker's failure count.
 */
export interface BreakerSnapshot {
  ownState: { value: CircuitState; openedAt?: number; attemptNo?: number };
  breakerState: unknown;
}
const snapshotOf = (b: CircuitBreakerPolicy): BreakerSnapshot => b.toJSON() as BreakerSnapshot;

/** Persistence of breaker states by key (adapter/model@endpoint); may answer with promises. */
export type BreakerStore = BreakerStoreOf;

export type GatewayEvent =
  | { type: 'cache_hit'; key: string }
  | { type: 'retry'; attempt: number; delayMs: number; reason: string }
  | { type: 'breaker_open'; breaker: string }
  | { type: 'truncated_retry'; maxOutputTokens: number }
  | { type: 'meter_wait'; waitMs: number };

export interface CallMeta {
  /** Prompt template version (the DSL registries' hash): part of the cache key. */
  templateVersion: string;
  workflowId?: string;
  taskId?: string;
  /** Only responses it accepts are cached (the runtime passes schema + guardrail checks). */
  accept?: (response: LlmResponse) => boolean;
}

export interface GatewayResponse extends LlmResponse {
  cached: boolean;
  cacheKey: string;
  /** Provider attempts used (0 for a cache hit). */
  attempts: number;
  latencyMs: number;
}

/** Estimated prices, USD per million tokens, by model-name prefix (longest prefix wins). */
export const DEFAULT_PRICING: Record<string, { input: number; output: number }> = {
  mock: { input: 0, output: 0 },
  'claude-opus': { input: 15, output: 75 },
  'claude-sonnet': { input: 3, output: 15 },
  'claude-haiku': { input: 1, output: 5 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1': { input: 2, output: 8 },
};

/** Environment variables that hold secrets; their values are redacted from everything stored. */
export const SECRET_ENV_VARS = ['ANTHROPIC_API_KEY', 'OPENAI_API_KEY'] as const;

export function secretsFromEnv(env: Record<string, string | undefined>): string[] {
  return SECRET_ENV_VARS.map((v) => env[v]).filter(
    (v): v is string => typeof v === 'string' && v.length >= 4,
  );
}

/** The cache key: adapter, model, template version, schema hash and the exact prompt. */
export function cacheKey(adapter: string, request: LlmRequest, templateVersion: string): string {
  return sha256(
    canonicalJson({
      adapter,
      model: request.model,
      templateVersion,
      schema: sha256(canonicalJson(request.schema)),
      system: request.system,
      messages: request.messages,
      maxOutputTokens: request.maxOutputTokens,
      temperature: request.temperature ?? null,
    }),
  );
}

/** A rolling one-minute token budget. */
export class TokenMeter {
  private readonly window: { at: number; tokens: number }[] = [];
  constructor(
    readonly budgetPerMinute: number,
    private readonly now: () => number,
    private readonly sleep: (ms: number) => Promise<void>,
    private readonly onWait?: (ms: number) => void,
  ) {}
  usedLastMinute(): number {
    const cutoff = this.now() - 60_000;
    while (this.window.length > 0 && this.window[0]!.at <= cutoff) this.window.shift();
    return this.window.reduce((s, e) => s + e.tokens, 0);
  }
  /** Wait until `estimate` tokens fit in the budget, then book them; returns the booking. */
  async reserve(estimate: number): Promise<{ at: number; tokens: number }> {
    if (estimate > this.budgetPerMinute) {
      throw new DmaError(
        'LLM_ERROR',
        `the request needs about ${estimate} tokens, over the budget of ${this.budgetPerMinute} per minute`,
        {
          hint: 'raise the token budget or shorten the input',
        },
      );
    }
    while (this.usedLastMinute() + estimate > this.budgetPerMinute) {
      const waitMs = Math.max(1, this.window[0]!.at + 60_000 - this.now());
      this.onWait?.(waitMs);
      await this.sleep(waitMs);
    }
    const booking = { at: this.now(), tokens: estimate };
    this.window.push(booking);
    return booking;
  }
  /** Replace an estimate with the tokens actually used. */
  settle(booking: { tokens: number }, actual: number): void {
    booking.tokens = actual;
  }
}

function isRetryable(e: Error): boolean {
  return (
    e instanceof TaskCancelledError ||
    (e instanceof LlmCallError &&
      ['rate_limit', 'overloaded', 'server', 'timeout', 'network', 'bad_response'].includes(e.kind))
  );
}

/** Failures that say the service is unwell; a 429 or a 400 does not open the breaker. */
function isServiceFailure(e: Error): boolean {
  return (
    e instanceof TaskCancelledError ||
    (e instanceof LlmCallError &&
      ['overloaded', 'server', 'timeout', 'network', 'bad_response'].includes(e.kind))
  );
}

/** Whatever an adapter throws is the provider's failure: an unknown error becomes bad_response. */
function asCallError(e: unknown, adapter: string): Error {
  if (e instanceof LlmCallError || e instanceof TaskCancelledError || e instanceof DmaError)
    return e;
  const message = e instanceof Error ? e.message : String(e);
  return new LlmCallError('bad_response', `${adapter}: ${message.split('\n')[0] ?? ''}`, {
    cause: e,
  });
}

const CIRCUIT_STATES = {
  [CircuitState.Closed]: 'closed',
  [CircuitState.Open]: 'open',
  [CircuitState.HalfOpen]: 'half_open',
  [CircuitState.Isolated]: 'open',
} as const;

function estimateTokens(request: LlmRequest): number {
  const chars = request.system.length + request.messages.reduce((s, m) => s + m.content.length, 0);
  return Math.ceil(chars / 4) + request.maxOutputTokens;
}

export class Gateway {
  readonly meter: TokenMeter | undefined;
  private readonly cache: ResponseCacheOf;
  private readonly log: CallLog;
  private readonly breakers = new Map<string, CircuitBreakerPolicy>();
  private readonly bulkheadPolicy;
  private readonly now: () => number;
  private readonly random: () => number;
  private readonly opts: GatewayOptions;
  /** Aborted at the deadline (or by options.signal); undefined without either. */
  private readonly deadline: { signal: AbortSignal; at: number } | undefined;

  constructor(options: GatewayOptions = {}) {
    this.opts = options;
    this.deadline = Gateway.deadlineOf(options);
    this.cache = options.cache ?? new MemoryResponseCache();
    this.log = options.log ?? new MemoryCallLog();
    this.now = options.now ?? Date.now;
    this.random = options.random ?? Math.random;
    this.bulkheadPolicy = bulkhead(options.bulkhead?.limit ?? 4, options.bulkhead?.queue ?? 32);
    const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    this.meter =
      options.tokensPerMinute === undefined
        ? undefined
        : new TokenMeter(options.tokensPerMinute, this.now, sleep, (waitMs) =>
            options.onEvent?.({ type: 'meter_wait', waitMs }),
          );
  }

  private static deadlineOf(o: GatewayOptions): { signal: AbortSignal; at: number } | undefined {
    if (o.deadlineMs === undefined && o.signal === undefined) return undefined;
    const ctrl = new AbortController();
    const at = o.deadlineMs === undefined ? Infinity : Date.now() + o.deadlineMs;
    if (o.deadlineMs !== undefined) {
      // unref'd: a pending request or retry wait keeps the process alive, the deadline does not
      setTimeout(() => ctrl.abort(new DeadlineError()), o.deadlineMs).unref();
    }
    if (o.signal !== undefined) {
      if (o.signal.aborted) ctrl.abort(o.signal.reason);
      else o.signal.addEventListener('abort', () => ctrl.abort(o.signal!.reason), { once: true });
    }
    return { signal: ctrl.signal, at };
  }

  /** Milliseconds left before the deadline (Infinity without one). */
  private remainingMs(): number {
    return this.deadline === undefined ? Infinity : this.deadline.at - Date.now();
  }

  /**
   * The breaker for a key: in memory, or — with a breakerStore — rebuilt from the state another
   * process may have left, so the check is as fresh as the last transaction.
   */
  private async breakerFor(key: string): Promise<CircuitBreakerPolicy> {
    let b = this.opts.breakerStore === undefined ? this.breakers.get(key) : undefined;
    if (b === undefined) {
      const initialState = (await this.opts.breakerStore?.load(key)) as BreakerSnapshot | undefined;
      b = circuitBreaker(handleWhen(isServiceFailure), {
        halfOpenAfter: this.opts.breaker?.halfOpenAfterMs ?? 30_000,
        breaker: new ConsecutiveBreaker(this.opts.breaker?.consecutiveFailures ?? 5),
        ...(initialState === undefined ? {} : { initialState }),
      });
      b.onBreak(() => this.opts.onEvent?.({ type: 'breaker_open', breaker: key }));
      this.breakers.set(key, b);
    }
    return b;
  }

  /** Write the breaker's state when it changed (one transaction in the store). */
  private async persistBreaker(
    key: string,
    b: CircuitBreakerPolicy,
    before: string,
  ): Promise<void> {
    const store = this.opts.breakerStore;
    if (store === undefined) return;
    const snapshot = snapshotOf(b);
    if (JSON.stringify(snapshot) === before) return;
    const own = snapshot.ownState;
    const state = CIRCUIT_STATES[own.value];
    await store.save(key, snapshot, {
      state,
      failures: Number(snapshot.breakerState ?? 0),
      retryAt:
        state === 'open' && own.openedAt !== undefined
          ? own.openedAt + (this.opts.breaker?.halfOpenAfterMs ?? 30_000)
          : null,
    });
  }

  /** When an open circuit lets a call through again (epoch ms), or undefined. */
  private retryAtOf(b: CircuitBreakerPolicy): number | undefined {
    const own = snapshotOf(b).ownState;
    if (own.value !== CircuitState.Open || own.openedAt === undefined) return undefined;
    return own.openedAt + (this.opts.breaker?.halfOpenAfterMs ?? 30_000);
  }

  private retryPolicy() {
    const r = this.opts.retry ?? {};
    const initial = r.initialDelayMs ?? 500;
    const maxDelay = r.maxDelayMs ?? 20_000;
    const cap = r.retryAfterCapMs ?? 60_000;
    const backoff = new DelegateBackoff<IRetryBackoffContext<unknown>>((ctx) => {
      const err = 'error' in ctx.result ? ctx.result.error : undefined;
      // Never wait past the deadline: the attempt after the wait then fails at once.
      const left = Math.max(0, this.remainingMs());
      if (err instanceof LlmCallError && err.retryAfterMs !== undefined)
        return Math.min(cap, err.retryAfterMs, left);
      const exp = Math.min(maxDelay, initial * 2 ** (ctx.attempt - 1));
      return Math.min(left, Math.round(exp / 2 + (this.random() * exp) / 2)); // "equal jitter"
    });
    const retryPolicy = retry(
      handleWhen(
        (e) =>
          isRetryable(e) &&
          !(e instanceof LlmCallError && (e.retryAfterMs ?? 0) > Math.min(cap, this.remainingMs())),
      ),
      { maxAttempts: Math.max(0, (r.maxAttempts ?? 3) - 1), backoff },
    );
    retryPolicy.onRetry((e) =>
      this.opts.onEvent?.({
        type: 'retry',
        attempt: e.attempt,
        delayMs: e.delay,
        reason: 'error' in e ? e.error.message : 'result',
      }),
    );
    return retryPolicy;
  }

  private redact(text: string | null): string | null {
    if (text === null) return null;
    let out = text;
    for (const s of this.opts.secrets ?? []) out = out.split(s).join('[REDACTED]');
    return out;
  }

  private cost(model: string, tokensIn: number, tokensOut: number): number | null {
    const table = { ...DEFAULT_PRICING, ...this.opts.pricing };
    const prefix = Object.keys(table)
      .filter((p) => model.startsWith(p))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix === undefined) return null;
    const p = table[prefix]!;
    return (tokensIn * p.input + tokensOut * p.output) / 1_000_000;
  }

  private async record(
    base: { adapter: string; request: LlmRequest; meta: CallMeta; key: string; startedAt: number },
    fields: Partial<CallRecord> & { status: CallStatus; attempt: number },
  ): Promise<void> {
    if (this.opts.noLog) return;
    const tokensIn = fields.tokensIn ?? 0;
    const tokensOut = fields.tokensOut ?? 0;
    const prompt = [
      `[system]\n${base.request.system}`,
      ...base.request.messages.map((m) => `[${m.role}]\n${m.content}`),
    ].join('\n\n');
    await this.log.append({
      id: randomUUID(),
      createdAt: new Date(base.startedAt).toISOString(),
      workflowId: base.meta.workflowId ?? null,
      taskId: base.meta.taskId ?? null,
      adapter: base.adapter,
      model: base.request.model,
      errorKind: null,
      httpStatus: null,
      tokensIn,
      tokensOut,
      tokensCached: 0,
      latencyMs: Math.max(0, Math.round(this.now() - base.startedAt)),
      costUsd: fields.status === 'cached' ? 0 : this.cost(base.request.model, tokensIn, tokensOut),
      cacheKey: base.key,
      response: null,
      errorMessage: null,
      ...fields,
      prompt: this.redact(prompt),
      ...(fields.response !== undefined ? { response: this.redact(fields.response) } : {}),
      ...(fields.errorMessage !== undefined
        ? { errorMessage: this.redact(fields.errorMessage) }
        : {}),
    });
  }

  /** One provider call with resilience; logs every attempt. */
  private async attempt(
    adapter: LlmAdapter,
    request: LlmRequest,
    meta: CallMeta,
    key: string,
  ): Promise<{ response: LlmResponse; attempts: number }> {
    const breakerKey = `${adapter.name}/${request.model}${adapter.endpoint === undefined ? '' : `@${adapter.endpoint}`}`;
    const perAttempt = this.opts.timeoutMs ?? 60_000;
    let attempts = 0;
    let breaker: CircuitBreakerPolicy | undefined;
    try {
      if (this.deadline?.signal.aborted) throw this.deadline.signal.reason;
      const call = async ({ signal }: { signal: AbortSignal }) => {
        attempts += 1;
        const startedAt = this.now();
        const base = { adapter: adapter.name, request, meta, key, startedAt };
        try {
          const res = await adapter.complete({ ...request, signal }).catch((e: unknown) => {
            throw asCallError(e, adapter.name);
          });
          const status: CallStatus = res.stopReason === 'complete' ? 'ok' : res.stopReason;
          await this.record(base, {
            status,
            attempt: attempts,
            tokensIn: res.usage.inputTokens,
            tokensOut: res.usage.outputTokens,
            tokensCached: res.usage.cachedTokens,
            response: res.stopReason === 'refusal' ? (res.refusal ?? '') : res.text,
          });
          return res;
        } catch (e) {
          const err = e instanceof Error ? e : new Error(String(e));
          await this.record(base, {
            status: 'error',
            attempt: attempts,
            errorKind:
              err instanceof LlmCallError
                ? err.kind
                : err instanceof TaskCancelledError || signal.aborted
                  ? 'timeout'
                  : 'unexpected',
            httpStatus: err instanceof LlmCallError ? (err.status ?? null) : null,
            errorMessage: err.message.split('\n')[0] ?? '',
          });
          throw err;
        }
      };
      const response = await this.retryPolicy().execute(async ({ signal }) => {
        // each attempt: the breaker as the store has it now, the bulkhead, and a timeout that
        // never runs past the deadline
        const b = await this.breakerFor(breakerKey);
        breaker = b;
        const before = JSON.stringify(b.toJSON());
        const limit = Math.max(1, Math.min(perAttempt, this.remainingMs()));
        try {
          return await b.execute(
            ({ signal: s1 }) =>
              this.bulkheadPolicy.execute(
                ({ signal: s2 }) => timeout(limit, TimeoutStrategy.Aggressive).execute(call, s2),
                s1,
              ),
            signal,
          );
        } finally {
          await this.persistBreaker(breakerKey, b, before);
        }
      }, this.deadline?.signal);
      return { response, attempts };
    } catch (e) {
      throw this.toDmaError(e, adapter, request, attempts, breaker);
    }
  }

  private toDmaError(
    e: unknown,
    adapter: LlmAdapter,
    request: LlmRequest,
    attempts: number,
    breaker?: CircuitBreakerPolicy,
  ): unknown {
    const who = `${adapter.name}/${request.model}`;
    if (e instanceof BrokenCircuitError) {
      const retryAt = breaker === undefined ? undefined : this.retryAtOf(breaker);
      const wait = Math.max(
        1,
        Math.ceil(
          (retryAt === undefined
            ? (this.opts.breaker?.halfOpenAfterMs ?? 30_000)
            : retryAt - Date.now()) / 1000,
        ),
      );
      const when = retryAt === undefined ? '' : ` at ${new Date(retryAt).toISOString()}`;
      return new DmaError('LLM_ERROR', `circuit open for ${who} after repeated failures`, {
        hint: `dma will try the provider again in ${wait} s${when}; meanwhile use --adapter mock`,
        cause: e,
        details: { retry_at: retryAt === undefined ? null : new Date(retryAt).toISOString() },
      });
    }
    const deadlineHit =
      e instanceof DeadlineError ||
      (this.deadline?.signal.aborted === true &&
        this.deadline.signal.reason instanceof DeadlineError);
    if (deadlineHit) {
      return new DmaError(
        'LLM_ERROR',
        `no answer from ${who} within the ${Number(((this.opts.deadlineMs ?? 0) / 1000).toFixed(1))} s deadline (${attempts} attempt(s))`,
        { hint: 'try again later, or allow more time with --timeout <seconds>' },
      );
    }
    if (e instanceof BulkheadRejectedError) {
      return new DmaError('LLM_ERROR', `too many concurrent calls to ${who}`, { cause: e });
    }
    if (e instanceof TaskCancelledError) {
      return new DmaError(
        'LLM_ERROR',
        `${who} timed out after ${this.opts.timeoutMs ?? 60_000} ms (${attempts} attempt(s))`,
        { cause: e },
      );
    }
    if (e instanceof LlmCallError) {
      const hint =
        e.kind === 'auth'
          ? 'check the API key variable for this adapter (dma doctor)'
          : e.kind === 'rate_limit'
            ? 'wait and try again, or lower the token budget'
            : e.kind === 'client'
              ? undefined
              : 'the provider is failing; exit 12 is worth retrying later, or use --adapter mock';
      const status = e.status === undefined ? e.kind : `${e.status} (${e.kind})`;
      return new DmaError(
        'LLM_ERROR',
        `${who} failed with ${status} after ${attempts} attempt(s): ${this.redact(e.message.split('\n')[0] ?? '')}`,
        {
          ...(hint === undefined ? {} : { hint }),
          // No `cause`: the SDK error quotes the response body, which may echo a credential.
          details: { kind: e.kind, status: e.status, retryAfterMs: e.retryAfterMs },
        },
      );
    }
    return e;
  }

  /**
   * Complete `request` on `adapter`: from the cache when possible, else through the resilience
   * policies. Throws DmaError('LLM_ERROR') on refusal, persistent truncation, exhausted retries,
   * an open circuit, a timeout or an exceeded token budget.
   */
  async complete(
    adapter: LlmAdapter,
    request: LlmRequest,
    meta: CallMeta,
  ): Promise<GatewayResponse> {
    const key = cacheKey(adapter.name, request, meta.templateVersion);
    const startedAt = this.now();
    if (!this.opts.noCache) {
      const hit = (await this.cache.get(key, startedAt)) as CachedResponse | undefined;
      if (hit !== undefined) {
        this.opts.onEvent?.({ type: 'cache_hit', key });
        await this.record(
          { adapter: adapter.name, request, meta, key, startedAt },
          { status: 'cached', attempt: 0, response: hit.response.text },
        );
        return {
          ...hit.response,
          cached: true,
          cacheKey: key,
          attempts: 0,
          latencyMs: this.now() - startedAt,
        };
      }
    }
    const booking = await this.meter?.reserve(estimateTokens(request));
    let { response, attempts } = await this.attempt(adapter, request, meta, key);
    if (response.stopReason === 'truncated') {
      const more = { ...request, maxOutputTokens: request.maxOutputTokens * 2 };
      this.opts.onEvent?.({ type: 'truncated_retry', maxOutputTokens: more.maxOutputTokens });
      const second = await this.attempt(adapter, more, meta, key);
      response = second.response;
      attempts += second.attempts;
    }
    if (booking !== undefined)
      this.meter?.settle(booking, response.usage.inputTokens + response.usage.outputTokens);
    if (response.stopReason === 'truncated') {
      throw new DmaError(
        'LLM_ERROR',
        `the answer from ${adapter.name}/${request.model} was truncated twice (limit ${request.maxOutputTokens * 2} output tokens)`,
        {
          hint: 'raise max_output_tokens of the task in dsl/tasks.yaml, or shorten the input',
        },
      );
    }
    if (response.stopReason === 'refusal') {
      const why = this.redact(response.refusal ?? '') ?? '';
      throw new DmaError(
        'LLM_ERROR',
        `the model refused the request${why === '' ? '' : `: ${why.split('\n')[0]}`}`,
        {
          hint: 'rephrase the input or use another model; refusals are never cached',
        },
      );
    }
    if (!this.opts.noCache && (meta.accept?.(response) ?? true)) {
      await this.cache.set(
        key,
        { response, createdAt: this.now() },
        {
          adapter: adapter.name,
          model: request.model,
          expiresAt: this.now() + (this.opts.cacheTtlMs ?? 7 * 24 * 3600 * 1000),
        },
      );
    }
    return {
      ...response,
      cached: false,
      cacheKey: key,
      attempts,
      latencyMs: this.now() - startedAt,
    };
  }
}

/** The reason a gateway's deadline signal carries. */
export class DeadlineError extends Error {
  constructor() {
    super('the deadline passed');
    this.name = 'DeadlineError';
  }
}

export function createGateway(options: GatewayOptions = {}): Gateway {
  return new Gateway(options);
}
