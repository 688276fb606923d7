import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { entityTable } from '../store/render.ts';

export const run: CommandModule<'entity.list'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) => {
    const filter = input.type === undefined ? {} : { type: input.type };
    return {
      total: await store.count(filter),
      entities: await store.list({
        ...filter,
        limit: input.limit ?? 50,
        offset: input.offset ?? 0,
      }),
    };
  });

export const text: CommandModule<'entity.list'>['text'] = (r) =>
  r.entities.length === 0 ? '(no entities)' : entityTable(r.entities, r.total);
