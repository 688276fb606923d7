/**
 * The stocker's view of the rules' item and trap tables: named magic items for a treasure
 * line, and a keyed trap (trigger, effect, save, damage, detection, removal) for a place.
 */
import { dungeonData } from '../../data/dungeon.ts';
import type { TableRoller } from '../tables.ts';
import type { MagicItem, Trap } from './types.ts';

/** The named items of a treasure magic line that is present. */
export function namedItems(_category: string, _count: number, _roller: TableRoller): MagicItem[] {
  return [];
}

/** A trap for a room, door, chest or corridor. */
export function trapFor(location: Trap['location'], roller: TableRoller): Trap {
  const name = roller.roll('trap');
  const def = dungeonData.traps[name]!;
  return {
    name,
    location,
    trigger: 'stepping on it or opening it',
    effect: def.effect,
    save: def.save,
    damage: def.damage,
    detection: 'thief Find/Remove Traps; search',
    removal: 'thief Find/Remove Traps',
    source: dungeonData.tables.trap!.source ?? '',
  };
}
