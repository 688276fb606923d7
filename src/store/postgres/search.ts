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
 * The best `limit` by ts_rank among the first `candidates` + 1 rows where `where` holds,
 * and whether there were more than `candidates` (if not, the ranking is over every match).
 */
async function rankBounded(
  c: PgCore,
  where: string,
  match: string,
  limit: number,
  candidates: number,
): Promise<{ hits: SearchHit[]; bounded: boolean }> {
  const rows = await c.rows<SearchHit & { n: string }>(
    `SELECT id, type, name, version, updated_at, score, n
     FROM (SELECT m.*, ts_rank(m.search, q) AS score, count(*) OVER () AS n
           FROM (SELECT seq, id, type, name, version, updated_at, search
                 FROM entities, to_tsquery('simple', $1) AS q WHERE ${where} LIMIT $2) AS m,
                to_tsquery('simple', $1) AS q) AS r
     ORDER BY score DESC, seq LIMIT $3`,
    [match, candidates + 1, limit],
  );
  const bounded = rows.length > 0 && Number(rows[0]!.n) > candidates;
  return { hits: rows.map(({ n: _n, ...hit }) => hit), bounded };
}

/**
 * A plain, untyped query: every match ranked, or for a common word two bounded tiers —
 * the entities whose name matches (their own index, migration 3; the name weighs most in
 * a full ranking too), then those among the first RANKED_CANDIDATES matches.
 */
async function plainSearch(c: PgCore, match: string, limit: number): Promise<SearchHit[]> {
  const candidates = Math.max(RANKED_CANDIDATES, limit);
  // twice the limit: room for the name tier's hits, which this list may hold too
  const all = await rankBounded(c, 'search @@ q', match, 2 * limit, candidates);
  if (!all.bounded) return all.hits.slice(0, limit);
  const named = await rankBounded(c, `to_tsvector('simple', name) @@ q`, match, limit, candidates);
  return mergeTiers(named.hits, all.hits, limit);
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
