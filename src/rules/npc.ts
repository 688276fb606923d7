/**
 * Rules for whole characters: alignment names, hit points, armour class, memorisable
 * spells, and a character's THAC0, saves and hit points over its classes (shared by the
 * NPC generator and `checkNpcLegality`, src/rules/legality.ts).
 */
import { UsageError } from '../core/errors.ts';
import {
  ALIGNMENT_CODES,
  ALIGNMENT_NAMES,
  alignmentAliases,
  type AlignmentCode,
} from '../core/alignments.ts';
import { abilitiesTable } from '../data/abilities.ts';
import type { RaceKey } from '../data/schemas/common.ts';
import { type ClassKey, classRecord, groupRecord, isWarrior } from './classes.ts';
import { armour } from './equipment.ts';
import { createResolver } from './names.ts';
import { SAVE_CATEGORIES, type SaveNumbers, saves } from './saves.ts';
import { spellSlots } from './spells.ts';
import { thac0Value } from './thac0.ts';

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

/**
 * `warriorCon`: use the warriors' Constitution figure (a multi-class character with a
 * warrior class uses it for every class, PHB Chapter 3, Multi-Class Benefits).
 */
export function hitPointRule(
  klass: ClassKey,
  level: number,
  con: number,
  warriorCon: boolean = isWarrior(klass),
): HitPointRule {
  const g = groupRecord(classRecord(klass).group);
  const row = abilitiesTable.constitution.rows[con - 1];
  if (row === undefined) throw new UsageError(`Constitution ${con} is outside 1-25`);
  return {
    hit_die: g.hit_die,
    dice_levels: Math.min(level, g.name_level),
    con_adjustment: warriorCon ? row.hp_warrior : row.hp,
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
  warriorCon: boolean = isWarrior(klass),
): { min: number; max: number } {
  const rule = hitPointRule(klass, level, con, warriorCon);
  const fixed = Math.max(0, level - rule.dice_levels) * rule.per_level_after;
  return {
    min: rule.dice_levels * hitPointsForDie(rule, 1) + fixed,
    max: rule.dice_levels * hitPointsForDie(rule, rule.hit_die) + fixed,
  };
}

export interface ClassLevel {
  class: ClassKey;
  level: number;
}

/**
 * A multi-class character's hit point range: each class's dice as for that class (the
 * warrior Constitution figure for all when one class is a warrior), totalled and divided
 * by the number of classes, fractions dropped (PHB Chapter 3, Multi-Class Benefits).
 */
export function multiclassHitPointRange(
  entries: readonly ClassLevel[],
  con: number,
): { min: number; max: number } {
  const warrior = entries.some((e) => isWarrior(e.class));
  let min = 0;
  let max = 0;
  for (const e of entries) {
    const r = hitPointRange(e.class, e.level, con, warrior);
    min += r.min;
    max += r.max;
  }
  return {
    min: Math.max(1, Math.floor(min / entries.length)),
    max: Math.max(1, Math.floor(max / entries.length)),
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
 * Spells per day for a caster, by spell level, capped by Intelligence for wizards and
 * bards (PHB Table 4: maximum spell level) — they cannot learn spells above it. Undefined
 * for non-casters and for a bard, paladin or ranger below the level their spells start.
 */
const castableCache = new Map<string, { slots: number[]; capped_above?: number } | undefined>();

export function castableSlots(
  klass: ClassKey,
  level: number,
  abilities: { int: number; wis: number },
): { slots: number[]; capped_above?: number } | undefined {
  // a pure function of its inputs, asked for thousands of times in a batch: cached, copied out
  const key = `${klass}|${level}|${abilities.int}|${abilities.wis}`;
  let hit = castableCache.get(key);
  if (hit === undefined && !castableCache.has(key)) {
    hit = computeCastableSlots(klass, level, abilities);
    castableCache.set(key, hit);
  }
  return hit === undefined ? undefined : { ...hit, slots: [...hit.slots] };
}

function computeCastableSlots(
  klass: ClassKey,
  level: number,
  abilities: { int: number; wis: number },
): { slots: number[]; capped_above?: number } | undefined {
  const late = klass === 'bard' || klass === 'paladin' || klass === 'ranger';
  if (late) {
    const slots = spellSlots(klass, Math.min(level, 20)).spells.map((s) => s.total);
    if (slots.length === 0) return undefined;
    if (klass === 'bard') {
      const max = abilitiesTable.intelligence.rows[abilities.int - 1]?.max_spell_level ?? 0;
      if (slots.length > max) {
        slots.length = max;
        return { slots, capped_above: max };
      }
    }
    return { slots };
  }
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

/** One class of a character, as the sheet records it (multi- and dual-class sheets). */
export interface SheetClass extends ClassLevel {
  xp?: number;
  dual?: 'old' | 'new';
  spell_slots?: number[];
}

/**
 * The classes whose abilities a character may use: every class of a multi-class
 * character; a dual-class character's new class, and the old one too once the new
 * class's level exceeds it (PHB Chapter 3, Dual-Class Benefits and Restrictions).
 */
export function activeClasses<T extends SheetClass>(entries: readonly T[]): T[] {
  const old = entries.find((e) => e.dual === 'old');
  const next = entries.find((e) => e.dual === 'new');
  if (old === undefined || next === undefined) return [...entries];
  return next.level > old.level ? [old, next] : [next];
}

/** The character's THAC0: the best of its usable classes' (PHB Table 53; PHB Chapter 3). */
export function characterThac0(entries: readonly SheetClass[]): { thac0: number; class: ClassKey } {
  let best: { thac0: number; class: ClassKey } | undefined;
  for (const e of activeClasses(entries)) {
    const t = thac0Value(classRecord(e.class).group, e.level);
    if (best === undefined || t < best.thac0) best = { thac0: t, class: e.class };
  }
  return best!;
}

/** Each save the best of the usable classes', with the racial Constitution bonus. */
export function characterSaves(
  entries: readonly SheetClass[],
  options: { race?: RaceKey; con?: number },
): SaveNumbers {
  const active = activeClasses(entries);
  const opts = {
    ...(options.race === undefined ? {} : { race: options.race }),
    ...(options.con === undefined ? {} : { con: options.con }),
  };
  let out: SaveNumbers | undefined;
  for (const e of active) {
    const s = saves(e.class, e.level, opts).saves;
    if (out === undefined) out = { ...s };
    else for (const c of SAVE_CATEGORIES) out[c] = Math.min(out[c], s[c]);
  }
  return out!;
}

/**
 * Hit points a character can have: one class's dice; a multi-class character's averaged
 * (PHB Chapter 3, Multi-Class Benefits); a dual-class character's old-class hit points,
 * plus the new class's dice for each level above the old one (Dual-Class Benefits).
 */
export function characterHitPointRange(
  entries: readonly SheetClass[],
  con: number,
): { min: number; max: number } {
  const old = entries.find((e) => e.dual === 'old');
  const next = entries.find((e) => e.dual === 'new');
  if (old !== undefined && next !== undefined) {
    const base = hitPointRange(old.class, old.level, con);
    if (next.level <= old.level) return base;
    const upper = hitPointRange(next.class, next.level, con);
    const lower = hitPointRange(next.class, old.level, con);
    return { min: base.min + upper.min - lower.min, max: base.max + upper.max - lower.max };
  }
  if (entries.length === 1) return hitPointRange(entries[0]!.class, entries[0]!.level, con);
  return multiclassHitPointRange(entries, con);
}
