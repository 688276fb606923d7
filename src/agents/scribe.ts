/**
 * Scribe: the campaign store's agent. entity.store / store_batch / retrieve / search /
 * link over src/store. Writes are idempotent under redelivery: a new entity's id is
 * derived from the request's idempotency key, so a task that crashed after its write and
 * runs again finds its entity instead of creating a second one.
 */
import { UsageError } from '../core/errors.ts';
import type { EntityType } from '../contracts/bus/common.ts';
import type { RequestMessage } from '../contracts/bus/envelope.ts';
import { saveBundle } from '../store/bundle.ts';
import type { Store } from '../store/index.ts';
import { uuidFromKey, type HandlerOutput, type HandlerTable } from './runtime.ts';

export interface BatchEntity {
  key: string;
  type: EntityType;
  name: string;
  data: Record<string, unknown>;
}

/**
 * A chunk of a streamed batch: its entities, or (made on another thread) entities of one
 * type whose data are JSON texts (JSON.stringify's) packed as UTF-8 in one buffer, `ends`
 * the byte offset after each. A buffer crosses threads without a copy on the JS heap, and
 * each text is decoded only as its entity is stored: a chunk's 1.5 MB of texts never sat
 * on the storing thread's heap (where they made V8 grow its young generation to 32 MB).
 */
export type StreamChunk =
  { type: EntityType; name: string; data: Record<string, unknown> }[] | PackedEntities;

export interface PackedEntities {
  type: EntityType;
  names: string[];
  json: Uint8Array;
  ends: number[];
}

/** A packed chunk's entities with their ids, each text decoded when it is reached. */
function* unpacked(p: PackedEntities, ids: readonly string[], offset: number) {
  const bytes = Buffer.from(p.json.buffer, p.json.byteOffset, p.json.byteLength);
  let start = 0;
  for (let i = 0; i < p.names.length; i++) {
    const end = p.ends[i]!;
    yield {
      id: ids[offset + i]!,
      type: p.type,
      name: p.names[i]!,
      json: bytes.toString('utf8', start, end),
    };
    start = end;
  }
}

interface BatchBlob {
  entities: BatchEntity[];
  links?: { source: string; target: string; type: string; strength?: number }[];
}

const ENTITY_STREAM = Symbol.for('dma.entity-stream');

/**
 * A batch of entities (no links) handed to a scribe in this process as it is made:
 * `chunks()` yields them a few hundred at a time (made here or ahead on another thread),
 * each stored as it comes, so
 * a 10,000-NPC batch is never held whole. Its JSON (the blob written when the scribe runs
 * elsewhere or has not taken it) is the plain batch, every entity in it.
 */
export interface EntityStream {
  readonly [ENTITY_STREAM]: true;
  readonly count: number;
  chunks(): Iterable<StreamChunk> | AsyncIterable<StreamChunk>;
  toJSON(): { entities: BatchEntity[]; links: [] };
}

export function entityStream(
  count: number,
  chunks: () => Iterable<StreamChunk> | AsyncIterable<StreamChunk>,
  all: () => BatchEntity[],
): EntityStream {
  return { [ENTITY_STREAM]: true, count, chunks, toJSON: () => ({ entities: all(), links: [] }) };
}

const isEntityStream = (v: unknown): v is EntityStream =>
  typeof v === 'object' && v !== null && ENTITY_STREAM in v;

function readBatch(value: unknown, expected: { entities: number; links: number }): BatchBlob {
  const b = value as Partial<BatchBlob> | null;
  if (!b || !Array.isArray(b.entities) || (b.links !== undefined && !Array.isArray(b.links)))
    throw new UsageError('entity.store_batch: the blob is not an entity batch');
  if (b.entities.length !== expected.entities || (b.links?.length ?? 0) !== expected.links)
    throw new UsageError(
      `entity.store_batch: the blob holds ${b.entities.length} entities and ${b.links?.length ?? 0} links, the request says ${expected.entities} and ${expected.links}`,
    );
  return b as BatchBlob;
}

/** Store a streamed batch chunk by chunk (in the caller's transaction: all or nothing). */
async function storeStream(
  store: Store,
  stream: EntityStream,
  ids: readonly string[],
  expected: { entities: number; links: number },
): Promise<void> {
  const mismatch = (entities: number) =>
    new UsageError(
      `entity.store_batch: the blob holds ${entities} entities and 0 links, the request says ${expected.entities} and ${expected.links}`,
    );
  if (stream.count !== expected.entities || expected.links !== 0) throw mismatch(stream.count);
  let offset = 0;
  for await (const chunk of stream.chunks()) {
    const n = Array.isArray(chunk) ? chunk.length : chunk.names.length;
    if (offset + n > ids.length) throw mismatch(offset + n);
    const at = offset;
    await (Array.isArray(chunk)
      ? store.createManyIds(
          chunk.map((e, i) => ({ id: ids[at + i]!, type: e.type, name: e.name, data: e.data })),
        )
      : store.createManyJson(unpacked(chunk, ids, at)));
    offset += n;
  }
  if (offset !== ids.length) throw mismatch(offset);
}

/**
 * A write's effect happens once per idempotency key, whatever the bus redelivers: the
 * store records the key under a unique constraint with the result, in the write's own
 * transaction (Store.applyOnce), and a second delivery gets the recorded result.
 */
async function once(
  store: Store,
  msg: RequestMessage,
  write: () => Promise<HandlerOutput>,
): Promise<HandlerOutput> {
  return (await store.applyOnce(`bus:${msg.idempotency_key}`, write)).result;
}

export const scribeHandlers: HandlerTable = {
  'entity.store': (msg: RequestMessage<'entity.store'>, { store }) =>
    once(store, msg, async () => {
      const { entity, expected_version } = msg.payload;
      if (entity.id !== undefined) {
        const e = await store.update(
          entity.id,
          { name: entity.name, data: entity.data },
          expected_version === undefined ? {} : { expectVersion: expected_version },
        );
        return {
          result: { id: e.id, type: e.type, name: e.name, version: e.version, created: false },
        };
      }
      const id = uuidFromKey(msg.idempotency_key);
      const e = (await store.has(id))
        ? await store.get(id)
        : await store.create({ id, type: entity.type, name: entity.name, data: entity.data });
      return {
        result: { id: e.id, type: e.type, name: e.name, version: e.version, created: true },
      };
    }),

  'entity.store_batch': (msg: RequestMessage<'entity.store_batch'>, { store, bus, now }) =>
    once(store, msg, async () => {
      const p = msg.payload;
      let n = 0;
      const nextId = () => uuidFromKey(`${msg.idempotency_key}:${n++}`);
      const ids = Array.from({ length: p.entities }, nextId);
      // a redelivery after the write: the entities are there (and the blob may be gone)
      if (await store.has(ids[0]!)) return { result: { ids, links: p.links } };
      const blob = await bus.getBlob(p.blob);
      if (isEntityStream(blob)) {
        await storeStream(store, blob, ids, p);
        await bus.deleteBlob(p.blob);
        return { result: { ids, links: 0 } };
      }
      const batch = readBatch(blob, { entities: p.entities, links: p.links });
      const links = batch.links ?? [];
      if (links.length === 0) {
        await store.createManyIds(
          batch.entities.map((e, i) => ({ id: ids[i]!, type: e.type, name: e.name, data: e.data })),
        );
      } else {
        n = 0;
        await saveBundle(store, batch.entities, links, { now: now(), newId: nextId });
      }
      // the entities now hold the data: the claim check has done its job
      await bus.deleteBlob(p.blob);
      return { result: { ids, links: links.length } };
    }),

  'entity.retrieve': async (msg: RequestMessage<'entity.retrieve'>, { store }) => {
    const e = await store.resolve(msg.payload.ref, { type: msg.payload.type });
    return { result: { entity: e } };
  },

  'entity.search': async (msg: RequestMessage<'entity.search'>, { store }) => {
    const hits = await store.search(msg.payload.query, {
      type: msg.payload.type,
      limit: msg.payload.limit,
    });
    return {
      result: {
        hits: hits.map((h) => ({ id: h.id, type: h.type, name: h.name, rank: h.score })),
      },
    };
  },

  'entity.link': (msg: RequestMessage<'entity.link'>, { store }) =>
    once(store, msg, async () => {
      const source = (await store.resolve(msg.payload.source)).id;
      const target = (await store.resolve(msg.payload.target)).id;
      const r = await store.link(source, target, {
        type: msg.payload.relationship,
        ...(msg.payload.strength === undefined ? {} : { strength: msg.payload.strength }),
      });
      return {
        result: {
          id: r.id,
          source: r.source,
          target: r.target,
          relationship: r.type,
          strength: r.strength,
        },
      };
    }),
};
