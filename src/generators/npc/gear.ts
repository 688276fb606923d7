/**
 * Equipment kits (rules-data/npc-gear.yaml) and memorised spells (rules-data/npc-spells.yaml).
 */
import type { Rng } from '../../core/rng.ts';
import { npcGearTable } from '../../data/npc-gear.ts';
import { npcSpellsTable } from '../../data/npc-spells.ts';
import { spellProgressionTable } from '../../data/spell-progression.ts';
import { type ClassKey, classRecord, groupOf } from '../../rules/classes.ts';
import { weapon } from '../../rules/equipment.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import type { NpcSpell, RollStep } from './types.ts';

export type Kit = (typeof npcGearTable.kits)[string];

const SMALL_RACES: readonly RaceKey[] = ['gnome', 'halfling'];
/** PHB Chapter 2: gnomes and halflings are size S and cannot wield size L weapons. */
function suitsRace(kit: Kit, race: RaceKey): boolean {
  if (!SMALL_RACES.includes(race)) return true;
  return kit.weapons.every((w) => weapon(w).weapon.size !== 'L');
}

export function gearTable(klass: ClassKey): string {
  const own = `gear_${klass}`;
  return npcGearTable.tables[own] === undefined ? `gear_${groupOf(klass)}` : own;
}

/**
 * The kit table of a multi-class combination (`gear_fighter/mage`), else the last class's
 * (a dual-class character dresses for the class it follows now).
 */
export function gearTableFor(classes: readonly ClassKey[]): string {
  if (classes.length > 1) {
    const own = `gear_${classes.join('/')}`;
    if (npcGearTable.tables[own] !== undefined) return own;
  }
  return gearTable(classes[classes.length - 1]!);
}

/** Roll a kit for the classes; a kit the race cannot wield is rolled again (logged). */
export function rollKit(
  classes: readonly ClassKey[],
  race: RaceKey,
  roll: (step: string, table: string) => string,
): { name: string; kit: Kit } {
  const table = gearTableFor(classes);
  for (let i = 0; i < 20; i++) {
    const name = roll('equipment kit', table);
    const kit = npcGearTable.kits[name]!;
    if (suitsRace(kit, race)) return { name, kit };
  }
  // every class's table has kits a small race can wield; this is a data error
  throw new Error(`no kit on ${table} suits a ${race}`);
}

interface SpellPools {
  pool: NpcSpell[];
  /** the specialist's own school (empty for others) */
  specialist: NpcSpell[];
}
const poolCache = new Map<string, SpellPools>();

/** The spells of one level a class may memorise (cached: the lists are static data). */
function spellPools(klass: ClassKey, level: number): SpellPools {
  const key = `${klass}/${level}`;
  const cached = poolCache.get(key);
  if (cached !== undefined) return cached;
  const rec = classRecord(klass);
  let pools: SpellPools;
  if (klass === 'paladin' || klass === 'ranger') {
    // PHB Chapter 3: the paladin's and the ranger's own spheres, every level of them
    const allowed = new Set<string>(spellProgressionTable[klass].spheres);
    const pool = npcSpellsTable.priest[level - 1]!.filter((s) => allowed.has(s.sphere)).map(
      (s) => ({
        name: s.name,
        level,
        school: s.sphere,
      }),
    );
    pools = { pool, specialist: [] };
  } else if (rec.group === 'wizard' || klass === 'bard') {
    const opposed = new Set<string>(rec.opposition_schools ?? []);
    const pool = npcSpellsTable.wizard[level - 1]!.filter((s) => !opposed.has(s.school)).map(
      (s) => ({ name: s.name, level, school: s.school }),
    );
    if (pool.length === 0) throw new Error(`no ${klass} spells of level ${level} in npc-spells`);
    const school = rec.specialist_school;
    const specialist =
      school === undefined
        ? []
        : pool.filter(
            (s) =>
              s.school === school ||
              (school === 'greater divination' && s.school === 'lesser divination'),
          );
    pools = { pool, specialist };
  } else {
    const access = npcSpellsTable.spheres[klass]!;
    const allowed = new Set<string>([...access.major, ...(level <= 3 ? access.minor : [])]);
    const pool = npcSpellsTable.priest[level - 1]!.filter((s) => allowed.has(s.sphere)).map(
      (s) => ({
        name: s.name,
        level,
        school: s.sphere,
      }),
    );
    pools = { pool, specialist: [] };
  }
  poolCache.set(key, pools);
  return pools;
}

/**
 * Memorise spells for the day: for each spell level, distinct spells from the list the
 * class may use (wizards: no opposition school; priests: major spheres, minor spheres up
 * to 3rd level), repeats only when the list runs out. A specialist's extra slot takes a
 * spell of the specialist's school when the list has one.
 */
export function memoriseSpells(
  klass: ClassKey,
  slots: readonly number[],
  rng: Rng,
  log: RollStep[],
): NpcSpell[] {
  const out: NpcSpell[] = [];
  slots.forEach((count, i) => {
    if (count <= 0) return;
    const level = i + 1;
    const { pool, specialist } = spellPools(klass, level);
    if (pool.length === 0) throw new Error(`no ${klass} spells of level ${level} in npc-spells`);
    const rolls: number[] = [];
    const chosen: NpcSpell[] = [];
    let fresh = pool.slice();
    const take = (from: readonly NpcSpell[]) => {
      const k = rng.int(1, from.length);
      rolls.push(k);
      const spell = from[k - 1]!;
      chosen.push(spell);
      const at = fresh.indexOf(spell);
      if (at >= 0) fresh.splice(at, 1);
      if (fresh.length === 0) fresh = pool.slice();
    };
    let left = count;
    if (specialist.length > 0) {
      take(specialist);
      left--;
    }
    for (; left > 0; left--) take(fresh);
    log.push({
      step: `spells, level ${level}`,
      table: 'npc-spells',
      source: npcSpellsTable.source,
      rolls,
      result: chosen.map((s) => s.name).join(', '),
      note:
        `${pool.length} spells allowed; each roll numbers a spell not yet chosen` +
        (specialist.length > 0
          ? `; the first from the specialist school's ${specialist.length}`
          : ''),
    });
    out.push(...chosen);
  });
  return out;
}
