import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';

async function json(args: string[], env: Record<string, string>) {
  const r = await dma([...args, '--json'], { env });
  expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return JSON.parse(r.stdout);
}

describe('dma entity / dma db (built binary, scratch database)', () => {
  it('creates, lists, shows, searches, links and walks relationships', async () => {
    const env = scratchEnv();
    const elara = (
      await json(
        [
          'entity',
          'create',
          '--type',
          'npc',
          '--name',
          'Elara',
          '--data',
          '{"class":"mage","level":7}',
        ],
        env,
      )
    ).entity;
    expect(elara).toMatchObject({ type: 'npc', name: 'Elara', version: 1 });
    await json(
      [
        'entity',
        'create',
        '--type',
        'location',
        '--name',
        'The Yawning Portal',
        '--data',
        '{"description":"a tavern over a dungeon"}',
      ],
      env,
    );
    const list = await json(['entity', 'list'], env);
    expect(list.entities.map((e: { name: string }) => e.name)).toEqual([
      'Elara',
      'The Yawning Portal',
    ]);
    expect((await json(['entity', 'list', '--type', 'npc'], env)).entities).toHaveLength(1);
    const shown = await json(['entity', 'show', 'elara'], env);
    expect(shown.entity.id).toBe(elara.id);
    const found = await json(['entity', 'search', 'tavern'], env);
    expect(found.entities[0].name).toBe('The Yawning Portal');
    await json(
      [
        'entity',
        'link',
        'Elara',
        'the yawning portal',
        '--type',
        'located-in',
        '--strength',
        '0.5',
      ],
      env,
    );
    const related = await json(['entity', 'related', 'Elara'], env);
    expect(related.entities[0]).toMatchObject({
      name: 'The Yawning Portal',
      depth: 1,
      path_types: ['located-in'],
    });
    const text = await dma(['entity', 'list'], { env });
    expect(text.stdout).toContain('Elara');
  });

  it('updates with optimistic concurrency: a stale --expect-version exits 5', async () => {
    const env = scratchEnv();
    await json(
      ['entity', 'create', '--type', 'note', '--name', 'Rumour', '--data', '{"text":"one"}'],
      env,
    );
    const v2 = await json(
      ['entity', 'update', 'Rumour', '--data', '{"text":"two"}', '--expect-version', '1'],
      env,
    );
    expect(v2.entity).toMatchObject({ version: 2, data: { text: 'two' } });
    const stale = await dma(
      ['entity', 'update', 'Rumour', '--data', '{"text":"three"}', '--expect-version', '1'],
      { env },
    );
    expect(stale.exitCode).toBe(5);
    expect((await json(['entity', 'show', 'Rumour'], env)).entity.data.text).toBe('two');
  });

  it('exits 3 on an ambiguous name, 4 on a missing one, 3 on a schema violation', async () => {
    const env = scratchEnv();
    await json(
      ['entity', 'create', '--type', 'note', '--name', 'Twin', '--data', '{"text":"t"}'],
      env,
    );
    await json(['entity', 'create', '--type', 'item', '--name', 'twin'], env);
    const amb = await dma(['entity', 'show', 'TWIN'], { env });
    expect(amb.exitCode).toBe(3);
    expect(amb.stderr).toMatch(/"TWIN" names 2 entities/);
    expect((await dma(['entity', 'show', 'nobody'], { env })).exitCode).toBe(4);
    const bad = await dma(
      ['entity', 'create', '--type', 'npc', '--name', 'X', '--data', '{"class":"mage","level":99}'],
      { env },
    );
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toMatch(/level/);
    const badJson = await dma(
      ['entity', 'create', '--type', 'npc', '--name', 'X', '--data', '{oops'],
      { env },
    );
    expect(badJson.exitCode).toBe(3);
  });

  it('dry runs write nothing; delete asks (refuses without a terminal) and --yes deletes', async () => {
    const env = scratchEnv();
    const dry = await json(
      [
        'entity',
        'create',
        '--type',
        'note',
        '--name',
        'Ghost',
        '--data',
        '{"text":"t"}',
        '--dry-run',
      ],
      env,
    );
    expect(dry.dry_run).toBe(true);
    expect((await json(['entity', 'list'], env)).entities).toEqual([]);
    await json(
      ['entity', 'create', '--type', 'note', '--name', 'Gone', '--data', '{"text":"t"}'],
      env,
    );
    const refused = await dma(['entity', 'delete', 'Gone'], { env });
    expect(refused.exitCode).toBe(3);
    expect(refused.stderr).toMatch(/--yes/);
    await json(['entity', 'delete', 'Gone', '--yes', '--dry-run'], env);
    expect((await json(['entity', 'list'], env)).entities).toHaveLength(1);
    await json(['entity', 'delete', 'Gone', '--yes'], env);
    expect((await json(['entity', 'list'], env)).entities).toEqual([]);
  });

  it('exports and imports idempotently; a bad import changes nothing', async () => {
    const env = scratchEnv();
    await json(
      ['entity', 'create', '--type', 'note', '--name', 'A', '--data', '{"text":"t"}'],
      env,
    );
    await json(['entity', 'create', '--type', 'faction', '--name', 'The Red Hand'], env);
    await json(['entity', 'link', 'A', 'The Red Hand', '--type', 'about'], env);
    const file = join(env['HOME']!, 'export.json');
    const out = await dma(['entity', 'export', '-o', file], { env });
    expect(out.exitCode).toBe(0);
    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.entities).toHaveLength(2);

    const other = scratchEnv();
    const first = await json(['entity', 'import', file], other);
    expect(first.entities.created).toBe(2);
    expect(first.relationships.created).toBe(1);
    const again = await json(['entity', 'import', file], other);
    expect(again.entities).toEqual({ created: 0, updated: 0, unchanged: 2 });

    doc.entities.push({
      ...doc.entities[0],
      id: '00000000-0000-4000-8000-000000000001',
      name: 'B',
      data: { text: 42 },
    });
    const badFile = join(env['HOME']!, 'bad.json');
    writeFileSync(badFile, JSON.stringify(doc));
    const bad = await dma(['entity', 'import', badFile], { env: other });
    expect(bad.exitCode).toBe(3);
    expect(bad.stderr).toMatch(/entities\[2\]/);
    writeFileSync(badFile, readFileSync(file, 'utf8').slice(0, 200));
    expect((await dma(['entity', 'import', badFile], { env: other })).exitCode).toBe(3);
    expect((await json(['entity', 'list'], other)).entities).toHaveLength(2);
    const viaStdin = await dma(['entity', 'import', '-', '--dry-run', '--json'], {
      env: other,
      input: readFileSync(file, 'utf8'),
    });
    expect(JSON.parse(viaStdin.stdout).dry_run).toBe(true);
  });

  it('reports and checks the database, and refuses a file that is not a dma database', async () => {
    const env = scratchEnv();
    const before = await json(['db', 'info'], env);
    expect(before.exists).toBe(false);
    await json(
      ['entity', 'create', '--type', 'note', '--name', 'A', '--data', '{"text":"t"}'],
      env,
    );
    const info = await json(['db', 'info'], env);
    expect(info).toMatchObject({ exists: true, entities: 1, counts: { note: 1 }, source: 'env' });
    expect((await json(['db', 'check'], env)).ok).toBe(true);
    const notDb = join(env['HOME']!, 'notes.txt');
    writeFileSync(notDb, 'my precious notes');
    const r = await dma(['entity', 'create', '--type', 'note', '--name', 'A', '--db', notDb], {
      env,
    });
    expect(r.exitCode).toBe(3);
    expect(readFileSync(notDb, 'utf8')).toBe('my precious notes');
    const doc = await dma(['doctor', '--db', notDb], { env });
    expect(doc.exitCode).toBe(1);
    expect(doc.stdout).toMatch(/database: .*not a dma database/);
  });
});
