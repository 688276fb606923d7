/**
 * Full-text search on SQLite: the FTS5 index (entities_fts, keyed on the entity's rowid,
 * written in the same transaction as the entity), ranked queries and the rebuild.
 */
import { UsageError } from '../../core/errors.ts';
import type { EntityType } from '../../contracts/entity-types.ts';
import { mergeTiers, RANKED_CANDIDATES, toFtsQuery } from '../fts.ts';
import { clampLimit, searchText, typeFilter } from '../records.ts';
import type { SearchHit } from '../types.ts';
import type { SqliteCore } from './core.ts';

/**
 * The FTS row of an entity; written in the same transaction as the entity itself. `body`
 * is the entity's data, or the text made of it already (searchText: an import's rows).
 */
export function indexRow(
  c: SqliteCore,
  seq: number | bigint,
  name: string,
  body: { data: unknown } | { text: string },
): void {
  c.stmt('INSERT INTO entities_fts (rowid, name, body) VALUES (?, ?, ?)').run(
    seq,
    name,
    'text' in body ? body.text : searchText(body.data),
  );
}

export function unindexRow(c: SqliteCore, seq: number): void {
  c.stmt('DELETE FROM entities_fts WHERE rowid = ?').run(seq);
}

const HIT_COLUMNS = 'e.id, e.type, e.name, e.version, e.updated_at, -f.rank AS score';

/**
 * Full-text search over names and the text of data, best first (bm25, name weighted).
 * Plain words always work (each is a prefix term, all must match); `raw: true` passes
 * FTS5 syntax through, and a syntax error then is a UsageError.
 *
 * A plain query without a type that matches more than RANKED_CANDIDATES entities is a
 * common word: it ranks the entities whose name matches (the name weighs 10x, so they
 * lead a full ranking too), then those among the first RANKED_CANDIDATES matches, each
 * tier by bm25 — never every match before the limit. (The tiers' scores come from two
 * queries: a text match's score may exceed a name match's above it.) Fewer matches are
 * all ranked, as before.
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
  try {
    if (opts.type === undefined && !opts.raw) return plainSearch(c, match, limit);
    // Rank inside the FTS table first (its "rank" is bm25 with the name weighted 10x), join after.
    const sql = opts.type
      ? `SELECT ${HIT_COLUMNS}
         FROM entities_fts AS f JOIN entities AS e ON e.seq = f.rowid
         WHERE entities_fts MATCH ? AND e.type = ? ORDER BY f.rank, e.seq LIMIT ?`
      : `SELECT ${HIT_COLUMNS}
         FROM (SELECT rowid, rank FROM entities_fts WHERE entities_fts MATCH ? ORDER BY rank LIMIT ?) AS f
         JOIN entities AS e ON e.seq = f.rowid ORDER BY f.rank, e.seq`;
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

/**
 * The best `limit` by bm25 among the first `candidates` + 1 rows matching `match`, and
 * whether there were more than `candidates` (if not, the ranking is over every match).
 */
function rankBounded(
  c: SqliteCore,
  match: string,
  limit: number,
  candidates: number,
): { hits: SearchHit[]; bounded: boolean } {
  const rows = c
    .stmt(
      `SELECT ${HIT_COLUMNS}, f.n
       FROM (SELECT rowid, rank, count(*) OVER () AS n
             FROM (SELECT rowid, rank FROM entities_fts WHERE entities_fts MATCH ? LIMIT ?)
             ORDER BY rank, rowid LIMIT ?) AS f
       JOIN entities AS e ON e.seq = f.rowid ORDER BY f.rank, e.seq`,
    )
    .all(match, candidates + 1, limit) as (SearchHit & { n: number })[];
  const bounded = rows.length > 0 && rows[0]!.n > candidates;
  return { hits: rows.map(({ n: _n, ...hit }) => hit), bounded };
}

/** A plain, untyped query: every match ranked, or for a common word two bounded tiers. */
function plainSearch(c: SqliteCore, match: string, limit: number): SearchHit[] {
  // a limit above the bound ranks that many candidates
  const candidates = Math.max(RANKED_CANDIDATES, limit);
  // twice the limit: room for the name tier's hits, which this list may hold too
  const all = rankBounded(c, match, 2 * limit, candidates);
  if (!all.bounded) return all.hits.slice(0, limit);
  return mergeTiers(rankBounded(c, `{name} : (${match})`, limit, candidates).hits, all.hits, limit);
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
      indexRow(c, r.seq, r.name, { data: JSON.parse(r.data) });
      n++;
    }
    return n;
  });
}
