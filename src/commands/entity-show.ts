import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { entityText } from '../store/render.ts';

export const run: CommandModule<'entity.show'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) => {
    const entity = await store.resolve(input.ref);
    return { entity, relationships: await store.relationships(entity.id) };
  });

export const text: CommandModule<'entity.show'>['text'] = (r) =>
  entityText(r.entity as never, (r.relationships ?? []) as never);
