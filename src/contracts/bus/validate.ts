/**
 * Validating bus messages (and building them): the envelope, the registered type
 * ("did you mean" for an unknown one), the direction (a request goes to the type's agent,
 * a response comes from it), then the payload against its type's request schema or the
 * TaskResult of its result schema.
 *
 * The checks are the Zod contracts' (envelope.ts, registry.ts), compiled to plain
 * functions by `npm run generate` (scripts/lib/contract-validators.ts): this module and
 * what it imports are Zod-free, so publishing a message never loads Zod. A validated
 * payload is normalised in place as Zod would return it — defaults filled, `.trim()`
 * strings trimmed — so pass values you own. (A key holding `undefined` is absent to both,
 * as in JSON.)
 */
import { createHash } from 'node:crypto';
import { UsageError } from '../../core/errors.ts';
import { isoTime } from '../../core/time.ts';
import { didYouMean } from '../../core/suggest.ts';
import { contractValidators } from '../../generated/contract-validators.ts';
import {
  compiledValidator,
  isPlainObject,
  issueOf,
  type Compiled,
  type ValidationIssue,
} from '../compiled.ts';
import { payloadSizeProblem, routeProblem } from './checks.ts';
import type { TaskResult } from './common.ts';
import type { Auth, BusMessage, RequestMessage, ResponseMessage } from './envelope.ts';
import type { RequestInput, ResultPayload } from './registry.ts';
import {
  API_VERSION,
  MESSAGE_TYPE_INFO,
  MESSAGE_TYPE_NAMES,
  isMessageType,
  type AgentName,
  type MessageType,
} from './vocabulary.ts';

export { compiledValidator, issueOf, type ValidationIssue };

/** A message that breaks its contract (exit 3). `issues` lists the problem found. */
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

const V = contractValidators as unknown as Record<string, Compiled>;
const ENVELOPE = V['envelope']!;
const TASK_ERROR = V['task_error']!;

/** A compiled validator by its name, looked up once (the bus checks thousands a batch). */
const byName = new Map<string, Compiled>();
function validatorOf(kind: 'request' | 'result', type: string): Compiled {
  const key = kind === 'request' ? type : `:${type}`;
  let v = byName.get(key);
  if (v === undefined) {
    v = compiledValidator(`${kind}:${type}`);
    byName.set(key, v);
  }
  return v;
}

/**
 * Messages this process has validated (the objects validateMessage returned) carry the
 * JSON of their payload as it is logged (made by the size check) under this key: passing
 * one again — createRequest's result to publish(), say — skips a second check. Treat a
 * validated message as immutable; a changed copy is a new object and is checked again.
 * The key is a non-enumerable symbol, so JSON, Object.keys, spreads, structuredClone and
 * deep equality never see it (a spread copy is checked again). A property, not a WeakMap:
 * a 10,000-message batch paid ~4% of its CPU in WeakMap.set and the collector's ephemeron
 * tables.
 */
const PAYLOAD_JSON: unique symbol = Symbol('dma.bus.payloadJson');
type Marked = { [PAYLOAD_JSON]?: string };
const payloadJsonOf = (msg: object): string | undefined => (msg as Marked)[PAYLOAD_JSON];

/** The envelope fields with columns of their own in the bus log (a null causation is none). */
interface EnvelopeHead {
  event_id: string;
  correlation_id: string;
  causation_id?: string | null | undefined;
  idempotency_key: string;
  timestamp: string;
  source: string;
  target: string;
  kind: string;
  type: string;
}
/** The rest: what the log keeps as JSON in its envelope column. */
interface EnvelopeRest {
  payload: unknown;
  auth: unknown;
  api_version: unknown;
}

/**
 * A message with its fields in the envelope's order (as Zod returned it, and as the log
 * reads it back — `rest` is then the log's JSON column): the same message serialises to
 * the same bytes however its sender ordered the keys.
 */
export function inEnvelopeOrder(
  head: EnvelopeHead,
  rest: EnvelopeRest,
  /** a null causation_id is none (a log row); createRequest/Response keep it, to refuse it */
  nullIsNone = true,
): BusMessage {
  // two literals, not a spread of the optional field: this runs for every message read
  return (
    head.causation_id === undefined || (nullIsNone && head.causation_id === null)
      ? {
          event_id: head.event_id,
          correlation_id: head.correlation_id,
          idempotency_key: head.idempotency_key,
          timestamp: head.timestamp,
          source: head.source,
          target: head.target,
          kind: head.kind,
          type: head.type,
          payload: rest.payload,
          auth: rest.auth,
          api_version: rest.api_version,
        }
      : {
          event_id: head.event_id,
          correlation_id: head.correlation_id,
          causation_id: head.causation_id,
          idempotency_key: head.idempotency_key,
          timestamp: head.timestamp,
          source: head.source,
          target: head.target,
          kind: head.kind,
          type: head.type,
          payload: rest.payload,
          auth: rest.auth,
          api_version: rest.api_version,
        }
  ) as BusMessage;
}

/** A response payload: exactly `{status: "ok", result}` or `{status: "error", error}`. */
function taskResultIssue(type: MessageType, payload: Record<string, unknown>) {
  const keys = Object.keys(payload);
  const status = payload['status'];
  const field = status === 'ok' ? 'result' : status === 'error' ? 'error' : undefined;
  if (field === undefined) return { path: 'payload.status', message: 'must be "ok" or "error"' };
  const extra = keys.find((k) => k !== 'status' && k !== field);
  if (extra !== undefined) return { path: 'payload', message: `unrecognized key "${extra}"` };
  if (!(field in payload)) return { path: `payload.${field}`, message: 'required' };
  const v = field === 'result' ? validatorOf('result', type) : TASK_ERROR;
  return v(payload[field]) ? undefined : issueOf(v, `payload.${field}`);
}

/**
 * Validate a bus message (see the module comment). Returns the message with its payload
 * normalised; throws MessageValidationError.
 */
export function validateMessage(input: unknown): BusMessage {
  if (typeof input === 'object' && input !== null && payloadJsonOf(input) !== undefined)
    return input as BusMessage;
  if (!isPlainObject(input))
    throw new MessageValidationError('bus message', [{ path: '', message: 'expected an object' }]);
  if (!ENVELOPE(input)) throw new MessageValidationError('bus message', [issueOf(ENVELOPE)]);
  const checked = input as unknown as BusMessage; // the compiled envelope check passed
  return checkValidEnvelope(inEnvelopeOrder(checked, checked));
}

/**
 * validateMessage for a message built here (createRequest, createResponse): a new object
 * with its fields already in envelope order, so it is checked as it is, not copied.
 */
function validateBuilt(msg: BusMessage): BusMessage {
  if (!ENVELOPE(msg)) throw new MessageValidationError('bus message', [issueOf(ENVELOPE)]);
  return checkValidEnvelope(msg);
}

/** The checks after the envelope's schema: route, type, direction, payload, size. */
function checkValidEnvelope(env: BusMessage): BusMessage {
  const route = routeProblem(env);
  if (route) throw new MessageValidationError('bus message', [route]);
  if (!isMessageType(env.type)) {
    throw new MessageValidationError(
      'bus message',
      [
        {
          path: 'type',
          message: `unknown message type "${env.type}"${didYouMean(env.type, MESSAGE_TYPE_NAMES)}`,
        },
      ],
      `registered types: ${MESSAGE_TYPE_NAMES.join(', ')}`,
    );
  }
  const agent = MESSAGE_TYPE_INFO[env.type].agent;
  const end = env.kind === 'request' ? 'target' : 'source';
  if (env[end] !== agent) {
    throw new MessageValidationError(`${env.type} ${env.kind}`, [
      { path: end, message: `must be "${agent}", the agent that handles ${env.type}` },
    ]);
  }
  const payload = env.payload as Record<string, unknown>;
  let issue: ValidationIssue | undefined;
  if (env.kind === 'request') {
    const v = validatorOf('request', env.type);
    if (!v(payload)) issue = issueOf(v, 'payload');
  } else issue = taskResultIssue(env.type, payload);
  if (issue) throw new MessageValidationError(`${env.type} ${env.kind}`, [issue]);
  // measured as it will be logged (after defaults and trims), and kept for the log
  const json = JSON.stringify(payload);
  const size = payloadSizeProblem(json);
  if (size) throw new MessageValidationError('bus message', [size]);
  Object.defineProperty(env, PAYLOAD_JSON, { value: json });
  return env;
}

/**
 * The envelope fields a message has no column for, as the bus log stores them:
 * `{"payload":…,"auth":…,"api_version":…}` (JSON.stringify of those three, in that order),
 * reusing the payload's JSON from validation.
 */
export function envelopeRest(msg: BusMessage): string {
  const payload = payloadJsonOf(msg) ?? JSON.stringify(msg.payload);
  return `{"payload":${payload},"auth":${JSON.stringify(msg.auth)},"api_version":${JSON.stringify(msg.api_version)}}`;
}

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

/**
 * A request payload of `type` checked (and normalised) on its own, without an envelope:
 * `dma ask` checks what it planned before anything is published.
 */
export function checkRequestPayload(
  type: MessageType,
  payload: unknown,
): { ok: true; payload: Record<string, unknown> } | { ok: false; issue: ValidationIssue } {
  const v = compiledValidator(`request:${type}`);
  return v(payload)
    ? { ok: true, payload: payload as Record<string, unknown> }
    : { ok: false, issue: issueOf(v) };
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

const iso = (t: Date | string) => (typeof t === 'string' ? t : isoTime(t.getTime()));

/** Build and validate a request to the agent registered for `type`. */
export function createRequest<T extends MessageType>(
  type: T,
  payload: RequestInput<T>,
  meta: RequestMeta,
): RequestMessage<T> {
  const head = {
    event_id: meta.event_id,
    correlation_id: meta.correlation_id,
    causation_id: meta.causation_id,
    idempotency_key: meta.idempotency_key ?? idempotencyKey(type, payload),
    timestamp: iso(meta.timestamp),
    source: meta.source,
    target: MESSAGE_TYPE_INFO[type].agent,
    kind: 'request',
    type,
  };
  const rest = { payload, auth: meta.auth, api_version: API_VERSION };
  return validateBuilt(inEnvelopeOrder(head, rest, false)) as RequestMessage<T>;
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
  const head = {
    event_id: meta.event_id,
    correlation_id: request.correlation_id,
    causation_id: request.event_id,
    idempotency_key: request.idempotency_key,
    timestamp: iso(meta.timestamp),
    source: request.target,
    target: request.source,
    kind: 'response',
    type: request.type,
  };
  const rest = { payload: result, auth: meta.auth, api_version: API_VERSION };
  return validateBuilt(inEnvelopeOrder(head, rest, false)) as ResponseMessage<T>;
}
