/**
 * Rules for whole characters: alignment names, hit points, armour class, memorisable
 * spells, and `checkNpcLegality`, which audits a character sheet against the rules engine
 * (used by the NPC generator's property tests and by `dma audit`).
 */
import { UsageError } from '../core/errors.ts';
import { abilitiesTable } from '../data/abilities.ts';
import { npcGearData } from '../data/npc.ts';
import { racesTable } from '../data/races.ts';
import type { RaceKey } from '../data/schemas/common.ts';
import { ABILITIES, type Ability } from './abilities.ts';
import { type ClassKey, classRecord, groupRecord, isWarrior, resolveClass } from './classes.ts';
import { armour } from './equipment.ts';
import { createResolver } from './names.ts';
import { resolveRace } from './race-names.ts';
import { SAVE_CATEGORIES, type SaveNumbers, saves } from './saves.ts';
import { spellSlots } from './spells.ts';
import { thac0Value } from './thac0.ts';
import { ABILITY_TITLES } from './abilities.ts';

import {
  ALIGNMENT_CODES,
  ALIGNMENT_NAMES,
  alignmentAliases,
  type AlignmentCode,
} from '../core/alignments.ts';

export { ALIGNMENT_NAMES, type AlignmentCode };
const CODES = [...ALIGNMENT_CODES];
const ALIGNMENT_ALIASES = alignmentAliases();
/** "LG", "lg", "lawful good", "lawful-good", "neutral" → the code; UsageError with did-you-mean. */
export const resolveAlignment = createResolver('alignment', CODES, ALIGNMENT_ALIASES);

/** How a class rolls hit points at a Constitution score (PHB Tables 3, 14, 20, 23, 25). */
export interface HitPointRule {
  hit_die: number;
  /** levels that roll a die: up to name level */
  dice_levels: number;
  /** Constitution adjustment per die (the parenthesised warrior figure only for warriors) */
  con_adjustment: number;
  /** a die counts at least this (Constitution 20+), else 1 */
  die_minimum: number;
  /** fixed hit points per level past name level, no Constitution bonus */
  per_level_after: number;
  source: string;
}

export function hitPointRule(klass: ClassKey, level: number, con: number): HitPointRule {
  const g = groupRecord(classRecord(klass).group);
  const row = abilitiesTable.constitution.rows[con - 1];
  if (row === undefined) throw new UsageError(`Constitution ${con} is outside 1-25`);
  return {
    hit_die: g.hit_die,
    dice_levels: Math.min(level, g.name_level),
    con_adjustment: isWarrior(klass) ? row.hp_warrior : row.hp,
    die_minimum: row.hit_die_minimum ?? 1,
    per_level_after: g.hp_per_level_after,
    source: `${g.source}; ${abilitiesTable.constitution.source}`,
  };
}

/** Hit points of one die: the roll (raised to the die minimum) plus Constitution, at least 1. */
export function hitPointsForDie(rule: HitPointRule, roll: number): number {
  return Math.max(1, Math.max(roll, rule.die_minimum) + rule.con_adjustment);
}

/** The lowest and highest hit points a character can have. */
export function hitPointRange(
  klass: ClassKey,
  level: number,
  con: number,
): { min: number; max: number } {
  const rule = hitPointRule(klass, level, con);
  const fixed = Math.max(0, level - rule.dice_levels) * rule.per_level_after;
  return {
    min: rule.dice_levels * hitPointsForDie(rule, 1) + fixed,
    max: rule.dice_levels * hitPointsForDie(rule, rule.hit_die) + fixed,
  };
}

export interface ArmourClassResult {
  armor_class: number;
  /** "leather 8, small shield -1, Dexterity 16 -2" */
  explanation: string;
}

/** AC from armour (PHB Table 46), shield (-1) and the Dexterity defensive adjustment (PHB Table 2). */
export function armourClass(
  armourName: string,
  shieldName: string | undefined,
  dex: number,
): ArmourClassResult {
  const body = armour(armourName).armour;
  const base = 'ac' in body ? body.ac : 10;
  const shieldBonus =
    shieldName === undefined
      ? 0
      : (() => {
          const s = armour(shieldName).armour;
          return 'ac_bonus' in s ? s.ac_bonus : 0;
        })();
  const defence = abilitiesTable.dexterity.rows[dex - 1]?.defense ?? 0;
  const parts = [`${body.name} ${base}`];
  if (shieldName !== undefined) parts.push(`${shieldName} -${shieldBonus}`);
  if (defence !== 0) parts.push(`Dexterity ${dex} ${defence > 0 ? '+' : ''}${defence}`);
  return {
    armor_class: Math.max(-10, Math.min(10, base - shieldBonus + defence)),
    explanation: parts.join(', '),
  };
}

/**
 * Spells per day for a caster, by spell level, capped by Intelligence for wizards (PHB
 * Table 4: maximum spell level) — a wizard cannot learn spells above it. Undefined for
 * classes whose spells the rules data does not have (paladin, ranger, bard) and non-casters.
 */
export function castableSlots(
  klass: ClassKey,
  level: number,
  abilities: { int: number; wis: number },
): { slots: number[]; capped_above?: number } | undefined {
  const group = classRecord(klass).group;
  if (group !== 'wizard' && group !== 'priest') return undefined;
  const result = spellSlots(
    klass,
    Math.min(level, 20),
    group === 'priest' ? { wis: abilities.wis } : {},
  );
  const slots = result.spells.map((s) => s.total);
  while (slots.length > 0 && slots[slots.length - 1] === 0) slots.pop();
  if (group === 'wizard') {
    const max = abilitiesTable.intelligence.rows[abilities.int - 1]?.max_spell_level ?? 0;
    if (slots.length > max) {
      slots.length = max;
      return { slots, capped_above: max };
    }
  }
  return { slots };
}

export type Severity = 'error' | 'warning';
export interface LegalityFinding {
  severity: Severity;
  /** the field at fault: "abilities.cha", "hit_points", "saves.rod" */
  field: string;
  message: string;
  /** the rule's book citation */
  source: string;
}

/** The parts of a character sheet the check reads (an NPC record or a PC). */
export interface CharacterSheet {
  class: string;
  level: number;
  race?: string;
  alignment?: string;
  abilities?: Record<Ability, number> & { str_exceptional?: number };
  hit_points?: number;
  armor_class?: number;
  thac0?: number;
  saves?: Partial<SaveNumbers>;
  armour?: string;
  shield?: string;
  spell_slots?: number[];
  spells?: readonly { name: string; level: number }[];
  thief_skills?: Record<string, number | undefined>;
}

function attempt<T>(f: () => T): T | Error {
  try {
    return f();
  } catch (err) {
    if (err instanceof Error) return err;
    throw err;
  }
}

/**
 * Audit a character against the rules: class, race and alignment allowed together; level
 * within 1-20 and the race's limit; ability scores within the race's range and the
 * class's minimums; exceptional strength only for warriors with 18; hit points within
 * what the hit dice allow; THAC0 and saving throws as the tables give them; armour and
 * shield allowed for the class, and the AC they give; spells within the day's slots.
 * Returns every finding (empty when the sheet is legal); never throws for a bad sheet.
 */
export function checkNpcLegality(npc: CharacterSheet): LegalityFinding[] {
  const out: LegalityFinding[] = [];
  const add = (severity: Severity, field: string, message: string, source: string) =>
    out.push({ severity, field, message, source });

  const klass = attempt(() => resolveClass(npc.class));
  if (klass instanceof Error) {
    add('error', 'class', klass.message, 'PHB Chapter 3');
    return out;
  }
  const rec = classRecord(klass);
  let race: RaceKey | undefined;
  if (npc.race !== undefined) {
    const r = attempt(() => resolveRace(npc.race!));
    if (r instanceof Error) add('error', 'race', r.message, 'PHB Chapter 2');
    else race = r;
  }
  const raceRec = race === undefined ? undefined : racesTable.races[race];
  if (race !== undefined && !rec.races.includes(race)) {
    add(
      'error',
      'race',
      `a ${race} cannot be a ${klass} (a ${klass} may be ${rec.races.join(', ')})`,
      `${racesTable.races[race].source}; ${rec.source}`,
    );
  }
  if (npc.alignment !== undefined) {
    const a = attempt(() => resolveAlignment(npc.alignment!));
    if (a instanceof Error) add('error', 'alignment', a.message, 'PHB Chapter 4');
    else if (!(rec.alignments as readonly string[]).includes(a)) {
      add(
        'error',
        'alignment',
        `a ${klass} cannot be ${ALIGNMENT_NAMES[a]} (allowed: ${rec.alignments.map((c) => ALIGNMENT_NAMES[c as AlignmentCode]).join(', ')})`,
        rec.source,
      );
    }
  }
  const level = npc.level;
  if (!Number.isInteger(level) || level < 1 || level > 20) {
    add('error', 'level', `level ${level} is outside 1-20`, 'PHB Chapter 3');
    return out;
  }
  const limit = raceRec?.level_limits[klass];
  if (limit !== undefined && limit !== null && level > limit) {
    add(
      'error',
      'level',
      `a ${race} ${klass} cannot rise above level ${limit}, not ${level}`,
      'DMG Chapter 2, Racial Class and Level Limits',
    );
  }

  const ab = npc.abilities;
  if (ab !== undefined) {
    for (const k of ABILITIES) {
      const score = ab[k];
      if (raceRec !== undefined && (score < raceRec.minimums[k] || score > raceRec.maximums[k])) {
        add(
          'error',
          `abilities.${k}`,
          `${ABILITY_TITLES[k]} ${score} is outside the ${race}'s ${raceRec.minimums[k]}-${raceRec.maximums[k]}`,
          'PHB Table 7 (Racial Ability Requirements)',
        );
      } else if (raceRec === undefined && (score < 3 || score > 18)) {
        add(
          'error',
          `abilities.${k}`,
          `${ABILITY_TITLES[k]} ${score} is outside 3-18`,
          'PHB Chapter 1',
        );
      }
      const min = (rec.minimums as Partial<Record<Ability, number>>)[k];
      if (min !== undefined && score < min) {
        add(
          'error',
          `abilities.${k}`,
          `a ${klass} needs ${ABILITY_TITLES[k]} ${min}, not ${score}`,
          rec.source,
        );
      }
    }
    if (ab.str_exceptional !== undefined) {
      if (!isWarrior(klass) || ab.str !== 18) {
        add(
          'error',
          'abilities.str_exceptional',
          `exceptional strength is for warriors with Strength 18 only (a ${klass} with Strength ${ab.str})`,
          'PHB Table 1',
        );
      }
    } else if (isWarrior(klass) && ab.str === 18) {
      add(
        'warning',
        'abilities.str_exceptional',
        'a warrior with Strength 18 rolls percentile dice for exceptional strength',
        'PHB Table 1',
      );
    }

    if (npc.hit_points !== undefined && ab.con >= 1 && ab.con <= 25) {
      const { min, max } = hitPointRange(klass, level, ab.con);
      if (npc.hit_points < min || npc.hit_points > max) {
        const rule = hitPointRule(klass, level, ab.con);
        add(
          'error',
          'hit_points',
          `${npc.hit_points} hit points is outside ${min}-${max} (${rule.dice_levels}d${rule.hit_die}, Constitution ${ab.con} ${rule.con_adjustment >= 0 ? '+' : ''}${rule.con_adjustment} per die, +${rule.per_level_after} per level past name level)`,
          rule.source,
        );
      }
    }
  }

  if (npc.thac0 !== undefined) {
    const expected = thac0Value(rec.group, level);
    if (npc.thac0 !== expected) {
      add(
        'error',
        'thac0',
        `THAC0 ${npc.thac0} should be ${expected} (${rec.group} level ${level})`,
        'PHB Table 53',
      );
    }
  }
  if (npc.saves !== undefined) {
    const expected = saves(klass, level, {
      ...(race === undefined ? {} : { race }),
      ...(ab === undefined ? {} : { con: ab.con }),
    }).saves;
    for (const cat of SAVE_CATEGORIES) {
      const v = npc.saves[cat];
      if (v !== undefined && v !== expected[cat]) {
        add(
          'error',
          `saves.${cat}`,
          `save vs ${cat} ${v} should be ${expected[cat]}`,
          'PHB Table 60; PHB Table 9 (racial Constitution bonus)',
        );
      }
    }
  }

  const limits = npcGearData.limits[klass];
  if (npc.armour !== undefined && !limits.armour.includes(npc.armour)) {
    add('error', 'armour', `a ${klass} may not wear ${npc.armour}`, limits.source);
  }
  if (npc.shield !== undefined && !limits.shields.includes(npc.shield)) {
    add('error', 'shield', `a ${klass} may not carry a ${npc.shield}`, limits.source);
  }
  if (npc.armour !== undefined && npc.armor_class !== undefined && ab !== undefined) {
    const ac = attempt(() => armourClass(npc.armour!, npc.shield, ab.dex));
    if (ac instanceof Error) add('error', 'armour', ac.message, 'PHB Table 46');
    else if (ac.armor_class !== npc.armor_class) {
      add(
        'error',
        'armor_class',
        `AC ${npc.armor_class} should be ${ac.armor_class} (${ac.explanation})`,
        'PHB Table 46; PHB Table 2 (Dexterity defensive adjustment)',
      );
    }
  }

  if (npc.spells !== undefined && npc.spells.length > 0) {
    const castable = ab === undefined ? undefined : attempt(() => castableSlots(klass, level, ab));
    if (castable === undefined || castable instanceof Error) {
      add(
        'error',
        'spells',
        `a level ${level} ${klass} has no spells the rules data can check`,
        rec.source,
      );
    } else {
      const counts: number[] = [];
      for (const s of npc.spells) counts[s.level - 1] = (counts[s.level - 1] ?? 0) + 1;
      counts.forEach((n, i) => {
        const allowed = castable.slots[i] ?? 0;
        if (n > allowed) {
          add(
            'error',
            'spells',
            `${n} spells of level ${i + 1} memorised, the day allows ${allowed}`,
            rec.group === 'wizard'
              ? 'PHB Table 21; PHB Table 4 (maximum spell level)'
              : 'PHB Table 24; PHB Table 5 (bonus spells)',
          );
        }
      });
    }
  }
  if (npc.thief_skills !== undefined && klass !== 'thief' && klass !== 'bard') {
    add('error', 'thief_skills', `a ${klass} has no thieving skills`, 'PHB Chapter 3, Thief');
  }
  return out;
}
