/**
 * The schema sent to providers: the handoff's model schema with only the keywords both
 * Anthropic tool `input_schema` and OpenAI `response_format: json_schema` (non-strict) accept.
 * Validation-only keywords (lengths, bounds, patterns, formats) are dropped here and enforced by
 * local ajv validation, whose errors go back to the model in a follow-up.
 */
import type { JsonSchema } from '../dsl/types.ts';

const KEEP = new Set([
  'type',
  'properties',
  'required',
  'items',
  'enum',
  'const',
  'additionalProperties',
  'description',
  'anyOf',
]);

function strip(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(strip);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (!KEEP.has(k)) continue;
    if (k === 'properties' && v !== null && typeof v === 'object') {
      out[k] = Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([p, s]) => [p, strip(s)]),
      );
    } else if (k === 'enum' || k === 'const' || k === 'required' || k === 'description') {
      out[k] = v;
    } else {
      out[k] = strip(v);
    }
  }
  return out;
}

export function toProviderSchema(schema: JsonSchema): JsonSchema & { type: 'object' } {
  return { ...(strip(schema) as JsonSchema), type: 'object' };
}

/** Tool / json_schema names: letters, digits, _ and -, at most 64 characters. */
export function providerName(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64) || 'result';
}
