import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { entityTable } from '../store/render.ts';

export const run: CommandModule<'entity.related'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) => {
    const start = await store.resolve(input.ref);
    return { entities: await store.related(start.id, { depth: input.depth ?? 2 }) };
  });

export const text: CommandModule<'entity.related'>['text'] = (r) =>
  r.entities.length === 0 ? '(nothing related)' : entityTable(r.entities);
