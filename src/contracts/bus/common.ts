/**
 * Shared vocabulary of the agent bus: the API version, agent names, AD&D 2e enums and
 * the TaskResult wrapper every response carries ("contracts are law": strict, bounded,
 * versioned — original design 004). Enums may grow; they never shrink within v1
 * (test/unit/bus-schema-evolution.test.ts checks it).
 */
import { z } from 'zod';
import { AGENTS, ALIGNMENTS, CLASS_GROUPS, CLASSES, ENTITY_TYPES, RACES } from './vocabulary.ts';

// the names and limits themselves are Zod-free (the runtime imports only those)
export * from './vocabulary.ts';

export const agentNameSchema = z.enum(AGENTS);
export const entityTypeSchema = z.enum(ENTITY_TYPES);
export const classSchema = z.enum(CLASSES);
/**
 * A class or a multi- or dual-class name: two or three classes joined by "/"
 * ("fighter/mage"); which combinations a race may take is the generator's rule.
 */
export const classNameSchema = z.union([
  classSchema,
  z.string().regex(new RegExp(`^(${CLASSES.join('|')})(/(${CLASSES.join('|')})){1,2}$`)),
]);
export const classOrGroupSchema = z.enum([...CLASSES, ...CLASS_GROUPS]);
export type ClassOrGroup = z.infer<typeof classOrGroupSchema>;
export const raceSchema = z.enum(RACES);
export const alignmentSchema = z.enum(ALIGNMENTS);

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
