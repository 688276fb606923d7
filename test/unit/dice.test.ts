import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { createRng, type Rng } from '../../src/core/rng.ts';
import { diceRange, parseDice, rollDice } from '../../src/rules/dice.ts';

/** An Rng that returns scripted die faces, to test keep/drop and flags exactly. */
function scripted(faces: number[]): Rng {
  let i = 0;
  const rng: Rng = {
    seed: 0,
    int: () => faces[i++]!,
    die: () => faces[i++]!,
    pick: (items) => items[0]!,
    fork: () => rng,
  };
  return rng;
}

function errorOf(notation: string): string {
  try {
    parseDice(notation);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return (e as Error).message;
  }
  throw new Error(`"${notation}" parsed`);
}

describe('parseDice', () => {
  it.each([
    ['d20', { count: 1, sides: 20, modifier: 0 }],
    ['3d6', { count: 3, sides: 6, modifier: 0 }],
    ['1d8+2', { count: 1, sides: 8, modifier: 2 }],
    ['2d4+1-3', { count: 2, sides: 4, modifier: -2 }],
    ['d%', { count: 1, sides: 100, modifier: 0 }],
    ['4d6dl1', { count: 4, sides: 6, modifier: 0, keep: { mode: 'dl', n: 1 } }],
    ['2d20kh1', { count: 2, sides: 20, modifier: 0, keep: { mode: 'kh', n: 1 } }],
    ['2D20KL', { count: 2, sides: 20, modifier: 0, keep: { mode: 'kl', n: 1 } }],
    [' 1d6 + 1 ', { count: 1, sides: 6, modifier: 1 }],
    ['3+1d4', { count: 1, sides: 4, modifier: 3 }],
  ])('%s', (notation, expected) => {
    expect(parseDice(notation)).toMatchObject(expected);
  });

  it('points at the bad character (1-based)', () => {
    expect(errorOf('3d6x')).toBe('bad dice notation "3d6x": unexpected "x" at position 4');
    expect(errorOf('abc')).toBe('bad dice notation "abc": unexpected "a" at position 1');
    expect(errorOf('1d6*2')).toBe('bad dice notation "1d6*2": unexpected "*" at position 4');
    expect(errorOf('3d')).toMatch(/expected the number of sides after "d" at position 3/);
    expect(errorOf('d20+')).toMatch(/unexpected end/);
    expect(errorOf('')).toMatch(/empty/);
  });

  it('enforces limits and sensible keep/drop counts', () => {
    expect(errorOf('1001d6')).toMatch(/at most 1000 dice/);
    expect(errorOf('1d1001')).toMatch(/at most 1000 sides/);
    expect(errorOf('0d6')).toMatch(/at least 1 die/);
    expect(errorOf('2d6kh3')).toMatch(/kh3 needs a count between 1 and 2 at position 4/);
    expect(errorOf('2d6dl2')).toMatch(/would drop every die/);
    expect(errorOf('1d6+1d4')).toMatch(/only one dice group.*position 5/);
    expect(errorOf('5')).toMatch(/no dice/);
    expect(parseDice('1000d1000').count).toBe(1000);
  });

  it('computes ranges', () => {
    expect(diceRange(parseDice('3d6+1'))).toEqual({ min: 4, max: 19 });
    expect(diceRange(parseDice('4d6dl1'))).toEqual({ min: 3, max: 18 });
    expect(diceRange(parseDice('2d20kh1'))).toEqual({ min: 1, max: 20 });
  });
});

describe('rollDice', () => {
  it('is reproducible from a seed', () => {
    const series = (seed: number) => {
      const rng = createRng(seed);
      return Array.from({ length: 20 }, () => rollDice('4d6dl1', rng));
    };
    expect(series(1234)).toEqual(series(1234));
    expect(series(99)).not.toEqual(series(1234));
  });

  it('stays within the faces and sums correctly', () => {
    const rng = createRng(7);
    for (let i = 0; i < 500; i++) {
      const r = rollDice('3d6+2', rng);
      expect(r.rolls).toHaveLength(3);
      for (const v of r.rolls) expect(v >= 1 && v <= 6).toBe(true);
      expect(r.total).toBe(r.rolls.reduce((s, v) => s + v, 0) + 2);
      expect(r.kept).toBeUndefined();
    }
  });

  it('keeps and drops the right dice', () => {
    expect(rollDice('4d6dl1', scripted([3, 1, 6, 4]))).toEqual({
      notation: '4d6dl1',
      dice: '4d6',
      rolls: [3, 1, 6, 4],
      kept: [3, 6, 4],
      dropped: [1],
      modifier: 0,
      total: 13,
    });
    const kh = rollDice('2d20kh1+1', scripted([7, 15]));
    expect([kh.kept, kh.dropped, kh.total]).toEqual([[15], [7], 16]);
    const kl = rollDice('2d20kl1', scripted([7, 15]));
    expect([kl.kept, kl.dropped, kl.total]).toEqual([[7], [15], 7]);
    const dh = rollDice('3d6dh1', scripted([2, 6, 5]));
    expect([dh.kept, dh.dropped, dh.total]).toEqual([[2, 5], [6], 7]);
    // ties: one of the equal dice is dropped, not both
    const tie = rollDice('3d6dl1', scripted([2, 2, 5]));
    expect([tie.kept, tie.dropped]).toEqual([[2, 5], [2]]);
  });

  it('flags critical and fumble only on a single d20', () => {
    const crit = rollDice('d20+3', scripted([20]));
    expect(crit.is_critical).toBe(true);
    expect('is_fumble' in crit).toBe(false);
    const fumble = rollDice('1d20', scripted([1]));
    expect(fumble.is_fumble).toBe(true);
    expect('is_critical' in fumble).toBe(false);
    const plain = rollDice('1d20', scripted([12]));
    expect('is_critical' in plain || 'is_fumble' in plain).toBe(false);
    const two = rollDice('2d20kh1', scripted([20, 1]));
    expect('is_critical' in two || 'is_fumble' in two).toBe(false);
    const d6 = rollDice('1d6', scripted([1]));
    expect('is_fumble' in d6).toBe(false);
  });
});
