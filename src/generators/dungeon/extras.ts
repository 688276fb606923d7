/**
 * The stocker's view of the rules' item and trap tables: named magic items for a treasure
 * line, and a keyed trap (trigger, effect, save, damage, detection, removal) for a place.
 */
import { dungeonData } from '../../data/dungeon.ts';
import type { TableRoller } from '../tables.ts';
import type { TreasureLine } from '../../data/treasure.ts';
import { rollMagicLine } from '../../rules/magic-items.ts';
import type { MagicItem, Trap } from './types.ts';

/**
 * The named items of a treasure magic line that is present (its chance already made):
 * rolled on the DMG magic item tables by the rules (src/rules/magic-items.ts).
 */
export function namedItems(line: TreasureLine, roller: TableRoller): MagicItem[] {
  if (!line.items) return [];
  return rollMagicLine(roller.rng, line.items).map((i) => {
    roller.record(`magic item (${i.source})`, i.rolls.at(-1)?.roll ?? 0, i.name);
    return {
      name: i.name,
      category: i.category,
      xp: i.xp,
      gp: i.gp,
      cursed: i.cursed,
      ...(i.appears_as !== i.name ? { appears_as: i.appears_as } : {}),
      ...(i.charges === undefined ? {} : { charges: i.charges }),
      ...(i.quantity === undefined ? {} : { quantity: i.quantity }),
      summary: i.summary,
      source: i.source,
    };
  });
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
