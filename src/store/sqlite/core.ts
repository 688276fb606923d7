/**
 * The SQLite engine's shared state: the better-sqlite3 connection, its statement cache,
 * the clock and id generator, and the helpers every part of the engine uses. Synchronous:
 * src/store/sqlite/index.ts puts the async surface (and the lock) around it.
 */
import { DmaError } from '../../core/errors.ts';
import type { EntityRow } from '../records.ts';
import { statementCache, type Db, type Statement } from './connection.ts';

export class SqliteCore {
  readonly stmt: (sql: string) => Statement;

  constructor(
    readonly db: Db,
    readonly path: string,
    /** false when opened in read mode on a missing file (an empty stand-in) */
    readonly exists: boolean,
    /** opened in write mode */
    readonly writes: boolean,
    readonly clock: () => Date,
    readonly newId: () => string,
  ) {
    this.stmt = statementCache(db);
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

  /** Run `fn` as one BEGIN IMMEDIATE transaction (a savepoint inside another). */
  write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** The single number a `SELECT count(*) …` returns (its cached statement stays in pluck mode). */
  scalar(sql: string, ...params: unknown[]): number {
    return this.stmt(sql)
      .pluck()
      .get(...params) as number;
  }

  row(id: string): EntityRow | undefined {
    return this.stmt(
      'SELECT seq, id, type, name, data, version, created_at, updated_at FROM entities WHERE id = ?',
    ).get(id) as EntityRow | undefined;
  }
}
