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

/** Source and target differ; the payload serialises to at most MAX_PAYLOAD_BYTES. */
export function envelopeProblem(env: {
  source: string;
  target: string;
  payload: unknown;
}): EnvelopeProblem | undefined {
  if (env.source === env.target)
    return { path: 'target', message: 'source and target are the same' };
  const json = JSON.stringify(env.payload);
  // a UTF-8 byte is at least one UTF-16 unit and at most three: count only when it matters
  if (json.length * 3 > MAX_PAYLOAD_BYTES) {
    const size = Buffer.byteLength(json, 'utf8');
    if (size > MAX_PAYLOAD_BYTES)
      return {
        path: 'payload',
        message: `payload is ${size} bytes, over the ${MAX_PAYLOAD_BYTES}-byte limit`,
      };
  }
  return undefined;
}
