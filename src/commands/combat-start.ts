/**
 * `dma combat start`: the campaign's fight — enemies from the monster catalogue with rolled
 * hit points, the party's hit points from their sheets, the first initiative (PHB Chapter 9).
 */
import {
  parseEnemies,
  rollEncounterEnemies,
  rollInitiative,
  type EncounterState,
} from '../agents/action/combat.ts';
import { createRng, randomSeed } from '../core/rng.ts';
import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { loadCharacter } from './_sheet.ts';
import { combatState, combatText } from './_combat.ts';

export const run: CommandModule<'combat.start'>['run'] = async (input, ctx) => {
  const spec = parseEnemies(input.enemies);
  const seed = input.seed ?? randomSeed();
  const rng = createRng(seed);
  const party: EncounterState['party'] = [];
  for (const character of input.character) {
    const loaded = await loadCharacter({ character, db: input.db }, ctx);
    if (party.some((p) => p.name === loaded.sheet.name)) {
      throw new UsageError(`${loaded.sheet.name} is in the party twice`);
    }
    party.push({
      name: loaded.sheet.name,
      ref: loaded.entity !== undefined ? `pc:${loaded.entity.id}` : `file:${loaded.file}`,
      hp: loaded.sheet.hp,
      max_hp: loaded.sheet.max_hp,
      ac: loaded.sheet.armor_class,
      spells_used: [],
    });
  }
  const enemies = rollEncounterEnemies(spec, rng.fork());
  const initiative = rollInitiative(rng.fork());
  const state: EncounterState = { party, enemies, initiative, log: [] };
  if (input.dryRun) {
    return combatState(
      { id: 'enc-(dry-run)', status: 'active', round: 0, seed, state },
      { dry_run: true },
    );
  }
  const row = await withCampaign(input, ctx, 'write', (store) =>
    store.encounters.create(seed, state),
  );
  return combatState(row);
};

export const text: CommandModule<'combat.start'>['text'] = (r) => combatText(r);
