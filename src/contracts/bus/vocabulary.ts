/**
 * The Zod-free half of the bus contracts: names, limits and the message-type index
 * (which agent handles which type). The runtime (src/agents, src/store/bus.ts) imports
 * only this and validate.ts, so a command on the bus never loads Zod; the schemas are in
 * common.ts, scribe.ts, sma.ts, wed.ts, registry.ts and envelope.ts.
 */
import { CLASS_GROUPS, CLASSES, RACES } from '../../core/vocabulary.ts';
import { ALIGNMENTS, ENTITY_TYPES, type Alignment, type EntityType } from '../entity-types.ts';

export const API_VERSION = 'v1' as const;
export type ApiVersion = typeof API_VERSION;

/** Who may send or receive a bus message. */
export const AGENTS = ['orchestrator', 'scribe', 'sma', 'wed', 'cli'] as const;
export type AgentName = (typeof AGENTS)[number];

/** Agents that own message types (handle requests). */
export const HANDLER_AGENTS = ['scribe', 'sma', 'wed'] as const;
export type HandlerAgent = (typeof HANDLER_AGENTS)[number];

export const MESSAGE_KINDS = ['request', 'response'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];

/** A payload larger than this (serialised JSON) is refused. */
export const MAX_PAYLOAD_BYTES = 1024 * 1024;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 128;
export const MAX_WORK_TOKEN_LENGTH = 2048;
/** A response carries at most this many NPCs in full (the payload limit is 1 MB). */
export const MAX_NPCS_IN_RESPONSE = 50;

/** Campaign entity types: the store's entity contract's list. */
export { ENTITY_TYPES, type EntityType };
/** PHB chapter 3: the character classes and their four groups (src/core/vocabulary.ts). */
export { CLASSES, CLASS_GROUPS };
export type ClassName = (typeof CLASSES)[number];
export type ClassGroup = (typeof CLASS_GROUPS)[number];
/** PHB chapter 2: the player character races. */
export { RACES };
export type RaceName = (typeof RACES)[number];
/** PHB chapter 4: the nine alignments, written out in lower case. */
export { ALIGNMENTS, type Alignment };

export const GENDERS = ['male', 'female'] as const;
export type Gender = (typeof GENDERS)[number];

/** PHB Table 60: the five saving throw categories. */
export const SAVE_CATEGORIES = ['paralyzation', 'rod', 'petrification', 'breath', 'spell'] as const;
export type SaveCategory = (typeof SAVE_CATEGORIES)[number];

/**
 * PHB chapter 1, "Generating Ability Scores", methods I–VI: 3d6 in order; 3d6 twice keep
 * the better; 3d6 arranged; 3d6 twice for each, arranged; 4d6 drop lowest, arranged;
 * a pool of points.
 */
export const ABILITY_METHODS = [
  '3d6-in-order',
  '3d6-twice-keep-best',
  '3d6-arrange',
  '3d6-twice-arrange',
  '4d6-drop-lowest',
  'point-pool',
  // the NPC generator's names (src/generators/npc): 3d6 in order, 4d6 drop lowest in
  // order, heroic (4d6 drop lowest, arranged to suit the class, re-roll below 8)
  '3d6',
  '4d6',
  'heroic',
] as const;
export type AbilityMethod = (typeof ABILITY_METHODS)[number];

export const DUNGEON_SIZES = ['small', 'medium', 'large'] as const;
export type DungeonSize = (typeof DUNGEON_SIZES)[number];

/**
 * Every message type on the bus, hierarchical (`entity.store`, `rules.thac0`,
 * `world.npc.generate`), and the agent that handles it. registry.ts gives each its
 * request and response schema (and must cover exactly these).
 */
export const MESSAGE_TYPE_INFO = {
  'entity.store': { agent: 'scribe', description: 'create or update a campaign entity' },
  'entity.store_batch': {
    agent: 'scribe',
    description: 'store many entities and their links in one transaction (the batch is a blob)',
  },
  'entity.retrieve': { agent: 'scribe', description: 'fetch one entity by id or name' },
  'entity.search': { agent: 'scribe', description: 'full-text search over entities' },
  'entity.link': { agent: 'scribe', description: 'relate two entities' },
  'rules.thac0': { agent: 'sma', description: 'THAC0 of a class at a level (PHB Table 53)' },
  'rules.save': {
    agent: 'sma',
    description: 'saving throws of a class at a level (PHB Table 60)',
  },
  'rules.lookup': { agent: 'sma', description: 'generic rules table lookup' },
  'rules.roll': { agent: 'sma', description: 'roll dice with a seeded RNG' },
  'world.npc.generate': { agent: 'wed', description: 'generate rules-legal NPCs' },
  'world.dungeon.generate': { agent: 'wed', description: 'generate a stocked, mapped dungeon' },
} as const satisfies Record<string, { agent: HandlerAgent; description: string }>;

export type MessageType = keyof typeof MESSAGE_TYPE_INFO;
export const MESSAGE_TYPE_NAMES = Object.keys(MESSAGE_TYPE_INFO) as MessageType[];

export function isMessageType(name: string): name is MessageType {
  return Object.hasOwn(MESSAGE_TYPE_INFO, name);
}

/** The agent that handles requests of `type`. */
export function agentOf(type: MessageType): HandlerAgent {
  return MESSAGE_TYPE_INFO[type].agent;
}

/** The message types an agent handles. */
export function messageTypesOf(agent: HandlerAgent): MessageType[] {
  return MESSAGE_TYPE_NAMES.filter((t) => MESSAGE_TYPE_INFO[t].agent === agent);
}
