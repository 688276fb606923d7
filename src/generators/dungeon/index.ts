/**
 * World Designer: stocked, mapped dungeons. Pure: the RNG is a parameter, iteration
 * caps instead of time limits, same seed → byte-identical JSON.
 *
 * `streamDungeon` yields the layout first, then each room as it is stocked, then the
 * summary; `generateDungeon` is the same stream collected into one object.
 */
import { UsageError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import { dungeonData } from '../../data/dungeon.ts';
import { createTableRoller, type TableSet } from '../tables.ts';
import { generateLayout } from './layout.ts';
import { monsterTable, monstersForLevel } from './monsters.ts';
import { rateDifficulty, stockRoom, wanderingMonsters } from './stock.ts';
import {
  DUNGEON_SCHEMA_VERSION,
  GENERATOR,
  type Dungeon,
  type DungeonEvent,
  type DungeonLayoutEvent,
  type DungeonOptions,
  type DungeonSize,
  type ResolvedOptions,
  type Room,
} from './types.ts';

export * from './types.ts';

export const MAX_ROOMS = 200;
export const DUNGEON_SIZES: readonly DungeonSize[] = ['small', 'medium', 'large'];
export const DUNGEON_THEMES: readonly string[] = Object.keys(dungeonData.themes);

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
 * 1-10 or a party level outside 1-20.
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
      : dungeonData.sizes[options.size ?? 'medium'];
  const partyLevel =
    options.partyLevel === undefined
      ? level
      : wholeNumberIn('party level', options.partyLevel, 1, 20);
  if (options.theme !== undefined && !DUNGEON_THEMES.includes(options.theme)) {
    throw new UsageError(
      `theme must be one of ${DUNGEON_THEMES.join(', ')}, got ${JSON.stringify(options.theme)}`,
    );
  }
  return {
    rooms,
    size: options.rooms !== undefined ? null : (options.size ?? 'medium'),
    level,
    party_level: partyLevel,
    ...(options.theme === undefined ? {} : { theme: options.theme }),
  };
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
  const baseTables: TableSet = dungeonData.tables;
  const layoutRoller = createTableRoller(baseTables, layoutRng);
  const theme = resolved.theme ?? layoutRoller.roll('theme');
  const themeData = dungeonData.themes[theme]!;
  const layout = generateLayout(resolved.rooms, layoutRng, layoutRoller);

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
    doors: layout.doors,
    stairs: layout.stairs,
  };
  yield { type: 'layout', data: layoutEvent };

  const tables: TableSet = { ...baseTables, monster: monsterTable(resolved.level, themeData.tags) };
  const roller = createTableRoller(tables, stockRng, layoutRoller.log);
  const rooms: Room[] = [];
  for (const roomLayout of layout.rooms) {
    const room = stockRoom(roomLayout, resolved.level, roller);
    rooms.push(room);
    yield { type: 'room', data: room };
  }

  const xp = rooms.reduce((s, r) => s + r.contents.monsters.reduce((t, g) => t + g.xp_total, 0), 0);
  const treasureGp =
    Math.round(rooms.reduce((s, r) => s + (r.contents.treasure?.value_gp ?? 0), 0) * 100) / 100;
  yield {
    type: 'summary',
    data: {
      wandering_monsters: wanderingMonsters(rooms, monstersForLevel(resolved.level)),
      totals: { xp, treasure_gp: treasureGp },
      difficulty: rateDifficulty(rooms, resolved.party_level, xp),
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
