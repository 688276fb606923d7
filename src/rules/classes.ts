/**
 * Classes and class groups (rules-data/classes.yaml): name resolution, the class → group
 * map every level-based lookup needs, and the class records themselves.
 */
import { classesTable } from '../data/classes.ts';
import type { ClassesData } from '../data/schemas/classes.ts';
import type { ClassKey, GroupKey } from '../data/schemas/common.ts';
import { createResolver } from './names.ts';

export type { ClassKey, GroupKey };
export type ClassRecord = ClassesData['classes'][ClassKey];
export type GroupRecord = ClassesData['groups'][GroupKey];

export const GROUPS: readonly GroupKey[] = ['warrior', 'priest', 'rogue', 'wizard'];
export const CLASSES = Object.keys(classesTable.classes) as ClassKey[];

/** Common names players type for a class. */
const CLASS_ALIASES: Record<string, ClassKey> = {
  'magic-user': 'mage',
  // every wizard shares the mage's tables that take a class (XP, spells, saves)
  wizard: 'mage',
};
/** Only the aliases that do not collide with a group name. */
const PLAIN_CLASS_ALIASES: Record<string, ClassKey> = { 'magic-user': 'mage' };

/** A class name (case-insensitive) → its key, or UsageError with did-you-mean. */
export const resolveClass = createResolver('class', CLASSES, CLASS_ALIASES);

export interface ClassOrGroup {
  /** the class, when a class name was given */
  class?: ClassKey;
  group: GroupKey;
}

const resolveAny = createResolver<ClassKey | GroupKey>(
  'class or group',
  [...CLASSES, ...GROUPS],
  PLAIN_CLASS_ALIASES,
);
/** Resolved answers, one object per name (no allocation per lookup). */
const CLASS_OR_GROUP = new Map<string, ClassOrGroup>([
  ...GROUPS.map((g): [string, ClassOrGroup] => [g, Object.freeze({ group: g })]),
  ...CLASSES.map((c): [string, ClassOrGroup] => [
    c,
    Object.freeze({ class: c, group: classesTable.classes[c].group }),
  ]),
]);

/** A class or group name (case-insensitive): "fighter", "Priest", "magic-user". */
export function resolveClassOrGroup(name: string): ClassOrGroup {
  return CLASS_OR_GROUP.get(resolveAny(name))!;
}

export function classRecord(key: ClassKey): ClassRecord {
  return classesTable.classes[key];
}

export function groupOf(key: ClassKey): GroupKey {
  return classesTable.classes[key].group;
}

export function groupRecord(group: GroupKey): GroupRecord {
  return classesTable.groups[group];
}

export function classesInGroup(group: GroupKey): ClassKey[] {
  return CLASSES.filter((c) => classesTable.classes[c].group === group);
}

export function isWarrior(key: ClassKey): boolean {
  return groupOf(key) === 'warrior';
}

export interface ClassInfo extends ClassRecord {
  class: ClassKey;
  hit_die: number;
  name_level: number;
  hp_per_level_after: number;
}

/** The full class record plus its group's hit dice (for `dma rules class <name>`). */
export function classInfo(name: string): ClassInfo {
  const key = resolveClass(name);
  const rec = classesTable.classes[key];
  const g = classesTable.groups[rec.group];
  return {
    class: key,
    ...rec,
    hit_die: g.hit_die,
    name_level: g.name_level,
    hp_per_level_after: g.hp_per_level_after,
  };
}
