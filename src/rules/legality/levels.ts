/**
 * Levels and experience: the character's level, each class's level and the race's limit,
 * a multi-class character's experience split, a dual-class character's order of classes.
 */
import { experienceTable } from '../../data/experience.ts';
import { racesTable } from '../../data/races.ts';
import { classRecord, resolveClass } from '../classes.ts';
import { DUAL_CLASS, MULTICLASS_SOURCE } from '../multiclass.ts';
import type { SheetClass } from '../npc.ts';
import {
  type LegalityFinding,
  type LevelledSheet,
  type SheetIdentity,
  an,
  attempt,
  error,
} from './sheet.ts';

const inRange = (level: number) => Number.isInteger(level) && level >= 1 && level <= 20;

/** The level is a whole number 1-20 (PHB Chapter 3); the checks after it need one. */
export function levelWithinRange({ sheet }: SheetIdentity): LegalityFinding[] {
  if (inRange(sheet.level)) return [];
  return [error('level', `level ${sheet.level} is outside 1-20`, 'PHB Chapter 3')];
}

/** A multi- or dual-class sheet lists each class's level; a single class has the one level. */
const listsClassLevels = ({ sheet, classes }: SheetIdentity) =>
  sheet.classes !== undefined && classes.length > 1;

/**
 * Each class with its level: the sheet's list, which must name the classes in order at
 * levels 1-20, or the one level for every class. A finding when the list is wrong: the
 * checks after it need the levels.
 */
export function resolveClassLevels(s: SheetIdentity): SheetClass[] | LegalityFinding {
  if (!listsClassLevels(s)) return s.classes.map((c) => ({ class: c, level: s.sheet.level }));
  const listed = s.sheet.classes!;
  const named = listed.map((c) => attempt(() => resolveClass(c.class)));
  const same =
    named.length === s.classes.length &&
    named.every((c, i) => !(c instanceof Error) && c === s.classes[i]);
  if (!same) {
    return error('classes', `the classes listed do not match ${s.name}`, MULTICLASS_SOURCE);
  }
  const entries = listed.map((c, i) => ({ ...c, class: s.classes[i]! }));
  if (entries.some((e) => !inRange(e.level))) {
    return error('classes', 'a class level is outside 1-20', 'PHB Chapter 3');
  }
  return entries;
}

/** A multi- or dual-class character's level is its highest class level. */
export function levelIsHighestClassLevel(s: LevelledSheet): LegalityFinding[] {
  if (!listsClassLevels(s)) return [];
  const top = Math.max(...s.entries.map((e) => e.level));
  if (s.sheet.level === top) return [];
  return [
    error(
      'level',
      `level ${s.sheet.level} should be the highest class level, ${top}`,
      MULTICLASS_SOURCE,
    ),
  ];
}

/** No class above the race's limit (DMG Chapter 2, Racial Class and Level Limits). */
export function withinRacialLevelLimits({ race, entries }: LevelledSheet): LegalityFinding[] {
  if (race === undefined) return [];
  const limits = racesTable.races[race].level_limits;
  return entries.flatMap((e) => {
    const limit = limits[e.class];
    if (limit === undefined || limit === null || e.level <= limit) return [];
    return [
      error(
        'level',
        `${an(race)} ${e.class} cannot rise above level ${limit}, not ${e.level}`,
        'DMG Chapter 2, Racial Class and Level Limits',
      ),
    ];
  });
}

/**
 * A multi-class character's experience is split equally between its classes, and each
 * share gives that class's level (held at the race's limit).
 */
export function multiclassExperienceSplit(s: LevelledSheet): LegalityFinding[] {
  const { race, entries } = s;
  if (!s.multi || s.sheet.classes === undefined || race === undefined) return [];
  const xps = entries.map((e) => e.xp);
  if (!xps.every((x) => x !== undefined)) return [];
  if (new Set(xps).size > 1) {
    return [
      error(
        'classes',
        `a multi-class character's experience is split equally, not ${xps.join('/')}`,
        MULTICLASS_SOURCE,
      ),
    ];
  }
  const share = xps[0]!;
  return entries.flatMap((e) => {
    const table = experienceTable.tables[classRecord(e.class).xp_table];
    let l = 1;
    while (l < 20 && table.xp[l]! <= share) l++;
    const limit = racesTable.races[race].level_limits[e.class];
    if (limit !== undefined && limit !== null) l = Math.min(l, limit);
    if (l === e.level) return [];
    return [
      error(
        'classes',
        `${share} XP makes ${an(race)} ${e.class} level ${l}, not ${e.level}`,
        `${table.source}; ${MULTICLASS_SOURCE}`,
      ),
    ];
  });
}

/** A dual-class sheet lists its old class first, then the new; the checks after it need both. */
export function dualClassOrder({ dual, entries, classes, name }: LevelledSheet): LegalityFinding[] {
  if (!dual) return [];
  const old = entries.find((e) => e.dual === 'old');
  const next = entries.find((e) => e.dual === 'new');
  if (old?.class === classes[0] && next?.class === classes[1]) return [];
  return [
    error(
      'classes',
      `a dual-class ${name} lists its old class first, then the new`,
      DUAL_CLASS.source,
    ),
  ];
}
