/**
 * Scribe (campaign store) requests and results: entity.store, entity.retrieve,
 * entity.search, entity.link.
 */
import { z } from 'zod';
import {
  dataSchema,
  entityIdSchema,
  entityNameSchema,
  entityRefSchema,
  entityTypeSchema,
} from './common.ts';

const timestampSchema = z.iso.datetime({ offset: true });

/** An entity as the store returns it. */
export const storedEntitySchema = z.strictObject({
  id: entityIdSchema,
  type: entityTypeSchema,
  name: entityNameSchema,
  data: dataSchema,
  version: z.int().min(1),
  created_at: timestampSchema,
  updated_at: timestampSchema,
});
export type StoredEntity = z.infer<typeof storedEntitySchema>;

/** Create an entity, or update it when `id` is given (optimistic: `expected_version`). */
export const entityStoreRequestSchema = z.strictObject({
  entity: z.strictObject({
    id: entityIdSchema.optional(),
    type: entityTypeSchema,
    name: entityNameSchema,
    data: dataSchema.default({}),
  }),
  expected_version: z.int().min(1).optional(),
});
export type EntityStoreRequest = z.input<typeof entityStoreRequestSchema>;

export const entityStoreResultSchema = z.strictObject({
  id: entityIdSchema,
  type: entityTypeSchema,
  name: entityNameSchema,
  version: z.int().min(1),
  created: z.boolean(),
});
export type EntityStoreResult = z.infer<typeof entityStoreResultSchema>;

/** Fetch one entity by id or exact name. */
export const entityRetrieveRequestSchema = z.strictObject({
  ref: entityRefSchema,
  type: entityTypeSchema.optional(),
});
export type EntityRetrieveRequest = z.input<typeof entityRetrieveRequestSchema>;

export const entityRetrieveResultSchema = z.strictObject({ entity: storedEntitySchema });
export type EntityRetrieveResult = z.infer<typeof entityRetrieveResultSchema>;

/** Full-text search over names and data. */
export const entitySearchRequestSchema = z.strictObject({
  query: z.string().trim().min(1).max(500),
  type: entityTypeSchema.optional(),
  limit: z.int().min(1).max(100).default(20),
});
export type EntitySearchRequest = z.input<typeof entitySearchRequestSchema>;

export const entitySearchResultSchema = z.strictObject({
  hits: z
    .array(
      z.strictObject({
        id: entityIdSchema,
        type: entityTypeSchema,
        name: entityNameSchema,
        snippet: z.string().max(1000).optional(),
        rank: z.number().optional(),
      }),
    )
    .max(100),
});
export type EntitySearchResult = z.infer<typeof entitySearchResultSchema>;

/** Relate two entities: "Elara -member_of-> Red Hand", strength -1 (hostile) … 1 (devoted). */
export const entityLinkRequestSchema = z.strictObject({
  source: entityRefSchema,
  target: entityRefSchema,
  relationship: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[a-z][a-z0-9_]*$/, 'a snake_case relationship type'),
  strength: z.number().min(-1).max(1).optional(),
});
export type EntityLinkRequest = z.input<typeof entityLinkRequestSchema>;

export const entityLinkResultSchema = z.strictObject({
  id: entityIdSchema,
  source: entityIdSchema,
  target: entityIdSchema,
  relationship: z.string().min(1).max(64),
  strength: z.number().min(-1).max(1).nullable(),
});
export type EntityLinkResult = z.infer<typeof entityLinkResultSchema>;

/**
 * Store a batch of entities and the links between them in one transaction. The batch
 * itself travels out of band (claim check: a blob in the bus's blob table, named by the
 * SHA-256 of its JSON), so 10,000 NPCs are one message, not 10,000, and not 25 MB.
 * The blob holds `{entities: [{key, type, name, data}], links: [{source, target, type}]}`.
 */
export const entityStoreBatchRequestSchema = z.strictObject({
  blob: z.string().regex(/^[a-f0-9]{64}$/, 'a SHA-256 in hex'),
  entities: z.int().min(1).max(100_000),
  links: z.int().min(0).max(100_000).default(0),
});
export type EntityStoreBatchRequest = z.input<typeof entityStoreBatchRequestSchema>;

export const entityStoreBatchResultSchema = z.strictObject({
  /** the new ids, in the blob's order */
  ids: z.array(entityIdSchema).min(1).max(20_000),
  links: z.int().min(0),
});
export type EntityStoreBatchResult = z.infer<typeof entityStoreBatchResultSchema>;

/** What an entity.store_batch blob holds. */
export const entityBatchSchema = z.strictObject({
  entities: z
    .array(
      z.strictObject({
        key: z.string().min(1).max(128),
        type: entityTypeSchema,
        name: entityNameSchema,
        data: dataSchema,
      }),
    )
    .min(1),
  links: z
    .array(
      z.strictObject({
        source: z.string().min(1).max(128),
        target: z.string().min(1).max(128),
        type: z.string().min(1).max(64),
        strength: z.number().min(-1).max(1).optional(),
      }),
    )
    .default([]),
});
export type EntityBatch = z.input<typeof entityBatchSchema>;
