/** Turning undead (PHB Table 61): a priest level against a kind of undead. */
import { UsageError } from '../core/errors.ts';
import { turnUndeadTable } from '../data/turn-undead.ts';
import type { TurnCell } from '../data/schemas/turn-undead.ts';
import { resolveClass } from './classes.ts';
import { derivation, type Derivation } from './derivation.ts';
import { checkLevel, createResolver } from './names.ts';
import { MAX_LEVEL } from './thac0.ts';

export type { TurnCell };
export const UNDEAD = turnUndeadTable.rows.map((r) => r.key);

const UNDEAD_ALIASES: Record<string, string> = {
  skeletons: 'skeleton',
  zombies: 'zombie',
  ghouls: 'ghoul',
  shadows: 'shadow',
  wights: 'wight',
  ghasts: 'ghast',
  wraiths: 'wraith',
  mummies: 'mummy',
  spectres: 'spectre',
  specter: 'spectre',
  vampires: 'vampire',
  ghosts: 'ghost',
  liches: 'lich',
  '1hd': 'skeleton',
  '1-hd': 'skeleton',
  '2hd': 'ghoul',
  '2-hd': 'ghoul',
  '3hd': 'shadow',
  '3-hd': 'shadow',
  '4hd': 'shadow',
  '4-hd': 'shadow',
  '5hd': 'wight',
  '5-hd': 'wight',
  '6hd': 'wraith',
  '6-hd': 'wraith',
  '7hd': 'mummy',
  '7-hd': 'mummy',
  '8hd': 'spectre',
  '8-hd': 'spectre',
  '9hd': 'vampire',
  '9-hd': 'vampire',
  '10hd': 'ghost',
  '10-hd': 'ghost',
  '11hd': 'lich',
  '11-hd': 'lich',
};

export const resolveUndead = createResolver('undead', UNDEAD, UNDEAD_ALIASES);

/** The column index (0..11) for a priest level: 1..9, 10-11, 12-13, 14+. */
export function turnColumn(level: number): number {
  if (level <= 9) return level - 1;
  if (level <= 11) return 9;
  if (level <= 13) return 10;
  return 11;
}

export function describeTurn(cell: TurnCell): string {
  if (cell === null) return 'cannot turn';
  if (cell === 'T') return 'turned automatically';
  if (cell === 'D') return 'destroyed automatically';
  if (cell === 'D*') return 'destroyed automatically, and 2d4 more creatures of this type';
  return `roll ${cell} or more on d20 to turn`;
}

export interface TurnEntry {
  undead: string;
  label: string;
  result: TurnCell;
  meaning: string;
}

export interface TurnUndeadResult {
  /** the level looked up (a paladin's is his level - 2) */
  priest_level: number;
  column: string;
  /** every row of the column, or just the one asked for */
  entries: TurnEntry[];
  derivation: Derivation;
}

/**
 * The turning column for a priest level (1..100); with `undead`, just that row. With
 * `class: 'paladin'` the paladin turns as a priest two levels lower (from 3rd level).
 */
export function turnUndead(
  level: number,
  undead?: string,
  options: { class?: string } = {},
): TurnUndeadResult {
  const notes: string[] = [];
  let effective = level;
  const klass = options.class === undefined ? undefined : resolveClass(options.class);
  // PHB chapter 3: clerics turn undead, paladins from 3rd level; druids, like every other
  // class, have no such power
  if (klass !== undefined && klass !== 'cleric' && klass !== 'paladin')
    throw new UsageError(
      `a ${klass} cannot turn undead: only clerics and paladins (from 3rd level) turn undead in the PHB`,
      { hint: 'e.g. dma turn 5 ghoul (a cleric) or dma turn 5 ghoul --class paladin' },
    );
  if (klass === 'paladin') {
    checkLevel(level, 3, MAX_LEVEL, 'paladin turning (paladins turn undead from 3rd level)');
    effective = level - 2;
    notes.push(`a paladin turns as a priest two levels lower: level ${level} → ${effective}`);
  } else {
    checkLevel(level, 1, MAX_LEVEL, 'the turning table');
  }
  const col = turnColumn(effective);
  const rows =
    undead === undefined
      ? turnUndeadTable.rows
      : [turnUndeadTable.rows.find((r) => r.key === resolveUndead(undead))!];
  const columnName = turnUndeadTable.columns[col]!;
  return {
    priest_level: effective,
    column: columnName,
    entries: rows.map((r) => ({
      undead: r.key,
      label: r.label,
      result: r.cells[col]!,
      meaning: describeTurn(r.cells[col]!),
    })),
    derivation: derivation(
      [
        {
          table: 'turn-undead',
          source: turnUndeadTable.source,
          row: `${undead === undefined ? 'all rows' : rows[0]!.label}, column ${columnName}`,
        },
      ],
      [],
      notes,
    ),
  };
}
