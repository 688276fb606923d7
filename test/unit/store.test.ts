import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, DmaError, NotFoundError, UsageError } from '../../src/core/errors.ts';
import { openStore, SCHEMA_VERSION, type CampaignStore } from '../../src/store/index.ts';
import { expectThrow } from '../helpers/expect-throw.ts';

const fixedClock = () => new Date('2024-05-01T12:00:00.000Z');
const npc = (name: string, extra: Record<string, unknown> = {}) => ({
  type: 'npc',
  name,
  data: { class: 'fighter', level: 3, ...extra },
});

let dir: string;
let store: CampaignStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dma-store-'));
  store = await openStore({ path: join(dir, 'campaign.db'), clock: fixedClock });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('create / get / list', () => {
  it('stores a validated entity with version 1 and the clock time', async () => {
    const e = await store.create(npc('Elara', { race: 'elf' }));
    expect(e.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(e).toMatchObject({
      type: 'npc',
      name: 'Elara',
      version: 1,
      created_at: '2024-05-01T12:00:00.000Z',
    });
    expect(await store.get(e.id)).toEqual(e);
  });

  it('dry run writes nothing', async () => {
    await store.create(npc('Ghost'), { dryRun: true });
    expect(await store.count()).toBe(0);
  });

  it('rejects a schema violation naming the field', async () => {
    const err = await expectThrow(
      () =>
        store.create(
          npc('Bad', {
            abilities: { str: 17, dex: 9, con: 9, int: 9, wis: 9, cha: 9, str_exceptional: 50 },
          }),
        ),
      UsageError,
      /data\.abilities\.str_exceptional: str_exceptional is only allowed with str 18/,
    );
    expect(err.exitCode).toBe(3);
    await expectThrow(() => store.create(npc('Bad', { levle: 3 })), UsageError, /data: .*levle/i);
    const warriorStr = { str: 18, str_exceptional: 76, dex: 9, con: 9, int: 9, wis: 9, cha: 9 };
    await expectThrow(
      () =>
        store.create({
          type: 'npc',
          name: 'M',
          data: { class: 'mage', level: 1, abilities: warriorStr },
        }),
      UsageError,
      /data\.abilities\.str_exceptional: str_exceptional is only for warriors/,
    );
    expect(
      (
        await store.create({
          type: 'npc',
          name: 'F',
          data: { class: 'fighter/thief', level: 1, abilities: warriorStr },
        })
      ).name,
    ).toBe('F');
    await expectThrow(
      () => store.create({ type: 'dragon', name: 'X', data: {} }),
      UsageError,
      /unknown entity type "dragon"/,
    );
    await expectThrow(() => store.create(npc('  ')), UsageError, /name/);
    expect((await store.list()).map((e) => e.name)).toEqual(['F']);
  });

  it('checks a pc against the CharacterSheet rules', async () => {
    const pc = {
      name: 'Arthur',
      class: 'fighter',
      level: 1,
      abilities: { str: 18, str_exceptional: 76, dex: 10, con: 14, int: 10, wis: 12, cha: 8 },
      hp: 15,
      max_hp: 20,
      armor_class: 4,
      gold: 50,
      inventory: ['long sword'],
      xp: 0,
    };
    expect((await store.create({ type: 'pc', name: 'Arthur', data: pc })).data).toEqual(pc);
    await expectThrow(
      () => store.create({ type: 'pc', name: 'A', data: { ...pc, hp: 21 } }),
      UsageError,
      /data\.hp: hp must not exceed max_hp/,
    );
    await expectThrow(
      () => store.create({ type: 'pc', name: 'A', data: { ...pc, armor_class: -11 } }),
      UsageError,
      /data\.armor_class/,
    );
    await expectThrow(
      () => store.create({ type: 'pc', name: 'A', data: { ...pc, level: 0 } }),
      UsageError,
      /data\.level/,
    );
  });

  it('lets dungeon content pass through but checks known fields', async () => {
    const d = await store.create({
      type: 'dungeon',
      name: 'Keep',
      data: { level: 3, rooms: [{ n: 1, monsters: ['orc'] }], extra: { a: 1 } },
    });
    expect(d.data['extra']).toEqual({ a: 1 });
    await expectThrow(
      () => store.create({ type: 'dungeon', name: 'K', data: { level: 'three' } }),
      UsageError,
      /data\.level/,
    );
  });

  it('lists by name case-insensitively, filters by type, pages', async () => {
    await store.createMany([
      npc('bob'),
      npc('Alice'),
      { type: 'note', name: 'Carl', data: { text: 'x' } },
    ]);
    expect((await store.list()).map((e) => e.name)).toEqual(['Alice', 'bob', 'Carl']);
    expect((await store.list({ type: 'npc' })).map((e) => e.name)).toEqual(['Alice', 'bob']);
    expect((await store.list({ limit: 1, offset: 1 })).map((e) => e.name)).toEqual(['bob']);
    expect(await store.count({ type: 'note' })).toBe(1);
    await expectThrow(() => store.list({ limit: 0 }), UsageError);
    await expectThrow(
      () => store.list({ type: 'dragon' as never }),
      UsageError,
      /unknown entity type "dragon"/,
    );
  });

  it('createMany is all or nothing and names the bad index', async () => {
    await expectThrow(
      () => store.createMany([npc('a'), npc('b'), npc('c', { level: 21 })]),
      UsageError,
      /^entities\[2\]: data\.level/,
    );
    expect(await store.count()).toBe(0);
  });

  it('get on a missing id is NotFoundError (exit 4)', async () => {
    expect(
      (await expectThrow(() => store.get('00000000-0000-4000-8000-000000000000'), NotFoundError))
        .exitCode,
    ).toBe(4);
  });
});

describe('resolve', () => {
  it('finds by id or by name, case-insensitively', async () => {
    const e = await store.create(npc('Elara'));
    expect((await store.resolve(e.id)).id).toBe(e.id);
    expect((await store.resolve(e.id.toUpperCase())).id).toBe(e.id);
    expect((await store.resolve('eLaRa')).id).toBe(e.id);
  });

  it('an ambiguous name lists the candidate ids', async () => {
    const a = await store.create(npc('Bob'));
    const b = await store.create({ type: 'note', name: 'bob', data: { text: 'x' } });
    const err = await expectThrow(() => store.resolve('BOB'), UsageError);
    expect(err.message).toContain(a.id);
    expect(err.message).toContain(b.id);
    expect((await store.resolve('bob', { type: 'note' })).id).toBe(b.id);
  });

  it('a missing name is NotFoundError', async () => {
    await expectThrow(() => store.resolve('nobody'), NotFoundError, /nobody/);
  });
});

describe('update', () => {
  it('bumps the version and refuses a stale one', async () => {
    const e = await store.create(npc('Elara'));
    const u = await store.update(e.id, { data: { class: 'mage', level: 7 } }, { expectVersion: 1 });
    expect(u.version).toBe(2);
    expect((await store.get(e.id)).data).toEqual({ class: 'mage', level: 7 });
    const err = await expectThrow(
      () => store.update(e.id, { name: 'E2' }, { expectVersion: 1 }),
      ConflictError,
      /version 2, not 1/,
    );
    expect(err.exitCode).toBe(5);
    expect((await store.get(e.id)).name).toBe('Elara');
  });

  it('validates, supports dry run, and reports a missing id', async () => {
    const e = await store.create(npc('Elara'));
    await expectThrow(
      () => store.update(e.id, { data: { class: 'mage', level: 99 } }),
      UsageError,
      /data\.level/,
    );
    expect((await store.update(e.id, { name: 'Renamed' }, { dryRun: true })).name).toBe('Renamed');
    expect(await store.get(e.id)).toMatchObject({ name: 'Elara', version: 1 });
    await expectThrow(
      () => store.update('00000000-0000-4000-8000-000000000000', { name: 'x' }),
      NotFoundError,
    );
    await expectThrow(() => store.update(e.id, {}), UsageError, /nothing to update/);
  });
});

describe('search', () => {
  it('ranks name matches first and searches the text of data', async () => {
    const tower = await store.create({
      type: 'location',
      name: 'Black Tower',
      data: { description: 'a ruin' },
    });
    const elara = await store.create(
      npc('Elara', { description: 'she lives near the tower', personality: 'grumpy' }),
    );
    await store.create(npc('Unrelated', { description: 'farmer' }));
    expect((await store.search('tower')).map((h) => h.id)).toEqual([tower.id, elara.id]);
    expect((await store.search('GRUMP')).map((h) => h.id)).toEqual([elara.id]);
    expect((await store.search('tower', { type: 'npc' })).map((h) => h.id)).toEqual([elara.id]);
  });

  it('does not index roll logs or generator names', async () => {
    await store.create(
      npc('Rolled', {
        roll_log: [{ step: 'strength', dice: '3d6', rolls: [1, 2, 3], result: 6 }],
        generator: { name: 'dma-npc', version: '0.1.0' },
      }),
    );
    expect(await store.search('strength')).toEqual([]);
    expect(await store.search('dma')).toEqual([]);
  });

  it('plain words with FTS operators never fail; raw syntax errors are UsageError', async () => {
    await store.create(npc('Elara'));
    expect((await store.search('elara AND "(" NEAR(*')).length).toBe(0);
    expect((await store.search('elara)')).map((h) => h.name)).toEqual(['Elara']);
    await expectThrow(
      () => store.search('elara AND (', { raw: true }),
      UsageError,
      /bad search query/,
    );
    await expectThrow(() => store.search('  "" '), UsageError);
  });

  it('follows updates and deletes', async () => {
    const e = await store.create(npc('Elara', { description: 'old text' }));
    await store.update(e.id, { data: { class: 'mage', level: 1, description: 'new words' } });
    expect(await store.search('old')).toEqual([]);
    expect((await store.search('words')).length).toBe(1);
    await store.delete(e.id);
    expect(await store.search('words')).toEqual([]);
    expect((await store.check()).ok).toBe(true);
  });
});

describe('relationships and graph', () => {
  it('links, re-links idempotently, and cascades on delete', async () => {
    const a = await store.create(npc('A'));
    const b = await store.create(npc('B'));
    const r1 = await store.link(a.id, b.id, { type: 'ally', strength: 0.5 });
    const r2 = await store.link(a.id, b.id, { type: 'ally', strength: -0.2 });
    expect(r2.id).toBe(r1.id);
    expect(await store.relationships(b.id)).toEqual([{ ...r1, strength: -0.2 }]);
    await expectThrow(
      () => store.link(a.id, b.id, { type: 'ally', strength: 1.5 }),
      UsageError,
      /strength/,
    );
    await expectThrow(() => store.link(a.id, a.id, { type: 'self' }), UsageError);
    await expectThrow(
      () => store.link(a.id, '00000000-0000-4000-8000-000000000000', { type: 'x' }),
      NotFoundError,
    );
    await store.link(b.id, a.id, { type: 'owes' });
    expect(await store.unlink(b.id, a.id, { type: 'ally' })).toBe(0);
    expect(await store.unlink(b.id, a.id, { dryRun: true })).toBe(1);
    expect(await store.unlink(b.id, a.id)).toBe(1);
    expect((await store.delete(a.id)).relationships_removed).toBe(1);
    expect((await store.info()).relationships).toBe(0);
    expect((await store.check()).foreign_keys).toEqual([]);
  });

  it('walks both directions to depth N with paths, terminating on cycles', async () => {
    const [a, b, c, d, e] = await store.createMany(['A', 'B', 'C', 'D', 'E'].map((n) => npc(n)));
    await store.link(a!.id, b!.id, { type: 'knows' });
    await store.link(c!.id, b!.id, { type: 'serves' }); // walked backwards from b
    await store.link(c!.id, a!.id, { type: 'hates' }); // cycle a-b-c-a
    await store.link(c!.id, d!.id, { type: 'owns' });
    await store.link(d!.id, e!.id, { type: 'guards' });

    const one = await store.related(a!.id, { depth: 1 });
    expect(one.map((r) => [r.name, r.depth, r.path_types])).toEqual([
      ['B', 1, ['knows']],
      ['C', 1, ['<hates']],
    ]);
    const three = await store.related(a!.id, { depth: 3 });
    expect(three.map((r) => r.name)).toEqual(['B', 'C', 'D', 'E']);
    const eRow = three.find((r) => r.name === 'E')!;
    expect(eRow.depth).toBe(3);
    expect(eRow.path_ids).toEqual([a!.id, c!.id, d!.id, e!.id]);
    expect(eRow.path_types).toEqual(['<hates', 'owns', 'guards']);
    expect(three.some((r) => r.id === a!.id)).toBe(false);
    await expectThrow(() => store.related(a!.id, { depth: 0 }), UsageError);
    await expectThrow(() => store.related('00000000-0000-4000-8000-000000000000'), NotFoundError);
  });

  it('stays fast on a dense cyclic graph at the maximum depth', async () => {
    // 40 entities all related to each other: ~10^9 simple paths of length 6, 1,560 relationships
    const ids = (await store.createMany(Array.from({ length: 40 }, (_, i) => npc(`N${i}`)))).map(
      (e) => e.id,
    );
    for (const x of ids)
      for (const y of ids) if (x !== y) await store.link(x, y, { type: 'knows' });
    // and a tail hanging off the clique, to see depths beyond 1
    const [t1, t2] = await store.createMany([npc('Tail1'), npc('Tail2')]);
    await store.link(ids[5]!, t1!.id, { type: 'owns' });
    await store.link(t2!.id, t1!.id, { type: 'guards' });
    const t0 = performance.now();
    const r = await store.related(ids[0]!, { depth: 6 });
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(r).toHaveLength(41);
    expect(r.filter((x) => x.depth === 1)).toHaveLength(39);
    const tail2 = r.find((x) => x.id === t2!.id)!;
    expect(tail2.depth).toBe(3);
    expect(tail2.path_types).toEqual(['knows', 'owns', '<guards']);
    expect(tail2.path_ids).toEqual([ids[0], ids[5], t1!.id, t2!.id]);
  });
});

describe('read mode and info/check', () => {
  it('a read-mode store on a missing file is empty, creates nothing and refuses writes', async () => {
    const path = join(dir, 'sub', 'none.db');
    const r = await openStore({ path, mode: 'read' });
    expect(await r.list()).toEqual([]);
    expect(await r.search('anything')).toEqual([]);
    expect(await r.info()).toMatchObject({ exists: false, entities: 0, size_bytes: 0 });
    await expectThrow(() => r.create(npc('x')), DmaError, /read-only/);
    r.close();
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'sub'))).toBe(false);
  });

  it('info counts by type; check passes', async () => {
    await store.createMany([
      npc('a'),
      npc('b'),
      { type: 'item', name: 'Sword', data: { magical: true } },
    ]);
    expect(await store.info()).toMatchObject({
      schema_version: SCHEMA_VERSION,
      entities: 3,
      counts: { npc: 2, item: 1 },
      relationships: 0,
    });
    expect(await store.check()).toEqual({
      ok: true,
      integrity: ['ok'],
      foreign_keys: [],
      fts: 'ok',
    });
  });

  it('check() notices a search index out of step and reindex() repairs it', async () => {
    const e = await store.create(npc('Elara', { description: 'wizard' }));
    const raw = new Database(join(dir, 'campaign.db'));
    raw
      .prepare('DELETE FROM entities_fts WHERE rowid = (SELECT seq FROM entities WHERE id = ?)')
      .run(e.id);
    raw.close();
    expect(await store.search('wizard')).toEqual([]);
    expect(await store.check()).toMatchObject({
      ok: false,
      fts: expect.stringMatching(/1 entities unindexed/),
    });
    expect(await store.reindex()).toBe(1);
    expect((await store.check()).ok).toBe(true);
    expect((await store.search('wizard')).map((h) => h.id)).toEqual([e.id]);
  });
});

describe('formatStrength', () => {
  it('writes exceptional strength the way the PHB does', async () => {
    const { formatStrength } = await import('../../src/contracts/entities.ts');
    expect(formatStrength({ str: 18, str_exceptional: 76 })).toBe('18/76');
    expect(formatStrength({ str: 18, str_exceptional: 100 })).toBe('18/00');
    expect(formatStrength({ str: 18, str_exceptional: 5 })).toBe('18/05');
    expect(formatStrength({ str: 17 })).toBe('17');
  });
});

describe('batchWrites', () => {
  const countFromOutside = () => {
    const other = new Database(join(dir, 'campaign.db'), { readonly: true });
    try {
      return (other.prepare('SELECT count(*) AS n FROM entities').get() as { n: number }).n;
    } finally {
      other.close();
    }
  };

  it('commits the writes of an async function together, when it ends', async () => {
    const seen: number[] = [];
    await store.batchWrites(async () => {
      await store.create(npc('Elara'));
      await new Promise((r) => setTimeout(r, 1));
      await store.create(npc('Brom'));
      seen.push(countFromOutside());
    });
    expect(seen).toEqual([0]);
    expect(countFromOutside()).toBe(2);
  });

  it('keeps what was completed when the function throws, and rethrows', async () => {
    await expect(
      store.batchWrites(async () => {
        await store.create(npc('Elara'));
        await expectThrow(() => store.create({ type: 'npc', name: '', data: {} }), UsageError);
        throw new Error('handler crashed');
      }),
    ).rejects.toThrow('handler crashed');
    expect(countFromOutside()).toBe(1);
    // the connection is usable afterwards (no transaction left open)
    await store.create(npc('Brom'));
    expect(countFromOutside()).toBe(2);
  });

  it('runs inline when a transaction is already open', async () => {
    const r = await store.batchWrites(() => store.batchWrites(async () => store.create(npc('A'))));
    expect(r.name).toBe('A');
    expect(countFromOutside()).toBe(1);
  });

  it('is refused on a read-only store', async () => {
    const ro = await openStore({ path: join(dir, 'campaign.db'), mode: 'read' });
    await expect(ro.batchWrites(async () => 1)).rejects.toThrow(/read-only/);
    ro.close();
  });
});
