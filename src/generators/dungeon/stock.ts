/**
 * Stocking: what is in each room, sized to the party.
 *
 * The XP budget (rules-data/dungeon.yaml `encounters`): a fair fight for one character is
 * worth the DMG Table 31 XP of a creature whose Hit Dice equal the character's level; a
 * room's budget is that times the party size. Each monster room rolls a target (easy, fair,
 * hard), a creature of the dungeon level and the theme's habitats whose single XP fits the
 * target is chosen, and the number appearing is the target divided by its XP, never more
 * than its number appearing (the MM lair total for a lair, the room group otherwise).
 * Each room's rating is its XP against the same budget, so "fair" means fair.
 */
import { UsageError } from '../../core/errors.ts';
import { dungeonTable } from '../../data/dungeon.ts';
import type { MonsterData } from '../../data/monsters.ts';
import { monstersTable } from '../../data/monsters.ts';
import { treasureTable } from '../../data/treasure.ts';
import { rollDice, type TableRoller } from '../tables.ts';
import { namedItems, trapFor } from './extras.ts';
import {
  effectiveHitDice,
  findMonster,
  monsterGroup,
  monstersForLevel,
  requireMonster,
} from './monsters.ts';
import type {
  ContentKind,
  Difficulty,
  EncounterRating,
  KeyRoom,
  MonsterGroup,
  Room,
  RoomContents,
  RoomLayout,
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

type ThemeData = (typeof dungeonTable.themes)[string];

/** A list drawn without repeats; reshuffled only when every entry has been drawn. */
export class Deck<T> {
  private left: T[] = [];
  constructor(
    private readonly items: readonly T[],
    private readonly roller: TableRoller,
    private readonly name: string,
  ) {}
  draw(): T {
    if (this.left.length === 0) this.left = [...this.items];
    const i = this.roller.rng.int(0, this.left.length - 1);
    const [item] = this.left.splice(i, 1);
    this.roller.record(this.name, i + 1, String(item));
    return item!;
  }
}

// ---------------------------------------------------------------- budget and ratings

export interface Budget {
  partyLevel: number;
  partySize: number;
  perCharacter: number;
  room: number;
}

export function encounterBudget(partyLevel: number, partySize: number): Budget {
  const table = dungeonTable.encounters.xp_by_hit_dice;
  const perCharacter = table[Math.min(partyLevel, table.length) - 1]!;
  return { partyLevel, partySize, perCharacter, room: perCharacter * partySize };
}

export function ratingOf(ratio: number): EncounterRating['rating'] {
  const r = dungeonTable.encounters.ratings;
  return ratio <= r.easy ? 'easy' : ratio <= r.fair ? 'fair' : ratio <= r.hard ? 'hard' : 'deadly';
}

const round2 = (x: number): number => Math.round(x * 100) / 100;

export function rateGroups(groups: readonly MonsterGroup[], budget: Budget): EncounterRating {
  const xp = groups.reduce((s, g) => s + g.xp_total, 0);
  const ratio = round2(xp / budget.room);
  return { xp, budget_xp: budget.room, ratio, rating: ratingOf(ratio) };
}

// ---------------------------------------------------------------- choosing monsters

/** the largest number a dice or range string can give ("2d4" 8, "30-300" 300, "1" 1) */
export function maxOf(expr: string): number {
  const range = /^(\d+)-(\d+)$/.exec(expr);
  if (range) return Number(range[2]);
  const dice = /^(\d*)d(\d+)([+-]\d+)?$/.exec(expr);
  if (dice) return (dice[1] === '' ? 1 : Number(dice[1])) * Number(dice[2]) + Number(dice[3] ?? 0);
  return Math.max(1, Number.parseInt(expr, 10) || 1);
}

export interface StockContext {
  roller: TableRoller;
  level: number;
  budget: Budget;
  themeName: string;
  theme: ThemeData;
  /** monsters of this dungeon level living in the theme's habitats */
  candidates: MonsterData[];
  dressing: Deck<string>;
  purposes: Deck<string>;
}

export function themeCandidates(level: number, theme: ThemeData): MonsterData[] {
  const habitats = new Set(theme.habitats);
  return monstersForLevel(level).filter((m) => m.habitat.some((h) => habitats.has(h)));
}

function weightOf(m: MonsterData, theme: ThemeData): number {
  const w = monstersTable.frequency_weights[m.frequency];
  return w * (m.tags.some((t) => theme.tags.includes(t)) ? 3 : 1);
}

/**
 * A creature for a room with `targetXp`: among `pool` (default the level's candidates),
 * those one of which is worth at most `single_creature_cap` × target, weighted by
 * frequency and theme. When none fits, the cheapest creature of the pool.
 */
export function pickMonster(
  ctx: StockContext,
  targetXp: number,
  filter?: (m: MonsterData) => boolean,
): MonsterData {
  const pool0 = ctx.candidates.filter((m) => !filter || filter(m));
  const pool = pool0.length > 0 ? pool0 : ctx.candidates;
  const cap = targetXp * dungeonTable.encounters.single_creature_cap;
  const fitting = pool.filter((m) => m.xp <= cap);
  if (fitting.length === 0) {
    const cheapest = [...pool].sort((a, b) => a.xp - b.xp || (a.name < b.name ? -1 : 1))[0]!;
    ctx.roller.record('monster (none fits the budget: the cheapest)', 0, cheapest.name);
    return cheapest;
  }
  const total = fitting.reduce((s, m) => s + weightOf(m, ctx.theme), 0);
  const roll = ctx.roller.rng.int(1, total);
  let acc = 0;
  for (const m of fitting) {
    acc += weightOf(m, ctx.theme);
    if (roll <= acc) {
      ctx.roller.record('monster', roll, m.name);
      return m;
    }
  }
  return fitting[fitting.length - 1]!;
}

/** How many of `m` make a fight worth `targetXp`: at least 1, at most its number appearing. */
export function countFor(m: MonsterData, targetXp: number, lair: boolean): number {
  const upper = maxOf(lair ? m.number_appearing : m.encounter);
  return Math.max(1, Math.min(upper, Math.floor(targetXp / m.xp)));
}

function rollTarget(ctx: StockContext): number {
  const t = dungeonTable.encounters.targets;
  const roll = rollDice(t.dice, ctx.roller.rng);
  const entry = t.entries.find((e) => roll >= e.range[0] && roll <= e.range[1])!;
  ctx.roller.record('encounter target (× budget)', roll, String(entry.ratio));
  return entry.ratio;
}

// ---------------------------------------------------------------- treasure

function emptyTreasure(types: string[]): Treasure {
  return {
    types,
    coins: { cp: 0, sp: 0, ep: 0, gp: 0, pp: 0 },
    gems: { count: 0, value_gp: 0 },
    art: { count: 0, value_gp: 0 },
    magic: [],
    items: [],
    value_gp: 0,
  };
}

function inRange(range: readonly [number, number], roll: number): boolean {
  return roll >= range[0] && roll <= range[1];
}

/** Roll one treasure type once (DMG Table 84, see rules-data/treasure.yaml). */
function rollTreasureType(
  type: string,
  into: Treasure,
  roller: TableRoller,
  scale: number,
  log = true,
): void {
  const def = treasureTable.types[type];
  if (!def) throw new RangeError(`unknown treasure type ${type}`);
  for (const line of def.lines) {
    // a part of a lair has a part of the chance of its magic (the items are not divisible)
    const chance =
      line.kind === 'magic' && scale < 1
        ? Math.max(1, Math.round(line.chance * scale))
        : line.chance;
    const roll = roller.rng.die(100);
    if (roll > chance) {
      if (log) roller.record(`treasure ${type} ${line.kind} (${chance}%)`, roll, 'none');
      continue;
    }
    const rolled = rollDice(line.dice, roller.rng) * line.times;
    const amount = line.kind === 'magic' ? rolled : Math.max(1, Math.round(rolled * scale));
    if (log) roller.record(`treasure ${type} ${line.kind} (${chance}%)`, roll, `${amount}`);
    switch (line.kind) {
      case 'gems':
        into.gems.count += amount;
        for (let i = 0; i < amount; i++) {
          const r = roller.rng.die(100);
          into.gems.value_gp += treasureTable.gem_values.entries.find((e) =>
            inRange(e.range, r),
          )!.gp;
        }
        break;
      case 'art':
        into.art.count += amount;
        for (let i = 0; i < amount; i++) {
          const r = roller.rng.die(100);
          const row = treasureTable.art_values.entries.find((e) => inRange(e.range, r))!;
          into.art.value_gp += rollDice(row.dice, roller.rng) * row.times;
        }
        break;
      case 'magic': {
        const category = line.category ?? 'any';
        into.magic.push({ category, count: amount });
        into.items.push(...namedItems(line, roller));
        break;
      }
      default:
        into.coins[line.kind] += amount;
    }
  }
}

/** "Qx5" → ["Q", 5] */
function parseLetter(t: string): [string, number] {
  const m = /^([A-Z])(?:x(\d+))?$/.exec(t);
  if (!m) throw new RangeError(`treasure type "${t}" is not a letter with an optional xN`);
  return [m[1]!, m[2] === undefined ? 1 : Number(m[2])];
}

/**
 * Roll treasure: lair types once (coins, gems and art scaled by `scale`: the DMG's lair
 * treasure is for the full lair), individual types (J-N) once per creature.
 */
export function rollTreasure(
  types: readonly string[],
  creatures: number,
  roller: TableRoller,
  scale = 1,
): Treasure {
  const treasure = emptyTreasure([...types]);
  for (const t of types) {
    const [type, times] = parseLetter(t);
    const individual = treasureTable.types[type]?.lair === false && 'JKLMN'.includes(type);
    const n = (individual ? Math.max(1, creatures) : 1) * times;
    if (individual && n > 1) {
      // each creature's purse is rolled; the log keeps one line for all of them
      const before = { ...treasure.coins };
      for (let i = 0; i < n; i++) rollTreasureType(type, treasure, roller, 1, false);
      const got = (Object.keys(before) as (keyof Treasure['coins'])[])
        .filter((k) => treasure.coins[k] !== before[k])
        .map((k) => `${treasure.coins[k] - before[k]} ${k}`);
      roller.record(`treasure ${type} (each of ${n} creatures)`, n, got.join(', ') || 'none');
      continue;
    }
    for (let i = 0; i < n; i++) rollTreasureType(type, treasure, roller, individual ? 1 : scale);
  }
  const rate = treasureTable.exchange_gp;
  const coins =
    treasure.coins.cp * rate.cp +
    treasure.coins.sp * rate.sp +
    treasure.coins.ep * rate.ep +
    treasure.coins.gp * rate.gp +
    treasure.coins.pp * rate.pp;
  const items = treasure.items.reduce((s, i) => s + (i.gp ?? 0), 0);
  treasure.value_gp =
    Math.round((coins + treasure.gems.value_gp + treasure.art.value_gp + items) * 100) / 100;
  return treasure;
}

/** Coins and goods lie in a chest: locked one time in two, trapped one time in six. */
function chestFor(treasure: Treasure, level: number, roller: TableRoller): void {
  const hasGoods =
    Object.values(treasure.coins).some((n) => n > 0) ||
    treasure.gems.count > 0 ||
    treasure.items.length > 0;
  if (!hasGoods) return;
  const locked = roller.dice('chest locked (1-3 on d6)', '1d6') <= 3;
  const trapped = roller.dice('chest trapped (1 on d6)', '1d6') === 1;
  treasure.container = {
    kind: 'chest',
    locked,
    ...(trapped ? { trap: trapFor('chest', level, roller) } : {}),
  };
}

function unguardedTypes(level: number): string[] {
  return [...dungeonTable.unguarded_treasure.by_level[level - 1]!];
}

/** The average of a number-appearing string ("2d4" 5, "30-300" 165). */
function averageOf(expr: string): number {
  const range = /^(\d+)-(\d+)$/.exec(expr);
  if (range) return (Number(range[1]) + Number(range[2])) / 2;
  const dice = /^(\d*)d(\d+)([+-]\d+)?$/.exec(expr);
  if (dice)
    return (
      ((dice[1] === '' ? 1 : Number(dice[1])) * (Number(dice[2]) + 1)) / 2 + Number(dice[3] ?? 0)
    );
  return Math.max(1, Number.parseInt(expr, 10) || 1);
}

/** Lair treasure of `count` creatures, scaled to the share of a full lair they are. */
function lairTreasure(
  m: MonsterData,
  count: number,
  roller: TableRoller,
  fullScale?: number,
): Treasure | undefined {
  const types = [...m.treasure.individual, ...m.treasure.lair];
  if (types.length === 0) return undefined;
  const scale = fullScale ?? Math.min(1, count / Math.max(1, averageOf(m.number_appearing)));
  return rollTreasure(types, count, roller, scale);
}

// ---------------------------------------------------------------- rooms

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** the floor cells of a room (caves: only the open cells of its shape) */
function floorCells(room: RoomLayout): [number, number][] {
  const out: [number, number][] = [];
  for (let y = 0; y < room.h; y++)
    for (let x = 0; x < room.w; x++)
      if (room.shape === undefined || room.shape[y]![x] === '.') out.push([room.x + x, room.y + y]);
  return out;
}

/** a floor cell of the room that is not under stairs or another mark */
function freeCell(
  room: RoomLayout,
  taken: ReadonlySet<string>,
  roller: TableRoller,
): [number, number] {
  const cells = floorCells(room).filter(([x, y]) => !taken.has(`${x},${y}`));
  const list = cells.length > 0 ? cells : floorCells(room);
  return list[roller.rng.int(0, list.length - 1)]!;
}

/** What a room must hold, decided before it is stocked (themes, set pieces). */
export interface RoomPlan {
  kind?: ContentKind;
  purpose?: string;
  setPiece?: KeyRoom;
  /** the monster groups, already made */
  groups?: MonsterGroup[];
  /** the monster whose lair treasure the room holds; `scale` 1 is the full hoard */
  lairOf?: { monster: MonsterData; count: number; scale?: number };
  /** extra text: the chieftain's hoard, tombs */
  note?: string;
}

/** Stock one room: its contents (planned or rolled), its treasure, traps, dressing. */
export function stockRoom(
  room: RoomLayout,
  ctx: StockContext,
  plan: RoomPlan,
  taken: Set<string>,
): Room {
  const { roller } = ctx;
  let kind = plan.kind ?? (roller.roll('room_contents') as ContentKind);
  if (!CONTENT_KINDS.includes(kind))
    throw new RangeError(`room_contents gave unknown kind "${kind}"`);
  const contents: RoomContents = { kind, monsters: [] };
  if (plan.setPiece) contents.set_piece = plan.setPiece.name;
  if (plan.groups) {
    contents.monsters.push(...plan.groups);
    if (plan.lairOf) {
      const t = lairTreasure(plan.lairOf.monster, plan.lairOf.count, roller, plan.lairOf.scale);
      if (t) contents.treasure = t;
    } else {
      // away from the hoard each creature carries its individual treasure (types J-N)
      const m = findMonster(plan.groups[0]!.name);
      const n = plan.groups.reduce((s, g) => s + g.count, 0);
      if (m && m.treasure.individual.length > 0)
        contents.treasure = rollTreasure(m.treasure.individual, n, roller);
    }
  } else if (kind === 'monster' || kind === 'monster and treasure') {
    const target = rollTarget(ctx) * ctx.budget.room;
    const m = pickMonster(ctx, target);
    const lair = m.treasure.lair.length > 0;
    const count = countFor(m, target, lair);
    contents.monsters.push(monsterGroup(m, count, roller.rng));
    const t = lair
      ? lairTreasure(m, count, roller)
      : m.treasure.individual.length > 0
        ? rollTreasure(m.treasure.individual, count, roller)
        : undefined;
    if (t) contents.treasure = t;
    else if (kind === 'monster and treasure')
      // a lairless creature sits on what its victims left behind
      contents.treasure = rollTreasure(unguardedTypes(ctx.level), 1, roller);
  } else if (kind === 'trap') {
    const [x, y] = freeCell(room, taken, roller);
    taken.add(`${x},${y}`);
    contents.trap = { ...trapFor('room', ctx.level, roller), x, y };
  } else if (kind === 'special') {
    const text = roller.roll('special');
    const [x, y] = freeCell(room, taken, roller);
    taken.add(`${x},${y}`);
    contents.special = text;
    contents.feature = { text, x, y };
  } else if (kind === 'treasure') {
    contents.treasure = rollTreasure(unguardedTypes(ctx.level), 1, roller);
  }
  if (contents.monsters.length > 0) {
    contents.encounter = rateGroups(contents.monsters, ctx.budget);
    if (kind !== 'monster' && kind !== 'monster and treasure') kind = contents.kind = 'monster';
  }
  if (contents.treasure) chestFor(contents.treasure, ctx.level, roller);
  contents.purpose = plan.purpose ?? ctx.purposes.draw();
  const dressing = ctx.dressing.draw();
  const what = room.shape ? 'irregular cave, about' : 'chamber,';
  const note = plan.note ? ` ${capitalise(plan.note)}.` : '';
  const description = `${capitalise(contents.purpose)}: ${what} ${room.w * 10} by ${room.h * 10} ft; ${dressing}.${note}`;
  return { ...room, contents, description };
}

// ---------------------------------------------------------------- set pieces and themes

/**
 * The rooms that get the set pieces: the room with the down stairs first, then the rooms
 * farthest (by their centres) from the entrance; never the entrance unless it is alone.
 */
export function setPieceRooms(
  rooms: readonly RoomLayout[],
  downRoom: string | undefined,
  n: number,
): string[] {
  const first = rooms[0]!;
  const cx = (r: RoomLayout): number => r.x + r.w / 2;
  const cy = (r: RoomLayout): number => r.y + r.h / 2;
  const dist = (r: RoomLayout): number => Math.abs(cx(r) - cx(first)) + Math.abs(cy(r) - cy(first));
  const order = rooms
    .slice(1)
    .sort((a, b) =>
      a.id === downRoom ? -1 : b.id === downRoom ? 1 : dist(b) - dist(a) || a.number - b.number,
    )
    .map((r) => r.id);
  if (order.length === 0) order.push(first.id);
  return order.slice(0, n);
}

/** A set piece: its chosen monster (or one picked for a hard fight), sized to the budget. */
export function setPiecePlan(key: KeyRoom, ctx: StockContext): RoomPlan {
  const target = dungeonTable.encounters.set_piece_ratio * ctx.budget.room;
  const m = key.monster !== undefined ? requireMonster(key.monster) : pickMonster(ctx, target);
  if (key.monster === undefined) ctx.roller.record(`set piece ${key.name}`, 0, m.name);
  const count = countFor(m, target, true);
  return {
    kind: 'monster and treasure',
    purpose: key.name,
    setPiece: key,
    groups: [monsterGroup(m, count, ctx.roller.rng)],
    lairOf: { monster: m, count },
  };
}

export function validateKeyRooms(keys: readonly KeyRoom[]): void {
  for (const k of keys) {
    if (k.name.trim() === '')
      throw new UsageError('a key room needs a name, e.g. "throne room:hill giant"');
    if (k.monster !== undefined) requireMonster(k.monster);
  }
}

// ---------------------------------------------------------------- wandering monsters

/** 2d10 results from the middle out: the likeliest rolls go to the commonest creatures. */
const TWO_D10 = 'roll 2d10';

/**
 * The wandering-monster table of the dungeon level, DMG-style (2e DMG Chapter 11,
 * "Creating Encounter Tables": a 2d10 table with the common creatures in the middle and
 * the rare at the ends): the inhabitants and other creatures of the level's habitats,
 * at least 8 entries, each with a number appearing sized to a fair fight for the party.
 */
export function wanderingMonsters(rooms: readonly Room[], ctx: StockContext): WanderingMonsters {
  const inhabitants = new Set<string>();
  for (const r of rooms) for (const g of r.contents.monsters) inhabitants.add(g.name);
  const byName = new Map<string, MonsterData>();
  for (const m of ctx.candidates) byName.set(m.name, m);
  const cap = ctx.budget.room * dungeonTable.encounters.single_creature_cap;
  const chosen: MonsterData[] = [];
  for (const n of [...inhabitants].sort()) {
    const m = monstersTable.monsters.find((x) => x.name === n);
    if (m && chosen.length < 6) chosen.push(m);
  }
  // creatures that do not live in the rooms: the level's candidates that fit the budget,
  // then deeper and shallower levels' creatures, until there are 10
  const pools = [
    ctx.candidates.filter((m) => m.xp <= cap),
    ctx.candidates,
    themeCandidates(Math.max(1, ctx.level - 1), ctx.theme),
    themeCandidates(Math.min(10, ctx.level + 1), ctx.theme),
    monstersForLevel(ctx.level),
  ];
  for (const pool of pools) {
    const rest = pool.filter((m) => !chosen.includes(m));
    while (chosen.length < 10 && rest.length > 0) {
      const i = ctx.roller.rng.int(0, rest.length - 1);
      const [m] = rest.splice(i, 1);
      chosen.push(m!);
      ctx.roller.record('wandering monster', i + 1, m!.name);
    }
  }
  // commonest in the middle: order by weight, then lay out alternately right and left
  const weighted = chosen
    .map((m) => ({ m, w: weightOf(m, ctx.theme) }))
    .sort((a, b) => b.w - a.w || (a.m.name < b.m.name ? -1 : 1));
  const line: typeof weighted = [];
  weighted.forEach((e, i) => (i % 2 === 0 ? line.push(e) : line.unshift(e)));
  // 19 results (2-20): one each, the rest shared out by weight from the middle out
  const widths = line.map(() => 1);
  let spare = 19 - line.length;
  const byWeight = line.map((e, i) => ({ i, w: e.w })).sort((a, b) => b.w - a.w || a.i - b.i);
  for (let k = 0; spare > 0; k = (k + 1) % byWeight.length, spare--) widths[byWeight[k]!.i]!++;
  let low = 2;
  const entries = line.map((e, i) => {
    const range: [number, number] = [low, low + widths[i]! - 1];
    low += widths[i]!;
    const fair = Math.max(1, Math.min(maxOf(e.m.encounter), Math.floor(ctx.budget.room / e.m.xp)));
    const na = fair >= maxOf(e.m.encounter) ? e.m.encounter : fair === 1 ? '1' : `1d${fair}`;
    return {
      range,
      result: e.m.name,
      number_appearing: na,
      inhabitant: inhabitants.has(e.m.name),
      xp_each: e.m.xp,
      source: e.m.source,
    };
  });
  return {
    dice: '2d10',
    check:
      'roll 1d10 every hour (6 turns) the party spends in the dungeon; 1 means an encounter, then ' +
      TWO_D10,
    level: ctx.level,
    entries,
    source: '2e DMG Chapter 11 (Creating Encounter Tables; encounter checks)',
  };
}

// ---------------------------------------------------------------- the dungeon's rating

const ORDER: Difficulty['rating'][] = ['easy', 'fair', 'hard', 'deadly'];

/**
 * The dungeon's rating from the rooms' own ratios (room XP over the same budget): the mean
 * over monster rooms rates it, and a deadly room makes it at least hard.
 */
export function rateDifficulty(
  rooms: readonly Room[],
  budget: Budget,
  totalXp: number,
): Difficulty {
  let sum = 0;
  let n = 0;
  let hardest: string | null = null;
  let hardestRatio = 0;
  for (const r of rooms) {
    const e = r.contents.encounter;
    if (!e) continue;
    sum += e.ratio;
    n++;
    if (e.ratio > hardestRatio) {
      hardestRatio = e.ratio;
      hardest = r.id;
    }
  }
  const average = n === 0 ? 0 : sum / n;
  let rating = ratingOf(average);
  if (ratingOf(hardestRatio) === 'deadly' && ORDER.indexOf(rating) < 2) rating = 'hard';
  return {
    party_level: budget.partyLevel,
    party_size: budget.partySize,
    xp_per_character_budget: budget.perCharacter,
    room_budget_xp: budget.room,
    average_ratio: round2(average),
    hardest_room: hardest,
    hardest_ratio: round2(hardestRatio),
    rating,
    xp_per_character: Math.floor(totalXp / budget.partySize),
    source: dungeonTable.encounters.source,
  };
}

export { effectiveHitDice };
