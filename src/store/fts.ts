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
