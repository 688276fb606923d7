/**
 * Relationships and graph walks on SQLite: link (same pair and type again updates the
 * strength), unlink, an entity's relationships, and depth-N walks with paths (a
 * recursive CTE, breadth-first).
 */
import { NotFoundError } from '../../core/errors.ts';
import type { Relationship } from '../../contracts/entity-types.ts';
import {
  checkDepth,
  toRelationship,
  validateLink,
  withPaths,
  type RelationshipRow,
  type WalkRow,
} from '../records.ts';
import type { RelatedEntity } from '../types.ts';
import type { SqliteCore } from './core.ts';
import { get } from './entities.ts';

/** Relationships that start or end at `id`. */
export function relationships(c: SqliteCore, id: string): Relationship[] {
  return (
    c
      .stmt(
        'SELECT * FROM relationships WHERE source_id = ? UNION SELECT * FROM relationships WHERE target_id = ? ORDER BY type, id',
      )
      .all(id, id) as RelationshipRow[]
  ).map(toRelationship);
}

/**
 * Everything within `depth` hops of `id` (1–6), following relationships both ways, each
 * entity once, at its shortest distance, with one shortest path to it. Cycles end
 * because a (entity, depth) pair is visited once. NotFoundError for an unknown id.
 */
export function related(c: SqliteCore, id: string, opts: { depth?: number } = {}): RelatedEntity[] {
  const depth = checkDepth(opts.depth ?? 1);
  get(c, id);
  // Breadth-first in SQL: walk (id, depth) pairs with UNION, which drops repeats, so a
  // cycle or a dense cluster costs O(relationships x depth) rows, never one row per path.
  // Each entity then takes a parent one hop nearer the start (lowest id, forward before
  // reverse, then type: deterministic); its path is that chain of parents.
  const rows = c
    .stmt(
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
    )
    .all({ start: id, depth }) as WalkRow[];
  return withPaths(rows);
}

/**
 * Relate `source` to `target` (ids). Linking the same pair with the same type again
 * updates the strength and keeps the relationship's id.
 */
export function link(
  c: SqliteCore,
  source: string,
  target: string,
  opts: { type: string; strength?: number | null; dryRun?: boolean },
): Relationship {
  c.writable();
  const { type, strength } = validateLink(source, target, opts);
  const run = (): Relationship => {
    for (const id of [source, target])
      if (!c.row(id)) throw new NotFoundError(`no entity with id ${id}`);
    const existing = c
      .stmt('SELECT * FROM relationships WHERE source_id = ? AND target_id = ? AND type = ?')
      .get(source, target, type) as RelationshipRow | undefined;
    if (existing) {
      if (!opts.dryRun)
        c.stmt('UPDATE relationships SET strength = ? WHERE id = ?').run(strength, existing.id);
      return toRelationship({ ...existing, strength });
    }
    const r: RelationshipRow = {
      id: c.newId(),
      source_id: source,
      target_id: target,
      type,
      strength,
      created_at: c.now(),
    };
    if (!opts.dryRun) insertRelationship(c, r);
    return toRelationship(r);
  };
  return opts.dryRun ? run() : c.write(run);
}

export function insertRelationship(c: SqliteCore, r: RelationshipRow): void {
  c.stmt(
    'INSERT INTO relationships (id, source_id, target_id, type, strength, created_at) VALUES (?, ?, ?, ?, ?, ?)',
  ).run(r.id, r.source_id, r.target_id, r.type, r.strength, r.created_at);
}

/** Remove relationships from `source` to `target` (of one type, or all); returns how many. */
export function unlink(
  c: SqliteCore,
  source: string,
  target: string,
  opts: { type?: string; dryRun?: boolean } = {},
): number {
  c.writable();
  const where = `source_id = ? AND target_id = ?${opts.type ? ' AND type = ?' : ''}`;
  const params = opts.type ? [source, target, opts.type] : [source, target];
  if (opts.dryRun) return c.scalar(`SELECT count(*) FROM relationships WHERE ${where}`, ...params);
  return c.write(() => c.stmt(`DELETE FROM relationships WHERE ${where}`).run(...params).changes);
}
