/**
 * Monster helpers over the catalogue (rules-data/monsters.yaml): Hit Dice strings, hit
 * points, the key's view of a creature (specials with their mechanics, morale, MR, book
 * reference), selection by dungeon level, habitat and XP.
 */
import type { Rng } from '../../core/rng.ts';
import { dungeonTable } from '../../data/dungeon.ts';
import type { MonsterData } from '../../data/monsters.ts';
import {
  effectiveHitDice,
  findMonster,
  listMonsters,
  moraleRating,
  resolveMonster,
  rollHitPoints,
} from '../../rules/monsters.ts';
import { monsterThac0 } from '../../rules/thac0.ts';
import type { MonsterGroup } from './types.ts';

export {
  effectiveHitDice,
  parseHitDice,
  rollHitPoints,
  thac0HitDice,
  type HitDice,
} from '../../rules/monsters.ts';

export { findMonster };

/** A catalogue monster by name, alias or plural; UsageError with a "did you mean" otherwise. */
export function requireMonster(name: string): MonsterData {
  return resolveMonster(name);
}

/** Monsters stocked on a dungeon level. */
export function monstersForLevel(level: number): MonsterData[] {
  return listMonsters({ level });
}

/** "13-14" → "elite (13-14)"; "special" stays. */
export function moraleText(morale: string): string {
  // "special" in the MM: the entry says how (mindless undead never check morale)
  if (morale === 'special') return 'special (see the MM entry)';
  return `${moraleRating(morale)} (${morale})`;
}

type Special = MonsterData['special_attacks'][number];

/** "poison: …text… (save vs. poison at -2)" */
export function specialText(s: Special): string {
  const save =
    s.save === undefined
      ? ''
      : ` (save vs. ${s.save}${s.save_modifier ? ` at ${s.save_modifier > 0 ? '+' : ''}${s.save_modifier}` : ''})`;
  return `${s.name}: ${s.text}${save}`;
}

/** "MM p. 349: Troll" → "MM p. 349" (the entry name is the monster's). */
export function bookReference(m: MonsterData): string {
  return m.source;
}

/** The key's view of `count` creatures of a catalogue entry, hit points rolled. */
export function monsterGroup(
  m: MonsterData,
  count: number,
  rng: Rng,
  role?: {
    role: string;
    hd?: string;
    hp?: number | string;
    ac?: number;
    thac0?: number;
    note?: string;
    damage_bonus?: number;
  },
): MonsterGroup {
  const hd = role?.hd ?? m.hd;
  const hp: number[] = [];
  for (let i = 0; i < count; i++) {
    if (typeof role?.hp === 'number') hp.push(role.hp);
    else if (typeof role?.hp === 'string') {
      const [lo, hi] = role.hp.split('-').map(Number) as [number, number];
      hp.push(rng.int(lo, hi));
    } else hp.push(m.hp ?? rollHitPoints(hd, rng));
  }
  const xp = role?.hd !== undefined && role.hd !== m.hd ? xpForHitDice(m, role.hd) : m.xp;
  const damage = m.damage.map((d) => (role?.damage_bonus ? `${d} +${role.damage_bonus}` : d));
  const specials = m.special_attacks.map(specialText);
  if (role?.note) specials.unshift(role.note);
  return {
    name: m.name,
    count,
    ...(role ? { role: role.role } : {}),
    hd,
    ac: role?.ac ?? m.ac,
    // a leader with other Hit Dice fights with their THAC0 (DMG Table 39)
    thac0: role?.thac0 ?? (hd !== m.hd ? monsterThac0(hd).thac0 : m.thac0),
    movement: m.movement,
    attacks: m.attacks,
    damage,
    special_attacks: specials,
    special_defences: m.special_defenses.map(specialText),
    magic_resistance: m.magic_resistance === 0 ? 'nil' : `${m.magic_resistance}%`,
    morale: moraleText(m.morale),
    size: m.size,
    hp,
    xp_each: xp,
    xp_total: xp * count,
    treasure_types: [...m.treasure.individual, ...m.treasure.lair],
    source: bookReference(m),
  };
}

/**
 * XP of a leader with more Hit Dice than the rank and file: the rank and file's XP scaled
 * by the base XP of the two Hit Dice on DMG Table 31 (so a 3 HD orc leader is worth what
 * an orc's specials add to a 3 HD creature).
 */
export function xpForHitDice(m: MonsterData, hd: string): number {
  const base = (h: string): number => {
    const e = dungeonTable.encounters;
    if (effectiveHitDice(h) < 1) return e.xp_below_one_hit_die;
    const n = Math.round(effectiveHitDice(h));
    return e.xp_by_hit_dice[Math.min(n, e.xp_by_hit_dice.length) - 1]!;
  };
  return Math.max(1, Math.round((m.xp * base(hd)) / base(m.hd)));
}
