/**
 * What both engines' LLM tables share: the call log's columns and the WHERE clause of its
 * queries (placeholders by engine: `?` for SQLite, `$n` for PostgreSQL).
 */
import type { CallRecord, CallStatus, LlmStorage, UsageQuery } from '../contracts/llm-storage.ts';

export const CALL_COLUMNS: [keyof CallRecord, string][] = [
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

export function callWhere(
  q: { since?: string; workflowId?: string; status?: CallStatus },
  mark: (n: number) => string,
): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: unknown): void => {
    params.push(value);
    parts.push(`${column} ${mark(params.length)}`);
  };
  if (q.since !== undefined) add('created_at >=', q.since);
  if (q.workflowId !== undefined) add('workflow_id =', q.workflowId);
  if (q.status !== undefined) add('status =', q.status);
  return { sql: parts.length === 0 ? '' : `WHERE ${parts.join(' AND ')}`, params };
}

/** The group expression of `dma llm usage` (the same SQL on both engines). */
export function usageKey(by: NonNullable<UsageQuery['groupBy']>): string {
  return {
    model: 'model',
    adapter: 'adapter',
    day: 'substr(created_at, 1, 10)',
    workflow: "coalesce(workflow_id, '(none)')",
  }[by];
}

/** The LLM storage of a campaign that does not exist (read mode): empty, writes dropped. */
export function emptyLlmStorage(): LlmStorage {
  return {
    log: { append: () => {}, list: () => [], usage: () => [] },
    cache: {
      get: () => undefined,
      set: () => {},
      clear: () => 0,
      purgeExpired: () => 0,
      size: () => 0,
    },
    breakers: { load: () => undefined, save: () => {}, list: () => [] },
  };
}
