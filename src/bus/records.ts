/**
 * A task as a transport stores it (times in epoch ms, the last error as JSON) and the
 * reports every transport derives from its tasks the same way: the task record, per-agent
 * stats, dead letters, claim-check keys.
 */
import { createHash } from 'node:crypto';
import type { TaskError } from '../contracts/bus/common.ts';
import type { TaskState } from '../contracts/bus/task-state.ts';
import type { AgentStats, DeadLetter, TaskRecord } from './types.ts';

export interface TaskRow {
  id: number;
  event_id: string;
  correlation_id: string;
  agent: string;
  type: string;
  state: TaskState;
  attempts: number;
  max_attempts: number;
  failures: number;
  available_at: number;
  claimed_by: string | null;
  lease_until: number | null;
  /** NULL: the work token in the request's envelope (a retried dead letter has its own) */
  work_token: string | null;
  created_at: number;
  finished_at: number | null;
  outcome: 'ok' | 'error' | null;
  last_error: string | null;
  response_event: string | null;
  retried_as: number | null;
}

export type StatsRow = Pick<
  TaskRow,
  'agent' | 'state' | 'outcome' | 'failures' | 'created_at' | 'finished_at'
>;

/** A blob's key: SHA-256 in hex (what entity.store_batch's `blob` field takes). */
export const blobKey = (text: string) => createHash('sha256').update(text).digest('hex');

export const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

const lastErrorOf = (r: TaskRow): TaskError | null =>
  r.last_error === null ? null : (JSON.parse(r.last_error) as TaskError);

export function toRecord(r: TaskRow): TaskRecord {
  return {
    id: r.id,
    event_id: r.event_id,
    correlation_id: r.correlation_id,
    agent: r.agent,
    type: r.type,
    state: r.state,
    attempts: r.attempts,
    max_attempts: r.max_attempts,
    failures: r.failures,
    available_at: iso(r.available_at)!,
    claimed_by: r.claimed_by,
    lease_until: iso(r.lease_until),
    created_at: iso(r.created_at)!,
    finished_at: iso(r.finished_at),
    outcome: r.outcome,
    last_error: lastErrorOf(r),
    response_event: r.response_event,
    retried_as: r.retried_as,
  };
}

export function toDeadLetter(r: TaskRow): DeadLetter {
  return {
    task_id: r.id,
    event_id: r.event_id,
    correlation_id: r.correlation_id,
    agent: r.agent,
    type: r.type,
    attempts: r.attempts,
    error: lastErrorOf(r),
    finished_at: iso(r.finished_at),
    retried_as: r.retried_as,
  };
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Per agent: tasks by state, failures, latency percentiles, error rate (by agent name). */
export function statsOf(rows: Iterable<StatsRow>): AgentStats[] {
  const by = new Map<string, { s: AgentStats; lat: number[] }>();
  for (const r of rows) {
    let e = by.get(r.agent);
    if (!e) {
      e = {
        s: {
          agent: r.agent,
          queued: 0,
          running: 0,
          retrying: 0,
          done: 0,
          errors: 0,
          failures: 0,
          dead: 0,
          p50_ms: null,
          p95_ms: null,
          error_rate: 0,
        },
        lat: [],
      };
      by.set(r.agent, e);
    }
    const s = e.s;
    s.failures += r.failures;
    if (r.state === 'queued') s.queued++;
    else if (r.state === 'claimed') s.running++;
    else if (r.state === 'retry' || r.state === 'failed') s.retrying++;
    else if (r.state === 'dead') s.dead++;
    else if (r.state === 'done') {
      s.done++;
      if (r.outcome === 'error') s.errors++;
      if (r.finished_at !== null) e.lat.push(r.finished_at - r.created_at);
    }
  }
  return [...by.values()]
    .map(({ s, lat }) => {
      lat.sort((a, b) => a - b);
      const finished = s.done + s.dead;
      return {
        ...s,
        p50_ms: percentile(lat, 50),
        p95_ms: percentile(lat, 95),
        error_rate: finished === 0 ? 0 : Math.round(((s.errors + s.dead) / finished) * 1e4) / 1e4,
      };
    })
    .sort((a, b) => (a.agent < b.agent ? -1 : 1));
}

/** The error a claim that ran out records (the consumer crashed or stalled). */
export function leaseExpired(attempts: number | string, final: boolean): TaskError {
  return final
    ? {
        code: 'LEASE_EXPIRED',
        message: `the consumer's claim expired ${attempts} times (crashed?)`,
      }
    : { code: 'LEASE_EXPIRED', message: 'the claim expired before an ack' };
}
