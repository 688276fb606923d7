/**
 * Turning what a user typed into an FTS5 query. Plain words always work: every word
 * becomes a quoted term, so FTS5 operators and punctuation in user input cannot cause a
 * syntax error. All words must match; the last one is a prefix ("ela" finds Elara, as
 * one types). Only the last, because a prefix term costs about twice a whole word on a
 * large index. Raw FTS5 syntax is opt-in (`search(q, { raw: true })`).
 */

/** `the "old" wiz` → `"the" """old""" "wiz"*`; undefined when nothing searchable is left. */
export function toFtsQuery(input: string): string | undefined {
  const words = input.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w));
  if (words.length === 0) return undefined;
  return words
    .map((w, i) => `"${w.replace(/"/g, '""')}"${i === words.length - 1 ? '*' : ''}`)
    .join(' ');
}

/**
 * A plain query ranks at most this many candidates (or `limit`, when larger), on either
 * engine: ranking (FTS5's bm25, PostgreSQL's ts_rank) costs per row ranked, 25-50 ms for a
 * word in 15,000 of 100,000 entities, while taking the first rows that match is a walk
 * along an index.
 */
export const RANKED_CANDIDATES = 500;

/**
 * A common word's hits, from its two tiers: the entities whose name matches first, then
 * the best of the first RANKED_CANDIDATES matches (`all`, ranked to twice the limit, so
 * there is room for the hits the name tier holds too). The tiers' scores come from two
 * queries: a text match's score may exceed a name match's above it.
 */
export function mergeTiers<H extends { id: string }>(named: H[], all: H[], limit: number): H[] {
  const seen = new Set(named.map((h) => h.id));
  return [...named, ...all.filter((h) => !seen.has(h.id))].slice(0, limit);
}
