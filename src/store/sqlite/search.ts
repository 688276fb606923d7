/**
 * Full-text search on SQLite: the FTS5 index (entities_fts, keyed on the entity's rowid,
 * written in the same transaction as the entity), ranked queries and the rebuild.
 */
import { UsageError } from '../../core/errors.ts';
import type { EntityType } from '../../contracts/entity-types.ts';
import { toFtsQuery } from '../fts.ts';
import { clampLimit, searchText, typeFilter } from '../records.ts';
import type { SearchHit } from '../types.ts';
import type { SqliteCore } from './core.ts';

/** The FTS row of an entity; written in the same transaction as the entity itself. */
export function indexRow(c: SqliteCore, seq: number | bigint, name: string, data: unknown): void {
  c.stmt('INSERT INTO entities_fts (rowid, name, body) VALUES (?, ?, ?)').run(
    seq,
    name,
    searchText(data),
  );
}

export function unindexRow(c: SqliteCore, seq: number): void {
  c.stmt('DELETE FROM entities_fts WHERE rowid = ?').run(seq);
}

/**
 * Full-text search over names and the text of data, best first (bm25, name weighted).
 * Plain words always work (each is a prefix term, all must match); `raw: true` passes
 * FTS5 syntax through, and a syntax error then is a UsageError.
 */
export function search(
  c: SqliteCore,
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
    return c.stmt(sql).all(...params) as SearchHit[];
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

/** Rebuild the search index from the entities (repair; returns the number indexed). */
export function reindex(c: SqliteCore): number {
  c.writable();
  return c.write(() => {
    c.db.exec(`INSERT INTO entities_fts (entities_fts) VALUES ('delete-all')`);
    let n = 0;
    for (const r of c.db.prepare('SELECT seq, name, data FROM entities').all() as {
      seq: number;
      name: string;
      data: string;
    }[]) {
      indexRow(c, r.seq, r.name, JSON.parse(r.data));
      n++;
    }
    return n;
  });
}
