/**
 * Experience levels (PHB Tables 14, 20, 23, 25). The printed tables run to level 20; past
 * it each class gains a level per its last printed increment (fighter 250,000, …), as the
 * PHB's "per additional level" lines state.
 */
import { UsageError } from '../core/errors.ts';
import { classesTable } from '../data/classes.ts';
import { experienceTable } from '../data/experience.ts';
import { type ClassKey, resolveClass } from './classes.ts';
import { derivation, type Derivation } from './derivation.ts';
import { checkLevel } from './names.ts';

export const MAX_XP_LEVEL = 100;

function column(klass: ClassKey) {
  const name = classesTable.classes[klass].xp_table;
  return { name, ...experienceTable.tables[name] };
}

function xpAt(xp: readonly number[], level: number): number {
  if (level <= xp.length) return xp[level - 1]!;
  const step = xp[xp.length - 1]! - xp[xp.length - 2]!;
  return xp[xp.length - 1]! + (level - xp.length) * step;
}

export interface XpForLevelResult {
  class: ClassKey;
  level: number;
  xp: number;
  derivation: Derivation;
}

/** Total XP needed to reach `level` (1..100). */
export function xpForLevel(className: string, level: number): XpForLevelResult {
  const klass = resolveClass(className);
  checkLevel(level, 1, MAX_XP_LEVEL, 'the experience tables');
  const col = column(klass);
  const notes =
    level > col.xp.length ? ['past level 20: the last printed increment per level'] : [];
  return {
    class: klass,
    level,
    xp: xpAt(col.xp, level),
    derivation: derivation(
      [{ table: 'experience', source: col.source, row: `${col.name}, level ${level}` }],
      [],
      notes,
    ),
  };
}

export interface LevelForXpResult {
  class: ClassKey;
  xp: number;
  level: number;
  /** XP still needed for the next level (null at the top level we compute) */
  xp_to_next: number | null;
  /** total XP of the next level */
  next_level_xp: number | null;
  derivation: Derivation;
}

/** The level a character of `class` has with `xp` experience points. */
export function levelForXp(className: string, xp: number): LevelForXpResult {
  const klass = resolveClass(className);
  if (!Number.isSafeInteger(xp) || xp < 0)
    throw new UsageError(`experience ${xp} must be a whole number ≥ 0`);
  const col = column(klass);
  let level = 1;
  while (level < MAX_XP_LEVEL && xpAt(col.xp, level + 1) <= xp) level++;
  const next = level < MAX_XP_LEVEL ? xpAt(col.xp, level + 1) : null;
  return {
    class: klass,
    xp,
    level,
    xp_to_next: next === null ? null : next - xp,
    next_level_xp: next,
    derivation: derivation([
      { table: 'experience', source: col.source, row: `${col.name}, level ${level}` },
    ]),
  };
}
