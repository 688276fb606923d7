import { z } from 'zod';

/** base + floor((caster level - offset) / per_levels), at most max. */
const levelCount = z.strictObject({
  base: z.number().int().min(0).optional(),
  per_levels: z.number().int().min(1),
  offset: z.number().int().min(0).optional(),
  max: z.number().int().min(1).optional(),
});
export type LevelCount = z.infer<typeof levelCount>;

const dice = z.strictObject({
  die: z.number().int().min(2).max(20),
  count: z.union([z.number().int().min(1), levelCount]),
  /** added once: a number, or per_level × caster level up to max */
  bonus: z
    .union([
      z.number().int(),
      z.strictObject({ per_level: z.number().int().min(1), max: z.number().int().optional() }),
    ])
    .optional(),
  /** added to each die */
  per_die: z.number().int().optional(),
  /** separate missiles or bolts, each rolled on its own */
  instances: z.union([z.number().int().min(1), levelCount]).optional(),
});
export type SpellDice = z.infer<typeof dice>;

const spell = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9' -]*[a-z']$/),
    class: z.enum(['wizard', 'priest']),
    level: z.number().int().min(1).max(9),
    school: z.array(z.string()).min(1).optional(),
    sphere: z.array(z.string()).min(1).optional(),
    reverse_of: z.string().optional(),
    range: z.string().min(1),
    duration: z.string().min(1),
    area: z.string().min(1),
    casting_time: z.string().min(1),
    components: z.string().regex(/^[VSM](,[VSM])*$/),
    save: z.enum(['none', 'negates', 'half', 'special']),
    save_vs: z.enum(['spell', 'poison', 'death', 'paralyzation']).optional(),
    attack: z.enum(['touch', 'missile']).optional(),
    damage: dice.optional(),
    healing: dice.optional(),
    /** Hit Dice of creatures affected (sleep) */
    sleep_hd: z.string().optional(),
    effect: z.string().min(1),
    source: z.string().regex(/^PHB\b/),
  })
  .refine((s) => (s.class === 'wizard' ? s.school : s.sphere) !== undefined, {
    message: 'a wizard spell has a school, a priest spell a sphere',
  })
  .refine((s) => s.level <= (s.class === 'priest' ? 7 : 9), {
    message: 'priest spells go to 7th level, wizard spells to 9th',
  });

/** rules-data/spells.yaml — PHB Appendices 3 and 4. */
export const spellsSchema = z.strictObject({
  source: z.string().regex(/^PHB\b/),
  spells: z
    .array(spell)
    .min(60)
    .refine(
      (list) => new Set(list.map((s) => `${s.class}:${s.name}`)).size === list.length,
      'one entry per class and spell name',
    ),
});
export type SpellsData = z.infer<typeof spellsSchema>;
export type SpellData = SpellsData['spells'][number];
