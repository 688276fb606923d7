import { z } from 'zod';
import { int, pct, source } from './common.ts';

const strengthRow = z.strictObject({
  score: z.string().regex(/^(\d{1,2}|18\/(01-50|51-75|76-90|91-99|00))$/),
  hit: int,
  dmg: int,
  weight_allowance: int.nonnegative(),
  max_press: int.nonnegative(),
  open_doors: int.min(1).max(20),
  open_doors_locked: int.min(1).max(20).nullable(),
  bend_bars_pct: pct,
});
const score = int.min(1).max(25);
const table = <T extends z.ZodType>(row: T) =>
  z.strictObject({ source, rows: z.array(row).length(25) });

/** rules-data/abilities.yaml — PHB Tables 1-6. */
export const abilitiesSchema = z.strictObject({
  strength: z.strictObject({ source, rows: z.array(strengthRow).length(30) }),
  dexterity: table(z.strictObject({ score, reaction: int, missile: int, defense: int })),
  constitution: table(
    z.strictObject({
      score,
      hp: int,
      hp_warrior: int,
      system_shock: pct,
      resurrection: pct,
      poison_save: int,
      regeneration_turns: int.positive().nullable(),
      hit_die_minimum: int.min(2).max(4).nullable(),
    }),
  ),
  intelligence: table(
    z.strictObject({
      score,
      languages: int.nonnegative(),
      max_spell_level: int.min(1).max(9).nullable(),
      learn_spell_pct: pct.nullable(),
      max_spells_per_level: z.union([int.positive(), z.literal('all')]).nullable(),
      illusion_immunity: int.min(1).max(7).nullable(),
    }),
  ),
  wisdom: table(
    z.strictObject({
      score,
      magic_defense: int,
      bonus_spells: z.array(int.min(1).max(7)),
      spell_failure_pct: pct,
      spell_immunity: z.array(z.string()),
    }),
  ),
  charisma: table(
    z.strictObject({ score, henchmen: int.nonnegative(), loyalty: int, reaction: int }),
  ),
});
export type AbilitiesData = z.infer<typeof abilitiesSchema>;
