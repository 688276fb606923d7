/**
 * World Designer: the generators' agent (world.npc.generate, world.dungeon.generate).
 * Generation is deterministic: a request without a seed gets one derived from its
 * idempotency key, so a redelivered task generates the same thing. Saving goes to the
 * scribe over the bus: one entity.store per NPC for up to MAX_NPCS_IN_RESPONSE, beyond
 * that (and for a dungeon with its rooms and links) one entity.store_batch whose batch
 * travels as a blob — an NPC batch, to a scribe in this process, as a stream of chunks
 * generated as they are stored.
 *
 * This module holds what both generators share; each generator's handler is a module of its
 * own (wed-npc.ts, wed-dungeon.ts), loaded by src/agents/handlers.ts when its message
 * first arrives, so a saved dungeon never initialises the NPC generator, nor an NPC the
 * dungeon generator and its monster and treasure tables.
 */
import { UsageError } from '../core/errors.ts';
import type { RequestMessage } from '../contracts/bus/envelope.ts';
import type { Dungeon } from '../generators/dungeon/types.ts';
import type { HandlerContext } from './runtime.ts';
import type { EntityStream } from './scribe.ts';

export function childError(
  type: string,
  r: { status: 'error'; error: { message: string; hint?: string } },
) {
  return new UsageError(`${type}: ${r.error.message}`, {
    ...(r.error.hint === undefined ? {} : { hint: r.error.hint }),
  });
}

export async function storeBatch(
  ctx: HandlerContext,
  msg: RequestMessage,
  batch: { entities: unknown[]; links: unknown[] } | EntityStream,
): Promise<string[]> {
  const [entities, links] =
    'count' in batch ? [batch.count, 0] : [batch.entities.length, batch.links.length];
  // with the scribe in this process, the batch is stored without being written as a blob first
  const r = await ctx.bus.withBlob(
    `${msg.idempotency_key}:batch`,
    msg.correlation_id,
    batch,
    ctx.runsHere('entity.store_batch'),
    (blob) => ctx.call('entity.store_batch', { blob, entities, links }, 'batch'),
  );
  if (r.status === 'error') throw childError('entity.store_batch', r);
  return r.result.ids;
}

/** The store name of a generated dungeon (as `dma dungeon gen` has always saved it). */
export function dungeonName(d: Dungeon): string {
  return `${d.theme.name} — level ${d.options.level}, ${d.rooms.length} rooms (seed ${d.seed})`;
}

/** The dungeon and its rooms as an entity batch, rooms linked part-of the dungeon. */
export function dungeonBatch(d: Dungeon) {
  const name = dungeonName(d);
  const { roll_log: _log, ...data } = d;
  return {
    entities: [
      {
        key: 'dungeon',
        type: 'dungeon' as const,
        name,
        data: { ...data, roll_log: d.roll_log } as Record<string, unknown>,
      },
      ...d.rooms.map((room) => ({
        key: room.id,
        type: 'room' as const,
        name: `${name}: room ${room.number}`,
        data: {
          number: room.number,
          description: room.description,
          contents: room.contents,
          exits: room.exits,
        } as Record<string, unknown>,
      })),
    ],
    links: d.rooms.map((room) => ({ source: room.id, target: 'dungeon', type: 'part-of' })),
  };
}
