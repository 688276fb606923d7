/** Every agent's handlers, by message type: the registry the runtime and `dma worker` use. */
import type { HandlerAgent } from '../contracts/bus/common.ts';
import { MESSAGE_TYPES, type MessageType } from '../contracts/bus/registry.ts';
import type { HandlerTable } from './runtime.ts';
import { scribeHandlers } from './scribe.ts';
import { smaHandlers } from './sma.ts';
import { wedHandlers } from './wed.ts';

export const HANDLERS: HandlerTable = { ...scribeHandlers, ...smaHandlers, ...wedHandlers };

/** The handlers of some agents only (a worker started with --agent). */
export function handlersOf(agents: readonly HandlerAgent[]): HandlerTable {
  return Object.fromEntries(
    Object.entries(HANDLERS).filter(([t]) =>
      agents.includes(MESSAGE_TYPES[t as MessageType].agent),
    ),
  );
}
