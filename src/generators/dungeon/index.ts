/**
 * World Designer: stocked, mapped dungeons. Pure: the RNG is a parameter, iteration
 * caps instead of time limits, same seed → byte-identical JSON.
 *
 * `streamDungeon` yields the layout first, then each room as it is stocked, then the
 * summary; `generateDungeon` is the same stream collected into one object.
 */
import { UsageError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import { dungeonTable } from '../../data/dungeon.ts';
import { createTableRoller, type TableSet } from '../tables.ts';
import { labelCell } from '../map/grid.ts';
import { generateLayout } from './layout.ts';
import { trapFor } from './extras.ts';
import { planRooms } from './plan.ts';
import {
  Deck,
  encounterBudget,
  rateDifficulty,
  stockRoom,
  themeCandidates,
  validateKeyRooms,
  wanderingMonsters,
  type StockContext,
} from './stock.ts';
import {
  DUNGEON_SCHEMA_VERSION,
  GENERATOR,
  type Dungeon,
  type DungeonEvent,
  type DungeonLayoutEvent,
  type DungeonOptions,
  type Corridor,
  type DungeonSize,
  type KeyRoom,
  type ResolvedOptions,
  type Room,
} from './types.ts';

export * from './types.ts';

export const MAX_ROOMS = 200;
export const DUNGEON_SIZES: readonly DungeonSize[] = ['small', 'medium', 'large'];
export const DUNGEON_THEMES: readonly string[] = Object.keys(dungeonTable.themes);

function wholeNumberIn(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new UsageError(
      `${name} must be a whole number from ${min} to ${max}, got ${String(value)}`,
    );
  }
  return value;
}

/**
 * Validate options and fill in defaults (the theme, when not given, is rolled later).
 * Throws UsageError for rooms outside 1-200, an unknown size or theme, a level outside
 * 1-10, a party level outside 1-20, a party size outside 1-12, an unknown set-piece monster.
 */
export function resolveDungeonOptions(
  options: DungeonOptions,
): Omit<ResolvedOptions, 'theme'> & { theme?: string } {
  const level = wholeNumberIn('level', options.level, 1, 10);
  if (options.size !== undefined && !DUNGEON_SIZES.includes(options.size)) {
    throw new UsageError(
      `size must be one of ${DUNGEON_SIZES.join(', ')}, got ${JSON.stringify(options.size)}`,
    );
  }
  const rooms =
    options.rooms !== undefined
      ? wholeNumberIn('rooms', options.rooms, 1, MAX_ROOMS)
      : dungeonTable.sizes[options.size ?? 'medium'];
  const partyLevel =
    options.partyLevel === undefined
      ? level
      : wholeNumberIn('party level', options.partyLevel, 1, 20);
  const partySize =
    options.partySize === undefined ? 4 : wholeNumberIn('party size', options.partySize, 1, 12);
  if (options.theme !== undefined && !DUNGEON_THEMES.includes(options.theme)) {
    throw new UsageError(
      `theme must be one of ${DUNGEON_THEMES.join(', ')}, got ${JSON.stringify(options.theme)}`,
    );
  }
  const keyRooms = (options.keyRooms ?? []).map((k) => ({
    name: k.name.trim(),
    ...(k.monster === undefined ? {} : { monster: k.monster.trim().toLowerCase() }),
  }));
  if (keyRooms.length > rooms) {
    throw new UsageError(`${keyRooms.length} key rooms do not fit in ${rooms} rooms`);
  }
  validateKeyRooms(keyRooms);
  return {
    rooms,
    size: options.rooms !== undefined ? null : (options.size ?? 'medium'),
    level,
    party_level: partyLevel,
    party_size: partySize,
    key_rooms: keyRooms,
    ...(options.theme === undefined ? {} : { theme: options.theme }),
  };
}

/** Parse a --key-room value: "throne room" or "throne room:hill giant". */
export function parseKeyRoom(value: string): KeyRoom {
  const i = value.indexOf(':');
  const name = (i < 0 ? value : value.slice(0, i)).trim();
  const monster = i < 0 ? '' : value.slice(i + 1).trim();
  if (name === '') {
    throw new UsageError(`key room "${value}" has no name`, {
      hint: 'write it as "throne room" or "throne room:hill giant"',
    });
  }
  return monster === '' ? { name } : { name, monster };
}

/** the cells of a corridor between its two doors, in order */
function corridorCells(c: Corridor): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 1; i < c.path.length; i++) {
    const [ax, ay] = c.path[i - 1]!;
    const [bx, by] = c.path[i]!;
    const steps = Math.abs(bx - ax) + Math.abs(by - ay);
    for (let k = i === 1 ? 1 : 0; k <= steps; k++)
      out.push([ax + Math.sign(bx - ax) * k, ay + Math.sign(by - ay) * k]);
  }
  out.pop(); // the far door
  return out;
}

/** Generate the dungeon as a stream of events: layout, each room, summary. */
export function* streamDungeon(
  options: DungeonOptions,
  rng: Rng,
): Generator<DungeonEvent, void, undefined> {
  const resolved = resolveDungeonOptions(options);
  // independent streams: changing how rooms are stocked does not move the map
  const layoutRng = rng.fork();
  const stockRng = rng.fork();
  const baseTables: TableSet = dungeonTable.tables;
  const layoutRoller = createTableRoller(baseTables, layoutRng);
  const theme = resolved.theme ?? layoutRoller.roll('theme');
  const themeData = dungeonTable.themes[theme]!;
  const layout = generateLayout(resolved.rooms, layoutRng, layoutRoller, {
    caves: theme === 'cavern',
  });
  const roller = createTableRoller(baseTables, stockRng, layoutRoller.log);

  // trapped doors get their trap before anything else is stocked
  const doors = layout.doors.map((d) =>
    d.type === 'trapped' ? { ...d, trap: trapFor('door', resolved.level, roller) } : d,
  );
  const opts: ResolvedOptions = { ...resolved, theme };
  const layoutEvent: DungeonLayoutEvent = {
    schema_version: DUNGEON_SCHEMA_VERSION,
    seed: rng.seed,
    generator: { ...GENERATOR },
    options: opts,
    theme: { name: theme, description: themeData.description },
    width: layout.width,
    height: layout.height,
    rooms: layout.rooms,
    corridors: layout.corridors,
    doors,
    stairs: layout.stairs,
  };
  yield { type: 'layout', data: layoutEvent };

  const budget = encounterBudget(resolved.party_level, resolved.party_size);
  const ctx: StockContext = {
    roller,
    level: resolved.level,
    budget,
    themeName: theme,
    theme: themeData,
    candidates: themeCandidates(resolved.level, themeData),
    dressing: new Deck(themeData.dressing, roller, `${theme} dressing`),
    purposes: new Deck(themeData.purposes, roller, `${theme} room purpose`),
  };
  const plans = planRooms(layout.rooms, layout.stairs, resolved.key_rooms, ctx);
  // marks keep off the stairs and the cells where the maps write room numbers
  const taken = new Set<string>(layout.stairs.map((st) => `${st.x},${st.y}`));
  for (const r of layout.rooms) {
    const [lx, ly] = labelCell(r);
    for (let i = 0; i < String(r.number).length; i++) taken.add(`${lx + i},${ly}`);
    const cx = r.x + Math.floor(r.w / 2);
    const cy = r.y + Math.floor(r.h / 2);
    for (const [x, y] of [
      [cx - 1, cy],
      [cx, cy],
      [cx + 1, cy],
    ])
      taken.add(`${x},${y}`);
  }
  const rooms: Room[] = [];
  for (const roomLayout of layout.rooms) {
    const room = stockRoom(roomLayout, ctx, plans.get(roomLayout.id) ?? {}, taken);
    rooms.push(room);
    yield { type: 'room', data: room };
  }

  // corridors: one in eight holds a trap, halfway along
  const corridorTraps: Dungeon['corridor_traps'] = [];
  for (const c of layout.corridors) {
    if (roller.dice(`corridor ${c.id} trap (1 on d8)`, '1d8') !== 1) continue;
    const cells = corridorCells(c).filter(([x, y]) => !taken.has(`${x},${y}`));
    if (cells.length === 0) continue;
    const [x, y] = cells[Math.floor(cells.length / 2)]!;
    taken.add(`${x},${y}`);
    corridorTraps.push({ ...trapFor('corridor', resolved.level, roller), x, y, corridor: c.id });
  }

  const xp = rooms.reduce((s, r) => s + r.contents.monsters.reduce((t, g) => t + g.xp_total, 0), 0);
  const treasureGp =
    Math.round(rooms.reduce((s, r) => s + (r.contents.treasure?.value_gp ?? 0), 0) * 100) / 100;
  yield {
    type: 'summary',
    data: {
      corridor_traps: corridorTraps,
      wandering_monsters: wanderingMonsters(rooms, ctx),
      totals: { xp, treasure_gp: treasureGp },
      difficulty: rateDifficulty(rooms, budget, xp),
      checks: layout.checks,
      roll_log: roller.log,
    },
  };
}

/** The same events as `streamDungeon`, as an async iterator (for NDJSON or SSE writers). */
export async function* streamDungeonAsync(
  options: DungeonOptions,
  rng: Rng,
): AsyncGenerator<DungeonEvent, void, undefined> {
  yield* streamDungeon(options, rng);
}

/** Generate a stocked, mapped dungeon. Same seed and options → identical JSON. */
export function generateDungeon(options: DungeonOptions, rng: Rng): Dungeon {
  let layout: DungeonLayoutEvent | undefined;
  const rooms: Room[] = [];
  for (const event of streamDungeon(options, rng)) {
    if (event.type === 'layout') layout = event.data;
    else if (event.type === 'room') rooms.push(event.data);
    else {
      const l = layout!;
      return {
        schema_version: l.schema_version,
        seed: l.seed,
        generator: l.generator,
        options: l.options,
        theme: l.theme,
        width: l.width,
        height: l.height,
        rooms,
        corridors: l.corridors,
        doors: l.doors,
        stairs: l.stairs,
        ...event.data,
      };
    }
  }
  throw new Error('dungeon stream ended without a summary');
}
