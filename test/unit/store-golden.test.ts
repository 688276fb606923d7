import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/index.ts';

const golden = JSON.parse(
  readFileSync(new URL('../../golden/scribe_ingest_npc.json', import.meta.url), 'utf8'),
) as {
  request: { type: string; payload: { type: string; name: string; data: unknown } };
  stored: unknown;
  search: { query: string; hits: unknown[] };
};

/** Ids and timestamps vary per run: replace them before comparing. */
function normalise(value: unknown): unknown {
  return JSON.parse(
    JSON.stringify(value)
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
      .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<timestamp>'),
  ) as unknown;
}

describe('golden: scribe_ingest_npc', () => {
  it('ingests the NPC request and stores exactly the golden result', async () => {
    const store = await openStore({ path: ':memory:' });
    expect(golden.request.type).toBe('entity.store');
    const stored = await store.create(golden.request.payload);
    expect(normalise(stored)).toEqual(golden.stored);
    expect(await store.get(stored.id)).toEqual(stored);
    const hits = (await store.search(golden.search.query)).map(({ score: _score, ...hit }) => hit);
    expect(normalise(hits)).toEqual(golden.search.hits);
    expect(hits[0]!.id).toBe(stored.id);
    store.close();
  });
});
