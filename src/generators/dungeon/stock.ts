/**
 * Stocking: what is in each room (DMG-style proportions), treasure by treasure type,
 * the wandering-monster table built from the inhabitants, and a difficulty rating.
 */
import { dungeonData } from '../../data/dungeon.ts';
import type { MonsterData } from '../../data/monsters.ts';
import { treasureData } from '../../data/treasure.ts';
import { rollDice, type TableRoller } from '../tables.ts';
import { effectiveHitDice, findMonster, rollHitPoints } from './monsters.ts';
import { treasureRolls } from '../../rules/monsters.ts';
import type {
  ContentKind,
  Difficulty,
  MonsterGroup,
  Room,
  RoomContents,
  RoomLayout,
  Trap,
  Treasure,
  WanderingMonsters,
} from './types.ts';

const CONTENT_KINDS: readonly ContentKind[] = [
  'empty',
  'monster',
  'monster and treasure',
  'special',
  'trap',
  'treasure',
];

function emptyTreasure(types: string[]): Treasure {
  return {
    types,
    coins: { cp: 0, sp: 0, ep: 0, gp: 0, pp: 0 },
    gems: { count: 0, value_gp: 0 },
    art: { count: 0, value_gp: 0 },
    magic: [],
    value_gp: 0,
  };
}

/** Roll one treasure type once (DMG Table 84, simplified: see rules-data/treasure.yaml). */
function rollTreasureType(type: string, into: Treasure, roller: TableRoller): void {
  const def = treasureData.types[type];
  if (!def) throw new RangeError(`unknown treasure type ${type}`);
  for (const line of def.lines) {
    const roll = roller.rng.die(100);
    if (roll > line.chance) {
      roller.record(`treasure ${type} ${line.kind} (${line.chance}%)`, roll, 'none');
      continue;
    }
    const amount = rollDice(line.dice, roller.rng) * line.times;
    roller.record(`treasure ${type} ${line.kind} (${line.chance}%)`, roll, `${amount}`);
    switch (line.kind) {
      case 'gems':
        into.gems.count += amount;
        for (let i = 0; i < amount; i++) {
          const roll = roller.rng.die(100);
          into.gems.value_gp += treasureData.gem_values.entries.find((e) =>
            inRange(e.range, roll),
          )!.gp;
        }
        break;
      case 'art':
        into.art.count += amount;
        for (let i = 0; i < amount; i++) {
          const roll = roller.rng.die(100);
          const row = treasureData.art_values.entries.find((e) => inRange(e.range, roll))!;
          into.art.value_gp += rollDice(row.dice, roller.rng) * row.times;
        }
        break;
      case 'magic':
        into.magic.push({ category: line.category ?? 'any', count: amount });
        break;
      default:
        into.coins[line.kind] += amount;
    }
  }
}

function inRange(range: readonly [number, number], roll: number): boolean {
  return roll >= range[0] && roll <= range[1];
}

/** Roll treasure: lair types once, individual types (J-N) once per creature. */
export function rollTreasure(
  types: readonly string[],
  creatures: number,
  roller: TableRoller,
): Treasure {
  const treasure = emptyTreasure([...types]);
  for (const type of types) {
    const times =
      treasureData.types[type]?.lair === false && 'JKLMN'.includes(type)
        ? Math.max(1, creatures)
        : 1;
    for (let i = 0; i < times; i++) rollTreasureType(type, treasure, roller);
  }
  const rate = treasureData.exchange_gp;
  const coins =
    treasure.coins.cp * rate.cp +
    treasure.coins.sp * rate.sp +
    treasure.coins.ep * rate.ep +
    treasure.coins.gp * rate.gp +
    treasure.coins.pp * rate.pp;
  treasure.value_gp =
    Math.round((coins + treasure.gems.value_gp + treasure.art.value_gp) * 100) / 100;
  return treasure;
}

function monsterGroup(monster: MonsterData, roller: TableRoller): MonsterGroup {
  const count = Math.max(1, roller.dice(`number appearing: ${monster.name}`, monster.encounter));
  const hp: number[] = [];
  for (let i = 0; i < count; i++) hp.push(rollHitPoints(monster.hd, roller.rng));
  const group: MonsterGroup = {
    name: monster.name,
    count,
    hd: monster.hd,
    ac: monster.ac,
    thac0: monster.thac0,
    ...(monster.movement === undefined ? {} : { movement: monster.movement }),
    attacks: monster.attacks,
    damage: [...monster.damage],
    hp,
    xp_each: monster.xp,
    xp_total: monster.xp * count,
    treasure_types: treasureRolls(monster, true),
  };
  return group;
}

function rollTrap(roller: TableRoller): Trap {
  const name = roller.roll('trap');
  const def = dungeonData.traps[name];
  if (!def) throw new RangeError(`trap "${name}" has no entry in rules-data/dungeon.yaml traps`);
  return { name, ...def };
}

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** Stock one room: roll its contents and dress it. */
export function stockRoom(room: RoomLayout, level: number, roller: TableRoller): Room {
  const kind = roller.roll('room_contents') as ContentKind;
  if (!CONTENT_KINDS.includes(kind))
    throw new RangeError(`room_contents gave unknown kind "${kind}"`);
  const contents: RoomContents = { kind, monsters: [] };
  if (kind === 'monster' || kind === 'monster and treasure') {
    const monster = findMonster(roller.roll('monster'))!;
    const group = monsterGroup(monster, roller);
    contents.monsters.push(group);
    if (kind === 'monster and treasure') {
      const lair = treasureRolls(monster, true);
      const types = lair.length > 0 ? lair : unguardedTypes(level);
      contents.treasure = rollTreasure(types, group.count, roller);
    } else {
      // away from the lair a monster carries only its individual treasure (types J-N)
      const individual = treasureRolls(monster, false);
      if (individual.length > 0) contents.treasure = rollTreasure(individual, group.count, roller);
    }
  } else if (kind === 'trap') {
    contents.trap = rollTrap(roller);
  } else if (kind === 'special') {
    contents.special = roller.roll('special');
  } else if (kind === 'treasure') {
    contents.treasure = rollTreasure(unguardedTypes(level), 1, roller);
  }
  const dressing = roller.roll('dressing');
  const description = `${room.w * 10} by ${room.h * 10} ft chamber; ${dressing}.`;
  return { ...room, contents, description: capitalise(description) };
}

function unguardedTypes(level: number): string[] {
  return [...dungeonData.unguarded_treasure.by_level[level - 1]!];
}

const PLAIN_NAME = /^[a-z -]*$/;

/**
 * `a.localeCompare(b)`, without loading the ICU collator (~5 ms on a command's first call)
 * for names of lower-case letters, spaces and hyphens — every monster name in the rules
 * data — which the root collation orders as their code points do. Anything else is
 * compared by localeCompare itself.
 */
export function compareNames(a: string, b: string): number {
  if (PLAIN_NAME.test(a) && PLAIN_NAME.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return a.localeCompare(b);
}

/**
 * The wandering-monster table: the dungeon's own inhabitants on a d100, each monster's
 * share proportional to the rooms it holds (largest remainder, at least 1 each). A
 * dungeon without inhabitants falls back to the monsters of its level.
 */
export function wanderingMonsters(
  rooms: readonly Room[],
  levelMonsters: readonly MonsterData[],
): WanderingMonsters {
  const counts = new Map<string, number>();
  for (const r of rooms)
    for (const g of r.contents.monsters) counts.set(g.name, (counts.get(g.name) ?? 0) + 1);
  const builtFrom = counts.size > 0 ? 'inhabitants' : 'level';
  if (counts.size === 0) for (const m of levelMonsters) counts.set(m.name, 1);
  const names = [...counts.keys()].slice(0, 100);
  const total = names.reduce((s, n) => s + counts.get(n)!, 0);
  const spare = 100 - names.length;
  const shares = names.map((n) => {
    const exact = (counts.get(n)! / total) * spare;
    return { n, base: 1 + Math.floor(exact), rest: exact - Math.floor(exact) };
  });
  let left = 100 - shares.reduce((s, x) => s + x.base, 0);
  const byRest = [...shares].sort((a, b) => b.rest - a.rest || compareNames(a.n, b.n));
  for (let i = 0; left > 0; i = (i + 1) % byRest.length, left--) byRest[i]!.base++;
  let low = 1;
  const entries = shares.map((s) => {
    const range: [number, number] = [low, low + s.base - 1];
    low += s.base;
    return { range, result: s.n, number_appearing: findMonster(s.n)!.number_appearing };
  });
  return {
    built_from: builtFrom,
    check: 'roll 1d10 every hour (6 turns) the party spends in the dungeon; 1 means an encounter',
    dice: 'd100',
    entries,
  };
}

const PARTY_SIZE = 4;

/**
 * Our heuristic (2e has no challenge ratings): for each monster room, the creatures'
 * Hit Dice summed against party size × party level. The mean ratio rates the dungeon:
 * up to 0.5 easy, 1.0 fair, 1.5 hard, above deadly.
 */
export function rateDifficulty(
  rooms: readonly Room[],
  partyLevel: number,
  totalXp: number,
): Difficulty {
  const strength = PARTY_SIZE * partyLevel;
  let sum = 0;
  let n = 0;
  let hardest: string | null = null;
  let hardestRatio = 0;
  for (const r of rooms) {
    if (r.contents.monsters.length === 0) continue;
    const hd = r.contents.monsters.reduce((s, g) => s + g.count * effectiveHitDice(g.hd), 0);
    const ratio = hd / strength;
    sum += ratio;
    n++;
    if (ratio > hardestRatio) {
      hardestRatio = ratio;
      hardest = r.id;
    }
  }
  const average = n === 0 ? 0 : sum / n;
  const round = (x: number): number => Math.round(x * 100) / 100;
  return {
    party_level: partyLevel,
    party_size: PARTY_SIZE,
    average_ratio: round(average),
    hardest_room: hardest,
    hardest_ratio: round(hardestRatio),
    rating: average <= 0.5 ? 'easy' : average <= 1 ? 'fair' : average <= 1.5 ? 'hard' : 'deadly',
    xp_per_character: Math.floor(totalXp / PARTY_SIZE),
  };
}
