/**
 * The magic item tables (rules-data/magic-items.yaml) and their rollers
 * (src/rules/magic-items.ts): every die face of every table names exactly one item,
 * rolls are seeded, every rolled item has a name and a value, pools and NPC items keep
 * to what they promise.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDmaError } from '../../src/core/errors.ts';
import { createRng } from '../../src/core/rng.ts';
import { magicItemsTable as data } from '../../src/data/magic-items.ts';
import { treasureTable } from '../../src/data/treasure.ts';
import {
  MAGIC_CATEGORIES,
  lookupMagicItem,
  magicForLine,
  NPC_ITEM_CATEGORIES,
  npcItemChance,
  npcMagicItems,
  rollMagicItem,
  rollOnTable,
  rollTreasureMagic,
  usableBy,
  type ClassGroup,
  type RolledMagicItem,
} from '../../src/rules/magic-items.ts';

const GROUPS: ClassGroup[] = ['warrior', 'priest', 'rogue', 'wizard'];

function wellFormed(item: RolledMagicItem): void {
  expect(item.name.length).toBeGreaterThan(2);
  expect(item.appears_as.length).toBeGreaterThan(2);
  expect(Number.isInteger(item.gp) && item.gp >= 0).toBe(true);
  expect(item.xp === null || (Number.isInteger(item.xp) && item.xp >= 0)).toBe(true);
  expect(item.summary.length).toBeGreaterThan(10);
  expect(item.source).toMatch(/^DMG Table (8[4-9]|9\d|10\d|110)$/);
  expect(MAGIC_CATEGORIES).toContain(item.category);
  expect(item.usable_by.length).toBeGreaterThan(0);
  expect(item.rolls.length).toBeGreaterThan(0);
  // a cursed item is never announced as such to the players
  if (item.cursed) {
    expect(item.appears_as).not.toMatch(/curse|poison|delusion|-\d/i);
    expect(item.xp).toBeNull();
  }
  if (item.charges !== undefined) expect(item.charges).toBeGreaterThan(0);
}

describe('magic item tables', () => {
  it('hold at least 300 named items, each name once', () => {
    expect(data.items.length).toBeGreaterThanOrEqual(300);
    const names = data.items.map((i) => i.name);
    expect(new Set(names).size).toBe(names.length);
  });

  it('Table 88 covers d100 exactly once and names only known tables', () => {
    const seen = new Array<number>(101).fill(0);
    for (const e of data.categories.entries) {
      expect(e.table in data.tables || e.table === 'armor' || e.table === 'weapons').toBe(true);
      for (let r = e.roll[0]; r <= e.roll[1]; r++) seen[r]!++;
    }
    expect(seen.slice(1).every((n) => n === 1)).toBe(true);
  });

  it('every face of every (sub)table names exactly one item or DM choice', () => {
    for (const [id, t] of Object.entries(data.tables)) {
      const subs: (string | undefined)[] = t.subtables?.map((s) => s.name) ?? [undefined];
      if (t.subtables) {
        const faces = new Array<number>(t.subtable_die! + 1).fill(0);
        for (const s of t.subtables) for (let r = s.range[0]; r <= s.range[1]; r++) faces[r]!++;
        expect(faces.slice(1), `${id} subtable die`).toEqual(new Array(t.subtable_die).fill(1));
      }
      for (const sub of subs) {
        const faces = new Array<number>(t.die + 1).fill(0);
        for (const i of data.items.filter((x) => x.table === id && x.sub === sub))
          for (let r = i.roll[0]; r <= i.roll[1]; r++) faces[r]!++;
        for (const c of t.dm_choice ?? [])
          if (c.sub === sub) for (let r = c.roll[0]; r <= c.roll[1]; r++) faces[r]!++;
        expect(faces.slice(1), `${id} ${sub ?? ''}`).toEqual(new Array(t.die).fill(1));
      }
    }
  });

  it('variants, adjustments and armour/weapon types cover their dice', () => {
    for (const i of data.items.filter((x) => x.variants)) {
      const faces = new Array<number>(101).fill(0);
      for (const v of i.variants!) for (let r = v.roll[0]; r <= v.roll[1]; r++) faces[r]!++;
      expect(faces.slice(1), i.name).toEqual(new Array(100).fill(1));
    }
    for (const c of [data.armor, data.weapons]) {
      const faces = new Array<number>(c.die + 1).fill(0);
      for (const t of c.types) for (let r = t.roll[0]; r <= t.roll[1]; r++) faces[r]!++;
      expect(faces.slice(1)).toEqual(new Array(c.die).fill(1));
      for (const [kind, adj] of Object.entries(c.adjustments)) {
        const f = new Array<number>(c.adjustment_die + 1).fill(0);
        for (const a of adj) for (let r = a.roll[0]; r <= a.roll[1]; r++) f[r]!++;
        expect(f.slice(1), kind).toEqual(new Array(c.adjustment_die).fill(1));
      }
    }
  });

  it('cursed rows have no XP and say what players see', () => {
    for (const i of data.items.filter((x) => x.cursed)) {
      expect(i.xp, i.name).toBeNull();
      expect(i.appears_as, i.name).toBeDefined();
    }
  });

  it('every summary is a finished sentence of our own (no ellipses or notes to self)', () => {
    for (const i of data.items) expect(i.summary, i.name).not.toMatch(/\.\.\.|\?|TODO/);
  });
});

describe('rollMagicItem', () => {
  it('is reproducible from the seed', () => {
    const a = Array.from(
      { length: 50 },
      (
        (r) => () =>
          rollMagicItem(r)
      )(createRng(42)),
    );
    const b = Array.from(
      { length: 50 },
      (
        (r) => () =>
          rollMagicItem(r)
      )(createRng(42)),
    );
    expect(a).toEqual(b);
  });

  it('property: any seed and category gives a named, valued item of that category', () => {
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...MAGIC_CATEGORIES), (seed, category) => {
        const item = rollMagicItem(createRng(seed), { category });
        wellFormed(item);
        expect(item.category).toBe(category);
      }),
      { numRuns: 1000 },
    );
  });

  it('property: an unrestricted roll is always well formed', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => wellFormed(rollMagicItem(createRng(seed)))),
      { numRuns: 1500 },
    );
  });

  it('follows Table 88 odds: potions about 20%, weapons about 25% (5,000 rolls)', () => {
    const rng = createRng(7);
    const n = 5000;
    const count: Record<string, number> = {};
    for (let i = 0; i < n; i++) {
      const c = rollMagicItem(rng).category;
      count[c] = (count[c] ?? 0) + 1;
    }
    expect(count.potion! / n).toBeGreaterThan(0.17);
    expect(count.potion! / n).toBeLessThan(0.23);
    expect(count.weapon! / n).toBeGreaterThan(0.22);
    expect(count.weapon! / n).toBeLessThan(0.28);
    expect(count.rod! / n).toBeLessThan(0.02);
  });

  it('pools keep to their tables', () => {
    const rng = createRng(3);
    for (let i = 0; i < 300; i++) {
      expect(rollMagicItem(rng, { category: 'any-except-weapons' }).category).not.toBe('weapon');
      expect(['armor', 'weapon']).toContain(
        rollMagicItem(rng, { category: 'armor-or-weapon' }).category,
      );
      expect(['rod', 'staff', 'wand']).toContain(
        rollMagicItem(rng, { category: 'rod-staff-wand' }).category,
      );
    }
  });

  it('a spell scroll lists its spells, and its XP is 100 per spell level', () => {
    const rng = createRng(11);
    let seen = 0;
    for (let i = 0; i < 200; i++) {
      const s = rollOnTable(rng, 'scrolls');
      if (!s.spells) continue;
      seen++;
      const total = s.spells.levels.reduce((a, b) => a + b, 0);
      expect(s.xp).toBe(100 * total);
      expect(s.name).toContain(s.spells.kind);
      const max = s.spells.kind === 'wizard' ? 9 : 7;
      expect(Math.max(...s.spells.levels)).toBeLessThanOrEqual(max);
    }
    expect(seen).toBeGreaterThan(100);
  });

  it('armour and weapons compose type and bonus, and ammunition comes in quantity', () => {
    const rng = createRng(5);
    let ammo = 0;
    for (let i = 0; i < 400; i++) {
      const w = rollMagicItem(rng, { category: 'weapon' });
      if (w.quantity !== undefined) {
        ammo++;
        expect(w.quantity).toBeGreaterThanOrEqual(2);
        expect(w.name).toMatch(/^\d+ /);
      }
      const a = rollMagicItem(rng, { category: 'armor' });
      if (/ [+-]\d$/.test(a.name) && !a.cursed) expect(a.xp).toBeGreaterThanOrEqual(500);
    }
    expect(ammo).toBeGreaterThan(10);
  });

  it('wands are found with 81-100 charges (101 - d20)', () => {
    const rng = createRng(9);
    for (let i = 0; i < 200; i++) {
      const w = rollMagicItem(rng, { category: 'wand' });
      expect(w.charges).toBeGreaterThanOrEqual(81);
      expect(w.charges).toBeLessThanOrEqual(100);
    }
  });

  it('small pools always end in one Table 88 roll (rods, staves and wands are 5 faces in 100)', () => {
    const rng = createRng(99);
    let outside = 0;
    for (let i = 0; i < 50_000; i++) {
      const first = rollMagicItem(rng, { category: 'rod-staff-wand' }).rolls[0]!.roll;
      if (first < 41 || first > 45) outside++;
    }
    expect(outside).toBe(0);
  });

  it('one table can be rolled on directly (Table 97: cloaks and robes)', () => {
    const rng = createRng(12);
    for (let i = 0; i < 50; i++)
      expect(rollMagicItem(rng, { category: 'cloaks' }).source).toBe('DMG Table 97');
  });

  it('an unknown category is a usage error', () => {
    try {
      rollMagicItem(createRng(1), { category: 'sword' as never });
      expect.unreachable();
    } catch (e) {
      expect(isDmaError(e)).toBe(true);
    }
  });
});

describe('lookupMagicItem', () => {
  it('finds rows, composed pieces, kinds of a row and unique parts of a name', () => {
    expect(lookupMagicItem('Ring of  Invisibility')).toMatchObject({ xp: 1500, gp: 7500 });
    expect(lookupMagicItem('long sword +3')).toMatchObject({ category: 'weapon', xp: 1400 });
    expect(lookupMagicItem('shield -1')).toMatchObject({ cursed: true, xp: null });
    expect(lookupMagicItem('bracers of defense ac 4')).toMatchObject({ xp: 3000, gp: 15000 });
    expect(lookupMagicItem('cloak of protection +3').name).toBe('cloak of protection +3');
    expect(lookupMagicItem('vorpal').name).toBe('sword vorpal');
  });

  it('refuses unknown and ambiguous names with usage errors', () => {
    for (const bad of ['ring of invisibilty', 'sword', '', 'long sword +9']) {
      try {
        lookupMagicItem(bad);
        expect.unreachable(bad);
      } catch (e) {
        expect(isDmaError(e), bad).toBe(true);
      }
    }
  });
});

describe('rollTreasureMagic', () => {
  it('every treasure type with magic has item rolls for it', () => {
    for (const [letter, t] of Object.entries(treasureTable.types))
      for (const l of t.lines) if (l.kind === 'magic') expect(l.items, letter).toBeDefined();
  });

  it('property: type letters produce named, valued items', () => {
    const letters = Object.keys(treasureTable.types);
    fc.assert(
      fc.property(fc.integer(), fc.subarray(letters, { minLength: 1 }), (seed, types) => {
        for (const item of rollTreasureMagic(createRng(seed), types)) {
          expect(item.name.length).toBeGreaterThan(2);
          expect(item.gp).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('type S gives only potions, T only scrolls, and A gives 3 items when it gives any', () => {
    for (let seed = 0; seed < 200; seed++) {
      for (const p of rollTreasureMagic(createRng(seed), 'S')) expect(p.category).toBe('potion');
      for (const s of rollTreasureMagic(createRng(seed), 'T')) expect(s.category).toBe('scroll');
      expect([0, 3]).toContain(rollTreasureMagic(createRng(seed), 'A').length);
    }
  });

  it('type A has magic about 30% of the time (DMG Table 84)', () => {
    let hits = 0;
    for (let seed = 0; seed < 2000; seed++)
      if (rollTreasureMagic(createRng(seed), 'A').length > 0) hits++;
    expect(hits / 2000).toBeGreaterThan(0.26);
    expect(hits / 2000).toBeLessThan(0.34);
  });

  it('a bare spec rolls exactly what it says', () => {
    const items = rollTreasureMagic(createRng(2), [
      { count: '2', from: 'ring' },
      { count: '1', from: 'map' },
    ]);
    expect(items.map((i) => i.category)).toEqual(['ring', 'ring', 'miscellaneous']);
    expect(items[2]!.name).toMatch(/^treasure map/);
  });

  it('magicForLine rolls a treasure line as the treasure roller sees it', () => {
    const h = treasureTable.types.H!.lines.find((l) => l.kind === 'magic')!;
    const items = magicForLine(createRng(4), h);
    expect(items).toHaveLength(6);
    expect(items.filter((i) => i.category === 'potion').length).toBeGreaterThanOrEqual(1);
    expect(items.filter((i) => i.category === 'scroll').length).toBeGreaterThanOrEqual(1);
    expect(magicForLine(createRng(4), { dice: '2' })).toHaveLength(2);
  });

  it('an unknown treasure type is a usage error', () => {
    expect(() => rollTreasureMagic(createRng(1), '?')).not.toThrow();
    try {
      rollTreasureMagic(createRng(1), ['AA']);
      expect.unreachable();
    } catch (e) {
      expect(isDmaError(e)).toBe(true);
    }
  });
});

describe('npcMagicItems', () => {
  it('chance is 5% per level, at most 90%', () => {
    expect(npcItemChance(1)).toBe(5);
    expect(npcItemChance(10)).toBe(50);
    expect(npcItemChance(25)).toBe(90);
  });

  it('property: an NPC gets only uncursed items it can use, at most one per category', () => {
    fc.assert(
      fc.property(
        fc.integer(),
        fc.constantFrom(...GROUPS),
        fc.integer({ min: 1, max: 20 }),
        (seed, group, level) => {
          const items = npcMagicItems(createRng(seed), { classGroup: group, level });
          expect(items.length).toBeLessThanOrEqual(NPC_ITEM_CATEGORIES[group].length);
          for (const item of items) {
            wellFormed(item);
            expect(item.cursed).toBe(false);
            expect(usableBy(item, group)).toBe(true);
          }
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('higher levels carry more: level 1 averages well under 1 item, level 15 over 2', () => {
    const avg = (level: number) => {
      let n = 0;
      for (let s = 0; s < 400; s++)
        n += npcMagicItems(createRng(s), { classGroup: 'warrior', level }).length;
      return n / 400;
    };
    expect(avg(1)).toBeLessThan(0.5);
    expect(avg(15)).toBeGreaterThan(2);
  });

  it('wizards carry no armour, and only the weapons a wizard may use', () => {
    let weapons = 0;
    for (let s = 0; s < 300; s++)
      for (const i of npcMagicItems(createRng(s), { classGroup: 'wizard', level: 18 })) {
        expect(i.category).not.toBe('armor');
        if (i.category === 'weapon') {
          weapons++;
          expect(i.name).toMatch(/dagger|dart|quarterstaff|buckle knife|arrow of direction/);
        }
      }
    expect(weapons).toBeGreaterThan(20);
  });

  it('a class restriction is honoured: only a paladin gets a holy avenger', () => {
    const item = { usable_by: ['paladin'] };
    expect(usableBy(item, 'warrior')).toBe(false);
    expect(usableBy(item, 'warrior', 'fighter')).toBe(false);
    expect(usableBy(item, 'warrior', 'paladin')).toBe(true);
  });
});
