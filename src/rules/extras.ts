/**
 * What a stat block adds beyond the numbers (rules-data/character-extras.yaml): racial
 * abilities and infravision (PHB Chapter 2), languages by race and Intelligence (PHB
 * Table 4), weapon and non-weapon proficiency slots (PHB Table 34), the turning column of
 * clerics and paladins (PHB Table 61), the spell failure of a low-Wisdom priest (PHB
 * Table 5) and the poison save with the racial Constitution bonus (PHB Table 9).
 */
import { abilitiesTable } from '../data/abilities.ts';
import { characterExtrasTable } from '../data/character-extras.ts';
import type { GroupKey, RaceKey } from '../data/schemas/common.ts';
import { savingThrowsTable } from '../data/saving-throws.ts';
import { type ClassKey, classRecord } from './classes.ts';
import { conSaveBonus } from './saves.ts';
import { turnUndead } from './turn-undead.ts';

export const EXTRAS_SOURCES = {
  racial: characterExtrasTable.racial.source,
  proficiencies: characterExtrasTable.proficiencies.source,
  nonweapon: characterExtrasTable.proficiencies.nonweapon.source,
  specialisation: characterExtrasTable.proficiencies.specialisation.source,
};

/** Infravision and the race's abilities as stat-block lines. */
export function racialAbilities(race: RaceKey): string[] {
  const r = characterExtrasTable.racial.races[race];
  return [...(r.infravision > 0 ? [`infravision ${r.infravision} feet`] : []), ...r.abilities];
}

/** The race's native tongues, the tongues it may learn, and how many more PHB Table 4 allows. */
export function languageAllowance(
  race: RaceKey,
  int: number,
): { native: string[]; learnable: string[]; extra: number } {
  const r = characterExtrasTable.racial.races[race].languages;
  const extra = abilitiesTable.intelligence.rows[int - 1]?.languages ?? 0;
  return { native: [...r.native], learnable: [...r.learnable], extra };
}

export interface ProficiencySlots {
  weapon: number;
  nonweapon: number;
  /** the penalty with a weapon the character is not proficient in */
  penalty: number;
}

/**
 * Proficiency slots at a level (PHB Table 34): initial slots plus one every N levels. A
 * multi-class character takes the best figures of its classes (PHB Chapter 5).
 */
export function proficiencySlots(
  entries: readonly { class: ClassKey; level: number }[],
): ProficiencySlots {
  let best: ProficiencySlots | undefined;
  for (const e of entries) {
    const g = characterExtrasTable.proficiencies.groups[classRecord(e.class).group as GroupKey];
    const s = {
      weapon: g.weapon + Math.floor((e.level - 1) / g.weapon_every),
      nonweapon: g.nonweapon + Math.floor((e.level - 1) / g.nonweapon_every),
      penalty: g.penalty,
    };
    best =
      best === undefined
        ? s
        : {
            weapon: Math.max(best.weapon, s.weapon),
            nonweapon: Math.max(best.nonweapon, s.nonweapon),
            penalty: Math.max(best.penalty, s.penalty),
          };
  }
  return best!;
}

/** The slots specialising in a weapon costs (PHB Chapter 5): more for a bow. */
export function specialisationSlots(weaponName: string): number {
  const s = characterExtrasTable.proficiencies.specialisation;
  return /\bbow\b/.test(weaponName) && !/crossbow/.test(weaponName) ? s.bow_slots : s.melee_slots;
}

/** Only single-class fighters may specialise (PHB Chapter 5, Weapon Specialization). */
export function maySpecialise(classes: readonly ClassKey[], dual: boolean): boolean {
  const s = characterExtrasTable.proficiencies.specialisation;
  return !dual && classes.length === 1 && s.classes.includes(classes[0]!);
}

export type NonweaponProficiency =
  (typeof characterExtrasTable.proficiencies.nonweapon.list)[number];

/** The non-weapon proficiencies open to the classes, and what each costs them. */
export function nonweaponChoices(
  classes: readonly ClassKey[],
): { prof: NonweaponProficiency; cost: number }[] {
  const groups = new Set<string>(['general', ...classes.map((c) => classRecord(c).group)]);
  return characterExtrasTable.proficiencies.nonweapon.list.map((prof) => ({
    prof,
    cost: prof.slots + (groups.has(prof.group) ? 0 : 1),
  }));
}

/** A cleric's or paladin's turning line, "skeleton T, zombie T, ghoul 4, …" (PHB Table 61). */
const turning = new Map<string, { as_level: number; results: Record<string, string> }>();

export function turningLine(
  klass: ClassKey,
  level: number,
): { as_level: number; results: Record<string, string> } | undefined {
  if (klass === 'cleric' || (klass === 'paladin' && level >= 3)) {
    const key = `${klass}${level}`;
    let line = turning.get(key);
    if (line === undefined) {
      const r = turnUndead(level, undefined, { class: klass });
      const results: Record<string, string> = {};
      for (const e of r.entries) results[e.undead] = e.result === null ? '-' : String(e.result);
      line = { as_level: r.priest_level, results };
      turning.set(key, line);
    }
    // a copy: the NPC record owns its own object
    return { as_level: line.as_level, results: { ...line.results } };
  }
  return undefined;
}

/** The chance in percent that a priest's spell fails for low Wisdom (PHB Table 5). */
export function spellFailure(wis: number): number {
  return abilitiesTable.wisdom.rows[wis - 1]?.spell_failure_pct ?? 0;
}

/**
 * The save vs poison after a dwarf's or halfling's Constitution bonus (PHB Table 9);
 * undefined when the race has no bonus vs poison.
 */
export function poisonSave(race: RaceKey, con: number, paralyzation: number): number | undefined {
  const rule = savingThrowsTable.constitution_bonus.races[race];
  if (rule === undefined || !rule.poison) return undefined;
  return Math.max(1, paralyzation - conSaveBonus(con));
}
