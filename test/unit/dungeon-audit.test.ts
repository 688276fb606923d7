/** The deterministic dungeon checks behind `dma audit <dungeon>`. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import {
  DUNGEON_CHECKS,
  type AuditedDungeon,
  type DungeonFinding,
  checkDungeon,
  encountersNotTrivial,
  encountersWithinParty,
  everyRoomReachable,
  generatorChecksPassed,
  readDungeon,
  treasureMatchesRisk,
} from '../../src/generators/dungeon/audit.ts';
import { generateDungeon } from '../../src/generators/dungeon/index.ts';
import { dungeonTable } from '../../src/data/dungeon.ts';

const fresh = (partyLevel: number) =>
  JSON.parse(
    JSON.stringify(generateDungeon({ size: 'small', level: 4, partyLevel }, createRng(42))),
  ) as ReturnType<typeof generateDungeon>;

describe('checkDungeon', () => {
  it('flags a room far above a level-1 party, and nothing for the level-5 party it was made for', () => {
    // sized for level 5, then handed to a level-1 party: the audit recomputes from the rooms
    const d = fresh(5);
    d.difficulty.party_level = 1;
    d.options.party_level = 1;
    const weak = checkDungeon(d);
    expect(weak.some((f) => f.category === 'balance' && f.severity === 'error')).toBe(true);
    expect(checkDungeon(fresh(5)).filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('finds a room no corridor reaches and a failed generator check', () => {
    const d = fresh(5);
    const last = d.rooms.at(-1)!;
    for (const r of d.rooms) r.exits = r.exits.filter((e) => e.to !== last.id);
    last.exits = [];
    d.checks.all_reachable = false;
    const findings = checkDungeon(d);
    expect(findings).toContainEqual(
      expect.objectContaining({ category: 'layout', target: last.id, severity: 'error' }),
    );
    expect(findings).toContainEqual(expect.objectContaining({ target: 'checks.all_reachable' }));
  });

  it('treasure far out of line with the XP is a warning', () => {
    const d = fresh(5);
    d.totals.treasure_gp = d.totals.xp * 100 + 1000;
    expect(checkDungeon(d)).toContainEqual(
      expect.objectContaining({ category: 'treasure', severity: 'warning' }),
    );
  });

  it('never throws on junk', () => {
    expect(checkDungeon(null)[0]?.severity).toBe('error');
    expect(() =>
      checkDungeon({ rooms: [null, { contents: { monsters: [{ hd: 'x' }] } }] }),
    ).not.toThrow();
  });
});

/**
 * A fair dungeon for 4 level-5 characters: a room's budget is 4 × 175 = 700 XP (2e DMG
 * Table 31, Hit Dice 5); the gnolls are 0.2× it, the ogre 0.6×; 300 gp for 560 XP.
 */
const FAIR = {
  difficulty: { party_level: 5, party_size: 4 },
  rooms: [
    {
      id: 'R1',
      exits: [{ to: 'R2' }],
      contents: { monsters: [{ name: 'gnoll', count: 4, xp_total: 140 }] },
    },
    {
      id: 'R2',
      exits: [{ to: 'R3' }],
      contents: { monsters: [{ name: 'ogre', xp_each: 420 }], treasure: { value_gp: 300 } },
    },
    { id: 'R3', exits: [], contents: {} },
  ],
  totals: { xp: 560, treasure_gp: 300 },
  checks: { all_reachable: true, no_overlap: true },
};

type Dungeon = typeof FAIR;
const edit = (change: (d: Dungeon) => void): Dungeon => {
  const d = structuredClone(FAIR);
  change(d);
  return d;
};
const monsters = (d: Dungeon, room: number) =>
  d.rooms[room]!.contents.monsters! as Record<string, unknown>[];
const read = (d: unknown) => readDungeon(d) as AuditedDungeon;
/** "warning treasure totals.treasure_gp: 20000 gp of treasure … [DMG Chapter 10 …]" */
const show = (f: DungeonFinding) =>
  `${f.severity} ${f.category} ${f.target}: ${f.message} [${f.source}]`;
const BALANCE = `${dungeonTable.encounters.source}; dma difficulty rating`;

/** A dungeon that breaks one check: the check, the dungeon, its one finding (`show`n). */
const BREAKS: [(d: AuditedDungeon) => DungeonFinding[], Dungeon, string][] = [
  [
    encountersWithinParty,
    edit((d) => (monsters(d, 0)[0]!.xp_total = 2100)),
    `error balance R1: 4 gnoll (2100 XP) is 3.0× the 700 XP budget of a party of 4 level-5 characters: likely a total party kill [${BALANCE}]`,
  ],
  [
    encountersWithinParty,
    edit((d) => (monsters(d, 1)[0]!.count = 3)),
    `warning balance R2: 3 ogre (1260 XP) is 1.8× the party's 700 XP budget: a very hard fight [${BALANCE}]`,
  ],
  [
    encountersNotTrivial,
    edit((d) => {
      monsters(d, 0)[0]!.xp_total = 14;
      monsters(d, 1)[0]!.xp_each = 42;
    }),
    `warning balance difficulty: the encounters average 0.04× the party's XP budget: far below a level-5 party [${BALANCE}]`,
  ],
  [
    treasureMatchesRisk,
    edit((d) => (d.totals.treasure_gp = 20_000)),
    'warning treasure totals.treasure_gp: 20000 gp of treasure for 560 XP of monsters: a windfall for little risk [DMG Chapter 10 (treasure matched to risk)]',
  ],
  [
    // without totals: the rooms' treasure against their monsters' XP
    treasureMatchesRisk,
    edit((d) => {
      delete (d as Partial<Dungeon>).totals;
      d.rooms[1]!.contents.treasure!.value_gp = 100;
    }),
    'warning treasure totals.treasure_gp: 100 gp of treasure for 560 XP of monsters: a lot of risk for little reward [DMG Chapter 10 (treasure matched to risk)]',
  ],
  [
    everyRoomReachable,
    edit((d) => (d.rooms[1]!.exits = [])),
    'error layout R3: no corridor leads from R1 to R3 [dma dungeon layout (every room connected)]',
  ],
  [
    generatorChecksPassed,
    edit((d) => (d.checks.no_overlap = false)),
    "error consistency checks.no_overlap: the generator's check no_overlap failed [dma dungeon gen checks]",
  ],
];

describe('each dungeon check broken alone', () => {
  it('the fair dungeon audits clean, and every check is broken below', () => {
    expect(checkDungeon(FAIR)).toEqual([]);
    expect(new Set(BREAKS.map(([check]) => check))).toEqual(new Set(DUNGEON_CHECKS));
  });
  it.each(BREAKS.map((b) => [b[0].name, b[2], b] as const))('%s → %s', (_, __, b) => {
    const [check, dungeon, finding] = b;
    expect(checkDungeon(dungeon).map(show)).toEqual([finding]);
    expect(check(read(dungeon)).map(show)).toEqual([finding]);
    expect(check(read(FAIR))).toEqual([]);
  });
  it('readDungeon: no rooms array is the one finding, and nothing else runs', () => {
    expect(checkDungeon({ ...FAIR, rooms: 'R1' }).map(show)).toEqual([
      'error consistency rooms: the dungeon has no rooms array [dma dungeon format]',
    ]);
    expect(read(FAIR).encounters.map((e) => [e.id, e.xp, e.ratio])).toEqual([
      ['R1', 140, 0.2],
      ['R2', 420, 0.6],
    ]);
  });
});
