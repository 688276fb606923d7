/**
 * Who the character is: its class (or multi- or dual-class combination), race and
 * alignment, each allowed with the others.
 */
import type { AlignmentCode } from '../../core/alignments.ts';
import { racesTable } from '../../data/races.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import { type ClassKey, classRecord, resolveClass } from '../classes.ts';
import {
  DUAL_CLASS,
  MULTICLASS_SOURCE,
  checkMulticlassRace,
  resolveClassSet,
} from '../multiclass.ts';
import { ALIGNMENT_NAMES, resolveAlignment } from '../npc.ts';
import { resolveRace } from '../race-names.ts';
import {
  type CharacterSheet,
  type LegalityFinding,
  type SheetIdentity,
  an,
  attempt,
  error,
} from './sheet.ts';

/**
 * The sheet's classes: a dual-class sheet (a class marked old or new) names exactly two,
 * anything else one class or a multi-class combination. A finding when they cannot be
 * resolved: nothing else can be checked without them.
 */
export function resolveSheetClasses(
  sheet: CharacterSheet,
): Omit<SheetIdentity, 'race'> | LegalityFinding {
  const dual = sheet.classes?.some((c) => c.dual !== undefined) === true;
  let classes: ClassKey[];
  if (dual) {
    const parts = attempt(() => sheet.class.split('/').map((p) => resolveClass(p.trim())));
    if (parts instanceof Error) return error('class', parts.message, DUAL_CLASS.source);
    if (parts.length !== 2) {
      return error(
        'class',
        `a dual-class character has two classes, not "${sheet.class}"`,
        DUAL_CLASS.source,
      );
    }
    classes = parts;
  } else {
    const set = attempt(() => resolveClassSet(sheet.class));
    if (set instanceof Error) {
      const source = sheet.class.includes('/') ? MULTICLASS_SOURCE : 'PHB Chapter 3';
      return error('class', set.message, source);
    }
    classes = set.classes;
  }
  return { sheet, classes, name: classes.join('/'), dual, multi: classes.length > 1 && !dual };
}

/** The sheet's race, if it names one the rules know; a finding if it names another. */
export function resolveSheetRace(sheet: CharacterSheet): {
  race?: RaceKey;
  findings: LegalityFinding[];
} {
  if (sheet.race === undefined) return { findings: [] };
  const race = attempt(() => resolveRace(sheet.race!));
  if (race instanceof Error) return { findings: [error('race', race.message, 'PHB Chapter 2')] };
  return { race, findings: [] };
}

/** Each class is open to the race (each class's list of races; PHB Chapter 2). */
export function raceAllowsEachClass({ classes, race }: SheetIdentity): LegalityFinding[] {
  if (race === undefined) return [];
  return classes.flatMap((klass) => {
    const rec = classRecord(klass);
    if (rec.races.includes(race)) return [];
    return [
      error(
        'race',
        `${an(race)} cannot be ${an(klass)} (${an(klass)} may be ${rec.races.join(', ')})`,
        `${racesTable.races[race].source}; ${rec.source}`,
      ),
    ];
  });
}

/** A multi-class combination is one the race may take (PHB Chapter 2, each race). */
export function raceAllowsMulticlass({ multi, name, race }: SheetIdentity): LegalityFinding[] {
  if (!multi || race === undefined) return [];
  const bad = attempt(() => checkMulticlassRace(resolveClassSet(name), race));
  return bad instanceof Error ? [error('class', bad.message, MULTICLASS_SOURCE)] : [];
}

/** Only humans may be dual-class (PHB Chapter 3, Dual-Class Benefits and Restrictions). */
export function dualClassIsHuman({ dual, race }: SheetIdentity): LegalityFinding[] {
  if (!dual || race === undefined || DUAL_CLASS.races.includes(race)) return [];
  return [error('class', `only humans may be dual-class, not ${an(race)}`, DUAL_CLASS.source)];
}

/** The alignment is one the rules know and every class allows. */
export function alignmentAllowed({ sheet, classes }: SheetIdentity): LegalityFinding[] {
  if (sheet.alignment === undefined) return [];
  const a = attempt(() => resolveAlignment(sheet.alignment!));
  if (a instanceof Error) return [error('alignment', a.message, 'PHB Chapter 4')];
  return classes.flatMap((klass) => {
    const rec = classRecord(klass);
    if ((rec.alignments as readonly string[]).includes(a)) return [];
    const allowed = rec.alignments.map((c) => ALIGNMENT_NAMES[c as AlignmentCode]).join(', ');
    return [
      error(
        'alignment',
        `${an(klass)} cannot be ${ALIGNMENT_NAMES[a]} (allowed: ${allowed})`,
        rec.source,
      ),
    ];
  });
}
