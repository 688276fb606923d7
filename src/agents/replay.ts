/**
 * Session files and replay. A session is one correlation's messages as logged (work
 * tokens redacted) plus its batch blobs. Replay publishes the root request again — same
 * payload, so the same recorded seeds — on an empty in-memory campaign, runs the agents,
 * and compares every recorded message with the replayed one, ignoring what differs on
 * every run by design: event, correlation and entity ids, timestamps, work tokens,
 * idempotency keys and blob keys.
 */
import { UsageError } from '../core/errors.ts';
import type { BusMessage } from '../contracts/bus/envelope.ts';
import { checkMessage } from '../contracts/bus/validate.ts';
import type { MessageType } from '../contracts/bus/vocabulary.ts';
import { openStore } from '../store/index.ts';
import type { Bus } from '../bus/bus.ts';
import { orchestrate } from './orchestrator.ts';

export const SESSION_SCHEMA_VERSION = '1.0';
const REDACTED = 'redacted';

export interface Session {
  schema_version: string;
  correlation_id: string;
  exported_at: string;
  messages: BusMessage[];
  blobs: Record<string, unknown>;
}

export interface Difference {
  path: string;
  recorded: unknown;
  replayed: unknown;
}

export interface ReplayResult {
  identical: boolean;
  correlation_id: string;
  replay_correlation_id: string;
  type: string;
  compared: number;
  differences: Difference[];
}

/** One correlation of the log as a session (work tokens redacted: they are credentials). */
export async function exportSession(
  bus: Bus,
  correlationId: string,
  now: Date,
): Promise<Session | undefined> {
  const messages = await bus.messages(correlationId);
  if (messages.length === 0) return undefined;
  return {
    schema_version: SESSION_SCHEMA_VERSION,
    correlation_id: correlationId,
    exported_at: now.toISOString(),
    messages: messages.map((m) => ({ ...m, auth: { ...m.auth, work_token: REDACTED } })),
    blobs: await bus.blobs(correlationId),
  };
}

/** Check a session document read from a file (UsageError naming the first problem). */
export function parseSession(doc: unknown, source: string): Session {
  const d = doc as Partial<Session> | null;
  if (!d || typeof d !== 'object' || d.schema_version !== SESSION_SCHEMA_VERSION)
    throw new UsageError(`${source}: not a dma session file (schema_version "1.0")`, {
      hint: 'write one with dma bus export <correlation-id> -o <file>',
    });
  if (typeof d.correlation_id !== 'string' || !Array.isArray(d.messages) || d.messages.length === 0)
    throw new UsageError(`${source}: a session needs a correlation_id and messages`);
  d.messages.forEach((m, i) => {
    const c = checkMessage(m);
    if (!c.ok) throw new UsageError(`${source}: messages[${i}]: ${c.error.message}`);
  });
  return { ...(d as Session), blobs: d.blobs ?? {}, exported_at: d.exported_at ?? '' };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHA256 = /^[0-9a-f]{64}$/;
const VOLATILE_KEYS = new Set(['created_at', 'updated_at', 'exported_at']);

/** A message with run-specific values replaced by stable placeholders. */
function normalise(messages: readonly BusMessage[]): unknown[] {
  const ids = new Map<string, string>();
  const walk = (v: unknown, key?: string): unknown => {
    if (typeof v === 'string') {
      if (UUID.test(v)) {
        if (!ids.has(v)) ids.set(v, `<id ${ids.size + 1}>`);
        return ids.get(v);
      }
      return SHA256.test(v) ? '<blob>' : v;
    }
    if (Array.isArray(v)) return v.map((x) => walk(x));
    if (v && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v))
        out[k] = VOLATILE_KEYS.has(k) && typeof x === 'string' ? '<time>' : walk(x, k);
      return out;
    }
    void key;
    return v;
  };
  return messages.map((m) =>
    walk({
      kind: m.kind,
      type: m.type,
      source: m.source,
      target: m.target,
      correlation_id: m.correlation_id,
      event_id: m.event_id,
      ...(m.causation_id === undefined ? {} : { causation_id: m.causation_id }),
      payload: m.payload,
    }),
  );
}

function diff(a: unknown, b: unknown, path: string, out: Difference[], max: number): void {
  if (out.length >= max) return;
  if (Object.is(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++)
      diff(a[i], b[i], `${path}[${i}]`, out, max);
    return;
  }
  if (
    a &&
    b &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    !Array.isArray(a) &&
    !Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys)
      diff(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${path}.${k}`,
        out,
        max,
      );
    return;
  }
  out.push({ path, recorded: a, replayed: b });
}

/** The request that started a correlation: the one no other message caused. */
export function rootRequest(messages: readonly BusMessage[]): BusMessage {
  const root = messages.find((m) => m.kind === 'request' && m.causation_id === undefined);
  if (!root)
    throw new UsageError('the recording has no root request (a message without a causation id)');
  return root;
}

/**
 * Re-run a session's root request on a scratch in-memory campaign (its bus in the same
 * memory, whatever bus the session came from) and compare.
 */
export async function replaySession(
  session: Session,
  opts: { clock?: () => Date; maxDifferences?: number } = {},
): Promise<ReplayResult> {
  const root = rootRequest(session.messages);
  const store = await openStore({ path: ':memory:', ...(opts.clock ? { clock: opts.clock } : {}) });
  try {
    const r = await orchestrate(store, root.type as MessageType, root.payload as never, {
      ...(opts.clock ? { clock: opts.clock } : {}),
    });
    const replayed = await r.runtime.bus.messages(r.correlation_id);
    const differences: Difference[] = [];
    diff(
      normalise(session.messages),
      normalise(replayed),
      'messages',
      differences,
      opts.maxDifferences ?? 50,
    );
    return {
      identical: differences.length === 0,
      correlation_id: session.correlation_id,
      replay_correlation_id: r.correlation_id,
      type: root.type,
      compared: Math.max(session.messages.length, replayed.length),
      differences,
    };
  } finally {
    store.close();
  }
}
