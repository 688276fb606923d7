/** `dma combat status`: the current fight — round, initiative, hit points, the log. */
import type { CommandModule } from '../generated/types.ts';
import type { EncounterState } from '../agents/action/combat.ts';
import { withCampaign } from '../store/open.ts';
import { combatState, combatText } from './_combat.ts';

export const run: CommandModule<'combat.status'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) =>
    combatState(await store.encounters.require<EncounterState>()),
  );

export const text: CommandModule<'combat.status'>['text'] = (r) => combatText(r);
