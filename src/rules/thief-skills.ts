/**
 * Thief skills at a level: base (PHB Table 26) + race (Table 27) + Dexterity (Table 28)
 * + dma's documented *typical* allocation of the discretionary points (not a book rule;
 * see rules-data/thief_skills.yaml). No armour adjustment. Capped at 95%.
 */
import { UsageError } from '../core/errors.ts';
import type { RaceKey } from '../data/schemas/common.ts';
import type { ThiefSkillKey } from '../data/schemas/thief-skills.ts';
import { thiefSkillsTable } from '../data/thief-skills.ts';
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
  level: number;
  race: RaceKey;
  dex?: number;
  allocation: 'typical';
  skills: ThiefSkillLine[];
  derivation: Derivation;
}

export function thiefSkills(
  level: number,
  options: { race?: string; dex?: number } = {},
): ThiefSkillsResult {
  checkLevel(level, 1, 100, 'thief skills');
  const t = thiefSkillsTable;
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
  const lines: ThiefSkillLine[] = t.skills.map((s) => {
    const r = racial[s.key] ?? 0;
    const d =
      dexRow === undefined || !(s.key in dexRow) ? 0 : (dexRow as Record<string, number>)[s.key]!;
    return {
      skill: s.key,
      label: s.label,
      base: s.base,
      racial: r,
      dex: d,
      allocated: 0,
      total: 0,
    };
  });
  const spend = (plan: Record<ThiefSkillKey, number>) => {
    for (const line of lines) {
      const room = t.max_score - (line.base + line.racial + line.dex + line.allocated);
      line.allocated += Math.max(0, Math.min(plan[line.skill], room));
    }
  };
  spend(t.typical_allocation.first_level);
  for (let l = 2; l <= level; l++) spend(t.typical_allocation.per_level);
  for (const line of lines)
    line.total = Math.max(0, line.base + line.racial + line.dex + line.allocated);

  const uses: TableUse[] = [
    {
      table: 'thief-skills',
      source: 'PHB Table 26 (Thieving Skill Base Scores)',
      row: 'base scores',
    },
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
    `discretionary points follow dma's typical allocation (${t.points.first_level} at 1st level, ${t.points.per_level} per level after), not a book rule`,
    `no skill above ${t.max_score}%; no armour adjustment (PHB Table 29) applied`,
  ];
  if (dex === undefined) notes.push('no Dexterity given: no Dexterity adjustment applied');
  return {
    level,
    race,
    ...(dex === undefined ? {} : { dex }),
    allocation: 'typical',
    skills: lines,
    derivation: derivation(uses, [], notes),
  };
}
