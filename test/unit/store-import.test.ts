import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConflictError, UsageError } from '../../src/core/errors.ts';
import type { ExportDocument } from '../../src/contracts/entity-types.ts';
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
  const [elara, tower] = source.createMany([
    { type: 'npc', name: 'Elara', data: { class: 'mage', level: 7, description: 'elven wizard' } },
    { type: 'location', name: 'Tower', data: { description: 'tall' } },
    { type: 'note', name: 'Rumour', data: { text: 'the tower hides a dragon' } },
  ]);
  source.link(elara!.id, tower!.id, { type: 'lives_in', strength: 0.9 });
  doc = source.export();
});
afterEach(() => {
  source.close();
  target.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A snapshot of everything in a store, to prove "unchanged". */
const snapshot = (s: CampaignStore) => JSON.stringify({ ...s.export(), exported_at: null });
const clone = <T>(x: T): T => structuredClone(x);

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a throw');
}

describe('export / import round trip', () => {
  it('imports everything, and importing again changes nothing', () => {
    expect(doc.schema_version).toBe('1.0');
    expect(doc.entities).toHaveLength(3);
    expect(doc.relationships).toHaveLength(1);
    const first = target.import(doc);
    expect(first).toEqual({
      dry_run: false,
      entities: { created: 3, updated: 0, unchanged: 0 },
      relationships: { created: 1, unchanged: 0 },
    });
    const after = snapshot(target);
    expect(JSON.parse(after).entities).toEqual(doc.entities);
    const second = target.import(doc);
    expect(second.entities).toEqual({ created: 0, updated: 0, unchanged: 3 });
    expect(second.relationships).toEqual({ created: 0, unchanged: 1 });
    expect(snapshot(target)).toBe(after);
    expect(target.search('dragon').map((h) => h.name)).toEqual(['Rumour']);
  });

  it('survives a JSON text round trip with keys in another order', () => {
    target.import(doc);
    const reordered = clone(doc);
    reordered.entities[0]!.data = Object.fromEntries(
      Object.entries(reordered.entities[0]!.data).reverse(),
    );
    expect(target.import(parseImportText(JSON.stringify(reordered))).entities.unchanged).toBe(3);
  });

  it('export by type keeps only relationships between exported entities', () => {
    const npcs = source.export({ type: 'npc' });
    expect(npcs.entities.map((e) => e.name)).toEqual(['Elara']);
    expect(npcs.relationships).toEqual([]);
  });

  it('dry run reports the counts and writes nothing', () => {
    const before = snapshot(target);
    expect(target.import(doc, { dryRun: true })).toMatchObject({
      dry_run: true,
      entities: { created: 3 },
    });
    expect(snapshot(target)).toBe(before);
  });

  it('reports progress for both phases', () => {
    const seen: string[] = [];
    target.import(doc, { onProgress: (p) => seen.push(`${p.phase}:${p.done}/${p.total}`) });
    expect(seen).toEqual(['validate:4/4', 'write:4/4']);
  });
});

describe('same id, different content', () => {
  it('a higher version replaces the stored entity', () => {
    target.import(doc);
    const newer = clone(doc);
    newer.entities[0]!.version = 2;
    newer.entities[0]!.name = 'Elara the Wise';
    expect(target.import(newer).entities).toEqual({ created: 0, updated: 1, unchanged: 2 });
    expect(target.get(doc.entities[0]!.id)).toMatchObject({ name: 'Elara the Wise', version: 2 });
    expect(target.search('wise').length).toBe(1);
  });

  it('the same or a lower version is a ConflictError and nothing is imported', () => {
    const partial = clone(doc);
    partial.entities = partial.entities.slice(0, 1);
    partial.relationships = [];
    target.import(partial);
    const before = snapshot(target);
    const changed = clone(doc);
    changed.entities[0]!.name = 'Impostor';
    const err = thrown(() => target.import(changed));
    expect(err).toBeInstanceOf(ConflictError);
    expect(err.message).toContain(doc.entities[0]!.id);
    expect(snapshot(target)).toBe(before);
  });

  it('a relationship id reused for other ends is a ConflictError', () => {
    target.import(doc);
    const changed = clone(doc);
    changed.relationships[0]!.strength = -1;
    expect(thrown(() => target.import(changed))).toBeInstanceOf(ConflictError);
  });
});

describe('bad import files leave the database unchanged', () => {
  beforeEach(() => {
    target.create({ type: 'note', name: 'existing', data: { text: 'keep me' } });
  });

  const expectUsage = (fn: () => unknown, message: RegExp) => {
    const before = snapshot(target);
    const err = thrown(fn);
    expect(err).toBeInstanceOf(UsageError);
    expect(err.message).toMatch(message);
    expect(snapshot(target)).toBe(before);
  };

  it('invalid JSON', () => {
    expectUsage(
      () => target.import(parseImportText('{"schema_version": "1.0", entities: []}')),
      /not valid JSON/,
    );
  });

  it('a truncated file', () => {
    const text = JSON.stringify(doc);
    expectUsage(
      () => target.import(parseImportText(text.slice(0, text.length / 2))),
      /not valid JSON \(truncated\?\)/,
    );
  });

  it('a schema violation deep in a record names the record index, id and field path', () => {
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
    expectUsage(
      () => target.import(bad),
      /^entities\[420\] \(id 00000000-0000-4000-8000-000000000417\): data\.abilities\.cha: must be <= 25$/,
    );
  });

  it('an unknown field in an npc', () => {
    const bad = clone(doc);
    (bad.entities[0]!.data as Record<string, unknown>)['hitpoints'] = 5;
    expectUsage(() => target.import(bad), /^entities\[0\] .*data: .*hitpoints/);
  });

  it('a bad envelope field, a duplicate id, an unknown type', () => {
    const a = clone(doc);
    a.entities[1]!.version = 0;
    expectUsage(() => target.import(a), /^entities\[1\] .*: version: /);
    const b = clone(doc);
    b.entities.push(clone(b.entities[0]!));
    expectUsage(() => target.import(b), /^entities\[3\] .*id: appears twice/);
    const c = clone(doc) as unknown as { entities: { type: string }[] };
    c.entities[2]!.type = 'dragon';
    expectUsage(() => target.import(c), /^entities\[2\] .*: type: /);
  });

  it('a relationship to an entity that exists nowhere', () => {
    const bad = clone(doc);
    bad.relationships[0]!.target = '00000000-0000-4000-8000-000000000001';
    expectUsage(() => target.import(bad), /^relationships\[0\] .*target: no entity/);
  });

  it('a document that is not an export document', () => {
    expectUsage(() => target.import([]), /import document/);
    expectUsage(() => target.import({ ...doc, schema_version: '2.0' }), /schema_version/);
  });
});

describe('toFtsQuery', () => {
  it('quotes every word, makes the last one a prefix, drops punctuation-only words', () => {
    expect(toFtsQuery('the "old" wiz')).toBe('"the" """old""" "wiz"*');
    expect(toFtsQuery('  AND ( - ')).toBe('"AND"*');
    expect(toFtsQuery(' ( * ')).toBeUndefined();
  });
});
