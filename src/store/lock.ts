/**
 * An async lock for one database connection: `dma serve` and `dma mcp` run concurrent
 * requests in one process over one store, and an open transaction (which awaits) must not
 * take in another request's statements. The holder is the async context that took it, so
 * store calls made inside a transaction run at once (re-entrant) while others queue.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export class AsyncLock {
  private readonly context = new AsyncLocalStorage<object>();
  private owner: object | undefined;
  private tail: Promise<void> = Promise.resolve();

  /** True when the calling async context holds the lock. */
  held(): boolean {
    return this.owner !== undefined && this.context.getStore() === this.owner;
  }

  /**
   * Take the lock outside any async context (for a generator that holds a snapshot across
   * yields): every other caller queues until `release()`.
   */
  async acquire(): Promise<() => void> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    await before;
    const owner = {};
    this.owner = owner;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (this.owner === owner) this.owner = undefined;
      release();
    };
  }

  /** Run `fn` holding the lock (at once when the caller already holds it); FIFO otherwise. */
  async run<T>(fn: () => T | Promise<T>): Promise<T> {
    if (this.held()) return fn();
    const release = await this.acquire();
    try {
      return await this.context.run(this.owner!, fn);
    } finally {
      release();
    }
  }
}
