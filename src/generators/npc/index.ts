/**
 * World Designer: rules-legal NPCs. Pure: the RNG is a parameter; same options and seed →
 * byte-identical JSON. Every number comes from the rules engine (src/rules/) or a roll,
 * and every roll and table lookup is written to the NPC's roll log for `explain`/`audit`.
 *
 * Order of generation (fixed, so seeds stay stable): gender, ability scores with class
 * and race, racial adjustments, exceptional strength, alignment, level, hit points,
 * equipment and AC, THAC0, saves, spells or thief skills, name, flavour.
 *
 * The steps, one module each: options.ts (the options checked against the rules),
 * candidates.ts (the classes and races they allow), rolls.ts (the RNG, roll log and table
 * roller the steps share), body.ts (gender, abilities, alignment), levels.ts,
 * hit-points.ts, combat.ts (kit and AC, THAC0, saves), class-features.ts (spells, thief
 * skills, turning), proficiencies.ts, magic-items.ts, flavour.ts. `generateNpc` runs them.
 */
import { UsageError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import { encodeRollLog } from '../../core/roll-log.ts';
import { poisonSave, racialAbilities } from '../../rules/extras.ts';
import { ALIGNMENT_NAMES } from '../../rules/npc.ts';
import { rollBody, rollAlignment } from './body.ts';
import { rollSpells, rogueSkills, priestLines } from './class-features.ts';
import { equip, combatNumbers } from './combat.ts';
import { DECK_SIZE, type FlavourDeck, rollFlavour, rollName } from './flavour.ts';
import { rollNpcHitPoints } from './hit-points.ts';
import { rollLevels } from './levels.ts';
import { rollNpcMagicItems } from './magic-items.ts';
import { givenOptions, resolveNpcOptions } from './options.ts';
import {
  rollLanguages,
  rollNonweaponProficiencies,
  rollWeaponProficiencies,
} from './proficiencies.ts';
import { startRolls } from './rolls.ts';
import { GENERATOR, type Npc, type NpcOptions } from './types.ts';

export * from './types.ts';

export { checkNpcLegality, type LegalityFinding } from '../../rules/legality.ts';

export { DEFAULT_MAX_LEVEL } from './levels.ts';
export { resolveNpcOptions, type ResolvedOptions } from './options.ts';
export type { FlavourDeck } from './flavour.ts';

export const MAX_NPCS = 10_000;

/**
 * Generate one NPC. The seed recorded is `rng.seed`: pass a fresh RNG to make it
 * reproducible. The steps run in the order of the module comment; each draws from `rng`
 * in turn, so reordering them changes every seed's NPC.
 */
export function generateNpc(options: NpcOptions, rng: Rng, deck?: FlavourDeck): Npc {
  const o = resolveNpcOptions(options);
  const r = startRolls(rng);
  const body = rollBody(o, r);
  const alignment = rollAlignment(o, body.classes, r);
  const lv = rollLevels(o, body, r);
  const hitPoints = rollNpcHitPoints(body, lv, r);
  const { kit, armorClass, equipment } = equip(body, r);
  const combat = combatNumbers(body, lv, r);
  const notes: string[] = [];
  const { spells, spellSlotsTop } = rollSpells(body, lv, kit.armour, r, notes);
  const thiefSkillScores = rogueSkills(body, lv, kit.armour, r, notes);
  const { turning, failure } = priestLines(body, lv, r);
  const { race, classes } = body;
  const poison = poisonSave(race, body.scores.con, combat.saves.paralyzation);
  const racial = racialAbilities(race);
  const profs = rollWeaponProficiencies(lv.sheetClasses, body.dual, race, kit.weapons, rng, r.log);
  const nonweapon =
    options.nwp === true
      ? rollNonweaponProficiencies(lv.sheetClasses, body.scores, rng, r.log)
      : undefined;
  const languages = rollLanguages(race, body.scores.int, rng, r.log);
  const magicItems = rollNpcMagicItems(lv, r);
  let name = o.name;
  if (name === undefined) {
    const n = rollName(race, body.gender, rng);
    name = n.name;
    r.log.push(n.step);
  }
  const prose = body.dual ? `${classes[1]} (once a ${classes[0]})` : body.klass;
  const flavour = rollFlavour({ name, race, class: prose, gender: body.gender }, rng, r.log, deck);

  return {
    name,
    class: body.klass,
    level: lv.topLevel,
    ...(lv.entries === undefined ? {} : { classes: lv.entries }),
    race,
    gender: body.gender,
    alignment: ALIGNMENT_NAMES[alignment],
    hit_points: hitPoints,
    armor_class: armorClass,
    thac0: combat.thac0,
    abilities: body.abilities,
    saves: combat.saves,
    armour: kit.armour,
    ...(kit.shield === undefined ? {} : { shield: kit.shield }),
    weapons: [...kit.weapons],
    equipment,
    ...(spellSlotsTop === undefined ? {} : { spell_slots: spellSlotsTop }),
    ...(spells === undefined ? {} : { spells }),
    ...(thiefSkillScores === undefined ? {} : { thief_skills: thiefSkillScores }),
    ...(poison === undefined ? {} : { poison_save: poison }),
    ...(failure > 0 ? { spell_failure: failure } : {}),
    ...(turning === undefined ? {} : { turn_undead: turning }),
    ...(racial.length === 0 ? {} : { racial_abilities: racial }),
    weapon_proficiencies: profs,
    ...(nonweapon === undefined ? {} : { nonweapon_proficiencies: nonweapon }),
    languages,
    ...(magicItems.length === 0 ? {} : { magic_items: magicItems }),
    ...flavour,
    ...(notes.length === 0 ? {} : { notes: notes.join(' ') }),
    roll_log: r.log,
    seed: rng.seed,
    ...(deck === undefined ? {} : { flavour_deck: { ...deck } }),
    generator: { ...GENERATOR },
    options: givenOptions(options, o.method),
  };
}

/**
 * The campaign store's view of an NPC: its name apart, everything else as `npc` data,
 * the roll log in its compact stored form (src/core/roll-log.ts; kept whole).
 */
export function npcRecord(npc: Npc): {
  name: string;
  data: Omit<Npc, 'name' | 'roll_log'> & { roll_log: string };
} {
  const { name, roll_log, ...rest } = npc;
  return { name, data: { ...rest, roll_log: encodeRollLog(roll_log) } };
}

/**
 * Generate `count` NPCs (1-10,000) with the same options; each gets its own RNG forked
 * from `rng`, and each run of 10 shares a flavour deck (no trait, look or motivation
 * repeats in it), so `generateNpc(options, createRng(npc.seed), npc.flavour_deck)`
 * reproduces any one of them.
 */
export function generateNpcs(options: NpcOptions, count: number, rng: Rng): Npc[] {
  return [...npcStream(options, count, rng)];
}

/** What npcStream checks before it generates: the count and the options (UsageError). */
export function checkNpcBatch(options: NpcOptions, count: number): void {
  if (!Number.isInteger(count) || count < 1 || count > MAX_NPCS) {
    throw new UsageError(`count must be a whole number from 1 to ${MAX_NPCS}, got ${count}`);
  }
  resolveNpcOptions(options);
}

/** generateNpcs one NPC at a time (a caller that stores each as it comes holds less). */
export function* npcStream(options: NpcOptions, count: number, rng: Rng): Generator<Npc> {
  checkNpcBatch(options, count);
  let deckSeed = 0;
  for (let i = 0; i < count; i++) {
    if (i % DECK_SIZE === 0) deckSeed = rng.fork().seed;
    yield generateNpc(options, rng.fork(), { seed: deckSeed, slot: i % DECK_SIZE });
  }
}

/** `{ entity_id, ...npc }` for output. */
export function withEntityId(
  npc: Npc,
  entityId: string | null,
): Npc & { entity_id: string | null } {
  return { entity_id: entityId, ...npc };
}
