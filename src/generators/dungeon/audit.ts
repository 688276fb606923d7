/**
 * Deterministic checks of a generated (or hand-edited) dungeon for `dma audit`: encounters far
 * above or below the party (the generator's difficulty measure, recomputed from the rooms),
 * treasure out of line with the XP at stake, rooms no corridor reaches, and the generator's own
 * checks. Works on untrusted JSON: missing or malformed parts are findings, never exceptions.
 * `readDungeon` takes what the checks read; `DUNGEON_CHECKS` lists the checks, one rule each,
 * in the order `checkDungeon` reports their findings.
 */
import { dungeonTable } from '../../data/dungeon.ts';
import { encounterBudget } from './stock.ts';

export interface DungeonFinding {
  severity: 'error' | 'warning' | 'info';
  category: 'balance' | 'treasure' | 'layout' | 'consistency';
  /** the room id, or the dungeon field at fault */
  target: string;
  message: string;
  recommendation: string;
  source: string;
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

/**
 * A room's threat is its creatures' XP against the party's XP budget (the generator's own
 * measure, rules-data/dungeon.yaml `encounters`): above `hard` it is deadly, above `fair` hard.
 */
const DEADLY_ROOM = dungeonTable.encounters.ratings.hard;
const HARD_ROOM = dungeonTable.encounters.ratings.fair;
const TRIVIAL_DUNGEON = 0.15;
/** Treasure (gp) per XP outside these bounds is out of line (DMG Chapter 10: treasure fits the risk). */
const TREASURE_PER_XP = { low: 0.2, high: 20 };
const BALANCE_SOURCE = `${dungeonTable.encounters.source}; dma difficulty rating`;

/** The parts of a dungeon the checks read, taken from untrusted JSON with defaults. */
export interface AuditedDungeon {
  dungeon: Obj;
  /** the rooms that are objects */
  rooms: Obj[];
  partyLevel: number;
  partySize: number;
  /** the party's XP budget for one room (`encounterBudget`) */
  roomBudget: number;
  /** the rooms with monsters, in order */
  encounters: RoomEncounter[];
}

/** One room's monsters, recomputed from the room (the stored rating may be stale after edits). */
export interface RoomEncounter {
  /** the room id, or "room <number>" */
  id: string;
  /** "2 gnoll, 1 gnoll leader" */
  what: string;
  /** each group's stored XP total, else XP each × count */
  xp: number;
  /** the XP against the party's room budget */
  ratio: number;
}

function roomEncounter(room: Obj, roomBudget: number): RoomEncounter | undefined {
  const contents = isObj(room.contents) ? room.contents : {};
  const groups = (Array.isArray(contents.monsters) ? contents.monsters : []).filter(isObj);
  if (groups.length === 0) return undefined;
  let xp = 0;
  for (const g of groups) xp += num(g.xp_total) ?? (num(g.xp_each) ?? 0) * (num(g.count) ?? 1);
  return {
    id: typeof room.id === 'string' ? room.id : `room ${String(room.number)}`,
    what: groups.map((g) => `${String(g.count ?? 1)} ${String(g.name ?? '?')}`).join(', '),
    xp,
    ratio: xp / roomBudget,
  };
}

/** The dungeon as the checks read it, or the finding that it has no rooms to check. */
export function readDungeon(dungeon: unknown): AuditedDungeon | DungeonFinding {
  if (!isObj(dungeon) || !Array.isArray(dungeon.rooms)) {
    return {
      severity: 'error',
      category: 'consistency',
      target: 'rooms',
      message: 'the dungeon has no rooms array',
      recommendation: 'audit the JSON of `dma dungeon gen --json` or a stored dungeon',
      source: 'dma dungeon format',
    };
  }
  const rooms = dungeon.rooms.filter(isObj);
  const difficulty = isObj(dungeon.difficulty) ? dungeon.difficulty : {};
  const options = isObj(dungeon.options) ? dungeon.options : {};
  const partyLevel = num(difficulty.party_level) ?? num(options.party_level) ?? 1;
  const partySize = num(difficulty.party_size) ?? 4;
  const roomBudget = encounterBudget(
    Math.min(20, Math.max(1, Math.round(partyLevel))),
    Math.max(1, partySize),
  ).room;
  const encounters = rooms
    .map((room) => roomEncounter(room, roomBudget))
    .filter((e): e is RoomEncounter => e !== undefined);
  return { dungeon, rooms, partyLevel, partySize, roomBudget, encounters };
}

/** No room's monsters far above the party: a deadly room is an error, a hard one a warning. */
export function encountersWithinParty(d: AuditedDungeon): DungeonFinding[] {
  const { partySize, partyLevel, roomBudget } = d;
  return d.encounters.flatMap((e): DungeonFinding[] => {
    const at = `${e.what} (${e.xp} XP) is ${e.ratio.toFixed(1)}×`;
    if (e.ratio >= DEADLY_ROOM) {
      return [
        {
          severity: 'error',
          category: 'balance',
          target: e.id,
          message: `${at} the ${roomBudget} XP budget of a party of ${partySize} level-${partyLevel} characters: likely a total party kill`,
          recommendation:
            'thin the group, move it deeper, or signal the danger so the party can avoid it',
          source: BALANCE_SOURCE,
        },
      ];
    }
    if (e.ratio >= HARD_ROOM) {
      return [
        {
          severity: 'warning',
          category: 'balance',
          target: e.id,
          message: `${at} the party's ${roomBudget} XP budget: a very hard fight`,
          recommendation: 'make sure the party can retreat or parley',
          source: BALANCE_SOURCE,
        },
      ];
    }
    return [];
  });
}

/** The encounters on average not far below the party. */
export function encountersNotTrivial({ encounters, partyLevel }: AuditedDungeon): DungeonFinding[] {
  if (encounters.length === 0) return [];
  const average = encounters.reduce((sum, e) => sum + e.ratio, 0) / encounters.length;
  if (average < TRIVIAL_DUNGEON) {
    return [
      {
        severity: 'warning',
        category: 'balance',
        target: 'difficulty',
        message: `the encounters average ${average.toFixed(2)}× the party's XP budget: far below a level-${partyLevel} party`,
        recommendation: 'generate a deeper dungeon level, or lower --party-level',
        source: BALANCE_SOURCE,
      },
    ];
  }
  return [];
}

/** Treasure in line with the XP at stake: neither a windfall nor a lot of risk for little. */
export function treasureMatchesRisk({
  dungeon,
  rooms,
  encounters,
}: AuditedDungeon): DungeonFinding[] {
  const totals = isObj(dungeon.totals) ? dungeon.totals : {};
  const treasure =
    num(totals.treasure_gp) ??
    rooms.reduce((s, r) => {
      const c = isObj(r.contents) ? r.contents : {};
      return s + (isObj(c.treasure) ? (num(c.treasure.value_gp) ?? 0) : 0);
    }, 0);
  const totalXp = num(totals.xp) ?? encounters.reduce((sum, e) => sum + e.xp, 0);
  const finding = (message: string, recommendation: string): DungeonFinding[] => [
    {
      severity: 'warning',
      category: 'treasure',
      target: 'totals.treasure_gp',
      message: `${Math.round(treasure)} gp of treasure for ${totalXp} XP of monsters: ${message}`,
      recommendation,
      source: 'DMG Chapter 10 (treasure matched to risk)',
    },
  ];
  if (totalXp > 0 && treasure > totalXp * TREASURE_PER_XP.high) {
    return finding('a windfall for little risk', 'guard the hoards better or reduce them');
  }
  if (totalXp >= 100 && treasure < totalXp * TREASURE_PER_XP.low) {
    return finding(
      'a lot of risk for little reward',
      'add treasure to the lairs of the strongest monsters',
    );
  }
  return [];
}

/** Every room reached from the first: breadth-first over the exits, both ways. */
export function everyRoomReachable({ rooms }: AuditedDungeon): DungeonFinding[] {
  const ids = rooms.map((r) => r.id).filter((id): id is string => typeof id === 'string');
  if (ids.length === 0) return [];
  const edges = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  for (const r of rooms) {
    if (typeof r.id !== 'string') continue;
    for (const e of (Array.isArray(r.exits) ? r.exits : []).filter(isObj)) {
      if (typeof e.to !== 'string' || !edges.has(e.to)) continue;
      edges.get(r.id)!.add(e.to);
      edges.get(e.to)!.add(r.id);
    }
  }
  const seen = new Set([ids[0]!]);
  const queue = [ids[0]!];
  while (queue.length > 0) {
    for (const next of edges.get(queue.shift()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return ids
    .filter((i) => !seen.has(i))
    .map((id) => ({
      severity: 'error',
      category: 'layout',
      target: id,
      message: `no corridor leads from ${ids[0]} to ${id}`,
      recommendation: 'add a corridor or a secret door to it, or remove the room',
      source: 'dma dungeon layout (every room connected)',
    }));
}

/** The generator's own checks, as stored with the dungeon, all passed. */
export function generatorChecksPassed({ dungeon }: AuditedDungeon): DungeonFinding[] {
  const checks = isObj(dungeon.checks) ? dungeon.checks : {};
  return Object.entries(checks)
    .filter(([, value]) => value === false)
    .map(([name]) => ({
      severity: 'error',
      category: 'consistency',
      target: `checks.${name}`,
      message: `the generator's check ${name} failed`,
      recommendation: 'regenerate the dungeon with another seed',
      source: 'dma dungeon gen checks',
    }));
}

/** The checks, in the order their findings are reported. */
export const DUNGEON_CHECKS: readonly ((d: AuditedDungeon) => DungeonFinding[])[] = [
  encountersWithinParty,
  encountersNotTrivial,
  treasureMatchesRisk,
  everyRoomReachable,
  generatorChecksPassed,
];

/** Every finding of every check (the one finding that there are no rooms, if none). */
export function checkDungeon(dungeon: unknown): DungeonFinding[] {
  const d = readDungeon(dungeon);
  if ('severity' in d) return [d];
  return DUNGEON_CHECKS.flatMap((check) => check(d));
}
