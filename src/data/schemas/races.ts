import { z } from 'zod';
import { abilityKey, classKey, int, raceKey, source } from './common.ts';

const scores = z.strictObject({
  str: int.min(3).max(18),
  dex: int.min(3).max(18),
  con: int.min(3).max(18),
  int: int.min(3).max(18),
  wis: int.min(3).max(18),
  cha: int.min(3).max(18),
});

/** rules-data/races.yaml — PHB Tables 7 and 8, DMG racial class and level limits. */
export const racesSchema = z.strictObject({
  races: z.record(
    raceKey,
    z.strictObject({
      source,
      adjustments: z.partialRecord(abilityKey, int.min(-2).max(2)),
      minimums: scores,
      maximums: scores,
      level_limits: z.partialRecord(classKey, int.min(1).max(20).nullable()),
    }),
  ),
});
export type RacesData = z.infer<typeof racesSchema>;
