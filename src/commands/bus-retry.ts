import { AgentRuntime } from '../agents/runtime.ts';
import { HANDLERS } from '../agents/handlers.ts';
import { ConflictError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { busOf } from '../store/bus.ts';

export const run: CommandModule<'bus.retry'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, input.dryRun === true ? 'read' : 'write', async (store) => {
    const bus = busOf(store);
    const dead = bus.task(input.id);
    if (dead.state !== 'dead')
      throw new ConflictError(`task ${input.id} is ${dead.state}, not a dead letter`, {
        hint: 'dma bus dead lists the dead letters',
      });
    if (input.dryRun === true)
      return { dead_task_id: input.id, task_id: input.id, state: 'dead', dry_run: true };
    const runtime = new AgentRuntime(store, { handlers: HANDLERS, clock: ctx.now });
    const taskId = bus.retry(input.id, runtime.reissueToken(bus.request(dead.event_id)));
    if (input.run !== false) await runtime.drain(dead.correlation_id);
    const t = bus.task(taskId);
    return {
      dead_task_id: input.id,
      task_id: taskId,
      state: t.state,
      ...(t.last_error === null ? {} : { error: t.last_error }),
    };
  });
