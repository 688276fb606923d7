/**
 * Full-text search on PostgreSQL: a tsvector per entity (name weighted A, the text of its
 * data B; the 'simple' configuration: no stemming, as SQLite's unicode61), a GIN index,
 * and ranked queries with the same plain-word syntax as SQLite's (src/store/fts.ts).
 */
import { UsageError } from '../../core/errors.ts';
import type { EntityType } from '../../contracts/entity-types.ts';
import { mergeTiers, RANKED_CANDIDATES } from '../fts.ts';
import { clampLimit, searchText, typeFilter } from '../records.ts';
import type { SearchHit } from '../types.ts';
import type { PgCore } from './core.ts';

/** The tsvector expression for ($name, $body) parameters. */
export const SEARCH_VECTOR = (name: string, body: string) =>
  `setweight(to_tsvector('simple', ${name}), 'A') || setweight(to_tsvector('simple', ${body}), 'B')`;

export const searchBody = searchText;

/**
 * What a user typed as a tsquery: every word must match (each word's letters-and-digits
 * runs as a phrase), the last word as a prefix — toFtsQuery's rules. Undefined when no
 * word is left.
 */
export function toTsQuery(input: string): string | undefined {
  const words = input
    .split(/\s+/u)
    .map((w) => w.match(/[\p{L}\p{N}]+/gu) ?? [])
    .filter((t) => t.length > 0);
  if (words.length === 0) return undefined;
  return words
    .map((tokens, i) => {
      const last = i === words.length - 1;
      const parts = tokens.map(
        (t, j) => `'${t.toLowerCase()}'${last && j === tokens.length - 1 ? ':*' : ''}`,
      );
      return parts.length === 1 ? parts[0]! : `(${parts.join(' <-> ')})`;
    })
    .join(' & ');
}

export async function search(
  c: PgCore,
  query: string,
  opts: { type?: EntityType | undefined; limit?: number; raw?: boolean } = {},
): Promise<SearchHit[]> {
  typeFilter(opts.type);
  const match = opts.raw ? query.trim() : toTsQuery(query);
  if (!match) throw new UsageError('the search query has no words to look for');
  const limit = clampLimit(opts.limit ?? 20);
  try {
    if (opts.type === undefined && !opts.raw) return await plainSearch(c, match, limit);
    return await c.rows<SearchHit>(
      `SELECT id, type, name, version, updated_at, ts_rank(search, q) AS score
       FROM entities, to_tsquery('simple', $1) AS q
       WHERE search @@ q ${opts.type ? 'AND type = $3' : ''}
       ORDER BY score DESC, seq LIMIT $2`,
      opts.type ? [match, limit, opts.type] : [match, limit],
    );
  } catch (err) {
    const e = err as { code?: string; message?: string };
    if (e.code === '42601' || /tsquery/i.test(e.message ?? '')) {
      throw new UsageError(`bad search query: ${e.message?.split('\n')[0] ?? ''}`, {
        hint: 'leave out "raw" to search for plain words',
      });
    }
    throw err;
  }
}

/**
 * A plain, untyped query: every match ranked, or for a common word two bounded tiers (as
 * on SQLite, src/store/fts.ts): the entities whose name matches (their own GIN index,
 * migration 3), then the best among the first RANKED_CANDIDATES matches. One statement,
 * one round trip: the name tier is read only when the first tier found more matches than
 * it ranks (a one-time filter), and each tier ranks at most candidates + 1 rows.
 */
async function plainSearch(c: PgCore, match: string, limit: number): Promise<SearchHit[]> {
  const candidates = Math.max(RANKED_CANDIDATES, limit);
  const cols = 'seq, id, type, name, version, updated_at, search';
  const rows = await c.rows<SearchHit & { tier: 'all' | 'name'; n: string }>(
    `WITH q AS (SELECT to_tsquery('simple', $1) AS q),
       matches AS (SELECT ${cols} FROM entities, q WHERE search @@ q.q LIMIT $2),
       total AS (SELECT count(*) AS n FROM matches),
       named AS (SELECT ${cols} FROM entities, q
                 WHERE (SELECT n FROM total) > $4 AND to_tsvector('simple', name) @@ q.q LIMIT $2)
     (SELECT 'all' AS tier, id, type, name, version, updated_at, ts_rank(search, q.q) AS score,
             (SELECT n FROM total) AS n
      FROM matches, q ORDER BY score DESC, seq LIMIT $3)
     UNION ALL
     (SELECT 'name', id, type, name, version, updated_at, ts_rank(search, q.q), 0
      FROM named, q ORDER BY 7 DESC, seq LIMIT $5)`,
    // twice the limit: room for the name tier's hits, which the first tier may hold too
    [match, candidates + 1, 2 * limit, candidates, limit],
  );
  const hits = (tier: 'all' | 'name') =>
    rows.filter((r) => r.tier === tier).map(({ tier: _t, n: _n, ...hit }) => hit);
  const all = hits('all');
  const first = rows.find((r) => r.tier === 'all');
  const bounded = first !== undefined && Number(first.n) > candidates;
  return bounded ? mergeTiers(hits('name'), all, limit) : all.slice(0, limit);
}

/** Rebuild every entity's search vector (repair; returns the number indexed). */
export async function reindex(c: PgCore): Promise<number> {
  c.writable();
  return c.tx(async () => {
    let n = 0;
    let last = 0;
    for (;;) {
      const rows = await c.rows<{ seq: number; name: string; data: string }>(
        'SELECT seq, name, data FROM entities WHERE seq > $1 ORDER BY seq LIMIT 1000',
        [last],
      );
      if (rows.length === 0) return n;
      for (const r of rows) {
        await c.q(`UPDATE entities SET search = ${SEARCH_VECTOR('$2', '$3')} WHERE seq = $1`, [
          r.seq,
          r.name,
          searchBody(JSON.parse(r.data)),
        ]);
        n++;
      }
      last = rows[rows.length - 1]!.seq;
    }
  });
}
