/**
 * One suite for the LLM storage a campaign engine gives (Store.llmStorage(): call log,
 * response cache, breaker states), run against SQLite and PostgreSQL (see engines.ts), and
 * a gateway over each: the second identical call is answered from the cache.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord, LlmStorage } from '../../src/contracts/llm-storage.ts';
import { MockAdapter } from '../../src/llm/adapters/mock.ts';
import type { LlmRequest } from '../../src/llm/adapters/types.ts';
import { createGateway } from '../../src/llm/gateway.ts';
import { MemoryCallLog, clearCache, listCalls, usageSummary } from '../../src/llm/storage.ts';
import type { Store } from '../../src/store/index.ts';
import { engines } from './engines.ts';

const rec = (over: Partial<CallRecord>): CallRecord => ({
  id: 'x',
  createdAt: '2026-01-01T00:00:00.000Z',
  workflowId: 'audit',
  taskId: 'audit_npc',
  adapter: 'openai',
  model: 'gpt-4o-mini',
  status: 'ok',
  errorKind: null,
  httpStatus: null,
  attempt: 1,
  tokensIn: 100,
  tokensOut: 50,
  tokensCached: 0,
  latencyMs: 12,
  costUsd: 0.25,
  cacheKey: 'k',
  prompt: '[system]\nhi',
  response: '{}',
  errorMessage: null,
  ...over,
});

const records = [
  rec({ id: 'a' }),
  rec({
    id: 'b',
    createdAt: '2026-01-02T00:00:00.000Z',
    status: 'cached',
    attempt: 0,
    tokensIn: 0,
    tokensOut: 0,
    costUsd: 0,
    workflowId: null,
  }),
  rec({
    id: 'c',
    createdAt: '2026-01-02T00:00:00.000Z',
    adapter: 'anthropic',
    model: 'claude-x',
    status: 'error',
    errorKind: 'server',
    httpStatus: 503,
    costUsd: null,
    errorMessage: 'boom',
  }),
];

for (const engine of await engines('llm storage conformance')) {
  describe.skipIf(engine.skip)(`LLM storage conformance: ${engine.name}`, () => {
    let store: Store;
    let llm: LlmStorage;
    beforeAll(async () => {
      store = await engine.open();
      llm = store.llmStorage();
    });
    afterAll(async () => {
      await store?.close();
      await engine.cleanup();
    });

    it('logs calls: newest first (ties: last written first), filters, usage like the memory log', async () => {
      const memory = new MemoryCallLog();
      for (const r of records) {
        await llm.log.append(r);
        memory.append(r);
      }
      expect((await llm.log.list()).map((r) => r.id)).toEqual(['c', 'b', 'a']);
      expect(await llm.log.list()).toEqual(memory.list());
      expect(await llm.log.list({ limit: 1, status: 'error' })).toEqual([records[2]]);
      expect((await llm.log.list({ since: '2026-01-02' })).map((r) => r.id)).toEqual(['c', 'b']);
      expect((await listCalls(llm.log, { workflowId: 'audit' })).map((r) => r.id)).toEqual([
        'c',
        'a',
      ]);
      for (const groupBy of ['model', 'adapter', 'day', 'workflow'] as const)
        expect(await llm.log.usage({ groupBy })).toEqual(memory.usage({ groupBy }));
      const summary = await usageSummary(llm.log, { groupBy: 'adapter' });
      expect(summary.total).toMatchObject({ calls: 3, cachedCalls: 1, errors: 1, tokensIn: 200 });
    });

    it('caches responses until they expire, and clears', async () => {
      const entry = { response: { text: 'héllo', usage: { inputTokens: 1 } }, createdAt: 1000 };
      await llm.cache.set('k1', entry, { adapter: 'mock', model: 'm', expiresAt: 5000 });
      await llm.cache.set('k2', entry, { adapter: 'mock', model: 'm', expiresAt: 9000 });
      await llm.cache.set(
        'k2',
        { ...entry, createdAt: 2000 },
        { adapter: 'mock', model: 'm', expiresAt: 9000 },
      );
      expect(await llm.cache.get('k1', 4999)).toEqual(entry);
      expect(await llm.cache.get('k1', 5000)).toBeUndefined();
      expect(await llm.cache.get('nope', 0)).toBeUndefined();
      expect(await llm.cache.size()).toBe(2);
      expect(await llm.cache.purgeExpired(5000)).toBe(1);
      expect(await llm.cache.get('k2', 5000)).toEqual({ ...entry, createdAt: 2000 });
      expect(await clearCache(llm.cache)).toEqual({ removed: 1 });
      expect(await llm.cache.size()).toBe(0);
    });

    it('keeps breaker states across handles; a damaged row is a closed breaker', async () => {
      const snap = { ownState: { value: 1, openedAt: 10 }, breakerState: 5 };
      expect(await llm.breakers.load('a/m')).toBeUndefined();
      await llm.breakers.save('a/m', snap, { state: 'open', failures: 5, retryAt: 30010 });
      await llm.breakers.save(
        'b/m',
        { ownState: { value: 0 }, breakerState: 0 },
        {
          state: 'closed',
          failures: 0,
          retryAt: null,
        },
      );
      expect(await store.llmStorage().breakers.load('a/m')).toEqual(snap);
      expect(await llm.breakers.list()).toEqual([
        { key: 'a/m', state: 'open', failures: 5, retryAt: 30010 },
        { key: 'b/m', state: 'closed', failures: 0, retryAt: null },
      ]);
      await llm.breakers.save('b/m', 'not a snapshot', {
        state: 'closed',
        failures: 0,
        retryAt: null,
      });
      expect(await llm.breakers.load('b/m')).toBeUndefined();
    });

    it('backs a gateway: the second identical call is cached and both are logged', async () => {
      await llm.cache.clear();
      const gw = createGateway({ cache: llm.cache, log: llm.log, breakerStore: llm.breakers });
      const mock = new MockAdapter();
      const request: LlmRequest = {
        model: 'mock-1',
        system: 'static rubric',
        messages: [{ role: 'user', content: 'hello' }],
        schemaName: 'thing',
        schema: { type: 'object', required: ['ok'], properties: { ok: { type: 'boolean' } } },
        maxOutputTokens: 100,
      };
      const meta = { templateVersion: 't1', workflowId: 'wf-gw', taskId: 'task' };
      const first = await gw.complete(mock, request, meta);
      const second = await gw.complete(mock, request, meta);
      expect(first.cached).toBe(false);
      expect(second).toMatchObject({ cached: true, text: first.text });
      const logged = await llm.log.list({ workflowId: 'wf-gw' });
      expect(logged.map((r) => r.status)).toEqual(['cached', 'ok']);
      expect(await llm.cache.size()).toBe(1);
    });
  });
}
