/**
 * One suite for the Store interface, run against every engine: SQLite (a temp file) and
 * PostgreSQL (its own schema dma_test_<random>, dropped afterwards). Without a reachable
 * server and without DMA_TEST_PG_URL the PostgreSQL run is skipped, saying why; with
 * DMA_TEST_PG_URL set (CI) an unreachable server fails the run.
 */
import { describe, afterAll, beforeAll, expect, it } from 'vitest';
import { ConflictError, NotFoundError, UsageError } from '../../src/core/errors.ts';
import type { Store } from '../../src/store/index.ts';
import { RANKED_CANDIDATES } from '../../src/store/fts.ts';
import { TargetNotEmpty } from '../../src/store/records.ts';
import { expectThrow } from '../helpers/expect-throw.ts';
import { engines } from './engines.ts';

const npc = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'npc',
  name,
  data: { class: 'fighter', level: 3, ...extra },
});

for (const engine of await engines('store conformance')) {
  describe.skipIf(engine.skip)(`Store conformance: ${engine.name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await engine.open();
    });
    afterAll(async () => {
      await store?.close();
      await engine.cleanup();
    });

    it('creates, reads, lists and counts entities', async () => {
      const e = await store.create(npc('Elara', { race: 'elf', level: 7, class: 'mage' }));
      expect(e).toMatchObject({ type: 'npc', name: 'Elara', version: 1 });
      expect(await store.get(e.id)).toEqual(e);
      expect(await store.has(e.id)).toBe(true);
      await store.createMany([npc('bob'), npc('Alice', { class: 'fighter/thief', level: 5 })]);
      expect((await store.list()).map((x) => x.name)).toEqual(['Alice', 'bob', 'Elara']);
      expect(await store.count({ type: 'npc' })).toBe(3);
      expect((await store.resolve('elara')).id).toBe(e.id);
      await expect(store.resolve('nobody')).rejects.toBeInstanceOf(NotFoundError);
      const npcs = await store.listNpcs({ class: 'fighter', sort: 'level' });
      expect(npcs.total).toBe(2);
      expect(npcs.rows.map((r) => [r.name, r.level])).toEqual([
        ['Alice', 5],
        ['bob', 3],
      ]);
    });

    it('createManyJson stores the JSON text as given, checked, searchable; all or nothing', async () => {
      const id = (n: number) => `00000000-0000-4000-8000-0000000a000${n}`;
      const before = await store.count();
      const json = (name: string, extra: Record<string, unknown> = {}) => {
        const { type, data } = npc(name, extra);
        return { type, name, json: JSON.stringify(data) };
      };
      expect(
        await store.createManyJson([
          { id: id(1), ...json('Aldo', { description: 'a one-eyed smith' }) },
          { id: id(2), ...json('Bea') },
        ]),
      ).toEqual([id(1), id(2)]);
      const [a] = await store.createMany([{ ...npc('Carl'), id: id(3) }]);
      const b = await store.get(id(1));
      // the same row a createMany of the same data writes
      expect({
        ...b,
        id: a!.id,
        name: a!.name,
        data: { ...b.data, description: undefined },
      }).toEqual({ ...a, data: { ...a!.data, description: undefined } });
      expect(b.data).toEqual({ class: 'fighter', level: 3, description: 'a one-eyed smith' });
      expect((await store.search('smith')).map((h) => h.id)).toContain(id(1));
      // a bad record (not JSON, data out of bounds, an id taken) rolls the whole call back
      await expectThrow(
        () =>
          store.createManyJson([
            { id: id(4), ...json('D') },
            { id: id(5), type: 'npc', name: 'E', json: '{' },
          ]),
        UsageError,
        /^entities\[1\]: data: not JSON/,
      );
      await expectThrow(
        () =>
          store.createManyJson([
            { id: id(4), ...json('D') },
            { id: id(5), ...json('E', { level: 21 }) },
          ]),
        UsageError,
        /^entities\[1\]: data\.level/,
      );
      await expectThrow(
        () =>
          store.createManyJson([
            { id: id(4), ...json('D') },
            { id: id(1), ...json('E') },
          ]),
        ConflictError,
      );
      expect(await store.count()).toBe(before + 3);
    });

    it('refuses bad input with exit 3 and a taken id with exit 5', async () => {
      await expect(store.create({ type: 'dragon', name: 'x', data: {} })).rejects.toBeInstanceOf(
        UsageError,
      );
      const e = await store.create(npc('Dup'));
      await expect(store.create({ ...npc('Dup2'), id: e.id })).rejects.toBeInstanceOf(
        ConflictError,
      );
    });

    it('updates with a version check: a stale version names both and writes nothing', async () => {
      const e = await store.create(npc('Versioned'));
      const v2 = await store.update(e.id, { name: 'Versioned II' }, { expectVersion: 1 });
      expect(v2.version).toBe(2);
      const err = await store
        .update(e.id, { name: 'Lost' }, { expectVersion: 1 })
        .catch((x: unknown) => x);
      expect(err).toBeInstanceOf(ConflictError);
      expect((err as Error).message).toMatch(/version 2, not 1/);
      expect((await store.get(e.id)).name).toBe('Versioned II');
    });

    it('searches ranked, with the plain-word syntax; bad raw syntax is exit 3', async () => {
      await store.create({ type: 'note', name: 'Dragon rumour', data: { text: 'a red wyrm' } });
      await store.create({ type: 'note', name: 'Tavern', data: { text: 'the dragon was seen' } });
      const hits = await store.search('drag');
      expect(hits.map((h) => h.name)).toEqual(['Dragon rumour', 'Tavern']);
      expect((await store.search('red wyr')).map((h) => h.name)).toEqual(['Dragon rumour']);
      await expect(store.search('   ')).rejects.toBeInstanceOf(UsageError);
      await expect(store.search('"unterminated & (', { raw: true })).rejects.toBeInstanceOf(
        UsageError,
      );
    });

    it('walks the graph to depth N with paths, both directions, cycles end', async () => {
      const [a, b, c, d] = await store.createMany(
        ['Ga', 'Gb', 'Gc', 'Gd'].map((n) => ({ type: 'location', name: n, data: {} })),
      );
      await store.link(a!.id, b!.id, { type: 'road' });
      await store.link(b!.id, c!.id, { type: 'road' });
      await store.link(d!.id, c!.id, { type: 'river' });
      await store.link(c!.id, a!.id, { type: 'road' });
      const r = await store.related(a!.id, { depth: 3 });
      expect(r.map((x) => [x.name, x.depth, x.path_types])).toEqual([
        ['Gb', 1, ['road']],
        ['Gc', 1, ['<road']],
        ['Gd', 2, ['<road', '<river']],
      ]);
      expect(r[2]!.path_ids).toEqual([a!.id, c!.id, d!.id]);
      expect((await store.relationships(c!.id)).length).toBe(3);
      expect(await store.unlink(d!.id, c!.id)).toBe(1);
    });

    it('exports and imports: a round trip is unchanged, a conflict writes nothing', async () => {
      const doc = await store.export();
      const again = await store.import(doc);
      expect(again.entities.created).toBe(0);
      expect(again.entities.unchanged).toBe(doc.entities.length);
      const records: string[] = [];
      for await (const r of store.exportRecords()) records.push(r.kind);
      expect(records.filter((k) => k === 'entity').length).toBe(doc.entities.length);
      const changed = structuredClone(doc);
      changed.entities[0]!.name = 'Changed';
      await expect(store.import(changed)).rejects.toBeInstanceOf(ConflictError);
      expect((await store.get(doc.entities[0]!.id)).name).toBe(doc.entities[0]!.name);
    });

    it('an import that wants an empty campaign refuses a non-empty one and writes nothing', async () => {
      const before = await store.info();
      expect(before.entities).toBeGreaterThan(0);
      const records = [
        {
          kind: 'header' as const,
          value: { schema_version: '1.0', exported_at: '2026-01-01T00:00:00.000Z' },
        },
        {
          kind: 'entity' as const,
          value: {
            id: '00000000-0000-4000-8000-00000000e001',
            type: 'note',
            name: 'Should not land',
            data: { text: 'x' },
            version: 1,
            created_at: '2026-01-01T00:00:00.000Z',
            updated_at: '2026-01-01T00:00:00.000Z',
          },
        },
      ];
      await expect(store.importStream(records, { emptyTarget: true })).rejects.toBeInstanceOf(
        TargetNotEmpty,
      );
      expect((await store.info()).entities).toBe(before.entities);
      expect(await store.has('00000000-0000-4000-8000-00000000e001')).toBe(false);
    });

    it('transactions are all or nothing; applyOnce applies a key once', async () => {
      const before = await store.count();
      await expect(
        store.transaction(async () => {
          await store.create(npc('Rolled back'));
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await store.count()).toBe(before);
      let runs = 0;
      const once = () =>
        store.applyOnce('msg-1', async () => {
          runs++;
          return { id: (await store.create(npc(`Once ${runs}`))).id };
        });
      const [x, y] = [await once(), await once()];
      expect(runs).toBe(1);
      expect(x.applied).toBe(true);
      expect(y).toEqual({ result: x.result, applied: false });
      expect(await store.effectFor('msg-1')).toEqual(x.result);
      expect(await store.effectFor('msg-2')).toBeUndefined();
    });

    it('keeps one fight with an optimistic version', async () => {
      const enc = await store.encounters.create(7, { party: [] });
      await expect(store.encounters.create(8, {})).rejects.toBeInstanceOf(ConflictError);
      const r1 = await store.encounters.saveRound(
        enc.id,
        enc.version,
        1,
        { party: [1] },
        {
          character: 'A',
          action: 'hits',
          result: { ok: true },
        },
      );
      expect(r1.version).toBe(2);
      await expect(
        store.encounters.saveRound(
          enc.id,
          enc.version,
          2,
          {},
          { character: 'A', action: 'x', result: 1 },
        ),
      ).rejects.toBeInstanceOf(ConflictError);
      expect(await store.encounters.rounds(enc.id)).toEqual([
        { round: 1, character: 'A', action: 'hits', result: { ok: true } },
      ]);
      await store.encounters.end(enc.id, r1.version, { done: true });
      expect(await store.encounters.active()).toBeUndefined();
    });

    it('reports info', async () => {
      const info = await store.info();
      expect(info.exists).toBe(true);
      expect(info.entities).toBe(await store.count());
      expect(info.schema_version).toBeGreaterThan(0);
    });

    it('a common word (more matches than RANKED_CANDIDATES) puts name matches first, then ranked text matches', async () => {
      const n = RANKED_CANDIDATES + 200;
      await store.createMany(
        Array.from({ length: n }, (_, i) =>
          npc(`Villager ${i}`, {
            description:
              i % 2 ? 'a kobold hunter' : 'a kobold hunter who hunts kobold after kobold',
          }),
        ),
      );
      const chief = await store.create(npc('Kobold Chief', { description: 'leads the warren' }));
      const hits = await store.search('kobold', { limit: 5 });
      expect(hits).toHaveLength(5);
      expect(hits[0]!.id).toBe(chief.id);
      // among the text matches, the ones saying kobold three times rank above those saying it once
      expect(hits.slice(1).map((h) => Number(h.name.split(' ')[1]) % 2)).toEqual([0, 0, 0, 0]);
      for (let i = 2; i < hits.length; i++)
        expect(hits[i]!.score).toBeLessThanOrEqual(hits[i - 1]!.score);
      // a rarer query is ranked over all its matches; a limit above the bound ranks them all
      expect((await store.search('warren')).map((h) => h.id)).toEqual([chief.id]);
      expect(await store.search('kobold', { limit: n + 10 })).toHaveLength(n + 1);
    });
  });
}
