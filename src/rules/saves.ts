/**
 * Saving throws (PHB Table 60) with the racial Constitution bonus (PHB Table 9) and the
 * paladin's +2. `saves` holds the numbers to roll (d20 ≥ n) after the bonuses that apply
 * to a whole category; `base` is the table row. A dwarf's or halfling's bonus vs poison
 * covers only part of "paralyzation, poison or death magic", so it is listed in
 * `adjustments` (applies_to "poison only") and never folded into the number.
 */
import { UsageError } from '../core/errors.ts';
import { savingThrowsTable } from '../data/saving-throws.ts';
import type { RaceKey, SaveKey } from '../data/schemas/common.ts';
import { type ClassKey, type GroupKey, resolveClassOrGroup } from './classes.ts';
import { derivation, type Adjustment, type Derivation } from './derivation.ts';
import { resolveClassSet } from './multiclass.ts';
import { checkLevel, createResolver } from './names.ts';
import { resolveRace } from './race-names.ts';
import { MAX_LEVEL } from './thac0.ts';

export const SAVE_CATEGORIES = ['paralyzation', 'rod', 'petrification', 'breath', 'spell'] as const;
export type SaveCategory = (typeof SAVE_CATEGORIES)[number];

/** The data's short keys (the reference's ppd/rsw/pp/bw/sp) for each category. */
export const SAVE_KEYS: Record<SaveCategory, SaveKey> = {
  paralyzation: 'ppd',
  rod: 'rsw',
  petrification: 'pp',
  breath: 'bw',
  spell: 'sp',
};
const CATEGORY_OF: Record<SaveKey, SaveCategory> = {
  ppd: 'paralyzation',
  rsw: 'rod',
  pp: 'petrification',
  bw: 'breath',
  sp: 'spell',
};

export const SAVE_LABELS: Record<SaveCategory, string> = {
  paralyzation: 'Paralyzation, Poison, or Death Magic',
  rod: 'Rod, Staff, or Wand',
  petrification: 'Petrification or Polymorph',
  breath: 'Breath Weapon',
  spell: 'Spell',
};

const SAVE_ALIASES: Record<string, SaveCategory> = {
  ppd: 'paralyzation',
  paralysis: 'paralyzation',
  poison: 'paralyzation',
  death: 'paralyzation',
  'death-magic': 'paralyzation',
  rsw: 'rod',
  wand: 'rod',
  staff: 'rod',
  pp: 'petrification',
  polymorph: 'petrification',
  bw: 'breath',
  'breath-weapon': 'breath',
  sp: 'spell',
  spells: 'spell',
};

/** A save category or alias (ppd, rsw, pp, bw, sp, poison, wand, …) → canonical name. */
export const resolveSaveCategory: (name: string) => SaveCategory = createResolver(
  'save category',
  SAVE_CATEGORIES,
  SAVE_ALIASES,
);

export type SaveNumbers = Record<SaveCategory, number>;

export interface SavesOptions {
  race?: string;
  /** Constitution score, for the dwarf/gnome/halfling bonus */
  con?: number;
}

export interface SavesResult {
  /** the class, or a multi-class name ("fighter/mage") */
  class?: ClassKey | string;
  group: GroupKey;
  level: number;
  race?: RaceKey;
  /** numbers to roll, after every bonus that applies to a whole category */
  saves: SaveNumbers;
  /** the PHB Table 60 row */
  base: SaveNumbers;
  adjustments: Adjustment[];
  /** a multi-class character: the class whose save counts, per category */
  best_of?: Record<SaveCategory, ClassKey>;
  derivation: Derivation;
}

function band(group: GroupKey, level: number) {
  const bands = savingThrowsTable.groups[group];
  return bands.find((b) => level >= b.from && (b.to === null || level <= b.to));
}

/** The constitution bonus for a score, or 0 (PHB Table 9). */
export function conSaveBonus(con: number): number {
  return (
    savingThrowsTable.constitution_bonus.bands.find((b) => con >= b.from && con <= b.to)?.bonus ?? 0
  );
}

/**
 * Saving throws for a class (or group) at a level: warriors 0..100, others 1..100 (the
 * table's last rows are open-ended). Race and Constitution add the PHB Table 9 bonus.
 */
export function saves(
  classOrGroup: string,
  level: number | readonly number[],
  options: SavesOptions = {},
): SavesResult {
  if (classOrGroup.includes('/') || typeof level !== 'number') {
    return multiclassSaves(classOrGroup, level, options);
  }
  const who = resolveClassOrGroup(classOrGroup);
  const min = who.group === 'warrior' ? 0 : 1;
  checkLevel(level, min, MAX_LEVEL, `the ${who.group} saving throw table`);
  const row = band(who.group, level)!;
  const base: SaveNumbers = {
    paralyzation: row.ppd,
    rod: row.rsw,
    petrification: row.pp,
    breath: row.bw,
    spell: row.sp,
  };
  const out: SaveNumbers = { ...base };
  const adjustments: Adjustment[] = [];
  const uses = [
    {
      table: 'saving-throws',
      source: savingThrowsTable.source,
      row: `${who.group}, ${row.to === row.from ? `level ${row.from}` : row.to === null ? `levels ${row.from}+` : `levels ${row.from}-${row.to}`}`,
    },
  ];
  const notes: string[] = [];

  const race = options.race === undefined ? undefined : resolveRace(options.race);
  if (
    options.con !== undefined &&
    (!Number.isInteger(options.con) || options.con < 1 || options.con > 25)
  ) {
    throw new UsageError(`Constitution ${options.con} is outside 1-25`);
  }
  const conRule = race === undefined ? undefined : savingThrowsTable.constitution_bonus.races[race];
  if (conRule !== undefined) {
    const cb = savingThrowsTable.constitution_bonus;
    if (options.con === undefined) {
      notes.push(
        `a ${race} adds a Constitution bonus to some saves (${cb.source}); give con to apply it`,
      );
    } else {
      const bonus = conSaveBonus(options.con);
      uses.push({ table: 'save-bonus-con', source: cb.source, row: `Constitution ${options.con}` });
      if (bonus > 0) {
        for (const key of conRule.categories) out[CATEGORY_OF[key]] -= bonus;
        adjustments.push({
          label: `${race} Constitution ${options.con}`,
          value: bonus,
          source: cb.source,
          applies_to: conRule.categories.map((k) => CATEGORY_OF[k]).join(', '),
        });
        if (conRule.poison) {
          adjustments.push({
            label: `${race} Constitution ${options.con} vs poison`,
            value: bonus,
            source: cb.source,
            applies_to: 'poison only (not folded into paralyzation)',
          });
        }
      }
    }
  }
  const classRule = who.class === undefined ? undefined : savingThrowsTable.class_bonus[who.class];
  if (classRule !== undefined) {
    for (const key of classRule.categories) out[CATEGORY_OF[key]] -= classRule.bonus;
    adjustments.push({
      label: `${who.class} bonus to all saves`,
      value: classRule.bonus,
      source: classRule.source,
      applies_to: classRule.categories.map((k) => CATEGORY_OF[k]).join(', '),
    });
  }
  if (adjustments.length > 0)
    notes.push('bonuses lower the number to roll (a +2 bonus turns 14 into 12)');
  return {
    class: who.class,
    group: who.group,
    level,
    race,
    saves: out,
    base,
    adjustments,
    derivation: derivation(uses, adjustments, notes),
  };
}

/**
 * A multi-class character's saves: in each category the best of its classes' (PHB
 * Chapter 3, Multi-Class Benefits and Restrictions), with the racial bonus; a paladin's
 * +2 comes with the paladin's own numbers.
 */
export function multiclassSaves(
  name: string,
  levels: number | readonly number[],
  options: SavesOptions = {},
): SavesResult {
  const set = resolveClassSet(name);
  const per = set.classes.map((c, i) => {
    const lvl = typeof levels === 'number' ? levels : levels[i];
    if (lvl === undefined) throw new UsageError(`give a level for each class of ${set.name}`);
    return { class: c, level: lvl, r: saves(c, lvl, options) };
  });
  const first = per[0]!;
  const out = { ...first.r.saves };
  const base = { ...first.r.base };
  const bestOf = {} as Record<SaveCategory, ClassKey>;
  for (const cat of SAVE_CATEGORIES) {
    let best = first;
    for (const p of per) if (p.r.saves[cat] < best.r.saves[cat]) best = p;
    out[cat] = best.r.saves[cat];
    base[cat] = best.r.base[cat];
    bestOf[cat] = best.class;
  }
  const adjustments: Adjustment[] = [];
  for (const p of per)
    for (const a of p.r.adjustments)
      if (!adjustments.some((x) => x.label === a.label)) adjustments.push(a);
  const uses = per.flatMap((p) => p.r.derivation.uses);
  return {
    class: set.name,
    group: first.r.group,
    level: Math.max(...per.map((p) => p.level)),
    ...(first.r.race === undefined ? {} : { race: first.r.race }),
    saves: out,
    base,
    adjustments,
    best_of: bestOf,
    derivation: derivation(
      uses.filter((u, i) => uses.findIndex((v) => v.row === u.row && v.table === u.table) === i),
      adjustments,
      [
        `multi-class: each save is the best of ${per.map((p) => `${p.class} ${p.level}`).join(', ')} (PHB Chapter 3, Multi-Class Benefits and Restrictions)`,
      ],
    ),
  };
}

/** One category of `saves(...)`: the number to roll for e.g. "poison". */
export function saveFor(
  classOrGroup: string,
  level: number | readonly number[],
  category: string,
  options: SavesOptions = {},
): { category: SaveCategory; label: string; value: number; result: SavesResult } {
  const cat = resolveSaveCategory(category);
  const result = saves(classOrGroup, level, options);
  let value = result.saves[cat];
  // the poison-only bonus applies when the category was asked for as "poison"
  if (result.race !== undefined && category.trim().toLowerCase() === 'poison') {
    const poison = result.adjustments.find((a) => a.applies_to?.startsWith('poison only'));
    if (poison !== undefined) value -= poison.value;
  }
  return { category: cat, label: SAVE_LABELS[cat], value, result };
}
