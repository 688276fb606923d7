/**
 * The SQLite engine: the embedded default, one file per campaign. Synchronous
 * better-sqlite3 behind the async Store surface; an async lock serialises transactions
 * on the one connection (dma serve/mcp run concurrent requests in one process). The only
 * importer of better-sqlite3 (with connection.ts).
 */
import type { LlmStorage } from '../../contracts/llm-storage.ts';
import { sqliteLlmStorage } from './llm.ts';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Entity, EntityType, Relationship } from '../../contracts/entity-types.ts';
import { AsyncLock } from '../lock.ts';
import { createdEntities, noActiveFight } from '../records.ts';
import type {
  Applied,
  CheckResult,
  EncounterRow,
  Encounters,
  EntityChanges,
  EntitySummary,
  ExportRecord,
  ImportProgress,
  ImportRecord,
  ImportResult,
  ImportStreamOptions,
  NewEntity,
  NewEntityJson,
  NpcListOptions,
  NpcListRow,
  RelatedEntity,
  RoundRecord,
  SearchHit,
  Store,
  StoreInfo,
} from '../types.ts';
import { connect, type Db } from './connection.ts';
import { SqliteCore } from './core.ts';
import * as encounters from './encounters.ts';
import * as entities from './entities.ts';
import { check, info } from './info.ts';
import * as links from './links.ts';
import type { Migration } from './migrations.ts';
import { reindex, search } from './search.ts';
import * as transfer from './transfer.ts';

export interface OpenSqliteOptions {
  /** database file, or ":memory:"; see resolveDbPath */
  path: string;
  /**
   * "write" (default) creates the file and its folder when missing. "read" never creates
   * anything: on a missing file the store is empty and every write throws. "append" creates
   * the file like "write" but entity writes throw, as in read mode: for commands that only
   * append to the LLM call log and cache.
   */
  mode?: 'read' | 'write' | 'append';
  /** the clock for created_at/updated_at/exported_at */
  clock?: () => Date;
  /** id generator for new entities and relationships */
  newId?: () => string;
  /** how long a writer waits for another process's lock; default 30 s */
  busyTimeoutMs?: number;
  /** @internal tests simulate other schema versions */
  migrations?: readonly Migration[];
}

/**
 * The structural database handle the LLM cache and call log take (src/llm's SqlDatabase):
 * prepare/run/get/all and exec. better-sqlite3's Database fits it; src/llm never sees the driver.
 */
export interface SqlHandle {
  prepare(sql: string): {
    run(...params: unknown[]): { changes: number | bigint };
    get(...params: unknown[]): unknown;
    all(...params: unknown[]): unknown[];
  };
  exec(sql: string): unknown;
}

export class SqliteStore implements Store {
  readonly engine = 'sqlite' as const;
  readonly path: string;
  readonly exists: boolean;
  readonly encounters: Encounters;
  private readonly c: SqliteCore;
  private readonly lock = new AsyncLock();
  private savepoints = 0;

  /** Use openStore(). */
  constructor(core: SqliteCore) {
    this.c = core;
    this.path = core.path;
    this.exists = core.exists;
    this.encounters = this.encounterStore();
  }

  /** Run a synchronous engine call under the lock. */
  private locked<T>(fn: (c: SqliteCore) => T): Promise<T> {
    return this.lock.run(() => fn(this.c));
  }

  async close(): Promise<void> {
    this.closeNow();
  }

  /** Close at once (the connection is synchronous). */
  closeNow(): void {
    if (this.c.db.open) this.c.db.close();
  }

  /**
   * The raw handle for the tables other layers own (llm_cache, llm_calls: migration 2), to be
   * wrapped by src/llm's SqliteResponseCache and SqliteCallLog. On a read-mode store of a
   * missing file it is the empty in-memory stand-in: nothing written to it persists.
   */
  sqlHandle(): SqlHandle {
    return this.c.db as unknown as SqlHandle;
  }

  llmStorage(): LlmStorage {
    return sqliteLlmStorage(this.sqlHandle());
  }

  /**
   * @internal The connection and clock, for the SQLite bus (`busOf(store)`), which lives
   * in the same file but is loaded only by the commands that use it.
   */
  connection(): { db: Db; clock: () => Date } {
    return { db: this.c.db, clock: this.c.clock };
  }

  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    this.c.writable();
    return this.lock.run(async () => {
      const db = this.c.db;
      if (db.inTransaction) {
        const name = `dma_tx_${++this.savepoints}`;
        db.exec(`SAVEPOINT ${name}`);
        try {
          const r = await fn();
          db.exec(`RELEASE ${name}`);
          return r;
        } catch (err) {
          if (db.inTransaction) db.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
          throw err;
        }
      }
      db.exec('BEGIN IMMEDIATE');
      try {
        const r = await fn();
        db.exec('COMMIT');
        return r;
      } catch (err) {
        if (db.inTransaction) db.exec('ROLLBACK');
        throw err;
      }
    });
  }

  async batchWrites<T>(fn: () => Promise<T>): Promise<T> {
    this.c.writable();
    return this.lock.run(async () => {
      const db = this.c.db;
      if (db.inTransaction) return fn();
      db.exec('BEGIN IMMEDIATE');
      try {
        return await fn();
      } finally {
        if (db.inTransaction) db.exec('COMMIT');
      }
    });
  }

  applyOnce<T>(key: string, fn: () => Promise<T>): Promise<Applied<T>> {
    return this.transaction(async () => {
      const prior = this.c.stmt('SELECT result FROM effects WHERE key = ?').pluck().get(key) as
        string | undefined;
      if (prior !== undefined) return { result: JSON.parse(prior) as T, applied: false };
      const result = await fn();
      this.c
        .stmt('INSERT INTO effects (key, result, created_at) VALUES (?, ?, ?)')
        .run(key, JSON.stringify(result ?? null), this.c.now());
      return { result, applied: true };
    });
  }

  effectFor(key: string): Promise<unknown> {
    return this.locked((c) => {
      const r = c.stmt('SELECT result FROM effects WHERE key = ?').pluck().get(key) as
        string | undefined;
      return r === undefined ? undefined : (JSON.parse(r) as unknown);
    });
  }

  // ---------------------------------------------------------------- reads

  has(id: string): Promise<boolean> {
    return this.locked((c) => c.row(id) !== undefined);
  }
  get(id: string): Promise<Entity> {
    return this.locked((c) => entities.get(c, id));
  }
  resolve(idOrName: string, opts?: { type?: EntityType | undefined }): Promise<Entity> {
    return this.locked((c) => entities.resolve(c, idOrName, opts));
  }
  list(opts?: {
    type?: EntityType | undefined;
    limit?: number;
    offset?: number;
  }): Promise<EntitySummary[]> {
    return this.locked((c) => entities.list(c, opts));
  }
  listNpcs(opts?: NpcListOptions): Promise<{ total: number; rows: NpcListRow[] }> {
    return this.locked((c) => entities.listNpcs(c, opts));
  }
  count(opts?: { type?: EntityType | undefined }): Promise<number> {
    return this.locked((c) => entities.count(c, opts));
  }
  search(
    query: string,
    opts?: { type?: EntityType | undefined; limit?: number; raw?: boolean },
  ): Promise<SearchHit[]> {
    return this.locked((c) => search(c, query, opts));
  }
  relationships(id: string): Promise<Relationship[]> {
    return this.locked((c) => links.relationships(c, id));
  }
  related(id: string, opts?: { depth?: number }): Promise<RelatedEntity[]> {
    return this.locked((c) => links.related(c, id, opts));
  }
  info(): Promise<StoreInfo> {
    return this.locked(info);
  }
  check(): Promise<CheckResult> {
    return this.locked(check);
  }

  // ---------------------------------------------------------------- writes

  create(input: NewEntity, opts: { dryRun?: boolean } = {}): Promise<Entity> {
    return this.locked(
      (c) => createdEntities(entities.insertMany(c, [input], { dryRun: opts.dryRun ?? false }))[0]!,
    );
  }
  createMany(
    inputs: readonly NewEntity[],
    opts: { dryRun?: boolean; onProgress?: (p: { done: number; total: number }) => void } = {},
  ): Promise<Entity[]> {
    // the validated objects are at hand: no need to parse thousands of JSON texts back
    return this.locked((c) => createdEntities(entities.insertMany(c, inputs, opts)));
  }
  createManyIds(
    inputs: readonly NewEntity[],
    opts: { onProgress?: (p: { done: number; total: number }) => void } = {},
  ): Promise<string[]> {
    return this.locked((c) => entities.insertMany(c, inputs, opts).map((r) => r.id));
  }
  createManyJson(inputs: Iterable<NewEntityJson>): Promise<string[]> {
    return this.locked((c) => entities.insertManyJson(c, inputs));
  }
  update(
    id: string,
    changes: EntityChanges,
    opts?: { expectVersion?: number; dryRun?: boolean },
  ): Promise<Entity> {
    return this.locked((c) => entities.update(c, id, changes, opts));
  }
  link(
    source: string,
    target: string,
    opts: { type: string; strength?: number | null; dryRun?: boolean },
  ): Promise<Relationship> {
    return this.locked((c) => links.link(c, source, target, opts));
  }
  unlink(
    source: string,
    target: string,
    opts?: { type?: string; dryRun?: boolean },
  ): Promise<number> {
    return this.locked((c) => links.unlink(c, source, target, opts));
  }
  delete(
    id: string,
    opts?: { dryRun?: boolean },
  ): Promise<{ entity: Entity; relationships_removed: number }> {
    return this.locked((c) => entities.remove(c, id, opts));
  }
  reindex(): Promise<number> {
    return this.locked(reindex);
  }

  // ---------------------------------------------------------------- export / import

  export(opts?: { type?: EntityType | undefined }) {
    return this.locked((c) => transfer.exportDocument(c, opts));
  }

  async *exportRecords(opts?: { type?: EntityType | undefined }): AsyncGenerator<ExportRecord> {
    // the snapshot is held across yields: every other caller waits until the end
    const release = this.lock.held() ? () => {} : await this.lock.acquire();
    try {
      yield* transfer.exportRecords(this.c, opts);
    } finally {
      release();
    }
  }

  import(
    doc: unknown,
    opts?: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void },
  ): Promise<ImportResult> {
    return this.locked((c) => transfer.importDocument(c, doc, opts));
  }

  importStream(
    records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>,
    opts?: ImportStreamOptions,
  ): Promise<ImportResult> {
    return this.lock.run(() => transfer.importStream(this.c, records, opts));
  }

  // ---------------------------------------------------------------- encounters

  private encounterStore(): Encounters {
    const write = <S>(
      step: (c: SqliteCore) => EncounterRow<S>,
      also?: () => Promise<void>,
    ): Promise<EncounterRow<S>> =>
      this.transaction(async () => {
        const row = step(this.c);
        if (also) {
          await also();
          return encounters.encounterById<S>(this.c, row.id);
        }
        return row;
      });
    return {
      active: <S>() => this.locked((c) => encounters.activeEncounter<S>(c)),
      require: async <S>() => {
        const e = await this.locked((c) => encounters.activeEncounter<S>(c));
        if (e === undefined) throw noActiveFight();
        return e;
      },
      rounds: (id: string) => this.locked((c) => encounters.encounterRounds(c, id)),
      create: <S>(seed: number, state: S) =>
        write((c) => encounters.insertEncounter<S>(c, seed, state)),
      saveRound: <S>(
        id: string,
        expect: number,
        round: number,
        state: S,
        record: RoundRecord,
        also?: () => Promise<void>,
      ) =>
        write((c) => {
          encounters.writeRound(c, id, expect, round, state, record);
          return encounters.encounterById<S>(c, id);
        }, also),
      end: <S>(id: string, expect: number, state: S, also?: () => Promise<void>) =>
        write((c) => {
          encounters.writeEnd(c, id, expect, state);
          return encounters.encounterById<S>(c, id);
        }, also),
    };
  }
}

/**
 * Open (and create or migrate) an SQLite campaign. A read-mode store of a missing file is
 * an empty in-memory stand-in, and creates nothing.
 */
export function openSqliteStore(opts: OpenSqliteOptions): SqliteStore {
  const mode = opts.mode ?? 'write';
  const exists = opts.path === ':memory:' || existsSync(opts.path);
  const useMemory = mode === 'read' && !exists;
  const db = connect({
    path: useMemory ? ':memory:' : opts.path,
    create: mode !== 'read',
    // generous: eight processes writing at once on a loaded machine can keep one waiting
    // for several seconds (SQLite's busy handler is not a fair queue)
    busyTimeoutMs: opts.busyTimeoutMs ?? 30_000,
    ...(opts.migrations ? { migrations: opts.migrations } : {}),
  });
  return new SqliteStore(
    new SqliteCore(
      db,
      opts.path,
      !useMemory,
      mode === 'write',
      opts.clock ?? (() => new Date()),
      opts.newId ?? randomUUID,
    ),
  );
}
