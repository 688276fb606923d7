import { z } from 'zod';
import { source } from './common.ts';

const levels = (maxSpellLevel: number) =>
  z.array(z.array(z.number().int().positive()).min(1).max(maxSpellLevel)).length(20);

/** rules-data/spell_progression.yaml — PHB Tables 21 and 24. */
export const spellProgressionSchema = z.strictObject({
  wizard: z.strictObject({
    source,
    specialist_bonus: z.number().int().nonnegative(),
    levels: levels(9),
  }),
  priest: z.strictObject({
    source,
    min_wisdom_for_level: z.record(z.string().regex(/^[1-7]$/), z.number().int().min(3).max(25)),
    wisdom_bonus_source: source,
    levels: levels(7),
  }),
});
export type SpellProgressionData = z.infer<typeof spellProgressionSchema>;
