import { rollLogSteps } from '../core/roll-log.ts';
import type { Npc } from '../generators/npc/types.ts';
import { npcStatBlock, rollLogText } from '../generators/npc/stat-block.ts';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'npc.show'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) => {
    const entity = await store.resolve(input.ref, { type: 'npc' });
    return { entity, relationships: await store.relationships(entity.id) };
  });

export const text: CommandModule<'npc.show'>['text'] = (r, input) => {
  const npc = { ...(r.entity.data as unknown as Npc), name: r.entity.name };
  if (!Array.isArray(npc.weapons) || !npc.saves) {
    // an NPC entered by hand rather than generated: show its data as it is
    return `${r.entity.name} (npc, version ${r.entity.version})\n${JSON.stringify(r.entity.data, null, 2)}`;
  }
  const block = npcStatBlock(npc, r.entity.id, 'show');
  const log = rollLogSteps(r.entity.data.roll_log);
  return input.explain && log ? `${block}\n\nRoll log:\n${rollLogText(log)}` : block;
};
