import { z } from 'zod';
import { int, pct, raceKey, source } from './common.ts';

export const thiefSkillKey = z.enum([
  'pick_pockets',
  'open_locks',
  'find_remove_traps',
  'move_silently',
  'hide_in_shadows',
  'detect_noise',
  'climb_walls',
  'read_languages',
]);
export type ThiefSkillKey = z.infer<typeof thiefSkillKey>;

const allocation = z.strictObject(
  Object.fromEntries(thiefSkillKey.options.map((k) => [k, int.nonnegative()])) as Record<
    ThiefSkillKey,
    typeof int
  >,
);

function allocationSigned() {
  return z.strictObject(
    Object.fromEntries(thiefSkillKey.options.map((k) => [k, int])) as Record<
      ThiefSkillKey,
      typeof int
    >,
  );
}

/** rules-data/thief-skills.yaml — PHB Tables 26, 27, 28. */
export const thiefSkillsSchema = z.strictObject({
  source,
  skills: z.array(z.strictObject({ key: thiefSkillKey, label: z.string(), base: pct })).length(8),
  max_score: pct,
  points: z.strictObject({
    first_level: int.positive(),
    per_level: int.positive(),
    max_per_skill_first_level: int.positive(),
    max_per_skill_per_level: int.positive(),
  }),
  racial: z.strictObject({
    source,
    adjustments: z.record(raceKey, z.partialRecord(thiefSkillKey, int)),
  }),
  dexterity: z.strictObject({
    source,
    rows: z.array(
      z.strictObject({
        score: int.min(3).max(25),
        pick_pockets: int,
        open_locks: int,
        find_remove_traps: int,
        move_silently: int,
        hide_in_shadows: int,
      }),
    ),
  }),
  typical_allocation: z.strictObject({ first_level: allocation, per_level: allocation }),
  /** PHB Table 29: adjustments by armour worn (leather is the baseline) */
  armour: z
    .strictObject({
      source,
      baseline: z.array(z.string()),
      columns: z.record(z.string(), allocationSigned()),
    })
    .optional(),
  bard: z.strictObject({
    source,
    base: z.partialRecord(thiefSkillKey, pct),
    points: z.strictObject({ first_level: int.positive(), per_level: int.positive() }),
    typical_allocation: z.strictObject({
      first_level: z.partialRecord(thiefSkillKey, int.nonnegative()),
      per_level: z.partialRecord(thiefSkillKey, int.nonnegative()),
    }),
  }),
  /** PHB Table 29 (and its heavier-armour expansion): adjustments by armour name */
  armour_adjustments: z.strictObject({
    source,
    rows: z.record(z.string(), z.partialRecord(thiefSkillKey, int)),
    aliases: z.record(z.string(), z.string()),
  }),
  /** the ranger's Hide in Shadows and Move Silently by level 1-15 */
  ranger: z.strictObject({
    source,
    max_score: pct,
    heaviest_armour: z.array(z.string()),
    hide_in_shadows: z.array(pct).length(15),
    move_silently: z.array(pct).length(15),
  }),
});
export type ThiefSkillsData = z.infer<typeof thiefSkillsSchema>;
