/**
 * The LLM call log, response cache and breaker states in a PostgreSQL campaign (migration 2),
 * each write one statement (its own transaction unless one is open on the client).
 */
import type {
  BreakerRow,
  BreakerState,
  CachedEntry,
  CallQuery,
  CallRecord,
  LlmStorage,
  UsageQuery,
  UsageRow,
} from '../../contracts/llm-storage.ts';
import { parseBreakerSnapshot } from '../../contracts/llm-storage.ts';
import { CALL_COLUMNS, callWhere, usageKey } from '../llm-sql.ts';
import type { PgCore } from './core.ts';

const mark = (n: number) => `$${n}`;

export function pgLlmStorage(c: PgCore, nowMs: () => number = Date.now): LlmStorage {
  const select = CALL_COLUMNS.map(([k, col]) => `${col} AS "${k}"`).join(', ');
  return {
    log: {
      async append(r: CallRecord): Promise<void> {
        const cols = CALL_COLUMNS.map(([, col]) => col).join(', ');
        const marks = CALL_COLUMNS.map((_, i) => mark(i + 1)).join(', ');
        await c.read(() =>
          c.q(
            `INSERT INTO llm_calls (${cols}) VALUES (${marks})`,
            CALL_COLUMNS.map(([k]) => r[k]),
          ),
        );
      },
      list(query: CallQuery = {}): Promise<CallRecord[]> {
        const w = callWhere(query, mark);
        return c.read(() =>
          c.rows<CallRecord>(
            `SELECT ${select} FROM llm_calls ${w.sql} ORDER BY created_at DESC, seq DESC LIMIT ${mark(w.params.length + 1)}`,
            [...w.params, query.limit ?? 20],
          ),
        );
      },
      usage(query: UsageQuery = {}): Promise<UsageRow[]> {
        const w = callWhere(query, mark);
        const key = usageKey(query.groupBy ?? 'model');
        return c.read(() =>
          c.rows<UsageRow>(
            `SELECT ${key} AS key, count(*)::int AS calls,
               count(*) FILTER (WHERE status = 'cached')::int AS "cachedCalls",
               count(*) FILTER (WHERE status IN ('error', 'refusal', 'truncated'))::int AS errors,
               sum(tokens_in)::int AS "tokensIn", sum(tokens_out)::int AS "tokensOut",
               sum(tokens_cached)::int AS "tokensCached",
               coalesce(sum(cost_usd), 0)::float8 AS "costUsd"
             FROM llm_calls ${w.sql} GROUP BY 1 ORDER BY ${key} COLLATE "C"`,
            w.params,
          ),
        );
      },
    },
    cache: {
      async get(key: string, now: number): Promise<CachedEntry | undefined> {
        const row = await c.read(() =>
          c.one<{ response_json: string; created_at: number }>(
            'SELECT response_json, created_at FROM llm_cache WHERE key = $1 AND expires_at > $2',
            [key, now],
          ),
        );
        return row === undefined
          ? undefined
          : { response: JSON.parse(row.response_json) as unknown, createdAt: row.created_at };
      },
      async set(key, entry, meta): Promise<void> {
        await c.read(() =>
          c.q(
            `INSERT INTO llm_cache (key, adapter, model, response_json, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (key) DO UPDATE SET response_json = excluded.response_json,
               created_at = excluded.created_at, expires_at = excluded.expires_at`,
            [
              key,
              meta.adapter,
              meta.model,
              JSON.stringify(entry.response),
              entry.createdAt,
              meta.expiresAt,
            ],
          ),
        );
      },
      async clear(): Promise<number> {
        return (await c.read(() => c.q('DELETE FROM llm_cache'))).rowCount;
      },
      async purgeExpired(now: number): Promise<number> {
        return (await c.read(() => c.q('DELETE FROM llm_cache WHERE expires_at <= $1', [now])))
          .rowCount;
      },
      size(): Promise<number> {
        return c.read(() => c.scalar('SELECT count(*)::int AS n FROM llm_cache'));
      },
    },
    breakers: {
      async load(key: string): Promise<unknown> {
        const row = await c.read(() =>
          c.one<{ snapshot: string }>('SELECT snapshot FROM llm_breakers WHERE key = $1', [key]),
        );
        return row === undefined ? undefined : parseBreakerSnapshot(row.snapshot);
      },
      async save(
        key: string,
        snapshot: unknown,
        meta: { state: BreakerState; failures: number; retryAt: number | null },
      ): Promise<void> {
        await c.read(() =>
          c.q(
            `INSERT INTO llm_breakers (key, state, failures, retry_at, snapshot, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (key) DO UPDATE SET state = excluded.state, failures = excluded.failures,
               retry_at = excluded.retry_at, snapshot = excluded.snapshot,
               updated_at = excluded.updated_at`,
            [key, meta.state, meta.failures, meta.retryAt, JSON.stringify(snapshot), nowMs()],
          ),
        );
      },
      list(): Promise<BreakerRow[]> {
        return c.read(() =>
          c.rows<BreakerRow>(
            'SELECT key, state, failures, retry_at AS "retryAt" FROM llm_breakers ORDER BY key COLLATE "C"',
          ),
        );
      },
    },
  };
}

/** Migration 2 of the PostgreSQL engine: the tables above (as SQLite migrations 2 and 6). */
export const PG_LLM_TABLES_SQL = `
  CREATE TABLE llm_cache (
    key           text PRIMARY KEY,
    adapter       text NOT NULL,
    model         text NOT NULL,
    response_json text NOT NULL,
    created_at    bigint NOT NULL,
    expires_at    bigint NOT NULL
  );
  CREATE INDEX llm_cache_expires_at ON llm_cache (expires_at);
  CREATE TABLE llm_calls (
    seq           bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    id            text PRIMARY KEY,
    created_at    text NOT NULL,
    workflow_id   text,
    task_id       text,
    adapter       text NOT NULL,
    model         text NOT NULL,
    status        text NOT NULL CHECK (status IN ('ok', 'cached', 'error', 'refusal', 'truncated')),
    error_kind    text,
    http_status   integer,
    attempt       integer NOT NULL,
    tokens_in     integer NOT NULL DEFAULT 0,
    tokens_out    integer NOT NULL DEFAULT 0,
    tokens_cached integer NOT NULL DEFAULT 0,
    latency_ms    integer NOT NULL,
    cost_usd      double precision,
    cache_key     text NOT NULL,
    prompt        text,
    response      text,
    error_message text
  );
  CREATE INDEX llm_calls_created_at ON llm_calls (created_at);
  CREATE TABLE llm_breakers (
    key        text PRIMARY KEY,
    state      text NOT NULL CHECK (state IN ('closed', 'open', 'half_open')),
    failures   integer NOT NULL DEFAULT 0,
    retry_at   bigint,
    snapshot   text NOT NULL,
    updated_at bigint NOT NULL
  );
`;
