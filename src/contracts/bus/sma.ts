/**
 * System Mastery (rules) requests and results: rules.thac0, rules.save, rules.lookup,
 * rules.roll.
 */
import { z } from 'zod';
import {
  CLASS_GROUPS,
  SAVE_CATEGORIES,
  classOrGroupSchema,
  levelSchema,
  seedSchema,
} from './common.ts';

/** THAC0 of a class (or class group) at a level (PHB Table 53). */
export const thac0RequestSchema = z.strictObject({
  class: classOrGroupSchema,
  level: levelSchema,
});
export type Thac0Request = z.input<typeof thac0RequestSchema>;

export const thac0ResultSchema = z.strictObject({
  class: classOrGroupSchema,
  group: z.enum(CLASS_GROUPS),
  level: levelSchema,
  thac0: z.int().min(1).max(25),
  source: z.string().max(200).optional(),
});
export type Thac0Result = z.infer<typeof thac0ResultSchema>;

/** Saving throw target of a class at a level (PHB Table 60), optionally one category. */
export const saveRequestSchema = z.strictObject({
  class: classOrGroupSchema,
  level: levelSchema,
  save: z.enum(SAVE_CATEGORIES).optional(),
});
export type SaveRequest = z.input<typeof saveRequestSchema>;

export const saveResultSchema = z.strictObject({
  class: classOrGroupSchema,
  group: z.enum(CLASS_GROUPS),
  level: levelSchema,
  /** the target number for each category asked for (all five when `save` was absent) */
  saves: z.partialRecord(z.enum(SAVE_CATEGORIES), z.int().min(1).max(25)),
  source: z.string().max(200).optional(),
});
export type SaveResult = z.infer<typeof saveResultSchema>;

/** Generic table lookup: `{table: "thief-skills", key: "7"}`. */
export const lookupRequestSchema = z.strictObject({
  table: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9_-]*$/, 'a table name like thief-skills'),
  key: z.union([z.string().trim().min(1).max(128), z.int().min(-1000).max(1_000_000)]),
  /**
   * The lookup's other arguments, as the CLI command of the same name takes them:
   * `{table: "xp", key: "mage", params: {level: 7}}` (added in 1.1, optional).
   */
  params: z
    .record(
      z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'a parameter name like level'),
      z.union([z.string().max(128), z.number(), z.boolean()]),
    )
    .optional(),
});
export type LookupRequest = z.input<typeof lookupRequestSchema>;

export const lookupResultSchema = z.strictObject({
  table: z.string().min(1).max(64),
  key: z.union([z.string().max(128), z.int()]),
  value: z.unknown(),
  source: z.string().max(200).optional(),
});
export type LookupResult = z.infer<typeof lookupResultSchema>;

/** Dice notation: NdM with kh/kl/dh/dl and +K/-K, or d% (see src/rules/dice.ts). */
export const diceNotationSchema = z
  .string()
  .trim()
  .min(2)
  .max(64)
  .regex(/^[0-9dDkKhHlL%+\- ]+$/, 'dice notation like 4d6dl1, 2d20kh1, 1d8+2 or d%');

export const rollRequestSchema = z.strictObject({
  notation: diceNotationSchema,
  seed: seedSchema.optional(),
  /** how many times to roll the expression */
  times: z.int().min(1).max(100).default(1),
});
export type RollRequest = z.input<typeof rollRequestSchema>;

export const diceRollSchema = z.strictObject({
  notation: z.string().max(64),
  dice: z.string().max(32),
  rolls: z.array(z.int()).max(1000),
  kept: z.array(z.int()).max(1000).optional(),
  dropped: z.array(z.int()).max(1000).optional(),
  modifier: z.int(),
  total: z.int(),
  is_critical: z.literal(true).optional(),
  is_fumble: z.literal(true).optional(),
});
export type DiceRollResult = z.infer<typeof diceRollSchema>;

export const rollResultSchema = z.strictObject({
  rolls: z.array(diceRollSchema).min(1).max(100),
  seed: seedSchema,
});
export type RollResult = z.infer<typeof rollResultSchema>;
