import { z } from 'zod';
import { classKey, int, raceKey } from './common.ts';

/** rules-data/multiclass.yaml — multi-class combinations by race, dual-class rules. */
export const multiclassSchema = z.strictObject({
  source: z.string().regex(/^PHB\b/),
  combinations: z.record(raceKey, z.array(z.array(classKey).min(2).max(3))),
  dual: z.strictObject({
    source: z.string().regex(/^PHB\b/),
    races: z.array(raceKey).min(1),
    old_class_minimum: int.min(3).max(18),
    new_class_minimum: int.min(3).max(18),
  }),
});
export type MulticlassData = z.infer<typeof multiclassSchema>;
