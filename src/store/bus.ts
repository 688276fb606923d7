/**
 * The message bus on SQLite (ARCHITECTURE.md, "The bus on SQLite"): the semantics of the
 * original design's Redis Streams — an append-only log, consumer claims with a lease,
 * retries with exponential backoff, dead letters — in tables next to the campaign data.
 *
 *   publish(request)        → the request is logged and a task queued for its agent; a
 *                             request whose idempotency key was already answered returns
 *                             the stored response and never runs twice
 *   claim(agent, n)         → queued tasks (and expired claims) for the agent, atomically
 *   ack(task, response)     → the response is logged and the task is done
 *   fail(task, error)       → retry after a backoff, or a dead letter after N attempts
 *
 * Every state change goes through the contract's transition() and every write is one
 * BEGIN IMMEDIATE transaction, so concurrent consumers on one file never share a task.
 */
import { createHash } from 'node:crypto';
import { ConflictError, NotFoundError, UsageError } from '../core/errors.ts';
import type { TaskError } from '../contracts/bus/common.ts';
import type { BusMessage } from '../contracts/bus/envelope.ts';
import { envelopeRest, inEnvelopeOrder, validateMessage } from '../contracts/bus/validate.ts';
import type { MessageKind } from '../contracts/bus/vocabulary.ts';
import { transition, type TaskState } from '../contracts/bus/task-state.ts';
import { statementCache, type Db, type Statement } from './sqlite/connection.ts';
import type { SqliteStore as CampaignStore } from './sqlite/index.ts';

export const DEFAULT_LEASE_MS = 30_000;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const BACKOFF_BASE_MS = 100;
export const BACKOFF_MAX_MS = 60_000;
/** Published requests kept in memory for this process's own claims (a 10,000 batch fits). */
const PUBLISHED_KEPT = 20_000;

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

interface TaskRow {
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

/** The columns of bus_messages a message is read back from (see messageOf). */
const MESSAGE_COLUMNS =
  'event_id, correlation_id, causation_id, idempotency_key, timestamp, source, target, kind, type, envelope';

interface MessageRow {
  event_id: string;
  correlation_id: string;
  causation_id: string | null;
  idempotency_key: string;
  timestamp: string;
  source: string;
  target: string;
  kind: MessageKind;
  type: string;
  /** JSON: the rest of the envelope (payload, auth, api_version) */
  envelope: string;
}

/**
 * A logged message from its row. The envelope column holds only what has no column of its
 * own (payload, auth, api_version): the log stores each field once (a third less to write
 * per message). The fields are put back in the order of the validated envelope, so the
 * message serialises to the same bytes as the one that was published. (A row written with
 * the whole envelope in that column, by an earlier build, reads the same.)
 */
function messageOf(r: MessageRow): BusMessage {
  return inEnvelopeOrder(r, JSON.parse(r.envelope) as Parameters<typeof inEnvelopeOrder>[1]);
}

/** A blob's key: SHA-256 in hex (what entity.store_batch's `blob` field takes). */
const blobKey = (text: string) => createHash('sha256').update(text).digest('hex');

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function toRecord(r: TaskRow): TaskRecord {
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
    last_error: r.last_error === null ? null : (JSON.parse(r.last_error) as TaskError),
    response_event: r.response_event,
    retried_as: r.retried_as,
  };
}

function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)]!;
}

/** Thrown to roll a dry run's transaction back, carrying what it would have done. */
class DryRun extends Error {
  constructor(readonly counts: { messages: number; tasks: number; blobs: number }) {
    super('dry run');
  }
}

/** The bus over one open campaign connection. Get it with busOf(store). */
export class Bus {
  private readonly db: Db;
  private readonly clock: () => Date;
  private readonly stmt: (sql: string) => Statement;
  /** blobs written or read in this process, parsed (saves re-parsing a 10,000-NPC batch) */
  private readonly blobCache = new Map<string, unknown>();
  /**
   * Requests this process logged, by event id, until a claim here takes them (at most
   * PUBLISHED_KEPT, oldest dropped first: a request claimed by another process is never
   * taken here). A claim finds its tasks in the table, so an entry whose transaction was
   * rolled back is never used.
   */
  private readonly published = new Map<string, BusMessage>();
  /** blobs of withBlob() not written yet (written when its transaction ends, unless taken) */
  private readonly pendingBlobs = new Map<string, { correlationId: string; value: unknown }>();

  constructor(db: Db, opts: { clock: () => Date }) {
    this.db = db;
    this.stmt = statementCache(db);
    this.clock = opts.clock;
  }

  private nowMs(): number {
    return this.clock().getTime();
  }

  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** The HMAC secret for work tokens, created with the database. Never print it. */
  secret(): string {
    const v = this.stmt(`SELECT value FROM bus_meta WHERE key = 'work_token_secret'`)
      .pluck()
      .get() as string | undefined;
    if (v === undefined) throw new UsageError('the database has no work-token secret');
    return v;
  }

  // ------------------------------------------------------------------ publish

  /** Validate and log a request, queueing a task for its agent (see PublishResult). */
  publish(input: unknown, opts: PublishOptions = {}): PublishResult {
    return this.publishMany([input], opts)[0]!;
  }

  /**
   * publish() for many requests in one transaction, all or nothing. The batch's keys are
   * looked up in the log by one statement; a key repeated inside the batch is pending on
   * its first request.
   */
  publishMany(inputs: readonly unknown[], opts: PublishOptions = {}): PublishResult[] {
    const messages = inputs.map((input) => {
      const msg = validateMessage(input);
      if (msg.kind !== 'request')
        throw new UsageError('only requests are published; a response is published by ack()');
      return msg;
    });
    const results = this.write(() => {
      // the requests and responses already logged under the batch's keys (usually none)
      const logged = new Map<string, MessageRow[]>();
      for (const row of this.stmt(
        `SELECT ${MESSAGE_COLUMNS} FROM bus_messages
         WHERE idempotency_key IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(messages.map((m) => m.idempotency_key))) as MessageRow[]) {
        const rows = logged.get(row.idempotency_key);
        if (rows) rows.push(row);
        else logged.set(row.idempotency_key, [row]);
      }
      const queued = new Map<string, PublishResult & { status: 'queued' }>();
      const now = this.nowMs();
      return messages.map((msg): PublishResult => {
        const key = msg.idempotency_key;
        const first = queued.get(key);
        if (first) return { status: 'pending', event_id: first.event_id, task_id: first.task_id };
        const rows = logged.get(key);
        if (rows) return this.publishedBefore(rows);
        this.insertMessage(msg);
        const info = this.stmt(
          `INSERT INTO bus_tasks (event_id, correlation_id, agent, type, state, max_attempts,
             available_at, work_token, created_at)
           VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
        ).run(
          msg.event_id,
          msg.correlation_id,
          msg.target,
          msg.type,
          opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
          now,
          null, // the request's own token (migration 5)
          now,
        );
        const result = {
          status: 'queued' as const,
          event_id: msg.event_id,
          task_id: Number(info.lastInsertRowid),
        };
        queued.set(key, result);
        return result;
      });
    });
    // logged: a claim in this process takes them from memory (see requestsFor)
    messages.forEach((msg, i) => {
      if (results[i]!.status === 'queued') this.published.set(msg.event_id, msg);
    });
    for (const id of this.published.keys()) {
      if (this.published.size <= PUBLISHED_KEPT) break;
      this.published.delete(id);
    }
    return results;
  }

  /** A key already in the log: its response (answered) or its request (pending). */
  private publishedBefore(logged: readonly MessageRow[]): PublishResult {
    const response = logged.find((m) => m.kind === 'response');
    if (response) {
      const answered = messageOf(response);
      return { status: 'answered', event_id: answered.causation_id ?? '', response: answered };
    }
    const existing = logged[0]!.event_id;
    const task = this.stmt(`SELECT id FROM bus_tasks WHERE event_id = ? ORDER BY id DESC LIMIT 1`)
      .pluck()
      .get(existing) as number | undefined;
    return { status: 'pending', event_id: existing, task_id: task ?? null };
  }

  private insertMessage(msg: BusMessage): void {
    try {
      this.stmt(
        `INSERT INTO bus_messages (event_id, correlation_id, causation_id, idempotency_key, kind,
           type, source, target, timestamp, envelope)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        msg.event_id,
        msg.correlation_id,
        msg.causation_id ?? null,
        msg.idempotency_key,
        msg.kind,
        msg.type,
        msg.source,
        msg.target,
        msg.timestamp,
        envelopeRest(msg),
      );
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE')
        throw new ConflictError(`bus message ${msg.event_id} (${msg.kind}) is already logged`);
      throw err;
    }
  }

  // ------------------------------------------------------------------ consume

  /**
   * Atomically claim up to `n` tasks of `agent` that are due: queued, retrying after their
   * backoff, or claimed by a consumer whose lease expired (redelivery). A task whose
   * attempts are used up when its lease expires becomes a dead letter instead.
   */
  claim(
    agent: string,
    n: number,
    opts: { leaseMs?: number; consumer?: string; correlation?: string } = {},
  ): ClaimedTask[] {
    const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
    return this.write(() => {
      const now = this.nowMs();
      this.expireLeases(agent, now);
      const select = `SELECT t.id AS task_id, t.state AS task_state, t.attempts, t.work_token,
         t.event_id FROM bus_tasks t
         WHERE t.agent = ? AND t.state IN ('queued', 'retry') AND t.available_at <= ?`;
      const rows = (
        opts.correlation === undefined
          ? this.stmt(`${select} ORDER BY t.available_at, t.id LIMIT ?`).all(agent, now, n)
          : this.stmt(
              `${select} AND t.correlation_id = ? ORDER BY t.available_at, t.id LIMIT ?`,
            ).all(agent, now, opts.correlation, n)
      ) as {
        task_id: number;
        task_state: TaskState;
        attempts: number;
        work_token: string | null;
        event_id: string;
      }[];
      const logged = this.requestsFor(rows.map((r) => r.event_id));
      const out: ClaimedTask[] = [];
      for (const r of rows) {
        transition(r.task_state, 'claimed');
        const message = logged.get(r.event_id);
        if (!message) throw new NotFoundError(`bus task ${r.task_id}: its request is not logged`);
        out.push({
          task_id: r.task_id,
          attempt: r.attempts + 1,
          work_token: r.work_token ?? message.auth.work_token,
          message,
        });
      }
      // one statement for the whole batch (the ids as a JSON array)
      if (out.length > 0)
        this.stmt(
          `UPDATE bus_tasks SET state = 'claimed', attempts = attempts + 1, claimed_by = ?,
             lease_until = ? WHERE id IN (SELECT value FROM json_each(?))`,
        ).run(opts.consumer ?? null, now + leaseMs, JSON.stringify(out.map((t) => t.task_id)));
      return out;
    });
  }

  /**
   * The requests with these event ids: the ones this process published and nobody has
   * claimed yet from memory (the objects it validated and logged — no row to read back
   * and parse), the others from the log in one statement.
   */
  private requestsFor(eventIds: readonly string[]): Map<string, BusMessage> {
    const out = new Map<string, BusMessage>();
    const missing: string[] = [];
    for (const id of eventIds) {
      const m = this.published.get(id);
      if (m === undefined) missing.push(id);
      else {
        out.set(id, m);
        this.published.delete(id);
      }
    }
    if (missing.length > 0)
      for (const r of this.stmt(
        `SELECT ${MESSAGE_COLUMNS} FROM bus_messages
         WHERE event_id IN (SELECT value FROM json_each(?))`,
      ).all(JSON.stringify(missing)) as MessageRow[])
        out.set(r.event_id, messageOf(r));
    return out;
  }

  /** Claims of `agent` whose lease ran out go back to the queue (or die, attempts used up). */
  private expireLeases(agent: string, now: number): void {
    const expired = this.stmt(
      `SELECT * FROM bus_tasks WHERE state = 'claimed' AND agent = ? AND lease_until <= ?`,
    ).all(agent, now) as TaskRow[];
    for (const r of expired) {
      if (r.attempts >= r.max_attempts) {
        this.failRow(
          r,
          {
            code: 'LEASE_EXPIRED',
            message: `the consumer's claim expired ${r.attempts} times (crashed?)`,
          },
          false,
          now,
        );
      } else {
        transition(r.state, 'queued');
        this.stmt(
          `UPDATE bus_tasks SET state = 'queued', claimed_by = NULL, lease_until = NULL,
             failures = failures + 1, last_error = ?, available_at = ? WHERE id = ?`,
        ).run(
          JSON.stringify({ code: 'LEASE_EXPIRED', message: 'the claim expired before an ack' }),
          now,
          r.id,
        );
      }
    }
  }

  /** Extend a claim's lease (a long task still running). */
  heartbeat(taskId: number, leaseMs = DEFAULT_LEASE_MS): void {
    this.write(() => {
      const r = this.taskRow(taskId);
      if (r.state !== 'claimed')
        throw new ConflictError(`task ${taskId} is ${r.state}, not claimed`);
      this.stmt('UPDATE bus_tasks SET lease_until = ? WHERE id = ?').run(
        this.nowMs() + leaseMs,
        taskId,
      );
    });
  }

  /** Give a claimed task back to the queue unprocessed (a consumer shutting down). */
  release(taskId: number): void {
    this.write(() => {
      const r = this.taskRow(taskId);
      transition(r.state, 'queued');
      this.stmt(
        `UPDATE bus_tasks SET state = 'queued', attempts = max(0, attempts - 1),
           claimed_by = NULL, lease_until = NULL, available_at = ? WHERE id = ?`,
      ).run(this.nowMs(), taskId);
    });
  }

  /**
   * Answer a claimed task: the response (validated, caused by the task's request) is
   * logged and the task is done. Returns the logged response.
   */
  ack(taskId: number, response: unknown): BusMessage {
    return this.ackMany([{ taskId, response }])[0]!;
  }

  /**
   * ack() for many tasks in one transaction: the tasks are read by one statement and
   * marked done by another (the responses are logged one by one). All or nothing.
   */
  ackMany(items: readonly { taskId: number; response: unknown }[]): BusMessage[] {
    return this.write(() => {
      // the two columns an ack needs, not the whole row
      const rows = this.stmt(
        'SELECT id, state, event_id FROM bus_tasks WHERE id IN (SELECT value FROM json_each(?))',
      ).all(JSON.stringify(items.map((i) => i.taskId))) as Pick<
        TaskRow,
        'id' | 'state' | 'event_id'
      >[];
      const tasks = new Map(rows.map((r) => [r.id, r]));
      const done: [id: number, outcome: 'ok' | 'error', response: string][] = [];
      const out = items.map(({ taskId, response }) => {
        const r = tasks.get(taskId);
        if (!r)
          throw new NotFoundError(`no bus task ${taskId}`, {
            hint: 'dma bus dead lists dead letters',
          });
        r.state = transition(r.state, 'done');
        const msg = validateMessage(response);
        if (msg.kind !== 'response' || msg.causation_id !== r.event_id)
          throw new UsageError(
            `the response to task ${taskId} must be caused by event ${r.event_id}`,
          );
        this.insertMessage(msg);
        done.push([taskId, (msg.payload as { status: 'ok' | 'error' }).status, msg.event_id]);
        return msg;
      });
      this.stmt(
        `UPDATE bus_tasks SET state = 'done', lease_until = NULL, finished_at = ?,
           outcome = d.value ->> 1, response_event = d.value ->> 2
         FROM json_each(?) AS d WHERE bus_tasks.id = d.value ->> 0`,
      ).run(this.nowMs(), JSON.stringify(done));
      return out;
    });
  }

  /**
   * A claimed task failed (an exception, a crash): it is retried after an exponential
   * backoff, or becomes a dead letter (with the error) when its attempts are used up or
   * `retryable` is false (a refused work token will not get better).
   */
  fail(
    taskId: number,
    error: TaskError,
    opts: { retryable?: boolean; backoffBaseMs?: number } = {},
  ): { state: 'retry' | 'dead'; next_attempt_at: string | null } {
    return this.write(() => {
      const r = this.taskRow(taskId);
      return this.failRow(r, error, opts.retryable ?? true, this.nowMs(), opts.backoffBaseMs);
    });
  }

  private failRow(
    r: TaskRow,
    error: TaskError,
    retryable: boolean,
    now: number,
    backoffBaseMs?: number,
  ): { state: 'retry' | 'dead'; next_attempt_at: string | null } {
    transition(r.state, 'failed');
    const next: 'retry' | 'dead' = retryable && r.attempts < r.max_attempts ? 'retry' : 'dead';
    transition('failed', next);
    const at = next === 'retry' ? now + backoffMs(r.attempts, backoffBaseMs) : r.available_at;
    this.stmt(
      `UPDATE bus_tasks SET state = ?, failures = failures + 1, last_error = ?, claimed_by = NULL,
         lease_until = NULL, available_at = ?, finished_at = ? WHERE id = ?`,
    ).run(next, JSON.stringify(error), at, next === 'dead' ? now : null, r.id);
    return { state: next, next_attempt_at: next === 'retry' ? iso(at) : null };
  }

  /**
   * Send a dead letter round again: a new task for the same request (dead is final, so
   * the old task stays as the record), with a fresh work token. Returns the new task id.
   */
  retry(deadTaskId: number, workToken: string): number {
    return this.write(() => {
      const r = this.taskRow(deadTaskId);
      if (r.state !== 'dead')
        throw new ConflictError(`task ${deadTaskId} is ${r.state}, not a dead letter`, {
          hint: 'dma bus dead lists the dead letters',
        });
      if (r.retried_as !== null)
        throw new ConflictError(
          `dead letter ${deadTaskId} was already retried as task ${r.retried_as}`,
        );
      const now = this.nowMs();
      const info = this.stmt(
        `INSERT INTO bus_tasks (event_id, correlation_id, agent, type, state, max_attempts,
           available_at, work_token, created_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
      ).run(r.event_id, r.correlation_id, r.agent, r.type, r.max_attempts, now, workToken, now);
      const id = Number(info.lastInsertRowid);
      this.stmt('UPDATE bus_tasks SET retried_as = ? WHERE id = ?').run(id, deadTaskId);
      return id;
    });
  }

  // ------------------------------------------------------------------ blobs

  /**
   * Store a claim-check payload; returns its key: the SHA-256 of `name` when given (see
   * withBlob), else of the payload's JSON.
   */
  putBlob(correlationId: string, value: unknown, name?: string): string {
    const body = JSON.stringify(value);
    const key = blobKey(name ?? body);
    this.write(() => {
      this.stmt(
        `INSERT OR IGNORE INTO bus_blobs (key, correlation_id, body, created_at) VALUES (?, ?, ?, ?)`,
      ).run(key, correlationId, body, this.clock().toISOString());
    });
    this.blobCache.set(key, value);
    return key;
  }

  /**
   * Hand `value` to a consumer as a claim-check blob: `fn` gets its key (and publishes the
   * request that names it, and returns once that request is answered). The key is the
   * SHA-256 of `name`, which names the hand-over — the handing task's idempotency key and
   * step — so a redelivered task hands over under the same key, and two batches with the
   * same content in different requests never share (or delete) one blob. When the
   * consumer runs in this process (`local`), `fn` runs in one write transaction (the
   * caller's, if one is open) and the blob row is written only at its end, and only if
   * `fn` failed before the consumer took it: a batch stored in process is neither
   * serialised nor written (10,000 NPCs are ~57 MB of JSON). A request left open (a crash,
   * a retry, a dead letter) finds its blob in the table, for any consumer; a crash before
   * the commit rolls the whole step back, and the redelivered task runs it again.
   */
  async withBlob<T>(
    name: string,
    correlationId: string,
    value: unknown,
    local: boolean,
    fn: (key: string) => Promise<T>,
  ): Promise<T> {
    if (!local) return fn(this.putBlob(correlationId, value, name));
    const key = blobKey(name);
    // inside a caller's transaction (store.batchWrites: an orchestrated request) that one
    // commits the step; otherwise the step is a transaction of its own
    const own = !this.db.inTransaction;
    if (own) this.db.exec('BEGIN IMMEDIATE');
    this.blobCache.set(key, value);
    this.pendingBlobs.set(key, { correlationId, value });
    let answered = false;
    try {
      const result = await fn(key);
      answered = true;
      return result;
    } finally {
      const pending = this.pendingBlobs.get(key);
      this.pendingBlobs.delete(key);
      if (this.db.inTransaction) {
        if (pending && !answered)
          this.stmt(
            `INSERT OR IGNORE INTO bus_blobs (key, correlation_id, body, created_at) VALUES (?, ?, ?, ?)`,
          ).run(
            key,
            pending.correlationId,
            JSON.stringify(pending.value),
            this.clock().toISOString(),
          );
        if (own) this.db.exec('COMMIT');
      }
    }
  }

  getBlob(key: string): unknown {
    if (this.blobCache.has(key)) return this.blobCache.get(key);
    const body = this.stmt('SELECT body FROM bus_blobs WHERE key = ?').pluck().get(key) as
      string | undefined;
    if (body === undefined) throw new NotFoundError(`no bus blob ${key}`);
    const value = JSON.parse(body) as unknown;
    this.blobCache.set(key, value);
    return value;
  }

  deleteBlob(key: string): void {
    this.write(() => this.stmt('DELETE FROM bus_blobs WHERE key = ?').run(key));
    this.blobCache.delete(key);
    this.pendingBlobs.delete(key);
  }

  /** The blobs of a correlation, by key (for a session file). */
  blobs(correlationId: string): Record<string, unknown> {
    const rows = this.stmt('SELECT key, body FROM bus_blobs WHERE correlation_id = ?').all(
      correlationId,
    ) as { key: string; body: string }[];
    return Object.fromEntries(rows.map((r) => [r.key, JSON.parse(r.body) as unknown]));
  }

  // ------------------------------------------------------------------ queries

  private taskRow(id: number): TaskRow {
    const r = this.stmt('SELECT * FROM bus_tasks WHERE id = ?').get(id) as TaskRow | undefined;
    if (!r)
      throw new NotFoundError(`no bus task ${id}`, { hint: 'dma bus dead lists dead letters' });
    return r;
  }

  task(id: number): TaskRecord {
    return toRecord(this.taskRow(id));
  }

  /** The logged request with this event id. */
  request(eventId: string): BusMessage {
    const row = this.stmt(`SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE event_id = ?`).get(
      eventId,
    ) as MessageRow | undefined;
    if (row === undefined) throw new NotFoundError(`no bus message ${eventId}`);
    return messageOf(row);
  }

  /** The logged response for an idempotency key, if it was answered. */
  responseFor(idempotencyKey: string): BusMessage | undefined {
    const row = this.stmt(
      `SELECT ${MESSAGE_COLUMNS} FROM bus_messages WHERE idempotency_key = ? AND kind = 'response'`,
    ).get(idempotencyKey) as MessageRow | undefined;
    return row === undefined ? undefined : messageOf(row);
  }

  /** Tasks of a correlation not yet finished (queued, claimed, retrying). */
  openTasks(correlationId?: string): number {
    return correlationId === undefined
      ? (this.stmt(
          `SELECT count(*) FROM bus_tasks WHERE state IN ('queued', 'claimed', 'failed', 'retry')`,
        )
          .pluck()
          .get() as number)
      : (this.stmt(
          `SELECT count(*) FROM bus_tasks
           WHERE correlation_id = ? AND state IN ('queued', 'claimed', 'failed', 'retry')`,
        )
          .pluck()
          .get(correlationId) as number);
  }

  /** When the next retrying task of a correlation (or any) becomes due, epoch ms. */
  nextDue(correlationId?: string): number | null {
    const sql = `SELECT min(CASE WHEN state = 'claimed' THEN lease_until ELSE available_at END)
      FROM bus_tasks WHERE state IN ('queued', 'claimed', 'retry')${correlationId === undefined ? '' : ' AND correlation_id = ?'}`;
    const v = (
      correlationId === undefined
        ? this.stmt(sql).pluck().get()
        : this.stmt(sql).pluck().get(correlationId)
    ) as number | null;
    return v;
  }

  /** Agents with due work for a correlation (or any). */
  agentsWithWork(correlationId?: string): string[] {
    const now = this.nowMs();
    const sql = `SELECT DISTINCT agent FROM bus_tasks
      WHERE ((state IN ('queued', 'retry') AND available_at <= ?) OR (state = 'claimed' AND lease_until <= ?))
      ${correlationId === undefined ? '' : 'AND correlation_id = ?'} ORDER BY agent`;
    return (
      correlationId === undefined
        ? this.stmt(sql).pluck().all(now, now)
        : this.stmt(sql).pluck().all(now, now, correlationId)
    ) as string[];
  }

  /** Logged messages after `since` (a seq cursor), of one correlation or all, oldest first. */
  tail(opts: { correlation?: string; since?: number; limit?: number } = {}): LoggedMessage[] {
    const since = opts.since ?? 0;
    const limit = opts.limit ?? 1000;
    const rows = (
      opts.correlation === undefined
        ? this.stmt(
            `SELECT seq, ${MESSAGE_COLUMNS} FROM bus_messages WHERE seq > ? ORDER BY seq LIMIT ?`,
          ).all(since, limit)
        : this.stmt(
            `SELECT seq, ${MESSAGE_COLUMNS} FROM bus_messages WHERE correlation_id = ? AND seq > ? ORDER BY seq LIMIT ?`,
          ).all(opts.correlation, since, limit)
    ) as (MessageRow & { seq: number })[];
    return rows.map((r) => ({ seq: r.seq, message: messageOf(r) }));
  }

  /** The seq of the newest message (0 when empty): where a `--follow` starts. */
  lastSeq(): number {
    return (
      (this.stmt('SELECT coalesce(max(seq), 0) FROM bus_messages').pluck().get() as number) ?? 0
    );
  }

  /** The correlation's messages, oldest first. */
  messages(correlationId: string): BusMessage[] {
    return this.tail({ correlation: correlationId, limit: 1_000_000 }).map((m) => m.message);
  }

  tasks(correlationId: string): TaskRecord[] {
    return (
      this.stmt('SELECT * FROM bus_tasks WHERE correlation_id = ? ORDER BY id').all(
        correlationId,
      ) as TaskRow[]
    ).map(toRecord);
  }

  stats(): AgentStats[] {
    const rows = this.stmt(
      `SELECT agent, state, outcome, failures, created_at, finished_at FROM bus_tasks`,
    ).all() as Pick<
      TaskRow,
      'agent' | 'state' | 'outcome' | 'failures' | 'created_at' | 'finished_at'
    >[];
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

  dead(opts: { limit?: number } = {}): DeadLetter[] {
    return (
      this.stmt(`SELECT * FROM bus_tasks WHERE state = 'dead' ORDER BY id LIMIT ?`).all(
        opts.limit ?? 1000,
      ) as TaskRow[]
    ).map((r) => ({
      task_id: r.id,
      event_id: r.event_id,
      correlation_id: r.correlation_id,
      agent: r.agent,
      type: r.type,
      attempts: r.attempts,
      error: r.last_error === null ? null : (JSON.parse(r.last_error) as TaskError),
      finished_at: iso(r.finished_at),
      retried_as: r.retried_as,
    }));
  }

  /**
   * Keep the newest `keep` messages (the retention limit): older messages go, with their
   * finished tasks and their correlations' blobs. Messages of unfinished tasks stay.
   */
  trim(opts: { keep: number; dryRun?: boolean }): {
    messages: number;
    tasks: number;
    blobs: number;
  } {
    if (!Number.isInteger(opts.keep) || opts.keep < 0)
      throw new UsageError(`keep must be a non-negative integer, got ${opts.keep}`);
    try {
      return this.write(() => {
        const cutoff =
          (this.stmt('SELECT seq FROM bus_messages ORDER BY seq DESC LIMIT 1 OFFSET ?')
            .pluck()
            .get(Math.max(0, opts.keep - 1)) as number | undefined) ?? 0;
        const bound = opts.keep === 0 ? Number.MAX_SAFE_INTEGER : cutoff;
        const open = `SELECT event_id FROM bus_tasks WHERE state IN ('queued', 'claimed', 'failed', 'retry')`;
        const messages = this.stmt(
          `DELETE FROM bus_messages WHERE seq < ? AND event_id NOT IN (${open})
           AND coalesce(causation_id, '') NOT IN (${open})`,
        ).run(bound).changes;
        const tasks = this.stmt(
          `DELETE FROM bus_tasks WHERE state IN ('done', 'dead')
           AND event_id NOT IN (SELECT event_id FROM bus_messages)`,
        ).run().changes;
        const blobs = this.stmt(
          `DELETE FROM bus_blobs WHERE correlation_id NOT IN (SELECT correlation_id FROM bus_messages)`,
        ).run().changes;
        if (opts.dryRun) throw new DryRun({ messages, tasks, blobs });
        return { messages, tasks, blobs };
      });
    } catch (err) {
      if (err instanceof DryRun) return err.counts;
      throw err;
    }
  }

  counts(): { messages: number; tasks: number; open: number; dead: number } {
    return {
      messages: this.stmt('SELECT count(*) FROM bus_messages').pluck().get() as number,
      tasks: this.stmt('SELECT count(*) FROM bus_tasks').pluck().get() as number,
      open: this.openTasks(),
      dead: this.stmt(`SELECT count(*) FROM bus_tasks WHERE state = 'dead'`)
        .pluck()
        .get() as number,
    };
  }
}

const buses = new WeakMap<CampaignStore, Bus>();

/** The bus in a campaign's database (one per open store). */
export function busOf(store: CampaignStore): Bus {
  let bus = buses.get(store);
  if (!bus) {
    const { db, clock } = store.connection();
    bus = new Bus(db, { clock });
    buses.set(store, bus);
  }
  return bus;
}
