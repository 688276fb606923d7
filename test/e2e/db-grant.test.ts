/**
 * `dma db grant --read-only ROLE` on the real PostgreSQL (a scratch schema and roles,
 * dropped after): the role reads the campaign, its write is refused (exit 3, no stack
 * trace), a second grant changes nothing; an SQLite campaign is refused (exit 3).
 */
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';
import { dropSchema, PG_URL, pgExec, pgUnreachable, scratchSchema } from '../helpers/pg.ts';

const why = await pgUnreachable('e2e db grant');
const schema = scratchSchema();
const reader = `dma_test_reader_${randomBytes(4).toString('hex')}`;
const fresh = `dma_test_fresh_${randomBytes(4).toString('hex')}`;

/** The URL as another role (trust auth: the role needs LOGIN). */
const as = (role: string) => {
  const u = new URL(PG_URL);
  u.username = role;
  u.password = '';
  return u.toString();
};

describe('dma db grant --read-only (e2e)', () => {
  it('refuses an SQLite campaign and a grant without --read-only (exit 3, one line)', async () => {
    const env = scratchEnv();
    for (const args of [
      ['db', 'grant', '--read-only', 'players'],
      ['db', 'grant', 'players', '--db', PG_URL],
    ]) {
      const r = await dma(args, { env });
      expect(r.exitCode).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
    }
    // nothing was created for the SQLite refusal
    const info = JSON.parse((await dma(['db', 'info', '--json'], { env })).stdout);
    expect(info.exists).toBe(false);
  });

  describe.skipIf(why !== undefined)('on PostgreSQL', () => {
    afterAll(async () => {
      await dropSchema(schema);
      for (const role of [reader, fresh])
        await pgExec(
          `DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN EXECUTE 'DROP OWNED BY ${role}'; EXECUTE 'DROP ROLE ${role}'; END IF; END $$`,
        );
    });

    it('the role reads, its write exits 3 in one line, and granting again changes nothing', async () => {
      const env = scratchEnv({ DMA_DB: PG_URL, DMA_CAMPAIGN: schema });
      const made = await dma(
        [
          'entity',
          'create',
          '--type',
          'npc',
          '--name',
          'Elara',
          '--data',
          '{"class":"mage","level":3}',
        ],
        { env },
      );
      expect(made.exitCode, made.stderr).toBe(0);
      await pgExec(`CREATE ROLE ${reader} WITH LOGIN`);

      const g = await dma(['db', 'grant', '--read-only', reader, '--json'], { env });
      expect(g.exitCode, g.stderr).toBe(0);
      expect(JSON.parse(g.stdout)).toMatchObject({ role: reader, schema, created: false });
      const again = await dma(['db', 'grant', '--read-only', reader], { env });
      expect(again.exitCode, again.stderr).toBe(0);

      const readerEnv = scratchEnv({ DMA_DB: as(reader), DMA_CAMPAIGN: schema });
      const read = await dma(['entity', 'search', 'elara', '--json'], { env: readerEnv });
      expect(read.exitCode, read.stderr).toBe(0);
      expect(JSON.parse(read.stdout).entities).toHaveLength(1);

      const write = await dma(
        [
          'entity',
          'create',
          '--type',
          'npc',
          '--name',
          'Intruder',
          '--data',
          '{"class":"thief","level":1}',
        ],
        { env: readerEnv },
      );
      expect(write.exitCode).toBe(3);
      const lines = write.stderr.trim().split('\n');
      expect(lines[0]).toMatch(/^dma: permission denied/);
      // the error line and at most its hint line, never a stack trace
      expect(lines.length).toBeLessThanOrEqual(2);
      expect(write.stderr).not.toMatch(/\n\s+at /);
      const count = await dma(['entity', 'list', '--json'], { env });
      expect(JSON.parse(count.stdout).entities).toHaveLength(1);
    });

    it('refuses a bad role name before opening the campaign (exit 3, no schema created)', async () => {
      const other = `${schema}_x`;
      const env = scratchEnv({ DMA_DB: PG_URL, DMA_CAMPAIGN: other });
      const r = await dma(['db', 'grant', '--read-only', 'Bad"Name'], { env });
      expect(r.exitCode).toBe(3);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      const info = JSON.parse((await dma(['db', 'info', '--json'], { env })).stdout);
      expect(info.exists).toBe(false);
    });

    it('creates a missing role NOLOGIN; a table created later is readable too', async () => {
      const env = scratchEnv({ DMA_DB: PG_URL, DMA_CAMPAIGN: schema });
      const g = await dma(['db', 'grant', '--read-only', fresh, '--json'], { env });
      expect(g.exitCode, g.stderr).toBe(0);
      expect(JSON.parse(g.stdout).created).toBe(true);
      const pg = (await import('pg')).default;
      const c = new pg.Client({ connectionString: PG_URL });
      await c.connect();
      try {
        const r = await c.query('SELECT rolcanlogin FROM pg_roles WHERE rolname = $1', [fresh]);
        expect(r.rows).toEqual([{ rolcanlogin: false }]);
        await c.query(`CREATE TABLE ${schema}.later (x int)`);
        const p = await c.query(`SELECT has_table_privilege($1, $2, 'SELECT') AS ok`, [
          fresh,
          `${schema}.later`,
        ]);
        expect(p.rows[0].ok).toBe(true);
      } finally {
        await c.end();
      }
    });
  });
});
