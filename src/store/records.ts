/**
 * What every engine checks the same way: entity and relationship records (new, updated,
 * imported), filters and limits, the text a search indexes, and the import document's
 * text. Engine-independent: no SQL here.
 */
import { ConflictError, NotFoundError, UsageError } from '../core/errors.ts';
import {
  ENTITY_TYPES,
  isEntityType,
  type Entity,
  type EntityType,
  type Relationship,
} from '../contracts/entity-types.ts';
import {
  entityDataIssue,
  exportedEntityIssue,
  exportedRelationshipIssue,
  trimmedText,
  type EntityIssue,
} from '../contracts/entity-rules.ts';
import type {
  EntityChanges,
  EntitySummary,
  ImportResult,
  NewEntity,
  NpcListRow,
  RelatedEntity,
} from './types.ts';

/** An entity as stored: data as JSON text. */
export interface EntityRow {
  /** internal sequence number (SQLite: the rowid the FTS index keys on) */
  seq?: number;
  /** data already parsed, when at hand (saves a JSON.parse when indexing) */
  parsed?: unknown;
  /** the text the search index takes (searchText of data), when already made */
  search?: string;
  id: string;
  type: EntityType;
  name: string;
  data: string;
  version: number;
  created_at: string;
  updated_at: string;
}

export interface RelationshipRow {
  id: string;
  source_id: string;
  target_id: string;
  type: string;
  strength: number | null;
  created_at: string;
}

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const MAX_DEPTH = 6;
export const MAX_LIMIT = 10_000;
export const PROGRESS_EVERY = 1000;

export const toEntity = (r: EntityRow): Entity => ({
  id: r.id,
  type: r.type,
  name: r.name,
  data: JSON.parse(r.data) as Record<string, unknown>,
  version: r.version,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export const toRelationship = (r: RelationshipRow): Relationship => ({
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
export function describeIssue(where: string, prefix: string, issue: EntityIssue): UsageError {
  const field = fieldPath(prefix, issue.segments);
  return new UsageError(`${where}: ${field || 'record'}: ${issue.message}`, {
    details: [{ field, message: issue.message }],
  });
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

/** An import with `emptyTarget` into a campaign that holds something (nothing written). */
export class TargetNotEmpty extends ConflictError {
  constructor(where: string) {
    super(`${where} is not empty; nothing imported`);
  }
}

/** Thrown inside a transaction to roll a dry run back. */
export class Rollback extends Error {}

export const emptyImportResult = (dryRun: boolean): ImportResult => ({
  dry_run: dryRun,
  entities: { created: 0, updated: 0, unchanged: 0 },
  relationships: { created: 0, unchanged: 0 },
});

/** A new or changed entity's type, name and data, checked; `where` names it in the error. */
export function checkedEntity(
  input: NewEntity,
  where: string,
): { type: EntityType; name: string; parsed: unknown } {
  const type = input.type;
  if (typeof type !== 'string' || !isEntityType(type)) {
    throw new UsageError(
      `${where}: type: unknown entity type "${String(input.type)}" (one of ${ENTITY_TYPES.join(', ')})`,
    );
  }
  const name = trimmedText(input.name, 255);
  if (!name.ok) throw describeIssue(where, 'name', { segments: [], message: name.message });
  const issue = entityDataIssue(type, input.data);
  if (issue) throw describeIssue(where, 'data', issue);
  return { type, name: name.value, parsed: input.data };
}

/** A NewEntityJson record's data, parsed (UsageError naming it `where` if it is not JSON). */
export function parseEntityJson(json: string, where: string): unknown {
  try {
    return JSON.parse(json) as unknown;
  } catch (err) {
    throw new UsageError(`${where}: data: not JSON (${(err as Error).message})`);
  }
}

/** checkedEntity, with the data's JSON text as stored. */
export function validateEntity(
  input: NewEntity,
  where: string,
): { type: EntityType; name: string; data: string; parsed: unknown } {
  const e = checkedEntity(input, where);
  return { ...e, data: JSON.stringify(e.parsed) };
}

/** A link's type and strength, checked. */
export function validateLink(
  source: string,
  target: string,
  opts: { type: string; strength?: number | null },
): { type: string; strength: number | null } {
  const type = trimmedText(opts.type, 100);
  if (!type.ok)
    throw describeIssue('relationship', 'type', { segments: [], message: type.message });
  const strength = opts.strength ?? null;
  if (
    strength !== null &&
    !(typeof strength === 'number' && Number.isFinite(strength) && strength >= -1 && strength <= 1)
  ) {
    throw new UsageError(`relationship: strength must be between -1 and 1, got ${strength}`);
  }
  if (source === target)
    throw new UsageError('relationship: an entity cannot be related to itself');
  return { type: type.value, strength };
}

/** An import record's entity, checked (a UsageError names entities[i] and the field). */
export function importedEntityRow(raw: unknown, i: number, ids: Set<string>): EntityRow {
  const rawId = (raw as { id?: unknown } | null)?.id;
  const where = `entities[${i}]${typeof rawId === 'string' ? ` (id ${rawId})` : ''}`;
  const recIssue = exportedEntityIssue(raw);
  if (recIssue) throw describeIssue(where, '', recIssue);
  const rec = raw as Omit<EntityRow, 'data' | 'parsed'> & { data: unknown };
  const issue = entityDataIssue(rec.type, rec.data);
  if (issue) throw describeIssue(where, 'data', issue);
  const id = rec.id.toLowerCase();
  if (ids.has(id)) throw new UsageError(`${where}: id: appears twice in the document`);
  ids.add(id);
  return {
    id,
    type: rec.type,
    name: rec.name,
    data: JSON.stringify(rec.data),
    parsed: rec.data,
    version: rec.version,
    created_at: rec.created_at,
    updated_at: rec.updated_at,
  };
}

/** An import record's relationship, checked (a UsageError names relationships[i]). */
export function importedRelationshipRow(raw: unknown, i: number): RelationshipRow {
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

/**
 * What importing entity `r` does when `current` is stored under its id: "unchanged",
 * "update" (the document's version is higher), or a ConflictError.
 */
export function importedEntityAction(current: EntityRow, r: EntityRow): 'unchanged' | 'update' {
  if (sameEntity(current, r)) return 'unchanged';
  if (r.version > current.version) return 'update';
  throw new ConflictError(
    `entity ${r.id} differs from the stored one at version ${current.version} and the document's version (${r.version}) is not newer`,
    { hint: 'export the database, merge, and import with a higher version' },
  );
}

/**
 * What importing relationship `r` does given the stored one with its id and the stored one
 * between its ends with its type: "unchanged", "create", or a ConflictError.
 */
export function importedRelationshipAction(
  r: RelationshipRow,
  i: number,
  byId: RelationshipRow | undefined,
  byEnds: RelationshipRow | undefined,
): 'unchanged' | 'create' {
  if (byId && byEnds?.id === byId.id && byId.strength === r.strength) return 'unchanged';
  if (byId || byEnds)
    throw new ConflictError(
      `relationships[${i}] (id ${r.id}) collides with stored relationship ${(byId ?? byEnds)!.id}`,
    );
  return 'create';
}

/** A relationship end that is neither in the document nor stored. */
export function missingEnd(r: RelationshipRow, i: number, end: string): UsageError {
  return new UsageError(
    `relationships[${i}] (id ${r.id}): ${end === r.source_id ? 'source' : 'target'}: no entity ${end} in the document or the database`,
  );
}

/** Keys whose text is machinery, not prose: never searched. */
const UNSEARCHED_KEYS = new Set(['roll_log', 'generator', 'map', 'id', 'dungeon_id', 'seed']);

/** Every string in `data` (nested too), except machine fields, for the search index. */
export function searchText(data: unknown): string {
  const out: string[] = [];
  // plain loops, no Object.entries pairs: a saved dungeon walks ~100 KB of JSON twice
  // (the dungeon and its rooms), in code that runs once per process and stays unoptimised
  const walk = (v: unknown): void => {
    if (typeof v === 'string') out.push(v);
    else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (i in v) walk(v[i]);
    } else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      for (const k in o) if (Object.hasOwn(o, k) && !UNSEARCHED_KEYS.has(k)) walk(o[k]);
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
export function typeFilter(type: string | undefined): EntityType | undefined {
  if (type === undefined) return undefined;
  if (!isEntityType(type))
    throw new UsageError(`unknown entity type "${type}" (one of ${ENTITY_TYPES.join(', ')})`);
  return type;
}

export function clampLimit(n: number): number {
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`limit must be a positive integer, got ${n}`);
  return Math.min(n, MAX_LIMIT);
}

export const clampOffset = (n: number | undefined): number => Math.max(0, Math.floor(n ?? 0));

export function checkDepth(depth: number): number {
  if (!Number.isInteger(depth) || depth < 1 || depth > MAX_DEPTH) {
    throw new UsageError(`depth must be an integer from 1 to ${MAX_DEPTH}, got ${depth}`);
  }
  return depth;
}

/** An npc-list row as an engine reads it (classes as JSON text or parsed), as the contract shows it. */
export function npcListRow(
  r: Omit<NpcListRow, 'classes' | 'type'> & { classes: unknown },
): NpcListRow {
  const { classes, ...rest } = r;
  const list = (typeof classes === 'string' ? JSON.parse(classes) : classes) as
    { class: string; level: number; dual?: string }[] | null | undefined;
  return {
    ...rest,
    type: 'npc' as const,
    ...(list == null
      ? {}
      : {
          classes: list.map((c) => ({
            class: c.class,
            level: c.level,
            ...(c.dual ? { dual: c.dual } : {}),
          })),
        }),
  };
}

/** The single-line JSON of an exported entity, its stored data spliced in (never re-parsed). */
export function exportedEntityJson(
  id: string,
  type: string,
  name: string,
  data: string,
  version: number,
  created: string,
  updated: string,
): string {
  return `{"id":${JSON.stringify(id)},"type":${JSON.stringify(type)},"name":${JSON.stringify(name)},"data":${data},"version":${version},"created_at":${JSON.stringify(created)},"updated_at":${JSON.stringify(updated)}}`;
}

/** The "names N entities" error of an ambiguous name (rows: up to 21 candidates). */
export function ambiguousName(
  key: string,
  rows: readonly { id: string; type: string; name: string }[],
): UsageError {
  const shown = rows.slice(0, 20).map((r) => `${r.id} (${r.type})`);
  return new UsageError(
    `"${key}" names ${rows.length > 20 ? 'more than 20' : rows.length} entities: ${shown.join(', ')}`,
    {
      hint: 'use the id instead',
      details: rows.map((r) => ({ id: r.id, type: r.type, name: r.name })),
    },
  );
}

/**
 * Parse the text of an import file. Invalid or truncated JSON is a UsageError with the
 * position; the document itself is checked by Store.import.
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

/** Each walked entity with its parent hop, as both engines' walks return them. */
export type WalkRow = EntitySummary & { depth: number; parent: string; label: string };

/** The rows of a walk with their paths, built from the chain of parents. */
export function withPaths(rows: readonly WalkRow[]): RelatedEntity[] {
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

/** The error of a combat command when no fight is going on (exit 4). */
export const noActiveFight = (): NotFoundError =>
  new NotFoundError('no fight is going on in this campaign', {
    hint: 'dma combat start "3 goblins" --character <sheet>',
  });

/** The row `changes` make of `current` (version + 1), after the version check. */
export function updatedRow(
  current: EntityRow,
  changes: EntityChanges,
  expectVersion: number | undefined,
  now: string,
): EntityRow {
  if (expectVersion !== undefined && expectVersion !== current.version) {
    throw new ConflictError(
      `entity ${current.id} is at version ${current.version}, not ${expectVersion}; someone changed it meanwhile`,
      { hint: 'show it again and reapply the change' },
    );
  }
  const v = validateEntity(
    {
      type: current.type,
      name: changes.name ?? current.name,
      data: changes.data ?? JSON.parse(current.data),
    },
    `entity ${current.id}`,
  );
  return {
    ...current,
    name: v.name,
    data: v.data,
    parsed: v.parsed,
    version: current.version + 1,
    updated_at: now,
  };
}

/** The entities of insertMany's rows, without re-parsing their data. */
export const createdEntities = (rows: readonly EntityRow[]): Entity[] =>
  rows.map((r) => ({
    ...toEntity({ ...r, data: '{}' }),
    data: r.parsed as Record<string, unknown>,
  }));
