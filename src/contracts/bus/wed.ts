/**
 * World Designer (generation) requests and results: world.npc.generate,
 * world.dungeon.generate. Generation is deterministic: the result echoes the seed used.
 */
import { z } from 'zod';
import {
  ABILITY_METHODS,
  DUNGEON_SIZES,
  GENDERS,
  MAX_NPCS_IN_RESPONSE,
  alignmentSchema,
  classNameSchema,
  dataSchema,
  entityIdSchema,
  levelSchema,
  raceSchema,
  seedSchema,
} from './common.ts';

export { MAX_NPCS_IN_RESPONSE };

/** Generate NPCs; absent fields are rolled. */
export const npcGenerateRequestSchema = z.strictObject({
  /** a class, or a multi-class combination ("fighter/mage"; old/new with `dual`) */
  class: classNameSchema.optional(),
  /** a dual-class human: `class` is old/new */
  dual: z.boolean().optional(),
  /** roll non-weapon proficiencies too (the optional rule of PHB Chapter 5) */
  nwp: z.boolean().optional(),
  level: levelSchema.optional(),
  race: raceSchema.optional(),
  alignment: alignmentSchema.optional(),
  name: z.string().trim().min(1).max(100).optional(),
  gender: z.enum(GENDERS).optional(),
  method: z.enum(ABILITY_METHODS).default('3d6-in-order'),
  seed: seedSchema.optional(),
  /** more than MAX_NPCS_IN_RESPONSE: the response lists the first ones and every id */
  count: z.int().min(1).max(10_000).default(1),
  /** store the NPCs in the campaign (the orchestrator then sends entity.store) */
  save: z.boolean().default(false),
});
export type NpcGenerateRequest = z.input<typeof npcGenerateRequestSchema>;

const abilityScore = z.int().min(3).max(25);
export const abilityScoresSchema = z.strictObject({
  str: abilityScore,
  /** exceptional strength (warriors with 18 Str): 1–100, 100 written as 00 */
  str_exceptional: z.int().min(1).max(100).optional(),
  dex: abilityScore,
  con: abilityScore,
  int: abilityScore,
  wis: abilityScore,
  cha: abilityScore,
});

export const generatedNpcSchema = z.strictObject({
  id: entityIdSchema.optional(),
  name: z.string().min(1).max(64),
  race: raceSchema,
  class: classNameSchema,
  level: levelSchema,
  alignment: alignmentSchema,
  gender: z.enum(GENDERS),
  abilities: abilityScoresSchema,
  hit_points: z.int().min(1).max(500),
  armor_class: z.int().min(-10).max(10),
  thac0: z.int().min(1).max(25),
  /** anything else the generator adds: saves, equipment, spells, personality */
  details: dataSchema.optional(),
});
export type GeneratedNpc = z.infer<typeof generatedNpcSchema>;

export const npcGenerateResultSchema = z.strictObject({
  /** the NPCs, or the first MAX_NPCS_IN_RESPONSE of a larger batch */
  npcs: z.array(generatedNpcSchema).min(1).max(MAX_NPCS_IN_RESPONSE),
  seed: seedSchema,
  /** how many were generated (when more than `npcs` lists) */
  total: z.int().min(1).max(10_000).optional(),
  /** the stored entity ids of all of them, in order (when saved) */
  entity_ids: z.array(entityIdSchema).max(10_000).optional(),
});
export type NpcGenerateResult = z.infer<typeof npcGenerateResultSchema>;

/** Generate a stocked dungeon; `rooms` overrides `size`. */
export const dungeonGenerateRequestSchema = z.strictObject({
  rooms: z.int().min(1).max(200).optional(),
  size: z.enum(DUNGEON_SIZES).optional(),
  /** dungeon level 1–10: picks monsters and treasure */
  level: z.int().min(1).max(10).optional(),
  /** average party level, for the difficulty rating */
  party_level: levelSchema.optional(),
  /** characters in the party (default 4): with party_level, the XP budget */
  party_size: z.int().min(1).max(12).optional(),
  /** set pieces: a named room with an optional chosen monster */
  key_rooms: z
    .array(
      z.strictObject({
        name: z.string().trim().min(1).max(100),
        monster: z.string().trim().min(1).max(100).optional(),
      }),
    )
    .max(200)
    .optional(),
  theme: z.string().trim().min(1).max(64).optional(),
  seed: seedSchema.optional(),
  save: z.boolean().default(false),
});
export type DungeonGenerateRequest = z.input<typeof dungeonGenerateRequestSchema>;

export const dungeonGenerateResultSchema = z.strictObject({
  id: entityIdSchema.optional(),
  name: z.string().min(1).max(255),
  rooms: z.int().min(1).max(200),
  level: z.int().min(1).max(10),
  party_level: levelSchema,
  theme: z.string().max(64),
  seed: seedSchema,
  /** the generator's dungeon document (src/generators/dungeon, schema_version 1) */
  dungeon: dataSchema,
});
export type DungeonGenerateResult = z.infer<typeof dungeonGenerateResultSchema>;
