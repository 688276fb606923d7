/**
 * Rules for whole characters: alignment names, hit points, armour class, memorisable
 * spells, and `checkNpcLegality`, which audits a character sheet against the rules engine
 * (used by the NPC generator's property tests and by `dma audit`).
 */
import { UsageError } from '../core/errors.ts';
import { abilitiesTable } from '../data/abilities.ts';
import { npcGearTable } from '../data/npc-gear.ts';
import { racesTable } from '../data/races.ts';
import type { RaceKey } from '../data/schemas/common.ts';
import { ABILITIES, type Ability } from './abilities.ts';
import { type ClassKey, classRecord, groupRecord, isWarrior, resolveClass } from './classes.ts';
import { experienceTable } from '../data/experience.ts';
import { armour } from './equipment.ts';
import {
  DUAL_CLASS,
  MULTICLASS_SOURCE,
  checkMulticlassRace,
  resolveClassSet,
} from './multiclass.ts';
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
  /** a class, or a multi- or dual-class name ("fighter/mage") */
  class: string;
  level: number;
  /** multi- and dual-class: each class with its level (and experience) */
  classes?: readonly SheetClass[];
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
  spells?: readonly { name: string; level: number; class?: string }[];
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

const an = (w: string) => (/^[aeiou]/i.test(w) ? `an ${w}` : `a ${w}`);

/**
 * Audit a character against the rules: class (or multi-class combination, or dual-class
 * pair), race and alignment allowed together; each level within 1-20 and the race's
 * limit; a multi-class character's experience split evenly and matching its levels;
 * ability scores within the race's range and every class's minimums (a dual-class
 * character's 15 and 17 in the prime requisites); exceptional strength only for warriors
 * with 18; hit points within what the hit dice allow; THAC0 and saving throws as the
 * tables give them (the best of the usable classes); armour and shield allowed for a
 * class; the AC they give; spells within each caster's slots; thief skills only for a
 * thief, bard or ranger. Returns every finding (empty when the sheet is legal); never
 * throws for a bad sheet.
 */
export function checkNpcLegality(npc: CharacterSheet): LegalityFinding[] {
  const out: LegalityFinding[] = [];
  const add = (severity: Severity, field: string, message: string, source: string) =>
    out.push({ severity, field, message, source });

  const dualSheet = npc.classes?.some((c) => c.dual !== undefined) === true;
  let classes: ClassKey[];
  if (dualSheet) {
    const parts = attempt(() => npc.class.split('/').map((p) => resolveClass(p.trim())));
    if (parts instanceof Error || parts.length !== 2) {
      add(
        'error',
        'class',
        parts instanceof Error
          ? parts.message
          : `a dual-class character has two classes, not "${npc.class}"`,
        DUAL_CLASS.source,
      );
      return out;
    }
    classes = parts;
  } else {
    const set = attempt(() => resolveClassSet(npc.class));
    if (set instanceof Error) {
      add(
        'error',
        'class',
        set.message,
        npc.class.includes('/') ? MULTICLASS_SOURCE : 'PHB Chapter 3',
      );
      return out;
    }
    classes = set.classes;
  }
  const multi = classes.length > 1 && !dualSheet;
  const name = classes.join('/');
  let race: RaceKey | undefined;
  if (npc.race !== undefined) {
    const r = attempt(() => resolveRace(npc.race!));
    if (r instanceof Error) add('error', 'race', r.message, 'PHB Chapter 2');
    else race = r;
  }
  const raceRec = race === undefined ? undefined : racesTable.races[race];
  for (const klass of classes) {
    const rec = classRecord(klass);
    if (race !== undefined && !rec.races.includes(race)) {
      add(
        'error',
        'race',
        `${an(race)} cannot be ${an(klass)} (${an(klass)} may be ${rec.races.join(', ')})`,
        `${racesTable.races[race].source}; ${rec.source}`,
      );
    }
  }
  if (multi && race !== undefined) {
    const bad = attempt(() => checkMulticlassRace(resolveClassSet(name), race!));
    if (bad instanceof Error) add('error', 'class', bad.message, MULTICLASS_SOURCE);
  }
  if (dualSheet && race !== undefined && !DUAL_CLASS.races.includes(race)) {
    add('error', 'class', `only humans may be dual-class, not ${an(race)}`, DUAL_CLASS.source);
  }
  if (npc.alignment !== undefined) {
    const a = attempt(() => resolveAlignment(npc.alignment!));
    if (a instanceof Error) add('error', 'alignment', a.message, 'PHB Chapter 4');
    else {
      for (const klass of classes) {
        const rec = classRecord(klass);
        if (!(rec.alignments as readonly string[]).includes(a)) {
          add(
            'error',
            'alignment',
            `${an(klass)} cannot be ${ALIGNMENT_NAMES[a]} (allowed: ${rec.alignments.map((c) => ALIGNMENT_NAMES[c as AlignmentCode]).join(', ')})`,
            rec.source,
          );
        }
      }
    }
  }
  const level = npc.level;
  if (!Number.isInteger(level) || level < 1 || level > 20) {
    add('error', 'level', `level ${level} is outside 1-20`, 'PHB Chapter 3');
    return out;
  }
  // each class's level: the sheet's list, or the one level for every class
  let entries: SheetClass[];
  if (npc.classes !== undefined && classes.length > 1) {
    const listed = npc.classes.map((c) => attempt(() => resolveClass(c.class)));
    const ok =
      listed.length === classes.length &&
      listed.every((c, i) => !(c instanceof Error) && c === classes[i]);
    if (!ok) {
      add('error', 'classes', `the classes listed do not match ${name}`, MULTICLASS_SOURCE);
      return out;
    }
    entries = npc.classes.map((c, i) => ({ ...c, class: classes[i]! }));
    if (entries.some((e) => !Number.isInteger(e.level) || e.level < 1 || e.level > 20)) {
      add('error', 'classes', 'a class level is outside 1-20', 'PHB Chapter 3');
      return out;
    }
    const top = Math.max(...entries.map((e) => e.level));
    if (level !== top) {
      add(
        'error',
        'level',
        `level ${level} should be the highest class level, ${top}`,
        MULTICLASS_SOURCE,
      );
    }
  } else {
    entries = classes.map((c) => ({ class: c, level }));
  }
  for (const e of entries) {
    const limit = raceRec?.level_limits[e.class];
    if (limit !== undefined && limit !== null && e.level > limit) {
      add(
        'error',
        'level',
        `${an(race!)} ${e.class} cannot rise above level ${limit}, not ${e.level}`,
        'DMG Chapter 2, Racial Class and Level Limits',
      );
    }
  }
  if (multi && npc.classes !== undefined && race !== undefined) {
    const xps = entries.map((e) => e.xp);
    if (xps.every((x) => x !== undefined)) {
      if (new Set(xps).size > 1) {
        add(
          'error',
          'classes',
          `a multi-class character's experience is split equally, not ${xps.join('/')}`,
          MULTICLASS_SOURCE,
        );
      } else {
        const share = xps[0]!;
        entries.forEach((e) => {
          const xp = experienceTable.tables[classRecord(e.class).xp_table].xp;
          let l = 1;
          while (l < 20 && xp[l]! <= share) l++;
          const limit = raceRec!.level_limits[e.class];
          if (limit !== undefined && limit !== null) l = Math.min(l, limit);
          if (l !== e.level) {
            add(
              'error',
              'classes',
              `${share} XP makes ${an(race!)} ${e.class} level ${l}, not ${e.level}`,
              `${experienceTable.tables[classRecord(e.class).xp_table].source}; ${MULTICLASS_SOURCE}`,
            );
          }
        });
      }
    }
  }
  if (dualSheet) {
    const old = entries.find((e) => e.dual === 'old');
    const next = entries.find((e) => e.dual === 'new');
    if (
      old === undefined ||
      next === undefined ||
      old.class !== classes[0] ||
      next.class !== classes[1]
    ) {
      add(
        'error',
        'classes',
        `a dual-class ${name} lists its old class first, then the new`,
        DUAL_CLASS.source,
      );
      return out;
    }
  }
  const active = activeClasses(entries);

  const ab = npc.abilities;
  const warrior = classes.some((c) => isWarrior(c));
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
      for (const klass of classes) {
        const rec = classRecord(klass);
        const min = (rec.minimums as Partial<Record<Ability, number>>)[k];
        if (min !== undefined && score < min) {
          add(
            'error',
            `abilities.${k}`,
            `${an(klass)} needs ${ABILITY_TITLES[k]} ${min}, not ${score}`,
            rec.source,
          );
        }
      }
    }
    if (dualSheet) {
      classes.forEach((klass, i) => {
        const need = i === 0 ? DUAL_CLASS.old_class_minimum : DUAL_CLASS.new_class_minimum;
        for (const k of classRecord(klass).prime_requisites as Ability[]) {
          if (ab[k] < need) {
            add(
              'error',
              `abilities.${k}`,
              `a dual-class character needs ${ABILITY_TITLES[k]} ${need} for the ${i === 0 ? 'old' : 'new'} class ${klass}, not ${ab[k]}`,
              DUAL_CLASS.source,
            );
          }
        }
      });
    }
    if (ab.str_exceptional !== undefined) {
      if (!warrior || ab.str !== 18) {
        add(
          'error',
          'abilities.str_exceptional',
          `exceptional strength is for warriors with Strength 18 only (${an(name)} with Strength ${ab.str})`,
          'PHB Table 1',
        );
      }
    } else if (warrior && ab.str === 18) {
      add(
        'warning',
        'abilities.str_exceptional',
        'a warrior with Strength 18 rolls percentile dice for exceptional strength',
        'PHB Table 1',
      );
    }

    if (npc.hit_points !== undefined && ab.con >= 1 && ab.con <= 25) {
      const { min, max } = characterHitPointRange(entries, ab.con);
      if (npc.hit_points < min || npc.hit_points > max) {
        if (entries.length === 1) {
          const rule = hitPointRule(classes[0]!, level, ab.con);
          add(
            'error',
            'hit_points',
            `${npc.hit_points} hit points is outside ${min}-${max} (${rule.dice_levels}d${rule.hit_die}, Constitution ${ab.con} ${rule.con_adjustment >= 0 ? '+' : ''}${rule.con_adjustment} per die, +${rule.per_level_after} per level past name level)`,
            rule.source,
          );
        } else {
          add(
            'error',
            'hit_points',
            `${npc.hit_points} hit points is outside ${min}-${max} (${entries.map((e) => `${e.class} ${e.level}`).join(', ')}, Constitution ${ab.con})`,
            dualSheet ? DUAL_CLASS.source : MULTICLASS_SOURCE,
          );
        }
      }
    }
  }

  if (npc.thac0 !== undefined) {
    const expected = characterThac0(entries);
    if (npc.thac0 !== expected.thac0) {
      add(
        'error',
        'thac0',
        `THAC0 ${npc.thac0} should be ${expected.thac0} (${active.length > 1 ? `the best of ${active.map((e) => `${e.class} ${e.level}`).join(', ')}` : `${classRecord(expected.class).group} level ${active[0]!.level}`})`,
        'PHB Table 53',
      );
    }
  }
  if (npc.saves !== undefined) {
    const expected = characterSaves(entries, {
      ...(race === undefined ? {} : { race }),
      ...(ab === undefined ? {} : { con: ab.con }),
    });
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

  // armour: what any class allows (PHB Chapter 3, Multi-Class Benefits)
  const limits = classes.map((c) => npcGearTable.limits[c]);
  if (npc.armour !== undefined && !limits.some((l) => l.armour.includes(npc.armour!))) {
    add(
      'error',
      'armour',
      `${an(name)} may not wear ${npc.armour}`,
      limits.map((l) => l.source).join('; '),
    );
  }
  if (npc.shield !== undefined && !limits.some((l) => l.shields.includes(npc.shield!))) {
    add(
      'error',
      'shield',
      `${an(name)} may not carry a ${npc.shield}`,
      limits.map((l) => l.source).join('; '),
    );
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
    const casters = active.filter(
      (e) => ab !== undefined && castableSlots(e.class, e.level, ab) !== undefined,
    );
    if (casters.length === 0 || ab === undefined) {
      add(
        'error',
        'spells',
        `${an(name)} of level ${level} casts no spells the rules data can check`,
        classRecord(classes[0]!).source,
      );
    } else {
      for (const e of casters) {
        const castable = castableSlots(e.class, e.level, ab)!;
        const mine = npc.spells.filter((sp) =>
          casters.length === 1
            ? sp.class === undefined || sp.class === e.class
            : sp.class === e.class,
        );
        const counts: number[] = [];
        for (const sp of mine) counts[sp.level - 1] = (counts[sp.level - 1] ?? 0) + 1;
        counts.forEach((n, i) => {
          const allowed = castable.slots[i] ?? 0;
          if (n > allowed) {
            add(
              'error',
              'spells',
              `${n} ${e.class} spells of level ${i + 1} memorised, the day allows ${allowed}`,
              classRecord(e.class).group === 'wizard' || e.class === 'bard'
                ? 'PHB Tables 21 and 32; PHB Table 4 (maximum spell level)'
                : 'PHB Table 24; PHB Table 5 (bonus spells); PHB Chapter 3 (paladin, ranger)',
            );
          }
        });
      }
      const unassigned = npc.spells.filter(
        (sp) => casters.length > 1 && !casters.some((e) => e.class === sp.class),
      );
      if (unassigned.length > 0) {
        add(
          'error',
          'spells',
          `${unassigned.length} spells name no caster class of ${name}`,
          MULTICLASS_SOURCE,
        );
      }
    }
  }
  if (npc.thief_skills !== undefined) {
    const skilled = active.some((e) => e.class === 'thief' || e.class === 'bard');
    const ranger = active.some((e) => e.class === 'ranger');
    const keys = Object.keys(npc.thief_skills);
    if (
      !skilled &&
      !(ranger && keys.every((k) => k === 'hide_in_shadows' || k === 'move_silently'))
    ) {
      add('error', 'thief_skills', `${an(name)} has no thieving skills`, 'PHB Chapter 3, Thief');
    }
  }
  return out;
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
