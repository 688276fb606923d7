import { withCampaign } from '../store/open.ts';
import type { CommandModule } from '../generated/types.ts';
import { run as deleteEntity, text as deleteText } from './entity-delete.ts';

/** `dma npc delete` is `dma entity delete` restricted to NPCs. */
export const run: CommandModule<'npc.delete'>['run'] = async (input, ctx) => {
  const npc = await withCampaign(input, ctx, 'read', (store) =>
    store.resolve(input.ref, { type: 'npc' }),
  );
  return deleteEntity({ ...input, ref: npc.id }, ctx);
};

export const text: CommandModule<'npc.delete'>['text'] = deleteText;
