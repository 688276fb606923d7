import { z } from 'zod';
import { abilityKey, groupKey, int, raceKey } from './common.ts';

const slots = z.strictObject({
  weapon: int.min(1),
  weapon_every: int.min(1),
  penalty: int.max(0),
  nonweapon: int.min(1),
  nonweapon_every: int.min(1),
});

/** rules-data/character-extras.yaml — racial abilities, languages, proficiency slots. */
export const characterExtrasSchema = z.strictObject({
  racial: z.strictObject({
    source: z.string().regex(/^PHB\b/),
    races: z.record(
      raceKey,
      z.strictObject({
        infravision: int.min(0).max(120),
        abilities: z.array(z.string().min(1).max(200)),
        languages: z.strictObject({
          native: z.array(z.string()).min(1),
          learnable: z.array(z.string()).min(1),
        }),
      }),
    ),
  }),
  proficiencies: z.strictObject({
    source: z.string().regex(/^PHB\b/),
    groups: z.record(groupKey, slots),
    specialisation: z.strictObject({
      source: z.string().regex(/^PHB\b/),
      classes: z.array(z.string()),
      melee_slots: int.min(1),
      bow_slots: int.min(1),
    }),
    nonweapon: z.strictObject({
      source: z.string().regex(/^PHB\b/),
      list: z.array(
        z.strictObject({
          name: z.string(),
          slots: int.min(1).max(4),
          ability: z.union([abilityKey, z.literal('none')]),
          modifier: int.min(-5).max(5),
          group: z.union([groupKey, z.literal('general')]),
        }),
      ),
    }),
  }),
});
export type CharacterExtrasData = z.infer<typeof characterExtrasSchema>;
