import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { createRng } from '../../src/core/rng.ts';
import {
  generateDungeon,
  streamDungeon,
  streamDungeonAsync,
  type Dungeon,
} from '../../src/generators/dungeon/index.ts';

const SEEDS = 200;

/** Independent of the generator: rebuild walkable cells from the JSON alone. */
function walkable(d: Dungeon): Set<string> {
  const cells = new Set<string>();
  for (const r of d.rooms)
    for (let y = r.y; y < r.y + r.h; y++)
      for (let x = r.x; x < r.x + r.w; x++) cells.add(`${x},${y}`);
  for (const c of d.corridors) {
    for (let i = 1; i < c.path.length; i++) {
      const [ax, ay] = c.path[i - 1]!;
      const [bx, by] = c.path[i]!;
      expect(ax === bx || ay === by, `corridor ${c.id} bends only at corners`).toBe(true);
      for (let s = 0; s <= Math.abs(bx - ax) + Math.abs(by - ay); s++) {
        cells.add(`${ax + Math.sign(bx - ax) * s},${ay + Math.sign(by - ay) * s}`);
      }
    }
  }
  for (const door of d.doors) cells.add(`${door.x},${door.y}`);
  return cells;
}

function roomAt(d: Dungeon, x: number, y: number): number | undefined {
  return d.rooms.find((r) => x >= r.x && x < r.x + r.w && y >= r.y && y < r.y + r.h)?.number;
}

function onAnyWall(d: Dungeon, x: number, y: number): boolean {
  return d.rooms.some(
    (r) =>
      x >= r.x - 1 &&
      x <= r.x + r.w &&
      y >= r.y - 1 &&
      y <= r.y + r.h &&
      roomAt(d, x, y) === undefined,
  );
}

function checkProperties(d: Dungeon): void {
  // no overlap: rooms with their walls never share a cell
  for (const a of d.rooms) {
    for (const b of d.rooms) {
      if (a === b) continue;
      const apart =
        a.x + a.w + 1 <= b.x - 1 ||
        b.x + b.w + 1 <= a.x - 1 ||
        a.y + a.h + 1 <= b.y - 1 ||
        b.y + b.h + 1 <= a.y - 1;
      expect(apart, `rooms ${a.number} and ${b.number} overlap`).toBe(true);
    }
    expect(a.x - 1).toBeGreaterThanOrEqual(0);
    expect(a.y - 1).toBeGreaterThanOrEqual(0);
    expect(a.x + a.w).toBeLessThan(d.width);
    expect(a.y + a.h).toBeLessThan(d.height);
  }
  const open = walkable(d);
  // corridors never run through a room or its walls, except at their end doors
  const doorCells = new Set(d.doors.map((door) => `${door.x},${door.y}`));
  for (const cell of open) {
    const [x, y] = cell.split(',').map(Number) as [number, number];
    if (roomAt(d, x, y) === undefined && !doorCells.has(cell))
      expect(onAnyWall(d, x, y), `corridor cell ${cell} in a wall`).toBe(false);
  }
  // every room reachable from room 1 (breadth-first search over walkable cells)
  const start = `${d.rooms[0]!.x},${d.rooms[0]!.y}`;
  const seen = new Set([start]);
  const queue = [start];
  while (queue.length > 0) {
    const [x, y] = queue.shift()!.split(',').map(Number) as [number, number];
    for (const n of [`${x + 1},${y}`, `${x - 1},${y}`, `${x},${y + 1}`, `${x},${y - 1}`]) {
      if (open.has(n) && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  for (const r of d.rooms)
    expect(seen.has(`${r.x},${r.y}`), `room ${r.number} reachable`).toBe(true);
  // doors: in a wall of their room (not a corner), floor inside, corridor or room outside
  const out = { north: [0, -1], south: [0, 1], east: [1, 0], west: [-1, 0] } as const;
  for (const door of d.doors) {
    const r = d.rooms.find((room) => room.id === door.room)!;
    const [ox, oy] = out[door.wall];
    expect(roomAt(d, door.x - ox, door.y - oy), `door ${door.id} opens into its room`).toBe(
      r.number,
    );
    expect(roomAt(d, door.x, door.y)).toBeUndefined();
    expect(
      door.x >= r.x - 1 && door.x <= r.x + r.w && door.y >= r.y - 1 && door.y <= r.y + r.h,
    ).toBe(true);
    const outside = `${door.x + ox},${door.y + oy}`;
    expect(
      open.has(outside) && roomAt(d, door.x + ox, door.y + oy) !== r.number,
      `door ${door.id} opens onto a corridor`,
    ).toBe(true);
  }
  for (const r of d.rooms)
    for (const e of r.exits)
      expect(d.doors.find((x) => x.id === e.door_id)).toMatchObject({
        x: e.x,
        y: e.y,
        wall: e.wall,
        type: e.door,
      });
  expect(d.checks).toEqual({ no_overlap: true, all_reachable: true, doors_valid: true });
  // stairs: up in room 1, down somewhere, both on floor
  expect(d.stairs.map((s) => s.direction)).toEqual(['up', 'down']);
  expect(d.stairs[0]!.room).toBe('R1');
  for (const s of d.stairs) expect(roomAt(d, s.x, s.y)).toBe(Number(s.room.slice(1)));
}

describe('generateDungeon', () => {
  it(`keeps its layout properties over ${SEEDS} seeds`, () => {
    for (let seed = 0; seed < SEEDS; seed++) {
      const rooms = 1 + (seed % 40);
      const d = generateDungeon({ rooms, level: 1 + (seed % 10) }, createRng(seed));
      expect(d.rooms).toHaveLength(rooms);
      checkProperties(d);
    }
  });

  it('lays out 200 rooms', () => {
    const d = generateDungeon({ rooms: 200, level: 10 }, createRng(7));
    expect(d.rooms).toHaveLength(200);
    checkProperties(d);
  });

  it('is deterministic per seed and differs between seeds', () => {
    let differing = 0;
    for (let seed = 0; seed < 50; seed++) {
      const a = JSON.stringify(generateDungeon({ level: 3 }, createRng(seed)));
      const b = JSON.stringify(generateDungeon({ level: 3 }, createRng(seed)));
      expect(a).toBe(b);
      if (a !== JSON.stringify(generateDungeon({ level: 3 }, createRng(seed + 1000)))) differing++;
    }
    expect(differing).toBe(50);
  });

  it('stocks rooms with level-appropriate monsters and sums the totals', () => {
    for (let seed = 0; seed < 30; seed++) {
      const level = 1 + (seed % 10);
      const d = generateDungeon({ size: 'large', level }, createRng(seed));
      let xp = 0;
      let gp = 0;
      for (const r of d.rooms) {
        for (const g of r.contents.monsters) {
          expect(g.hp).toHaveLength(g.count);
          expect(g.xp_total).toBe(g.xp_each * g.count);
          xp += g.xp_total;
        }
        if (r.contents.kind === 'monster' || r.contents.kind === 'monster and treasure')
          expect(r.contents.monsters.length).toBeGreaterThanOrEqual(1);
        if (r.contents.kind === 'trap') expect(r.contents.trap).toBeDefined();
        if (r.contents.kind === 'treasure') expect(r.contents.treasure).toBeDefined();
        gp += r.contents.treasure?.value_gp ?? 0;
      }
      expect(d.totals.xp).toBe(xp);
      expect(d.totals.treasure_gp).toBeCloseTo(gp, 2);
      // wandering monsters: the level's table holds every inhabitant (up to six of them)
      const inhabitants = new Set(d.rooms.flatMap((r) => r.contents.monsters.map((g) => g.name)));
      const listed = new Set(d.wandering_monsters.entries.map((e) => e.result));
      if (inhabitants.size <= 6) for (const n of inhabitants) expect(listed.has(n)).toBe(true);
      for (const e of d.wandering_monsters.entries)
        expect(e.inhabitant).toBe(inhabitants.has(e.result));
      expect(d.options.party_level).toBe(level);
    }
  });

  it('uses sizes and records rolls in the roll log', () => {
    expect(generateDungeon({ size: 'small', level: 1 }, createRng(1)).rooms).toHaveLength(6);
    expect(generateDungeon({ level: 1 }, createRng(1)).rooms).toHaveLength(12);
    const d = generateDungeon({ size: 'large', level: 2, theme: 'crypt' }, createRng(1));
    expect(d.rooms).toHaveLength(24);
    expect(d.theme.name).toBe('crypt');
    expect(d.roll_log.filter((e) => e.table === 'room_contents')).toHaveLength(24);
    expect(d.roll_log.filter((e) => e.table === 'door_type')).toHaveLength(d.doors.length);
    const cave = generateDungeon({ size: 'small', level: 2, theme: 'cavern' }, createRng(1));
    expect(cave.roll_log.filter((e) => e.table === 'cave_opening')).toHaveLength(cave.doors.length);
  });

  it('rates difficulty against the party level', () => {
    const weak = generateDungeon(
      { size: 'large', level: 8, partyLevel: 1 },
      createRng(3),
    ).difficulty;
    const strong = generateDungeon(
      { size: 'large', level: 8, partyLevel: 20 },
      createRng(3),
    ).difficulty;
    expect(weak.average_ratio).toBeGreaterThan(strong.average_ratio);
    expect(weak.rating).toBe('deadly');
    expect(strong.rating).toBe('easy');
  });

  it('rejects options outside their rules', () => {
    const gen = (o: object) => () => generateDungeon({ level: 1, ...o }, createRng(1));
    expect(gen({ rooms: 0 })).toThrow(UsageError);
    expect(gen({ rooms: 0 })).toThrow('rooms must be a whole number from 1 to 200, got 0');
    expect(gen({ rooms: 100000 })).toThrow(
      'rooms must be a whole number from 1 to 200, got 100000',
    );
    expect(gen({ rooms: 2.5 })).toThrow(UsageError);
    expect(gen({ level: 11 })).toThrow('level must be a whole number from 1 to 10, got 11');
    expect(gen({ partyLevel: 0 })).toThrow(UsageError);
    expect(gen({ partySize: 0 })).toThrow('party size must be a whole number from 1 to 12, got 0');
    expect(gen({ keyRooms: [{ name: 'lair', monster: 'orcs' }] })).not.toThrow();
    expect(gen({ keyRooms: [{ name: 'lair', monster: 'dragonne x' }] })).toThrow(UsageError);
    expect(gen({ size: 'huge' })).toThrow('size must be one of small, medium, large, got "huge"');
    expect(gen({ theme: 'moon' })).toThrow(/theme must be one of crypt, warren, cavern, ruins/);
  });

  it('streams layout, then each room, then the summary, equal to generateDungeon', async () => {
    const events = [...streamDungeon({ rooms: 9, level: 4 }, createRng(11))];
    expect(events.map((e) => e.type)).toEqual(['layout', ...Array(9).fill('room'), 'summary']);
    const asyncTypes: string[] = [];
    for await (const e of streamDungeonAsync({ rooms: 9, level: 4 }, createRng(11)))
      asyncTypes.push(e.type);
    expect(asyncTypes).toEqual(events.map((e) => e.type));
    const d = generateDungeon({ rooms: 9, level: 4 }, createRng(11));
    expect(events.filter((e) => e.type === 'room').map((e) => e.data)).toEqual(d.rooms);
  });
});
