/** World Designer: world.npc.generate (see wed.ts). */
import { UsageError } from '../core/errors.ts';
import { createRng } from '../core/rng.ts';
import type { AbilityMethod as BusAbilityMethod } from '../contracts/bus/common.ts';
import type { RequestMessage } from '../contracts/bus/envelope.ts';
import type { GeneratedNpc } from '../contracts/bus/wed.ts';
import { MAX_NPCS_IN_RESPONSE } from '../contracts/bus/vocabulary.ts';
import { generateNpc, generateNpcs, npcRecord } from '../generators/npc/index.ts';
import type { AbilityMethod, Npc, NpcOptions } from '../generators/npc/types.ts';
import { npcView, withOptions, type NpcSummary, type NpcWithId } from '../generators/npc/views.ts';
import { seedFromKey, type HandlerContext, type HandlerTable } from './runtime.ts';
import { npcChunks, npcChunksAhead, type NpcChunk } from './npc-chunks.ts';
import { entityStream, type BatchEntity } from './scribe.ts';
import { childError, storeBatch } from './wed.ts';

/**
 * NPCs of a streamed batch generated and stored at a time. Each chunk is a savepoint in the
 * request's transaction, and FTS5 writes out its pending index at every savepoint: chunks
 * of 100 cost ~0.2 s of CPU more than 500 for 10,000 NPCs (and held ~10 MB less).
 */
export const STREAM_CHUNK = 500;

/**
 * The bus's ability methods (PHB methods I–VI) as the generator names them. v1 of the
 * contract listed only the PHB names; the generator's three were added (additive) and the
 * two PHB methods the generator implements are mapped here.
 */
const METHODS: Partial<Record<BusAbilityMethod, AbilityMethod>> = {
  '3d6': '3d6',
  '4d6': '4d6',
  heroic: 'heroic',
  '3d6-in-order': '3d6',
  '4d6-drop-lowest': '4d6',
};

export function generatorMethod(method: BusAbilityMethod): AbilityMethod {
  const m = METHODS[method];
  if (m === undefined)
    throw new UsageError(`the NPC generator does not offer ability method "${method}"`, {
      hint: 'use 3d6, 4d6 or heroic',
    });
  return m;
}

/** What `dma npc create` generates: one NPC from the seed itself, many from forks of it. */
export function generateNpcBatch(options: NpcOptions, count: number, seed: number): Npc[] {
  return count === 1
    ? [generateNpc(options, createRng(seed))]
    : generateNpcs(options, count, createRng(seed));
}

/** The bus's view of a generated NPC (the full record is the stored entity). */
export function toGeneratedNpc(n: Npc, id?: string): GeneratedNpc {
  const { str_exceptional, ...abilities } = n.abilities;
  return {
    ...(id === undefined ? {} : { id }),
    name: n.name.slice(0, 64),
    race: n.race,
    class: n.class as GeneratedNpc['class'],
    level: n.level,
    alignment: n.alignment as GeneratedNpc['alignment'],
    gender: n.gender,
    abilities: { ...abilities, ...(str_exceptional === undefined ? {} : { str_exceptional }) },
    hit_points: n.hit_points,
    armor_class: Math.max(-10, Math.min(10, n.armor_class)),
    thac0: n.thac0,
    details: {
      seed: n.seed,
      saves: n.saves,
      armour: n.armour,
      weapons: n.weapons,
      ...(n.spells === undefined ? {} : { spells: n.spells.map((s) => s.name) }),
      ...(n.thief_skills === undefined ? {} : { thief_skills: n.thief_skills }),
      description: n.description,
    },
  };
}

const npcEntity = (n: Npc, i: number): BatchEntity => ({
  key: String(i),
  type: 'npc',
  ...(npcRecord(n) as { name: string; data: Record<string, unknown> }),
});

/**
 * A saved batch of more than MAX_NPCS_IN_RESPONSE NPCs: generated as the scribe stores it,
 * STREAM_CHUNK at a time (on a worker thread in the built CLI: src/agents/npc-chunks.ts), and
 * kept as summaries (npcView): heap stays flat however many.
 * Returns the first NPCs whole (for the response) and every NPC's view.
 */
async function storeNpcStream(
  ctx: HandlerContext,
  msg: RequestMessage,
  options: NpcOptions,
  count: number,
  seed: number,
): Promise<{ first: Npc[]; views: NpcWithId[]; ids: string[] }> {
  const first: Npc[] = [];
  const summaries: NpcSummary[] = [];
  const job = { options, count, seed, size: STREAM_CHUNK, whole: MAX_NPCS_IN_RESPONSE };
  // each NPC is summarised the first time it is generated (a retried store generates again)
  const take = (c: NpcChunk, at: number) => {
    if (at !== summaries.length) return;
    first.push(...c.first);
    for (const s of c.summaries) summaries.push(withOptions(s, options));
  };
  const stream = entityStream(
    count,
    async function* () {
      let i = 0;
      for await (const c of npcChunksAhead(job)) {
        take(c, i);
        yield c.records;
        i += c.summaries.length;
      }
    },
    // the blob written for another consumer: the whole batch, generated again
    () => generateNpcBatch(options, count, seed).map(npcEntity),
  );
  const ids = await storeBatch(ctx, msg, stream);
  // answered from the log (a redelivered task), the scribe took none of it: generate it here
  if (summaries.length < count) {
    let i = 0;
    for (const c of npcChunks(job)) {
      take(c, i);
      i += c.summaries.length;
    }
  }
  return { first, views: summaries.map((s, i) => npcView(s, ids[i] ?? null)), ids };
}

/** The NPCs a world.npc.generate run here made, with their entity ids (or as views with them). */
export type NpcLocal = { npcs: Npc[]; ids: (string | null)[] } | { views: NpcWithId[] };

type NpcPayload = RequestMessage<'world.npc.generate'>['payload'];

function npcOptionsOf(p: NpcPayload): NpcOptions {
  return {
    ...(p.class === undefined ? {} : { class: p.class }),
    ...(p.dual === true ? { dual: true } : {}),
    ...(p.nwp === true ? { nwp: true } : {}),
    ...(p.level === undefined ? {} : { level: p.level }),
    ...(p.race === undefined ? {} : { race: p.race }),
    ...(p.alignment === undefined ? {} : { alignment: p.alignment }),
    ...(p.name === undefined ? {} : { name: p.name }),
    ...(p.gender === undefined ? {} : { gender: p.gender }),
    method: generatorMethod(p.method),
  };
}

/**
 * The full NPCs of an answered world.npc.generate when another process ran it (a worker
 * on another host): generation is deterministic, so the request's payload and the seed
 * in the response give the same NPCs; the ids are the response's.
 */
export function npcLocalOf(payload: NpcPayload, result: unknown): NpcLocal {
  const r = result as { seed: number; npcs: { id?: string }[]; entity_ids?: string[] };
  const npcs = generateNpcBatch(npcOptionsOf(payload), payload.count, r.seed);
  return { npcs, ids: r.entity_ids ?? npcs.map((_, i) => r.npcs[i]?.id ?? null) };
}

export const wedNpcHandlers: HandlerTable = {
  'world.npc.generate': async (msg: RequestMessage<'world.npc.generate'>, ctx) => {
    const p = msg.payload;
    const seed = p.seed ?? seedFromKey(msg.idempotency_key);
    if (p.save && p.count > MAX_NPCS_IN_RESPONSE) {
      const { first, views, ids } = await storeNpcStream(ctx, msg, npcOptionsOf(p), p.count, seed);
      return {
        result: {
          npcs: first.map((n, i) => toGeneratedNpc(n, ids[i])),
          seed,
          total: p.count,
          entity_ids: ids,
        },
        local: { views } satisfies NpcLocal,
      };
    }
    const npcs = generateNpcBatch(npcOptionsOf(p), p.count, seed);
    let ids: (string | null)[] = npcs.map(() => null);
    if (p.save) {
      ids = [];
      for (const [i, n] of npcs.entries()) {
        const r = await ctx.call(
          'entity.store',
          { entity: { type: 'npc', ...npcRecord(n) } },
          `npc:${i}`,
        );
        if (r.status === 'error') throw childError('entity.store', r);
        ids.push(r.result.id);
      }
    }
    return {
      result: {
        npcs: npcs
          .slice(0, MAX_NPCS_IN_RESPONSE)
          .map((n, i) => toGeneratedNpc(n, ids[i] ?? undefined)),
        seed,
        ...(npcs.length > MAX_NPCS_IN_RESPONSE ? { total: npcs.length } : {}),
      },
      local: { npcs, ids } satisfies NpcLocal,
    };
  },
};
