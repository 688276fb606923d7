import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, UsageError } from '../../src/core/errors.ts';
import type { ExportDocument } from '../../src/contracts/entity-types.ts';
import { exportedEntityJson } from '../../src/store/records.ts';
import { documentRecords } from '../../src/store/transfer.ts';
import {
  openStore,
  parseImportText,
  toFtsQuery,
  type CampaignStore,
} from '../../src/store/index.ts';

let dir: string;
let source: CampaignStore;
let target: CampaignStore;
let doc: ExportDocument;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'dma-import-'));
  source = await openStore({ path: join(dir, 'source.db') });
  target = await openStore({ path: join(dir, 'target.db') });
  const [elara, tower] = await source.createMany([
    { type: 'npc', name: 'Elara', data: { class: 'mage', level: 7, description: 'elven wizard' } },
    { type: 'location', name: 'Tower', data: { description: 'tall' } },
    { type: 'note', name: 'Rumour', data: { text: 'the tower hides a dragon' } },
  ]);
  await source.link(elara!.id, tower!.id, { type: 'lives_in', strength: 0.9 });
  doc = await source.export();
});
afterEach(() => {
  source.close();
  target.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A snapshot of everything in a store, to prove "unchanged". */
const snapshot = async (s: CampaignStore) =>
  JSON.stringify({ ...(await s.export()), exported_at: null });
const clone = <T>(x: T): T => structuredClone(x);

async function thrown(fn: () => unknown): Promise<Error> {
  try {
    await fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('a stream import into an empty campaign (indexes built after the load)', () => {
  const schema = (path: string) => {
    const db = new Database(path, { readonly: true });
    try {
      return db
        .prepare(
          'SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name',
        )
        .all();
    } finally {
      db.close();
    }
  };
  const targetPath = () => join(dir, 'target.db');

  it('ends with the same schema and indexes that answer lookups by name', async () => {
    const before = schema(targetPath());
    expect(before.some((r) => (r as { name: string }).name === 'entities_type_name')).toBe(true);
    const result = await target.importStream(documentRecords(clone(doc)));
    expect(result.entities.created).toBe(3);
    expect(schema(targetPath())).toEqual(before);
    expect((await target.resolve('elara')).name).toBe('Elara');
    expect((await target.list({ type: 'location' })).map((e) => e.name)).toEqual(['Tower']);
    expect((await target.search('dragon')).map((h) => h.name)).toEqual(['Rumour']);
    expect(await snapshot(target)).toBe(await snapshot(source));
  });

  it('a dry run or a failed import leaves the indexes as they were, and nothing written', async () => {
    const before = schema(targetPath());
    await target.importStream(documentRecords(clone(doc)), { dryRun: true });
    expect(schema(targetPath())).toEqual(before);
    const bad = clone(doc);
    (bad.entities[2]!.data as Record<string, unknown>)['text'] = 42;
    await expect(target.importStream(documentRecords(bad))).rejects.toBeInstanceOf(UsageError);
    expect(schema(targetPath())).toEqual(before);
    expect(await target.count()).toBe(0);
    // and a later import still builds them
    await target.importStream(documentRecords(clone(doc)));
    expect(schema(targetPath())).toEqual(before);
    expect((await target.resolve('TOWER')).type).toBe('location');
  });

  it('into a campaign that holds entities, the indexes are kept as they are', async () => {
    await target.create({ type: 'note', name: 'Already here', data: { text: 'x' } });
    const before = schema(targetPath());
    await target.importStream(documentRecords(clone(doc)));
    expect(schema(targetPath())).toEqual(before);
    expect(await target.count()).toBe(4);
  });
});

describe('export records', () => {
  it("are exportedEntityJson's text for any name and version (SQLite writes the JSON)", async () => {
    const names = [
      'plain',
      'quote " back \\ slash / solidus',
      'controls \u0001\u0008\u0009\u000a\u000c\u000d\u001f\u007f end',
      'ünïcödé 🐉 \u2028\u2029 \ufeff',
      'lone \ud800 surrogate \udc00',
    ];
    const created = await target.createMany(
      names.map((name) => ({ type: 'note', name, data: { text: name } })),
    );
    const big = structuredClone(doc.entities[0]!);
    big.id = '00000000-0000-4000-8000-00000000000b';
    big.version = Number.MAX_SAFE_INTEGER;
    await target.import({ ...doc, entities: [big], relationships: [] });
    // beyond what an import accepts: only a hand-edited database holds such a version
    const raw = new Database(join(dir, 'target.db'));
    raw.prepare('UPDATE entities SET version = ? WHERE id = ?').run(2n ** 60n, created[0]!.id);
    raw.close();
    const json = [];
    for await (const r of target.exportRecords()) if (r.kind === 'entity') json.push(r.json);
    const expected = [];
    for (const { id } of [...created, big]) {
      const e = await target.get(id);
      expected.push(
        exportedEntityJson(
          e.id,
          e.type,
          e.name,
          JSON.stringify(e.data),
          e.version,
          e.created_at,
          e.updated_at,
        ),
      );
    }
    expect(json).toEqual(expected);
    expect(json.at(-1)).toContain(`"version":${Number.MAX_SAFE_INTEGER},`);
    expect(json[0]).toContain(`"version":${2 ** 60},`);
  });
});

describe('export / import round trip', () => {
  it('imports everything, and importing again changes nothing', async () => {
    expect(doc.schema_version).toBe('1.0');
    expect(doc.entities).toHaveLength(3);
    expect(doc.relationships).toHaveLength(1);
    const first = await target.import(doc);
    expect(first).toEqual({
      dry_run: false,
      entities: { created: 3, updated: 0, unchanged: 0 },
      relationships: { created: 1, unchanged: 0 },
    });
    const after = await snapshot(target);
    expect(JSON.parse(after).entities).toEqual(doc.entities);
    const second = await target.import(doc);
    expect(second.entities).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(second.relationships).toEqual({ created: 0, unchanged: 1 });
    expect(await snapshot(target)).toBe(after);
    expect((await target.search('dragon')).map((h) => h.name)).toEqual(['Rumour']);
  });

  it('survives a JSON text round trip with keys in another order', async () => {
    await target.import(doc);
    const reordered = clone(doc);
    reordered.entities[0]!.data = Object.fromEntries(
      Object.entries(reordered.entities[0]!.data).reverse(),
    );
    expect(
      (await target.import(parseImportText(JSON.stringify(reordered)))).entities.unchanged,
    ).toBe(3);
  });

  it('export by type keeps only relationships between exported entities', async () => {
    const npcs = await source.export({ type: 'npc' });
    expect(npcs.entities.map((e) => e.name)).toEqual(['Elara']);
    expect(npcs.relationships).toEqual([]);
  });

  it('dry run reports the counts and writes nothing', async () => {
    const before = await snapshot(target);
    expect(await target.import(doc, { dryRun: true })).toMatchObject({
      dry_run: true,
      entities: { created: 3 },
    });
    expect(await snapshot(target)).toBe(before);
  });

  it('reports progress for both phases', async () => {
    const seen: string[] = [];
    await target.import(doc, { onProgress: (p) => seen.push(`${p.phase}:${p.done}/${p.total}`) });
    expect(seen).toEqual(['validate:4/4', 'write:4/4']);
  });
});

describe('same id, different content', () => {
  it('a higher version replaces the stored entity', async () => {
    await target.import(doc);
    const newer = clone(doc);
    newer.entities[0]!.version = 2;
    newer.entities[0]!.name = 'Elara the Wise';
    expect((await target.import(newer)).entities).toEqual({ created: 0, updated: 1, unchanged: 2 });
    expect(await target.get(doc.entities[0]!.id)).toMatchObject({
      name: 'Elara the Wise',
      version: 2,
    });
    expect((await target.search('wise')).length).toBe(1);
  });

  it('the same or a lower version is a ConflictError and nothing is imported', async () => {
    const partial = clone(doc);
    partial.entities = partial.entities.slice(0, 1);
    partial.relationships = [];
    await target.import(partial);
    const before = await snapshot(target);
    const changed = clone(doc);
    changed.entities[0]!.name = 'Impostor';
    const err = await thrown(() => target.import(changed));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toContain(doc.entities[0]!.id);
    expect(await snapshot(target)).toBe(before);
  });

  it('a relationship id reused for other ends is a ConflictError', async () => {
    await target.import(doc);
    const changed = clone(doc);
    changed.relationships[0]!.strength = -1;
    expect(await thrown(() => target.import(changed))).toBeInstanceOf(ConflictError);
  });
});

describe('bad import files leave the database unchanged', () => {
  beforeEach(async () => {
    await target.create({ type: 'note', name: 'existing', data: { text: 'keep me' } });
  });

  const expectUsage = async (fn: () => unknown, message: RegExp) => {
    const before = await snapshot(target);
    const err = await thrown(fn);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(message);
    expect(await snapshot(target)).toBe(before);
  };

  it('invalid JSON', async () => {
    await expectUsage(
      () => target.import(parseImportText('{"schema_version": "1.0", entities: []}')),
      /not valid JSON/,
    );
  });

  it('a truncated file', async () => {
    const text = JSON.stringify(doc);
    await expectUsage(
      () => target.import(parseImportText(text.slice(0, text.length / 2))),
      /not valid JSON \(truncated\?\)/,
    );
  });

  it('a schema violation deep in a record names the record index, id and field path', async () => {
    const bad = clone(doc);
    const big = Array.from({ length: 500 }, (_, i) => ({
      ...clone(doc.entities[0]!),
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    }));
    big[417]!.data = {
      class: 'fighter',
      level: 5,
      abilities: { str: 18, dex: 9, con: 9, int: 9, wis: 9, cha: 30 },
    };
    bad.entities.push(...big);
    await expectUsage(
      () => target.import(bad),
      /^entities\[420\] \(id 00000000-0000-4000-8000-000000000417\): data\.abilities\.cha: must be <= 25$/,
    );
  });

  it('an unknown field in an npc', async () => {
    const bad = clone(doc);
    (bad.entities[0]!.data as Record<string, unknown>)['hitpoints'] = 5;
    await expectUsage(() => target.import(bad), /^entities\[0\] .*data: .*hitpoints/);
  });

  it('a bad envelope field, a duplicate id, an unknown type', async () => {
    const a = clone(doc);
    a.entities[1]!.version = 0;
    await expectUsage(() => target.import(a), /^entities\[1\] .*: version: /);
    const b = clone(doc);
    b.entities.push(clone(b.entities[0]!));
    await expectUsage(() => target.import(b), /^entities\[3\] .*id: appears twice/);
    const c = clone(doc) as unknown as { entities: { type: string }[] };
    c.entities[2]!.type = 'dragon';
    await expectUsage(() => target.import(c), /^entities\[2\] .*: type: /);
  });

  it('a relationship to an entity that exists nowhere', async () => {
    const bad = clone(doc);
    bad.relationships[0]!.target = '00000000-0000-4000-8000-000000000001';
    await expectUsage(() => target.import(bad), /^relationships\[0\] .*target: no entity/);
  });

  it('a document that is not an export document', async () => {
    await expectUsage(() => target.import([]), /import document/);
    await expectUsage(() => target.import({ ...doc, schema_version: '2.0' }), /schema_version/);
  });
});

describe('toFtsQuery', () => {
  it('quotes every word, makes the last one a prefix, drops punctuation-only words', () => {
    expect(toFtsQuery('the "old" wiz')).toBe('"the" """old""" "wiz"*');
    expect(toFtsQuery('  AND ( - ')).toBe('"AND"*');
    expect(toFtsQuery(' ( * ')).toBeUndefined();
  });
});
