/**
 * The bus's public shapes and the transport interface (ARCHITECTURE.md, "Where it grows
 * next"). The envelope, the task state machine, work tokens and idempotency are one
 * implementation above the transports; a transport stores messages and tasks and hands
 * them out: `sqlite` (tables in the campaign file) or `redis` (Streams, consumer groups).
 */
import type { TaskError } from '../contracts/bus/common.ts';
import type { BusMessage } from '../contracts/bus/envelope.ts';
import type { TaskState } from '../contracts/bus/task-state.ts';

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const BACKOFF_BASE_MS = 100;
export const BACKOFF_MAX_MS = 60_000;

/** Delay before attempt `attempt + 1` after `attempt` failed: 100 ms, 200 ms, 400 ms, … ≤ 60 s. */
export function backoffMs(attempt: number, baseMs = BACKOFF_BASE_MS): number {
  return Math.min(BACKOFF_MAX_MS, baseMs * 2 ** Math.max(0, attempt - 1));
}

export interface PublishOptions {
  /** attempts before a dead letter; default 5 */
  maxAttempts?: number;
}

export type PublishResult =
  /** logged, a task is queued */
  | { status: 'queued'; event_id: string; task_id: number }
  /** the same idempotency key is already queued or running: nothing new was logged */
  | { status: 'pending'; event_id: string; task_id: number | null }
  /** the key was already answered: here is the stored response, nothing runs */
  | { status: 'answered'; event_id: string; response: BusMessage };

export interface ClaimedTask {
  task_id: number;
  /** 1 on the first delivery */
  attempt: number;
  work_token: string;
  message: BusMessage;
}

export interface ClaimOptions {
  leaseMs?: number;
  consumer?: string;
  /** only this correlation's tasks (a transport may hand out others: see BusTransport.claim) */
  correlation?: string;
}

export interface FailOptions {
  retryable?: boolean;
  backoffBaseMs?: number;
}

export interface FailResult {
  state: 'retry' | 'dead';
  next_attempt_at: string | null;
}

export interface TaskRecord {
  id: number;
  event_id: string;
  correlation_id: string;
  agent: string;
  type: string;
  state: TaskState;
  attempts: number;
  max_attempts: number;
  failures: number;
  available_at: string;
  claimed_by: string | null;
  lease_until: string | null;
  created_at: string;
  finished_at: string | null;
  outcome: 'ok' | 'error' | null;
  last_error: TaskError | null;
  response_event: string | null;
  retried_as: number | null;
}

export interface LoggedMessage {
  seq: number;
  message: BusMessage;
}

export interface AgentStats {
  agent: string;
  queued: number;
  running: number;
  retrying: number;
  done: number;
  /** done with an error response (a handled refusal: not found, invalid) */
  errors: number;
  /** failed attempts (exceptions, expired claims, refused tokens) */
  failures: number;
  dead: number;
  p50_ms: number | null;
  p95_ms: number | null;
  /** (error responses + dead letters) / finished tasks */
  error_rate: number;
}

export interface DeadLetter {
  task_id: number;
  event_id: string;
  correlation_id: string;
  agent: string;
  type: string;
  attempts: number;
  error: TaskError | null;
  finished_at: string | null;
  retried_as: number | null;
}

export interface TrimCounts {
  messages: number;
  tasks: number;
  blobs: number;
}

export interface BusCounts {
  messages: number;
  tasks: number;
  open: number;
  dead: number;
}

/**
 * A bus transport. Every method is async (a network transport needs it; the SQLite one
 * answers at once). Inputs are validated by the caller (src/bus/bus.ts) before they get
 * here; a transport enforces idempotency keys (one request, at most one response per key)
 * and the task state machine (src/contracts/bus/task-state.ts) on its own storage.
 */
export interface BusTransport {
  readonly kind: 'sqlite' | 'redis';
  /** where it lives, for `dma db info`/errors (never with credentials) */
  readonly location: string;
  /** The HMAC secret for work tokens, created with the bus. Never print it. */
  secret(): Promise<string>;

  /** Log validated requests and queue a task each, all or nothing (see PublishResult). */
  publishMany(messages: readonly BusMessage[], opts?: PublishOptions): Promise<PublishResult[]>;
  /**
   * Claim up to `n` due tasks of `agent`: queued, retrying after their backoff, or claimed
   * by a consumer whose lease expired (redelivery; attempts used up → a dead letter).
   * The SQLite transport honours `correlation`; the Redis one hands out the agent stream's
   * next entries whatever their correlation (a stream has no filter), so an in-process
   * runtime there works as one more consumer.
   */
  claim(agent: string, n: number, opts?: ClaimOptions): Promise<ClaimedTask[]>;
  /** Extend a claim's lease (a long task still running). */
  heartbeat(taskId: number, leaseMs?: number): Promise<void>;
  /** Give a claimed task back to the queue unprocessed (a consumer shutting down). */
  release(taskId: number): Promise<void>;
  /** Answer claimed tasks with validated responses (each caused by its task's request). */
  ackMany(items: readonly { taskId: number; response: BusMessage }[]): Promise<BusMessage[]>;
  /** A claimed task failed: retry after a backoff, or a dead letter. */
  fail(taskId: number, error: TaskError, opts?: FailOptions): Promise<FailResult>;
  /** A dead letter round again: a new task for the same request. Returns the new task id. */
  retry(deadTaskId: number, workToken: string): Promise<number>;

  putBlob(correlationId: string, value: unknown, name?: string): Promise<string>;
  /**
   * Hand `value` to a consumer as a claim-check blob; `fn` gets its key. With the consumer
   * in this process (`local`) a transport may skip writing it (see the SQLite one).
   */
  withBlob<T>(
    name: string,
    correlationId: string,
    value: unknown,
    local: boolean,
    fn: (key: string) => Promise<T>,
  ): Promise<T>;
  getBlob(key: string): Promise<unknown>;
  deleteBlob(key: string): Promise<void>;
  blobs(correlationId: string): Promise<Record<string, unknown>>;

  task(id: number): Promise<TaskRecord>;
  tasks(correlationId: string): Promise<TaskRecord[]>;
  request(eventId: string): Promise<BusMessage>;
  responseFor(idempotencyKey: string): Promise<BusMessage | undefined>;
  openTasks(correlationId?: string): Promise<number>;
  nextDue(correlationId?: string): Promise<number | null>;
  agentsWithWork(correlationId?: string): Promise<string[]>;
  tail(opts?: { correlation?: string; since?: number; limit?: number }): Promise<LoggedMessage[]>;
  lastSeq(): Promise<number>;
  messages(correlationId: string): Promise<BusMessage[]>;
  stats(): Promise<AgentStats[]>;
  dead(opts?: { limit?: number }): Promise<DeadLetter[]>;
  trim(opts: { keep: number; dryRun?: boolean }): Promise<TrimCounts>;
  counts(): Promise<BusCounts>;
  /** Let go of connections this transport opened (the SQLite one borrows the store's). */
  close(): Promise<void>;
}
