/**
 * `dma combat end`: closes the fight and shares the XP of the defeated enemies (their
 * Monstrous Manual XP values; dead, asleep, held, charmed, turned or fled all count as
 * overcome) equally among the party. Stored pcs get their XP and hit points in the same
 * transaction, and the spells they cast are taken from their memorised lists.
 */
import type { EncounterState } from '../agents/action/combat.ts';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { combatState, combatText } from './_combat.ts';

export const run: CommandModule<'combat.end'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, input.dryRun ? 'dry-run' : 'write', async (store) => {
    const enc = store.encounters;
    const current = await enc.require<EncounterState>();
    const state = current.state;
    const defeated = state.enemies.filter((e) => e.status !== 'active');
    const total = defeated.reduce((s, e) => s + e.xp, 0);
    const share = state.party.length === 0 ? 0 : Math.floor(total / state.party.length);
    const xp = { total, per_character: share, defeated: defeated.map((e) => e.id) };
    const writePcs = async () => {
      for (const member of state.party) {
        if (!member.ref.startsWith('pc:')) continue;
        const entity = await store.get(member.ref.slice(3));
        const data = entity.data as { xp?: number; hp?: number; spells?: string[] };
        const spells = data.spells === undefined ? undefined : [...data.spells];
        for (const used of member.spells_used) {
          const i = spells?.findIndex((s) => s.toLowerCase() === used.toLowerCase()) ?? -1;
          if (i >= 0) spells!.splice(i, 1);
        }
        await store.update(
          entity.id,
          {
            data: {
              ...entity.data,
              xp: (data.xp ?? 0) + share,
              hp: Math.max(0, member.hp),
              ...(spells === undefined ? {} : { spells }),
            },
          },
          { expectVersion: entity.version },
        );
      }
    };
    if (input.dryRun) return combatState({ ...current, status: 'ended' }, { xp, dry_run: true });
    const ended = await enc.end(current.id, current.version, state, writePcs);
    return combatState(ended, { xp });
  });

export const text: CommandModule<'combat.end'>['text'] = (r) => combatText(r);
