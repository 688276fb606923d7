/**
 * A big batch's NPCs as its output holds them once they are stored: the fields of the
 * output's one-line summary, and what generates the NPC again (its seed and flavour deck).
 * A full NPC is ~6 KB of heap even with its roll log compact: 10,000 held for the output
 * are ~60 MB, a view ~0.2 KB. Generation is deterministic, so a view reads as the NPC
 * itself (property reads, keys, JSON, YAML, copies): any read beyond the summary generates
 * the NPC again, and the last one generated is kept, so a serialiser walking one NPC at a
 * time generates each once.
 */
import { createRng } from '../../core/rng.ts';
import { generateNpc, withEntityId } from './index.ts';
import type { Npc, NpcOptions } from './types.ts';

export type NpcWithId = Npc & { entity_id: string | null };

/** What a view keeps: the summary line's fields (read without generating) and the recipe. */
interface Stub {
  entity_id: string | null;
  name: string;
  race: string;
  class: string;
  level: number;
  armor_class: number;
  hit_points: number;
  seed: number;
  deck: { seed: number; slot: number } | undefined;
  options: NpcOptions;
  /** the NPC, kept for good once something wrote to the view */
  pinned?: NpcWithId;
}

const SUMMARY = new Set<PropertyKey>([
  'entity_id',
  'name',
  'race',
  'class',
  'level',
  'armor_class',
  'hit_points',
]);

/** the last NPC generated for a view */
let last: { stub: Stub; npc: NpcWithId } | undefined;

function full(stub: Stub): NpcWithId {
  if (stub.pinned !== undefined) return stub.pinned;
  if (last?.stub !== stub) {
    const npc = generateNpc(stub.options, createRng(stub.seed), stub.deck);
    last = { stub, npc: withEntityId(npc, stub.entity_id) };
  }
  return last.npc;
}

function pin(stub: Stub): NpcWithId {
  stub.pinned ??= { ...full(stub) };
  return stub.pinned;
}

const handler: ProxyHandler<Stub> = {
  get: (s, k) =>
    SUMMARY.has(k) && s.pinned === undefined ? s[k as keyof Stub] : full(s)[k as never],
  has: (s, k) => k in full(s),
  ownKeys: (s) => Reflect.ownKeys(full(s)),
  getOwnPropertyDescriptor: (s, k) => Reflect.getOwnPropertyDescriptor(full(s), k),
  set: (s, k, v) => Reflect.set(pin(s), k, v),
  defineProperty: (s, k, d) => Reflect.defineProperty(pin(s), k, d),
  deleteProperty: (s, k) => Reflect.deleteProperty(pin(s), k),
};

/** What a batch keeps of an NPC generated from `options` in it (npcStream) until it is stored. */
export type NpcSummary = Omit<Stub, 'entity_id' | 'pinned'>;

/*
 * The summaries and stubs are written as object literals with every key, never as a spread
 * with a key added (`{ ...s, options }`): such a copy took ~460 bytes of heap where the
 * literal takes ~100, and the thread storing a 10,000-NPC batch keeps one per NPC: those
 * copies were the biggest share of what its scavenges kept (4.4 MB), and what they keep
 * grows its young generation (with the chunks' summaries packed too, the run's peak RSS
 * went from ~157 to ~141 MB).
 */

export function npcSummary(npc: Npc, options: NpcOptions): NpcSummary {
  return {
    name: npc.name,
    race: npc.race,
    class: npc.class,
    level: npc.level,
    armor_class: npc.armor_class,
    hit_points: npc.hit_points,
    seed: npc.seed,
    deck: npc.flavour_deck,
    options,
  };
}

/** npcSummary without the options (a batch's chunk: they are the batch's). */
export function npcSummaryFields(npc: Npc): Omit<NpcSummary, 'options'> {
  return {
    name: npc.name,
    race: npc.race,
    class: npc.class,
    level: npc.level,
    armor_class: npc.armor_class,
    hit_points: npc.hit_points,
    seed: npc.seed,
    deck: npc.flavour_deck,
  };
}

/** A chunk's summary (npcSummaryFields) with its batch's options: npcSummary. */
export function withOptions(s: Omit<NpcSummary, 'options'>, options: NpcOptions): NpcSummary {
  return {
    name: s.name,
    race: s.race,
    class: s.class,
    level: s.level,
    armor_class: s.armor_class,
    hit_points: s.hit_points,
    seed: s.seed,
    deck: s.deck,
    options,
  };
}

/**
 * `{ entity_id, ...npc }` (as withEntityId makes it) for a summarised NPC, holding only its
 * summary until more of it is read.
 */
export function npcView(summary: NpcSummary, entityId: string | null): NpcWithId {
  const stub: Stub = {
    entity_id: entityId,
    name: summary.name,
    race: summary.race,
    class: summary.class,
    level: summary.level,
    armor_class: summary.armor_class,
    hit_points: summary.hit_points,
    seed: summary.seed,
    deck: summary.deck,
    options: summary.options,
  };
  return new Proxy(stub, handler) as unknown as NpcWithId;
}
