/**
 * The engines a conformance suite runs against: SQLite (a temp file) and PostgreSQL (its own
 * schema dma_test_<random>, dropped afterwards). Without a reachable server and without
 * DMA_TEST_PG_URL the PostgreSQL run is skipped, saying why; with DMA_TEST_PG_URL set (CI)
 * an unreachable server fails the run.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreAt, type Store } from '../../src/store/index.ts';

export const PG_URL = process.env['DMA_TEST_PG_URL'] ?? 'postgres://root@127.0.0.1:5432/test';
export const clock = () => new Date('2024-05-01T12:00:00.000Z');

/** Why PostgreSQL cannot be reached, or undefined when it can. */
export async function pgReachable(): Promise<string | undefined> {
  try {
    const pg = (await import('pg')).default;
    const c = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
    await c.connect();
    await c.end();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export interface Engine {
  name: string;
  skip: boolean;
  /** the campaign's location: a file path or the server URL */
  url: string;
  /** the campaign (PostgreSQL schema), undefined for SQLite */
  campaign: string | undefined;
  open(): Promise<Store>;
  cleanup(): Promise<void>;
}

/** A fresh SQLite engine and a fresh PostgreSQL one (skipped, with a warning, without a server). */
export async function engines(suite: string): Promise<Engine[]> {
  const why = await pgReachable();
  if (why !== undefined && process.env['DMA_TEST_PG_URL'])
    throw new Error(`DMA_TEST_PG_URL is set but PostgreSQL is unreachable: ${why}`);
  if (why !== undefined)
    console.warn(`${suite}: skipping PostgreSQL (${PG_URL} unreachable: ${why})`);
  const dir = mkdtempSync(join(tmpdir(), 'dma-conf-'));
  const file = join(dir, 'c.db');
  const schema = `dma_test_${randomBytes(6).toString('hex')}`;
  return [
    {
      name: 'sqlite',
      skip: false,
      url: file,
      campaign: undefined,
      open: () => openStoreAt(file, { clock }),
      cleanup: async () => rmSync(dir, { recursive: true, force: true }),
    },
    {
      name: 'postgres',
      skip: why !== undefined,
      url: PG_URL,
      campaign: schema,
      open: () => openStoreAt(PG_URL, { clock, campaign: schema }),
      cleanup: async () => {
        if (why !== undefined) return;
        const pg = (await import('pg')).default;
        const c = new pg.Client({ connectionString: PG_URL });
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
        await c.end();
      },
    },
  ];
}
