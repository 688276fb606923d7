import { z } from 'zod';
import { source } from './common.ts';

const column = z.strictObject({
  source,
  xp: z
    .array(z.number().int().nonnegative())
    .length(20)
    .refine(
      (xs) => xs[0] === 0 && xs.every((x, i) => i === 0 || x > xs[i - 1]!),
      'starts at 0 and rises',
    ),
});

/** rules-data/experience.yaml — PHB Tables 14, 20, 23, 25. */
export const experienceSchema = z.strictObject({
  tables: z.strictObject({
    fighter: column,
    paladin_ranger: column,
    wizard: column,
    cleric: column,
    druid: column,
    thief_bard: column,
  }),
});
export type ExperienceData = z.infer<typeof experienceSchema>;
