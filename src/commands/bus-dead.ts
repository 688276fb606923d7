import type { CommandModule } from '../generated/types.ts';
import { withBus } from '../bus/open.ts';

export const run: CommandModule<'bus.dead'>['run'] = (input, ctx) =>
  withBus(input, ctx, 'read', async (_store, bus) => ({ dead: await bus.dead() }));

export const text: CommandModule<'bus.dead'>['text'] = (r) =>
  r.dead.length === 0
    ? 'no dead letters'
    : r.dead
        .map((d) => {
          const e = d.error as { code?: string; message?: string } | null;
          return `${d.task_id}  ${d.type} → ${d.agent}  ${d.attempts} attempts  ${e?.code ?? ''}: ${e?.message ?? ''}${d.retried_as ? `  (retried as ${d.retried_as})` : ''}`;
        })
        .join('\n');
