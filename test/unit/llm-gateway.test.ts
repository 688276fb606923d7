import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DmaError } from '../../src/core/errors.ts';
import { MockAdapter } from '../../src/llm/adapters/mock.ts';
import { parseRetryAfter, type LlmRequest } from '../../src/llm/adapters/types.ts';
import { createGateway, TokenMeter, type GatewayEvent } from '../../src/llm/gateway.ts';
import {
  LLM_TABLES_SQL,
  MemoryCallLog,
  MemoryResponseCache,
  SqliteCallLog,
  SqliteResponseCache,
  clearCache,
  usageSummary,
  type CallRecord,
} from '../../src/llm/storage.ts';

const schema = { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } };
const request = (content = 'hello'): LlmRequest => ({
  model: 'mock-1',
  system: 'static rubric',
  messages: [{ role: 'user', content }],
  schemaName: 'thing',
  schema,
  maxOutputTokens: 100,
});
const meta = { templateVersion: 'v1', workflowId: 'wf', taskId: 'task' };
const quick = { retry: { initialDelayMs: 1, maxDelayMs: 2 } };

describe('gateway cache', () => {
  it('misses, then hits; noCache always calls the adapter', async () => {
    const cache = new MemoryResponseCache();
    const log = new MemoryCallLog();
    const mock = new MockAdapter();
    const gw = createGateway({ cache, log });
    const a = await gw.complete(mock, request(), meta);
    const b = await gw.complete(mock, request(), meta);
    expect([a.cached, b.cached]).toEqual([false, true]);
    expect(b.text).toBe(a.text);
    expect(mock.calls).toHaveLength(1);
    expect(log.records.map((r) => r.status)).toEqual(['ok', 'cached']);
    await gw.complete(mock, request('other prompt'), meta);
    expect(mock.calls).toHaveLength(2);
    // a new template version is a new key
    await gw.complete(mock, request(), { ...meta, templateVersion: 'v2' });
    expect(mock.calls).toHaveLength(3);
    const noCache = createGateway({ cache, noCache: true });
    await noCache.complete(mock, request(), meta);
    expect(mock.calls).toHaveLength(4);
  });

  it('expires entries after the TTL', async () => {
    let now = 1_000_000;
    const mock = new MockAdapter();
    const gw = createGateway({ cacheTtlMs: 1000, now: () => now });
    await gw.complete(mock, request(), meta);
    now += 999;
    expect((await gw.complete(mock, request(), meta)).cached).toBe(true);
    now += 2;
    expect((await gw.complete(mock, request(), meta)).cached).toBe(false);
    expect(mock.calls).toHaveLength(2);
  });

  it('never caches errors, refusals, truncations or answers the caller rejects', async () => {
    const cache = new MemoryResponseCache();
    const gw = createGateway({ cache, ...quick, retry: { maxAttempts: 1 } });
    const mock = new MockAdapter().enqueue(
      { error: { status: 500 } },
      { refusal: 'no' },
      { truncated: true },
      { truncated: true },
      { output: { ok: 'not a boolean' } },
    );
    await expect(gw.complete(mock, request(), meta)).rejects.toThrow('500');
    await expect(gw.complete(mock, request(), meta)).rejects.toThrow('refused');
    await expect(gw.complete(mock, request(), meta)).rejects.toThrow('truncated twice');
    await gw.complete(mock, request(), { ...meta, accept: () => false });
    expect(cache.size()).toBe(0);
    const ok = await gw.complete(mock, request(), meta);
    expect(ok.cached).toBe(false);
    expect(cache.size()).toBe(1);
  });

  it('noLog writes nothing to the call log', async () => {
    const log = new MemoryCallLog();
    await createGateway({ log, noLog: true }).complete(new MockAdapter(), request(), meta);
    expect(log.records).toHaveLength(0);
  });
});

describe('gateway resilience (mock faults)', () => {
  it('retries a 429 after the Retry-After delay', async () => {
    const events: GatewayEvent[] = [];
    const mock = new MockAdapter().enqueue({ error: { status: 429, retryAfterSeconds: 0.3 } });
    const gw = createGateway({ ...quick, onEvent: (e) => events.push(e) });
    const t0 = Date.now();
    const r = await gw.complete(mock, request(), meta);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    expect(r.attempts).toBe(2);
    expect(events).toContainEqual(expect.objectContaining({ type: 'retry', delayMs: 300 }));
  });

  it('does not wait for a Retry-After beyond the cap', async () => {
    const mock = new MockAdapter().enqueue({ error: { status: 429, retryAfterSeconds: 3600 } });
    const gw = createGateway({ retry: { retryAfterCapMs: 1000 } });
    const t0 = Date.now();
    await expect(gw.complete(mock, request(), meta)).rejects.toThrow(
      '429 (rate_limit) after 1 attempt(s)',
    );
    expect(Date.now() - t0).toBeLessThan(500);
  });

  it('a 400 is not retried', async () => {
    const mock = new MockAdapter().enqueue({ error: { status: 400 } });
    await expect(createGateway(quick).complete(mock, request(), meta)).rejects.toThrow(
      '400 (client) after 1 attempt(s)',
    );
    expect(mock.calls).toHaveLength(1);
  });

  it('a truncated answer is retried once with twice the output tokens', async () => {
    const mock = new MockAdapter().enqueue({ truncated: true });
    const r = await createGateway().complete(mock, request(), meta);
    expect(r.stopReason).toBe('complete');
    expect(mock.calls.map((c) => c.maxOutputTokens)).toEqual([100, 200]);
  });

  it('times out a slow call and retries it', async () => {
    const mock = new MockAdapter().enqueue({ output: { ok: true }, delayMs: 5000 });
    const gw = createGateway({ ...quick, timeoutMs: 100 });
    const t0 = Date.now();
    const r = await gw.complete(mock, request(), meta);
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(r.attempts).toBe(2);
  });

  it('a burst of 529s opens the circuit; then no call reaches the adapter', async () => {
    const mock = new MockAdapter().enqueue(
      ...Array.from({ length: 10 }, () => ({ error: { status: 529 } })),
    );
    const events: GatewayEvent[] = [];
    const gw = createGateway({
      ...quick,
      retry: { ...quick.retry, maxAttempts: 3 },
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
      onEvent: (e) => events.push(e),
    });
    await expect(gw.complete(mock, request(), meta)).rejects.toThrow(DmaError);
    expect(mock.calls).toHaveLength(3);
    expect(events).toContainEqual({ type: 'breaker_open', breaker: 'mock/mock-1' });
    const e = await gw.complete(mock, request('another'), meta).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DmaError);
    expect((e as DmaError).message).toBe('circuit open for mock/mock-1 after repeated failures');
    expect(mock.calls).toHaveLength(3);
    // the breaker is per adapter+model
    await expect(gw.complete(mock, { ...request(), model: 'mock-2' }, meta)).rejects.toThrow(/529/);
  });
});

describe('parseRetryAfter', () => {
  const h = (headers: Record<string, string>) => (name: string) => headers[name] ?? null;
  it('reads retry-after-ms, seconds and HTTP dates', () => {
    expect(parseRetryAfter(h({ 'retry-after-ms': '250', 'retry-after': '9' }))).toBe(250);
    expect(parseRetryAfter(h({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter(h({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000);
    expect(parseRetryAfter(h({}))).toBeUndefined();
    expect(parseRetryAfter(h({ 'retry-after': 'soon' }))).toBeUndefined();
  });
});

describe('token meter', () => {
  it('waits when the per-minute budget is used up, and refuses a request larger than the budget', async () => {
    let now = 0;
    const waits: number[] = [];
    const meter = new TokenMeter(
      1000,
      () => now,
      async (ms) => {
        waits.push(ms);
        now += ms;
      },
    );
    await meter.reserve(600);
    now += 10_000;
    await meter.reserve(300);
    expect(waits).toEqual([]);
    await meter.reserve(300); // 600 + 300 + 300 > 1000: wait for the first to leave the window
    expect(waits).toEqual([50_000]);
    expect(meter.usedLastMinute()).toBe(600);
    await expect(meter.reserve(1001)).rejects.toThrow('over the budget of 1000 per minute');
  });
});

describe('SQLite storage', () => {
  function db() {
    const d = new Database(':memory:');
    d.exec(LLM_TABLES_SQL);
    return d;
  }
  const rec = (over: Partial<CallRecord>): CallRecord => ({
    id: Math.random().toString(36),
    createdAt: '2026-01-01T00:00:00.000Z',
    workflowId: 'audit-entity',
    taskId: 'audit-entity',
    adapter: 'anthropic',
    model: 'claude-sonnet-4-5',
    status: 'ok',
    errorKind: null,
    httpStatus: null,
    attempt: 1,
    tokensIn: 100,
    tokensOut: 50,
    tokensCached: 10,
    latencyMs: 20,
    costUsd: 0.001,
    cacheKey: 'k',
    prompt: 'p',
    response: 'r',
    errorMessage: null,
    ...over,
  });

  it('the call log lists newest first and sums usage per group, like the memory log', async () => {
    const sqlite = new SqliteCallLog(db());
    const memory = new MemoryCallLog();
    const records = [
      rec({ id: 'a' }),
      rec({
        id: 'b',
        createdAt: '2026-01-02T00:00:00.000Z',
        status: 'cached',
        tokensIn: 0,
        tokensOut: 0,
        tokensCached: 0,
        costUsd: 0,
      }),
      rec({
        id: 'c',
        createdAt: '2026-01-03T00:00:00.000Z',
        model: 'gpt-4.1-mini',
        adapter: 'openai',
        status: 'error',
        httpStatus: 500,
        costUsd: null,
      }),
    ];
    for (const r of records) {
      sqlite.append(r);
      memory.append(r);
    }
    expect(sqlite.list().map((r) => r.id)).toEqual(['c', 'b', 'a']);
    expect(sqlite.list({ limit: 1, status: 'error' })[0]).toEqual(records[2]);
    expect(sqlite.list({ since: '2026-01-02' }).map((r) => r.id)).toEqual(['c', 'b']);
    expect(sqlite.usage()).toEqual(memory.usage());
    expect(sqlite.usage({ groupBy: 'day' })).toEqual(memory.usage({ groupBy: 'day' }));
    const summary = await usageSummary(sqlite, { groupBy: 'adapter' });
    expect(summary.rows.map((r) => r.key)).toEqual(['anthropic', 'openai']);
    expect(summary.total).toMatchObject({ calls: 3, cachedCalls: 1, errors: 1, tokensIn: 200 });
  });

  it('the response cache stores, expires and clears; and backs a gateway', async () => {
    const cache = new SqliteResponseCache(db());
    let now = 5_000;
    const gw = createGateway({ cache, cacheTtlMs: 100, now: () => now });
    const mock = new MockAdapter();
    await gw.complete(mock, request(), meta);
    expect((await gw.complete(mock, request(), meta)).cached).toBe(true);
    expect(cache.size()).toBe(1);
    now += 200;
    expect(cache.purgeExpired(now)).toBe(1);
    await gw.complete(mock, request(), meta);
    expect(await clearCache(cache)).toEqual({ removed: 1 });
    expect(cache.size()).toBe(0);
  });
});
