import { AgentRuntime } from '../agents/runtime.ts';
import { HANDLERS } from '../agents/handlers.ts';
import { ConflictError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withBus } from '../bus/open.ts';

export const run: CommandModule<'bus.retry'>['run'] = (input, ctx) =>
  withBus(input, ctx, input.dryRun === true ? 'read' : 'write', async (store, bus) => {
    const dead = await bus.task(input.id);
    if (dead.state !== 'dead')
      throw new ConflictError(`task ${input.id} is ${dead.state}, not a dead letter`, {
        hint: 'dma bus dead lists the dead letters',
      });
    if (input.dryRun === true)
      return { dead_task_id: input.id, task_id: input.id, state: 'dead', dry_run: true };
    const runtime = await AgentRuntime.open(store, bus, { handlers: HANDLERS, clock: ctx.now });
    const taskId = await bus.retry(
      input.id,
      runtime.reissueToken(await bus.request(dead.event_id)),
    );
    if (input.run !== false) await runtime.drain(dead.correlation_id);
    const t = await bus.task(taskId);
    return {
      dead_task_id: input.id,
      task_id: taskId,
      state: t.state,
      ...(t.last_error === null ? {} : { error: t.last_error }),
    };
  });
