/**
 * The PostgreSQL test server, for every suite, e2e test and bench case that uses one:
 * DMA_TEST_PG_URL, else the local server. `pgUnreachable` says why it cannot be used
 * (undefined when it can); with DMA_TEST_PG_URL set (CI) an unreachable server throws
 * instead, so the suite fails rather than skipping.
 */
import { randomBytes } from 'node:crypto';

export const PG_URL = process.env['DMA_TEST_PG_URL'] ?? 'postgres://root@127.0.0.1:5432/test';

/** Why the server cannot be reached, or undefined when it can (never throws). */
export async function pgProbe(): Promise<string | undefined> {
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

/** pgProbe for a suite: an unreachable server is a failure in CI, a warning elsewhere. */
export async function pgUnreachable(suite: string): Promise<string | undefined> {
  const why = await pgProbe();
  if (why !== undefined && process.env['DMA_TEST_PG_URL'])
    throw new Error(`DMA_TEST_PG_URL is set but PostgreSQL is unreachable: ${why}`);
  if (why !== undefined) console.warn(`${suite}: skipped (${PG_URL} unreachable: ${why})`);
  return why;
}

/** A fresh schema name for one test run. */
export const scratchSchema = () => `dma_test_${randomBytes(6).toString('hex')}`;

/** Run SQL as the test server's user (setup and clean-up). */
export async function pgExec(sql: string): Promise<void> {
  const pg = (await import('pg')).default;
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

/** Drop a scratch schema and everything in it. */
export const dropSchema = (schema: string) => pgExec(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
