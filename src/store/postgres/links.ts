/** Relationships and depth-N graph walks with paths on PostgreSQL (a recursive CTE). */
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
import type { PgCore } from './core.ts';
import { get } from './entities.ts';

export async function relationships(c: PgCore, id: string): Promise<Relationship[]> {
  return (
    await c.rows<RelationshipRow>(
      'SELECT * FROM relationships WHERE source_id = $1 OR target_id = $1 ORDER BY type COLLATE "C", id COLLATE "C"',
      [id],
    )
  ).map(toRelationship);
}

/**
 * The SQLite walk's rules in one recursive CTE (PostgreSQL allows one recursive reference,
 * so both directions come from one `edges` view): each entity once, at its shortest
 * distance, its parent the lowest id one hop nearer (forward before reverse, then type).
 */
export async function related(
  c: PgCore,
  id: string,
  opts: { depth?: number } = {},
): Promise<RelatedEntity[]> {
  const depth = checkDepth(opts.depth ?? 1);
  await get(c, id);
  const rows = await c.rows<WalkRow>(
    `
    WITH RECURSIVE
      edges (a, b, label) AS (
        SELECT source_id, target_id, type FROM relationships
        UNION ALL
        SELECT target_id, source_id, '<' || type FROM relationships
      ),
      walk (id, depth) AS (
        SELECT $1::text, 0
        UNION
        SELECT e.b, walk.depth + 1 FROM walk JOIN edges AS e ON e.a = walk.id WHERE walk.depth < $2
      ),
      best (id, depth) AS MATERIALIZED (SELECT id, min(depth) FROM walk GROUP BY id),
      parent AS (
        SELECT c.id, e.a AS parent, e.label,
          row_number() OVER (PARTITION BY c.id ORDER BY e.a COLLATE "C", e.label LIKE '<%', e.label COLLATE "C") AS n
        FROM best AS c JOIN edges AS e ON e.b = c.id
        JOIN best AS p ON p.id = e.a AND p.depth = c.depth - 1
      )
    SELECT e.id, e.type, e.name, e.version, e.updated_at, best.depth, parent.parent, parent.label
    FROM best JOIN parent ON parent.id = best.id AND parent.n = 1
    JOIN entities AS e ON e.id = best.id
    WHERE best.depth > 0
    ORDER BY best.depth, lower(e.name) COLLATE "C", e.id COLLATE "C"`,
    [id, depth],
  );
  return withPaths(rows);
}

export async function link(
  c: PgCore,
  source: string,
  target: string,
  opts: { type: string; strength?: number | null; dryRun?: boolean },
): Promise<Relationship> {
  c.writable();
  const { type, strength } = validateLink(source, target, opts);
  const run = async (): Promise<Relationship> => {
    for (const id of [source, target])
      if (!(await c.row(id))) throw new NotFoundError(`no entity with id ${id}`);
    const existing = await c.one<RelationshipRow>(
      'SELECT * FROM relationships WHERE source_id = $1 AND target_id = $2 AND type = $3',
      [source, target, type],
    );
    if (existing) {
      if (!opts.dryRun)
        await c.q('UPDATE relationships SET strength = $1 WHERE id = $2', [strength, existing.id]);
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
    if (!opts.dryRun) await insertRelationship(c, r);
    return toRelationship(r);
  };
  return opts.dryRun ? c.read(run) : c.tx(run);
}

export async function insertRelationship(c: PgCore, r: RelationshipRow): Promise<void> {
  await c.q(
    'INSERT INTO relationships (id, source_id, target_id, type, strength, created_at) VALUES ($1, $2, $3, $4, $5, $6)',
    [r.id, r.source_id, r.target_id, r.type, r.strength, r.created_at],
  );
}

export async function unlink(
  c: PgCore,
  source: string,
  target: string,
  opts: { type?: string; dryRun?: boolean } = {},
): Promise<number> {
  c.writable();
  const where = `source_id = $1 AND target_id = $2${opts.type ? ' AND type = $3' : ''}`;
  const params = opts.type ? [source, target, opts.type] : [source, target];
  if (opts.dryRun)
    return c.read(() =>
      c.scalar(`SELECT count(*)::int AS n FROM relationships WHERE ${where}`, params),
    );
  return c.tx(async () => (await c.q(`DELETE FROM relationships WHERE ${where}`, params)).rowCount);
}
