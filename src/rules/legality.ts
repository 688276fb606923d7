/**
 * `checkNpcLegality`: a character sheet audited against the rules engine (used by the NPC
 * generator's property tests and by `dma audit`).
 *
 * The checks, one rule each, live under legality/ by what they read:
 * - identity.ts — class, race and alignment, and each allowed with the others;
 * - levels.ts — level 1-20, each class's level and the race's limit, experience;
 * - abilities.ts — scores within the race's range and the classes' minimums;
 * - combat.ts — hit points, THAC0, saving throws;
 * - equipment.ts — armour and shield allowed, the armour class they give;
 * - class-features.ts — spells within the slots, thieving skills.
 * This file runs them in order. Four steps between the lists stop the audit where the
 * later checks could not read the sheet: classes unknown, level outside 1-20, a class list
 * that does not match, a dual-class list out of order.
 */
import { activeClasses } from './npc.ts';
import {
  abilityScores,
  dualClassPrimeRequisites,
  exceptionalStrength,
} from './legality/abilities.ts';
import { spellsWithinSlots, thiefSkillsAllowed } from './legality/class-features.ts';
import { hitPointsWithinDice, savesMatchTable, thac0MatchesTable } from './legality/combat.ts';
import { armourAllowed, armourClassMatches, shieldAllowed } from './legality/equipment.ts';
import {
  alignmentAllowed,
  dualClassIsHuman,
  raceAllowsEachClass,
  raceAllowsMulticlass,
  resolveSheetClasses,
  resolveSheetRace,
} from './legality/identity.ts';
import {
  dualClassOrder,
  levelIsHighestClassLevel,
  levelWithinRange,
  multiclassExperienceSplit,
  resolveClassLevels,
  withinRacialLevelLimits,
} from './legality/levels.ts';
import type {
  CharacterSheet,
  Check,
  LegalityFinding,
  LevelledSheet,
  ResolvedSheet,
  SheetIdentity,
} from './legality/sheet.ts';

export type { CharacterSheet, LegalityFinding, Severity } from './legality/sheet.ts';

/** Checks of the classes, race and alignment, before any level is known. */
export const IDENTITY_CHECKS: readonly Check<SheetIdentity>[] = [
  raceAllowsEachClass,
  raceAllowsMulticlass,
  dualClassIsHuman,
  alignmentAllowed,
];

/** Checks of each class's level and experience. */
export const LEVEL_CHECKS: readonly Check<LevelledSheet>[] = [
  levelIsHighestClassLevel,
  withinRacialLevelLimits,
  multiclassExperienceSplit,
];

/** Checks of the rest of the sheet, its classes and levels known. */
export const SHEET_CHECKS: readonly Check<ResolvedSheet>[] = [
  abilityScores,
  dualClassPrimeRequisites,
  exceptionalStrength,
  hitPointsWithinDice,
  thac0MatchesTable,
  savesMatchTable,
  armourAllowed,
  shieldAllowed,
  armourClassMatches,
  spellsWithinSlots,
  thiefSkillsAllowed,
];

const isFinding = (x: object): x is LegalityFinding => 'severity' in x;

/**
 * Audit a character against the rules: class (or multi-class combination, or dual-class
 * pair), race and alignment allowed together; each level within 1-20 and the race's
 * limit; a multi-class character's experience split evenly and matching its levels;
 * ability scores within the race's range and every class's minimums (a dual-class
 * character's 15 and 17 in the prime requisites); exceptional strength only for warriors
 * with 18; hit points within what the hit dice allow; THAC0 and saving throws as the
 * tables give them (the best of the usable classes); armour and shield allowed for a
 * class; the AC they give; spells within each caster's slots; thief skills only for a
 * thief, bard or ranger. Returns every finding (empty when the sheet is legal), in the
 * order of the checks above.
 */
export function checkNpcLegality(npc: CharacterSheet): LegalityFinding[] {
  const classes = resolveSheetClasses(npc);
  if (isFinding(classes)) return [classes];
  const { race, findings } = resolveSheetRace(npc);
  const identity: SheetIdentity = { ...classes, ...(race === undefined ? {} : { race }) };
  const out = [...findings, ...IDENTITY_CHECKS.flatMap((check) => check(identity))];

  const badLevel = levelWithinRange(identity);
  if (badLevel.length > 0) return [...out, ...badLevel];
  const entries = resolveClassLevels(identity);
  if (isFinding(entries)) return [...out, entries];
  const levelled: LevelledSheet = { ...identity, entries };
  out.push(...LEVEL_CHECKS.flatMap((check) => check(levelled)));

  const badOrder = dualClassOrder(levelled);
  if (badOrder.length > 0) return [...out, ...badOrder];
  const resolved: ResolvedSheet = { ...levelled, active: activeClasses(entries) };
  return [...out, ...SHEET_CHECKS.flatMap((check) => check(resolved))];
}
