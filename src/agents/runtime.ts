/**
 * The agent runtime: runs the handlers of the three agents (scribe, sma, wed) over the
 * bus of src/bus/ (either transport). One runtime serves both ways of consuming:
 *
 * - in process (the orchestrator of one CLI call): `request()` publishes a root request,
 *   then drains the queues of its correlation by running the handlers here until every
 *   task of the correlation is finished (an iteration cap, no wall-clock limit);
 * - as a long-lived consumer (`dma worker`): `step()` claims and runs due tasks.
 *
 * Each delivery is checked before its handler runs: the task's work token must be signed
 * by the campaign's secret, unexpired, and issued for this agent, this message and its
 * type — otherwise the task fails (a dead letter) with the token's error code. A handler
 * that throws a typed input error (UsageError, NotFoundError, ConflictError) is answered
 * with an error response; anything else is a failure, retried after a backoff and a dead
 * letter after N attempts. A handler sends requests of its own with `ctx.call()`: their
 * idempotency keys derive from its own, so a redelivered task never repeats a write.
 */
import { createHash, randomUUID } from 'node:crypto';
import { DmaError } from '../core/errors.ts';
import type { TaskError } from '../contracts/bus/common.ts';
import type { BusMessage, RequestMessage } from '../contracts/bus/envelope.ts';
import type { RequestInput, ResponsePayload } from '../contracts/bus/registry.ts';
import { createRequest, createResponse } from '../contracts/bus/validate.ts';
import {
  agentOf,
  type AgentName,
  type HandlerAgent,
  type MessageType,
} from '../contracts/bus/vocabulary.ts';
import type { Store } from '../store/index.ts';
import { Bus } from '../bus/bus.ts';
import { SqliteTransport } from '../bus/sqlite/transport.ts';
import type { ClaimedTask, PublishOptions } from '../bus/types.ts';
import { issueToken, verifyToken, WorkTokenError } from './tokens.ts';

export interface HandlerContext {
  store: Store;
  bus: Bus;
  now: () => Date;
  /** True when this runtime handles `type` itself (its agent runs in this process). */
  runsHere(type: MessageType): boolean;
  /**
   * Send a request to another agent and wait for its answer (running it here when no
   * other consumer does). `step` names the request within this task: the same step of a
   * redelivered task gets the same idempotency key, so it is answered from the log.
   */
  call<T extends MessageType>(
    type: T,
    payload: RequestInput<T>,
    step: string,
  ): Promise<ResponsePayload<T>>;
}

export interface HandlerOutput {
  /** the `result` of the ok response (validated against the type's result schema) */
  result: unknown;
  /** in-process extras for the caller (the full NPCs of a 10,000 batch), never logged */
  local?: unknown;
}

export type Handler = (
  // each entry of a HandlerTable narrows this to its own type
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  message: RequestMessage<any>,
  ctx: HandlerContext,
) => HandlerOutput | Promise<HandlerOutput>;

export type HandlerTable = Partial<Record<MessageType, Handler>>;

/**
 * Stops the runtime at once, leaving every claim as it is — what a killed process does.
 * Errors thrown by the `afterHandle` hook are wrapped in it (crash tests).
 */
export class RuntimeCrash extends Error {}

/** A dependency that failed for good: the calling task fails too, without retries. */
export class ChildFailedError extends DmaError {
  constructor(type: string, error: TaskError | null) {
    super('UNEXPECTED', `${type} failed: ${error?.message ?? 'dead letter'}`, {
      details: { code: error?.code },
    });
  }
}

export interface RuntimeOptions {
  handlers: HandlerTable;
  /** the bus (default: the one in the campaign database) */
  bus?: Bus;
  /** the bus's work-token secret (read from a SQLite bus when not given; see AgentRuntime.open) */
  secret?: string;
  clock?: () => Date;
  /** this consumer's name in claims */
  consumer?: string;
  leaseMs?: number;
  backoffBaseMs?: number;
  maxAttempts?: number;
  /** tasks claimed at once */
  batch?: number;
  /** drain()'s iteration cap */
  maxIterations?: number;
  /** @internal tests: runs between a handler and its ack; throwing there is a crash */
  afterHandle?: (task: ClaimedTask) => void;
  /** wait for a due time (default: a real timer); tests pass a clock-advancing one */
  sleep?: (ms: number) => Promise<void>;
}

const TASK_ERROR_CODES = new Set(['INVALID_INPUT', 'NOT_FOUND', 'CONFLICT']);
const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** A key for the step of a task: stable for the task, bounded, valid as an idempotency key. */
export function childKey(type: MessageType, parentKey: string, step: string): string {
  return `${type}:${createHash('sha256').update(`${parentKey}\n${step}`).digest('hex').slice(0, 48)}`;
}

/** A seed (uint32) derived from an idempotency key: a redelivered task rolls the same. */
export function seedFromKey(key: string): number {
  return createHash('sha256').update(key).digest().readUInt32BE(0);
}

/** A UUID derived from an idempotency key: the id of the entity that request creates. */
export function uuidFromKey(key: string): string {
  const h = createHash('sha256').update(key).digest('hex');
  // RFC 4122 layout, version 8 (custom), variant 10xx
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

let lastMs = 0;
let seqInMs = 0;
/**
 * A time-ordered event id (RFC 9562 UUIDv7: 48-bit epoch ms, then a 12-bit counter within
 * the millisecond, then random bits). Ids logged one after another sort together, so the
 * bus log's unique event_id index grows at its end instead of dirtying a random page per
 * message (measured: see the commit message).
 */
export function newEventId(nowMs = Date.now()): string {
  if (nowMs > lastMs) {
    lastMs = nowMs;
    seqInMs = 0;
  } else if (++seqInMs > 0xfff) {
    lastMs++;
    seqInMs = 0;
  }
  if (lastMs !== prefixMs) {
    const ts = lastMs.toString(16).padStart(12, '0');
    prefix = `${ts.slice(0, 8)}-${ts.slice(8)}-7`;
    prefixMs = lastMs;
  }
  // a v4 UUID's variant and random bits, behind the time and the counter
  return `${prefix}${seqInMs.toString(16).padStart(3, '0')}${randomUUID().slice(18)}`;
}
/** the time part of the ids of one millisecond, made once */
let prefixMs = -1;
let prefix = '';

export function toTaskError(err: unknown): TaskError {
  if (err instanceof WorkTokenError) return { code: err.taskErrorCode, message: err.message };
  if (err instanceof DmaError) {
    const code = (err.details as { code?: unknown } | undefined)?.code;
    return {
      code: typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code) ? code : err.code,
      message: err.message.slice(0, 1000) || err.code,
      ...(err.hint === undefined ? {} : { hint: err.hint.slice(0, 1000) }),
    };
  }
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'HANDLER_CRASHED', message: (message || 'handler crashed').slice(0, 1000) };
}

export class AgentRuntime {
  readonly store: Store;
  readonly bus: Bus;
  private readonly opts: RuntimeOptions;
  private readonly clock: () => Date;
  private readonly secret: string;
  /** in-process extras by request event id */
  private readonly locals = new Map<string, unknown>();
  /** tasks handled by this runtime, by outcome */
  readonly counts = { done: 0, errors: 0, failed: 0, dead: 0 };
  stopping = false;

  constructor(store: Store, opts: RuntimeOptions) {
    this.store = store;
    this.bus = opts.bus ?? new Bus(new SqliteTransport(store));
    this.opts = opts;
    this.clock = opts.clock ?? (() => new Date());
    const transport = this.bus.transport;
    if (opts.secret !== undefined) this.secret = opts.secret;
    else if (transport instanceof SqliteTransport) this.secret = transport.sync.secret();
    else throw new DmaError('UNEXPECTED', 'a runtime on this bus needs AgentRuntime.open()');
  }

  /** A runtime on any bus (its work-token secret read first). */
  static async open(
    store: Store,
    bus: Bus,
    opts: Omit<RuntimeOptions, 'bus' | 'secret'>,
  ): Promise<AgentRuntime> {
    return new AgentRuntime(store, { ...opts, bus, secret: await bus.secret() });
  }

  private sleep(ms: number): Promise<void> {
    return (this.opts.sleep ?? sleepReal)(ms);
  }

  /** A signed request envelope for `type`, its work token scoped to the receiving agent. */
  makeRequest<T extends MessageType>(
    type: T,
    payload: RequestInput<T>,
    meta: {
      source: AgentName;
      correlation_id: string;
      causation_id?: string;
      idempotency_key: string;
    },
  ): RequestMessage<T> {
    const event_id = newEventId();
    const now = this.clock();
    const auth = issueToken(this.secret, {
      agent: agentOf(type),
      task_id: event_id,
      type,
      now,
    });
    return createRequest(type, payload, {
      source: meta.source,
      event_id,
      correlation_id: meta.correlation_id,
      ...(meta.causation_id === undefined ? {} : { causation_id: meta.causation_id }),
      idempotency_key: meta.idempotency_key,
      timestamp: now,
      auth,
    });
  }

  /** A fresh work token for a task of `message` (a retried dead letter). */
  reissueToken(message: BusMessage): string {
    return issueToken(this.secret, {
      agent: message.target,
      task_id: message.event_id,
      type: message.type,
      now: this.clock(),
    }).work_token;
  }

  private publishOptions(): PublishOptions {
    return this.opts.maxAttempts === undefined ? {} : { maxAttempts: this.opts.maxAttempts };
  }

  /**
   * The orchestrator's call: publish a root request under a new correlation id, run the
   * agents until the correlation is finished, return the response (and the handler's
   * in-process extras). A root that ends as a dead letter throws its error.
   */
  async request<T extends MessageType>(
    type: T,
    payload: RequestInput<T>,
    opts: { correlation_id?: string; source?: AgentName } = {},
  ): Promise<{
    correlation_id: string;
    response: BusMessage;
    payload: ResponsePayload<T>;
    local: unknown;
  }> {
    const correlation_id = opts.correlation_id ?? randomUUID();
    const msg = this.makeRequest(type, payload, {
      source: opts.source ?? 'orchestrator',
      correlation_id,
      idempotency_key: `${type}:${correlation_id}`,
    });
    const published = await this.bus.publish(msg, this.publishOptions());
    const eventId = published.event_id;
    await this.drain(correlation_id);
    const response = await this.bus.responseFor(msg.idempotency_key);
    if (!response) {
      const dead = (await this.bus.tasks(correlation_id)).find(
        (t) => t.event_id === eventId && t.state === 'dead',
      );
      throw new DmaError(
        'UNEXPECTED',
        `${type} was not answered: ${dead?.last_error?.message ?? 'still pending'}`,
        {
          hint: dead
            ? `dma bus dead shows it; dma bus retry ${dead.id} sends it again`
            : 'is a dma worker running?',
          details: { correlation_id },
        },
      );
    }
    return {
      correlation_id,
      response,
      payload: response.payload as ResponsePayload<T>,
      local: this.locals.get(eventId),
    };
  }

  /** Run the due tasks of a correlation until none is left open (iteration cap). */
  async drain(correlationId: string): Promise<void> {
    const cap = this.opts.maxIterations ?? 10_000;
    for (let i = 0; i < cap; i++) {
      if ((await this.bus.openTasks(correlationId)) === 0) return;
      const ran = await this.step({ correlation: correlationId });
      if (ran === 0) await this.waitForDue(correlationId);
    }
    throw new DmaError(
      'UNEXPECTED',
      `the agents did not finish correlation ${correlationId} within ${cap} steps`,
    );
  }

  private async waitForDue(correlationId?: string): Promise<void> {
    const due = await this.bus.nextDue(correlationId);
    const wait = due === null ? 10 : Math.max(1, Math.min(1000, due - this.clock().getTime()));
    await this.sleep(wait);
  }

  /** Claim and run one batch of due tasks (of one agent, or each agent); returns how many ran. */
  async step(
    opts: { agents?: readonly HandlerAgent[]; correlation?: string } = {},
  ): Promise<number> {
    const agents =
      opts.agents ?? ((await this.bus.agentsWithWork(opts.correlation)) as HandlerAgent[]);
    let ran = 0;
    for (const agent of agents) {
      if (this.stopping) break;
      const claimed = await this.bus.claim(agent, this.opts.batch ?? 16, {
        ...(this.opts.leaseMs === undefined ? {} : { leaseMs: this.opts.leaseMs }),
        ...(this.opts.consumer === undefined ? {} : { consumer: this.opts.consumer }),
        ...(opts.correlation === undefined ? {} : { correlation: opts.correlation }),
      });
      for (let i = 0; i < claimed.length; i++) {
        if (this.stopping) {
          // shutting down: give back what was not started
          for (const t of claimed.slice(i)) await this.bus.release(t.task_id);
          break;
        }
        await this.runTask(claimed[i]!);
        ran++;
      }
    }
    return ran;
  }

  /** Verify, handle, answer one claimed task. */
  async runTask(task: ClaimedTask): Promise<'done' | 'retry' | 'dead'> {
    const msg = task.message as RequestMessage;
    const now = this.clock();
    const v = verifyToken(this.secret, task.work_token, {
      agent: msg.target,
      task_id: msg.event_id,
      type: msg.type,
      now,
    });
    if (!v.ok) {
      const err = new WorkTokenError(v.reason, v.message);
      this.counts.dead++;
      return (await this.bus.fail(task.task_id, toTaskError(err), { retryable: false })).state;
    }
    const handler = this.opts.handlers[msg.type];
    if (!handler) {
      this.counts.dead++;
      return (
        await this.bus.fail(
          task.task_id,
          { code: 'NO_HANDLER', message: `no handler for ${msg.type} here` },
          { retryable: false },
        )
      ).state;
    }
    let out: HandlerOutput;
    try {
      out = await handler(msg, this.handlerContext(msg));
    } catch (err) {
      if (err instanceof RuntimeCrash) throw err;
      if (
        err instanceof DmaError &&
        TASK_ERROR_CODES.has(err.code) &&
        !(err instanceof WorkTokenError)
      ) {
        this.afterHandle(task);
        await this.answer(task, msg, { status: 'error', error: toTaskError(err) });
        this.counts.errors++;
        return 'done';
      }
      const r = await this.bus.fail(task.task_id, toTaskError(err), {
        retryable: !(err instanceof ChildFailedError),
        ...(this.opts.backoffBaseMs === undefined
          ? {}
          : { backoffBaseMs: this.opts.backoffBaseMs }),
      });
      if (r.state === 'dead') this.counts.dead++;
      else this.counts.failed++;
      return r.state;
    }
    this.afterHandle(task);
    try {
      await this.answer(task, msg, { status: 'ok', result: out.result });
    } catch (err) {
      // a result that breaks its contract is a bug in the handler: no point retrying
      this.counts.dead++;
      return (
        await this.bus.fail(
          task.task_id,
          { code: 'INVALID_RESPONSE', message: toTaskError(err).message },
          { retryable: false },
        )
      ).state;
    }
    if (out.local !== undefined) this.locals.set(msg.event_id, out.local);
    this.counts.done++;
    return 'done';
  }

  private afterHandle(task: ClaimedTask): void {
    try {
      this.opts.afterHandle?.(task);
    } catch (err) {
      throw new RuntimeCrash((err as Error).message);
    }
  }

  private async answer(
    task: ClaimedTask,
    msg: RequestMessage,
    result: { status: 'ok'; result: unknown } | { status: 'error'; error: TaskError },
  ): Promise<void> {
    const now = this.clock();
    const response = createResponse(msg, result as never, {
      event_id: newEventId(),
      timestamp: now,
      auth: issueToken(this.secret, {
        agent: msg.source,
        task_id: msg.event_id,
        type: msg.type,
        now,
      }),
    });
    await this.bus.ack(task.task_id, response);
  }

  private handlerContext(parent: RequestMessage): HandlerContext {
    return {
      store: this.store,
      bus: this.bus,
      now: this.clock,
      runsHere: (type) => this.opts.handlers[type] !== undefined,
      call: async (type, payload, step) => {
        const key = childKey(type, parent.idempotency_key, step);
        const child = this.makeRequest(type, payload, {
          source: parent.target,
          correlation_id: parent.correlation_id,
          causation_id: parent.event_id,
          idempotency_key: key,
        });
        const published = await this.bus.publish(child, this.publishOptions());
        if (published.status === 'answered') return published.response.payload as never;
        const cap = this.opts.maxIterations ?? 10_000;
        for (let i = 0; i < cap; i++) {
          const response = await this.bus.responseFor(key);
          if (response) return response.payload as never;
          const tasks = (await this.bus.tasks(parent.correlation_id)).filter(
            (t) => t.event_id === published.event_id,
          );
          const last = tasks[tasks.length - 1];
          if (last?.state === 'dead') throw new ChildFailedError(type, last.last_error);
          const ran = await this.step({
            agents: [agentOf(type)],
            correlation: parent.correlation_id,
          });
          if (ran === 0) await this.waitForDue(parent.correlation_id);
        }
        throw new DmaError('UNEXPECTED', `${type} was not answered within ${cap} steps`);
      },
    };
  }
}
