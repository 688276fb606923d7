import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { exportSession } from '../agents/replay.ts';
import { NotFoundError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { busOf } from '../store/bus.ts';

export const run: CommandModule<'bus.export'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) => {
    const session = exportSession(busOf(store), input.correlationId, ctx.now());
    if (!session)
      throw new NotFoundError(`no bus messages with correlation id ${input.correlationId}`, {
        hint: 'dma bus tail lists the messages and their correlation ids',
      });
    if (input.output !== undefined) {
      const file = resolve(ctx.cwd, input.output);
      await writeFile(file, JSON.stringify(session, null, 2) + '\n');
      ctx.info(`wrote ${file}`);
    }
    return session;
  });

export const raw: CommandModule<'bus.export'>['raw'] = (r, input) =>
  input.output !== undefined ? '' : JSON.stringify(r, null, 2) + '\n';
