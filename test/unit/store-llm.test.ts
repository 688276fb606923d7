/** The campaign database carries the LLM cache and call log (migration 2). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MockAdapter } from '../../src/llm/adapters/mock.ts';
import { createGateway } from '../../src/llm/gateway.ts';
import { LLM_TABLES_SQL, SqliteCallLog, SqliteResponseCache } from '../../src/llm/storage.ts';
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
    expect(store.info().exists).toBe(true);
    expect(() => store.create({ type: 'note', name: 'n', data: {} })).toThrow(/read-only/);
    store.close();
  });
});
