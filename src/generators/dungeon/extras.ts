/**
 * The stocker's view of the rules' item and trap tables: named magic items for a treasure
 * line, and a keyed trap (trigger, effect, save, damage, detection, removal) for a place.
 */
import type { TableRoller } from '../tables.ts';
import type { TreasureLine } from '../../data/treasure.ts';
import { rollMagicLine } from '../../rules/magic-items.ts';
import { rollTrap, type RolledTrap } from '../../rules/traps.ts';
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

/** what a thief's Find/Remove Traps roll is adjusted by, as the key prints it */
function adjust(n: number): string {
  return n === 0 ? '' : ` at ${n > 0 ? '+' : ''}${n}%`;
}

/** The key's view of a rolled trap: every line as the DM reads it. */
export function keyedTrap(t: RolledTrap, location: Trap['location']): Trap {
  const d = t.detection;
  const found = [
    `thief Find/Remove Traps${adjust(d.thief_adjust)}${d.thief_halved ? ' (halved: magical)' : ''}`,
    ...d.racial.map((r) => `${r.race} ${r.ability} ${r.chance} (${r.source})`),
    ...(d.spells.length > 0 ? [`spells: ${d.spells.join(', ')}`] : []),
    ...(d.signs ? [`signs: ${d.signs}`] : []),
  ].join('; ');
  const r = t.removal;
  const removed = [
    r.thief
      ? `thief Find/Remove Traps${adjust(r.thief_adjust)} (a failed roll of ${r.springs_on}+ springs it)`
      : 'not by a thief',
    r.how,
    ...(r.bypass ? [`bypass: ${r.bypass}`] : []),
  ]
    .filter((x) => x.length > 0)
    .join('; ');
  const attack = t.attack
    ? ` (${t.attack.count} attack${t.attack.count === 1 ? '' : 's'} at THAC0 ${t.attack.thac0})`
    : '';
  return {
    name: t.name,
    location,
    kind: t.kind,
    trigger: t.trigger,
    effect: `${t.effect}${attack}`,
    save: t.save.text,
    damage: t.damage ?? 'none',
    detection: found,
    removal: removed,
    reset: t.reset,
    source: t.source,
  };
}

/** A trap for a room, door, chest or corridor of a dungeon level, from the trap table. */
export function trapFor(location: Trap['location'], level: number, roller: TableRoller): Trap {
  const t = rollTrap(roller.rng, { placement: location, level });
  roller.record(`${location} trap`, 0, t.name);
  return keyedTrap(t, location);
}
