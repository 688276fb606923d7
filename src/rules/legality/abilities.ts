/**
 * Ability scores: within the race's range, at every class's minimums, a dual-class
 * character's prime requisites, exceptional strength.
 */
import { racesTable } from '../../data/races.ts';
import { ABILITIES, ABILITY_TITLES, type Ability } from '../abilities.ts';
import { classRecord, isWarrior } from '../classes.ts';
import { DUAL_CLASS } from '../multiclass.ts';
import { type LegalityFinding, type ResolvedSheet, an, error } from './sheet.ts';

/** One score within the race's range (PHB Table 7), or 3-18 without a race (PHB Chapter 1). */
export function abilityWithinRaceRange(s: ResolvedSheet, k: Ability): LegalityFinding[] {
  const score = s.sheet.abilities![k];
  const title = ABILITY_TITLES[k];
  if (s.race === undefined) {
    if (score < 3 || score > 18)
      return [error(`abilities.${k}`, `${title} ${score} is outside 3-18`, 'PHB Chapter 1')];
    return [];
  }
  const { minimums, maximums } = racesTable.races[s.race];
  if (score < minimums[k] || score > maximums[k]) {
    return [
      error(
        `abilities.${k}`,
        `${title} ${score} is outside the ${s.race}'s ${minimums[k]}-${maximums[k]}`,
        'PHB Table 7 (Racial Ability Requirements)',
      ),
    ];
  }
  return [];
}

/** One score at every class's minimum for it (each class's requirements, PHB Chapter 3). */
export function abilityMeetsClassMinimums(s: ResolvedSheet, k: Ability): LegalityFinding[] {
  const score = s.sheet.abilities![k];
  return s.classes.flatMap((klass) => {
    const rec = classRecord(klass);
    const min = (rec.minimums as Partial<Record<Ability, number>>)[k];
    if (min !== undefined && score < min) {
      return [
        error(
          `abilities.${k}`,
          `${an(klass)} needs ${ABILITY_TITLES[k]} ${min}, not ${score}`,
          rec.source,
        ),
      ];
    }
    return [];
  });
}

/** Every score against the race and the classes, ability by ability. */
export function abilityScores(s: ResolvedSheet): LegalityFinding[] {
  if (s.sheet.abilities === undefined) return [];
  return ABILITIES.flatMap((k) => [
    ...abilityWithinRaceRange(s, k),
    ...abilityMeetsClassMinimums(s, k),
  ]);
}

/** A dual-class character's prime requisites: 15 in the old class's, 17 in the new's. */
export function dualClassPrimeRequisites(s: ResolvedSheet): LegalityFinding[] {
  const ab = s.sheet.abilities;
  if (!s.dual || ab === undefined) return [];
  return s.classes.flatMap((klass, i) => {
    const need = i === 0 ? DUAL_CLASS.old_class_minimum : DUAL_CLASS.new_class_minimum;
    return (classRecord(klass).prime_requisites as Ability[])
      .filter((k) => ab[k] < need)
      .map((k) =>
        error(
          `abilities.${k}`,
          `a dual-class character needs ${ABILITY_TITLES[k]} ${need} for the ${i === 0 ? 'old' : 'new'} class ${klass}, not ${ab[k]}`,
          DUAL_CLASS.source,
        ),
      );
  });
}

/**
 * Exceptional strength only for a warrior with Strength 18, and a warning when such a
 * warrior has none (PHB Table 1).
 */
export function exceptionalStrength(s: ResolvedSheet): LegalityFinding[] {
  const ab = s.sheet.abilities;
  if (ab === undefined) return [];
  const warrior = s.classes.some((c) => isWarrior(c));
  if (ab.str_exceptional !== undefined) {
    if (warrior && ab.str === 18) return [];
    return [
      error(
        'abilities.str_exceptional',
        `exceptional strength is for warriors with Strength 18 only (${an(s.name)} with Strength ${ab.str})`,
        'PHB Table 1',
      ),
    ];
  }
  if (!warrior || ab.str !== 18) return [];
  return [
    {
      severity: 'warning',
      field: 'abilities.str_exceptional',
      message: 'a warrior with Strength 18 rolls percentile dice for exceptional strength',
      source: 'PHB Table 1',
    },
  ];
}
