import { exportSession } from '../agents/replay.ts';
import { NotFoundError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withBus } from '../bus/open.ts';

export const run: CommandModule<'bus.export'>['run'] = (input, ctx) =>
  withBus(input, ctx, 'read', async (_store, bus) => {
    const session = await exportSession(bus, input.correlationId, ctx.now());
    if (!session)
      throw new NotFoundError(`no bus messages with correlation id ${input.correlationId}`, {
        hint: 'dma bus tail lists the messages and their correlation ids',
      });
    return session;
  });

export const raw: CommandModule<'bus.export'>['raw'] = (r) => JSON.stringify(r, null, 2) + '\n';
