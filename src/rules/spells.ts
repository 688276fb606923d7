/**
 * Spells per day: wizards (PHB Table 21, plus one per spell level for specialists) and
 * priests (PHB Table 24, plus Wisdom bonus spells from PHB Table 5 for spell levels the
 * priest can already cast; 6th- and 7th-level spells need Wisdom 17 and 18).
 * Bards cast wizard spells from 2nd level (PHB Table 32); paladins (from 9th) and rangers
 * (from 8th) cast priest spells of a few spheres at a casting level of their own, without
 * Wisdom bonus spells (PHB Chapter 3).
 */
import { UsageError } from '../core/errors.ts';
import { abilitiesTable } from '../data/abilities.ts';
import { spellProgressionTable } from '../data/spell-progression.ts';
import { type ClassKey, classRecord, resolveClass } from './classes.ts';
import { type Adjustment, derivation, type Derivation, type TableUse } from './derivation.ts';
import { checkLevel } from './names.ts';

export interface SpellLevelSlots {
  spell_level: number;
  base: number;
  bonus: number;
  total: number;
}

export interface SpellSlotsResult {
  class: ClassKey;
  level: number;
  wis?: number;
  spells: SpellLevelSlots[];
  /** paladins and rangers: the level at which their spells are cast */
  casting_level?: number;
  /** paladins and rangers: the priest spheres they draw on */
  spheres?: string[];
  derivation: Derivation;
}

/** The late casters: bard (wizard spells), paladin and ranger (priest spells). */
const LATE_CASTERS = ['bard', 'paladin', 'ranger'] as const;
type LateCaster = (typeof LATE_CASTERS)[number];

function lateCasterSlots(
  klass: LateCaster,
  level: number,
  wis: number | undefined,
): SpellSlotsResult {
  const t = spellProgressionTable[klass];
  const row = t.levels[Math.min(level, 20) - 1]!;
  const spells = row.map((base, i) => ({ spell_level: i + 1, base, bonus: 0, total: base }));
  const notes: string[] = [];
  const uses: TableUse[] = [
    { table: `${klass}-spells`, source: t.source, row: `level ${Math.min(level, 20)}` },
  ];
  if (level < t.first_level) notes.push(`a ${klass} casts no spells before level ${t.first_level}`);
  if (level > 20) notes.push('past level 20: the level 20 row');
  let extra: { casting_level?: number; spheres?: string[] } = {};
  if (klass !== 'bard') {
    const h = spellProgressionTable[klass];
    const casting = h.casting_level[Math.min(level, 20) - 1]!;
    extra = { ...(casting > 0 ? { casting_level: casting } : {}), spheres: [...h.spheres] };
    notes.push(
      `priest spells of the ${h.spheres.join(', ')} spheres${casting > 0 ? `, cast at casting level ${casting}` : ''}; no Wisdom bonus spells`,
    );
  } else {
    notes.push('wizard spells, learnt as a mage learns them (PHB Table 4 limits by Intelligence)');
  }
  return {
    class: klass,
    level,
    ...(wis === undefined ? {} : { wis }),
    spells,
    ...extra,
    derivation: derivation(uses, [], notes),
  };
}

/** Wisdom bonus spells for scores up to `wis` (cumulative), counted per spell level. */
export function wisdomBonusSpells(wis: number): number[] {
  const counts = [0, 0, 0, 0, 0, 0, 0];
  for (const row of abilitiesTable.wisdom.rows) {
    if (row.score > wis) break;
    for (const lvl of row.bonus_spells) counts[lvl - 1]!++;
  }
  return counts;
}

export function spellSlots(
  className: string,
  level: number,
  options: { wis?: number } = {},
): SpellSlotsResult {
  const klass = resolveClass(className);
  const rec = classRecord(klass);
  if ((LATE_CASTERS as readonly string[]).includes(klass)) {
    checkLevel(level, 1, 100, 'the spell progression tables');
    return lateCasterSlots(klass as LateCaster, level, options.wis);
  }
  if (rec.group !== 'wizard' && rec.group !== 'priest') {
    throw new UsageError(`a ${klass} casts no spells`);
  }
  checkLevel(level, 1, 20, 'the spell progression tables');
  const wis = options.wis;
  if (wis !== undefined && (!Number.isInteger(wis) || wis < 1 || wis > 25)) {
    throw new UsageError(`Wisdom ${wis} is outside 1-25`);
  }
  const uses: TableUse[] = [];
  const adjustments: Adjustment[] = [];
  const notes: string[] = [];
  let spells: SpellLevelSlots[];
  if (rec.group === 'wizard') {
    const t = spellProgressionTable.wizard;
    const row = t.levels[level - 1]!;
    uses.push({ table: 'wizard-spells', source: t.source, row: `level ${level}` });
    const specialist = rec.specialist_school !== undefined;
    spells = row.map((base, i) => {
      const bonus = specialist ? t.specialist_bonus : 0;
      return { spell_level: i + 1, base, bonus, total: base + bonus };
    });
    if (specialist) {
      adjustments.push({
        label: `specialist (${rec.specialist_school}) extra spell per spell level`,
        value: t.specialist_bonus,
        source: 'PHB Chapter 3, Specialist Wizards',
        applies_to: `${rec.specialist_school} spells only`,
      });
    }
  } else {
    const t = spellProgressionTable.priest;
    const row = t.levels[level - 1]!;
    uses.push({ table: 'priest-spells', source: t.source, row: `level ${level}` });
    const bonus = wis === undefined ? [0, 0, 0, 0, 0, 0, 0] : wisdomBonusSpells(wis);
    if (wis !== undefined)
      uses.push({ table: 'wisdom', source: t.wisdom_bonus_source, row: `Wisdom ${wis}` });
    spells = row.map((base, i) => {
      const needed = t.min_wisdom_for_level[String(i + 1)];
      const allowed = needed === undefined || wis === undefined || wis >= needed;
      const b = allowed ? bonus[i]! : 0;
      return {
        spell_level: i + 1,
        base: allowed ? base : 0,
        bonus: b,
        total: allowed ? base + b : 0,
      };
    });
    for (const [lvl, needed] of Object.entries(t.min_wisdom_for_level)) {
      const s = spells[Number(lvl) - 1];
      if (s === undefined) continue;
      if (wis === undefined) notes.push(`${lvl}th-level spells need Wisdom ${needed}`);
      else if (wis < needed)
        notes.push(`${lvl}th-level spells need Wisdom ${needed}: none at Wisdom ${wis}`);
    }
    const total = spells.reduce((s, x) => s + x.bonus, 0);
    if (total > 0) {
      adjustments.push({
        label: `Wisdom ${wis} bonus spells`,
        value: total,
        source: t.wisdom_bonus_source,
      });
    }
    if (wis !== undefined && bonus.some((b, i) => b > 0 && (row[i] ?? 0) === 0)) {
      notes.push('bonus spells of levels the priest cannot cast yet are not counted');
    }
  }
  return {
    class: klass,
    level,
    ...(wis === undefined ? {} : { wis }),
    spells,
    derivation: derivation(uses, adjustments, notes),
  };
}
