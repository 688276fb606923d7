/**
 * The bus as the agents and commands see it: envelope validation (src/bus/envelope.ts)
 * once, above whichever transport carries the messages (BusTransport: sqlite or redis).
 *
 *   publish(request)        → the request is logged and a task queued for its agent; a
 *                             request whose idempotency key was already answered returns
 *                             the stored response and never runs twice
 *   claim(agent, n)         → due tasks (and expired claims) for the agent, atomically
 *   ack(task, response)     → the response is logged and the task is done
 *   fail(task, error)       → retry after a backoff, or a dead letter after N attempts
 */
import type { TaskError } from '../contracts/bus/common.ts';
import type { BusMessage } from '../contracts/bus/envelope.ts';
import { toRequests, toResponse } from './envelope.ts';
import type {
  BusTransport,
  ClaimOptions,
  FailOptions,
  PublishOptions,
  PublishResult,
} from './types.ts';

export class Bus {
  constructor(readonly transport: BusTransport) {}

  get kind(): BusTransport['kind'] {
    return this.transport.kind;
  }

  secret(): Promise<string> {
    return this.transport.secret();
  }

  /** Validate and log a request, queueing a task for its agent (see PublishResult). */
  async publish(input: unknown, opts: PublishOptions = {}): Promise<PublishResult> {
    return (await this.transport.publishMany(toRequests([input]), opts))[0]!;
  }

  /** publish() for many requests, all or nothing. */
  publishMany(inputs: readonly unknown[], opts: PublishOptions = {}): Promise<PublishResult[]> {
    return this.transport.publishMany(toRequests(inputs), opts);
  }

  claim(agent: string, n: number, opts: ClaimOptions = {}) {
    return this.transport.claim(agent, n, opts);
  }

  heartbeat(taskId: number, leaseMs?: number) {
    return this.transport.heartbeat(taskId, leaseMs);
  }

  release(taskId: number) {
    return this.transport.release(taskId);
  }

  /** Answer a claimed task: the response (validated, caused by its request) is logged. */
  async ack(taskId: number, response: unknown): Promise<BusMessage> {
    return (await this.ackMany([{ taskId, response }]))[0]!;
  }

  ackMany(items: readonly { taskId: number; response: unknown }[]): Promise<BusMessage[]> {
    return this.transport.ackMany(
      items.map((i) => ({ taskId: i.taskId, response: toResponse(i.response) })),
    );
  }

  fail(taskId: number, error: TaskError, opts: FailOptions = {}) {
    return this.transport.fail(taskId, error, opts);
  }

  retry(deadTaskId: number, workToken: string) {
    return this.transport.retry(deadTaskId, workToken);
  }

  putBlob(correlationId: string, value: unknown, name?: string) {
    return this.transport.putBlob(correlationId, value, name);
  }

  withBlob<T>(
    name: string,
    correlationId: string,
    value: unknown,
    local: boolean,
    fn: (key: string) => Promise<T>,
  ): Promise<T> {
    return this.transport.withBlob(name, correlationId, value, local, fn);
  }

  getBlob(key: string) {
    return this.transport.getBlob(key);
  }
  deleteBlob(key: string) {
    return this.transport.deleteBlob(key);
  }
  blobs(correlationId: string) {
    return this.transport.blobs(correlationId);
  }
  task(id: number) {
    return this.transport.task(id);
  }
  tasks(correlationId: string) {
    return this.transport.tasks(correlationId);
  }
  request(eventId: string) {
    return this.transport.request(eventId);
  }
  responseFor(idempotencyKey: string) {
    return this.transport.responseFor(idempotencyKey);
  }
  openTasks(correlationId?: string) {
    return this.transport.openTasks(correlationId);
  }
  nextDue(correlationId?: string) {
    return this.transport.nextDue(correlationId);
  }
  agentsWithWork(correlationId?: string) {
    return this.transport.agentsWithWork(correlationId);
  }
  tail(opts: { correlation?: string; since?: number; limit?: number } = {}) {
    return this.transport.tail(opts);
  }
  lastSeq() {
    return this.transport.lastSeq();
  }
  messages(correlationId: string) {
    return this.transport.messages(correlationId);
  }
  stats() {
    return this.transport.stats();
  }
  dead(opts: { limit?: number } = {}) {
    return this.transport.dead(opts);
  }
  trim(opts: { keep: number; dryRun?: boolean }) {
    return this.transport.trim(opts);
  }
  counts() {
    return this.transport.counts();
  }
  close() {
    return this.transport.close();
  }
}
