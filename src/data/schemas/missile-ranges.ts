import { z } from 'zod';
import { source } from './common.ts';

const tens = z.number().int().min(1).max(50);

/** rules-data/missile-ranges.yaml — PHB Table 45. */
export const missileRangesSchema = z.strictObject({
  source,
  modifiers: z.strictObject({
    short: z.number().int(),
    medium: z.number().int(),
    long: z.number().int(),
  }),
  weapons: z
    .array(
      z.strictObject({
        weapon: z.string().min(1),
        ammunition: z.string().min(1).optional(),
        rof: z.string().regex(/^\d+(\/\d+)?$/),
        short: tens.nullable(),
        medium: tens,
        long: tens,
      }),
    )
    .min(1)
    .refine(
      (rows) => rows.every((r) => (r.short === null || r.short < r.medium) && r.medium < r.long),
      'ranges must grow: short < medium < long',
    ),
});
export type MissileRangesData = z.infer<typeof missileRangesSchema>;
