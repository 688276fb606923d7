/**
 * The small helpers the runtime and the gateway share with the DSL loader, kept apart so a
 * workflow run never loads the loader's YAML parser, Zod schema or JSON Schema compiler.
 */
import { createHash } from 'node:crypto';

/** The optional property of every result handoff through which an agent escalates. */
export const ESCALATION_PROPERTY = 'escalation';

/** JSON with object keys sorted (undefined dropped): equal values give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
