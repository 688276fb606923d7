import { z } from 'zod';
import { source } from './common.ts';

const levels = (maxSpellLevel: number) =>
  z.array(z.array(z.number().int().positive()).min(1).max(maxSpellLevel)).length(20);

/** A warrior who casts priest spells late (paladin, ranger): spheres, casting level, slots. */
const halfCaster = (maxSpellLevel: number) =>
  z.strictObject({
    source,
    first_level: z.number().int().min(1).max(20),
    spheres: z.array(z.string()).min(1),
    casting_level: z.array(z.number().int().min(0).max(9)).length(20),
    levels: z.array(z.array(z.number().int().positive()).max(maxSpellLevel)).length(20),
  });

/** rules-data/spell-progression.yaml — PHB Tables 21 and 24. */
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
  /** PHB Table 32: bard levels 1-20, wizard spells of levels 1-6 (an empty row: none yet) */
  bard: z.strictObject({
    source,
    first_level: z.number().int().min(1).max(20),
    levels: z.array(z.array(z.number().int().positive()).max(6)).length(20),
  }),
  paladin: halfCaster(4),
  ranger: halfCaster(3),
});
export type SpellProgressionData = z.infer<typeof spellProgressionSchema>;
