/**
 * Multi-class names ("fighter/mage", "fighter/mage/thief"): which races may take them
 * (rules-data/multiclass.yaml, PHB Chapters 2 and 3) and how a multi-class character's
 * numbers combine — the best THAC0 and saves, experience split evenly.
 */
import { UsageError } from '../core/errors.ts';
import { multiclassTable } from '../data/multiclass.ts';
import type { RaceKey } from '../data/schemas/common.ts';
import { type ClassKey, resolveClass } from './classes.ts';

export interface ClassSet {
  /** the combination as written in the rules data: "fighter/mage" */
  name: string;
  classes: ClassKey[];
  /** the races that may take it (empty for a single class: see the class's own list) */
  races: RaceKey[];
}

const COMBOS = new Map<string, ClassSet>();
for (const [race, list] of Object.entries(multiclassTable.combinations) as [
  RaceKey,
  ClassKey[][],
][]) {
  for (const classes of list) {
    const key = [...classes].sort().join('/');
    const set = COMBOS.get(key) ?? { name: classes.join('/'), classes: [...classes], races: [] };
    set.races.push(race);
    COMBOS.set(key, set);
  }
}

/** Every multi-class combination the rules data knows, in its own spelling. */
export function multiclassCombinations(): readonly ClassSet[] {
  return [...COMBOS.values()];
}

export function isMulticlassName(name: string): boolean {
  return name.includes('/');
}

/**
 * "Fighter/Mage", "mage/fighter", "fighter/magic-user" → the combination as the rules data
 * spells it. UsageError (exit 3) for an unknown class, a repeated class, or a combination
 * no race may take, with the citation.
 */
export function resolveClassSet(name: string): ClassSet {
  const parts = name.split('/').map((p) => p.trim());
  if (parts.length < 2) {
    const klass = resolveClass(name);
    return { name: klass, classes: [klass], races: [] };
  }
  if (parts.length > 3) {
    throw new UsageError(
      `"${name}": a multi-class character has two or three classes (${multiclassTable.source})`,
    );
  }
  const classes = parts.map((p) => resolveClass(p));
  if (new Set(classes).size !== classes.length) {
    throw new UsageError(`"${name}" names a class twice`);
  }
  const set = COMBOS.get([...classes].sort().join('/'));
  if (set === undefined) {
    throw new UsageError(
      `no race may be ${classes.join('/')} (${multiclassTable.source}: the combinations are ${[
        ...COMBOS.values(),
      ]
        .map((c) => c.name)
        .join(', ')})`,
      { hint: 'a human may instead change class: dual-class (--dual)' },
    );
  }
  return set;
}

/** UsageError unless the race may take the combination (cited). */
export function checkMulticlassRace(set: ClassSet, race: RaceKey): void {
  if (set.classes.length < 2 || set.races.includes(race)) return;
  const allowed = multiclassTable.combinations[race] ?? [];
  throw new UsageError(
    `${race === 'elf' ? 'an' : 'a'} ${race} cannot be ${set.name} (${multiclassTable.source}: ${
      allowed.length === 0
        ? `${race}s may not multi-class${race === 'human' ? '; humans dual-class instead' : ''}`
        : `${race} combinations are ${allowed.map((c) => c.join('/')).join(', ')}`
    })`,
  );
}

/** The dual-class rules of the data (PHB Chapter 3). */
export const DUAL_CLASS = multiclassTable.dual;
export const MULTICLASS_SOURCE = multiclassTable.source;
