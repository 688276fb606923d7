/** The numbers of combat: hit points, THAC0 and saving throws, as the tables give them. */
import { classRecord } from '../classes.ts';
import { DUAL_CLASS, MULTICLASS_SOURCE } from '../multiclass.ts';
import { characterHitPointRange, characterSaves, characterThac0, hitPointRule } from '../npc.ts';
import { SAVE_CATEGORIES } from '../saves.ts';
import { type LegalityFinding, type ResolvedSheet, error } from './sheet.ts';

/**
 * Hit points within what the hit dice and Constitution allow (`characterHitPointRange`:
 * one class, multi-class averaged, dual-class old plus new).
 */
export function hitPointsWithinDice(s: ResolvedSheet): LegalityFinding[] {
  const { sheet, entries } = s;
  const hp = sheet.hit_points;
  const con = sheet.abilities?.con;
  if (hp === undefined || con === undefined || !(con >= 1 && con <= 25)) return [];
  const { min, max } = characterHitPointRange(entries, con);
  if (!(hp < min || hp > max)) return [];
  if (entries.length === 1) {
    const rule = hitPointRule(s.classes[0]!, sheet.level, con);
    const adjustment = `${rule.con_adjustment >= 0 ? '+' : ''}${rule.con_adjustment}`;
    return [
      error(
        'hit_points',
        `${hp} hit points is outside ${min}-${max} (${rule.dice_levels}d${rule.hit_die}, Constitution ${con} ${adjustment} per die, +${rule.per_level_after} per level past name level)`,
        rule.source,
      ),
    ];
  }
  return [
    error(
      'hit_points',
      `${hp} hit points is outside ${min}-${max} (${entries.map((e) => `${e.class} ${e.level}`).join(', ')}, Constitution ${con})`,
      s.dual ? DUAL_CLASS.source : MULTICLASS_SOURCE,
    ),
  ];
}

/** THAC0 the best of the usable classes' (PHB Table 53). */
export function thac0MatchesTable({ sheet, entries, active }: ResolvedSheet): LegalityFinding[] {
  if (sheet.thac0 === undefined) return [];
  const expected = characterThac0(entries);
  if (sheet.thac0 === expected.thac0) return [];
  const why =
    active.length > 1
      ? `the best of ${active.map((e) => `${e.class} ${e.level}`).join(', ')}`
      : `${classRecord(expected.class).group} level ${active[0]!.level}`;
  return [
    error('thac0', `THAC0 ${sheet.thac0} should be ${expected.thac0} (${why})`, 'PHB Table 53'),
  ];
}

/** Each save the best of the usable classes' (PHB Table 60), with the racial bonus (Table 9). */
export function savesMatchTable({ sheet, entries, race }: ResolvedSheet): LegalityFinding[] {
  const given = sheet.saves;
  if (given === undefined) return [];
  const con = sheet.abilities?.con;
  const expected = characterSaves(entries, {
    ...(race === undefined ? {} : { race }),
    ...(con === undefined ? {} : { con }),
  });
  return SAVE_CATEGORIES.flatMap((cat) => {
    const v = given[cat];
    if (v === undefined || v === expected[cat]) return [];
    return [
      error(
        `saves.${cat}`,
        `save vs ${cat} ${v} should be ${expected[cat]}`,
        'PHB Table 60; PHB Table 9 (racial Constitution bonus)',
      ),
    ];
  });
}
