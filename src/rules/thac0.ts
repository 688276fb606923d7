/**
 * THAC0 for characters (PHB Table 53) and creatures (DMG Table 39).
 *
 * `thac0Value(group, level)` is the hot path: a precomputed typed array, no allocation.
 * `thac0(classOrGroup, level)` is the rich answer with its derivation.
 * Past level 20 the table's own step pattern continues at PHB Table 53's improvement rate:
 * THAC0 = 20 - floor((level - 1) / per_levels) * points (e.g. priest 22 → 6).
 */
import { UsageError } from '../core/errors.ts';
import { monsterThac0Table } from '../data/monster-thac0.ts';
import { thac0Table } from '../data/thac0.ts';
import { type ClassKey, type GroupKey, resolveClassOrGroup } from './classes.ts';
import { derivation, type Derivation } from './derivation.ts';
import { resolveClassSet } from './multiclass.ts';
import { checkLevel } from './names.ts';

/** Highest level the open-ended lookups (THAC0, saves, turning) accept. */
export const MAX_LEVEL = 100;

const GROUP_INDEX: Record<GroupKey, number> = { warrior: 0, priest: 1, rogue: 2, wizard: 3 };
const STRIDE = MAX_LEVEL + 1;

/** THAC0 by [group index * STRIDE + level]; index 0 of each group is unused. */
const TABLE = new Int16Array(4 * STRIDE);
for (const group of Object.keys(GROUP_INDEX) as GroupKey[]) {
  const printed = thac0Table.groups[group];
  const rate = thac0Table.rate_beyond_20[group];
  for (let level = 1; level <= MAX_LEVEL; level++) {
    TABLE[GROUP_INDEX[group] * STRIDE + level] =
      level <= printed.length
        ? printed[level - 1]!
        : 20 - Math.floor((level - 1) / rate.per_levels) * rate.points;
  }
}

/** The step formula past 20, exported so a test can check it reproduces levels 1-20. */
export function thac0ByRate(group: GroupKey, level: number): number {
  const rate = thac0Table.rate_beyond_20[group];
  return 20 - Math.floor((level - 1) / rate.per_levels) * rate.points;
}

/** Hot path: THAC0 of a group at a level 1..MAX_LEVEL. Throws UsageError out of range. */
export function thac0Value(group: GroupKey, level: number): number {
  const index = GROUP_INDEX[group] as number | undefined;
  if (index === undefined) throw new UsageError(`unknown class group "${group}"`);
  if (!(level >= 1 && level <= MAX_LEVEL && Number.isInteger(level))) {
    checkLevel(level, 1, MAX_LEVEL, 'the THAC0 table');
  }
  return TABLE[index * STRIDE + level]!;
}

export interface Thac0Result {
  /** the class, or a multi-class name ("fighter/mage") */
  class?: ClassKey | string;
  group: GroupKey;
  level: number;
  thac0: number;
  /** a multi-class character: each class's THAC0 (the best one counts) */
  classes?: { class: ClassKey; group: GroupKey; level: number; thac0: number }[];
  derivation: Derivation;
}

const LEVEL_BANDS: Record<GroupKey, number> = { warrior: 1, priest: 3, rogue: 2, wizard: 3 };

/**
 * A multi-class character's THAC0: the best of its classes' (PHB Chapter 3, Multi-Class
 * Benefits and Restrictions). `levels` gives each class's level (one number: all alike).
 */
export function multiclassThac0(name: string, levels: number | readonly number[]): Thac0Result {
  const set = resolveClassSet(name);
  const per = set.classes.map((c, i) => {
    const lvl = typeof levels === 'number' ? levels : levels[i];
    if (lvl === undefined) throw new UsageError(`give a level for each class of ${set.name}`);
    const r = thac0(c, lvl);
    return { class: c, group: r.group, level: lvl, thac0: r.thac0, derivation: r.derivation };
  });
  const best = per.reduce((b, x) => (x.thac0 < b.thac0 ? x : b));
  return {
    class: set.name,
    group: best.group,
    level: Math.max(...per.map((p) => p.level)),
    thac0: best.thac0,
    classes: per.map(({ derivation: _d, ...p }) => p),
    derivation: derivation(
      per.flatMap((p) => p.derivation.uses),
      [],
      [
        `multi-class: the best THAC0 of ${per.map((p) => `${p.class} ${p.level} (${p.thac0})`).join(', ')} (PHB Chapter 3, Multi-Class Benefits and Restrictions)`,
      ],
    ),
  };
}

/** THAC0 for a class or group name (case-insensitive) at a level 1..MAX_LEVEL. */
export function thac0(classOrGroup: string, level: number): Thac0Result {
  if (classOrGroup.includes('/')) return multiclassThac0(classOrGroup, level);
  const who = resolveClassOrGroup(classOrGroup);
  const value = thac0Value(who.group, level);
  const notes: string[] = [];
  if (level > 20) {
    const r = thac0Table.rate_beyond_20[who.group];
    notes.push(
      `past level 20 the table is extended at its improvement rate (${r.points} per ${r.per_levels} level${r.per_levels > 1 ? 's' : ''})`,
    );
  }
  const band = LEVEL_BANDS[who.group];
  const from = Math.floor((level - 1) / band) * band + 1;
  const row =
    band === 1 || level > 20 ? `level ${level}` : `levels ${from}-${Math.min(from + band - 1, 20)}`;
  return {
    class: who.class,
    group: who.group,
    level,
    thac0: value,
    derivation: derivation(
      [{ table: 'thac0', source: thac0Table.source, row: `${who.group}, ${row}` }],
      [],
      notes,
    ),
  };
}

/** Parsed creature Hit Dice: "4+4" → {dice 4, modifier +4}; "1/2" → {dice 0.5}. */
export interface HitDice {
  text: string;
  dice: number;
  modifier: number;
  /** the row of DMG Table 39 used: 0 = "1/2 or less", -1 = "1-1", n = n HD (n ≥ 1) */
  row: number;
}

// ½ written as \u00bd: a bundle with one non-ASCII character is read as a two-byte string
const HD_PATTERN = /^(?:(\d+)\s*\/\s*(\d+)|\u00bd|(\d+)(?:\s*([+-])\s*(\d+))?)$/;

/**
 * Parse creature Hit Dice: "12", "4+4", "1-1", "1/2", "½", "3+2". Three or more added hit
 * points count as one more die (DMG, Table 39's note); n-m counts as the row below n.
 */
export function parseHitDice(text: string): HitDice {
  const t = text.trim();
  const m = HD_PATTERN.exec(t);
  if (m === null) {
    throw new UsageError(`bad Hit Dice "${text}": expected a form like 4, 4+4, 1-1 or 1/2`);
  }
  if (m[1] !== undefined || t === '½') {
    const num = m[1] === undefined ? 1 : Number(m[1]);
    const den = m[2] === undefined ? 2 : Number(m[2]);
    if (den === 0) throw new UsageError(`bad Hit Dice "${text}": division by zero`);
    const dice = num / den;
    if (dice > 1 || (dice === 1 && num !== den)) {
      throw new UsageError(`bad Hit Dice "${text}": a fraction must be at most 1`);
    }
    if (dice === 1) return { text: t, dice: 1, modifier: 0, row: 1 };
    return { text: t, dice, modifier: 0, row: 0 };
  }
  const dice = Number(m[3]);
  const sign = m[4] === '-' ? -1 : 1;
  const modifier = m[5] === undefined ? 0 : sign * Number(m[5]);
  if (dice > 1000) throw new UsageError(`bad Hit Dice "${text}": at most 1000 dice`);
  let row: number;
  if (modifier < 0) row = dice <= 1 ? -1 : dice - 1;
  else row = dice + (modifier >= 3 ? 1 : 0);
  if (dice === 0 && modifier <= 0) row = 0;
  return { text: t, dice, modifier, row };
}

export interface MonsterThac0Result {
  hit_dice: string;
  /** Hit Dice counted for the table, after the "+3 or more" rule */
  counted_as: string;
  thac0: number;
  derivation: Derivation;
}

/** Creature THAC0 for Hit Dice like "4+4", "1-1", "1/2", "12". */
export function monsterThac0(hd: string): MonsterThac0Result {
  const parsed = parseHitDice(hd);
  const t = monsterThac0Table;
  let value: number;
  let row: string;
  if (parsed.row === 0) {
    value = t.half_or_less;
    row = '1/2 HD or less';
  } else if (parsed.row === -1) {
    value = t.one_minus;
    row = '1-1 HD';
  } else {
    const last = t.by_hit_dice.length;
    value = t.by_hit_dice[Math.min(parsed.row, last) - 1]!;
    row = parsed.row >= last ? `${last} HD or more` : `${parsed.row} HD`;
  }
  const notes: string[] = [];
  if (parsed.modifier >= 3) {
    notes.push(`${parsed.text}: three or more added hit points count as another die`);
  } else if (parsed.modifier < 0 && parsed.dice > 1) {
    notes.push(`${parsed.text}: subtracted hit points count as the row below ${parsed.dice} HD`);
  }
  return {
    hit_dice: parsed.text,
    counted_as: row,
    thac0: value,
    derivation: derivation([{ table: 'monster-thac0', source: t.source, row }], [], notes),
  };
}
