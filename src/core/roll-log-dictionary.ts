/**
 * Texts generators write often in their roll logs, for the compact stored form
 * (src/core/roll-log.ts). APPEND-ONLY: stored logs refer to entries by position, so an
 * entry is never removed, changed or moved (test/unit/roll-log.test.ts keeps the first
 * version's entries). Written by `npx tsx scripts/roll-log-dictionary.ts`, which appends
 * the texts frequent in a sample of generated NPCs that are not here yet.
 */
export const ROLL_LOG_DICTIONARY: readonly string[] = [];
