/**
 * Deterministic checks of a generated (or hand-edited) dungeon for `dma audit`: encounters far
 * above or below the party (the generator's difficulty measure, recomputed from the rooms),
 * treasure out of line with the XP at stake, rooms no corridor reaches, and the generator's own
 * checks. Works on untrusted JSON: missing or malformed parts are findings, never exceptions.
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

export function checkDungeon(dungeon: unknown): DungeonFinding[] {
  const out: DungeonFinding[] = [];
  const add = (f: DungeonFinding) => out.push(f);
  if (!isObj(dungeon) || !Array.isArray(dungeon.rooms)) {
    add({
      severity: 'error',
      category: 'consistency',
      target: 'rooms',
      message: 'the dungeon has no rooms array',
      recommendation: 'audit the JSON of `dma dungeon gen --json` or a stored dungeon',
      source: 'dma dungeon format',
    });
    return out;
  }
  const rooms = dungeon.rooms.filter(isObj);
  const difficulty = isObj(dungeon.difficulty) ? dungeon.difficulty : {};
  const options = isObj(dungeon.options) ? dungeon.options : {};
  const partyLevel = num(difficulty.party_level) ?? num(options.party_level) ?? 1;
  const partySize = num(difficulty.party_size) ?? 4;
  const budget = encounterBudget(
    Math.min(20, Math.max(1, Math.round(partyLevel))),
    Math.max(1, partySize),
  );

  // Encounters, recomputed from the rooms (the stored rating may be stale after edits).
  let sum = 0;
  let monsterRooms = 0;
  let xp = 0;
  for (const room of rooms) {
    const id = typeof room.id === 'string' ? room.id : `room ${String(room.number)}`;
    const contents = isObj(room.contents) ? room.contents : {};
    const groups = (Array.isArray(contents.monsters) ? contents.monsters : []).filter(isObj);
    if (groups.length === 0) continue;
    let roomXp = 0;
    for (const g of groups)
      roomXp += num(g.xp_total) ?? (num(g.xp_each) ?? 0) * (num(g.count) ?? 1);
    xp += roomXp;
    const ratio = roomXp / budget.room;
    sum += ratio;
    monsterRooms++;
    const what = groups.map((g) => `${String(g.count ?? 1)} ${String(g.name ?? '?')}`).join(', ');
    if (ratio >= DEADLY_ROOM) {
      add({
        severity: 'error',
        category: 'balance',
        target: id,
        message: `${what} (${roomXp} XP) is ${ratio.toFixed(1)}× the ${budget.room} XP budget of a party of ${partySize} level-${partyLevel} characters: likely a total party kill`,
        recommendation:
          'thin the group, move it deeper, or signal the danger so the party can avoid it',
        source: BALANCE_SOURCE,
      });
    } else if (ratio >= HARD_ROOM) {
      add({
        severity: 'warning',
        category: 'balance',
        target: id,
        message: `${what} (${roomXp} XP) is ${ratio.toFixed(1)}× the party's ${budget.room} XP budget: a very hard fight`,
        recommendation: 'make sure the party can retreat or parley',
        source: BALANCE_SOURCE,
      });
    }
  }
  const average = monsterRooms === 0 ? 0 : sum / monsterRooms;
  if (monsterRooms > 0 && average < TRIVIAL_DUNGEON) {
    add({
      severity: 'warning',
      category: 'balance',
      target: 'difficulty',
      message: `the encounters average ${average.toFixed(2)}× the party's XP budget: far below a level-${partyLevel} party`,
      recommendation: 'generate a deeper dungeon level, or lower --party-level',
      source: BALANCE_SOURCE,
    });
  }

  // Treasure against the XP at stake.
  const totals = isObj(dungeon.totals) ? dungeon.totals : {};
  const treasure =
    num(totals.treasure_gp) ??
    rooms.reduce((s, r) => {
      const c = isObj(r.contents) ? r.contents : {};
      return s + (isObj(c.treasure) ? (num(c.treasure.value_gp) ?? 0) : 0);
    }, 0);
  const totalXp = num(totals.xp) ?? xp;
  if (totalXp > 0 && treasure > totalXp * TREASURE_PER_XP.high) {
    add({
      severity: 'warning',
      category: 'treasure',
      target: 'totals.treasure_gp',
      message: `${Math.round(treasure)} gp of treasure for ${totalXp} XP of monsters: a windfall for little risk`,
      recommendation: 'guard the hoards better or reduce them',
      source: 'DMG Chapter 10 (treasure matched to risk)',
    });
  } else if (totalXp >= 100 && treasure < totalXp * TREASURE_PER_XP.low) {
    add({
      severity: 'warning',
      category: 'treasure',
      target: 'totals.treasure_gp',
      message: `${Math.round(treasure)} gp of treasure for ${totalXp} XP of monsters: a lot of risk for little reward`,
      recommendation: 'add treasure to the lairs of the strongest monsters',
      source: 'DMG Chapter 10 (treasure matched to risk)',
    });
  }

  // Reachability: breadth-first over the exits, from the first room.
  const ids = rooms.map((r) => r.id).filter((id): id is string => typeof id === 'string');
  const edges = new Map<string, Set<string>>(ids.map((id) => [id, new Set<string>()]));
  for (const r of rooms) {
    if (typeof r.id !== 'string') continue;
    for (const e of (Array.isArray(r.exits) ? r.exits : []).filter(isObj)) {
      if (typeof e.to !== 'string' || !edges.has(e.to)) continue;
      edges.get(r.id)!.add(e.to);
      edges.get(e.to)!.add(r.id);
    }
  }
  if (ids.length > 0) {
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
    for (const id of ids.filter((i) => !seen.has(i))) {
      add({
        severity: 'error',
        category: 'layout',
        target: id,
        message: `no corridor leads from ${ids[0]} to ${id}`,
        recommendation: 'add a corridor or a secret door to it, or remove the room',
        source: 'dma dungeon layout (every room connected)',
      });
    }
  }

  const checks = isObj(dungeon.checks) ? dungeon.checks : {};
  for (const [name, value] of Object.entries(checks)) {
    if (value === false) {
      add({
        severity: 'error',
        category: 'consistency',
        target: `checks.${name}`,
        message: `the generator's check ${name} failed`,
        recommendation: 'regenerate the dungeon with another seed',
        source: 'dma dungeon gen checks',
      });
    }
  }
  return out;
}
