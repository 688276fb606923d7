/**
 * The real binary on a postgres:// DMA_DB (its own campaign schema, dropped after): the
 * same commands and output as on SQLite, a stale update exits 5, and 8 concurrent writer
 * processes lose nothing. Skipped with a message without a server (unless DMA_TEST_PG_URL
 * is set, as in CI: then an unreachable server fails).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';
import { dropSchema, PG_URL, pgUnreachable, scratchSchema } from '../helpers/pg.ts';

const schema = scratchSchema();
const why = await pgUnreachable('e2e postgres');

const env = () => scratchEnv({ DMA_DB: PG_URL, DMA_CAMPAIGN: schema });

describe.skipIf(why !== undefined)('dma on PostgreSQL (e2e)', () => {
  afterAll(() => dropSchema(schema));

  it('creates, searches, shows and exports like on SQLite; a stale update exits 5', async () => {
    const made = await dma(
      [
        'entity',
        'create',
        '--type',
        'npc',
        '--name',
        'Elara',
        '--data',
        '{"class":"mage","level":7}',
        '--json',
      ],
      { env: env() },
    );
    expect(made.exitCode, made.stderr).toBe(0);
    const id = (JSON.parse(made.stdout) as { entity: { id: string } }).entity.id;
    const found = await dma(['entity', 'search', 'ela', '--json'], { env: env() });
    expect(JSON.parse(found.stdout).entities.map((e: { id: string }) => e.id)).toEqual([id]);
    const up = await dma(['entity', 'update', id, '--name', 'Elara II', '--expect-version', '1'], {
      env: env(),
    });
    expect(up.exitCode, up.stderr).toBe(0);
    const stale = await dma(['entity', 'update', id, '--name', 'Lost', '--expect-version', '1'], {
      env: env(),
    });
    expect(stale.exitCode).toBe(5);
    expect(stale.stderr).toMatch(/version 2, not 1/);
    const info = await dma(['db', 'info'], { env: env() });
    expect(info.stdout).toContain(`#${schema}`);
    expect(info.stdout).toMatch(/^engine: postgresql$/m);
    const infoJson = JSON.parse((await dma(['db', 'info', '--json'], { env: env() })).stdout);
    expect(infoJson).toMatchObject({ engine: 'postgresql', schema });
    const exported = await dma(['entity', 'export', '--format', 'ndjson'], { env: env() });
    expect(exported.stdout).toContain('"name":"Elara II"');
  });

  it('runs the agents without DMA_BUS (a scratch bus in process); queueing needs Redis', async () => {
    const made = await dma(['npc', 'create', '--seed', '4', '--count', '2', '--json'], {
      env: env(),
    });
    expect(made.exitCode, made.stderr).toBe(0);
    const ids = (JSON.parse(made.stdout) as { npcs: { entity_id: string }[] }).npcs.map(
      (n) => n.entity_id,
    );
    expect(ids).toHaveLength(2);
    const asked = await dma(['ask', 'Create a level 3 cleric NPC named Bren', '--json'], {
      env: env(),
    });
    expect(asked.exitCode, asked.stderr).toBe(0);
    const listed = await dma(['entity', 'list', '--type', 'npc', '--json'], { env: env() });
    const names = (JSON.parse(listed.stdout) as { entities: { id: string; name: string }[] })
      .entities;
    expect(names.map((e) => e.name)).toContain('Bren');
    for (const id of ids) expect(names.map((e) => e.id)).toContain(id);
    const queued = await dma(['npc', 'create', '--queue'], { env: env() });
    expect(queued.exitCode).toBe(3);
    expect(queued.stderr).toMatch(/DMA_BUS=redis/);
  });

  it('8 concurrent writer processes lose nothing', async () => {
    const runs = await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        dma(
          [
            'entity',
            'create',
            '--type',
            'note',
            '--name',
            `Note ${i}`,
            '--data',
            '{"text":"x"}',
            '-q',
          ],
          { env: env() },
        ),
      ),
    );
    for (const r of runs) expect(r.exitCode, r.stderr).toBe(0);
    const list = await dma(['entity', 'list', '--type', 'note', '--json'], { env: env() });
    expect(JSON.parse(list.stdout).total).toBe(8);
  });

  it('an unreachable server is one line, exit 1', async () => {
    const r = await dma(['entity', 'list'], {
      env: scratchEnv({ DMA_DB: 'postgres://root@127.0.0.1:1/test' }),
    });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/^dma: cannot reach PostgreSQL at 127\.0\.0\.1:1/);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });
});
