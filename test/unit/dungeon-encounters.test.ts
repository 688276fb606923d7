/**
 * Property tests of issue 13 over many seeds: encounters sized to the party, every trap
 * keyed in full, named magic items, themes that change the dungeon, maps that fit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng.ts';
import { dungeonTable } from '../../src/data/dungeon.ts';
import { monstersTable } from '../../src/data/monsters.ts';
import {
  generateDungeon,
  type Dungeon,
  type DungeonOptions,
  type Trap,
} from '../../src/generators/dungeon/index.ts';
import { encounterBudget, ratingOf } from '../../src/generators/dungeon/stock.ts';
import { dungeonGrid, renderAsciiMap, renderRoomKey } from '../../src/generators/map/index.ts';
import { CORRIDOR, FLOOR } from '../../src/generators/map/grid.ts';

const gen = (o: DungeonOptions, seed: number): Dungeon => generateDungeon(o, createRng(seed));
const seedArb = fc.integer({ min: -2_000_000_000, max: 2_000_000_000 });
const THEMES = ['crypt', 'warren', 'cavern', 'ruins'] as const;

function allTraps(d: Dungeon): Trap[] {
  const out: Trap[] = [];
  for (const r of d.rooms) {
    if (r.contents.trap) out.push(r.contents.trap);
    const chest = r.contents.treasure?.container?.trap;
    if (chest) out.push(chest);
  }
  for (const door of d.doors) if (door.trap) out.push(door.trap);
  out.push(...d.corridor_traps);
  return out;
}

describe('encounters sized to the party', () => {
  it('no small level-1 dungeon for a level-1 party is rated deadly (seeds 1-100)', () => {
    const ratings = new Map<string, number>();
    for (let seed = 1; seed <= 100; seed++) {
      const d = gen({ size: 'small', level: 1, partyLevel: 1 }, seed);
      ratings.set(d.difficulty.rating, (ratings.get(d.difficulty.rating) ?? 0) + 1);
      expect(d.difficulty.rating, `seed ${seed}`).not.toBe('deadly');
    }
    // and the ratings are not all one kind: the measure discriminates
    expect(ratings.get('fair') ?? 0).toBeGreaterThan(30);
  });

  it('the rating is computed from the same numbers the encounters were sized to', () => {
    fc.assert(
      fc.property(
        seedArb,
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 2, max: 8 }),
        fc.constantFrom(...THEMES),
        (seed, level, partyLevel, partySize, theme) => {
          const d = gen({ size: 'small', level, partyLevel, partySize, theme }, seed);
          const budget = encounterBudget(partyLevel, partySize);
          expect(d.difficulty.room_budget_xp).toBe(budget.room);
          expect(budget.room).toBe(
            dungeonTable.encounters.xp_by_hit_dice[partyLevel - 1]! * partySize,
          );
          let sum = 0;
          let n = 0;
          for (const r of d.rooms) {
            const e = r.contents.encounter;
            if (r.contents.monsters.length === 0) {
              expect(e).toBeUndefined();
              continue;
            }
            const xp = r.contents.monsters.reduce((s, g) => s + g.xp_total, 0);
            expect(e!.xp).toBe(xp);
            expect(e!.budget_xp).toBe(budget.room);
            expect(e!.rating).toBe(ratingOf(e!.ratio));
            for (const g of r.contents.monsters) {
              expect(g.hp).toHaveLength(g.count);
              expect(g.xp_total).toBe(g.xp_each * g.count);
            }
            // rolled rooms never hold more creatures than fit a hard fight, unless one
            // creature alone is more (then there is exactly one)
            if (!r.contents.set_piece && r.contents.monsters.length === 1) {
              const g = r.contents.monsters[0]!;
              if (g.count > 1) expect(xp).toBeLessThanOrEqual(budget.room * 2);
            }
            sum += e!.ratio;
            n++;
          }
          if (n > 0) expect(d.difficulty.average_ratio).toBeCloseTo(sum / n, 1);
          expect(d.totals.xp).toBe(
            d.rooms.reduce((s, r) => s + (r.contents.encounter?.xp ?? 0), 0),
          );
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a larger party meets more creatures', () => {
    let small = 0;
    let large = 0;
    for (let seed = 1; seed <= 30; seed++) {
      small += gen({ size: 'medium', level: 2, partyLevel: 2, partySize: 3 }, seed).totals.xp;
      large += gen({ size: 'medium', level: 2, partyLevel: 2, partySize: 8 }, seed).totals.xp;
    }
    expect(large).toBeGreaterThan(small * 1.5);
  });
});

describe('monster lines', () => {
  it('carry specials, morale, MR, XP and the book reference of the catalogue', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 10 }), (seed, level) => {
        const d = gen({ size: 'medium', level }, seed);
        for (const r of d.rooms)
          for (const g of r.contents.monsters) {
            const m = monstersTable.monsters.find((x) => x.name === g.name)!;
            expect(m, g.name).toBeDefined();
            expect(g.source).toBe(m.source);
            expect(g.source).toMatch(/^MM/);
            expect(g.morale).toMatch(/\(/);
            expect(g.magic_resistance).toBe(
              m.magic_resistance === 0 ? 'nil' : `${m.magic_resistance}%`,
            );
            expect(g.special_defences).toHaveLength(m.special_defenses.length);
            expect(g.special_attacks.length).toBeGreaterThanOrEqual(m.special_attacks.length);
            for (const s of [...g.special_attacks, ...g.special_defences])
              expect(s.length).toBeGreaterThan(5);
          }
      }),
      { numRuns: 40 },
    );
  });
});

describe('traps', () => {
  it('every trap (door, chest, room, corridor) has trigger, effect, save, damage, detection and removal', () => {
    let count = 0;
    for (let seed = 1; seed <= 80; seed++) {
      const d = gen({ size: 'medium', level: 1 + (seed % 10) }, seed);
      for (const door of d.doors) expect(door.type === 'trapped', door.id).toBe(!!door.trap);
      const { width, cells } = dungeonGrid(d);
      for (const t of allTraps(d)) {
        count++;
        for (const k of [
          'name',
          'trigger',
          'effect',
          'save',
          'damage',
          'detection',
          'removal',
        ] as const)
          expect(t[k].trim().length, `${t.name}.${k}`).toBeGreaterThan(0);
        if (t.location === 'room' || t.location === 'corridor') {
          const kind = cells[t.y! * width + t.x!];
          expect(kind === FLOOR || kind === CORRIDOR, `${t.name} at ${t.x},${t.y}`).toBe(true);
        }
      }
      // the text key prints every one of them
      const key = renderRoomKey(d);
      for (const t of allTraps(d)) expect(key).toContain(`${t.name} — trigger: ${t.trigger}`);
    }
    expect(count).toBeGreaterThan(80);
  });
});

describe('treasure', () => {
  it('every magic item is named, valued, and counted in the treasure value', () => {
    let items = 0;
    for (let seed = 1; seed <= 60; seed++) {
      const d = gen({ size: 'large', level: 4 + (seed % 7) }, seed);
      for (const r of d.rooms) {
        const t = r.contents.treasure;
        if (!t) continue;
        if (t.magic.length > 0) expect(t.items.length).toBeGreaterThan(0);
        for (const i of t.items) {
          items++;
          expect(i.name.trim().length).toBeGreaterThan(2);
          expect(typeof i.gp === 'number' || i.xp !== null).toBe(true);
          expect(i.source).toMatch(/DMG/);
        }
      }
    }
    expect(items).toBeGreaterThan(20);
  });

  it('rooms with lair monsters carry their lair treasure', () => {
    let lairs = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const d = gen({ size: 'medium', level: 3 }, seed);
      for (const r of d.rooms) {
        const g = r.contents.monsters[0];
        if (!g || g.role !== undefined || r.contents.set_piece) continue;
        const m = monstersTable.monsters.find((x) => x.name === g.name)!;
        if (m.treasure.lair.length === 0) continue;
        lairs++;
        expect(r.contents.treasure, `${d.seed} ${r.id} ${g.name}`).toBeDefined();
        for (const letter of m.treasure.lair) expect(r.contents.treasure!.types).toContain(letter);
      }
    }
    expect(lairs).toBeGreaterThan(10);
  });
});

describe('themes', () => {
  it('caverns have irregular caves and no worked doors', () => {
    fc.assert(
      fc.property(seedArb, fc.integer({ min: 1, max: 10 }), (seed, level) => {
        const d = gen({ size: 'medium', level, theme: 'cavern' }, seed);
        for (const door of d.doors) expect(['open', 'secret']).toContain(door.type);
        for (const r of d.rooms) expect(r.shape).toHaveLength(r.h);
        expect(d.rooms.some((r) => r.shape!.some((row) => row.includes('#')))).toBe(true);
        expect(d.checks).toEqual({ no_overlap: true, all_reachable: true, doors_valid: true });
        const key = renderRoomKey(d);
        for (const line of key.split('\n').filter((l) => l.trim().startsWith('Exits:')))
          expect(line).not.toMatch(/wooden|locked|stuck|trapped|portcullis|door/);
        for (const r of d.rooms) expect(r.description).not.toMatch(/sarcophag|door/);
      }),
      { numRuns: 40 },
    );
  });

  it('a warren is one humanoid tribe with a chieftain and his hoard', () => {
    let chiefs = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const d = gen({ size: 'medium', level: 1 + (seed % 5), theme: 'warren' }, seed);
      const hall = d.rooms.find((r) => r.contents.purpose === "chieftain's hall");
      if (!hall) continue;
      chiefs++;
      const tribe = hall.contents.monsters[0]!.name;
      expect(hall.contents.treasure).toBeDefined();
      const tribal = d.rooms.filter((r) => r.contents.monsters.some((g) => g.role !== undefined));
      for (const r of tribal)
        for (const g of r.contents.monsters)
          if (g.role !== undefined && !g.role.startsWith('kept')) expect(g.name).toBe(tribe);
      expect(tribal.length).toBeGreaterThanOrEqual(2);
    }
    expect(chiefs).toBeGreaterThan(20);
  });

  it('a crypt is undead in tombs', () => {
    let tombs = 0;
    for (let seed = 1; seed <= 30; seed++) {
      const d = gen({ size: 'medium', level: 1 + (seed % 10), theme: 'crypt' }, seed);
      for (const r of d.rooms) {
        if (r.contents.purpose !== 'tomb' || r.contents.monsters.length === 0) continue;
        tombs++;
        const m = monstersTable.monsters.find((x) => x.name === r.contents.monsters[0]!.name)!;
        expect(m.tags).toContain('undead');
      }
    }
    expect(tombs).toBeGreaterThan(15);
  });

  it('no dressing repeats within a dungeon until the theme list runs out', () => {
    for (const theme of THEMES)
      for (let seed = 1; seed <= 20; seed++) {
        const d = gen({ size: 'medium', level: 2, theme }, seed);
        const dressing = d.rooms.map((r) => r.description.split('; ')[1]);
        expect(new Set(dressing).size, `${theme} ${seed}`).toBe(dressing.length);
      }
  });

  it('the wandering table is a 2d10 table of at least 8 entries, with creatures not in the rooms', () => {
    for (const theme of THEMES)
      for (let level = 1; level <= 10; level++) {
        const w = gen({ size: 'small', level, theme }, level * 7).wandering_monsters;
        expect(w.dice).toBe('2d10');
        expect(w.entries.length).toBeGreaterThanOrEqual(8);
        expect(w.entries[0]!.range[0]).toBe(2);
        expect(w.entries.at(-1)!.range[1]).toBe(20);
        for (let i = 1; i < w.entries.length; i++)
          expect(w.entries[i]!.range[0]).toBe(w.entries[i - 1]!.range[1] + 1);
        expect(w.entries.some((e) => !e.inhabitant)).toBe(true);
      }
  });
});

describe('maps', () => {
  it('large ASCII maps fit in 100 columns', () => {
    for (const theme of THEMES)
      for (let seed = 1; seed <= 15; seed++) {
        const text = renderAsciiMap(gen({ size: 'large', level: 5, theme }, seed));
        for (const line of text.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
      }
  });

  it('corridors are orthogonal runs, never staircases of three or more one-cell steps', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const d = gen({ size: 'large', level: 3 }, seed);
      for (const c of d.corridors) {
        let shortRuns = 0;
        for (let i = 1; i < c.path.length; i++) {
          const [ax, ay] = c.path[i - 1]!;
          const [bx, by] = c.path[i]!;
          expect(ax === bx || ay === by).toBe(true);
          // a staircase is a run of one-cell legs between turns (two may meet round a door)
          const inner = i > 1 && i < c.path.length - 1;
          shortRuns = inner && Math.abs(bx - ax) + Math.abs(by - ay) === 1 ? shortRuns + 1 : 0;
          expect(shortRuns, `${seed} ${c.id}`).toBeLessThan(3);
        }
      }
    }
  });

  it('same seed and options give byte-identical JSON', () => {
    fc.assert(
      fc.property(seedArb, fc.constantFrom(...THEMES), (seed, theme) => {
        const o: DungeonOptions = {
          size: 'small',
          level: 3,
          theme,
          keyRooms: [{ name: 'throne room' }],
        };
        expect(JSON.stringify(gen(o, seed))).toBe(JSON.stringify(gen(o, seed)));
      }),
      { numRuns: 20 },
    );
  });
});

describe('set pieces', () => {
  it('--key-room forces a named room with the chosen monster, sized to the party', () => {
    const d = gen(
      {
        size: 'medium',
        level: 4,
        partyLevel: 4,
        keyRooms: [{ name: 'throne room', monster: 'ogre' }],
      },
      7,
    );
    const room = d.rooms.find((r) => r.contents.set_piece === 'throne room')!;
    expect(room).toBeDefined();
    expect(room.contents.purpose).toBe('throne room');
    expect(room.contents.monsters[0]!.name).toBe('ogre');
    expect(room.id).toBe(d.stairs.find((s) => s.direction === 'down')!.room);
    expect(renderRoomKey(d)).toContain(`${room.number}. [set piece] Throne room:`);
  });

  it('an unknown monster is a usage error with a did-you-mean', () => {
    expect(() =>
      gen({ size: 'small', level: 1, keyRooms: [{ name: 'lair', monster: 'hil giant' }] }, 1),
    ).toThrow(/unknown monster "hil giant" — did you mean "hill giant"/);
  });
});
