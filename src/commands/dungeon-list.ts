import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { entityTable } from '../store/render.ts';

export const run: CommandModule<'dungeon.list'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) => ({
    total: await store.count({ type: 'dungeon' }),
    entities: await store.list({ type: 'dungeon', limit: input.limit ?? 50, offset: 0 }),
  }));

export const text: CommandModule<'dungeon.list'>['text'] = (r) =>
  r.entities.length === 0
    ? '(no dungeons; make one with dma dungeon gen)'
    : entityTable(r.entities, r.total);
