/**
 * Turning what a user typed into an FTS5 query. Plain words always work: every word
 * becomes a quoted prefix term ("ela" finds Elara), so FTS5 operators and punctuation
 * in user input cannot cause a syntax error. Raw FTS5 syntax is opt-in (`raw: true`).
 */

/** `the "old" wiz` → `"the"* "old"* "wiz"*`; undefined when nothing searchable is left. */
export function toFtsQuery(input: string): string | undefined {
  const terms = input
    .split(/\s+/u)
    .filter((w) => /[\p{L}\p{N}]/u.test(w))
    .map((w) => `"${w.replace(/"/g, '""')}"*`);
  return terms.length === 0 ? undefined : terms.join(' ');
}
