/**
 * Persistence of the response cache and the call log: the interfaces (src/contracts, shared
 * with src/store), an in-memory implementation here, and the campaign engines' own (SQLite,
 * PostgreSQL) in src/store, reached through Store.llmStorage(). src/llm never imports a driver;
 * src/store adds the tables (LLM_TABLES_SQL, LLM_BREAKER_SQL) as migrations.
 */
import type {
  CachedEntry,
  CallLog,
  CallQuery,
  CallRecord,
  CallStatus,
  ResponseCacheOf,
  UsageQuery,
  UsageRow,
} from '../contracts/llm-storage.ts';
import type { LlmResponse } from './adapters/types.ts';

export type {
  CallLog,
  CallQuery,
  CallRecord,
  CallStatus,
  UsageQuery,
  UsageRow,
} from '../contracts/llm-storage.ts';
export {
  SqliteBreakerStore,
  SqliteCallLog,
  SqliteResponseCache,
  type SqlDatabase,
} from '../store/sqlite/llm.ts';

/** What the cache keeps: a complete, valid response. */
export type CachedResponse = CachedEntry<LlmResponse>;
export type ResponseCache = ResponseCacheOf<LlmResponse>;

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

/** Query helpers behind `dma llm logs`, `dma llm usage` and `dma llm cache clear`. */
export async function listCalls(log: CallLog, query: CallQuery = {}): Promise<CallRecord[]> {
  return log.list(query);
}
export async function usageSummary(
  log: CallLog,
  query: UsageQuery = {},
): Promise<{ rows: UsageRow[]; total: Omit<UsageRow, 'key'> }> {
  const rows = await log.usage(query);
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
export async function clearCache(cache: ResponseCacheOf): Promise<{ removed: number }> {
  return { removed: await cache.clear() };
}
