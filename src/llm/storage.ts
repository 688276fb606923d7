/**
 * Persistence of the response cache and the call log, as interfaces with an in-memory and a
 * SQLite implementation. The SQLite one takes a structural database (better-sqlite3 fits it)
 * so src/llm never imports the driver; src/store adds LLM_TABLES_SQL as a migration.
 */
import type { LlmResponse } from './adapters/types.ts';
import type { BreakerSnapshot, BreakerStore } from './gateway.ts';

export type CallStatus = 'ok' | 'cached' | 'error' | 'refusal' | 'truncated';

/** One adapter call (or cache hit) as logged. Never holds an API key or request headers. */
export interface CallRecord {
  id: string;
  /** ISO 8601 time the call started. */
  createdAt: string;
  workflowId: string | null;
  taskId: string | null;
  adapter: string;
  model: string;
  status: CallStatus;
  /** LlmCallError kind or gateway error (timeout, circuit_open, bulkhead_full, …). */
  errorKind: string | null;
  httpStatus: number | null;
  /** 1 for the first attempt of a call, 2 for its first retry, … */
  attempt: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  latencyMs: number;
  /** Estimated cost in US dollars from a built-in price table; null when the model is unknown. */
  costUsd: number | null;
  cacheKey: string;
  /** The prompt as sent (system + messages), secrets redacted. */
  prompt: string | null;
  /** The raw answer text, secrets redacted. */
  response: string | null;
  errorMessage: string | null;
}

export interface CallQuery {
  /** Newest first; default 20. */
  limit?: number;
  /** ISO time; only calls at or after it. */
  since?: string;
  workflowId?: string;
  status?: CallStatus;
}

export interface UsageQuery {
  since?: string;
  groupBy?: 'model' | 'adapter' | 'day' | 'workflow';
}

export interface UsageRow {
  /** The group value (model name, adapter, YYYY-MM-DD or workflow id). */
  key: string;
  calls: number;
  cachedCalls: number;
  errors: number;
  tokensIn: number;
  tokensOut: number;
  tokensCached: number;
  costUsd: number;
}

export interface CallLog {
  append(record: CallRecord): void;
  list(query?: CallQuery): CallRecord[];
  usage(query?: UsageQuery): UsageRow[];
}

/** What the cache keeps: a complete, valid response. */
export interface CachedResponse {
  response: LlmResponse;
  createdAt: number;
}

export interface ResponseCache {
  get(key: string, nowMs: number): CachedResponse | undefined;
  set(
    key: string,
    entry: CachedResponse,
    meta: { adapter: string; model: string; expiresAt: number },
  ): void;
  /** Remove every entry; returns how many were removed. */
  clear(): number;
  /** Remove expired entries; returns how many were removed. */
  purgeExpired(nowMs: number): number;
  size(): number;
}

// ---------------------------------------------------------------------------------------------
// in memory

function groupKey(r: CallRecord, by: NonNullable<UsageQuery['groupBy']>): string {
  if (by === 'day') return r.createdAt.slice(0, 10);
  if (by === 'workflow') return r.workflowId ?? '(none)';
  return by === 'adapter' ? r.adapter : r.model;
}

export class MemoryCallLog implements CallLog {
  readonly records: CallRecord[] = [];
  append(record: CallRecord): void {
    this.records.push({ ...record });
  }
  private filtered(q: { since?: string; workflowId?: string; status?: CallStatus }): CallRecord[] {
    return this.records.filter(
      (r) =>
        (q.since === undefined || r.createdAt >= q.since) &&
        (q.workflowId === undefined || r.workflowId === q.workflowId) &&
        (q.status === undefined || r.status === q.status),
    );
  }
  list(query: CallQuery = {}): CallRecord[] {
    return this.filtered(query)
      .map((r, i) => ({ r, i }))
      .sort((a, b) =>
        a.r.createdAt === b.r.createdAt ? b.i - a.i : a.r.createdAt < b.r.createdAt ? 1 : -1,
      )
      .slice(0, query.limit ?? 20)
      .map(({ r }) => ({ ...r }));
  }
  usage(query: UsageQuery = {}): UsageRow[] {
    const rows = new Map<string, UsageRow>();
    for (const r of this.filtered(query)) {
      const key = groupKey(r, query.groupBy ?? 'model');
      const row = rows.get(key) ?? {
        key,
        calls: 0,
        cachedCalls: 0,
        errors: 0,
        tokensIn: 0,
        tokensOut: 0,
        tokensCached: 0,
        costUsd: 0,
      };
      row.calls += 1;
      if (r.status === 'cached') row.cachedCalls += 1;
      if (r.status === 'error' || r.status === 'refusal' || r.status === 'truncated')
        row.errors += 1;
      row.tokensIn += r.tokensIn;
      row.tokensOut += r.tokensOut;
      row.tokensCached += r.tokensCached;
      row.costUsd += r.costUsd ?? 0;
      rows.set(key, row);
    }
    return [...rows.values()].sort((a, b) => a.key.localeCompare(b.key));
  }
}

export class MemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, { json: string; expiresAt: number }>();
  get(key: string, nowMs: number): CachedResponse | undefined {
    const e = this.entries.get(key);
    if (e === undefined) return undefined;
    if (e.expiresAt <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return JSON.parse(e.json) as CachedResponse;
  }
  set(key: string, entry: CachedResponse, meta: { expiresAt: number }): void {
    this.entries.set(key, { json: JSON.stringify(entry), expiresAt: meta.expiresAt });
  }
  clear(): number {
    const n = this.entries.size;
    this.entries.clear();
    return n;
  }
  purgeExpired(nowMs: number): number {
    let n = 0;
    for (const [k, e] of this.entries) if (e.expiresAt <= nowMs && this.entries.delete(k)) n++;
    return n;
  }
  size(): number {
    return this.entries.size;
  }
  /** Every stored entry as JSON text (for tests that scan for secrets). */
  dump(): string[] {
    return [...this.entries.values()].map((e) => e.json);
  }
}

// ---------------------------------------------------------------------------------------------
// SQLite

/** The part of a SQLite driver the LLM tables need; better-sqlite3's Database fits it. */
export interface SqlDatabase {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number | bigint };
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  };
  exec(sql: string): unknown;
}

/** CREATE TABLE statements for the campaign database (src/store adds them as a migration). */
export const LLM_TABLES_SQL = `
CREATE TABLE IF NOT EXISTS llm_cache (
  key           TEXT PRIMARY KEY,
  adapter       TEXT NOT NULL,
  model         TEXT NOT NULL,
  response_json TEXT NOT NULL,
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS llm_cache_expires_at ON llm_cache (expires_at);

CREATE TABLE IF NOT EXISTS llm_calls (
  id            TEXT PRIMARY KEY,
  created_at    TEXT NOT NULL,
  workflow_id   TEXT,
  task_id       TEXT,
  adapter       TEXT NOT NULL,
  model         TEXT NOT NULL,
  status        TEXT NOT NULL CHECK (status IN ('ok', 'cached', 'error', 'refusal', 'truncated')),
  error_kind    TEXT,
  http_status   INTEGER,
  attempt       INTEGER NOT NULL,
  tokens_in     INTEGER NOT NULL DEFAULT 0,
  tokens_out    INTEGER NOT NULL DEFAULT 0,
  tokens_cached INTEGER NOT NULL DEFAULT 0,
  latency_ms    INTEGER NOT NULL,
  cost_usd      REAL,
  cache_key     TEXT NOT NULL,
  prompt        TEXT,
  response      TEXT,
  error_message TEXT
);
CREATE INDEX IF NOT EXISTS llm_calls_created_at ON llm_calls (created_at);
`;

/**
 * The circuit breakers' state (store migration 6 keeps a copy): one row per adapter/model at an
 * endpoint, so a breaker opened by one dma process stays open for the next.
 */
export const LLM_BREAKER_SQL = `
CREATE TABLE IF NOT EXISTS llm_breakers (
  key        TEXT PRIMARY KEY,
  state      TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half_open')),
  failures   INTEGER NOT NULL DEFAULT 0,
  retry_at   INTEGER,
  snapshot   TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);
`;

const CALL_COLUMNS: [keyof CallRecord, string][] = [
  ['id', 'id'],
  ['createdAt', 'created_at'],
  ['workflowId', 'workflow_id'],
  ['taskId', 'task_id'],
  ['adapter', 'adapter'],
  ['model', 'model'],
  ['status', 'status'],
  ['errorKind', 'error_kind'],
  ['httpStatus', 'http_status'],
  ['attempt', 'attempt'],
  ['tokensIn', 'tokens_in'],
  ['tokensOut', 'tokens_out'],
  ['tokensCached', 'tokens_cached'],
  ['latencyMs', 'latency_ms'],
  ['costUsd', 'cost_usd'],
  ['cacheKey', 'cache_key'],
  ['prompt', 'prompt'],
  ['response', 'response'],
  ['errorMessage', 'error_message'],
];

function whereClause(q: { since?: string; workflowId?: string; status?: CallStatus }): {
  sql: string;
  params: unknown[];
} {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown): void => {
    parts.push(sql);
    params.push(value);
  };
  if (q.since !== undefined) add('created_at >= ?', q.since);
  if (q.workflowId !== undefined) add('workflow_id = ?', q.workflowId);
  if (q.status !== undefined) add('status = ?', q.status);
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, params };
}

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
    const w = whereClause(query);
    const select = CALL_COLUMNS.map(([k, c]) => `${c} AS ${k}`).join(', ');
    return this.db
      .prepare(
        `SELECT ${select} FROM llm_calls ${w.sql} ORDER BY created_at DESC, rowid DESC LIMIT ?`,
      )
      .all(...w.params, query.limit ?? 20) as CallRecord[];
  }
  usage(query: UsageQuery = {}): UsageRow[] {
    const by = query.groupBy ?? 'model';
    const keyExpr = {
      model: 'model',
      adapter: 'adapter',
      day: 'substr(created_at, 1, 10)',
      workflow: "coalesce(workflow_id, '(none)')",
    }[by];
    const w = whereClause(query);
    return this.db
      .prepare(
        `SELECT ${keyExpr} AS key, count(*) AS calls,
           sum(status = 'cached') AS cachedCalls,
           sum(status IN ('error', 'refusal', 'truncated')) AS errors,
           sum(tokens_in) AS tokensIn, sum(tokens_out) AS tokensOut, sum(tokens_cached) AS tokensCached,
           coalesce(sum(cost_usd), 0) AS costUsd
         FROM llm_calls ${w.sql} GROUP BY key ORDER BY key`,
      )
      .all(...w.params) as UsageRow[];
  }
}

export class SqliteResponseCache implements ResponseCache {
  constructor(private readonly db: SqlDatabase) {}
  get(key: string, nowMs: number): CachedResponse | undefined {
    const row = this.db
      .prepare('SELECT response_json, created_at FROM llm_cache WHERE key = ? AND expires_at > ?')
      .get(key, nowMs) as { response_json: string; created_at: number } | undefined;
    return row === undefined
      ? undefined
      : { response: JSON.parse(row.response_json) as LlmResponse, createdAt: row.created_at };
  }
  set(
    key: string,
    entry: CachedResponse,
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

/** Query helpers behind `dma llm logs`, `dma llm usage` and `dma llm cache clear`. */
export function listCalls(log: CallLog, query: CallQuery = {}): CallRecord[] {
  return log.list(query);
}
export function usageSummary(
  log: CallLog,
  query: UsageQuery = {},
): { rows: UsageRow[]; total: Omit<UsageRow, 'key'> } {
  const rows = log.usage(query);
  const total = {
    calls: 0,
    cachedCalls: 0,
    errors: 0,
    tokensIn: 0,
    tokensOut: 0,
    tokensCached: 0,
    costUsd: 0,
  };
  for (const r of rows)
    for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += Number(r[k] ?? 0);
  return { rows, total };
}
export function clearCache(cache: ResponseCache): { removed: number } {
  return { removed: cache.clear() };
}

/** Breaker states in the campaign database; every save is its own transaction. */
export class SqliteBreakerStore implements BreakerStore {
  constructor(
    private readonly db: SqlDatabase & { transaction?: <F extends () => void>(fn: F) => F },
    private readonly now: () => number = Date.now,
  ) {}
  load(key: string): BreakerSnapshot | undefined {
    const row = this.db.prepare('SELECT snapshot FROM llm_breakers WHERE key = ?').get(key) as
      { snapshot: string } | undefined;
    if (row === undefined) return undefined;
    try {
      const snap = JSON.parse(row.snapshot) as BreakerSnapshot;
      return typeof snap?.ownState?.value === 'number' ? snap : undefined;
    } catch {
      return undefined; // a damaged row is a closed breaker
    }
  }
  save(
    key: string,
    snapshot: BreakerSnapshot,
    meta: { state: 'closed' | 'open' | 'half_open'; failures: number; retryAt: number | null },
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
  list(): { key: string; state: string; failures: number; retryAt: number | null }[] {
    return this.db
      .prepare('SELECT key, state, failures, retry_at AS retryAt FROM llm_breakers ORDER BY key')
      .all() as { key: string; state: string; failures: number; retryAt: number | null }[];
  }
}
