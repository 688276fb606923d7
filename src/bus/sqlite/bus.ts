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
import { ConflictError, NotFoundError, UsageError } from '../../core/errors.ts';
import type { TaskError } from '../../contracts/bus/common.ts';
import type { BusMessage } from '../../contracts/bus/envelope.ts';
import { envelopeRest, inEnvelopeOrder } from '../../contracts/bus/validate.ts';
import type { MessageKind } from '../../contracts/bus/vocabulary.ts';
import {
  canTransition,
  TASK_STATES,
  transition,
  type TaskState,
} from '../../contracts/bus/task-state.ts';
import {
  backoffMs,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_ATTEMPTS,
  type AgentStats,
  type ClaimedTask,
  type DeadLetter,
  type FailResult,
  type LoggedMessage,
  type PublishOptions,
  type PublishResult,
  type TaskRecord,
  type TrimCounts,
} from '../types.ts';
import { checkCausation, outcomeOf, toRequests, toResponse } from '../envelope.ts';
import {
  blobKey,
  iso,
  leaseExpired,
  statsOf,
  toDeadLetter,
  toRecord,
  type StatsRow,
  type TaskRow,
} from '../records.ts';
import { statementCache, type Db, type Statement } from '../../store/sqlite/connection.ts';
import { checkpointSoon } from '../../store/sqlite/checkpoint.ts';
import type { SqliteStore as CampaignStore } from '../../store/sqlite/index.ts';

/**
 * A write of this many rows (messages logged, tasks claimed) or more is a bulk write: it
 * gets a page cache of BULK_CACHE_KIB instead of SQLite's 2 MB for its transaction. A
 * batch of 10,000 requests writes ~11 MB of pages; in 2 MB, SQLite spills dirty pages to
 * the log in the middle of the transaction and reads index pages back from it (publish +
 * claim + ack of 10,000: the main thread's CPU 392 -> 350 ms). The memory is given back
 * when the transaction ends, so a process that once wrote a batch (a saved `npc create`
 * through the bus) does not keep it.
 */
const BULK_ROWS = 1000;
const BULK_CACHE_KIB = 16 * 1024;

/** Published requests kept in memory for this process's own claims (a 10,000 batch fits). */
const PUBLISHED_KEPT = 20_000;

/** The columns of bus_messages a message is read back from (see messageOf). */
const MESSAGE_COLUMNS =
  'event_id, correlation_id, causation_id, idempotency_key, timestamp, source, target, kind, type, envelope';

/**
 * The logged message of the row aliased `m` as JSON text, built by SQLite: the fields
 * with columns of their own, in the envelope's order (a null causation is none), then the
 * envelope column's payload, auth and api_version (see envelopeRest). JSON.parse of it is
 * the message messageOf builds, in one call instead of a string per column, an object per
 * row and a parse of the envelope (the four consumers' claims of 10,000 requests: the
 * SELECT's CPU 51 -> 36-40 ms, the claims' 91 -> 83 ms).
 * NULL for a row with no message, or of an earlier build (the whole envelope in the
 * column): such a row is read by messageOf.
 */
const messageJson = (m: string) =>
  `CASE WHEN substr(${m}.envelope, 1, 11) = '{"payload":' THEN '{"event_id":' || json_quote(${m}.event_id)
     || ',"correlation_id":' || json_quote(${m}.correlation_id)
     || CASE WHEN ${m}.causation_id IS NULL THEN '' ELSE ',"causation_id":' || json_quote(${m}.causation_id) END
     || ',"idempotency_key":' || json_quote(${m}.idempotency_key) || ',"timestamp":' || json_quote(${m}.timestamp)
     || ',"source":' || json_quote(${m}.source) || ',"target":' || json_quote(${m}.target)
     || ',"kind":' || json_quote(${m}.kind) || ',"type":' || json_quote(${m}.type)
     || ',' || substr(${m}.envelope, 2) END`;

/** A claim's row: the task, and with its request when joined (seq, messageJson). */
type ClaimRow = [
  id: number,
  state: TaskState,
  attempts: number,
  workToken: string | null,
  eventId: string,
  seq?: number | null,
  json?: string | null,
];

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

/**
 * The states an ack may move a task out of (the state machine's: only `claimed`), as the
 * SQL list of the guarded UPDATE in ackValidated.
 */
const ACKABLE = TASK_STATES.filter((s) => canTransition(s, 'done'))
  .map((s) => `'${s}'`)
  .join(', ');

/** Thrown to roll back a batch of acks that goes task by task instead (see ackBatch). */
class NotOneBatch extends Error {
  constructor() {
    super('not one batch');
  }
}

/** Thrown to roll a dry run's transaction back, carrying what it would have done. */
class DryRun extends Error {
  constructor(readonly counts: { messages: number; tasks: number; blobs: number }) {
    super('dry run');
  }
}

/** The bus over one open campaign connection. Get it with busOf(store). */
export class SqliteBus {
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

  /**
   * One BEGIN IMMEDIATE transaction. One that writes `rows` >= BULK_ROWS rows (a batch of
   * messages or claims) runs with a page cache of BULK_CACHE_KIB, and the connection's own
   * size is put back after it (SQLite then frees the pages beyond it).
   */
  private write<T>(fn: () => T, rows = 0): T {
    if (rows < BULK_ROWS) return this.db.transaction(fn).immediate();
    const size = this.db.pragma('cache_size', { simple: true }) as number;
    this.db.pragma(`cache_size = -${BULK_CACHE_KIB}`);
    try {
      return this.db.transaction(fn).immediate();
    } finally {
      this.db.pragma(`cache_size = ${size}`);
    }
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
    return this.publishValidated(toRequests(inputs), opts);
  }

  /** publishMany() for requests already validated (the transport's entry). */
  publishValidated(messages: readonly BusMessage[], opts: PublishOptions = {}): PublishResult[] {
    const results = this.write((): PublishResult[] => {
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
      const queued = new Map<string, { status: 'queued'; event_id: string; task_id: number }>();
      const now = this.nowMs();
      // the requests logged here, in order, with the seqs of the first and the last
      // (firstSeq -1: not consecutive); a key repeated in the batch gets its first's task
      const fresh: { msg: BusMessage; result: { task_id: number } }[] = [];
      const repeats: { result: { task_id: number | null }; first: { task_id: number } }[] = [];
      let firstSeq = 0;
      let lastSeq = 0;
      const results = messages.map((msg): PublishResult => {
        const key = msg.idempotency_key;
        const first = queued.get(key);
        if (first) {
          const result = { status: 'pending' as const, event_id: first.event_id, task_id: 0 };
          repeats.push({ result, first });
          return result;
        }
        const rows = logged.get(key);
        if (rows) return this.publishedBefore(rows);
        const seq = this.insertMessage(msg);
        if (fresh.length === 0) firstSeq = seq;
        else if (seq !== lastSeq + 1) firstSeq = -1;
        lastSeq = seq;
        const result = { status: 'queued' as const, event_id: msg.event_id, task_id: 0 };
        queued.set(key, result);
        fresh.push({ msg, result });
        return result;
      });
      this.queueTasks(fresh, firstSeq, lastSeq, opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, now);
      for (const { result, first } of repeats) result.task_id = first.task_id;
      return results;
    }, messages.length);
    checkpointSoon(this.db, messages.length);
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

  /**
   * A queued task for each request just logged (their seqs from first to last, when they
   * are consecutive: then every row in that range is one of them). One INSERT ... SELECT
   * from the log writes them all: one statement instead of one per request (publish's
   * CPU, 10,000 requests: the tasks' inserts 38 → 23 ms). SQLite gives the rows of one
   * INSERT the ids after the table's largest, in the SELECT's order, so when the last id is
   * the largest before plus the count, the ids are known without reading them back (a
   * RETURNING of 10,000 rows, and a map from event id to task id, cost as much as the
   * insert). Other seqs (a log whose seqs ran out, never in practice) get one INSERT per
   * task.
   */
  private queueTasks(
    logged: readonly { msg: BusMessage; result: { task_id: number } }[],
    firstSeq: number,
    lastSeq: number,
    maxAttempts: number,
    now: number,
  ): void {
    if (logged.length === 0) return;
    if (firstSeq > 0 && lastSeq - firstSeq + 1 === logged.length) {
      const before = this.stmt('SELECT coalesce(max(id), 0) FROM bus_tasks')
        .pluck()
        .get() as number;
      const info = this.stmt(
        `INSERT INTO bus_tasks (event_id, correlation_id, agent, type, state, max_attempts,
           available_at, work_token, created_at)
         SELECT event_id, correlation_id, target, type, 'queued', ?, ?, NULL, ?
         FROM bus_messages WHERE seq BETWEEN ? AND ? ORDER BY seq`,
      ).run(maxAttempts, now, now, firstSeq, lastSeq);
      if (
        info.changes === logged.length &&
        Number(info.lastInsertRowid) === before + logged.length
      ) {
        logged.forEach(({ result }, i) => (result.task_id = before + 1 + i));
        return;
      }
      // ids not in a row (never in practice): read them back; only the tasks just queued
      // have these requests' event ids
      const ids = new Map<string, number>();
      for (const [id, eventId] of this.stmt(
        `SELECT id, event_id FROM bus_tasks
         WHERE event_id IN (SELECT event_id FROM bus_messages WHERE seq BETWEEN ? AND ?)`,
      )
        .raw()
        .all(firstSeq, lastSeq) as [number, string][])
        ids.set(eventId, id);
      for (const { msg, result } of logged) result.task_id = ids.get(msg.event_id)!;
      return;
    }
    const insert = this.stmt(
      `INSERT INTO bus_tasks (event_id, correlation_id, agent, type, state, max_attempts,
         available_at, work_token, created_at)
       VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?)`,
    );
    for (const { msg, result } of logged)
      result.task_id = Number(
        insert.run(
          msg.event_id,
          msg.correlation_id,
          msg.target,
          msg.type,
          maxAttempts,
          now,
          null, // the request's own token (migration 5)
          now,
        ).lastInsertRowid,
      );
  }

  /** Log a message; returns its seq. */
  private insertMessage(msg: BusMessage): number {
    try {
      return Number(
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
        ).lastInsertRowid,
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
      // A bus that published nothing (a worker's) reads each request with its task, in the
      // same statement; one that did takes the requests it logged from memory (requestsFor).
      const joined = this.published.size === 0;
      const select = `SELECT t.id, t.state, t.attempts, t.work_token, t.event_id${joined ? `, m.seq, ${messageJson('m')} FROM bus_tasks t LEFT JOIN bus_messages m ON m.event_id = t.event_id` : ' FROM bus_tasks t'}
         WHERE t.agent = ? AND t.state IN ('queued', 'retry') AND t.available_at <= ?`;
      const rows = (
        opts.correlation === undefined
          ? this.stmt(`${select} ORDER BY t.available_at, t.id LIMIT ?`).raw().all(agent, now, n)
          : this.stmt(`${select} AND t.correlation_id = ? ORDER BY t.available_at, t.id LIMIT ?`)
              .raw()
              .all(agent, now, opts.correlation, n)
      ) as ClaimRow[];
      const logged = joined ? undefined : this.requestsFor(rows.map((r) => r[4]));
      const out: ClaimedTask[] = [];
      for (const [taskId, state, attempts, workToken, eventId, seq, json] of rows) {
        transition(state, 'claimed');
        const message = logged
          ? logged.get(eventId)
          : typeof json === 'string'
            ? (JSON.parse(json) as BusMessage)
            : typeof seq === 'number'
              ? this.request(eventId) // a row of an earlier build (see messageJson)
              : undefined;
        if (!message) throw new NotFoundError(`bus task ${taskId}: its request is not logged`);
        out.push({
          task_id: taskId,
          attempt: attempts + 1,
          work_token: workToken ?? message.auth.work_token,
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
    }, n);
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
        this.failRow(r, leaseExpired(r.attempts, true), false, now);
      } else {
        transition(r.state, 'queued');
        this.stmt(
          `UPDATE bus_tasks SET state = 'queued', claimed_by = NULL, lease_until = NULL,
             failures = failures + 1, last_error = ?, available_at = ? WHERE id = ?`,
        ).run(JSON.stringify(leaseExpired(r.attempts, false)), now, r.id);
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
   * ack() for many tasks in one transaction, all or nothing: each task is marked done by
   * one UPDATE guarded by the state machine (see ACKABLE) and the task's request, then its
   * response is logged.
   */
  ackMany(items: readonly { taskId: number; response: unknown }[]): BusMessage[] {
    return this.ackValidated(
      items.map((i) => ({ taskId: i.taskId, response: toResponse(i.response) })),
    );
  }

  /**
   * ackMany() for responses already validated (the transport's entry). A batch is logged
   * and marked done by ackBatch; one it cannot take (or a single ack) goes task by task:
   * each task is marked done by one UPDATE guarded by the state machine (see ACKABLE) and
   * the task's request, then its response is logged. A task the guarded UPDATE misses is
   * read back for the reason, in the order the checks always had: no such task, an
   * illegal transition, a response not caused by the task's request.
   */
  ackValidated(items: readonly { taskId: number; response: BusMessage }[]): BusMessage[] {
    if (items.length > 1) {
      try {
        const logged = this.write(() => this.ackBatch(items), items.length);
        checkpointSoon(this.db, logged.length);
        return logged;
      } catch (err) {
        if (!(err instanceof NotOneBatch)) throw err;
      }
    }
    const logged = this.write(() => {
      const now = this.nowMs();
      const markDone = this.stmt(
        `UPDATE bus_tasks SET state = 'done', lease_until = NULL, finished_at = ?, outcome = ?,
           response_event = ? WHERE id = ? AND state IN (${ACKABLE}) AND event_id = ?`,
      );
      return items.map(({ taskId, response: msg }) => {
        const isResponse = msg.kind === 'response';
        const marked = markDone.run(
          now,
          isResponse ? outcomeOf(msg) : null,
          msg.event_id,
          taskId,
          isResponse ? (msg.causation_id ?? null) : null,
        ).changes;
        if (marked === 0) this.refuseAck(taskId, msg);
        this.insertMessage(msg);
        return msg;
      });
    }, items.length);
    checkpointSoon(this.db, logged.length);
    return logged;
  }

  /**
   * A batch of acks in two steps: the responses are logged (one INSERT each, consecutive
   * seqs), then one UPDATE ... FROM marks every task done, each joined to its response by
   * seq, under the same guards as the one-by-one UPDATE (claimed, caused by the task's
   * request). The task ids go in as one JSON array, signed by the outcome (negative:
   * error). Throws NotOneBatch, and the caller's write rolls the batch back, when any item
   * is not plainly right — not a response, a response already logged, a task that is not
   * marked (missing, not claimed, answered twice in the batch, another request's) — so the
   * one-by-one path redoes it and refuses the same item with the same error as always.
   * (CPU, 10,000 acks: the tasks' UPDATEs 42 → 23 ms.)
   */
  private ackBatch(items: readonly { taskId: number; response: BusMessage }[]): BusMessage[] {
    const now = this.nowMs();
    const marks: number[] = [];
    let first = 0;
    let last = 0;
    for (const { taskId, response: msg } of items) {
      if (msg.kind !== 'response' || !Number.isSafeInteger(taskId) || taskId <= 0)
        throw new NotOneBatch();
      let seq: number;
      try {
        seq = this.insertMessage(msg);
      } catch (err) {
        if (err instanceof ConflictError) throw new NotOneBatch();
        throw err;
      }
      if (marks.length === 0) first = seq;
      else if (seq !== last + 1) throw new NotOneBatch();
      last = seq;
      marks.push(outcomeOf(msg) === 'ok' ? taskId : -taskId);
    }
    const marked = this.stmt(
      `UPDATE bus_tasks SET state = 'done', lease_until = NULL, finished_at = ?,
         outcome = CASE WHEN j.value > 0 THEN 'ok' ELSE 'error' END, response_event = m.event_id
       FROM json_each(?) j JOIN bus_messages m ON m.seq = ? + j.key
       WHERE bus_tasks.id = abs(j.value) AND bus_tasks.state IN (${ACKABLE})
         AND bus_tasks.event_id = m.causation_id`,
    ).run(now, JSON.stringify(marks), first).changes;
    if (marked !== items.length) throw new NotOneBatch();
    return items.map((i) => i.response);
  }

  /** Why an ack's UPDATE found no task to mark done (throws). */
  private refuseAck(taskId: number, msg: BusMessage): never {
    const r = this.stmt('SELECT state, event_id FROM bus_tasks WHERE id = ?').get(taskId) as
      Pick<TaskRow, 'state' | 'event_id'> | undefined;
    if (!r)
      throw new NotFoundError(`no bus task ${taskId}`, {
        hint: 'dma bus dead lists dead letters',
      });
    transition(r.state, 'done');
    checkCausation(msg, taskId, r.event_id);
    throw new ConflictError(`bus task ${taskId} was not marked done`); // not reached
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
  ): FailResult {
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
  ): FailResult {
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
    return statsOf(
      this.stmt(
        `SELECT agent, state, outcome, failures, created_at, finished_at FROM bus_tasks`,
      ).all() as StatsRow[],
    );
  }

  dead(opts: { limit?: number } = {}): DeadLetter[] {
    return (
      this.stmt(`SELECT * FROM bus_tasks WHERE state = 'dead' ORDER BY id LIMIT ?`).all(
        opts.limit ?? 1000,
      ) as TaskRow[]
    ).map(toDeadLetter);
  }

  /**
   * Keep the newest `keep` messages (the retention limit): older messages go, with their
   * finished tasks and their correlations' blobs. Messages of unfinished tasks stay.
   */
  trim(opts: { keep: number; dryRun?: boolean }): TrimCounts {
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

const buses = new WeakMap<CampaignStore, SqliteBus>();

/** The bus in a campaign's database (one per open store). */
export function busOf(store: CampaignStore): SqliteBus {
  let bus = buses.get(store);
  if (!bus) {
    const { db, clock } = store.connection();
    bus = new SqliteBus(db, { clock });
    buses.set(store, bus);
  }
  return bus;
}
