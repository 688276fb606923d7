/**
 * The options of an NPC checked against the rules before anything is rolled, and the
 * options recorded on it so it can be regenerated.
 */
import { UsageError } from '../../core/errors.ts';
import { racesTable } from '../../data/races.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import { type ClassKey, classRecord, resolveClass } from '../../rules/classes.ts';
import { DUAL_CLASS, checkMulticlassRace, resolveClassSet } from '../../rules/multiclass.ts';
import { ALIGNMENT_NAMES, type AlignmentCode, resolveAlignment } from '../../rules/npc.ts';
import { resolveRace } from '../../rules/races.ts';
import {
  ABILITY_METHODS,
  DEFAULT_METHOD,
  GENDERS,
  type AbilityMethod,
  type Gender,
  type NpcOptions,
} from './types.ts';

function an(word: string): string {
  return /^[aeiou]/i.test(word) ? `an ${word}` : `a ${word}`;
}

export interface ResolvedOptions {
  /** the classes asked for: one, a multi-class combination, or dual-class old then new */
  classes?: ClassKey[];
  /** the classes' name: "fighter", "fighter/mage" */
  className?: string;
  dual?: boolean;
  race?: RaceKey;
  alignment?: AlignmentCode;
  level?: number;
  gender?: Gender;
  name?: string;
  method: AbilityMethod;
}

/** UsageError unless the classes allow the alignment (every class must allow it). */
function checkAlignment(classes: readonly ClassKey[], alignment: AlignmentCode): void {
  for (const klass of classes) {
    const rec = classRecord(klass);
    if (!rec.alignments.includes(alignment)) {
      throw new UsageError(
        `${an(klass)} cannot be ${ALIGNMENT_NAMES[alignment]} (${rec.source}: allowed ${rec.alignments.map((a) => ALIGNMENT_NAMES[a as AlignmentCode]).join(', ')})`,
      );
    }
  }
}

/** The highest level the race allows any of the classes (null: unlimited). */
export function topLimit(classes: readonly ClassKey[], race: RaceKey): number | null | undefined {
  let top: number | null | undefined;
  for (const klass of classes) {
    const limit = racesTable.races[race].level_limits[klass];
    if (limit === undefined) return undefined;
    if (limit === null) top = null;
    else if (top !== null) top = Math.max(top ?? 0, limit);
  }
  return top;
}

/** The classes asked for: one, a multi-class combination, or a dual-class pair (old, new). */
function resolveClasses(klass: string | undefined, dual: boolean): ClassKey[] | undefined {
  if (klass === undefined) {
    if (dual)
      throw new UsageError('--dual needs --class old/new, e.g. --class fighter/mage --dual');
    return undefined;
  }
  if (!dual) return resolveClassSet(klass).classes;
  const parts = klass.split('/').map((p) => resolveClass(p.trim()));
  if (parts.length !== 2 || parts[0] === parts[1]) {
    throw new UsageError(
      `a dual-class character names two classes, the old then the new: --class fighter/mage --dual (${DUAL_CLASS.source})`,
    );
  }
  return parts;
}

function checkLevel(level: number | undefined): void {
  if (level !== undefined && (!Number.isInteger(level) || level < 1 || level > 20)) {
    throw new UsageError(`level ${String(level)} is outside 1-20 (PHB Chapter 3 class tables)`);
  }
}

function resolveGender(gender: string | undefined): Gender | undefined {
  if (gender === undefined) return undefined;
  const g = gender.trim().toLowerCase();
  if (!(GENDERS as readonly string[]).includes(g)) {
    throw new UsageError(`gender must be one of ${GENDERS.join(', ')}, got "${gender}"`);
  }
  return g as Gender;
}

function resolveMethod(method: AbilityMethod | undefined): AbilityMethod {
  const m = method ?? DEFAULT_METHOD;
  if (!ABILITY_METHODS.includes(m)) {
    throw new UsageError(`method must be one of ${ABILITY_METHODS.join(', ')}, got "${String(m)}"`);
  }
  return m;
}

function resolveName(name: string | undefined): string | undefined {
  if (name === undefined) return undefined;
  const trimmed = name.trim();
  if (trimmed.length === 0 || trimmed.length > 64) {
    throw new UsageError('name must be 1-64 characters');
  }
  return trimmed;
}

/**
 * UsageError unless the classes allow the rest: only humans dual-class, the race allowed
 * the combination and every class, every class the alignment, the level within the
 * race's limit.
 */
function checkClassesAllow(
  classes: readonly ClassKey[],
  o: { dual: boolean; race?: RaceKey; alignment?: AlignmentCode; level?: number },
): void {
  const { dual, race, alignment, level } = o;
  const className = classes.join('/');
  if (dual && race !== undefined && !DUAL_CLASS.races.includes(race)) {
    throw new UsageError(
      `only ${DUAL_CLASS.races.join(', ')}s may be dual-class, not ${an(race)} (${DUAL_CLASS.source})`,
    );
  }
  if (!dual && classes.length > 1 && race !== undefined) {
    checkMulticlassRace(resolveClassSet(className), race);
  }
  for (const klass of classes) {
    const rec = classRecord(klass);
    if (race !== undefined && !rec.races.includes(race)) {
      throw new UsageError(
        `${an(race)} cannot be ${an(klass)} (${racesTable.races[race].source}; ${rec.source}: ${an(klass)} may be ${rec.races.join(', ')})`,
      );
    }
  }
  if (alignment !== undefined) checkAlignment(classes, alignment);
  if (race !== undefined && level !== undefined && !dual) {
    const limit = topLimit(classes, race);
    if (limit !== undefined && limit !== null && level > limit) {
      throw new UsageError(
        `${an(race)} ${className} cannot rise above level ${limit}, asked for ${level} (DMG Chapter 2, Racial Class and Level Limits)`,
      );
    }
  }
}

/**
 * Check the options against the rules before anything is rolled. UsageError for an
 * unknown class, race or alignment (with did-you-mean), a level outside 1-20, a race the
 * class (or multi-class combination) does not allow, an alignment the class does not
 * allow, a level above the race's limit for the class, or options that together leave
 * no class and race.
 */
export function resolveNpcOptions(options: NpcOptions): ResolvedOptions {
  const dual = options.dual === true;
  const classes = resolveClasses(options.class, dual);
  const race = options.race === undefined ? undefined : resolveRace(options.race);
  const alignment =
    options.alignment === undefined ? undefined : resolveAlignment(options.alignment);
  const level = options.level;
  checkLevel(level);
  const gender = resolveGender(options.gender);
  const method = resolveMethod(options.method);
  const name = resolveName(options.name);
  if (classes !== undefined) {
    checkClassesAllow(classes, {
      dual,
      ...(race === undefined ? {} : { race }),
      ...(alignment === undefined ? {} : { alignment }),
      ...(level === undefined ? {} : { level }),
    });
  }
  return {
    ...(classes === undefined ? {} : { classes, className: classes.join('/') }),
    ...(dual ? { dual } : {}),
    ...(race === undefined ? {} : { race }),
    ...(alignment === undefined ? {} : { alignment }),
    ...(level === undefined ? {} : { level }),
    ...(gender === undefined ? {} : { gender }),
    ...(name === undefined ? {} : { name }),
    method,
  };
}

/** The options the caller gave (recorded so the NPC can be regenerated), method filled in. */
export function givenOptions(options: NpcOptions, method: AbilityMethod): NpcOptions {
  const given: NpcOptions = {};
  if (options.class !== undefined) given.class = options.class;
  if (options.dual === true) given.dual = true;
  if (options.nwp === true) given.nwp = true;
  if (options.level !== undefined) given.level = options.level;
  if (options.race !== undefined) given.race = options.race;
  if (options.alignment !== undefined) given.alignment = options.alignment;
  if (options.name !== undefined) given.name = options.name;
  if (options.gender !== undefined) given.gender = options.gender;
  given.method = method;
  return given;
}
