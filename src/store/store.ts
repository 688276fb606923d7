/**
 * The Scribe's campaign store: entities, relationships, search, graph walks, export and
 * import over one SQLite file. Every write is one transaction (BEGIN IMMEDIATE, so
 * concurrent writers queue on busy_timeout instead of failing with "database is locked").
 */
import { randomUUID } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { ConflictError, DmaError, NotFoundError, UsageError } from '../core/errors.ts';
import {
  ENTITY_TYPES,
  EXPORT_SCHEMA_VERSION,
  isEntityType,
  type Entity,
  type EntityType,
  type ExportDocument,
  type Relationship,
} from '../contracts/entity-types.ts';
import {
  entityDataIssue,
  exportedEntityIssue,
  exportedRelationshipIssue,
  exportHeaderIssue,
  trimmedText,
  type EntityIssue,
} from '../contracts/entity-rules.ts';
import { connect, statementCache, type Db, type Statement } from './connection.ts';
import { toFtsQuery } from './fts.ts';
import { SCHEMA_VERSION, type Migration } from './migrations.ts';

export interface OpenStoreOptions {
  /** database file, or ":memory:"; see resolveDbPath */
  path: string;
  /**
   * "write" (default) creates the file and its folder when missing. "read" never creates
   * anything: on a missing file the store is empty and every write throws. "append" creates
   * the file like "write" but loads no entity validators (entity writes throw, as in read
   * mode): for commands that only append to the LLM call log and cache through sqlHandle().
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

export interface EntitySummary {
  id: string;
  type: EntityType;
  name: string;
  version: number;
  updated_at: string;
}

export interface SearchHit extends EntitySummary {
  /** relevance, higher is better (negated bm25, name weighted 10× the text) */
  score: number;
}

export interface RelatedEntity extends EntitySummary {
  /** hops from the start entity (1 = directly linked) */
  depth: number;
  /** ids from the start entity to this one, both included */
  path_ids: string[];
  /** relationship type of each hop; "<" prefix when the hop was walked against its direction */
  path_types: string[];
}

export interface NewEntity {
  /** a chosen id (the scribe derives one from a message's idempotency key); default: new */
  id?: string;
  type: EntityType | string;
  name: string;
  data: unknown;
}

export interface EntityChanges {
  name?: string;
  /** replaces the whole data object (validated against the type's schema) */
  data?: unknown;
}

export interface ImportProgress {
  phase: 'validate' | 'write';
  done: number;
  total: number;
}

export interface ImportResult {
  dry_run: boolean;
  entities: { created: number; updated: number; unchanged: number };
  relationships: { created: number; unchanged: number };
}

export interface StoreInfo {
  path: string;
  exists: boolean;
  /** the main database file */
  size_bytes: number;
  /** the write-ahead log not yet checkpointed into the main file */
  wal_bytes: number;
  schema_version: number;
  entities: number;
  counts: Record<string, number>;
  relationships: number;
}

export interface CheckResult {
  ok: boolean;
  integrity: string[];
  foreign_keys: { table: string; rowid: number; parent: string; fkid: number }[];
  fts: 'ok' | string;
}

/** One record of a streamed export (CampaignStore.exportRecords). */
export type ExportRecord =
  | { kind: 'header'; schema_version: string; exported_at: string }
  | { kind: 'entity'; json: string }
  | { kind: 'relationship'; json: string };

/** One record read from an import stream (src/store/transfer.ts). */
export type ImportRecord =
  | { kind: 'header'; value: unknown }
  | { kind: 'entity'; value: unknown }
  | { kind: 'relationship'; value: unknown }
  | { kind: 'end'; entities: number; relationships: number };

interface EntityRow {
  /** internal rowid, the key of the FTS index */
  seq?: number;
  /** data already parsed, when at hand (saves a JSON.parse when indexing) */
  parsed?: unknown;
  id: string;
  type: EntityType;
  name: string;
  data: string;
  version: number;
  created_at: string;
  updated_at: string;
}

interface RelationshipRow {
  id: string;
  source_id: string;
  target_id: string;
  type: string;
  strength: number | null;
  created_at: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_DEPTH = 6;
const MAX_LIMIT = 10_000;
const PROGRESS_EVERY = 1000;

const toEntity = (r: EntityRow): Entity => ({
  id: r.id,
  type: r.type,
  name: r.name,
  data: JSON.parse(r.data) as Record<string, unknown>,
  version: r.version,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

const toRelationship = (r: RelationshipRow): Relationship => ({
  id: r.id,
  source: r.source_id,
  target: r.target_id,
  type: r.type,
  strength: r.strength,
  created_at: r.created_at,
});

/** "data.abilities.str" from an issue's path. */
function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (acc, k) => (typeof k === 'number' ? `${acc}[${k}]` : acc ? `${acc}.${String(k)}` : String(k)),
    prefix,
  );
}

/** "entities[3] (id …): data.abilities.str: must be <= 25" from a contract check's issue. */
function describeIssue(where: string, prefix: string, issue: EntityIssue): UsageError {
  const field = fieldPath(prefix, issue.segments);
  return new UsageError(`${where}: ${field || 'record'}: ${issue.message}`, {
    details: [{ field, message: issue.message }],
  });
}

/** An entity's data, and the problem with it if any. */
function checkedData(type: EntityType, data: unknown): [unknown, EntityIssue | undefined] {
  return [data, entityDataIssue(type, data)];
}

/** JSON with object keys sorted, to compare documents whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

class Rollback extends Error {}

export interface NpcListOptions {
  class?: string;
  race?: string;
  minLevel?: number;
  sort?: 'name' | 'level' | 'class' | 'race' | 'created';
  limit?: number;
  offset?: number;
}

export interface NpcListRow {
  id: string;
  type: 'npc';
  name: string;
  race: string | null;
  class: string | null;
  level: number | null;
  classes?: { class: string; level: number; dual?: string }[];
  alignment: string | null;
  created_at: string;
  version: number;
  updated_at: string;
}

export class CampaignStore {
  readonly path: string;
  /** false when opened in read mode on a missing file (an empty stand-in) */
  readonly exists: boolean;
  private readonly db: Db;
  private readonly writes: boolean;
  private readonly clock: () => Date;
  private readonly newId: () => string;
  private readonly stmt: (sql: string) => Statement;

  /** Use openStore(). */
  constructor(
    db: Db,
    init: {
      path: string;
      exists: boolean;
      /** opened in write mode */
      writes: boolean;
      clock: () => Date;
      newId: () => string;
    },
  ) {
    this.db = db;
    this.stmt = statementCache(db);
    this.path = init.path;
    this.exists = init.exists;
    this.writes = init.writes;
    this.clock = init.clock;
    this.newId = init.newId;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  /**
   * The raw handle for the tables other layers own (llm_cache, llm_calls: migration 2), to be
   * wrapped by src/llm's SqliteResponseCache and SqliteCallLog. On a read-mode store of a
   * missing file it is the empty in-memory stand-in: nothing written to it persists.
   */
  sqlHandle(): SqlHandle {
    return this.db as unknown as SqlHandle;
  }

  /**
   * @internal The connection and clock, for the bus (src/store/bus.ts, `busOf(store)`),
   * which lives in the same file but is loaded only by the commands that use it.
   */
  connection(): { db: Db; clock: () => Date } {
    return { db: this.db, clock: this.clock };
  }

  /**
   * Run an async `fn` whose writes (the store's and the bus's: each its own savepoint
   * inside) commit together as one BEGIN IMMEDIATE transaction when it ends. When `fn`
   * throws, what it completed is still committed, as it would have been without this
   * (a dead letter and its error stay on record), and the error is rethrown. The write
   * lock is held until then, so `fn` must not wait on another process. Nested: just `fn`.
   */
  async batchWrites<T>(fn: () => Promise<T>): Promise<T> {
    this.writable();
    if (this.db.inTransaction) return fn();
    this.db.exec('BEGIN IMMEDIATE');
    try {
      return await fn();
    } finally {
      if (this.db.inTransaction) this.db.exec('COMMIT');
    }
  }

  /** True when an entity with this id exists. */
  has(id: string): boolean {
    return this.row(id) !== undefined;
  }

  /** The single number a `SELECT count(*) …` returns (its cached statement stays in pluck mode). */
  private scalar(sql: string, ...params: unknown[]): number {
    return this.stmt(sql)
      .pluck()
      .get(...params) as number;
  }

  private writable(): void {
    if (!this.writes) {
      throw new DmaError('UNEXPECTED', `the store at ${this.path} was opened read-only`, {
        hint: 'open it with mode "write"',
      });
    }
  }

  private now(): string {
    return this.clock().toISOString();
  }

  /** Run `fn` as one BEGIN IMMEDIATE transaction. */
  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  // ---------------------------------------------------------------- reads

  /** Entities ordered by name (case-insensitive), then id. */
  list(
    opts: { type?: EntityType | undefined; limit?: number; offset?: number } = {},
  ): EntitySummary[] {
    typeFilter(opts.type);
    const limit = clampLimit(opts.limit ?? 50);
    const offset = Math.max(0, Math.floor(opts.offset ?? 0));
    const cols = 'id, type, name, version, updated_at';
    if (opts.type) {
      return this.stmt(
        `SELECT ${cols} FROM entities WHERE type = ? ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?`,
      ).all(opts.type, limit, offset) as EntitySummary[];
    }
    return this.stmt(
      `SELECT ${cols} FROM entities ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?`,
    ).all(limit, offset) as EntitySummary[];
  }

  /**
   * Saved NPCs with the columns `npc list` shows — name, race, class and level,
   * alignment, created — filtered by class (a multi-class NPC matches each of its
   * classes), race and lowest level, and sorted; `total` counts every match.
   */
  listNpcs(opts: NpcListOptions = {}): { total: number; rows: NpcListRow[] } {
    const where = ["type = 'npc'"];
    const params: unknown[] = [];
    if (opts.class !== undefined) {
      // "fighter" matches fighter, fighter/mage and mage/fighter
      where.push("('/' || json_extract(data, '$.class') || '/') LIKE ?");
      params.push(`%/${opts.class}/%`);
    }
    if (opts.race !== undefined) {
      where.push("json_extract(data, '$.race') = ?");
      params.push(opts.race);
    }
    if (opts.minLevel !== undefined) {
      where.push("json_extract(data, '$.level') >= ?");
      params.push(opts.minLevel);
    }
    const order = {
      name: 'name COLLATE NOCASE, id',
      level: "json_extract(data, '$.level') DESC, name COLLATE NOCASE, id",
      class:
        "json_extract(data, '$.class'), json_extract(data, '$.level') DESC, name COLLATE NOCASE, id",
      race: "json_extract(data, '$.race'), name COLLATE NOCASE, id",
      created: 'created_at, seq',
    }[opts.sort ?? 'name'];
    const cond = where.join(' AND ');
    const total = this.scalar(`SELECT count(*) FROM entities WHERE ${cond}`, ...params);
    const rows = this.stmt(
      `SELECT id, name, json_extract(data, '$.race') AS race, json_extract(data, '$.class') AS class,
        json_extract(data, '$.level') AS level, json_extract(data, '$.classes') AS classes,
        json_extract(data, '$.alignment') AS alignment, created_at, version, updated_at
       FROM entities WHERE ${cond} ORDER BY ${order} LIMIT ? OFFSET ?`,
    ).all(
      ...params,
      clampLimit(opts.limit ?? 50),
      Math.max(0, Math.floor(opts.offset ?? 0)),
    ) as (Omit<NpcListRow, 'classes'> & { classes: string | null })[];
    return {
      total,
      rows: rows.map((r) => {
        const { classes, ...rest } = r;
        const list =
          classes === null
            ? undefined
            : (JSON.parse(classes) as { class: string; level: number; dual?: string }[]);
        return {
          ...rest,
          type: 'npc' as const,
          ...(list === undefined
            ? {}
            : {
                classes: list.map((c) => ({
                  class: c.class,
                  level: c.level,
                  ...(c.dual ? { dual: c.dual } : {}),
                })),
              }),
        };
      }),
    };
  }

  /** Number of entities, of one type or all. */
  count(opts: { type?: EntityType | undefined } = {}): number {
    typeFilter(opts.type);
    if (opts.type) return this.scalar('SELECT count(*) FROM entities WHERE type = ?', opts.type);
    return this.scalar('SELECT count(*) FROM entities');
  }

  private row(id: string): EntityRow | undefined {
    return this.stmt(
      'SELECT seq, id, type, name, data, version, created_at, updated_at FROM entities WHERE id = ?',
    ).get(id) as EntityRow | undefined;
  }

  /** The entity with this id; NotFoundError otherwise. */
  get(id: string): Entity {
    const r = this.row(id);
    if (!r) throw new NotFoundError(`no entity with id ${id}`);
    return toEntity(r);
  }

  /**
   * An id, or a name matched case-insensitively (optionally within one type).
   * NotFoundError when nothing matches; UsageError listing the candidates when a name is ambiguous.
   */
  resolve(idOrName: string, opts: { type?: EntityType | undefined } = {}): Entity {
    typeFilter(opts.type);
    const key = idOrName.trim();
    if (UUID_RE.test(key)) {
      const r = this.row(key.toLowerCase()) ?? this.row(key);
      if (r && (!opts.type || r.type === opts.type)) return toEntity(r);
    }
    const cols = 'id, type, name, data, version, created_at, updated_at';
    const rows = (
      opts.type
        ? this.stmt(
            `SELECT ${cols} FROM entities WHERE type = ? AND name = ? COLLATE NOCASE ORDER BY id LIMIT 21`,
          ).all(opts.type, key)
        : this.stmt(
            `SELECT ${cols} FROM entities WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 21`,
          ).all(key)
    ) as EntityRow[];
    if (rows.length === 1) return toEntity(rows[0]!);
    if (rows.length > 1) {
      const shown = rows.slice(0, 20).map((r) => `${r.id} (${r.type})`);
      throw new UsageError(
        `"${key}" names ${rows.length > 20 ? 'more than 20' : rows.length} entities: ${shown.join(', ')}`,
        {
          hint: 'use the id instead',
          details: rows.map((r) => ({ id: r.id, type: r.type, name: r.name })),
        },
      );
    }
    const what = opts.type ? `${opts.type} ` : 'entity ';
    throw new NotFoundError(`no ${what}with id or name "${key}"`, {
      hint: `try: dma entity search ${JSON.stringify(key)}`,
    });
  }

  /**
   * Full-text search over names and the text of data, best first (bm25, name weighted).
   * Plain words always work (each is a prefix term, all must match); `raw: true` passes
   * FTS5 syntax through, and a syntax error then is a UsageError.
   */
  search(
    query: string,
    opts: { type?: EntityType | undefined; limit?: number; raw?: boolean } = {},
  ): SearchHit[] {
    typeFilter(opts.type);
    const match = opts.raw ? query.trim() : toFtsQuery(query);
    if (!match) throw new UsageError('the search query has no words to look for');
    const limit = clampLimit(opts.limit ?? 20);
    // Rank inside the FTS table first (its "rank" is bm25 with the name weighted 10x), join after.
    const sql = opts.type
      ? `SELECT e.id, e.type, e.name, e.version, e.updated_at, -f.rank AS score
         FROM entities_fts AS f JOIN entities AS e ON e.seq = f.rowid
         WHERE entities_fts MATCH ? AND e.type = ? ORDER BY f.rank, e.seq LIMIT ?`
      : `SELECT e.id, e.type, e.name, e.version, e.updated_at, -f.rank AS score
         FROM (SELECT rowid, rank FROM entities_fts WHERE entities_fts MATCH ? ORDER BY rank LIMIT ?) AS f
         JOIN entities AS e ON e.seq = f.rowid ORDER BY f.rank, e.seq`;
    try {
      const params: unknown[] = opts.type ? [match, opts.type, limit] : [match, limit];
      return this.stmt(sql).all(...params) as SearchHit[];
    } catch (err) {
      const msg = (err as Error).message;
      if (/fts5|syntax error|no such column|unterminated/i.test(msg)) {
        throw new UsageError(`bad search query: ${msg}`, {
          hint: 'leave out "raw" to search for plain words',
        });
      }
      throw err;
    }
  }

  /** Relationships that start or end at `id`. */
  relationships(id: string): Relationship[] {
    return (
      this.stmt(
        'SELECT * FROM relationships WHERE source_id = ? UNION SELECT * FROM relationships WHERE target_id = ? ORDER BY type, id',
      ).all(id, id) as RelationshipRow[]
    ).map(toRelationship);
  }

  /**
   * Everything within `depth` hops of `id` (1–6), following relationships both ways, each
   * entity once, at its shortest distance, with one shortest path to it. Cycles end
   * because a (entity, depth) pair is visited once. NotFoundError for an unknown id.
   */
  related(id: string, opts: { depth?: number } = {}): RelatedEntity[] {
    const depth = opts.depth ?? 1;
    if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
      throw new UsageError(`depth must be an integer from 1 to ${MAX_DEPTH}, got ${depth}`);
    }
    this.get(id);
    // Breadth-first in SQL: walk (id, depth) pairs with UNION, which drops repeats, so a
    // cycle or a dense cluster costs O(relationships x depth) rows, never one row per path.
    // Each entity then takes a parent one hop nearer the start (lowest id, forward before
    // reverse, then type: deterministic); its path is that chain of parents.
    const rows = this.stmt(
      `
      WITH RECURSIVE
        walk (id, depth) AS (
          SELECT @start, 0
          UNION
          SELECT r.target_id, walk.depth + 1 FROM walk JOIN relationships AS r ON r.source_id = walk.id
          WHERE walk.depth < @depth
          UNION
          SELECT r.source_id, walk.depth + 1 FROM walk JOIN relationships AS r ON r.target_id = walk.id
          WHERE walk.depth < @depth
        ),
        best (id, depth) AS MATERIALIZED (SELECT id, min(depth) FROM walk GROUP BY id),
        hops (id, parent, label) AS (
          SELECT c.id, r.source_id, r.type
          FROM best AS c JOIN relationships AS r ON r.target_id = c.id
          JOIN best AS p ON p.id = r.source_id AND p.depth = c.depth - 1
          UNION ALL
          SELECT c.id, r.target_id, '<' || r.type
          FROM best AS c JOIN relationships AS r ON r.source_id = c.id
          JOIN best AS p ON p.id = r.target_id AND p.depth = c.depth - 1
        ),
        parent AS (
          SELECT id, parent, label, row_number() OVER (PARTITION BY id ORDER BY parent, label LIKE '<%', label) AS n FROM hops
        )
      SELECT e.id, e.type, e.name, e.version, e.updated_at, best.depth, parent.parent, parent.label
      FROM best JOIN parent ON parent.id = best.id AND parent.n = 1
      JOIN entities AS e ON e.id = best.id
      WHERE best.depth > 0
      ORDER BY best.depth, e.name COLLATE NOCASE, e.id`,
    ).all({ start: id, depth }) as (EntitySummary & {
      depth: number;
      parent: string;
      label: string;
    })[];
    const parents = new Map(rows.map((r) => [r.id, r]));
    return rows.map(({ parent: _p, label: _l, ...r }) => {
      const path_ids = [r.id];
      const path_types: string[] = [];
      for (let hop = parents.get(r.id); hop; hop = parents.get(hop.parent)) {
        path_ids.unshift(hop.parent);
        path_types.unshift(hop.label);
      }
      return { ...r, path_ids, path_types };
    });
  }

  /** Size, schema version and counts. On a missing database (read mode) everything is 0. */
  info(): StoreInfo {
    let size = 0;
    let wal = 0;
    if (this.exists && this.path !== ':memory:') {
      size = statSync(this.path).size;
      wal = statSync(`${this.path}-wal`, { throwIfNoEntry: false })?.size ?? 0;
    }
    const counts: Record<string, number> = {};
    for (const r of this.stmt(
      'SELECT type, count(*) AS n FROM entities GROUP BY type ORDER BY type',
    ).all() as {
      type: string;
      n: number;
    }[]) {
      counts[r.type] = r.n;
    }
    return {
      path: this.path,
      exists: this.exists,
      size_bytes: size,
      wal_bytes: wal,
      schema_version: this.exists
        ? (this.db.pragma('user_version', { simple: true }) as number)
        : 0,
      entities: Object.values(counts).reduce((a, b) => a + b, 0),
      counts,
      relationships: this.scalar('SELECT count(*) FROM relationships'),
    };
  }

  /** PRAGMA integrity_check, PRAGMA foreign_key_check and the FTS index's own check. */
  check(): CheckResult {
    const integrity = (this.db.pragma('integrity_check') as { integrity_check: string }[]).map(
      (r) => r.integrity_check,
    );
    const foreign_keys = this.db.pragma('foreign_key_check') as CheckResult['foreign_keys'];
    let fts = 'ok';
    try {
      this.db.exec(`INSERT INTO entities_fts (entities_fts, rank) VALUES ('integrity-check', 0)`);
      const missing = this.db
        .prepare('SELECT count(*) FROM entities WHERE seq NOT IN (SELECT rowid FROM entities_fts)')
        .pluck()
        .get() as number;
      const stray = this.db
        .prepare('SELECT count(*) FROM entities_fts WHERE rowid NOT IN (SELECT seq FROM entities)')
        .pluck()
        .get() as number;
      if (missing + stray > 0)
        fts = `search index out of step: ${missing} entities unindexed, ${stray} stray rows (run reindex)`;
    } catch (err) {
      fts = (err as Error).message;
    }
    return {
      ok:
        integrity.length === 1 &&
        integrity[0] === 'ok' &&
        foreign_keys.length === 0 &&
        fts === 'ok',
      integrity,
      foreign_keys,
      fts,
    };
  }

  // ---------------------------------------------------------------- writes

  private validateEntity(
    input: NewEntity,
    where: string,
  ): { type: EntityType; name: string; data: string; parsed: unknown } {
    const type = input.type;
    if (typeof type !== 'string' || !isEntityType(type)) {
      throw new UsageError(
        `${where}: type: unknown entity type "${String(input.type)}" (one of ${ENTITY_TYPES.join(', ')})`,
      );
    }
    const name = trimmedText(input.name, 255);
    if (!name.ok) throw describeIssue(where, 'name', { segments: [], message: name.message });
    const [data, issue] = checkedData(type, input.data);
    if (issue) throw describeIssue(where, 'data', issue);
    return { type, name: name.value, data: JSON.stringify(data), parsed: data };
  }

  /** Insert unless the id exists; false when it did (nothing written). */
  private insertRow(r: EntityRow): boolean {
    const { changes, lastInsertRowid } = this.stmt(
      `INSERT INTO entities (id, type, name, data, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    ).run(r.id, r.type, r.name, r.data, r.version, r.created_at, r.updated_at);
    if (changes === 0) return false;
    this.indexRow(lastInsertRowid, r.name, r.parsed ?? JSON.parse(r.data));
    return true;
  }

  /** The FTS row of an entity; written in the same transaction as the entity itself. */
  private indexRow(seq: number | bigint, name: string, data: unknown): void {
    this.stmt('INSERT INTO entities_fts (rowid, name, body) VALUES (?, ?, ?)').run(
      seq,
      name,
      searchText(data),
    );
  }

  private unindexRow(seq: number): void {
    this.stmt('DELETE FROM entities_fts WHERE rowid = ?').run(seq);
  }

  /** Rebuild the search index from the entities (repair; returns the number indexed). */
  reindex(): number {
    this.writable();
    return this.write(() => {
      this.db.exec(`INSERT INTO entities_fts (entities_fts) VALUES ('delete-all')`);
      let n = 0;
      for (const r of this.db.prepare('SELECT seq, name, data FROM entities').all() as {
        seq: number;
        name: string;
        data: string;
      }[]) {
        this.indexRow(r.seq, r.name, JSON.parse(r.data));
        n++;
      }
      return n;
    });
  }

  /** Validate and store one entity (version 1). With dryRun, returns it without writing. */
  create(input: NewEntity, opts: { dryRun?: boolean } = {}): Entity {
    return this.createMany([input], { dryRun: opts.dryRun ?? false })[0]!;
  }

  /**
   * Validate all, then store all in one transaction (nothing is written if any is invalid).
   * A UsageError names the index of the first bad record and its field.
   */
  createMany(
    inputs: readonly NewEntity[],
    opts: { dryRun?: boolean; onProgress?: (p: { done: number; total: number }) => void } = {},
  ): Entity[] {
    // the validated objects are at hand: no need to parse thousands of JSON texts back
    return this.insertMany(inputs, opts).map((r) => ({
      ...toEntity({ ...r, data: '{}' }),
      data: r.parsed as Record<string, unknown>,
    }));
  }

  /** createMany() that returns only the new ids (no re-parsing of 10,000 records). */
  createManyIds(
    inputs: readonly NewEntity[],
    opts: { onProgress?: (p: { done: number; total: number }) => void } = {},
  ): string[] {
    return this.insertMany(inputs, opts).map((r) => r.id);
  }

  private insertMany(
    inputs: readonly NewEntity[],
    opts: { dryRun?: boolean; onProgress?: (p: { done: number; total: number }) => void },
  ): EntityRow[] {
    this.writable();
    const now = this.now();
    const rows: EntityRow[] = inputs.map((input, i) => ({
      id: input.id ?? this.newId(),
      ...this.validateEntity(input, inputs.length === 1 ? 'entity' : `entities[${i}]`),
      version: 1,
      created_at: now,
      updated_at: now,
    }));
    if (!opts.dryRun) {
      this.write(() => {
        rows.forEach((r, i) => {
          if (!this.insertRow(r)) throw new ConflictError(`entity id ${r.id} already exists`);
          if (opts.onProgress && (i + 1) % PROGRESS_EVERY === 0)
            opts.onProgress({ done: i + 1, total: rows.length });
        });
      });
      opts.onProgress?.({ done: rows.length, total: rows.length });
    }
    return rows;
  }

  /**
   * Change the name and/or replace the data of an entity; version goes up by one.
   * NotFoundError for an unknown id; ConflictError when `expectVersion` is not the stored version.
   */
  update(
    id: string,
    changes: EntityChanges,
    opts: { expectVersion?: number; dryRun?: boolean } = {},
  ): Entity {
    this.writable();
    if (changes.name === undefined && changes.data === undefined)
      throw new UsageError('nothing to update: give a name or data');
    const run = (): Entity => {
      const current = this.row(id);
      if (!current) throw new NotFoundError(`no entity with id ${id}`);
      if (opts.expectVersion !== undefined && opts.expectVersion !== current.version) {
        throw new ConflictError(
          `entity ${id} is at version ${current.version}, not ${opts.expectVersion}; someone changed it meanwhile`,
          { hint: 'show it again and reapply the change' },
        );
      }
      const v = this.validateEntity(
        {
          type: current.type,
          name: changes.name ?? current.name,
          data: changes.data ?? JSON.parse(current.data),
        },
        `entity ${id}`,
      );
      const next: EntityRow = {
        ...current,
        name: v.name,
        data: v.data,
        version: current.version + 1,
        updated_at: this.now(),
      };
      if (!opts.dryRun) {
        this.stmt(
          'UPDATE entities SET name = ?, data = ?, version = ?, updated_at = ? WHERE seq = ?',
        ).run(next.name, next.data, next.version, next.updated_at, current.seq);
        this.unindexRow(current.seq!);
        this.indexRow(current.seq!, next.name, v.parsed);
      }
      return toEntity(next);
    };
    return opts.dryRun ? run() : this.write(run);
  }

  /**
   * Relate `source` to `target` (ids). Linking the same pair with the same type again
   * updates the strength and keeps the relationship's id.
   */
  link(
    source: string,
    target: string,
    opts: { type: string; strength?: number | null; dryRun?: boolean },
  ): Relationship {
    this.writable();
    const type = trimmedText(opts.type, 100);
    if (!type.ok)
      throw describeIssue('relationship', 'type', { segments: [], message: type.message });
    const strength = opts.strength ?? null;
    if (
      strength !== null &&
      !(
        typeof strength === 'number' &&
        Number.isFinite(strength) &&
        strength >= -1 &&
        strength <= 1
      )
    ) {
      throw new UsageError(`relationship: strength must be between -1 and 1, got ${strength}`);
    }
    if (source === target)
      throw new UsageError('relationship: an entity cannot be related to itself');
    const run = (): Relationship => {
      for (const id of [source, target])
        if (!this.row(id)) throw new NotFoundError(`no entity with id ${id}`);
      const existing = this.stmt(
        'SELECT * FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?',
      ).get(source, target, type.value) as RelationshipRow | undefined;
      if (existing) {
        if (!opts.dryRun)
          this.stmt('UPDATE relationships SET strength = ? WHERE id = ?').run(
            strength,
            existing.id,
          );
        return toRelationship({ ...existing, strength });
      }
      const r: RelationshipRow = {
        id: this.newId(),
        source_id: source,
        target_id: target,
        type: type.value,
        strength,
        created_at: this.now(),
      };
      if (!opts.dryRun) this.insertRelationship(r);
      return toRelationship(r);
    };
    return opts.dryRun ? run() : this.write(run);
  }

  private insertRelationship(r: RelationshipRow): void {
    this.stmt(
      'INSERT INTO relationships (id, source_id, target_id, type, strength, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(r.id, r.source_id, r.target_id, r.type, r.strength, r.created_at);
  }

  /** Remove relationships from `source` to `target` (of one type, or all); returns how many. */
  unlink(source: string, target: string, opts: { type?: string; dryRun?: boolean } = {}): number {
    this.writable();
    const where = `source_id = ? AND target_id = ?${opts.type ? ' AND type = ?' : ''}`;
    const params = opts.type ? [source, target, opts.type] : [source, target];
    if (opts.dryRun)
      return this.scalar(`SELECT count(*) FROM relationships WHERE ${where}`, ...params);
    return this.write(
      () => this.stmt(`DELETE FROM relationships WHERE ${where}`).run(...params).changes,
    );
  }

  /** Delete an entity and every relationship touching it. NotFoundError for an unknown id. */
  delete(
    id: string,
    opts: { dryRun?: boolean } = {},
  ): { entity: Entity; relationships_removed: number } {
    this.writable();
    const run = () => {
      const entity = this.get(id);
      const relationships_removed = this.scalar(
        'SELECT count(*) FROM relationships WHERE source_id = @id OR target_id = @id',
        {
          id,
        },
      );
      if (!opts.dryRun) {
        const seq = this.row(id)!.seq!;
        this.stmt('DELETE FROM entities WHERE seq = ?').run(seq);
        this.unindexRow(seq);
      }
      return { entity, relationships_removed };
    };
    return opts.dryRun ? run() : this.write(run);
  }

  // ---------------------------------------------------------------- export / import

  /** Every entity (of one type, or all) and the relationships between exported entities. */
  export(opts: { type?: EntityType | undefined } = {}): ExportDocument {
    typeFilter(opts.type);
    // One read transaction: a consistent snapshot even while others write.
    return this.db
      .transaction(() => {
        const cols = 'id, type, name, data, version, created_at, updated_at';
        const entities = (
          opts.type
            ? this.stmt(`SELECT ${cols} FROM entities WHERE type = ? ORDER BY seq`).all(opts.type)
            : this.stmt(`SELECT ${cols} FROM entities ORDER BY seq`).all()
        ) as EntityRow[];
        const rels = (
          opts.type
            ? this.stmt(
                `SELECT r.* FROM relationships r JOIN entities s ON s.id = r.source_id JOIN entities t ON t.id = r.target_id
               WHERE s.type = @type AND t.type = @type ORDER BY r.created_at, r.id`,
              ).all({ type: opts.type })
            : this.stmt('SELECT * FROM relationships ORDER BY created_at, id').all()
        ) as RelationshipRow[];
        return {
          schema_version: EXPORT_SCHEMA_VERSION,
          exported_at: this.now(),
          entities: entities.map(toEntity),
          relationships: rels.map(toRelationship),
        };
      })
      .deferred();
  }

  /**
   * The export record by record, from one read snapshot (held until the generator ends or
   * is closed): the header, then each entity, then each relationship between exported
   * entities, each as its JSON text (the stored data spliced in, never re-parsed), so a
   * campaign of any size is exported in bounded memory. The caller must finish or
   * `return()` the generator before using the store again.
   */
  *exportRecords(opts: { type?: EntityType | undefined } = {}): Generator<ExportRecord> {
    typeFilter(opts.type);
    const ownTransaction = !this.db.inTransaction;
    if (ownTransaction) this.db.exec('BEGIN DEFERRED');
    try {
      yield { kind: 'header', schema_version: EXPORT_SCHEMA_VERSION, exported_at: this.now() };
      const cols = 'id, type, name, data, version, created_at, updated_at';
      const entities = (
        opts.type
          ? this.db.prepare(`SELECT ${cols} FROM entities WHERE type = ? ORDER BY seq`).raw()
          : this.db.prepare(`SELECT ${cols} FROM entities ORDER BY seq`).raw()
      ).iterate(...(opts.type ? [opts.type] : [])) as IterableIterator<
        [string, string, string, string, number, string, string]
      >;
      for (const [id, type, name, data, version, created, updated] of entities) {
        yield {
          kind: 'entity',
          json: `{"id":${JSON.stringify(id)},"type":${JSON.stringify(type)},"name":${JSON.stringify(name)},"data":${data},"version":${version},"created_at":${JSON.stringify(created)},"updated_at":${JSON.stringify(updated)}}`,
        };
      }
      const rels = (
        opts.type
          ? this.db.prepare(
              `SELECT r.* FROM relationships r JOIN entities s ON s.id = r.source_id JOIN entities t ON t.id = r.target_id
               WHERE s.type = @type AND t.type = @type ORDER BY r.created_at, r.id`,
            )
          : this.db.prepare('SELECT * FROM relationships ORDER BY created_at, id')
      ).iterate(...(opts.type ? [{ type: opts.type }] : [])) as IterableIterator<RelationshipRow>;
      for (const r of rels) yield { kind: 'relationship', json: JSON.stringify(toRelationship(r)) };
    } finally {
      if (ownTransaction && this.db.inTransaction) this.db.exec('COMMIT');
    }
  }

  /**
   * Import an export document: everything is validated first, then written in one
   * transaction — all or nothing. Idempotent by id:
   * - a new id is created with the document's version and timestamps;
   * - the same id with the same content is left alone;
   * - the same id with different content replaces the stored entity when the document's
   *   version is higher, and is a ConflictError otherwise (nothing is imported).
   * Relationships: new ids are created; a known id must have the same content, and a
   * different id for an existing (source, target, type) is a ConflictError.
   * A bad record is a UsageError naming `entities[i]`/`relationships[i]`, its id and the field.
   */
  import(
    doc: unknown,
    opts: { dryRun?: boolean; onProgress?: (p: ImportProgress) => void } = {},
  ): ImportResult {
    this.writable();
    const headerIssue = exportHeaderIssue(doc);
    if (headerIssue) throw describeIssue('import document', '', headerIssue);
    const { entities, relationships } = doc as { entities: unknown[]; relationships: unknown[] };
    const total = entities.length + relationships.length;
    const progress = (phase: ImportProgress['phase'], done: number) =>
      opts.onProgress?.({ phase, done, total });

    const ids = new Set<string>();
    const rows = entities.map((raw, i) => {
      const row = importedEntityRow(raw, i, ids);
      if ((i + 1) % PROGRESS_EVERY === 0) progress('validate', i + 1);
      return row;
    });
    const rels = relationships.map((raw, i) => importedRelationshipRow(raw, i));
    progress('validate', total);

    const result = emptyImportResult(opts.dryRun ?? false);
    const apply = () => {
      let done = 0;
      const tick = () => {
        done++;
        if (done % PROGRESS_EVERY === 0) progress('write', done);
      };
      for (const r of rows) {
        this.applyImportedEntity(r, result);
        tick();
      }
      rels.forEach((r, i) => {
        this.applyImportedRelationship(r, i, ids, result);
        tick();
      });
      progress('write', total);
      if (opts.dryRun) throw new Rollback();
    };
    try {
      this.write(apply);
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
    }
    return result;
  }

  /**
   * `import` of a stream of records (src/store/transfer.ts reads them from JSON, NDJSON or
   * YAML): each entity is checked and written as it arrives, inside one BEGIN IMMEDIATE
   * transaction that commits only when the whole stream was read and checked — all or
   * nothing, idempotent by id, in bounded memory (only ids and relationships are kept).
   * `onRecord` is called every PROGRESS_EVERY records with the number read so far.
   */
  async importStream(
    records: AsyncIterable<ImportRecord> | Iterable<ImportRecord>,
    opts: { dryRun?: boolean; onRecord?: (done: number) => void } = {},
  ): Promise<ImportResult> {
    this.writable();
    if (this.db.inTransaction)
      throw new DmaError('UNEXPECTED', 'importStream cannot run inside another transaction');
    const result = emptyImportResult(opts.dryRun ?? false);
    const ids = new Set<string>();
    const rels: RelationshipRow[] = [];
    let header: unknown;
    let end: { entities: number; relationships: number } | undefined;
    let entityIndex = 0;
    let done = 0;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      for await (const rec of records) {
        if (end) throw new UsageError('import document: records after the end record');
        if (rec.kind === 'header') {
          header = rec.value;
        } else if (rec.kind === 'entity') {
          const row = importedEntityRow(rec.value, entityIndex++, ids);
          this.applyImportedEntity(row, result);
        } else if (rec.kind === 'relationship') {
          rels.push(importedRelationshipRow(rec.value, rels.length));
        } else {
          end = rec;
        }
        if (++done % PROGRESS_EVERY === 0) opts.onRecord?.(done);
      }
      const headerIssue = exportHeaderIssue(header ?? {});
      if (headerIssue) throw describeIssue('import document', '', headerIssue);
      if (end && (end.entities !== entityIndex || end.relationships !== rels.length))
        throw new UsageError(
          `import document: the end record counts ${end.entities} entities and ${end.relationships} relationships, the file holds ${entityIndex} and ${rels.length}`,
        );
      rels.forEach((r, i) => this.applyImportedRelationship(r, i, ids, result));
      opts.onRecord?.(done);
      this.db.exec(opts.dryRun ? 'ROLLBACK' : 'COMMIT');
    } finally {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
    }
    return result;
  }

  private applyImportedEntity(r: EntityRow, result: ImportResult): void {
    const current = this.insertRow(r) ? undefined : this.row(r.id)!;
    if (!current) {
      result.entities.created++;
    } else if (sameEntity(current, r)) {
      result.entities.unchanged++;
    } else if (r.version > current.version) {
      this.stmt(
        'UPDATE entities SET type = ?, name = ?, data = ?, version = ?, created_at = ?, updated_at = ? WHERE seq = ?',
      ).run(r.type, r.name, r.data, r.version, r.created_at, r.updated_at, current.seq);
      this.unindexRow(current.seq!);
      this.indexRow(current.seq!, r.name, r.parsed);
      result.entities.updated++;
    } else {
      throw new ConflictError(
        `entity ${r.id} differs from the stored one at version ${current.version} and the document's version (${r.version}) is not newer`,
        { hint: 'export the database, merge, and import with a higher version' },
      );
    }
  }

  private applyImportedRelationship(
    r: RelationshipRow,
    i: number,
    ids: ReadonlySet<string>,
    result: ImportResult,
  ): void {
    for (const end of [r.source_id, r.target_id]) {
      if (!ids.has(end) && !this.row(end)) {
        throw new UsageError(
          `relationships[${i}] (id ${r.id}): ${end === r.source_id ? 'source' : 'target'}: no entity ${end} in the document or the database`,
        );
      }
    }
    const byId = this.stmt('SELECT * FROM relationships WHERE id = ?').get(r.id) as
      RelationshipRow | undefined;
    const byEnds = this.stmt(
      'SELECT * FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?',
    ).get(r.source_id, r.target_id, r.type) as RelationshipRow | undefined;
    if (byId && byEnds?.id === byId.id && byId.strength === r.strength) {
      result.relationships.unchanged++;
    } else if (byId || byEnds) {
      throw new ConflictError(
        `relationships[${i}] (id ${r.id}) collides with stored relationship ${(byId ?? byEnds)!.id}`,
      );
    } else {
      this.insertRelationship(r);
      result.relationships.created++;
    }
  }
}

const emptyImportResult = (dryRun: boolean): ImportResult => ({
  dry_run: dryRun,
  entities: { created: 0, updated: 0, unchanged: 0 },
  relationships: { created: 0, unchanged: 0 },
});

/** An import record's entity, checked (a UsageError names entities[i] and the field). */
function importedEntityRow(raw: unknown, i: number, ids: Set<string>): EntityRow {
  const rawId = (raw as { id?: unknown } | null)?.id;
  const where = `entities[${i}]${typeof rawId === 'string' ? ` (id ${rawId})` : ''}`;
  const recIssue = exportedEntityIssue(raw);
  if (recIssue) throw describeIssue(where, '', recIssue);
  const rec = raw as Omit<EntityRow, 'data' | 'parsed'> & { data: unknown };
  const [data, issue] = checkedData(rec.type, rec.data);
  if (issue) throw describeIssue(where, 'data', issue);
  const id = rec.id.toLowerCase();
  if (ids.has(id)) throw new UsageError(`${where}: id: appears twice in the document`);
  ids.add(id);
  return {
    id,
    type: rec.type,
    name: rec.name,
    data: JSON.stringify(data),
    parsed: data,
    version: rec.version,
    created_at: rec.created_at,
    updated_at: rec.updated_at,
  };
}

/** An import record's relationship, checked (a UsageError names relationships[i]). */
function importedRelationshipRow(raw: unknown, i: number): RelationshipRow {
  const rawId = (raw as { id?: unknown } | null)?.id;
  const where = `relationships[${i}]${typeof rawId === 'string' ? ` (id ${rawId})` : ''}`;
  const recIssue = exportedRelationshipIssue(raw);
  if (recIssue) throw describeIssue(where, '', recIssue);
  const rec = raw as Relationship;
  if (rec.source === rec.target) throw new UsageError(`${where}: target: same as source`);
  return {
    id: rec.id.toLowerCase(),
    source_id: rec.source.toLowerCase(),
    target_id: rec.target.toLowerCase(),
    type: rec.type,
    strength: rec.strength,
    created_at: rec.created_at,
  };
}

/** Keys whose text is machinery, not prose: never searched. */
const UNSEARCHED_KEYS = new Set(['roll_log', 'generator', 'map', 'id', 'dungeon_id', 'seed']);

/** Every string in `data` (nested too), except machine fields, for the search index. */
export function searchText(data: unknown): string {
  const out: string[] = [];
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) if (!UNSEARCHED_KEYS.has(k)) walk(x);
    }
  };
  walk(data);
  return out.join(' ');
}

function sameEntity(a: EntityRow, b: EntityRow): boolean {
  if (a.type !== b.type || a.name !== b.name || a.version !== b.version) return false;
  return a.data === b.data || canonical(JSON.parse(a.data)) === canonical(JSON.parse(b.data));
}

/** A type filter from the caller: undefined, or a known entity type (UsageError otherwise). */
function typeFilter(type: string | undefined): EntityType | undefined {
  if (type === undefined) return undefined;
  if (!isEntityType(type))
    throw new UsageError(`unknown entity type "${type}" (one of ${ENTITY_TYPES.join(', ')})`);
  return type;
}

function clampLimit(n: number): number {
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`limit must be a positive integer, got ${n}`);
  return Math.min(n, MAX_LIMIT);
}

/**
 * Parse the text of an import file. Invalid or truncated JSON is a UsageError with the
 * position; the document itself is checked by CampaignStore.import.
 */
export function parseImportText(text: string, source = 'import file'): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    const msg = (err as Error).message;
    const truncated = /end of (JSON )?input|Unterminated/i.test(msg);
    throw new UsageError(`${source} is not valid JSON${truncated ? ' (truncated?)' : ''}: ${msg}`);
  }
}

/**
 * Open (and create or migrate) the campaign database. Async only to load the validators
 * lazily: a read-mode store never loads Zod, so `dma entity show` starts fast.
 */
export async function openStore(opts: OpenStoreOptions): Promise<CampaignStore> {
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
  return new CampaignStore(db, {
    path: opts.path,
    exists: !useMemory,
    writes: mode === 'write',
    clock: opts.clock ?? (() => new Date()),
    newId: opts.newId ?? randomUUID,
  });
}

export { SCHEMA_VERSION };
