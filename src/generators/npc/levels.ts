/** The NPC's level, and a multi- or dual-class NPC's level and experience in each class. */
import { experienceTable } from '../../data/experience.ts';
import { racesTable } from '../../data/races.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import { type ClassKey, classRecord } from '../../rules/classes.ts';
import { DUAL_CLASS, MULTICLASS_SOURCE } from '../../rules/multiclass.ts';
import { activeClasses } from '../../rules/npc.ts';
import type { Body } from './body.ts';
import { type ResolvedOptions, topLimit } from './options.ts';
import type { Rolls } from './rolls.ts';
import type { NpcClassLevel } from './types.ts';

/** Highest level rolled when the DM gives none (within the race's limit). */
export const DEFAULT_MAX_LEVEL = 10;

export interface Levels {
  /** the multi- or dual-class sheet's classes (undefined for a single class) */
  entries: NpcClassLevel[] | undefined;
  sheetClasses: NpcClassLevel[];
  /** the classes whose abilities are usable */
  active: NpcClassLevel[];
  topLevel: number;
}

/** The level (the best class's), and for multi- and dual-class characters each class's. */
export function rollLevels(o: ResolvedOptions, b: Body, r: Rolls): Levels {
  const { classes, race, klass, dual } = b;
  const limit = topLimit(classes, race) ?? null;
  let level = o.level;
  if (level === undefined) {
    const top = Math.min(DEFAULT_MAX_LEVEL, limit ?? DEFAULT_MAX_LEVEL);
    level = r.rng.int(1, top);
    r.log.push({
      step: 'level',
      source: 'DMG Chapter 2, Racial Class and Level Limits',
      dice: `d${top}`,
      rolls: [level],
      result: level,
      note: `1-${top}${limit !== null && limit < DEFAULT_MAX_LEVEL ? ` (the ${race} ${klass} limit is ${limit})` : ''}${dual ? ' (the new class)' : ''}`,
    });
  }
  const entries = b.multi
    ? multiclassLevels(classes, race, level, r)
    : dual
      ? dualClassLevels(classes, level, r)
      : undefined;
  const sheetClasses: NpcClassLevel[] = entries ?? [{ class: classes[0]!, level, xp: 0 }];
  return {
    entries,
    sheetClasses,
    active: activeClasses(sheetClasses),
    topLevel: Math.max(...sheetClasses.map((e) => e.level)),
  };
}

/** An equal share of experience that puts the best class at `level`, rolled within its band. */
function multiclassLevels(
  classes: readonly ClassKey[],
  race: RaceKey,
  level: number,
  r: Rolls,
): NpcClassLevel[] {
  const raceRec = racesTable.races[race];
  const can = (l: number) =>
    classes.filter((c) => {
      const lim = raceRec.level_limits[c];
      return lim === null || (lim !== undefined && lim >= l);
    });
  const lo = level === 1 ? 0 : Math.min(...can(level).map((c) => xpAt(c, level)));
  const higher = level < 20 ? can(level + 1) : [];
  const hi = higher.length === 0 ? lo : Math.min(...higher.map((c) => xpAt(c, level + 1))) - 1;
  const share = r.rng.int(lo, Math.max(lo, hi));
  const levels = levelsForShare(classes, race, share);
  const entries = classes.map((c, i) => ({ class: c, level: levels[i]!, xp: share }));
  r.log.push({
    step: 'experience',
    source: `${MULTICLASS_SOURCE}; PHB Tables 14, 20, 23 and 25`,
    dice: `${lo}-${Math.max(lo, hi)}`,
    rolls: [share],
    result: entries.map((e) => `${e.class} ${e.level}`).join(', '),
    note: `${share} XP to each class (${share * classes.length} in all), split equally; the best class at level ${level}${classes.some((c, i) => levels[i]! < levelsForShare([c], 'human', share)[0]!) ? '; held at the racial limit' : ''}`,
  });
  return entries;
}

/** A dual-class human: the old class's level rolled, the new class at `level`. */
function dualClassLevels(classes: readonly ClassKey[], level: number, r: Rolls): NpcClassLevel[] {
  const oldTop = 9;
  const oldLevel = r.rng.int(2, oldTop);
  const [oldClass, newClass] = classes as [ClassKey, ClassKey];
  r.log.push({
    step: 'dual class',
    source: DUAL_CLASS.source,
    dice: `2-${oldTop}`,
    rolls: [oldLevel],
    result: `${oldClass} ${oldLevel}, then ${newClass} ${level}`,
    note:
      level > oldLevel
        ? `the ${newClass} level exceeds the ${oldClass} level: both classes' abilities are usable`
        : `the ${oldClass} abilities are held back until ${newClass} level ${oldLevel + 1}`,
  });
  return [
    { class: oldClass, level: oldLevel, xp: xpAt(oldClass, oldLevel), dual: 'old' },
    { class: newClass, level, xp: xpAt(newClass, level), dual: 'new' },
  ];
}

/** XP of a class at a level (PHB Tables 14, 20, 23, 25). */
function xpAt(klass: ClassKey, level: number): number {
  return experienceTable.tables[classRecord(klass).xp_table].xp[level - 1]!;
}

/** A multi-class character's levels from an equal share of experience, within the race's limits. */
function levelsForShare(classes: readonly ClassKey[], race: RaceKey, share: number): number[] {
  return classes.map((c) => {
    const xp = experienceTable.tables[classRecord(c).xp_table].xp;
    let level = 1;
    while (level < 20 && xp[level]! <= share) level++;
    const limit = racesTable.races[race].level_limits[c];
    return limit === undefined || limit === null ? level : Math.min(level, limit);
  });
}
