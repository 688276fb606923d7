/**
 * The `redis` transport: the bus on Redis Streams (ioredis, loaded only when DMA_BUS names
 * a redis:// URL). One stream per agent with a consumer group; a claim reads new entries
 * (XREADGROUP) and takes over entries whose consumer held them past the lease (XAUTOCLAIM
 * on the pending-entries list: the redelivery of a crashed worker's tasks); failures wait
 * in a sorted set for their backoff; dead letters go to a dead-letter stream. The writes
 * are Lua scripts (src/bus/redis/scripts.ts), so each is atomic; the keys are described
 * there. The effect of a message happens once: one request and at most one response per
 * idempotency key, and the agents' writes derive their ids from the key (the store's
 * unique constraints refuse a second copy).
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { ConflictError, DmaError, NotFoundError, UsageError } from '../../core/errors.ts';
import type { TaskError } from '../../contracts/bus/common.ts';
import type { BusMessage } from '../../contracts/bus/envelope.ts';
import { transition, type TaskState } from '../../contracts/bus/task-state.ts';
import { checkCausation, outcomeOf } from '../envelope.ts';
import {
  blobKey,
  iso,
  leaseExpired,
  statsOf,
  toDeadLetter,
  toRecord,
  type TaskRow,
} from '../records.ts';
import {
  backoffMs,
  DEFAULT_LEASE_MS,
  DEFAULT_MAX_ATTEMPTS,
  type BusTransport,
  type ClaimedTask,
  type ClaimOptions,
  type FailOptions,
  type FailResult,
  type LoggedMessage,
  type PublishOptions,
  type PublishResult,
  type TaskRecord,
  type TrimCounts,
} from '../types.ts';
import { ACK, CLAIM, FAIL, HEARTBEAT, PUBLISH, RELEASE, RETRY } from './scripts.ts';

const SCRIPTS = {
  dmaPublish: PUBLISH,
  dmaClaim: CLAIM,
  dmaAck: ACK,
  dmaFail: FAIL,
  dmaRelease: RELEASE,
  dmaHeartbeat: HEARTBEAT,
  dmaRetry: RETRY,
} as const;
type Scripted = Record<keyof typeof SCRIPTS, (...args: (string | number)[]) => Promise<unknown>>;

const OPEN_STATES: ReadonlySet<string> = new Set(['queued', 'claimed', 'failed', 'retry']);
/** Commands per pipeline when reading many hashes. */
const CHUNK = 1000;

const num = (v: string | undefined): number | null =>
  v === undefined || v === '' ? null : Number(v);

function rowOf(h: Record<string, string>): TaskRow {
  return {
    id: Number(h['id']),
    event_id: h['event_id']!,
    correlation_id: h['correlation_id']!,
    agent: h['agent']!,
    type: h['type']!,
    state: h['state'] as TaskState,
    attempts: Number(h['attempts']),
    max_attempts: Number(h['max_attempts']),
    failures: Number(h['failures']),
    available_at: Number(h['available_at']),
    claimed_by: h['claimed_by'] ?? null,
    lease_until: num(h['lease_until']),
    work_token: h['work_token'] ?? null,
    created_at: Number(h['created_at']),
    finished_at: num(h['finished_at']),
    outcome: (h['outcome'] as 'ok' | 'error' | undefined) ?? null,
    last_error: h['last_error'] ?? null,
    response_event: h['response_event'] ?? null,
    retried_as: num(h['retried_as']),
  };
}

/** A stored log entry "seq|JSON" as its seq and message. */
function loggedOf(stored: string): LoggedMessage {
  const bar = stored.indexOf('|');
  return { seq: Number(stored.slice(0, bar)), message: JSON.parse(stored.slice(bar + 1)) };
}

export class RedisTransport implements BusTransport {
  readonly kind = 'redis' as const;
  readonly location: string;
  private readonly redis: Redis;
  private readonly run: Scripted;
  private readonly p: string;
  private readonly clock: () => Date;
  private readonly blobCache = new Map<string, unknown>();

  private constructor(
    redis: Redis,
    target: { prefix: string; location: string },
    clock: () => Date,
  ) {
    this.redis = redis;
    this.p = target.prefix;
    this.location = target.location;
    this.clock = clock;
    for (const [name, lua] of Object.entries(SCRIPTS))
      redis.defineCommand(name, { numberOfKeys: 0, lua });
    this.run = redis as unknown as Scripted;
  }

  /** Connect (UNEXPECTED, exit 1, naming the server without credentials, when it cannot). */
  static async connect(
    target: { url: string; prefix: string; location: string },
    clock: () => Date = () => new Date(),
  ): Promise<RedisTransport> {
    const redis = new Redis(target.url, {
      lazyConnect: true,
      connectTimeout: 3000,
      maxRetriesPerRequest: 2,
      // a worker rides out a restart; a one-shot command gives up after ~3 s
      retryStrategy: (times) => (times > 10 ? null : Math.min(1000, times * 100)),
    });
    redis.on('error', () => undefined); // reported by the failing command instead
    try {
      await redis.connect();
    } catch (err) {
      redis.disconnect();
      throw new DmaError(
        'UNEXPECTED',
        `cannot reach the Redis bus at ${target.location}: ${(err as Error).message}`,
        { hint: 'is redis-server running? DMA_BUS names it', cause: err },
      );
    }
    return new RedisTransport(redis, target, clock);
  }

  private k(...parts: (string | number)[]): string {
    return [this.p, ...parts].join(':');
  }

  private now(): number {
    return this.clock().getTime();
  }

  async secret(): Promise<string> {
    await this.redis.hsetnx(this.k('meta'), 'work_token_secret', randomBytes(32).toString('hex'));
    return (await this.redis.hget(this.k('meta'), 'work_token_secret'))!;
  }

  // ------------------------------------------------------------------ publish and consume

  async publishMany(
    messages: readonly BusMessage[],
    opts: PublishOptions = {},
  ): Promise<PublishResult[]> {
    if (messages.length === 0) return [];
    const flat = (await this.run.dmaPublish(
      this.p,
      this.now(),
      opts.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      ...messages.flatMap((m) => [
        m.event_id,
        m.correlation_id,
        m.idempotency_key,
        m.target,
        m.type,
        JSON.stringify(m),
      ]),
    )) as (string | number)[];
    const out: PublishResult[] = [];
    for (let i = 0; i < flat.length; i += 3) {
      const status = String(flat[i]);
      const ev = String(flat[i + 1]);
      const tid = flat[i + 2] === '' ? null : Number(flat[i + 2]);
      if (status === 'queued') out.push({ status, event_id: ev, task_id: tid! });
      else if (status === 'pending') out.push({ status, event_id: ev, task_id: tid });
      else {
        const response = await this.message(ev);
        out.push({ status: 'answered', event_id: response.causation_id ?? '', response });
      }
    }
    return out;
  }

  async claim(agent: string, n: number, opts: ClaimOptions = {}): Promise<ClaimedTask[]> {
    const flat = (await this.run.dmaClaim(
      this.p,
      agent,
      this.now(),
      n,
      opts.leaseMs ?? DEFAULT_LEASE_MS,
      opts.consumer ?? 'consumer',
      JSON.stringify(leaseExpired(0, false)),
      JSON.stringify(leaseExpired('%d', true)),
    )) as (string | number)[];
    const out: ClaimedTask[] = [];
    for (let i = 0; i < flat.length; i += 5) {
      const prev = String(flat[i + 1]);
      // an expired claim went back to the queue and is claimed again
      transition(
        prev === 'expired' ? transition('claimed', 'queued') : (prev as TaskState),
        'claimed',
      );
      const stored = String(flat[i + 4]);
      if (stored === '') throw new NotFoundError(`bus task ${flat[i]}: its request is not logged`);
      const { message } = loggedOf(stored);
      const token = String(flat[i + 3]);
      out.push({
        task_id: Number(flat[i]),
        attempt: Number(flat[i + 2]),
        work_token: token === '' ? message.auth.work_token : token,
        message,
      });
    }
    return out;
  }

  async heartbeat(taskId: number, leaseMs = DEFAULT_LEASE_MS): Promise<void> {
    const r = String(await this.run.dmaHeartbeat(this.p, taskId, this.now(), leaseMs));
    if (r === 'missing') throw this.noTask(taskId);
    if (r !== 'ok') throw new ConflictError(`task ${taskId} is ${r}, not claimed`);
  }

  async release(taskId: number): Promise<void> {
    const r = String(await this.run.dmaRelease(this.p, taskId, this.now()));
    if (r === 'missing') throw this.noTask(taskId);
    if (r !== 'ok') transition(r as TaskState, 'queued');
  }

  async ackMany(items: readonly { taskId: number; response: BusMessage }[]): Promise<BusMessage[]> {
    if (items.length === 0) return [];
    for (const { taskId, response } of items)
      if (response.kind !== 'response' || response.causation_id === undefined)
        checkCausation(response, taskId, '(its task’s request)');
    const flat = (await this.run.dmaAck(
      this.p,
      this.now(),
      ...items.flatMap(({ taskId, response: m }) => [
        String(taskId),
        m.event_id,
        m.idempotency_key,
        m.correlation_id,
        JSON.stringify(m),
        outcomeOf(m),
        m.causation_id!,
      ]),
    )) as string[];
    const status = String(flat[0]);
    if (status === 'missing') throw this.noTask(Number(flat[1]));
    if (status === 'cause')
      checkCausation(
        items.find((i) => i.taskId === Number(flat[1]))!.response,
        Number(flat[1]),
        String(flat[2]),
      );
    if (status === 'state') transition(flat[2] as TaskState, 'done');
    return Promise.all(
      items.map(({ response }, i) =>
        // a response logged before (another delivery answered first): that one stands
        flat[2 + 2 * i] === '1' ? this.message(String(flat[1 + 2 * i])) : response,
      ),
    );
  }

  async fail(taskId: number, error: TaskError, opts: FailOptions = {}): Promise<FailResult> {
    const r = await this.task(taskId);
    transition(r.state, 'failed');
    const next: 'retry' | 'dead' =
      (opts.retryable ?? true) && r.attempts < r.max_attempts ? 'retry' : 'dead';
    transition('failed', next);
    const now = this.now();
    const at =
      next === 'retry'
        ? now + backoffMs(r.attempts, opts.backoffBaseMs)
        : Date.parse(r.available_at);
    const done = String(
      await this.run.dmaFail(this.p, taskId, next, now, at, JSON.stringify(error)),
    );
    if (done !== 'ok') transition(done as TaskState, 'failed');
    return { state: next, next_attempt_at: next === 'retry' ? iso(at) : null };
  }

  async retry(deadTaskId: number, workToken: string): Promise<number> {
    const r = (await this.run.dmaRetry(this.p, deadTaskId, workToken, this.now())) as
      string | number | string[];
    if (!Array.isArray(r)) return Number(r);
    if (r[0] === 'missing') throw this.noTask(deadTaskId);
    if (r[0] === 'retried')
      throw new ConflictError(`dead letter ${deadTaskId} was already retried as task ${r[1]}`);
    throw new ConflictError(`task ${deadTaskId} is ${r[1]}, not a dead letter`, {
      hint: 'dma bus dead lists the dead letters',
    });
  }

  // ------------------------------------------------------------------ blobs

  async putBlob(correlationId: string, value: unknown, name?: string): Promise<string> {
    const body = JSON.stringify(value);
    const key = blobKey(name ?? body);
    await this.redis
      .multi()
      .set(this.k('blob', key), body, 'NX')
      .hset(this.k('blobc'), key, correlationId)
      .sadd(this.k('cblobs', correlationId), key)
      .exec();
    this.blobCache.set(key, value);
    return key;
  }

  /** A blob always travels through Redis: the consumer may be on another host. */
  async withBlob<T>(
    name: string,
    correlationId: string,
    value: unknown,
    _local: boolean,
    fn: (key: string) => Promise<T>,
  ): Promise<T> {
    return fn(await this.putBlob(correlationId, value, name));
  }

  async getBlob(key: string): Promise<unknown> {
    if (this.blobCache.has(key)) return this.blobCache.get(key);
    const body = await this.redis.get(this.k('blob', key));
    if (body === null) throw new NotFoundError(`no bus blob ${key}`);
    const value = JSON.parse(body) as unknown;
    this.blobCache.set(key, value);
    return value;
  }

  async deleteBlob(key: string): Promise<void> {
    const c = await this.redis.hget(this.k('blobc'), key);
    const m = this.redis.multi().del(this.k('blob', key)).hdel(this.k('blobc'), key);
    if (c !== null) m.srem(this.k('cblobs', c), key);
    await m.exec();
    this.blobCache.delete(key);
  }

  async blobs(correlationId: string): Promise<Record<string, unknown>> {
    const keys = await this.redis.smembers(this.k('cblobs', correlationId));
    if (keys.length === 0) return {};
    const bodies = await this.redis.mget(keys.map((key) => this.k('blob', key)));
    const out: Record<string, unknown> = {};
    keys.forEach((key, i) => {
      if (bodies[i] !== null) out[key] = JSON.parse(bodies[i]!);
    });
    return out;
  }

  // ------------------------------------------------------------------ queries

  private noTask(id: number): NotFoundError {
    return new NotFoundError(`no bus task ${id}`, { hint: 'dma bus dead lists dead letters' });
  }

  /** Task rows by id, in the order asked (missing ones left out). */
  private async rows(ids: readonly (string | number)[]): Promise<TaskRow[]> {
    const out: TaskRow[] = [];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const pipe = this.redis.pipeline();
      for (const id of ids.slice(i, i + CHUNK)) pipe.hgetall(this.k('task', id));
      for (const [, h] of (await pipe.exec()) ?? [])
        if (h && Object.keys(h as object).length > 0) out.push(rowOf(h as Record<string, string>));
    }
    return out;
  }

  /** Every task (ids 1…P:tid; trimmed ones are gone). */
  private async allRows(): Promise<TaskRow[]> {
    const max = Number((await this.redis.get(this.k('tid'))) ?? 0);
    return this.rows(Array.from({ length: max }, (_, i) => i + 1));
  }

  private async openRows(correlationId?: string): Promise<TaskRow[]> {
    if (correlationId !== undefined)
      return (await this.taskRows(correlationId)).filter((r) => OPEN_STATES.has(r.state));
    return this.rows(await this.redis.smembers(this.k('open')));
  }

  private async taskRows(correlationId: string): Promise<TaskRow[]> {
    return this.rows(await this.redis.lrange(this.k('corrt', correlationId), 0, -1));
  }

  async task(id: number): Promise<TaskRecord> {
    const [r] = await this.rows([id]);
    if (!r) throw this.noTask(id);
    return toRecord(r);
  }

  async tasks(correlationId: string): Promise<TaskRecord[]> {
    return (await this.taskRows(correlationId)).sort((a, b) => a.id - b.id).map(toRecord);
  }

  private async message(eventId: string): Promise<BusMessage> {
    const stored = await this.redis.hget(this.k('msg'), eventId);
    if (stored === null) throw new NotFoundError(`no bus message ${eventId}`);
    return loggedOf(stored).message;
  }

  request(eventId: string): Promise<BusMessage> {
    return this.message(eventId);
  }

  async responseFor(idempotencyKey: string): Promise<BusMessage | undefined> {
    const ev = await this.redis.hget(this.k('resp'), idempotencyKey);
    return ev === null ? undefined : this.message(ev);
  }

  async openTasks(correlationId?: string): Promise<number> {
    return correlationId === undefined
      ? this.redis.scard(this.k('open'))
      : (await this.openRows(correlationId)).length;
  }

  async nextDue(correlationId?: string): Promise<number | null> {
    let min: number | null = null;
    for (const r of await this.openRows(correlationId)) {
      if (r.state === 'failed') continue;
      const due = r.state === 'claimed' ? (r.lease_until ?? r.available_at) : r.available_at;
      if (min === null || due < min) min = due;
    }
    return min;
  }

  async agentsWithWork(correlationId?: string): Promise<string[]> {
    const now = this.now();
    const agents = new Set<string>();
    for (const r of await this.openRows(correlationId))
      if (
        ((r.state === 'queued' || r.state === 'retry') && r.available_at <= now) ||
        (r.state === 'claimed' && (r.lease_until ?? 0) <= now)
      )
        agents.add(r.agent);
    return [...agents].sort();
  }

  async tail(
    opts: { correlation?: string; since?: number; limit?: number } = {},
  ): Promise<LoggedMessage[]> {
    const since = opts.since ?? 0;
    const limit = opts.limit ?? 1000;
    let ids: string[];
    if (opts.correlation === undefined) {
      const entries = await this.redis.xrange(this.k('log'), `(${since}-1`, '+', 'COUNT', limit);
      ids = entries.map(([, fields]) => fields[1]!);
    } else ids = await this.redis.lrange(this.k('corr', opts.correlation), 0, -1);
    if (ids.length === 0) return [];
    const stored = await this.redis.hmget(this.k('msg'), ...ids);
    return stored
      .filter((s): s is string => s !== null)
      .map(loggedOf)
      .filter((m) => m.seq > since)
      .sort((a, b) => a.seq - b.seq)
      .slice(0, limit);
  }

  async lastSeq(): Promise<number> {
    const [last] = await this.redis.xrevrange(this.k('log'), '+', '-', 'COUNT', 1);
    return last === undefined ? 0 : Number(last[0].split('-')[0]);
  }

  async messages(correlationId: string): Promise<BusMessage[]> {
    return (await this.tail({ correlation: correlationId, limit: 1_000_000 })).map(
      (m) => m.message,
    );
  }

  async stats() {
    return statsOf(await this.allRows());
  }

  async dead(opts: { limit?: number } = {}) {
    const entries = await this.redis.xrange(this.k('dead'), '-', '+');
    const ids = [...new Set(entries.map(([, f]) => f[1]!))];
    return (await this.rows(ids))
      .filter((r) => r.state === 'dead')
      .sort((a, b) => a.id - b.id)
      .slice(0, opts.limit ?? 1000)
      .map(toDeadLetter);
  }

  /**
   * Keep the newest `keep` messages: older ones go, with their finished tasks and the blobs
   * of correlations left without messages; messages of unfinished tasks stay (as on
   * SQLite). The plan is made first and then applied; it deletes only finished things, so
   * work published meanwhile is never touched.
   */
  async trim(opts: { keep: number; dryRun?: boolean }): Promise<TrimCounts> {
    if (!Number.isInteger(opts.keep) || opts.keep < 0)
      throw new UsageError(`keep must be a non-negative integer, got ${opts.keep}`);
    let bound = Number.MAX_SAFE_INTEGER;
    if (opts.keep > 0) {
      const newest = await this.redis.xrevrange(this.k('log'), '+', '-', 'COUNT', opts.keep);
      if (newest.length < opts.keep) return { messages: 0, tasks: 0, blobs: 0 };
      bound = Number(newest[newest.length - 1]![0].split('-')[0]);
    }
    const old = await this.redis.xrange(this.k('log'), '-', `(${bound}-1`);
    if (old.length === 0) return { messages: 0, tasks: 0, blobs: 0 };
    const openEvents = new Set((await this.openRows()).map((r) => r.event_id));
    const ids = old.map(([, f]) => f[1]!);
    const stored = await this.redis.hmget(this.k('msg'), ...ids);
    const gone: { entry: string; message: BusMessage }[] = [];
    old.forEach(([entry], i) => {
      if (stored[i] === null) return;
      const { message } = loggedOf(stored[i]!);
      if (!openEvents.has(message.event_id) && !openEvents.has(message.causation_id ?? ''))
        gone.push({ entry, message });
    });
    const goneEvents = new Set(gone.map((g) => g.message.event_id));
    const correlations = [...new Set(gone.map((g) => g.message.correlation_id))];
    const pipe = this.redis.pipeline();
    let tasks = 0;
    let blobs = 0;
    for (const c of correlations) {
      const events = await this.redis.lrange(this.k('corr', c), 0, -1);
      const left = events.filter((e) => !goneEvents.has(e));
      const rows = await this.taskRows(c);
      const dropped = rows.filter(
        (r) => (r.state === 'done' || r.state === 'dead') && !left.includes(r.event_id),
      );
      tasks += dropped.length;
      for (const r of dropped) {
        pipe.del(this.k('task', r.id));
        pipe.lrem(this.k('corrt', c), 0, String(r.id));
        pipe.hdel(this.k('evtask'), r.event_id);
      }
      if (left.length === 0) {
        const keys = await this.redis.smembers(this.k('cblobs', c));
        blobs += keys.length;
        for (const key of keys) pipe.del(this.k('blob', key)).hdel(this.k('blobc'), key);
        pipe.del(this.k('cblobs', c), this.k('corr', c));
        if (dropped.length === rows.length) pipe.del(this.k('corrt', c));
      } else
        for (const e of events.filter((x) => goneEvents.has(x))) pipe.lrem(this.k('corr', c), 0, e);
    }
    if (opts.dryRun) return { messages: gone.length, tasks, blobs };
    for (const { entry, message } of gone) {
      pipe.hdel(this.k('msg'), message.event_id).xdel(this.k('log'), entry);
      pipe.hdel(this.k(message.kind === 'request' ? 'idem' : 'resp'), message.idempotency_key);
    }
    await pipe.exec();
    return { messages: gone.length, tasks, blobs };
  }

  async counts() {
    const rows = await this.allRows();
    return {
      messages: await this.redis.hlen(this.k('msg')),
      tasks: rows.length,
      open: rows.filter((r) => OPEN_STATES.has(r.state)).length,
      dead: rows.filter((r) => r.state === 'dead').length,
    };
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }

  /** Delete every key of this prefix (tests and benchmarks clean up with it). */
  async destroy(): Promise<void> {
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${this.p}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await this.redis.unlink(...keys);
    } while (cursor !== '0');
  }
}
