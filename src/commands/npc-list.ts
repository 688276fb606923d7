import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { entityTable } from '../store/render.ts';

export const run: CommandModule<'npc.list'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', (store) => ({
    total: store.count({ type: 'npc' }),
    entities: store.list({ type: 'npc', limit: input.limit ?? 50, offset: input.offset ?? 0 }),
  }));

export const text: CommandModule<'npc.list'>['text'] = (r) =>
  r.entities.length === 0
    ? '(no NPCs; make one with dma npc create)'
    : entityTable(r.entities, r.total);
