/**
 * Shared vocabulary of the agent bus: the API version, agent names, AD&D 2e enums and
 * the TaskResult wrapper every response carries ("contracts are law": strict, bounded,
 * versioned — original design 004). Enums may grow; they never shrink within v1
 * (test/unit/bus-schema-evolution.test.ts checks it).
 */
import { z } from 'zod';
import { CLASS_GROUPS, CLASSES, RACES } from '../../core/vocabulary.ts';
import { ALIGNMENTS, ENTITY_TYPES, type Alignment, type EntityType } from '../entity-types.ts';

export const API_VERSION = 'v1' as const;
export type ApiVersion = typeof API_VERSION;

/** Who may send or receive a bus message. */
export const AGENTS = ['orchestrator', 'scribe', 'sma', 'wed', 'cli'] as const;
export type AgentName = (typeof AGENTS)[number];
export const agentNameSchema = z.enum(AGENTS);

/** Agents that own message types (handle requests). */
export const HANDLER_AGENTS = ['scribe', 'sma', 'wed'] as const;
export type HandlerAgent = (typeof HANDLER_AGENTS)[number];

/** Campaign entity types: the store's entity contract's list. */
export { ENTITY_TYPES, type EntityType };
export const entityTypeSchema = z.enum(ENTITY_TYPES);

/** PHB chapter 3: the character classes (src/core/vocabulary.ts). */
export { CLASSES };
export type ClassName = (typeof CLASSES)[number];
export const classSchema = z.enum(CLASSES);

/** PHB chapter 3: the four class groups (THAC0 and saves are by group). */
export { CLASS_GROUPS };
export type ClassGroup = (typeof CLASS_GROUPS)[number];
export const classOrGroupSchema = z.enum([...CLASSES, ...CLASS_GROUPS]);
export type ClassOrGroup = z.infer<typeof classOrGroupSchema>;

/** PHB chapter 2: the player character races. */
export { RACES };
export type RaceName = (typeof RACES)[number];
export const raceSchema = z.enum(RACES);

/** PHB chapter 4: the nine alignments, written out in lower case (the entity contract's list). */
export { ALIGNMENTS, type Alignment };
export const alignmentSchema = z.enum(ALIGNMENTS);

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

/** PHB Table 60: the five saving throw categories. */
export const SAVE_CATEGORIES = ['paralyzation', 'rod', 'petrification', 'breath', 'spell'] as const;
export type SaveCategory = (typeof SAVE_CATEGORIES)[number];

/**
 * PHB chapter 1, "Generating Ability Scores", methods I–VI: 3d6 in order; 3d6 twice keep
 * the better; 3d6 arranged; 3d6 twice for each, arranged; 4d6 drop lowest, arranged;
 * a pool of points.
 */
export const ABILITY_METHODS = [
  '3d6-in-order',
  '3d6-twice-keep-best',
  '3d6-arrange',
  '3d6-twice-arrange',
  '4d6-drop-lowest',
  'point-pool',
  // the NPC generator's names (src/generators/npc): 3d6 in order, 4d6 drop lowest in
  // order, heroic (4d6 drop lowest, arranged to suit the class, re-roll below 8)
  '3d6',
  '4d6',
  'heroic',
] as const;
export type AbilityMethod = (typeof ABILITY_METHODS)[number];

export const DUNGEON_SIZES = ['small', 'medium', 'large'] as const;
export type DungeonSize = (typeof DUNGEON_SIZES)[number];

/** A seed for the seeded RNG: an unsigned 32-bit integer. */
export const seedSchema = z.int().min(0).max(0xffff_ffff);
export const levelSchema = z.int().min(1).max(20);
/** An entity id (the store's UUIDs). */
export const entityIdSchema = z.uuid();
/** An entity's display name. */
export const entityNameSchema = z.string().trim().min(1).max(255);
/** An entity reference: its id or its exact name. */
export const entityRefSchema = z.string().trim().min(1).max(255);
/** Free-form structured data, bounded by the envelope's payload size limit. */
export const dataSchema = z.record(z.string().max(64), z.unknown());

/** An error as it travels on the bus: a stable UPPER_SNAKE code and a one-line message. */
export const taskErrorSchema = z.strictObject({
  code: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Z][A-Z0-9_]*$/, 'an UPPER_SNAKE error code'),
  message: z.string().min(1).max(1000),
  hint: z.string().max(1000).optional(),
});
export type TaskError = z.infer<typeof taskErrorSchema>;

/**
 * The response payload of every message type (original design 000, TaskResult):
 * `{status: "ok", result}` or `{status: "error", error: {code, message}}`.
 */
export function taskResultSchema<R extends z.ZodType>(result: R) {
  return z.discriminatedUnion('status', [
    z.strictObject({ status: z.literal('ok'), result }),
    z.strictObject({ status: z.literal('error'), error: taskErrorSchema }),
  ]);
}
export type TaskResult<R> = { status: 'ok'; result: R } | { status: 'error'; error: TaskError };
