/**
 * The engines a conformance suite runs against: SQLite (a temp file) and PostgreSQL (its own
 * schema dma_test_<random>, dropped afterwards). Without a reachable server and without
 * DMA_TEST_PG_URL the PostgreSQL run is skipped, saying why; with DMA_TEST_PG_URL set (CI)
 * an unreachable server fails the run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreAt, type Store } from '../../src/store/index.ts';
import { dropSchema, PG_URL, pgUnreachable, scratchSchema } from '../helpers/pg.ts';

export const clock = () => new Date('2024-05-01T12:00:00.000Z');

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
  const why = await pgUnreachable(`${suite} on PostgreSQL`);
  const dir = mkdtempSync(join(tmpdir(), 'dma-conf-'));
  const file = join(dir, 'c.db');
  const schema = scratchSchema();
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
        if (why === undefined) await dropSchema(schema);
      },
    },
  ];
}
