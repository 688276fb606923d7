/** What only some classes have: spells, thieving skills, turning undead and spell failure. */
import { classRecord } from '../../rules/classes.ts';
import { spellFailure, turningLine } from '../../rules/extras.ts';
import { castableSlots } from '../../rules/npc.ts';
import { rangerSkills, thiefSkills } from '../../rules/thief-skills.ts';
import type { Body } from './body.ts';
import { memoriseSpells } from './gear.ts';
import type { Levels } from './levels.ts';
import type { Rolls } from './rolls.ts';
import type { Npc, NpcSpell } from './types.ts';

/** Spell slots and memorised spells of every usable caster class. */
export function rollSpells(b: Body, lv: Levels, armour: string, r: Rolls, notes: string[]) {
  let spells: NpcSpell[] | undefined;
  let spellSlotsTop: number[] | undefined;
  const several = lv.sheetClasses.length > 1;
  for (const e of lv.active) {
    const castable = castableSlots(e.class, e.level, b.scores);
    if (castable === undefined) continue;
    const group = classRecord(e.class).group;
    const halfCaster = e.class === 'paladin' || e.class === 'ranger';
    r.log.push({
      step: several ? `spell slots, ${e.class}` : 'spell slots',
      table:
        e.class === 'bard' || halfCaster
          ? `${e.class}-spells`
          : group === 'wizard'
            ? 'wizard-spells'
            : 'priest-spells',
      source:
        e.class === 'bard'
          ? 'PHB Table 32; PHB Table 4 (maximum spell level)'
          : halfCaster
            ? `PHB Chapter 3, ${e.class === 'paladin' ? 'Paladin' : 'Ranger'} (spell progression)`
            : group === 'wizard'
              ? 'PHB Table 21; PHB Table 4 (maximum spell level)'
              : 'PHB Table 24; PHB Table 5 (Wisdom bonus spells)',
      rolls: [],
      result: castable.slots.join('/'),
      ...(castable.capped_above === undefined
        ? {}
        : {
            note: `Intelligence ${b.scores.int} allows spells up to level ${castable.capped_above}`,
          }),
    });
    const chosen = memoriseSpells(e.class, castable.slots, r.rng, r.log);
    spells = [
      ...(spells ?? []),
      ...(several ? chosen.map((sp) => ({ ...sp, class: e.class })) : chosen),
    ];
    if (lv.entries !== undefined) e.spell_slots = castable.slots;
    else spellSlotsTop = castable.slots;
  }
  const wizardInArmour =
    armour !== 'none' && b.classes.some((c) => classRecord(c).group === 'wizard');
  if (wizardInArmour && spells !== undefined) {
    notes.push(
      `casts no wizard spells while wearing ${armour} (PHB Chapter 3, Multi-Class Benefits)`,
    );
  }
  return { spells, spellSlotsTop };
}

/** A thief's or bard's skills, and a ranger's hiding and moving silently. */
export function rogueSkills(b: Body, lv: Levels, armour: string, r: Rolls, notes: string[]) {
  let skills: Npc['thief_skills'];
  const rogue = lv.active.find((e) => e.class === 'thief' || e.class === 'bard');
  if (rogue !== undefined) {
    const ts = thiefSkills(rogue.level, {
      race: b.race,
      dex: b.scores.dex,
      class: rogue.class,
      armour,
    });
    skills = Object.fromEntries(ts.skills.map((s) => [s.skill, s.total]));
    r.log.push({
      step: 'thief skills',
      table: 'thief-skills',
      source:
        rogue.class === 'bard'
          ? 'PHB Table 33; PHB Tables 27, 28 and 29 (race, Dexterity, armour)'
          : 'PHB Tables 26, 27, 28 and 29 (base, race, Dexterity, armour)',
      rolls: [],
      result: ts.skills.map((s) => `${s.skill} ${s.total}`).join(', '),
      note: `${ts.derivation.notes[0]!}; ${ts.derivation.notes[1]!}`,
    });
  }
  const ranger = lv.active.find((e) => e.class === 'ranger');
  if (ranger !== undefined) {
    const rs = rangerSkills(ranger.level, { race: b.race, dex: b.scores.dex, armour });
    if (rs.skills !== undefined) skills = { ...(skills ?? {}), ...rs.skills };
    else notes.push(rs.derivation.notes[0]!);
    r.log.push({
      step: 'ranger skills',
      table: 'ranger-skills',
      source: 'PHB Chapter 3, Ranger Abilities; PHB Tables 27, 28 and 29 (race, Dexterity, armour)',
      rolls: [],
      result:
        rs.skills === undefined
          ? 'none in this armour'
          : `hide_in_shadows ${rs.skills.hide_in_shadows}, move_silently ${rs.skills.move_silently}`,
    });
  }
  return skills;
}

/** A cleric's or paladin's turning line, and a priest's spell failure for low Wisdom. */
export function priestLines(b: Body, lv: Levels, r: Rolls) {
  const turner = lv.active.find((e) => e.class === 'cleric' || e.class === 'paladin');
  const turning = turner === undefined ? undefined : turningLine(turner.class, turner.level);
  if (turner !== undefined && turning !== undefined) {
    r.log.push({
      step: 'turn undead',
      table: 'turn-undead',
      source: 'PHB Table 61',
      rolls: [],
      result: Object.entries(turning.results)
        .map(([k, v]) => `${k} ${v}`)
        .join(', '),
      note: `${turner.class} ${turner.level}${turner.class === 'paladin' ? ', turning as a priest two levels lower' : ''}: column ${turning.as_level}`,
    });
  }
  const priest = lv.active.find((e) => e.class === 'cleric' || e.class === 'druid');
  const failure = priest === undefined ? 0 : spellFailure(b.scores.wis);
  if (failure > 0) {
    r.log.push({
      step: 'spell failure',
      table: 'wisdom',
      source: 'PHB Table 5 (Wisdom)',
      rolls: [],
      result: failure,
      note: `Wisdom ${b.scores.wis}: each priest spell fails on d100 ≤ ${failure}`,
    });
  }
  return { turning, failure };
}
