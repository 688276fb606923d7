/** Entities on PostgreSQL: lists, lookups, and writes with the version check (row locks). */
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
  validateEntity,
  type EntityRow,
} from '../records.ts';
import type {
  EntityChanges,
  EntitySummary,
  NewEntity,
  NpcListOptions,
  NpcListRow,
} from '../types.ts';
import type { PgCore } from './core.ts';
import { searchBody, SEARCH_VECTOR } from './search.ts';

/** SQLite's NOCASE order, byte-wise after lower-casing: the same order on both engines. */
const BY_NAME = 'lower(name) COLLATE "C", id COLLATE "C"';
const SUMMARY = 'id, type, name, version, updated_at';

export async function list(
  c: PgCore,
  opts: { type?: EntityType | undefined; limit?: number; offset?: number } = {},
): Promise<EntitySummary[]> {
  typeFilter(opts.type);
  const limit = clampLimit(opts.limit ?? 50);
  const offset = clampOffset(opts.offset);
  return opts.type
    ? c.rows(
        `SELECT ${SUMMARY} FROM entities WHERE type = $1 ORDER BY ${BY_NAME} LIMIT $2 OFFSET $3`,
        [opts.type, limit, offset],
      )
    : c.rows(`SELECT ${SUMMARY} FROM entities ORDER BY ${BY_NAME} LIMIT $1 OFFSET $2`, [
        limit,
        offset,
      ]);
}

export async function listNpcs(
  c: PgCore,
  opts: NpcListOptions = {},
): Promise<{ total: number; rows: NpcListRow[] }> {
  const where = ["type = 'npc'"];
  const params: unknown[] = [];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  if (opts.class !== undefined)
    where.push(`('/' || (data->>'class') || '/') LIKE ${p(`%/${opts.class}/%`)}`);
  if (opts.race !== undefined) where.push(`data->>'race' = ${p(opts.race)}`);
  if (opts.minLevel !== undefined)
    where.push(
      `(CASE WHEN json_typeof(data->'level') = 'number' THEN (data->>'level')::numeric END) >= ${p(opts.minLevel)}`,
    );
  const level =
    "(CASE WHEN json_typeof(data->'level') = 'number' THEN (data->>'level')::numeric END)";
  const order = {
    name: BY_NAME,
    level: `${level} DESC NULLS LAST, ${BY_NAME}`,
    class: `data->>'class' COLLATE "C" NULLS FIRST, ${level} DESC NULLS LAST, ${BY_NAME}`,
    race: `data->>'race' COLLATE "C" NULLS FIRST, ${BY_NAME}`,
    created: 'created_at, seq',
  }[opts.sort ?? 'name'];
  const cond = where.join(' AND ');
  const total = await c.scalar(`SELECT count(*)::int AS n FROM entities WHERE ${cond}`, params);
  const limit = p(clampLimit(opts.limit ?? 50));
  const offset = p(clampOffset(opts.offset));
  const rows = await c.rows<Omit<NpcListRow, 'classes' | 'type'> & { classes: string | null }>(
    `SELECT id, name, data->>'race' AS race, data->>'class' AS class,
       ${level}::float8 AS level, data->'classes' AS classes,
       data->>'alignment' AS alignment, created_at, version, updated_at
     FROM entities WHERE ${cond} ORDER BY ${order} LIMIT ${limit} OFFSET ${offset}`,
    params,
  );
  return { total, rows: rows.map(npcListRow) };
}

export async function count(
  c: PgCore,
  opts: { type?: EntityType | undefined } = {},
): Promise<number> {
  typeFilter(opts.type);
  return opts.type
    ? c.scalar('SELECT count(*)::int AS n FROM entities WHERE type = $1', [opts.type])
    : c.scalar('SELECT count(*)::int AS n FROM entities');
}

export async function get(c: PgCore, id: string): Promise<Entity> {
  const r = await c.row(id);
  if (!r) throw new NotFoundError(`no entity with id ${id}`);
  return toEntity(r);
}

export async function resolve(
  c: PgCore,
  idOrName: string,
  opts: { type?: EntityType | undefined } = {},
): Promise<Entity> {
  typeFilter(opts.type);
  const key = idOrName.trim();
  if (UUID_RE.test(key)) {
    const r = (await c.row(key.toLowerCase())) ?? (await c.row(key));
    if (r && (!opts.type || r.type === opts.type)) return toEntity(r);
  }
  const cols = 'id, type, name, data, version, created_at, updated_at';
  const rows = opts.type
    ? await c.rows<EntityRow>(
        `SELECT ${cols} FROM entities WHERE type = $1 AND lower(name) = lower($2) ORDER BY id COLLATE "C" LIMIT 21`,
        [opts.type, key],
      )
    : await c.rows<EntityRow>(
        `SELECT ${cols} FROM entities WHERE lower(name) = lower($1) ORDER BY id COLLATE "C" LIMIT 21`,
        [key],
      );
  if (rows.length === 1) return toEntity(rows[0]!);
  if (rows.length > 1) throw ambiguousName(key, rows);
  const what = opts.type ? `${opts.type} ` : 'entity ';
  throw new NotFoundError(`no ${what}with id or name "${key}"`, {
    hint: `try: dma entity search ${JSON.stringify(key)}`,
  });
}

/**
 * Insert rows unless their ids exist (one statement per 1,000); returns the ids that
 * were new.
 */
export async function insertRows(c: PgCore, rows: readonly EntityRow[]): Promise<Set<string>> {
  const created = new Set<string>();
  for (let i = 0; i < rows.length; i += 1000) {
    const chunk = rows.slice(i, i + 1000);
    const col = <K extends keyof EntityRow>(k: K) => chunk.map((r) => r[k]);
    const r = await c.rows<{ id: string }>(
      `INSERT INTO entities (id, type, name, data, version, created_at, updated_at, search)
       SELECT id, type, name, data::json, version, created_at, updated_at, ${SEARCH_VECTOR('name', 'body')}
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::int[], $6::text[], $7::text[], $8::text[])
         AS t (id, type, name, data, version, created_at, updated_at, body)
       ON CONFLICT (id) DO NOTHING RETURNING id`,
      [
        col('id'),
        col('type'),
        col('name'),
        col('data'),
        col('version'),
        col('created_at'),
        col('updated_at'),
        chunk.map((x) => x.search ?? searchBody(x.parsed ?? JSON.parse(x.data))),
      ],
    );
    for (const x of r) created.add(x.id);
  }
  return created;
}

/** Replace a stored row's content and search vector. */
export async function replaceRow(c: PgCore, r: EntityRow): Promise<void> {
  await c.q(
    `UPDATE entities SET type = $2, name = $3, data = $4::json, version = $5, created_at = $6, updated_at = $7,
       search = ${SEARCH_VECTOR('$3', '$8')} WHERE id = $1`,
    [
      r.id,
      r.type,
      r.name,
      r.data,
      r.version,
      r.created_at,
      r.updated_at,
      r.search ?? searchBody(r.parsed ?? JSON.parse(r.data)),
    ],
  );
}

export async function insertMany(
  c: PgCore,
  inputs: readonly NewEntity[],
  opts: { dryRun?: boolean; onProgress?: (p: { done: number; total: number }) => void },
): Promise<EntityRow[]> {
  c.writable();
  const now = c.now();
  const rows: EntityRow[] = inputs.map((input, i) => ({
    id: input.id ?? c.newId(),
    ...validateEntity(input, inputs.length === 1 ? 'entity' : `entities[${i}]`),
    version: 1,
    created_at: now,
    updated_at: now,
  }));
  if (!opts.dryRun) {
    await c.tx(async () => {
      for (let i = 0; i < rows.length; i += PROGRESS_EVERY) {
        const chunk = rows.slice(i, i + PROGRESS_EVERY);
        const created = await insertRows(c, chunk);
        const taken = chunk.find((r) => !created.has(r.id));
        if (taken) throw new ConflictError(`entity id ${taken.id} already exists`);
        if (opts.onProgress && i + chunk.length < rows.length)
          opts.onProgress({ done: i + chunk.length, total: rows.length });
      }
    });
    opts.onProgress?.({ done: rows.length, total: rows.length });
  }
  return rows;
}

export async function update(
  c: PgCore,
  id: string,
  changes: EntityChanges,
  opts: { expectVersion?: number; dryRun?: boolean } = {},
): Promise<Entity> {
  c.writable();
  if (changes.name === undefined && changes.data === undefined)
    throw new UsageError('nothing to update: give a name or data');
  const run = async (): Promise<Entity> => {
    // FOR UPDATE: a concurrent writer waits, then sees the new version (no lost write)
    const current = await c.row(id, !opts.dryRun);
    if (!current) throw new NotFoundError(`no entity with id ${id}`);
    const next = updatedRow(current, changes, opts.expectVersion, c.now());
    if (!opts.dryRun) await replaceRow(c, next);
    return toEntity(next);
  };
  return opts.dryRun ? c.read(run) : c.tx(run);
}

export async function remove(
  c: PgCore,
  id: string,
  opts: { dryRun?: boolean } = {},
): Promise<{ entity: Entity; relationships_removed: number }> {
  c.writable();
  const run = async () => {
    const entity = await get(c, id);
    const relationships_removed = await c.scalar(
      'SELECT count(*)::int AS n FROM relationships WHERE source_id = $1 OR target_id = $1',
      [id],
    );
    if (!opts.dryRun) await c.q('DELETE FROM entities WHERE id = $1', [id]);
    return { entity, relationships_removed };
  };
  return opts.dryRun ? c.read(run) : c.tx(run);
}
