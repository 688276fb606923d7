/**
 * Thief skills at a level: base (PHB Table 26) + race (Table 27) + Dexterity (Table 28)
 * + dma's documented *typical* allocation of the discretionary points (not a book rule;
 * see rules-data/thief_skills.yaml). No armour adjustment. Capped at 95%.
 * With `class: 'bard'`: the bard's four skills (PHB Table 33) and points instead.
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
  /** discretionary points from the typical allocation */
  allocated: number;
  total: number;
}

export interface ThiefSkillsResult {
  class: 'thief' | 'bard';
  level: number;
  race: RaceKey;
  dex?: number;
  allocation: 'typical';
  skills: ThiefSkillLine[];
  derivation: Derivation;
}

export function thiefSkills(
  level: number,
  options: { race?: string; dex?: number; class?: string } = {},
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
  const skills =
    bard === undefined ? t.skills : t.skills.filter((s) => bard.base[s.key] !== undefined);
  const lines: ThiefSkillLine[] = skills.map((s) => {
    const r = racial[s.key] ?? 0;
    const d =
      dexRow === undefined || !(s.key in dexRow) ? 0 : (dexRow as Record<string, number>)[s.key]!;
    const base = bard === undefined ? s.base : bard.base[s.key]!;
    return { skill: s.key, label: s.label, base, racial: r, dex: d, allocated: 0, total: 0 };
  });
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
    line.total = Math.max(0, line.base + line.racial + line.dex + line.allocated);

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
  const notes = [
    `discretionary points follow dma's typical allocation (${points.first_level} at 1st level, ${points.per_level} per level after), not a book rule`,
    `no skill above ${t.max_score}%; no armour adjustment (PHB Table 29) applied`,
  ];
  if (dex === undefined) notes.push('no Dexterity given: no Dexterity adjustment applied');
  return {
    class: klass,
    level,
    race,
    ...(dex === undefined ? {} : { dex }),
    allocation: 'typical',
    skills: lines,
    derivation: derivation(uses, [], notes),
  };
}
