/**
 * The bus envelope (original design 001, "Simplified Event Schema") and message
 * validation: the envelope first, then the payload against the registered schema of
 * its type and direction.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { UsageError } from '../../core/errors.ts';
import { didYouMean } from '../../core/suggest.ts';
import { API_VERSION, agentNameSchema, type AgentName, type TaskResult } from './common.ts';
import {
  MESSAGE_TYPES,
  MESSAGE_TYPE_NAMES,
  isMessageType,
  type MessageType,
  type RequestInput,
  type RequestPayload,
  type ResponsePayload,
  type ResultPayload,
} from './registry.ts';

/** A payload larger than this (serialised JSON) is refused. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
export const MAX_WORK_TOKEN_LENGTH = 2048;

export const MESSAGE_KINDS = ['request', 'response'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

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
    if (env.source === env.target)
      ctx.addIssue({ code: 'custom', path: ['target'], message: 'source and target are the same' });
    const size = Buffer.byteLength(JSON.stringify(env.payload), 'utf8');
    if (size > MAX_PAYLOAD_BYTES)
      ctx.addIssue({
        code: 'custom',
        path: ['payload'],
        message: `payload is ${size} bytes, over the ${MAX_PAYLOAD_BYTES}-byte limit`,
      });
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

export interface ValidationIssue {
  /** dotted path into the message, "" for the root */
  path: string;
  message: string;
}

/** A message that breaks its contract (exit 3). `issues` lists every problem found. */
export class MessageValidationError extends UsageError {
  readonly issues: ValidationIssue[];
  constructor(what: string, issues: ValidationIssue[], hint?: string) {
    const first = issues[0];
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more)` : '';
    super(
      `invalid ${what}: ${first ? `${first.path ? `${first.path}: ` : ''}${first.message}` : 'unknown problem'}${more}`,
      { details: { issues }, ...(hint === undefined ? {} : { hint }) },
    );
    this.issues = issues;
  }
}

function toIssues(error: z.ZodError, prefix: string): ValidationIssue[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter((p) => p !== '').join('.'),
    message: i.message,
  }));
}

/**
 * Validate a bus message: the envelope, the registered type (unknown → "did you mean"),
 * the direction (a request goes to the type's agent, a response comes from it) and the
 * payload against the type's request or response schema. Returns the message with the
 * payload parsed (defaults applied); throws MessageValidationError.
 */
export function validateMessage(input: unknown): BusMessage {
  if (typeof input === 'object' && input !== null && VALIDATED.has(input))
    return input as BusMessage;
  const env = envelopeSchema.safeParse(input);
  if (!env.success) throw new MessageValidationError('bus message', toIssues(env.error, ''));
  const message = env.data;
  if (!isMessageType(message.type)) {
    throw new MessageValidationError(
      'bus message',
      [
        {
          path: 'type',
          message: `unknown message type "${message.type}"${didYouMean(message.type, MESSAGE_TYPE_NAMES)}`,
        },
      ],
      `registered types: ${MESSAGE_TYPE_NAMES.join(', ')}`,
    );
  }
  const def = MESSAGE_TYPES[message.type];
  const [end, expected] =
    message.kind === 'request'
      ? (['target', message.target] as const)
      : (['source', message.source] as const);
  if (expected !== def.agent) {
    throw new MessageValidationError(`${message.type} ${message.kind}`, [
      { path: end, message: `must be "${def.agent}", the agent that handles ${message.type}` },
    ]);
  }
  const schema: z.ZodType = message.kind === 'request' ? def.request : def.response;
  const payload = schema.safeParse(message.payload);
  if (!payload.success)
    throw new MessageValidationError(
      `${message.type} ${message.kind}`,
      toIssues(payload.error, 'payload'),
    );
  const valid = { ...message, payload: payload.data } as BusMessage;
  VALIDATED.add(valid);
  return valid;
}

/**
 * Messages this process has validated (the objects validateMessage returned): passing
 * one again — createRequest's result to publish(), say — skips a second parse. Treat a
 * validated message as immutable; a changed copy is a new object and is checked again.
 */
const VALIDATED = new WeakSet<object>();

/** Like validateMessage, but returns the problems instead of throwing. */
export function checkMessage(
  input: unknown,
): { ok: true; message: BusMessage } | { ok: false; error: MessageValidationError } {
  try {
    return { ok: true, message: validateMessage(input) };
  } catch (err) {
    if (err instanceof MessageValidationError) return { ok: false, error: err };
    throw err;
  }
}

/** JSON with object keys sorted at every depth: equal values give equal bytes. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/**
 * A deterministic idempotency key: `<type>:<sha256 of the canonical payload>`. Two
 * requests with the same type and payload share a key, so the bus answers the second
 * from the first; add a nonce to the payload's caller-side key when that is not wanted.
 */
export function idempotencyKey(type: MessageType, payload: unknown): string {
  return `${type}:${createHash('sha256').update(canonicalJson(payload)).digest('hex')}`;
}

export interface RequestMeta {
  source: AgentName;
  event_id: string;
  correlation_id: string;
  causation_id?: string;
  /** default: idempotencyKey(type, payload) */
  idempotency_key?: string;
  timestamp: Date | string;
  auth: Auth;
}

const iso = (t: Date | string) => (typeof t === 'string' ? t : t.toISOString());

/** Build and validate a request to the agent registered for `type`. */
export function createRequest<T extends MessageType>(
  type: T,
  payload: RequestInput<T>,
  meta: RequestMeta,
): RequestMessage<T> {
  return validateMessage({
    event_id: meta.event_id,
    correlation_id: meta.correlation_id,
    ...(meta.causation_id === undefined ? {} : { causation_id: meta.causation_id }),
    idempotency_key: meta.idempotency_key ?? idempotencyKey(type, payload),
    timestamp: iso(meta.timestamp),
    source: meta.source,
    target: MESSAGE_TYPES[type].agent,
    kind: 'request',
    type,
    payload,
    auth: meta.auth,
    api_version: API_VERSION,
  }) as RequestMessage<T>;
}

/**
 * Build and validate the response to `request`: same correlation id and idempotency key,
 * caused by the request, sent back from its target to its source.
 */
export function createResponse<T extends MessageType>(
  request: RequestMessage<T>,
  result: TaskResult<ResultPayload<T>>,
  meta: { event_id: string; timestamp: Date | string; auth: Auth },
): ResponseMessage<T> {
  return validateMessage({
    event_id: meta.event_id,
    correlation_id: request.correlation_id,
    causation_id: request.event_id,
    idempotency_key: request.idempotency_key,
    timestamp: iso(meta.timestamp),
    source: request.target,
    target: request.source,
    kind: 'response',
    type: request.type,
    payload: result,
    auth: meta.auth,
    api_version: API_VERSION,
  }) as ResponseMessage<T>;
}
