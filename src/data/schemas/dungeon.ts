import { z } from 'zod';
import { diceString } from './monsters.ts';

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
  tables: z.record(z.string(), randomTableSchema),
  traps: z.record(
    z.string(),
    z.strictObject({ effect: z.string(), save: z.string(), damage: diceString }),
  ),
  themes: z.record(
    z.string(),
    z.strictObject({ tags: z.array(z.string()), description: z.string() }),
  ),
});
export type DungeonData = z.infer<typeof dungeonSchema>;
export type RandomTableData = z.infer<typeof randomTableSchema>;
