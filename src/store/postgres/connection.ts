/**
 * Reaching a PostgreSQL campaign: the URL (credentials only from it or the PG* variables,
 * never logged: `redactUrl`), the campaign's schema (validated identifier), and the
 * forward-only migrations under an advisory lock. pg is imported here, dynamically, only
 * when a postgres:// URL names it: the SQLite fast lane never loads it.
 */
import { DmaError, UsageError } from '../../core/errors.ts';
import { pgMigrations, type PgMigration } from './migrations.ts';

/** The structural part of pg's Client that the engine uses. */
export interface PgClient {
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; rowCount: number | null }>;
  end(): Promise<void>;
  on(event: 'error', fn: (err: Error) => void): unknown;
}

export const isPostgresUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

/** The URL with its password replaced by "***" (for db info and error messages). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** host:port of a URL (or of PGHOST/PGPORT), for "cannot reach" messages. */
function where(url: string, env: Readonly<Record<string, string | undefined>>): string {
  try {
    const u = new URL(url);
    return `${u.hostname || env['PGHOST'] || 'localhost'}:${u.port || env['PGPORT'] || '5432'}`;
  } catch {
    return 'the configured server';
  }
}

export const DEFAULT_CAMPAIGN = 'dma';
const IDENT = /^[a-z_][a-z0-9_]{0,62}$/;

/** A campaign name as a schema name: lower-case letters, digits and _, up to 63. */
export function campaignSchema(name: string | undefined): string {
  const n = name ?? DEFAULT_CAMPAIGN;
  if (!IDENT.test(n) || n.startsWith('pg_') || n === 'information_schema')
    throw new UsageError(
      `campaign "${n}" is not a usable name: lower-case letters, digits and _, starting with a letter or _, at most 63 (not pg_…)`,
    );
  return n;
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** Connect; every failure to reach the server is one line naming host:port (exit 1, UNEXPECTED). */
export async function pgConnect(
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<PgClient> {
  const pg = (await import('pg')).default;
  // json and int8 as text/number: data is spliced into exports as stored, counts are numbers
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') =>
      oid === 114
        ? (v: string) => v
        : oid === 20
          ? (v: string) => Number(v)
          : pg.types.getTypeParser(oid, format),
  };
  const client = new pg.Client({
    connectionString: url,
    types: types as never,
    connectionTimeoutMillis: Number(env['PGCONNECT_TIMEOUT'] ?? 10) * 1000,
    application_name: 'dma',
  });
  // a dropped connection later surfaces as the next query's error, not a crash
  client.on('error', () => {});
  try {
    await client.connect();
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { code?: string };
    const why = e.code === '28P01' || e.code === '28000' ? 'authentication failed' : e.message;
    throw new DmaError(
      'UNEXPECTED',
      `cannot reach PostgreSQL at ${where(url, env)} — ${why.split('\n')[0]}`,
      { cause: err, hint: `check the URL (${redactUrl(url)}) and that the server is running` },
    );
  }
  return client as unknown as PgClient;
}

/**
 * Create the campaign's schema when `create`, then bring it to the current version (or
 * refuse a newer one). Concurrent openers serialise on an advisory lock per schema.
 * Returns the schema version found (0: the schema does not exist and was not created).
 */
export async function pgMigrate(
  client: PgClient,
  schema: string,
  opts: { create: boolean; url: string; migrations?: readonly PgMigration[] },
): Promise<number> {
  const list = opts.migrations ?? pgMigrations;
  const s = quoteIdent(schema);
  const exists = async () =>
    (
      await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_namespace WHERE nspname = $1',
        [schema],
      )
    ).rows[0]!.n === 1;
  const version = async (): Promise<number> => {
    const t = await client.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1 AND tablename = 'dma_meta'`,
      [schema],
    );
    if (t.rows[0]!.n === 0) {
      const other = await client.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = $1',
        [schema],
      );
      if (other.rows[0]!.n > 0)
        throw new UsageError(
          `schema "${schema}" at ${redactUrl(opts.url)} holds tables of another program; refusing to touch it`,
        );
      return 0;
    }
    const r = await client.query<{ value: string }>(
      `SELECT value FROM ${s}.dma_meta WHERE key = 'schema_version'`,
    );
    return Number(r.rows[0]?.value ?? 0);
  };
  const check = (v: number) => {
    if (v > list.length)
      throw new UsageError(
        `campaign "${schema}" at ${redactUrl(opts.url)} has schema version ${v}, newer than this dma understands (${list.length}); refusing to downgrade it`,
        { hint: 'upgrade dma to open this campaign' },
      );
  };
  if (!(await exists())) {
    if (!opts.create) return 0;
  } else {
    const v = await version();
    check(v);
    if (v === list.length) return v;
    if (!opts.create && v === 0) return 0;
  }
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`dma:${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    const v = await version();
    check(v);
    await client.query(`SET LOCAL search_path TO ${s}`);
    if (v === 0)
      await client.query(
        'CREATE TABLE dma_meta (key text PRIMARY KEY, value text NOT NULL); ' +
          "INSERT INTO dma_meta VALUES ('schema_version', '0'), ('application', 'dma')",
      );
    for (const m of list.slice(v)) {
      await client.query(m.sql);
      await client.query(`UPDATE dma_meta SET value = $1 WHERE key = 'schema_version'`, [
        String(m.version),
      ]);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {});
    throw pgError(err);
  }
  return list.length;
}

/**
 * A server error as dma's typed errors: a write refused by permissions (a read-only role)
 * is one line, exit 3; anything else is UNEXPECTED with the server's first line.
 */
export function pgError(err: unknown): Error {
  if (err instanceof DmaError) return err;
  const e = err as { code?: string; message?: string };
  if (e.code === '42501')
    return new UsageError(`permission denied: ${e.message?.split('\n')[0] ?? ''}`, {
      hint: 'this role may only read the campaign (dma db grant --read-only)',
    });
  if (e.code === '25006')
    return new UsageError('this connection is read-only: the campaign cannot be written');
  if (typeof e.code === 'string')
    return new DmaError('UNEXPECTED', `PostgreSQL: ${e.message?.split('\n')[0] ?? e.code}`, {
      cause: err,
    });
  return err as Error;
}

export { quoteIdent };
