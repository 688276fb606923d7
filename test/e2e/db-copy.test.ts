/**
 * `dma db info` names the engine; `dma db copy` moves a campaign between SQLite and
 * PostgreSQL (the built binary, scratch files and a scratch schema dropped after):
 * a round trip gives an identical export, a non-empty target is refused, a bad record
 * leaves the target empty.
 */
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';
import { dropSchema, PG_URL, pgUnreachable, scratchSchema } from '../helpers/pg.ts';

const why = await pgUnreachable('e2e db copy (PostgreSQL cases)');
const schemas = [scratchSchema(), scratchSchema(), scratchSchema()];

/** The export without its timestamp line, to compare two campaigns. */
async function exported(db: string, env: Record<string, string>, campaign?: string) {
  const r = await dma(
    ['entity', 'export', '--db', db, ...(campaign ? ['--campaign', campaign] : [])],
    { env },
  );
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout.replace(/"exported_at": "[^"]*"/, '');
}

describe('dma db copy (e2e)', () => {
  const env = scratchEnv();
  const home = env['HOME']!;
  const a = join(home, 'a.db');

  beforeAll(async () => {
    for (const args of [
      ['npc', 'create', '--count', '3', '--seed', '1'],
      ['dungeon', 'gen', '--size', 'small', '--seed', '2'],
    ]) {
      const r = await dma([...args, '--db', a], { env });
      expect(r.exitCode, r.stderr).toBe(0);
    }
  });

  afterAll(async () => {
    if (why === undefined) for (const s of schemas) await dropSchema(s);
  });

  it('db info names the engine and the file', async () => {
    const r = await dma(['db', 'info', '--db', a], { env });
    expect(r.stdout).toMatch(/^engine: sqlite$/m);
    const j = JSON.parse((await dma(['db', 'info', '--db', a, '--json'], { env })).stdout);
    expect(j).toMatchObject({ engine: 'sqlite', path: a, entities: 10 });
    expect(j.schema).toBeUndefined();
  });

  it('sqlite -> sqlite copies, then is idempotent; a different target is refused (exit 5)', async () => {
    const b = join(home, 'b.db');
    const r = await dma(['db', 'copy', a, b, '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      entities: 10,
      relationships: 6,
      written: true,
      engines: 'sqlite->sqlite',
    });
    expect(await exported(b, env)).toBe(await exported(a, env));
    const again = await dma(['db', 'copy', a, b, '--json'], { env });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout).written).toBe(false);
    await dma(['npc', 'create', '--seed', '9', '--db', b], { env });
    const refused = await dma(['db', 'copy', a, b], { env });
    expect(refused.exitCode).toBe(5);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toMatch(/already holds 11 entities/);
  });

  it('refuses a missing source (4) and the same campaign twice (3)', async () => {
    const missing = await dma(['db', 'copy', join(home, 'none.db'), join(home, 'x.db')], { env });
    expect(missing.exitCode).toBe(4);
    const same = await dma(['db', 'copy', a, a], { env });
    expect(same.exitCode).toBe(3);
  });

  it('a bad record in the source copies nothing (sqlite -> sqlite)', async () => {
    const bad = join(home, 'bad.db');
    await dma(['db', 'copy', a, bad], { env });
    const db = new Database(bad);
    // the last entity exported: every other record is written before it fails
    db.prepare(
      "UPDATE entities SET data = json_set(data, '$.level', 'lots') WHERE seq = (SELECT max(seq) FROM entities WHERE type = 'npc')",
    ).run();
    db.close();
    const c = join(home, 'c.db');
    const r = await dma(['db', 'copy', bad, c], { env });
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/^dma: entities\[2\].*data\.level/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    // the file the failed copy created is gone again
    const info = JSON.parse((await dma(['db', 'info', '--db', c, '--json'], { env })).stdout);
    expect(info).toMatchObject({ exists: false, entities: 0 });
  });

  it('--dry-run reads and checks everything and writes nothing', async () => {
    const d = join(home, 'd.db');
    const r = await dma(['db', 'copy', a, d, '--dry-run', '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ to: d, entities: 10, written: false });
    expect(existsSync(d)).toBe(false);
  });

  describe.skipIf(why !== undefined)('with PostgreSQL', () => {
    it('sqlite -> postgresql -> sqlite gives an identical export', async () => {
      const [s] = schemas;
      const up = await dma(['db', 'copy', a, PG_URL, '--to-campaign', s!, '--json'], { env });
      expect(up.exitCode, up.stderr).toBe(0);
      expect(JSON.parse(up.stdout)).toMatchObject({
        engines: 'sqlite->postgresql',
        entities: 10,
        relationships: 6,
        written: true,
      });
      const info = JSON.parse(
        (await dma(['db', 'info', '--db', PG_URL, '--campaign', s!, '--json'], { env })).stdout,
      );
      expect(info).toMatchObject({ engine: 'postgresql', schema: s, entities: 10 });
      const back = join(home, 'back.db');
      // --campaign serves a postgres side without its own --from-campaign
      const down = await dma(['db', 'copy', PG_URL, back, '--campaign', s!], { env });
      expect(down.exitCode, down.stderr).toBe(0);
      expect(down.stdout).toMatch(/^copied 10 entities and 6 relationships .*postgresql->sqlite/);
      expect(await exported(back, env)).toBe(await exported(a, env));
      expect(await exported(PG_URL, env, s)).toBe(await exported(a, env));
    });

    it('postgresql -> postgresql; a non-empty target is refused; a bad record leaves it empty', async () => {
      const [s, t, u] = schemas;
      const pp = await dma(
        ['db', 'copy', PG_URL, PG_URL, '--from-campaign', s!, '--to-campaign', t!],
        { env },
      );
      expect(pp.exitCode, pp.stderr).toBe(0);
      const extra = await dma(
        [
          'entity',
          'create',
          '--type',
          'npc',
          '--name',
          'Extra',
          '--data',
          '{"class":"mage","level":1}',
          '--db',
          PG_URL,
          '--campaign',
          t!,
        ],
        { env },
      );
      expect(extra.exitCode, extra.stderr).toBe(0);
      const refused = await dma(['db', 'copy', a, PG_URL, '--to-campaign', t!], { env });
      expect(refused.exitCode).toBe(5);
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);

      const bad = join(home, 'bad.db');
      const r = await dma(['db', 'copy', bad, PG_URL, '--to-campaign', u!], { env });
      expect(r.exitCode).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      const info = JSON.parse(
        (await dma(['db', 'info', '--db', PG_URL, '--campaign', u!, '--json'], { env })).stdout,
      );
      expect(info.entities).toBe(0);
      expect(info.relationships).toBe(0);
    });
  });
});
