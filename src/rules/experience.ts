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
import { resolveClassSet } from './multiclass.ts';
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
  class: ClassKey | string;
  level: number;
  xp: number;
  /** multi-class: the total XP at which each class reaches the level (XP is split evenly) */
  classes?: { class: ClassKey; level: number; xp: number }[];
  derivation: Derivation;
}

const SPLIT_NOTE =
  'multi-class: experience is divided equally between the classes (PHB Chapter 3, Multi-Class Benefits and Restrictions)';

/** Total XP needed to reach `level` (1..100); for a multi-class name, every class. */
export function xpForLevel(className: string, level: number): XpForLevelResult {
  if (className.includes('/')) {
    const set = resolveClassSet(className);
    const n = set.classes.length;
    const per = set.classes.map((c) => {
      const r = xpForLevel(c, level);
      return { class: c, level, xp: r.xp * n, uses: r.derivation.uses };
    });
    return {
      class: set.name,
      level,
      xp: Math.max(...per.map((p) => p.xp)),
      classes: per.map(({ uses: _u, ...p }) => p),
      derivation: derivation(
        per.flatMap((p) => p.uses),
        [],
        [
          SPLIT_NOTE,
          `the total is ${n} × each class's own figure; the largest brings every class to level ${level}`,
        ],
      ),
    };
  }
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
  class: ClassKey | string;
  xp: number;
  level: number;
  /** XP still needed for the next level (null at the top level we compute) */
  xp_to_next: number | null;
  /** total XP of the next level */
  next_level_xp: number | null;
  /** multi-class: each class's share of the XP and its level */
  classes?: {
    class: ClassKey;
    xp: number;
    level: number;
    xp_to_next: number | null;
    next_level_xp: number | null;
  }[];
  derivation: Derivation;
}

/**
 * The level a character of `class` has with `xp` experience points; for a multi-class
 * name, each class's level from an equal share (fractions dropped). The top-level
 * `level` is then the highest, and `xp_to_next` the total XP until any class rises.
 */
export function levelForXp(className: string, xp: number): LevelForXpResult {
  if (className.includes('/')) {
    const set = resolveClassSet(className);
    if (!Number.isSafeInteger(xp) || xp < 0)
      throw new UsageError(`experience ${xp} must be a whole number ≥ 0`);
    const n = set.classes.length;
    const share = Math.floor(xp / n);
    const per = set.classes.map((c) => {
      const r = levelForXp(c, share);
      return { ...r, class: c };
    });
    const nexts = per
      .map((p) => (p.next_level_xp === null ? null : p.next_level_xp * n))
      .filter((x): x is number => x !== null);
    const next = nexts.length === 0 ? null : Math.min(...nexts);
    return {
      class: set.name,
      xp,
      level: Math.max(...per.map((p) => p.level)),
      xp_to_next: next === null ? null : next - xp,
      next_level_xp: next,
      classes: per.map((p) => ({
        class: p.class,
        xp: share,
        level: p.level,
        xp_to_next: p.xp_to_next,
        next_level_xp: p.next_level_xp,
      })),
      derivation: derivation(
        per.flatMap((p) => p.derivation.uses),
        [],
        [`${SPLIT_NOTE}: ${share} each`],
      ),
    };
  }
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
