import { z } from 'zod';

/** Hit Dice as printed in the Monstrous Manual: "1/2", "1-1", "4", "4+4". */
export const hitDiceString = z
  .string()
  .regex(/^(\d+\/\d+|\d+|\d+[+-]\d+)$/, 'hit dice like "1/2", "1-1", "4" or "4+4"');
export const diceString = z
  .string()
  .regex(/^(\d+|\d*d\d+([+-]\d+)?)$/, 'dice like "2d6", "1d4+4" or "3"');
const treasureLetter = z.string().regex(/^[A-Z]$/);
export const frequency = z.enum(['common', 'uncommon', 'rare', 'very rare']);

const monster = z.strictObject({
  name: z.string().min(1),
  /** MM size class: tiny, small, man-sized, large, huge, gargantuan (L and up take damage_l) */
  size: z.enum(['T', 'S', 'M', 'L', 'H', 'G']),
  hd: hitDiceString,
  ac: z.number().int().min(-10).max(10),
  thac0: z.number().int().min(1).max(20),
  /** Hit Dice the creature attacks as, when its entry says so (e.g. stirge: as 4 HD) */
  attacks_as: hitDiceString.optional(),
  movement: z.string().optional(),
  attacks: z.number().int().min(0),
  damage: z.array(z.union([diceString, z.literal('special')])),
  xp: z.number().int().positive(),
  frequency,
  number_appearing: diceString,
  treasure: z.array(treasureLetter),
  level: z.tuple([z.number().int().min(1).max(10), z.number().int().min(1).max(10)]),
  tags: z.array(z.string()).min(1),
});

/** rules-data/monsters.yaml — Monstrous Manual entries, DMG Table 39. */
export const monstersSchema = z.strictObject({
  source: z.string(),
  frequency_weights: z.strictObject({
    source: z.string(),
    common: z.number().int().positive(),
    uncommon: z.number().int().positive(),
    rare: z.number().int().positive(),
    'very rare': z.number().int().positive(),
  }),
  monsters: z
    .array(monster)
    .min(1)
    .refine(
      (list) => new Set(list.map((m) => m.name)).size === list.length,
      'monster names must be unique',
    )
    .refine((list) => list.every((m) => m.level[0] <= m.level[1]), 'level band must be [min, max]')
    .refine(
      (list) => list.every((m) => m.damage.length === m.attacks),
      'one damage entry per attack',
    ),
});
export type MonstersData = z.infer<typeof monstersSchema>;
export type MonsterData = MonstersData['monsters'][number];
export type Frequency = z.infer<typeof frequency>;
