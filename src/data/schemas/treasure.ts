import { z } from 'zod';
import { diceString } from './monsters.ts';

const range = z.tuple([z.number().int().min(1).max(100), z.number().int().min(1).max(100)]);
const line = z.strictObject({
  kind: z.enum(['cp', 'sp', 'ep', 'gp', 'pp', 'gems', 'art', 'magic']),
  /** percent chance the line is present */
  chance: z.number().int().min(1).max(100),
  dice: diceString,
  /** the dice result is multiplied by this */
  times: z.number().int().positive(),
  /** magic lines only: what kind of items */
  category: z.string().optional(),
  /**
   * magic lines only: the items as rolls on the magic item tables (magic-items.yaml).
   * `count` is dice or a constant; `from` is a pool of tables (see MAGIC_POOLS in
   * src/rules/magic-items.ts). The line's `dice` is then the total for display.
   */
  items: z
    .array(
      z.strictObject({
        count: diceString,
        from: z.enum([
          'any',
          'any-except-weapons',
          'armor-or-weapon',
          'potion',
          'scroll',
          'ring',
          'rod-staff-wand',
          'miscellaneous',
          'armor',
          'weapon',
          'map',
        ]),
      }),
    )
    .min(1)
    .optional(),
});

/** rules-data/treasure.yaml — DMG Tables 84-86, PHB Table 43. */
export const treasureSchema = z.strictObject({
  source: z.string(),
  exchange_gp: z.strictObject({
    cp: z.number(),
    sp: z.number(),
    ep: z.number(),
    gp: z.number(),
    pp: z.number(),
  }),
  types: z.record(
    z.string().regex(/^[A-Z]$/),
    z.strictObject({ lair: z.boolean(), lines: z.array(line).min(1) }),
  ),
  gem_values: z.strictObject({
    source: z.string(),
    entries: z.array(z.strictObject({ range, name: z.string(), gp: z.number().positive() })).min(1),
  }),
  art_values: z.strictObject({
    source: z.string(),
    entries: z
      .array(z.strictObject({ range, dice: diceString, times: z.number().int().positive() }))
      .min(1),
  }),
});
export type TreasureData = z.infer<typeof treasureSchema>;
export type TreasureLine = z.infer<typeof line>;
