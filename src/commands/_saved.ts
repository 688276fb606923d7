/**
 * The saved path of `npc create` and `dungeon gen`: the World Designer generates through the
 * bus, the Scribe stores, the messages stay in the log. A heavy path (the orchestrator, the
 * bus, the agents' handlers), so it is its own module, loaded by src/cli only when a command
 * saves (`lazy(ctx, '_saved')`): `--no-save` never loads it.
 */
import type { CommandContext } from '../core/context.ts';
import type { RequestInput } from '../contracts/bus/registry.ts';
import { orchestrate, publishRequest, responseError } from '../agents/orchestrator.ts';
import { localOf } from '../agents/handlers.ts';
import type { DungeonLocal } from '../agents/wed-dungeon.ts';
import type { NpcLocal } from '../agents/wed-npc.ts';
import { withBus } from '../bus/open.ts';

type Target = { db?: string | undefined; campaign?: string | undefined; queue?: boolean };
type Generate = 'world.npc.generate' | 'world.dungeon.generate';

/** What a saved generation comes to: queued for a worker, or generated (and stored) here. */
export type Saved<L> = { queued: string } | { local: L };

async function generate<T extends Generate, L>(
  type: T,
  input: Target,
  ctx: CommandContext,
  payload: RequestInput<T>,
): Promise<Saved<L>> {
  if (input.queue === true) {
    const q = await withBus(input, ctx, 'write', (store, bus) =>
      publishRequest(store, bus, type, payload, { clock: ctx.now }),
    );
    return { queued: q.correlation_id };
  }
  const local = await withBus(
    input,
    ctx,
    'write',
    async (store, bus) => {
      const o = await orchestrate(store, type, payload, { clock: ctx.now, bus });
      if (o.payload.status === 'error')
        throw responseError(type, o.payload.error, o.correlation_id);
      // a worker elsewhere generated it: the same payload and seed generate it here
      return (
        (o.local as L | undefined) ??
        ((await localOf(type))(payload as never, o.payload.result) as L)
      );
    },
    { inProcess: true },
  );
  return { local };
}

export const saveNpcs = (
  input: Target,
  ctx: CommandContext,
  payload: RequestInput<'world.npc.generate'>,
): Promise<Saved<NpcLocal>> => generate('world.npc.generate', input, ctx, payload);

export const saveDungeon = (
  input: Target,
  ctx: CommandContext,
  payload: RequestInput<'world.dungeon.generate'>,
): Promise<Saved<DungeonLocal>> => generate('world.dungeon.generate', input, ctx, payload);
