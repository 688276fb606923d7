import { z } from 'zod';
import { abilityKey, alignment, classKey, groupKey, int, raceKey, source } from './common.ts';

const group = z.strictObject({
  source,
  hit_die: z.union([z.literal(4), z.literal(6), z.literal(8), z.literal(10)]),
  name_level: int.min(1).max(20),
  hp_per_level_after: int.positive(),
});

const klass = z.strictObject({
  group: groupKey,
  source,
  specialist_school: z.string().optional(),
  opposition_schools: z.array(z.string()).optional(),
  prime_requisites: z.array(abilityKey).min(1),
  minimums: z.partialRecord(abilityKey, int.min(3).max(18)),
  races: z.array(raceKey).min(1),
  alignments: z.array(alignment).min(1),
  xp_table: z.enum(['fighter', 'paladin_ranger', 'wizard', 'cleric', 'druid', 'thief_bard']),
});

/** rules-data/classes.yaml — PHB Chapter 3, Tables 13, 14, 20, 22, 23, 25. */
export const classesSchema = z.strictObject({
  groups: z.strictObject({ warrior: group, wizard: group, priest: group, rogue: group }),
  classes: z.record(classKey, klass),
});
export type ClassesData = z.infer<typeof classesSchema>;
