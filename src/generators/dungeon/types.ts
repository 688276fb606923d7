/** Result types of the dungeon generator (`generateDungeon`, `streamDungeon`). */
import type { RollLogEntry, TableEntry } from '../tables.ts';

export const DUNGEON_SCHEMA_VERSION = 1;
export const GENERATOR = { name: 'dma-dungeon', version: '1.0.0' } as const;

export type DungeonSize = 'small' | 'medium' | 'large';
export const WALLS = ['north', 'south', 'east', 'west'] as const;
export type Wall = (typeof WALLS)[number];
export const DOOR_TYPES = [
  'open',
  'wooden',
  'locked',
  'stuck',
  'trapped',
  'secret',
  'portcullis',
] as const;
export type DoorType = (typeof DOOR_TYPES)[number];
export type ContentKind =
  'empty' | 'monster' | 'monster and treasure' | 'special' | 'trap' | 'treasure';

/** What the caller asks for (camelCase, as the library API takes it). */
export interface DungeonOptions {
  /** number of rooms, 1-200; overrides `size` */
  rooms?: number;
  /** small / medium / large (6 / 12 / 24 rooms); default medium */
  size?: DungeonSize;
  /** dungeon level 1-10: picks the monsters and treasure */
  level: number;
  /** average party level 1-20 for the difficulty rating; default the dungeon level */
  partyLevel?: number;
  /** crypt | warren | cavern | ruins; default rolled */
  theme?: string;
}

/** The options after validation and defaults, as recorded in the result. */
export interface ResolvedOptions {
  rooms: number;
  size: DungeonSize | null;
  level: number;
  party_level: number;
  theme: string;
}

export interface Exit {
  wall: Wall;
  /** the door's cell (in the wall) */
  x: number;
  y: number;
  door: DoorType;
  door_id: string;
  /** the room this exit's corridor was dug to */
  to: string;
}

export interface MonsterGroup {
  name: string;
  count: number;
  hd: string;
  ac: number;
  thac0: number;
  movement?: string;
  attacks: number;
  damage: string[];
  /** hit points of each creature */
  hp: number[];
  xp_each: number;
  xp_total: number;
  treasure_types: string[];
}

export interface Trap {
  name: string;
  effect: string;
  save: string;
  damage: string;
}

export interface Treasure {
  types: string[];
  coins: { cp: number; sp: number; ep: number; gp: number; pp: number };
  gems: { count: number; value_gp: number };
  art: { count: number; value_gp: number };
  magic: { category: string; count: number }[];
  /** coins (at PHB exchange rates), gems and art; magic items are not valued */
  value_gp: number;
}

export interface RoomContents {
  kind: ContentKind;
  monsters: MonsterGroup[];
  trap?: Trap;
  treasure?: Treasure;
  special?: string;
}

/** A room's geometry: interior cells [x, x+w) × [y, y+h); walls are the ring around it. */
export interface RoomLayout {
  id: string;
  number: number;
  x: number;
  y: number;
  w: number;
  h: number;
  exits: Exit[];
}

export interface Room extends RoomLayout {
  contents: RoomContents;
  description: string;
}

export interface Corridor {
  id: string;
  from: string;
  to: string;
  /** corner points of the corridor, from the door cell of `from` to the door cell of `to` */
  path: [number, number][];
  /** number of cells dug for this corridor (cells shared with earlier corridors are not counted) */
  new_cells: number;
}

export interface Door {
  id: string;
  room: string;
  wall: Wall;
  x: number;
  y: number;
  type: DoorType;
}

export interface Stairs {
  direction: 'up' | 'down';
  room: string;
  x: number;
  y: number;
}

export interface WanderingMonsters {
  /** "inhabitants" when built from the dungeon's own monsters, else "level" */
  built_from: 'inhabitants' | 'level';
  check: string;
  dice: 'd100';
  entries: (TableEntry & { range: [number, number]; result: string; number_appearing: string })[];
}

export interface Difficulty {
  party_level: number;
  party_size: number;
  /** mean over monster rooms of (creatures × Hit Dice) / (party size × party level) */
  average_ratio: number;
  hardest_room: string | null;
  hardest_ratio: number;
  rating: 'easy' | 'fair' | 'hard' | 'deadly';
  xp_per_character: number;
}

export interface DungeonChecks {
  no_overlap: boolean;
  all_reachable: boolean;
  doors_valid: boolean;
}

export interface Dungeon {
  schema_version: number;
  seed: number;
  generator: { name: string; version: string };
  options: ResolvedOptions;
  theme: { name: string; description: string };
  width: number;
  height: number;
  rooms: Room[];
  corridors: Corridor[];
  doors: Door[];
  stairs: Stairs[];
  wandering_monsters: WanderingMonsters;
  totals: { xp: number; treasure_gp: number };
  difficulty: Difficulty;
  checks: DungeonChecks;
  roll_log: RollLogEntry[];
}

export type DungeonLayoutEvent = Pick<
  Dungeon,
  | 'schema_version'
  | 'seed'
  | 'generator'
  | 'options'
  | 'theme'
  | 'width'
  | 'height'
  | 'corridors'
  | 'doors'
  | 'stairs'
> & { rooms: RoomLayout[] };
export type DungeonSummaryEvent = Pick<
  Dungeon,
  'wandering_monsters' | 'totals' | 'difficulty' | 'checks' | 'roll_log'
>;

/** Events of `streamDungeon`, in order: one layout, one room per room, one summary. */
export type DungeonEvent =
  | { type: 'layout'; data: DungeonLayoutEvent }
  | { type: 'room'; data: Room }
  | { type: 'summary'; data: DungeonSummaryEvent };
