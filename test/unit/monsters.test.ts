import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { monstersTable } from '../../src/data/monsters.ts';
import { treasureTable } from '../../src/data/treasure.ts';
import { dungeonTable } from '../../src/data/dungeon.ts';

interface ThacRow {
  consensus: number | null;
}
const reference = JSON.parse(
  readFileSync(
    ['../shared', '../../shared']
      .map((d) => join(process.cwd(), d, 'reference/adnd2e/monster_thac0_by_hd.json'))
      .find((p) => existsSync(p)) ?? '../shared/reference/adnd2e/monster_thac0_by_hd.json',
    'utf8',
  ),
) as { rows: Record<string, ThacRow> };

/** DMG Table 39 row for a Hit Dice string, by the reference file's own key rules. */
function referenceThac0(hd: string): number {
  let key: string;
  if (hd.includes('/') || /^\d+(-\d+)? hp$/.test(hd) || hd === 'special') key = 'lt1_half_or_less';
  else {
    const m = /^(\d+)([+-]\d+)?/.exec(hd)!;
    const dice = Number(m[1]);
    const bonus = m[2] === undefined ? 0 : Number(m[2]);
    const n = bonus < 0 ? dice - 1 : dice + (bonus >= 3 ? 1 : 0);
    key = n === 0 ? 'lt1_1-1' : String(Math.min(n, 16));
  }
  const value = reference.rows[key]?.consensus;
  if (typeof value !== 'number') throw new Error(`no consensus THAC0 for ${hd} (${key})`);
  return value;
}

describe('monster data', () => {
  it('has at least 200 monsters, several on every dungeon level 1-10', () => {
    expect(monstersTable.monsters.length).toBeGreaterThanOrEqual(200);
    for (let level = 1; level <= 10; level++) {
      const n = monstersTable.monsters.filter(
        (m) => m.level[0] <= level && level <= m.level[1],
      ).length;
      expect(n, `monsters on level ${level}`).toBeGreaterThanOrEqual(4);
    }
  });

  it('agrees with the 2e creature THAC0 by Hit Dice table (DMG Table 39)', () => {
    /** MM entries whose printed THAC0 is not the table's (the entry's number rules). */
    const printed: Record<string, string> = {
      'iron golem': 'MM prints THAC0 3 for the 18 HD iron golem; Table 39 stops at 5 (16+ HD)',
      'giant ant': 'MM prints THAC0 16 for the 2 HD worker (both transcriptions agree)',
      'gibbering mouther': 'MM prints THAC0 17 for 4+3 HD (as 4 HD; both transcriptions agree)',
    };
    const wrong = monstersTable.monsters
      .filter((m) => !(m.name in printed))
      .map((m) => ({
        name: m.name,
        hd: m.attacks_as ?? m.hd,
        thac0: m.thac0,
        expected: referenceThac0(m.attacks_as ?? m.hd),
      }))
      .filter((m) => m.thac0 !== m.expected);
    expect(wrong).toEqual([]);
  });

  it('names only treasure types that exist', () => {
    for (const m of monstersTable.monsters)
      for (const t of [...m.treasure.individual, ...m.treasure.lair])
        expect(treasureTable.types[t.replace(/x\d+$/, '')], `${m.name}: ${t}`).toBeDefined();
    for (const types of dungeonTable.unguarded_treasure.by_level)
      for (const t of types) expect(treasureTable.types[t]).toBeDefined();
    expect(Object.keys(treasureTable.types).sort().join('')).toBe('ABCDEFGHIJKLMNOPQRSTUVWXYZ');
  });
});
