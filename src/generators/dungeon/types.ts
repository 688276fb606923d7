/** Result types of the dungeon generator (`generateDungeon`, `streamDungeon`). */
import type { RollLogEntry } from '../tables.ts';

export const DUNGEON_SCHEMA_VERSION = 2;
export const GENERATOR = { name: 'dma-dungeon', version: '2.0.0' } as const;

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
  /** characters in the party (default 4): sets the XP budget with partyLevel */
  partySize?: number;
  /** set pieces: a named room, optionally with a chosen monster ("throne room:hill giant") */
  keyRooms?: KeyRoom[];
}

export interface KeyRoom {
  name: string;
  monster?: string;
}

/** The options after validation and defaults, as recorded in the result. */
export interface ResolvedOptions {
  rooms: number;
  size: DungeonSize | null;
  level: number;
  party_level: number;
  party_size: number;
  theme: string;
  key_rooms: KeyRoom[];
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
  /** the creature's place in a lair (chieftain, guards, young, ...) or absent */
  role?: string;
  hd: string;
  ac: number;
  thac0: number;
  movement?: string;
  attacks: number;
  damage: string[];
  /** special attacks with their mechanics, as the DM applies them */
  special_attacks: string[];
  /** special defences with their mechanics */
  special_defences: string[];
  /** e.g. "nil", "20%" */
  magic_resistance: string;
  /** morale rating and range, e.g. "steady (11-12)" */
  morale: string;
  size?: string;
  /** hit points of each creature */
  hp: number[];
  xp_each: number;
  xp_total: number;
  treasure_types: string[];
  /** the book page, e.g. "MM p. 281" */
  source: string;
}

/** A trap as keyed for the DM: what sets it off, what it does, how it is found and removed. */
export interface Trap {
  name: string;
  /** where it is: a room, a door, a chest, a corridor */
  location: 'room' | 'door' | 'chest' | 'corridor';
  kind: 'mechanical' | 'magical';
  /** whether it resets after springing: automatic, manual or none */
  reset: string;
  trigger: string;
  effect: string;
  /** the saving throw (or "none") */
  save: string;
  /** damage dice, or "none" */
  damage: string;
  /** how it is found: thief Find Traps, dwarf or gnome detection (PHB), search */
  detection: string;
  /** how it is removed or bypassed */
  removal: string;
  /** the book reference */
  source: string;
  /** its cell on the map (room and corridor traps) */
  x?: number;
  y?: number;
}

export interface MagicItem {
  name: string;
  /** potion, scroll, ring, rod/staff/wand, miscellaneous, armour, weapon */
  category: string;
  xp: number | null;
  gp: number | null;
  /** cursed items say so only in the DM's key */
  cursed: boolean;
  /** what the players are told it is until identified, when that differs */
  appears_as?: string;
  charges?: number;
  quantity?: number;
  /** what it does, in short */
  summary: string;
  /** where its numbers come from, e.g. "DMG Table 89" */
  source: string;
}

export interface Treasure {
  types: string[];
  coins: { cp: number; sp: number; ep: number; gp: number; pp: number };
  gems: { count: number; value_gp: number };
  art: { count: number; value_gp: number };
  magic: { category: string; count: number }[];
  /** the named magic items rolled for the magic lines */
  items: MagicItem[];
  /** coins (at PHB exchange rates), gems, art and the gp values of the named items */
  value_gp: number;
  /** the container, when there is one (a chest may be locked and trapped) */
  container?: { kind: string; locked: boolean; trap?: Trap };
}

export interface EncounterRating {
  /** total XP of the room's creatures */
  xp: number;
  /** the XP a fair fight for this party is worth (the room budget) */
  budget_xp: number;
  /** xp / budget_xp */
  ratio: number;
  rating: 'easy' | 'fair' | 'hard' | 'deadly';
}

export interface RoomContents {
  kind: ContentKind;
  /** what the room is for, by the dungeon's theme (guard room, tomb, ...) */
  purpose?: string;
  /** a set piece forced by --key-room */
  set_piece?: string;
  monsters: MonsterGroup[];
  encounter?: EncounterRating;
  trap?: Trap;
  treasure?: Treasure;
  special?: string;
  /** a feature with a place on the map */
  feature?: { text: string; x: number; y: number };
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
  /** natural caves only: rows of the interior, '.' floor and '#' rock */
  shape?: string[];
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
  /** natural caves only: pockets dug out beside the passage */
  extra_cells?: [number, number][];
}

export interface Door {
  id: string;
  room: string;
  wall: Wall;
  x: number;
  y: number;
  type: DoorType;
  /** trapped doors: the trap */
  trap?: Trap;
}

export interface Stairs {
  direction: 'up' | 'down';
  room: string;
  x: number;
  y: number;
}

export interface WanderingEntry {
  range: [number, number];
  result: string;
  number_appearing: string;
  /** true when the creature also lives in a room of this dungeon */
  inhabitant: boolean;
  xp_each: number;
  source: string;
}

export interface WanderingMonsters {
  /** the table's dice (2d10, as the DMG builds encounter tables: common in the middle) */
  dice: string;
  check: string;
  /** dungeon level the table is for */
  level: number;
  entries: WanderingEntry[];
  source: string;
}

export interface Difficulty {
  party_level: number;
  party_size: number;
  /** XP of a fair fight for one character of the party's level */
  xp_per_character_budget: number;
  /** XP of a fair fight for the whole party: the budget each room is sized to */
  room_budget_xp: number;
  /** mean over monster rooms of (room XP / room budget) */
  average_ratio: number;
  hardest_room: string | null;
  hardest_ratio: number;
  rating: 'easy' | 'fair' | 'hard' | 'deadly';
  xp_per_character: number;
  source: string;
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
  /** traps in corridors (door and chest traps sit on their door or chest) */
  corridor_traps: (Trap & { corridor: string })[];
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
  'corridor_traps' | 'wandering_monsters' | 'totals' | 'difficulty' | 'checks' | 'roll_log'
>;

/** Events of `streamDungeon`, in order: one layout, one room per room, one summary. */
export type DungeonEvent =
  | { type: 'layout'; data: DungeonLayoutEvent }
  | { type: 'room'; data: Room }
  | { type: 'summary'; data: DungeonSummaryEvent };
