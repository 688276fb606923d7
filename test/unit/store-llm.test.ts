/** The campaign database carries the LLM cache and call log (migration 2). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DmaError } from '../../src/core/errors.ts';
import { MockAdapter } from '../../src/llm/adapters/mock.ts';
import { createGateway } from '../../src/llm/gateway.ts';
import {
  LLM_BREAKER_SQL,
  LLM_TABLES_SQL,
  SqliteBreakerStore,
  SqliteCallLog,
  SqliteResponseCache,
} from '../../src/llm/storage.ts';
import { migrations, openStore } from '../../src/store/index.ts';

describe('store: LLM tables', () => {
  it('migration 2 is exactly LLM_TABLES_SQL (src/store keeps a copy)', () => {
    const m = migrations.find((x) => x.name === 'LLM response cache and call log');
    expect(m?.version).toBe(2);
    expect(m?.sql).toBe(LLM_TABLES_SQL);
  });

  it('sqlHandle() backs a gateway: calls logged and cached in the campaign file', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dma-llm-')), 'c.db');
    const store = await openStore({ path, mode: 'append' });
    const db = store.sqlHandle();
    const log = new SqliteCallLog(db);
    const cache = new SqliteResponseCache(db);
    const gw = createGateway({ log, cache });
    const request = {
      model: 'mock-1',
      system: 's',
      messages: [{ role: 'user' as const, content: 'u' }],
      schemaName: 'x',
      schema: { type: 'object' },
      maxOutputTokens: 10,
    };
    await gw.complete(new MockAdapter(), request, { templateVersion: 't' });
    await gw.complete(new MockAdapter(), request, { templateVersion: 't' });
    store.close();

    const again = await openStore({ path, mode: 'read' });
    const rows = new SqliteCallLog(again.sqlHandle()).list();
    expect(rows.map((r) => r.status)).toEqual(['cached', 'ok']);
    expect(new SqliteResponseCache(again.sqlHandle()).size()).toBe(1);
    again.close();
  });

  it('append mode creates the file but refuses entity writes', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dma-llm-')), 'c.db');
    const store = await openStore({ path, mode: 'append' });
    expect((await store.info()).exists).toBe(true);
    await expect(store.create({ type: 'note', name: 'n', data: {} })).rejects.toThrow(/read-only/);
    store.close();
  });

  it('migration 6 is exactly LLM_BREAKER_SQL', () => {
    const m = migrations.find((x) => x.name === 'LLM circuit breakers');
    expect(m?.sql.trim()).toBe(LLM_BREAKER_SQL.trim());
  });

  it('a breaker opened through one store is open for a gateway on another connection', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dma-llm-')), 'c.db');
    const request = {
      model: 'mock-1',
      system: 's',
      messages: [{ role: 'user' as const, content: 'u' }],
      schemaName: 'x',
      schema: { type: 'object' },
      maxOutputTokens: 10,
    };
    const opts = {
      retry: { initialDelayMs: 1, maxDelayMs: 2, maxAttempts: 2 },
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 60_000 },
      noCache: true,
    };
    const failing = () =>
      new MockAdapter().enqueue(...Array.from({ length: 4 }, () => ({ error: { status: 503 } })));
    // "process" 1: two failures (not yet open)
    const a = await openStore({ path, mode: 'append' });
    const m1 = failing();
    const gw1 = createGateway({ ...opts, breakerStore: new SqliteBreakerStore(a.sqlHandle()) });
    await expect(gw1.complete(m1, request, { templateVersion: 't' })).rejects.toThrow(/503/);
    expect(m1.calls).toHaveLength(2);
    expect(new SqliteBreakerStore(a.sqlHandle()).list()).toEqual([
      { key: 'mock/mock-1', state: 'closed', failures: 2, retryAt: null },
    ]);
    a.close();
    // "process" 2: the third failure opens it; the retry is refused without a call
    const b = await openStore({ path, mode: 'append' });
    const m2 = failing();
    const gw2 = createGateway({ ...opts, breakerStore: new SqliteBreakerStore(b.sqlHandle()) });
    await expect(gw2.complete(m2, request, { templateVersion: 't' })).rejects.toThrow(
      /circuit open/,
    );
    expect(m2.calls).toHaveLength(1);
    const [row] = new SqliteBreakerStore(b.sqlHandle()).list();
    expect(row).toMatchObject({ state: 'open', failures: 3 });
    expect(row!.retryAt! - Date.now()).toBeGreaterThan(55_000);
    b.close();
    // "process" 3: fails fast, and says when it will try again
    const c = await openStore({ path, mode: 'append' });
    const m3 = failing();
    const gw3 = createGateway({ ...opts, breakerStore: new SqliteBreakerStore(c.sqlHandle()) });
    const err = await gw3.complete(m3, request, { templateVersion: 't' }).catch((e: unknown) => e);
    expect(m3.calls).toHaveLength(0);
    expect((err as DmaError).exitCode).toBe(12);
    expect((err as DmaError).hint).toMatch(/try the provider again in (59|60) s at /);
    c.close();
  });

  it('a damaged breaker row reads as a closed breaker', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'dma-llm-')), 'c.db');
    const s = await openStore({ path, mode: 'append' });
    s.sqlHandle()
      .prepare(
        "INSERT INTO llm_breakers (key, state, snapshot, updated_at) VALUES ('k', 'open', '{not json', 0)",
      )
      .run();
    expect(new SqliteBreakerStore(s.sqlHandle()).load('k')).toBeUndefined();
    s.close();
  });
});
