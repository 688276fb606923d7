/**
 * The PostgreSQL engine's shared state: one client (its search_path set to the campaign's
 * schema), the async lock that serialises its use, and transactions over it (nested ones
 * as savepoints).
 */
import { DmaError } from '../../core/errors.ts';
import { AsyncLock } from '../lock.ts';
import type { EntityRow } from '../records.ts';
import { pgError, type PgClient } from './connection.ts';

export class PgCore {
  readonly lock = new AsyncLock();
  private depth = 0;

  constructor(
    readonly client: PgClient,
    /** the URL with its password redacted */
    readonly path: string,
    readonly schema: string,
    readonly exists: boolean,
    readonly writes: boolean,
    readonly clock: () => Date,
    readonly newId: () => string,
  ) {}

  /** Whether a transaction is open on the client (VACUUM cannot run inside one). */
  get inTransaction(): boolean {
    return this.depth > 0;
  }

  now(): string {
    return this.clock().toISOString();
  }

  writable(): void {
    if (!this.writes) {
      throw new DmaError('UNEXPECTED', `the store at ${this.path} was opened read-only`, {
        hint: 'open it with mode "write"',
      });
    }
  }

  async q(sql: string, params: unknown[] = []): Promise<{ rowCount: number }> {
    try {
      const r = await this.client.query(sql, params);
      return { rowCount: r.rowCount ?? 0 };
    } catch (err) {
      throw this.depth > 0 ? err : pgError(err);
    }
  }

  async rows<R>(sql: string, params: unknown[] = []): Promise<R[]> {
    try {
      return (await this.client.query<R>(sql, params)).rows;
    } catch (err) {
      throw this.depth > 0 ? err : pgError(err);
    }
  }

  async one<R>(sql: string, params: unknown[] = []): Promise<R | undefined> {
    return (await this.rows<R>(sql, params))[0];
  }

  async scalar(sql: string, params: unknown[] = []): Promise<number> {
    const r = await this.one<{ n: number }>(sql, params);
    return Number(r?.n ?? 0);
  }

  async row(id: string, forUpdate = false): Promise<EntityRow | undefined> {
    return this.one<EntityRow>(
      `SELECT seq, id, type, name, data, version, created_at, updated_at FROM entities WHERE id = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [id],
    );
  }

  /**
   * Run `fn` in a transaction (a savepoint inside another): all or nothing. With
   * `keepOnThrow`, what `fn` completed is committed and its error rethrown (batchWrites).
   */
  tx<T>(fn: () => Promise<T>, keepOnThrow = false): Promise<T> {
    return this.lock.run(async () => {
      if (this.depth > 0) {
        if (keepOnThrow) return fn();
        const name = `dma_sp_${this.depth++}`;
        await this.client.query(`SAVEPOINT ${name}`);
        try {
          const r = await fn();
          await this.client.query(`RELEASE SAVEPOINT ${name}`);
          return r;
        } catch (err) {
          await this.client.query(`ROLLBACK TO SAVEPOINT ${name}`);
          throw err;
        } finally {
          this.depth--;
        }
      }
      await this.client.query('BEGIN');
      this.depth = 1;
      try {
        const r = await fn();
        await this.client.query('COMMIT');
        return r;
      } catch (err) {
        await this.client.query(keepOnThrow ? 'COMMIT' : 'ROLLBACK').catch(() => {});
        throw pgError(err);
      } finally {
        this.depth = 0;
      }
    });
  }

  /** A read under the lock (consistent with an open transaction of the same context). */
  read<T>(fn: () => Promise<T>): Promise<T> {
    return this.lock.run(async () => {
      try {
        return await fn();
      } catch (err) {
        throw pgError(err);
      }
    });
  }
}
