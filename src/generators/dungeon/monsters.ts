/** Monster helpers: Hit Dice strings, hit points, selection by dungeon level and theme. */
import type { Rng } from '../../core/rng.ts';
import { monstersData, type MonsterData } from '../../data/monsters.ts';
import type { RandomTable } from '../tables.ts';

export interface HitDice {
  /** whole dice (0 for "1/2" and other fractions) */
  dice: number;
  /** hit points added (negative for "1-1") */
  bonus: number;
  /** true for fractional Hit Dice such as "1/2" */
  fraction: boolean;
}

export function parseHitDice(hd: string): HitDice {
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

/** Hit Dice as a number for difficulty sums: "1/2" is 0.5, "4+4" is 5 (like THAC0). */
export function effectiveHitDice(hd: string): number {
  const { fraction } = parseHitDice(hd);
  return fraction ? 0.5 : Math.max(thac0HitDice(hd), 1);
}

/** Roll hit points: d8 per die plus the bonus, at least 1; a fractional die is 1d4. */
export function rollHitPoints(hd: string, rng: Rng): number {
  const { dice, bonus, fraction } = parseHitDice(hd);
  if (fraction) return rng.die(4);
  let hp = bonus;
  for (let i = 0; i < dice; i++) hp += rng.die(8);
  return Math.max(1, hp);
}

export function findMonster(name: string): MonsterData | undefined {
  return monstersData.monsters.find((m) => m.name === name);
}

/** Monsters stocked on a dungeon level. */
export function monstersForLevel(level: number): MonsterData[] {
  return monstersData.monsters.filter((m) => m.level[0] <= level && level <= m.level[1]);
}

/**
 * A weighted table of the monsters of a dungeon level: weight by Monstrous Manual
 * frequency, times 3 for a monster with one of the theme's tags.
 */
export function monsterTable(level: number, themeTags: readonly string[]): RandomTable {
  const weights = monstersData.frequency_weights;
  return {
    source: `${monstersData.source}; ${weights.source}`,
    dice: 'weight',
    entries: monstersForLevel(level).map((m) => ({
      weight: weights[m.frequency] * (m.tags.some((t) => themeTags.includes(t)) ? 3 : 1),
      result: m.name,
    })),
  };
}
