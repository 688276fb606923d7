/**
 * The orchestrator: a bus request (planned from plain words by plan.ts, or given) under
 * a new correlation id → the agents run in process until it is answered → what was
 * created and the answer. `dma ask`, `dma npc create` and `dma dungeon gen` go through here, so
 * everything that creates an entity leaves its messages in the bus log.
 */
import { randomUUID } from 'node:crypto';
import { ConflictError, DmaError, NotFoundError, UsageError } from '../core/errors.ts';
import type { TaskError } from '../contracts/bus/common.ts';
import type { BusMessage } from '../contracts/bus/envelope.ts';
import type { MessageType, RequestInput, ResponsePayload } from '../contracts/bus/registry.ts';
import type { CampaignStore } from '../store/index.ts';
import { HANDLERS } from './handlers.ts';
import { AgentRuntime, type RuntimeOptions } from './runtime.ts';

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
export async function createdEntities(
  store: CampaignStore,
  messages: readonly BusMessage[],
): Promise<CreatedEntity[]> {
  const out: CreatedEntity[] = [];
  for (const m of messages) {
    if (m.kind !== 'response' || m.payload.status !== 'ok') continue;
    if (m.type === 'entity.store') {
      const r = m.payload.result as { id: string; type: string; name: string; created: boolean };
      if (r.created) out.push({ id: r.id, type: r.type, name: r.name });
    } else if (m.type === 'entity.store_batch') {
      for (const id of (m.payload.result as { ids: string[] }).ids) {
        const e = await store.get(id);
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

/**
 * Publish one request and run the agents in this process until it is answered. Every
 * agent runs here, so the whole request — its bus messages, tasks and entities — commits
 * as one transaction (store.batchWrites): another process sees all of it or none, and a
 * saved dungeon costs one commit instead of one per bus step.
 */
export async function orchestrate<T extends MessageType>(
  store: CampaignStore,
  type: T,
  payload: RequestInput<T>,
  opts: Partial<RuntimeOptions> = {},
): Promise<Orchestrated<T>> {
  const runtime = new AgentRuntime(store, { handlers: HANDLERS, ...opts });
  const r = await store.batchWrites(() => runtime.request(type, payload));
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
    case 'entity.retrieve': {
      // the entity as a DM reads it: its data without the generator's roll log
      const e = r['entity'] as { data?: Record<string, unknown> };
      if (!e.data || !('roll_log' in e.data)) return e;
      const { roll_log: _log, ...data } = e.data;
      return { ...e, data };
    }
    case 'rules.lookup':
      return r['value'];
    case 'world.npc.generate':
      return r['npcs'];
    default:
      return result;
  }
}

/**
 * Publish one request for the agents of another process (`dma worker`) and return at once:
 * nothing runs here. The answer is the correlation's response on the bus
 * (`dma bus tail --correlation <id>`).
 */
export function publishRequest<T extends MessageType>(
  store: CampaignStore,
  type: T,
  payload: RequestInput<T>,
  opts: { clock?: () => Date } = {},
): { correlation_id: string; event_id: string } {
  const runtime = new AgentRuntime(store, {
    handlers: {},
    ...(opts.clock ? { clock: opts.clock } : {}),
  });
  const correlation_id = randomUUID();
  const msg = runtime.makeRequest(type, payload, {
    source: 'orchestrator',
    correlation_id,
    idempotency_key: `${type}:${correlation_id}`,
  });
  const published = runtime.bus.publish(msg);
  return { correlation_id, event_id: published.event_id };
}
