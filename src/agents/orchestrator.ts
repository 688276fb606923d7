/**
 * The orchestrator: a plain-words request → intent (no LLM) → a bus request under a new
 * correlation id → the agents run in process until it is answered → what was created
 * and the answer. `dma ask`, `dma npc create` and `dma dungeon gen` go through here, so
 * everything that creates an entity leaves its messages in the bus log.
 */
import { randomSeed } from '../core/rng.ts';
import { ConflictError, DmaError, NotFoundError, UsageError } from '../core/errors.ts';
import type { TaskError } from '../contracts/bus/common.ts';
import type { BusMessage } from '../contracts/bus/envelope.ts';
import {
  MESSAGE_TYPES,
  type MessageType,
  type RequestInput,
  type ResponsePayload,
} from '../contracts/bus/registry.ts';
import type { CampaignStore } from '../store/index.ts';
import { HANDLERS } from './handlers.ts';
import { classifyIntent, type IntentResult } from './intent.ts';
import { intentToRequest } from './intent-request.ts';
import { AgentRuntime, type RuntimeOptions } from './runtime.ts';

/** Message types whose requests generate: the orchestrator saves their results and fixes a seed. */
const SAVING_TYPES: readonly MessageType[] = ['world.npc.generate', 'world.dungeon.generate'];
const SEEDED_TYPES: readonly MessageType[] = [...SAVING_TYPES, 'rules.roll'];

export interface PlannedRequest {
  intent: IntentResult;
  type: MessageType;
  target: string;
  payload: Record<string, unknown>;
}

/**
 * Classify and turn into the request to publish: generation is saved and every seeded
 * request carries its seed, so the recording can be replayed. UsageError (exit 3) below
 * the confidence threshold, with example phrasings in the hint.
 */
export function planRequest(text: string, opts: { seed?: number } = {}): PlannedRequest {
  const intent = classifyIntent(text);
  const { type, payload } = intentToRequest(intent);
  const p = { ...(payload as Record<string, unknown>) };
  if (SAVING_TYPES.includes(type)) p['save'] = true;
  if (SEEDED_TYPES.includes(type) && p['seed'] === undefined) p['seed'] = opts.seed ?? randomSeed();
  return { intent, type, target: MESSAGE_TYPES[type].agent, payload: p };
}

/** The typed error an error response stands for (its exit code follows the error code). */
export function responseError(type: string, error: TaskError, correlationId: string): DmaError {
  const opts = {
    hint: error.hint ?? `dma bus tail --correlation ${correlationId}`,
    details: { code: error.code, correlation_id: correlationId },
  };
  if (error.code === 'NOT_FOUND') return new NotFoundError(error.message, opts);
  if (error.code === 'CONFLICT') return new ConflictError(error.message, opts);
  if (error.code === 'INVALID_INPUT') return new UsageError(error.message, opts);
  return new DmaError('UNEXPECTED', `${type}: ${error.message}`, opts);
}

export interface CreatedEntity {
  id: string;
  type: string;
  name: string;
}

/** The entities the scribe created under a correlation, in order. */
export function createdEntities(
  store: CampaignStore,
  messages: readonly BusMessage[],
): CreatedEntity[] {
  const out: CreatedEntity[] = [];
  for (const m of messages) {
    if (m.kind !== 'response' || m.payload.status !== 'ok') continue;
    if (m.type === 'entity.store') {
      const r = m.payload.result as { id: string; type: string; name: string; created: boolean };
      if (r.created) out.push({ id: r.id, type: r.type, name: r.name });
    } else if (m.type === 'entity.store_batch') {
      for (const id of (m.payload.result as { ids: string[] }).ids) {
        const e = store.get(id);
        out.push({ id: e.id, type: e.type, name: e.name });
      }
    }
  }
  return out;
}

export interface Orchestrated<T extends MessageType> {
  correlation_id: string;
  payload: ResponsePayload<T>;
  local: unknown;
  runtime: AgentRuntime;
}

/** Publish one request and run the agents in this process until it is answered. */
export async function orchestrate<T extends MessageType>(
  store: CampaignStore,
  type: T,
  payload: RequestInput<T>,
  opts: Partial<RuntimeOptions> = {},
): Promise<Orchestrated<T>> {
  const runtime = new AgentRuntime(store, { handlers: HANDLERS, ...opts });
  const r = await runtime.request(type, payload);
  return { correlation_id: r.correlation_id, payload: r.payload, local: r.local, runtime };
}

/** The short answer to a question, from its response. */
export function answerOf(type: MessageType, result: unknown): unknown {
  const r = result as Record<string, unknown>;
  switch (type) {
    case 'rules.thac0':
      return r['thac0'];
    case 'rules.save':
      return r['saves'];
    case 'rules.roll': {
      const rolls = r['rolls'] as { total: number }[];
      return rolls.length === 1 ? rolls[0]!.total : rolls.map((x) => x.total);
    }
    case 'entity.search':
      return r['hits'];
    case 'entity.retrieve':
      return r['entity'];
    default:
      return result;
  }
}
