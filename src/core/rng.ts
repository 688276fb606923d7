/**
 * Seeded randomness (STYLE.md: determinism is an input). One `Rng` is passed to every
 * generator and roller; the same seed gives the same sequence on every machine.
 * Backed by pure-rand's xoroshiro128+ and its unbiased uniformInt distribution.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

export interface Rng {
  /** the seed this generator started from (recorded in every artifact) */
  readonly seed: number;
  /** an integer in [min, max], both included */
  int(min: number, max: number): number;
  /** one die with `sides` faces: 1..sides */
  die(sides: number): number;
  /** a uniformly chosen element */
  pick<T>(items: readonly T[]): T;
  /** a new independent generator derived from this one (for sub-generators) */
  fork(): Rng;
}

/** Normalise a user seed (any integer, or a string) to a 32-bit signed integer. */
export function normaliseSeed(seed: number | string): number {
  if (typeof seed === 'number' && Number.isSafeInteger(seed)) return seed | 0;
  const s = String(seed);
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return h | 0;
}

export function createRng(seed: number | string): Rng {
  const normalised = normaliseSeed(seed);
  const gen = xoroshiro128plus(normalised);
  const rng: Rng = {
    seed: normalised,
    int: (min, max) => uniformInt(gen, min, max),
    die: (sides) => uniformInt(gen, 1, sides),
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[uniformInt(gen, 0, items.length - 1)]!;
    },
    fork: () => createRng(uniformInt(gen, -0x80000000, 0x7fffffff)),
  };
  return rng;
}

/** A fresh seed for when the user gave none (recorded so the result can be reproduced). */
export function randomSeed(): number {
  return (Math.random() * 0x7fffffff) | 0;
}
