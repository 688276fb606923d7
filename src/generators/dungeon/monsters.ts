/** Monster helpers: Hit Dice strings, hit points, selection by dungeon level and theme. */
import { monstersData, type MonsterData } from '../../data/monsters.ts';
import type { RandomTable } from '../tables.ts';

export {
  effectiveHitDice,
  parseHitDice,
  rollHitPoints,
  thac0HitDice,
  type HitDice,
} from '../../rules/monsters.ts';

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
