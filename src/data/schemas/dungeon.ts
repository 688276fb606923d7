import { z } from 'zod';

const tableRef = z.strictObject({ table: z.string().min(1) });
const entry = z.strictObject({
  range: z.tuple([z.number().int().min(1), z.number().int().min(1)]).optional(),
  weight: z.number().int().positive().optional(),
  result: z.union([z.string().min(1), tableRef]),
});
/** a random table as data (see src/generators/tables.ts for the rules it must follow) */
export const randomTableSchema = z.strictObject({
  source: z.string(),
  /** "d100", "2d6", or "weight" for a weighted table */
  dice: z.string().regex(/^(\d*d\d+|weight)$/),
  entries: z.array(entry).min(1),
});

/** rules-data/dungeon.yaml — room contents, doors, traps, dressing, themes. */
export const dungeonSchema = z.strictObject({
  source: z.string(),
  sizes: z.strictObject({
    small: z.number().int().positive(),
    medium: z.number().int().positive(),
    large: z.number().int().positive(),
  }),
  unguarded_treasure: z.strictObject({
    source: z.string(),
    by_level: z.array(z.array(z.string().regex(/^[A-Z]$/)).min(1)).length(10),
  }),
  encounters: z.strictObject({
    source: z.string(),
    xp_below_one_hit_die: z.number().int().positive(),
    xp_by_hit_dice: z.array(z.number().int().positive()).length(20),
    ratings: z.strictObject({ easy: z.number(), fair: z.number(), hard: z.number() }),
    targets: z.strictObject({
      source: z.string(),
      dice: z.string().regex(/^\d*d\d+$/),
      entries: z
        .array(
          z.strictObject({
            range: z.tuple([z.number().int().min(1), z.number().int().min(1)]),
            ratio: z.number().positive(),
          }),
        )
        .min(1),
    }),
    set_piece_ratio: z.number().positive(),
    single_creature_cap: z.number().positive(),
  }),
  tables: z.record(z.string(), randomTableSchema),
  themes: z.record(
    z.string(),
    z.strictObject({
      description: z.string(),
      /** monster tags the theme favours (weight x3) */
      tags: z.array(z.string()),
      /** monster habitats (rules-data/monsters.yaml) the theme draws from */
      habitats: z.array(z.string()).min(1),
      source: z.string(),
      /** what rooms are for; drawn without repeats until the list runs out */
      purposes: z.array(z.string().min(1)).min(6),
      /** room dressing; drawn without repeats until the list runs out */
      dressing: z.array(z.string().min(1)).min(12),
    }),
  ),
});
export type DungeonData = z.infer<typeof dungeonSchema>;
export type RandomTableData = z.infer<typeof randomTableSchema>;
