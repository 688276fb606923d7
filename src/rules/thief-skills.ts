/**
 * Thief skills at a level: base (PHB Table 26) + race (Table 27) + Dexterity (Table 28)
 * + armour (Table 29; leather, the table's baseline, when none is named) + dma's
 * documented *typical* allocation of the discretionary points (not a book rule; see
 * rules-data/thief-skills.yaml). Capped at 95%.
 * With `class: 'bard'`: the bard's four skills (PHB Table 33) and points instead.
 * `rangerSkills`: the ranger's Hide in Shadows and Move Silently (PHB Chapter 3, Ranger).
 */
import { UsageError } from '../core/errors.ts';
import type { RaceKey } from '../data/schemas/common.ts';
import type { ThiefSkillKey } from '../data/schemas/thief-skills.ts';
import { thiefSkillsTable } from '../data/thief-skills.ts';
import { resolveClass } from './classes.ts';
import { derivation, type Derivation, type TableUse } from './derivation.ts';
import { checkLevel } from './names.ts';
import { resolveRace } from './race-names.ts';

export interface ThiefSkillLine {
  skill: ThiefSkillKey;
  label: string;
  base: number;
  racial: number;
  dex: number;
  /** PHB Table 29: the armour worn (0 in leather) */
  armour: number;
  /** discretionary points from the typical allocation */
  allocated: number;
  total: number;
}

export interface ThiefSkillsResult {
  class: 'thief' | 'bard';
  level: number;
  race: RaceKey;
  dex?: number;
  /** the armour the skills are for (leather when none was named) */
  armour: string;
  allocation: 'typical';
  skills: ThiefSkillLine[];
  derivation: Derivation;
}

/** An armour name as Table 29 knows it ("chain" → "chain mail"); UsageError with the choices. */
export function resolveThiefArmour(name: string): string {
  const t = thiefSkillsTable.armour_adjustments;
  const key = name.trim().toLowerCase().replace(/[_]+/g, ' ');
  const hit =
    t.rows[key] !== undefined ? key : (t.aliases[key.replace(/-/g, ' ')] ?? t.aliases[key]);
  if (hit === undefined || t.rows[hit] === undefined) {
    throw new UsageError(
      `unknown armour "${name}" for thief skills (${t.source}): try none, leather, padded, studded, chain, elven-chain or a PHB Table 46 armour`,
    );
  }
  return hit;
}

export function thiefSkills(
  level: number,
  options: { race?: string; dex?: number; class?: string; armour?: string } = {},
): ThiefSkillsResult {
  checkLevel(level, 1, 100, 'thief skills');
  const t = thiefSkillsTable;
  const klass = options.class === undefined ? 'thief' : resolveClass(options.class);
  if (klass !== 'thief' && klass !== 'bard') {
    throw new UsageError(`a ${klass} has no thieving skills (thief and bard only)`);
  }
  const bard = klass === 'bard' ? t.bard : undefined;
  const race = options.race === undefined ? 'human' : resolveRace(options.race);
  const dex = options.dex;
  if (dex !== undefined && (!Number.isInteger(dex) || dex < 9 || dex > 25)) {
    throw new UsageError(
      `Dexterity ${dex} is outside 9-25 (a thief needs Dexterity 9; PHB Table 28 covers 9-19)`,
    );
  }
  const dexRow =
    dex === undefined ? undefined : t.dexterity.rows.find((r) => r.score === Math.min(dex, 19))!;
  const racial = t.racial.adjustments[race] ?? {};
  const armourName = options.armour === undefined ? 'leather' : resolveThiefArmour(options.armour);
  const armourRow = t.armour_adjustments.rows[armourName]!;
  const skills =
    bard === undefined ? t.skills : t.skills.filter((s) => bard.base[s.key] !== undefined);
  const lines: ThiefSkillLine[] = skills.map((s) => {
    const r = racial[s.key] ?? 0;
    const d =
      dexRow === undefined || !(s.key in dexRow) ? 0 : (dexRow as Record<string, number>)[s.key]!;
    const base = bard === undefined ? s.base : bard.base[s.key]!;
    const armour = armourRow[s.key] ?? 0;
    return {
      skill: s.key,
      label: s.label,
      base,
      racial: r,
      dex: d,
      armour,
      allocated: 0,
      total: 0,
    };
  });
  // points are spent as for a thief in leather; armour then moves the totals
  const spend = (plan: Partial<Record<ThiefSkillKey, number>>) => {
    for (const line of lines) {
      const room = t.max_score - (line.base + line.racial + line.dex + line.allocated);
      line.allocated += Math.max(0, Math.min(plan[line.skill] ?? 0, room));
    }
  };
  const plan = bard === undefined ? t.typical_allocation : bard.typical_allocation;
  spend(plan.first_level);
  for (let l = 2; l <= level; l++) spend(plan.per_level);
  for (const line of lines)
    line.total = Math.min(
      t.max_score,
      Math.max(0, line.base + line.racial + line.dex + line.armour + line.allocated),
    );

  const points = bard === undefined ? t.points : bard.points;
  const uses: TableUse[] = [
    bard === undefined
      ? {
          table: 'thief-skills',
          source: 'PHB Table 26 (Thieving Skill Base Scores)',
          row: 'base scores',
        }
      : { table: 'thief-skills', source: bard.source, row: 'bard base scores' },
    { table: 'thief-skills-racial', source: t.racial.source, row: race },
  ];
  if (dex !== undefined) {
    uses.push({
      table: 'thief-skills-dex',
      source: t.dexterity.source,
      row: `Dexterity ${Math.min(dex, 19)}`,
    });
  }
  uses.push({ table: 'thief-skills-armour', source: t.armour_adjustments.source, row: armourName });
  const notes = [
    `discretionary points follow dma's typical allocation (${points.first_level} at 1st level, ${points.per_level} per level after), not a book rule`,
    `no skill above ${t.max_score}%; ${options.armour === undefined ? 'armour: leather, the baseline of PHB Table 29 (give --armor for another)' : `armour: ${armourName}`}`,
  ];
  if (dex === undefined) notes.push('no Dexterity given: no Dexterity adjustment applied');
  return {
    class: klass,
    level,
    race,
    ...(dex === undefined ? {} : { dex }),
    armour: armourName,
    allocation: 'typical',
    skills: lines,
    derivation: derivation(uses, [], notes),
  };
}

export interface RangerSkillsResult {
  level: number;
  race: RaceKey;
  armour: string;
  /** undefined when the armour is heavier than studded leather: the skills cannot be used */
  skills?: { hide_in_shadows: number; move_silently: number };
  derivation: Derivation;
}

/**
 * The ranger's Hide in Shadows and Move Silently (PHB Chapter 3, Ranger Abilities) with
 * the racial (Table 27), Dexterity (Table 28) and armour (Table 29) adjustments; none in
 * armour heavier than studded leather.
 */
export function rangerSkills(
  level: number,
  options: { race?: string; dex?: number; armour?: string } = {},
): RangerSkillsResult {
  checkLevel(level, 1, 100, 'ranger abilities');
  const t = thiefSkillsTable;
  const r = t.ranger;
  const race = options.race === undefined ? 'human' : resolveRace(options.race);
  const armourName = options.armour === undefined ? 'leather' : resolveThiefArmour(options.armour);
  const uses: TableUse[] = [
    { table: 'ranger-skills', source: r.source, row: `level ${Math.min(level, 15)}` },
    { table: 'thief-skills-racial', source: t.racial.source, row: race },
    { table: 'thief-skills-armour', source: t.armour_adjustments.source, row: armourName },
  ];
  if (!r.heaviest_armour.includes(armourName)) {
    return {
      level,
      race,
      armour: armourName,
      derivation: derivation(
        uses,
        [],
        [
          `a ranger cannot hide in shadows or move silently in ${armourName} (studded leather or lighter only)`,
        ],
      ),
    };
  }
  const dex = options.dex;
  const dexRow =
    dex === undefined || dex < 9
      ? undefined
      : t.dexterity.rows.find((x) => x.score === Math.min(dex, 19));
  if (dexRow !== undefined)
    uses.push({
      table: 'thief-skills-dex',
      source: t.dexterity.source,
      row: `Dexterity ${dexRow.score}`,
    });
  const racial = t.racial.adjustments[race] ?? {};
  const armour = t.armour_adjustments.rows[armourName]!;
  const at = Math.min(level, 15) - 1;
  const score = (key: 'hide_in_shadows' | 'move_silently') =>
    Math.max(
      0,
      Math.min(
        r.max_score,
        r[key][at]! + (racial[key] ?? 0) + (dexRow?.[key] ?? 0) + (armour[key] ?? 0),
      ),
    );
  return {
    level,
    race,
    armour: armourName,
    skills: { hide_in_shadows: score('hide_in_shadows'), move_silently: score('move_silently') },
    derivation: derivation(uses, [], [`no score above ${r.max_score}%`]),
  };
}
