/**
 * Every agent's handlers, by message type: the registry the runtime and `dma worker` use.
 * Each agent's module is loaded the first time one of its messages arrives, so a
 * `dma ask` about THAC0 never loads the generators (start-up is a feature).
 */
import {
  MESSAGE_TYPE_NAMES,
  agentOf,
  type HandlerAgent,
  type MessageType,
} from '../contracts/bus/vocabulary.ts';
import type { Handler, HandlerTable } from './runtime.ts';

/**
 * The World Designer's generator of `type`: its handlers, and what its answer from another
 * process comes to here. The generators load apart: a saved dungeon never initialises the
 * NPC generator's tables, nor a saved NPC the dungeon's monsters, treasure and traps.
 */
async function generator(type: MessageType) {
  if (type === 'world.dungeon.generate') {
    const m = await import('./wed-dungeon.ts');
    return { handlers: m.wedDungeonHandlers, localOf: m.dungeonLocalOf };
  }
  const m = await import('./wed-npc.ts');
  return { handlers: m.wedNpcHandlers, localOf: m.npcLocalOf };
}

const LOADERS: Record<HandlerAgent, (type: MessageType) => Promise<HandlerTable>> = {
  scribe: async () => (await import('./scribe.ts')).scribeHandlers,
  sma: async () => (await import('./sma.ts')).smaHandlers,
  wed: async (type) => (await generator(type)).handlers,
};

/**
 * What a generation answered by another process comes to here: the same payload and seed
 * generate it again.
 */
export async function localOf(
  type: 'world.npc.generate' | 'world.dungeon.generate',
): Promise<(payload: never, result: unknown) => unknown> {
  return (await generator(type)).localOf as (payload: never, result: unknown) => unknown;
}

function lazy(type: MessageType): Handler {
  return async (message, ctx) => {
    const handler = (await LOADERS[agentOf(type)](type))[type];
    if (!handler) throw new Error(`no handler for ${type}`);
    return handler(message, ctx);
  };
}

export const HANDLERS: HandlerTable = Object.fromEntries(
  MESSAGE_TYPE_NAMES.map((t) => [t, lazy(t)]),
);

/** The handlers of some agents only (a worker started with --agent). */
export function handlersOf(agents: readonly HandlerAgent[]): HandlerTable {
  return Object.fromEntries(
    Object.entries(HANDLERS).filter(([t]) => agents.includes(agentOf(t as MessageType))),
  );
}
