/**
 * The LLM call log, response cache and breaker states in an SQLite campaign (tables of
 * migrations 2 and 6). Synchronous, over a structural handle (better-sqlite3's Database fits).
 */
import type {
  BreakerRow,
  BreakerState,
  BreakerStoreOf,
  CachedEntry,
  CallLog,
  CallQuery,
  CallRecord,
  LlmStorage,
  ResponseCacheOf,
  UsageQuery,
  UsageRow,
} from '../../contracts/llm-storage.ts';
import { parseBreakerSnapshot } from '../../contracts/llm-storage.ts';
import { CALL_COLUMNS, callWhere, usageKey } from '../llm-sql.ts';

/** The part of a SQLite driver the LLM tables need; better-sqlite3's Database fits it. */
export interface SqlDatabase {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number | bigint };
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  };
  exec(sql: string): unknown;
}

const q = () => '?';

export class SqliteCallLog implements CallLog {
  constructor(private readonly db: SqlDatabase) {}
  append(r: CallRecord): void {
    const cols = CALL_COLUMNS.map(([, c]) => c).join(', ');
    const marks = CALL_COLUMNS.map(() => '?').join(', ');
    this.db
      .prepare(`INSERT INTO llm_calls (${cols}) VALUES (${marks})`)
      .run(...CALL_COLUMNS.map(([k]) => r[k]));
  }
  list(query: CallQuery = {}): CallRecord[] {
    const w = callWhere(query, q);
    const select = CALL_COLUMNS.map(([k, c]) => `${c} AS ${k}`).join(', ');
    return this.db
      .prepare(
        `SELECT ${select} FROM llm_calls ${w.sql} ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      )
      .all(...w.params, query.limit ?? 20) as CallRecord[];
  }
  usage(query: UsageQuery = {}): UsageRow[] {
    const w = callWhere(query, q);
    return this.db
      .prepare(
        `SELECT ${usageKey(query.groupBy ?? 'model')} AS key, count(*) AS calls,
           sum(status = 'cached') AS cachedCalls,
           sum(status IN ('error', 'refusal', 'truncated')) AS errors,
           sum(tokens_in) AS tokensIn, sum(tokens_out) AS tokensOut, sum(tokens_cached) AS tokensCached,
           coalesce(sum(cost_usd), 0) AS costUsd
         FROM llm_calls ${w.sql} GROUP BY key ORDER BY key`,
      )
      .all(...w.params) as UsageRow[];
  }
}

export class SqliteResponseCache<R = unknown> implements ResponseCacheOf<R> {
  constructor(private readonly db: SqlDatabase) {}
  get(key: string, nowMs: number): CachedEntry<R> | undefined {
    const row = this.db
      .prepare('SELECT response_json, created_at FROM llm_cache WHERE key = ? AND expires_at > ?')
      .get(key, nowMs) as { response_json: string; created_at: number } | undefined;
    return row === undefined
      ? undefined
      : { response: JSON.parse(row.response_json) as R, createdAt: row.created_at };
  }
  set(
    key: string,
    entry: CachedEntry<R>,
    meta: { adapter: string; model: string; expiresAt: number },
  ): void {
    this.db
      .prepare(
        `INSERT INTO llm_cache (key, adapter, model, response_json, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET response_json = excluded.response_json, created_at = excluded.created_at, expires_at = excluded.expires_at`,
      )
      .run(
        key,
        meta.adapter,
        meta.model,
        JSON.stringify(entry.response),
        entry.createdAt,
        meta.expiresAt,
      );
  }
  clear(): number {
    return Number(this.db.prepare('DELETE FROM llm_cache').run().changes);
  }
  purgeExpired(nowMs: number): number {
    return Number(
      this.db.prepare('DELETE FROM llm_cache WHERE expires_at <= ?').run(nowMs).changes,
    );
  }
  size(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM llm_cache').get() as { n: number }).n;
  }
}

/** Breaker states in the campaign database; every save is its own transaction. */
export class SqliteBreakerStore<S = unknown> implements BreakerStoreOf<S> {
  constructor(
    private readonly db: SqlDatabase & { transaction?: <F extends () => void>(fn: F) => F },
    private readonly now: () => number = Date.now,
  ) {}
  load(key: string): S | undefined {
    const row = this.db.prepare('SELECT snapshot FROM llm_breakers WHERE key = ?').get(key) as
      { snapshot: string } | undefined;
    return row === undefined ? undefined : (parseBreakerSnapshot(row.snapshot) as S | undefined);
  }
  save(
    key: string,
    snapshot: S,
    meta: { state: BreakerState; failures: number; retryAt: number | null },
  ): void {
    const write = () =>
      this.db
        .prepare(
          `INSERT INTO llm_breakers (key, state, failures, retry_at, snapshot, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET state = excluded.state, failures = excluded.failures,
             retry_at = excluded.retry_at, snapshot = excluded.snapshot,
             updated_at = excluded.updated_at`,
        )
        .run(key, meta.state, meta.failures, meta.retryAt, JSON.stringify(snapshot), this.now());
    if (this.db.transaction === undefined) write();
    else this.db.transaction(write)();
  }
  /** Every breaker, for `dma doctor` and tests. */
  list(): BreakerRow[] {
    return this.db
      .prepare('SELECT key, state, failures, retry_at AS retryAt FROM llm_breakers ORDER BY key')
      .all() as BreakerRow[];
  }
}

/** The three over one handle (SqliteStore.llmStorage()). */
export function sqliteLlmStorage(db: SqlDatabase): LlmStorage {
  return {
    log: new SqliteCallLog(db),
    cache: new SqliteResponseCache(db),
    breakers: new SqliteBreakerStore(db),
  };
}
