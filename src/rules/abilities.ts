/**
 * Ability score tables (PHB Tables 1-6): one row for a score such as "16" or "18/76".
 * Exceptional strength (18/01-18/00) exists for warriors only.
 */
import { UsageError } from '../core/errors.ts';
import { abilitiesTable } from '../data/abilities.ts';
import type { AbilitiesData } from '../data/schemas/abilities.ts';
import { type ClassKey, isWarrior, resolveClass } from './classes.ts';
import { derivation, type Derivation } from './derivation.ts';
import { createResolver } from './names.ts';

export type Ability = 'str' | 'dex' | 'con' | 'int' | 'wis' | 'cha';
export const ABILITIES: readonly Ability[] = ['str', 'dex', 'con', 'int', 'wis', 'cha'];
const TABLE_OF: Record<Ability, keyof AbilitiesData> = {
  str: 'strength',
  dex: 'dexterity',
  con: 'constitution',
  int: 'intelligence',
  wis: 'wisdom',
  cha: 'charisma',
};
const ABILITY_ALIASES: Record<string, Ability> = Object.fromEntries(
  Object.entries(TABLE_OF).map(([k, v]) => [v, k as Ability]),
);

/** "str", "Strength", … → the ability key. */
export const resolveAbility = createResolver('ability', ABILITIES, ABILITY_ALIASES);

export type StrengthRow = AbilitiesData['strength']['rows'][number];
export type DexterityRow = AbilitiesData['dexterity']['rows'][number];
export type ConstitutionRow = AbilitiesData['constitution']['rows'][number];
export type IntelligenceRow = AbilitiesData['intelligence']['rows'][number];
export type WisdomRow = AbilitiesData['wisdom']['rows'][number];
export type CharismaRow = AbilitiesData['charisma']['rows'][number];
export type AbilityRowData =
  StrengthRow | DexterityRow | ConstitutionRow | IntelligenceRow | WisdomRow | CharismaRow;

export interface ParsedScore {
  score: number;
  /** exceptional strength percentile 1..100 (18/00 = 100) */
  percentile?: number;
}

/** "16" → {16}; "18/76" → {18, 76}; "18/00" → {18, 100}. */
export function parseScore(text: string | number): ParsedScore {
  const t = String(text).trim();
  const m = /^(\d{1,2})(?:\/(\d{2,3}))?$/.exec(t);
  if (m === null)
    throw new UsageError(`bad ability score "${t}": expected a number like 16 or 18/76`);
  const score = Number(m[1]);
  if (score < 1 || score > 25) throw new UsageError(`ability score ${score} is outside 1-25`);
  if (m[2] === undefined) return { score };
  if (score !== 18) {
    throw new UsageError(
      `bad ability score "${t}": only a Strength of 18 has a percentile (18/01-18/00)`,
    );
  }
  const raw = Number(m[2]);
  const percentile = raw === 0 ? 100 : raw;
  if (percentile > 100 || (m[2].length === 3 && raw !== 100)) {
    throw new UsageError(`bad exceptional strength "${t}": the percentile runs 18/01-18/00`);
  }
  return { score, percentile };
}

/** The Strength table key for a parsed score: "18/76" → "18/76-90". */
export function strengthKey(p: ParsedScore): string {
  if (p.percentile === undefined) return String(p.score);
  const q = p.percentile;
  if (q <= 50) return '18/01-50';
  if (q <= 75) return '18/51-75';
  if (q <= 90) return '18/76-90';
  if (q <= 99) return '18/91-99';
  return '18/00';
}

export interface AbilityRowResult {
  ability: Ability;
  score: string;
  /** the table row's key: "18/76-90", "16" */
  row_key: string;
  row: AbilityRowData;
  derivation: Derivation;
}

/** The abilities' names as the PHB writes them. */
export const ABILITY_TITLES: Record<Ability, string> = {
  str: 'Strength',
  dex: 'Dexterity',
  con: 'Constitution',
  int: 'Intelligence',
  wis: 'Wisdom',
  cha: 'Charisma',
};

/**
 * The table row for an ability score. With `class`, 18/xx strength for a non-warrior is a
 * UsageError (PHB Chapter 1: exceptional strength is for warriors only).
 */
export function abilityRow(
  ability: string,
  score: string | number,
  options: { class?: string } = {},
): AbilityRowResult {
  const key = resolveAbility(ability);
  const parsed = parseScore(score);
  const klass: ClassKey | undefined =
    options.class === undefined ? undefined : resolveClass(options.class);
  if (parsed.percentile !== undefined) {
    if (key !== 'str') {
      throw new UsageError(
        `bad ${ABILITY_TITLES[key]} "${score}": only Strength has a percentile (18/01-18/00)`,
      );
    }
    if (klass !== undefined && !isWarrior(klass)) {
      throw new UsageError(
        `exceptional strength (${String(score).trim()}) is for warriors only (fighter, paladin, ranger); a ${klass} with Strength 18 uses the 18 row`,
        { hint: `dma ability str 18 --class ${klass}` },
      );
    }
  }
  const table = abilitiesTable[TABLE_OF[key]];
  const rowKey = key === 'str' ? strengthKey(parsed) : String(parsed.score);
  const row = (table.rows as readonly AbilityRowData[]).find((r) => String(r.score) === rowKey)!;
  const notes: string[] = [];
  if (key === 'con' && klass !== undefined) {
    notes.push(
      isWarrior(klass)
        ? 'a warrior uses the hp_warrior column (the figure in parentheses)'
        : `a ${klass} uses the hp column; the parenthesised figure is for warriors only`,
    );
  }
  if (
    key === 'str' &&
    parsed.score === 18 &&
    parsed.percentile === undefined &&
    klass !== undefined &&
    isWarrior(klass)
  ) {
    notes.push(
      'a warrior with Strength 18 rolls percentile dice for exceptional strength (18/01-18/00)',
    );
  }
  return {
    ability: key,
    score: String(score).trim(),
    row_key: rowKey,
    row,
    derivation: derivation(
      [
        {
          table: ABILITY_TITLES[key].toLowerCase(),
          source: table.source,
          row: `${ABILITY_TITLES[key]} ${rowKey}`,
        },
      ],
      [],
      notes,
    ),
  };
}
