/**
 * The bus envelope (original design 001, "Simplified Event Schema"): its Zod schema and
 * the message types. Messages are validated by validate.ts, with validators compiled from
 * these schemas (and the registry's) by `npm run generate`.
 */
import { z } from 'zod';
import { envelopeProblem } from './checks.ts';
import { API_VERSION, agentNameSchema } from './common.ts';
import type { MessageType, RequestPayload, ResponsePayload } from './registry.ts';
import {
  MAX_IDEMPOTENCY_KEY_LENGTH,
  MAX_WORK_TOKEN_LENGTH,
  MESSAGE_KINDS,
  type MessageKind,
} from './vocabulary.ts';

export { MESSAGE_KINDS, type MessageKind };

const messageTypeNameSchema = z
  .string()
  .min(3)
  .max(64)
  .regex(/^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){1,3}$/, 'a dotted type name like entity.store');

export const idempotencyKeySchema = z
  .string()
  .min(8)
  .max(MAX_IDEMPOTENCY_KEY_LENGTH)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._:-]*$/, 'letters, digits and . _ : -');

export const authSchema = z.strictObject({
  work_token: z.string().min(1).max(MAX_WORK_TOKEN_LENGTH),
  expires_at: z.iso.datetime({ offset: true }),
});
export type Auth = z.infer<typeof authSchema>;

export const envelopeSchema = z
  .strictObject({
    event_id: z.uuid(),
    correlation_id: z.uuid(),
    /** the event that caused this one (a response's request) */
    causation_id: z.uuid().optional(),
    idempotency_key: idempotencyKeySchema,
    timestamp: z.iso.datetime({ offset: true }),
    source: agentNameSchema,
    target: agentNameSchema,
    kind: z.enum(MESSAGE_KINDS),
    type: messageTypeNameSchema,
    payload: z.record(z.string(), z.unknown()),
    auth: authSchema,
    api_version: z.literal(API_VERSION),
  })
  .superRefine((env, ctx) => {
    // the rules JSON Schema cannot say (checks.ts: the compiled validators run them too)
    const problem = envelopeProblem(env);
    if (problem) ctx.addIssue({ code: 'custom', path: [problem.path], message: problem.message });
  });
export type Envelope = z.infer<typeof envelopeSchema>;

type EnvelopeBase = Omit<Envelope, 'type' | 'kind' | 'payload'>;
export type RequestMessage<T extends MessageType = MessageType> = {
  [K in T]: EnvelopeBase & { type: K; kind: 'request'; payload: RequestPayload<K> };
}[T];
export type ResponseMessage<T extends MessageType = MessageType> = {
  [K in T]: EnvelopeBase & { type: K; kind: 'response'; payload: ResponsePayload<K> };
}[T];
/** A validated message: narrow on `type` and `kind` to get a typed payload. */
export type BusMessage<T extends MessageType = MessageType> =
  RequestMessage<T> | ResponseMessage<T>;
