import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { entityTable } from '../store/render.ts';

export const run: CommandModule<'entity.search'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) => ({
    entities: await store.search(input.query, {
      ...(input.type === undefined ? {} : { type: input.type }),
      limit: input.limit ?? 20,
    }),
  }));

export const text: CommandModule<'entity.search'>['text'] = (r) =>
  r.entities.length === 0 ? '(no matches)' : entityTable(r.entities);
