/**
 * The `sqlite` transport: the bus in the campaign file (SqliteBus, synchronous
 * better-sqlite3 underneath) behind the async BusTransport surface. It borrows the
 * store's connection, so close() leaves it open.
 */
import type { BusMessage } from '../../contracts/bus/envelope.ts';
import { UsageError } from '../../core/errors.ts';
import type { Store } from '../../store/types.ts';
import type { SqliteStore } from '../../store/sqlite/index.ts';
import type { BusTransport, ClaimOptions, FailOptions, PublishOptions } from '../types.ts';
import { busOf, type SqliteBus } from './bus.ts';

export class SqliteTransport implements BusTransport {
  readonly kind = 'sqlite' as const;
  readonly location: string;
  /** the synchronous bus underneath (tests and the in-process fast paths) */
  readonly sync: SqliteBus;

  constructor(
    store: Store,
    location = 'campaign database',
    /** a scratch store this transport opened for itself, closed with it */
    private readonly owned = false,
  ) {
    if (store.engine !== 'sqlite')
      throw new UsageError(`a ${store.engine} campaign has no bus of its own`, {
        hint: 'set DMA_BUS=redis://… (the bus on Redis Streams) for a PostgreSQL campaign',
      });
    this.sync = busOf(store as SqliteStore);
    this.location = location;
    this.store = store;
  }
  private readonly store: Store;

  async secret() {
    return this.sync.secret();
  }
  async publishMany(messages: readonly BusMessage[], opts?: PublishOptions) {
    return this.sync.publishValidated(messages, opts);
  }
  async claim(agent: string, n: number, opts?: ClaimOptions) {
    return this.sync.claim(agent, n, opts);
  }
  async heartbeat(taskId: number, leaseMs?: number) {
    this.sync.heartbeat(taskId, leaseMs);
  }
  async release(taskId: number) {
    this.sync.release(taskId);
  }
  async ackMany(items: readonly { taskId: number; response: BusMessage }[]) {
    return this.sync.ackValidated(items);
  }
  async fail(taskId: number, error: Parameters<SqliteBus['fail']>[1], opts?: FailOptions) {
    return this.sync.fail(taskId, error, opts);
  }
  async retry(deadTaskId: number, workToken: string) {
    return this.sync.retry(deadTaskId, workToken);
  }
  async putBlob(correlationId: string, value: unknown, name?: string) {
    return this.sync.putBlob(correlationId, value, name);
  }
  withBlob<T>(
    name: string,
    correlationId: string,
    value: unknown,
    local: boolean,
    fn: (key: string) => Promise<T>,
  ): Promise<T> {
    return this.sync.withBlob(name, correlationId, value, local, fn);
  }
  async getBlob(key: string) {
    return this.sync.getBlob(key);
  }
  async deleteBlob(key: string) {
    this.sync.deleteBlob(key);
  }
  async blobs(correlationId: string) {
    return this.sync.blobs(correlationId);
  }
  async task(id: number) {
    return this.sync.task(id);
  }
  async tasks(correlationId: string) {
    return this.sync.tasks(correlationId);
  }
  async request(eventId: string) {
    return this.sync.request(eventId);
  }
  async responseFor(idempotencyKey: string) {
    return this.sync.responseFor(idempotencyKey);
  }
  async openTasks(correlationId?: string) {
    return this.sync.openTasks(correlationId);
  }
  async nextDue(correlationId?: string) {
    return this.sync.nextDue(correlationId);
  }
  async agentsWithWork(correlationId?: string) {
    return this.sync.agentsWithWork(correlationId);
  }
  async tail(opts?: { correlation?: string; since?: number; limit?: number }) {
    return this.sync.tail(opts);
  }
  async lastSeq() {
    return this.sync.lastSeq();
  }
  async messages(correlationId: string) {
    return this.sync.messages(correlationId);
  }
  async stats() {
    return this.sync.stats();
  }
  async dead(opts?: { limit?: number }) {
    return this.sync.dead(opts);
  }
  async trim(opts: { keep: number; dryRun?: boolean }) {
    return this.sync.trim(opts);
  }
  async counts() {
    return this.sync.counts();
  }
  async close() {
    if (this.owned) await this.store.close();
  }
}
