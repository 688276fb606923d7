/**
 * The topic registry: every message type on the bus, hierarchical (`entity.store`,
 * `rules.thac0`, `world.npc.generate`), mapped to the agent that handles it, its
 * request schema and its response schema. Adding a type is one entry here.
 */
import { z } from 'zod';
import { taskResultSchema, type HandlerAgent, type TaskResult } from './common.ts';
import {
  entityLinkRequestSchema,
  entityLinkResultSchema,
  entityRetrieveRequestSchema,
  entityRetrieveResultSchema,
  entitySearchRequestSchema,
  entitySearchResultSchema,
  entityStoreBatchRequestSchema,
  entityStoreBatchResultSchema,
  entityStoreRequestSchema,
  entityStoreResultSchema,
} from './scribe.ts';
import {
  lookupRequestSchema,
  lookupResultSchema,
  rollRequestSchema,
  rollResultSchema,
  saveRequestSchema,
  saveResultSchema,
  thac0RequestSchema,
  thac0ResultSchema,
} from './sma.ts';
import {
  dungeonGenerateRequestSchema,
  dungeonGenerateResultSchema,
  npcGenerateRequestSchema,
  npcGenerateResultSchema,
} from './wed.ts';

export interface MessageTypeDefinition<
  Req extends z.ZodType = z.ZodType,
  Res extends z.ZodType = z.ZodType,
> {
  /** the agent that handles requests of this type */
  agent: HandlerAgent;
  description: string;
  request: Req;
  /** the `result` of an ok TaskResult */
  result: Res;
  /** the whole response payload: TaskResult of `result` */
  response: z.ZodType<TaskResult<z.output<Res>>, TaskResult<z.input<Res>>>;
}

function define<Req extends z.ZodType, Res extends z.ZodType>(
  agent: HandlerAgent,
  description: string,
  request: Req,
  result: Res,
): MessageTypeDefinition<Req, Res> {
  return {
    agent,
    description,
    request,
    result,
    response: taskResultSchema(result) as unknown as MessageTypeDefinition<Req, Res>['response'],
  };
}

export const MESSAGE_TYPES = {
  'entity.store': define(
    'scribe',
    'create or update a campaign entity',
    entityStoreRequestSchema,
    entityStoreResultSchema,
  ),
  'entity.store_batch': define(
    'scribe',
    'store many entities and their links in one transaction (the batch is a blob)',
    entityStoreBatchRequestSchema,
    entityStoreBatchResultSchema,
  ),
  'entity.retrieve': define(
    'scribe',
    'fetch one entity by id or name',
    entityRetrieveRequestSchema,
    entityRetrieveResultSchema,
  ),
  'entity.search': define(
    'scribe',
    'full-text search over entities',
    entitySearchRequestSchema,
    entitySearchResultSchema,
  ),
  'entity.link': define(
    'scribe',
    'relate two entities',
    entityLinkRequestSchema,
    entityLinkResultSchema,
  ),
  'rules.thac0': define(
    'sma',
    'THAC0 of a class at a level (PHB Table 53)',
    thac0RequestSchema,
    thac0ResultSchema,
  ),
  'rules.save': define(
    'sma',
    'saving throws of a class at a level (PHB Table 60)',
    saveRequestSchema,
    saveResultSchema,
  ),
  'rules.lookup': define(
    'sma',
    'generic rules table lookup',
    lookupRequestSchema,
    lookupResultSchema,
  ),
  'rules.roll': define('sma', 'roll dice with a seeded RNG', rollRequestSchema, rollResultSchema),
  'world.npc.generate': define(
    'wed',
    'generate rules-legal NPCs',
    npcGenerateRequestSchema,
    npcGenerateResultSchema,
  ),
  'world.dungeon.generate': define(
    'wed',
    'generate a stocked, mapped dungeon',
    dungeonGenerateRequestSchema,
    dungeonGenerateResultSchema,
  ),
} as const satisfies Record<string, MessageTypeDefinition>;

export type MessageType = keyof typeof MESSAGE_TYPES;
export const MESSAGE_TYPE_NAMES = Object.keys(MESSAGE_TYPES) as MessageType[];

/** What a sender writes (defaults may be omitted). */
export type RequestInput<T extends MessageType> = z.input<(typeof MESSAGE_TYPES)[T]['request']>;
/** What a handler receives after validation (defaults applied). */
export type RequestPayload<T extends MessageType> = z.output<(typeof MESSAGE_TYPES)[T]['request']>;
/** The `result` of an ok response. */
export type ResultPayload<T extends MessageType> = z.output<(typeof MESSAGE_TYPES)[T]['result']>;
export type ResponsePayload<T extends MessageType> = TaskResult<ResultPayload<T>>;

export function isMessageType(name: string): name is MessageType {
  return Object.hasOwn(MESSAGE_TYPES, name);
}

/** The message types an agent handles. */
export function messageTypesOf(agent: HandlerAgent): MessageType[] {
  return MESSAGE_TYPE_NAMES.filter((t) => MESSAGE_TYPES[t].agent === agent);
}
