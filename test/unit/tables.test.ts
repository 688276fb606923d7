import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { createRng } from '../../src/core/rng.ts';
import { dungeonTable } from '../../src/data/dungeon.ts';
import {
  createTableRoller,
  parseDice,
  rollDice,
  validateTables,
  type TableSet,
} from '../../src/generators/tables.ts';

const tables: TableSet = {
  top: {
    dice: 'd6',
    entries: [
      { range: [1, 3], result: 'plain' },
      { range: [4, 6], result: { table: 'inner' } },
    ],
  },
  inner: {
    dice: 'weight',
    entries: [
      { weight: 1, result: 'a' },
      { weight: 3, result: 'b' },
    ],
  },
};

describe('random tables', () => {
  it('parses dice and rolls within their range', () => {
    expect(parseDice('2d6+1')).toEqual({ count: 2, sides: 6, modifier: 1 });
    expect(parseDice('d100')).toEqual({ count: 1, sides: 100, modifier: 0 });
    expect(parseDice('7')).toEqual({ count: 0, sides: 0, modifier: 7 });
    expect(() => parseDice('2x6')).toThrow(UsageError);
    const rng = createRng(1);
    for (let i = 0; i < 500; i++) {
      const r = rollDice('3d4-2', rng);
      expect(r).toBeGreaterThanOrEqual(1);
      expect(r).toBeLessThanOrEqual(10);
    }
  });

  it('follows references and logs every roll', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 60; seed++) {
      const roller = createTableRoller(tables, createRng(seed));
      const result = roller.roll('top');
      seen.add(result);
      const first = roller.log[0]!;
      expect(first.table).toBe('top');
      if (first.roll <= 3) {
        expect(result).toBe('plain');
        expect(roller.log).toHaveLength(1);
      } else {
        expect(first.result).toBe('-> inner');
        expect(roller.log).toHaveLength(2);
        expect(roller.log[1]).toMatchObject({ table: 'inner', result: result });
        expect(result).toBe(roller.log[1]!.roll === 1 ? 'a' : 'b');
      }
    }
    expect(seen).toEqual(new Set(['plain', 'a', 'b']));
  });

  it('detects cycles, gaps, overlaps and unknown references', () => {
    const cycle: TableSet = {
      a: {
        dice: 'd2',
        entries: [
          { range: [1, 1], result: 'x' },
          { range: [2, 2], result: { table: 'b' } },
        ],
      },
      b: { dice: 'd2', entries: [{ range: [1, 2], result: { table: 'a' } }] },
    };
    expect(() => validateTables(cycle)).toThrow(/cycle \(a -> b -> a\)/);
    const self: TableSet = {
      s: { dice: 'd2', entries: [{ range: [1, 2], result: { table: 's' } }] },
    };
    expect(() => createTableRoller(self, createRng(1))).toThrow(/cycle \(s -> s\)/);
    const gap: TableSet = {
      g: {
        dice: 'd6',
        entries: [
          { range: [1, 3], result: 'x' },
          { range: [5, 6], result: 'y' },
        ],
      },
    };
    expect(() => validateTables(gap)).toThrow(/roll 4 is covered 0 times/);
    const overlap: TableSet = {
      o: {
        dice: 'd6',
        entries: [
          { range: [1, 4], result: 'x' },
          { range: [4, 6], result: 'y' },
        ],
      },
    };
    expect(() => validateTables(overlap)).toThrow(/roll 4 is covered 2 times/);
    const unknown: TableSet = {
      u: { dice: 'd2', entries: [{ range: [1, 2], result: { table: 'nope' } }] },
    };
    expect(() => validateTables(unknown)).toThrow(/unknown table "nope"/);
  });

  it('accepts the shipped dungeon tables', () => {
    expect(() => validateTables(dungeonTable.tables)).not.toThrow();
  });
});
