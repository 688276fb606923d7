import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { busOf } from '../store/bus.ts';

export const run: CommandModule<'bus.dead'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', (store) => ({ dead: busOf(store).dead() }));

export const text: CommandModule<'bus.dead'>['text'] = (r) =>
  r.dead.length === 0
    ? 'no dead letters'
    : r.dead
        .map((d) => {
          const e = d.error as { code?: string; message?: string } | null;
          return `${d.task_id}  ${d.type} → ${d.agent}  ${d.attempts} attempts  ${e?.code ?? ''}: ${e?.message ?? ''}${d.retried_as ? `  (retried as ${d.retried_as})` : ''}`;
        })
        .join('\n');
