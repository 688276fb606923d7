/**
 * The topic registry: every message type on the bus, hierarchical (`entity.store`,
 * `rules.thac0`, `world.npc.generate`), mapped to the agent that handles it, its
 * request schema and its response schema. Adding a type is one entry here.
 */
import { z } from 'zod';
import { taskResultSchema, type HandlerAgent, type TaskResult } from './common.ts';
import { MESSAGE_TYPE_INFO, type MessageType } from './vocabulary.ts';
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

function define<T extends MessageType, Req extends z.ZodType, Res extends z.ZodType>(
  type: T,
  request: Req,
  result: Res,
): MessageTypeDefinition<Req, Res> {
  return {
    ...MESSAGE_TYPE_INFO[type],
    request,
    result,
    response: taskResultSchema(result) as unknown as MessageTypeDefinition<Req, Res>['response'],
  };
}

/** Each type of vocabulary.ts's MESSAGE_TYPE_INFO with its request and result schemas. */
export const MESSAGE_TYPES = {
  'entity.store': define('entity.store', entityStoreRequestSchema, entityStoreResultSchema),
  'entity.store_batch': define(
    'entity.store_batch',
    entityStoreBatchRequestSchema,
    entityStoreBatchResultSchema,
  ),
  'entity.retrieve': define(
    'entity.retrieve',
    entityRetrieveRequestSchema,
    entityRetrieveResultSchema,
  ),
  'entity.search': define('entity.search', entitySearchRequestSchema, entitySearchResultSchema),
  'entity.link': define('entity.link', entityLinkRequestSchema, entityLinkResultSchema),
  'rules.thac0': define('rules.thac0', thac0RequestSchema, thac0ResultSchema),
  'rules.save': define('rules.save', saveRequestSchema, saveResultSchema),
  'rules.lookup': define('rules.lookup', lookupRequestSchema, lookupResultSchema),
  'rules.roll': define('rules.roll', rollRequestSchema, rollResultSchema),
  'world.npc.generate': define(
    'world.npc.generate',
    npcGenerateRequestSchema,
    npcGenerateResultSchema,
  ),
  'world.dungeon.generate': define(
    'world.dungeon.generate',
    dungeonGenerateRequestSchema,
    dungeonGenerateResultSchema,
  ),
} as const satisfies { [T in MessageType]: MessageTypeDefinition };

export {
  MESSAGE_TYPE_NAMES,
  isMessageType,
  messageTypesOf,
  type MessageType,
} from './vocabulary.ts';

/** What a sender writes (defaults may be omitted). */
export type RequestInput<T extends MessageType> = z.input<(typeof MESSAGE_TYPES)[T]['request']>;
/** What a handler receives after validation (defaults applied). */
export type RequestPayload<T extends MessageType> = z.output<(typeof MESSAGE_TYPES)[T]['request']>;
/** The `result` of an ok response. */
export type ResultPayload<T extends MessageType> = z.output<(typeof MESSAGE_TYPES)[T]['result']>;
export type ResponsePayload<T extends MessageType> = TaskResult<ResultPayload<T>>;
