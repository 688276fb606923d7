/**
 * Monster helpers over the catalogue (rules-data/monsters.yaml): Hit Dice strings, hit
 * points, the key's view of a creature (specials with their mechanics, morale, MR, book
 * reference), selection by dungeon level, habitat and XP.
 */
import { UsageError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import { didYouMean } from '../../core/suggest.ts';
import { dungeonData } from '../../data/dungeon.ts';
import { monstersData, type MonsterData } from '../../data/monsters.ts';
import type { MonsterGroup } from './types.ts';

export interface HitDice {
  /** whole dice (0 for "1/2", other fractions and hit-point creatures) */
  dice: number;
  /** hit points added (negative for "1-1") */
  bonus: number;
  /** true for fractional Hit Dice such as "1/2" */
  fraction: boolean;
  /** fixed or ranged hit points ("2 hp", "1-4 hp") */
  hp?: [number, number];
}

export function parseHitDice(hd: string): HitDice {
  const hp = /^(\d+)(?:-(\d+))? hp$/.exec(hd);
  if (hp) {
    const lo = Number(hp[1]);
    return { dice: 0, bonus: 0, fraction: true, hp: [lo, hp[2] === undefined ? lo : Number(hp[2])] };
  }
  if (hd.includes('/')) return { dice: 0, bonus: 0, fraction: true };
  const m = /^(\d+)([+-]\d+)?$/.exec(hd);
  if (!m) throw new RangeError(`hit dice "${hd}" are not of the form N, N+M or N-M`);
  return { dice: Number(m[1]), bonus: m[2] === undefined ? 0 : Number(m[2]), fraction: false };
}

/**
 * The Hit Dice used to read creature THAC0 (DMG Table 39): 3 or more added hit points
 * count as another die; "N-M" counts as one die less.
 */
export function thac0HitDice(hd: string): number {
  const { dice, bonus, fraction } = parseHitDice(hd);
  if (fraction) return 0;
  if (bonus < 0) return dice - 1;
  return dice + (bonus >= 3 ? 1 : 0);
}

/** Hit Dice as a number: "1/2" is 0.5, "4+4" is 5 (like THAC0). */
export function effectiveHitDice(hd: string): number {
  const { fraction } = parseHitDice(hd);
  return fraction ? 0.5 : Math.max(thac0HitDice(hd), 1);
}

/** Roll hit points: d8 per die plus the bonus, at least 1; a fractional die is 1d4. */
export function rollHitPoints(hd: string, rng: Rng, fixed?: number): number {
  if (fixed !== undefined) return fixed;
  const { dice, bonus, fraction, hp } = parseHitDice(hd);
  if (hp) return rng.int(hp[0], hp[1]);
  if (fraction) return rng.die(4);
  let total = bonus;
  for (let i = 0; i < dice; i++) total += rng.die(8);
  return Math.max(1, total);
}

const BY_NAME = new Map<string, MonsterData>();
for (const m of monstersData.monsters) {
  BY_NAME.set(m.name, m);
  for (const a of m.aliases ?? []) BY_NAME.set(a.toLowerCase(), m);
}

export function findMonster(name: string): MonsterData | undefined {
  return BY_NAME.get(name.trim().toLowerCase());
}

/** A catalogue monster by name or alias; UsageError with a "did you mean" otherwise. */
export function requireMonster(name: string): MonsterData {
  const m = findMonster(name);
  if (m) return m;
  throw new UsageError(
    `unknown monster "${name}"${didYouMean(name.trim().toLowerCase(), [...BY_NAME.keys()])}`,
  );
}

/** Monsters stocked on a dungeon level. */
export function monstersForLevel(level: number): MonsterData[] {
  return monstersData.monsters.filter((m) => m.level[0] <= level && level <= m.level[1]);
}

/** MM morale names (Monstrous Manual introduction, Morale). */
const MORALE_NAMES: [number, string][] = [
  [19, 'fearless'],
  [17, 'fanatic'],
  [15, 'champion'],
  [13, 'elite'],
  [11, 'steady'],
  [8, 'average'],
  [5, 'unsteady'],
  [2, 'unreliable'],
];

/** "13-14" → "elite (13-14)"; "special" stays. */
export function moraleText(morale: string): string {
  const low = Number.parseInt(morale, 10);
  if (Number.isNaN(low)) return morale;
  const name = MORALE_NAMES.find(([n]) => low >= n)?.[1] ?? 'unreliable';
  return `${name} (${morale})`;
}

type Special = MonsterData['special_attacks'][number];

/** "poison: …text… (save vs. poison at -2)" */
export function specialText(s: Special): string {
  const save =
    s.save === undefined
      ? ''
      : ` (save vs. ${s.save}${s.save_modifier ? ` at ${s.save_modifier > 0 ? '+' : ''}${s.save_modifier}` : ''})`;
  return `${s.name}: ${s.text}${save}`;
}

/** "MM p. 349: Troll" → "MM p. 349" (the entry name is the monster's). */
export function bookReference(m: MonsterData): string {
  return m.source;
}

/** The key's view of `count` creatures of a catalogue entry, hit points rolled. */
export function monsterGroup(
  m: MonsterData,
  count: number,
  rng: Rng,
  role?: { role: string; hd?: string; hp?: number | string; ac?: number; thac0?: number; note?: string; damage_bonus?: number },
): MonsterGroup {
  const hd = role?.hd ?? m.hd;
  const hp: number[] = [];
  for (let i = 0; i < count; i++) {
    if (typeof role?.hp === 'number') hp.push(role.hp);
    else if (typeof role?.hp === 'string') {
      const [lo, hi] = role.hp.split('-').map(Number) as [number, number];
      hp.push(rng.int(lo, hi));
    } else hp.push(rollHitPoints(hd, rng, m.hp));
  }
  const xp = role?.hd !== undefined && role.hd !== m.hd ? xpForRole(m, role.hd) : m.xp;
  const damage = m.damage.map((d) =>
    role?.damage_bonus ? `${d} +${role.damage_bonus}` : d,
  );
  const specials = m.special_attacks.map(specialText);
  if (role?.note) specials.unshift(role.note);
  return {
    name: m.name,
    count,
    ...(role ? { role: role.role } : {}),
    hd,
    ac: role?.ac ?? m.ac,
    thac0: role?.thac0 ?? m.thac0,
    movement: m.movement,
    attacks: m.attacks,
    damage,
    special_attacks: specials,
    special_defences: m.special_defenses.map(specialText),
    magic_resistance: m.magic_resistance === 0 ? 'nil' : `${m.magic_resistance}%`,
    morale: moraleText(m.morale),
    size: m.size,
    hp,
    xp_each: xp,
    xp_total: xp * count,
    treasure_types: [...m.treasure.individual, ...m.treasure.lair],
    source: bookReference(m),
  };
}

/**
 * XP of a leader with more Hit Dice than the rank and file: the rank and file's XP scaled
 * by the base XP of the two Hit Dice on DMG Table 31 (so a 3 HD orc leader is worth what
 * an orc's specials add to a 3 HD creature).
 */
function xpForRole(m: MonsterData, hd: string): number {
  const base = (h: string): number => {
    const n = Math.max(1, Math.round(effectiveHitDice(h)));
    const table = dungeonData.encounters.xp_by_hit_dice;
    return table[Math.min(n, table.length) - 1]!;
  };
  return Math.max(m.xp, Math.round((m.xp * base(hd)) / base(m.hd)));
}

