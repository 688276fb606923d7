/**
 * Entities on SQLite: lists, lookups by id or name, and the writes (create, update with
 * its version check, delete). Every write is one BEGIN IMMEDIATE transaction, so
 * concurrent writers queue on busy_timeout instead of failing with "database is locked".
 */
import { ConflictError, NotFoundError, UsageError } from '../../core/errors.ts';
import type { Entity, EntityType } from '../../contracts/entity-types.ts';
import {
  ambiguousName,
  clampLimit,
  clampOffset,
  npcListRow,
  PROGRESS_EVERY,
  toEntity,
  typeFilter,
  updatedRow,
  UUID_RE,
  checkedEntity,
  parseEntityJson,
  type EntityRow,
} from '../records.ts';
import type {
  EntityChanges,
  EntitySummary,
  NewEntity,
  NewEntityJson,
  NpcListOptions,
  NpcListRow,
} from '../types.ts';
import type { SqliteCore } from './core.ts';
import { indexRow, unindexRow } from './search.ts';

/** Entities ordered by name (case-insensitive), then id. */
export function list(
  c: SqliteCore,
  opts: { type?: EntityType | undefined; limit?: number; offset?: number } = {},
): EntitySummary[] {
  typeFilter(opts.type);
  const limit = clampLimit(opts.limit ?? 50);
  const offset = clampOffset(opts.offset);
  const cols = 'id, type, name, version, updated_at';
  if (opts.type) {
    return c
      .stmt(
        `SELECT ${cols} FROM entities WHERE type = ? ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?`,
      )
      .all(opts.type, limit, offset) as EntitySummary[];
  }
  return c
    .stmt(`SELECT ${cols} FROM entities ORDER BY name COLLATE NOCASE, id LIMIT ? OFFSET ?`)
    .all(limit, offset) as EntitySummary[];
}

/**
 * Saved NPCs with the columns `npc list` shows — name, race, class and level,
 * alignment, created — filtered by class (a multi-class NPC matches each of its
 * classes), race and lowest level, and sorted; `total` counts every match.
 */
export function listNpcs(
  c: SqliteCore,
  opts: NpcListOptions = {},
): { total: number; rows: NpcListRow[] } {
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
  const total = c.scalar(`SELECT count(*) FROM entities WHERE ${cond}`, ...params);
  const rows = c
    .stmt(
      `SELECT id, name, json_extract(data, '$.race') AS race, json_extract(data, '$.class') AS class,
        json_extract(data, '$.level') AS level, json_extract(data, '$.classes') AS classes,
        json_extract(data, '$.alignment') AS alignment, created_at, version, updated_at
       FROM entities WHERE ${cond} ORDER BY ${order} LIMIT ? OFFSET ?`,
    )
    .all(...params, clampLimit(opts.limit ?? 50), clampOffset(opts.offset)) as (Omit<
    NpcListRow,
    'classes' | 'type'
  > & { classes: string | null })[];
  return { total, rows: rows.map(npcListRow) };
}

/** Number of entities, of one type or all. */
export function count(c: SqliteCore, opts: { type?: EntityType | undefined } = {}): number {
  typeFilter(opts.type);
  if (opts.type) return c.scalar('SELECT count(*) FROM entities WHERE type = ?', opts.type);
  return c.scalar('SELECT count(*) FROM entities');
}

/** The entity with this id; NotFoundError otherwise. */
export function get(c: SqliteCore, id: string): Entity {
  const r = c.row(id);
  if (!r) throw new NotFoundError(`no entity with id ${id}`);
  return toEntity(r);
}

/**
 * An id, or a name matched case-insensitively (optionally within one type).
 * NotFoundError when nothing matches; UsageError listing the candidates when a name is ambiguous.
 */
export function resolve(
  c: SqliteCore,
  idOrName: string,
  opts: { type?: EntityType | undefined } = {},
): Entity {
  typeFilter(opts.type);
  const key = idOrName.trim();
  if (UUID_RE.test(key)) {
    const r = c.row(key.toLowerCase()) ?? c.row(key);
    if (r && (!opts.type || r.type === opts.type)) return toEntity(r);
  }
  const cols = 'id, type, name, data, version, created_at, updated_at';
  const rows = (
    opts.type
      ? c
          .stmt(
            `SELECT ${cols} FROM entities WHERE type = ? AND name = ? COLLATE NOCASE ORDER BY id LIMIT 21`,
          )
          .all(opts.type, key)
      : c
          .stmt(`SELECT ${cols} FROM entities WHERE name = ? COLLATE NOCASE ORDER BY id LIMIT 21`)
          .all(key)
  ) as EntityRow[];
  if (rows.length === 1) return toEntity(rows[0]!);
  if (rows.length > 1) throw ambiguousName(key, rows);
  const what = opts.type ? `${opts.type} ` : 'entity ';
  throw new NotFoundError(`no ${what}with id or name "${key}"`, {
    hint: `try: dma entity search ${JSON.stringify(key)}`,
  });
}

/** Insert unless the id exists; false when it did (nothing written). */
export function insertRow(c: SqliteCore, r: EntityRow): boolean {
  const { changes, lastInsertRowid } = c
    .stmt(
      `INSERT INTO entities (id, type, name, data, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
    )
    .run(r.id, r.type, r.name, r.data, r.version, r.created_at, r.updated_at);
  if (changes === 0) return false;
  indexRow(c, lastInsertRowid, r.name, indexBody(r));
  return true;
}

/** What the search index takes of a row: its search text when made, else its data. */
const indexBody = (r: EntityRow): { data: unknown } | { text: string } =>
  r.search === undefined ? { data: r.parsed ?? JSON.parse(r.data) } : { text: r.search };

/** Replace a stored row's content (by seq) and its search index row. */
export function replaceRow(c: SqliteCore, seq: number, r: EntityRow): void {
  c.stmt(
    'UPDATE entities SET type = ?, name = ?, data = ?, version = ?, created_at = ?, updated_at = ? WHERE seq = ?',
  ).run(r.type, r.name, r.data, r.version, r.created_at, r.updated_at, seq);
  unindexRow(c, seq);
  indexRow(c, seq, r.name, indexBody(r));
}

/**
 * Store entities whose data comes as JSON text (NewEntityJson), row by row in one
 * transaction: each parsed, checked as insertMany checks it (named `entities[i]`), and stored with its text as
 * given (JSON.stringify's output: the text insertMany would make). Only one record's data
 * is alive at a time, where insertMany holds a whole batch's; a bad record rolls back the
 * rows before it. Returns the ids.
 *
 * The page cache is held to BULK_CACHE_KIB while it runs (better-sqlite3's default is 16
 * MB): a batch's new pages are written once whatever the cache, and a 10,000-NPC batch
 * peaked ~20 MB higher with the big cache (the pages spill to the WAL sooner instead).
 */
export function insertManyJson(c: SqliteCore, inputs: Iterable<NewEntityJson>): string[] {
  c.writable();
  const now = c.now();
  const cache = c.db.pragma('cache_size', { simple: true }) as number;
  c.db.pragma(`cache_size = ${-BULK_CACHE_KIB}`);
  try {
    return insertJsonRows(c, inputs, now);
  } finally {
    c.db.pragma(`cache_size = ${cache}`);
  }
}

/** The page cache of a bulk write (insertManyJson), in KiB. */
const BULK_CACHE_KIB = 2000;

function insertJsonRows(c: SqliteCore, inputs: Iterable<NewEntityJson>, now: string): string[] {
  const ids: string[] = [];
  c.write(() => {
    for (const input of inputs) {
      const where = `entities[${ids.length}]`;
      const data = parseEntityJson(input.json, where);
      const e = checkedEntity({ type: input.type, name: input.name, data }, where);
      const row = {
        id: input.id,
        type: e.type,
        name: e.name,
        data: input.json,
        parsed: data,
        version: 1,
        created_at: now,
        updated_at: now,
      };
      if (!insertRow(c, row)) throw new ConflictError(`entity id ${row.id} already exists`);
      ids.push(row.id);
    }
  });
  return ids;
}

/**
 * Validate all, then store all in one transaction (nothing is written if any is invalid).
 * A UsageError names the index of the first bad record and its field. Returns the rows
 * (their data parsed in `parsed`; the stored JSON text is made per row as it is written
 * and not kept: 10,000 NPCs' texts are 29 MB).
 */
export function insertMany(
  c: SqliteCore,
  inputs: readonly NewEntity[],
  opts: { dryRun?: boolean; onProgress?: (p: { done: number; total: number }) => void },
): EntityRow[] {
  c.writable();
  const now = c.now();
  const rows: EntityRow[] = inputs.map((input, i) => ({
    id: input.id ?? c.newId(),
    ...checkedEntity(input, inputs.length === 1 ? 'entity' : `entities[${i}]`),
    data: '',
    version: 1,
    created_at: now,
    updated_at: now,
  }));
  if (!opts.dryRun) {
    c.write(() => {
      rows.forEach((r, i) => {
        if (!insertRow(c, { ...r, data: JSON.stringify(r.parsed) }))
          throw new ConflictError(`entity id ${r.id} already exists`);
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
export function update(
  c: SqliteCore,
  id: string,
  changes: EntityChanges,
  opts: { expectVersion?: number; dryRun?: boolean } = {},
): Entity {
  c.writable();
  if (changes.name === undefined && changes.data === undefined)
    throw new UsageError('nothing to update: give a name or data');
  const run = (): Entity => {
    const current = c.row(id);
    if (!current) throw new NotFoundError(`no entity with id ${id}`);
    const next = updatedRow(current, changes, opts.expectVersion, c.now());
    if (!opts.dryRun) replaceRow(c, current.seq!, next);
    return toEntity(next);
  };
  return opts.dryRun ? run() : c.write(run);
}

/** Delete an entity and every relationship touching it. NotFoundError for an unknown id. */
export function remove(
  c: SqliteCore,
  id: string,
  opts: { dryRun?: boolean } = {},
): { entity: Entity; relationships_removed: number } {
  c.writable();
  const run = () => {
    const entity = get(c, id);
    const relationships_removed = c.scalar(
      'SELECT count(*) FROM relationships WHERE source_id = @id OR target_id = @id',
      { id },
    );
    if (!opts.dryRun) {
      const seq = c.row(id)!.seq!;
      c.stmt('DELETE FROM entities WHERE seq = ?').run(seq);
      unindexRow(c, seq);
    }
    return { entity, relationships_removed };
  };
  return opts.dryRun ? run() : c.write(run);
}
