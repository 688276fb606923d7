/**
 * JSON Schema export of the bus contracts (draft 2020-12, via z.toJSONSchema) for
 * `docs/schemas/<name>.v1.json`: the envelope, then each type's request and response.
 * Request schemas describe what a sender must write (`io: "input"`: fields with
 * defaults are optional); response schemas what a handler writes.
 */
import { z } from 'zod';
import { API_VERSION } from './common.ts';
import { envelopeSchema } from './envelope.ts';
import { MESSAGE_TYPES, MESSAGE_TYPE_NAMES } from './registry.ts';

export type JsonSchemaDocument = Record<string, unknown>;

function toJson(schema: z.ZodType, id: string, title: string): JsonSchemaDocument {
  const body = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io: 'input',
    unrepresentable: 'any',
  }) as JsonSchemaDocument;
  const { $schema, ...rest } = body;
  return { $schema, $id: id, title, ...rest };
}

/** `{"envelope.v1.json": {...}, "entity.store.request.v1.json": {...}, ...}` */
export function exportJsonSchemas(): Record<string, JsonSchemaDocument> {
  const files: Record<string, JsonSchemaDocument> = {};
  const add = (name: string, schema: z.ZodType, title: string) => {
    const file = `${name}.${API_VERSION}.json`;
    files[file] = toJson(schema, `https://dma.local/schemas/${file}`, title);
  };
  add('envelope', envelopeSchema, `dma bus envelope ${API_VERSION}`);
  for (const type of MESSAGE_TYPE_NAMES) {
    const def = MESSAGE_TYPES[type];
    add(`${type}.request`, def.request, `${type} request (${def.agent}): ${def.description}`);
    add(`${type}.response`, def.response, `${type} response (${def.agent}): TaskResult`);
  }
  return files;
}
