/**
 * Weapon and non-weapon proficiencies (PHB Chapter 5, Tables 34 and 37) and languages
 * (PHB Chapter 2; Table 4) for a generated NPC. Every pick is a roll in the log.
 */
import type { Rng } from '../../core/rng.ts';
import { npcGearTable } from '../../data/npc-gear.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import type { ClassKey } from '../../rules/classes.ts';
import { weapon } from '../../rules/equipment.ts';
import {
  EXTRAS_SOURCES,
  languageAllowance,
  maySpecialise,
  nonweaponChoices,
  proficiencySlots,
  specialisationSlots,
} from '../../rules/extras.ts';
import { gearTableFor } from './gear.ts';
import type { RollStep } from './types.ts';

const SMALL: readonly RaceKey[] = ['gnome', 'halfling'];

const pools = new Map<string, string[]>();

/** The weapons of every kit the classes' tables offer: what such a character carries (cached). */
function weaponPool(classes: readonly ClassKey[], race: RaceKey): string[] {
  const key = `${classes.join('/')}|${race}`;
  let pool = pools.get(key);
  if (pool === undefined) {
    pool = buildWeaponPool(classes, race);
    pools.set(key, pool);
  }
  return pool;
}

function buildWeaponPool(classes: readonly ClassKey[], race: RaceKey): string[] {
  const tables = [gearTableFor(classes), ...classes.map((c) => gearTableFor([c]))];
  const out: string[] = [];
  for (const t of new Set(tables)) {
    for (const e of npcGearTable.tables[t]?.entries ?? []) {
      if (!('result' in e) || typeof e.result !== 'string') continue;
      for (const w of npcGearTable.kits[e.result]?.weapons ?? []) {
        if (out.includes(w)) continue;
        const rec = weapon(w).weapon;
        if (SMALL.includes(race) && rec.size === 'L') continue;
        // a cleric, multi-classed too, keeps to bludgeoning weapons (PHB Chapter 3, Cleric)
        if (classes.includes('cleric') && !(rec.type === 'B' || /sling/.test(w))) continue;
        out.push(w);
      }
    }
  }
  return out;
}

/**
 * Weapon proficiencies: the slots of PHB Table 34 (the best of the classes); a single-class
 * fighter specialises in the first weapon of the kit when the slots allow; then each kit
 * weapon; spare slots go to weapons such a character carries (rolled).
 */
export function rollWeaponProficiencies(
  entries: readonly { class: ClassKey; level: number }[],
  dual: boolean,
  race: RaceKey,
  kitWeapons: readonly string[],
  rng: Rng,
  log: RollStep[],
): string[] {
  const classes = entries.map((e) => e.class);
  const slots = proficiencySlots(entries);
  let left = slots.weapon;
  const out: string[] = [];
  const taken = new Set<string>();
  const notes: string[] = [];
  const first = kitWeapons[0];
  if (first !== undefined && maySpecialise(classes, dual)) {
    const cost = 1 + specialisationSlots(first);
    if (left >= cost) {
      out.push(`${first} (specialised)`);
      taken.add(first);
      left -= cost;
      notes.push(`specialised in ${first} (${cost} slots; ${EXTRAS_SOURCES.specialisation})`);
    }
  }
  for (const w of kitWeapons) {
    if (left === 0) break;
    if (taken.has(w)) continue;
    out.push(w);
    taken.add(w);
    left--;
  }
  const rolls: number[] = [];
  const pool = weaponPool(classes, race).filter((w) => !taken.has(w));
  while (left > 0 && pool.length > 0) {
    const k = rng.int(1, pool.length);
    rolls.push(k);
    const w = pool.splice(k - 1, 1)[0]!;
    out.push(w);
    left--;
  }
  if (left > 0) notes.push(`${left} slot${left === 1 ? '' : 's'} unspent`);
  const unskilled = kitWeapons.filter((w) => !taken.has(w));
  if (unskilled.length > 0)
    notes.push(`not proficient with ${unskilled.join(', ')} (${slots.penalty} to hit)`);
  log.push({
    step: 'weapon proficiencies',
    source: EXTRAS_SOURCES.proficiencies,
    ...(rolls.length === 0 ? {} : { dice: `d${pool.length + rolls.length}` }),
    rolls,
    result: out.join(', ') || 'none',
    note: [`${slots.weapon} slots, ${slots.penalty} with other weapons`, ...notes].join('; '),
  });
  return out;
}

const ABILITY_SHORT: Record<string, string> = {
  str: 'Str',
  dex: 'Dex',
  con: 'Con',
  int: 'Int',
  wis: 'Wis',
  cha: 'Cha',
};

/**
 * Non-weapon proficiencies (the optional rule of PHB Chapter 5): the slots of Table 34,
 * spent by rolling among those the classes' groups may take (another group's cost one
 * slot more, PHB Table 37), each shown with the ability check it uses.
 */
export function rollNonweaponProficiencies(
  entries: readonly { class: ClassKey; level: number }[],
  abilities: Record<string, number>,
  rng: Rng,
  log: RollStep[],
): string[] {
  const slots = proficiencySlots(entries).nonweapon;
  const choices = nonweaponChoices(entries.map((e) => e.class)).filter((c) => c.cost <= 2);
  let left = slots;
  const out: string[] = [];
  const rolls: number[] = [];
  const taken = new Set<string>();
  for (;;) {
    const affordable = choices.filter((c) => c.cost <= left && !taken.has(c.prof.name));
    if (affordable.length === 0) break;
    const k = rng.int(1, affordable.length);
    rolls.push(k);
    const { prof, cost } = affordable[k - 1]!;
    taken.add(prof.name);
    left -= cost;
    const check =
      prof.ability === 'none'
        ? 'no check'
        : `${ABILITY_SHORT[prof.ability]} ${abilities[prof.ability]! + prof.modifier}`;
    out.push(`${prof.name} (${check})`);
  }
  log.push({
    step: 'non-weapon proficiencies',
    source: EXTRAS_SOURCES.nonweapon,
    rolls,
    result: out.join(', ') || 'none',
    note: `${slots} slots (PHB Table 34); each roll numbers an affordable proficiency; the check is the ability score with the proficiency's modifier`,
  });
  return out;
}

/** Native tongues, then as many more as Intelligence allows (PHB Table 4) from the race's list. */
export function rollLanguages(race: RaceKey, int: number, rng: Rng, log: RollStep[]): string[] {
  const a = languageAllowance(race, int);
  const pool = a.learnable.filter((l) => !a.native.includes(l));
  const out = [...a.native];
  const rolls: number[] = [];
  for (let i = 0; i < a.extra && pool.length > 0; i++) {
    const k = rng.int(1, pool.length);
    rolls.push(k);
    out.push(pool.splice(k - 1, 1)[0]!);
  }
  log.push({
    step: 'languages',
    source: EXTRAS_SOURCES.racial,
    rolls,
    result: out.join(', '),
    note: `Intelligence ${int}: ${a.extra} more than the native ${a.native.join(' and ')}${a.extra > a.learnable.length ? ` (the race's list has only ${a.learnable.length})` : ''}`,
  });
  return out;
}
