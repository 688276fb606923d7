/**
 * The rules lookups: the commands that answer from the rules tables and show how with
 * `--explain` (a Derivation), each with the field of its answer that is "the answer".
 * `dma explain <lookup> <args…>` offers exactly these (src/commands/explain.ts); adding a
 * lookup command with `--explain` is one entry here.
 */
type Answer = Record<string, unknown>;

export const RULES_LOOKUPS = {
  thac0: { answer: (r: Answer) => r.thac0 },
  save: { answer: (r: Answer) => r.value ?? r.saves },
  'to-hit': { answer: (r: Answer) => r.roll_needed },
  ability: { answer: (r: Answer) => r.row },
  // `xp <class> <xp>` answers a level, `xp <class> --level N` an XP total
  xp: { answer: (r: Answer) => ('xp_to_next' in r ? r.level : r.xp) },
  turn: {
    answer: (r: Answer) => {
      const entries = r.entries as { result: unknown }[];
      return entries.length === 1 ? entries[0]!.result : entries.map((e) => e.result);
    },
  },
  'thief-skills': {
    answer: (r: Answer) =>
      Object.fromEntries(
        (r.skills as { label: string; total: number }[]).map((s) => [s.label, s.total]),
      ),
  },
  spells: {
    answer: (r: Answer) =>
      (r.spells as { level: number; total: number }[])
        .filter((s) => s.total > 0)
        .map((s) => s.total),
  },
} as const;

export type RulesLookup = keyof typeof RULES_LOOKUPS;

export const isRulesLookup = (name: string): name is RulesLookup =>
  Object.hasOwn(RULES_LOOKUPS, name);
