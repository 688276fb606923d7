/**
 * The envelope rules a JSON Schema cannot state, written once: the Zod envelope runs
 * them in its superRefine, the compiled validators (validate.ts) after the schema check.
 */
import { MAX_PAYLOAD_BYTES } from './vocabulary.ts';

export interface EnvelopeProblem {
  /** the envelope field at fault */
  path: 'target' | 'payload';
  message: string;
}

/** Source and target differ. */
export function routeProblem(env: { source: string; target: string }): EnvelopeProblem | undefined {
  return env.source === env.target
    ? { path: 'target', message: 'source and target are the same' }
    : undefined;
}

/** The payload, serialised as `json`, is at most MAX_PAYLOAD_BYTES. */
export function payloadSizeProblem(json: string): EnvelopeProblem | undefined {
  // a UTF-8 byte is at least one UTF-16 unit and at most three: count only when it matters
  if (json.length * 3 <= MAX_PAYLOAD_BYTES) return undefined;
  const size = Buffer.byteLength(json, 'utf8');
  return size > MAX_PAYLOAD_BYTES
    ? {
        path: 'payload',
        message: `payload is ${size} bytes, over the ${MAX_PAYLOAD_BYTES}-byte limit`,
      }
    : undefined;
}

/** Both rules (the Zod envelope's superRefine). */
export function envelopeProblem(env: {
  source: string;
  target: string;
  payload: unknown;
}): EnvelopeProblem | undefined {
  return routeProblem(env) ?? payloadSizeProblem(JSON.stringify(env.payload));
}
