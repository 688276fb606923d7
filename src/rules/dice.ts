/**
 * Dice notation: `NdM` with an optional keep/drop (`kh`, `kl`, `dh`, `dl`, each with an
 * optional count, default 1) and any number of `+K`/`-K` constants. `d%` is `d100`; a
 * missing N is 1. Examples: `d20`, `3d6`, `1d8+2`, `4d6dl1`, `2d20kh1`, `d%`, `2d4+1-1`.
 * One dice group per expression. Case and spaces are ignored.
 *
 * Rolls use an injected `Rng` (src/core/rng.ts), so a seed reproduces them.
 */
import { UsageError } from '../core/errors.ts';
import type { Rng } from '../core/rng.ts';

export const MAX_DICE = 1000;
export const MAX_SIDES = 1000;
const MAX_MODIFIER = 1_000_000;

export type KeepMode = 'kh' | 'kl' | 'dh' | 'dl';

export interface DiceSpec {
  /** the notation as given (trimmed) */
  notation: string;
  count: number;
  sides: number;
  keep?: { mode: KeepMode; n: number };
  modifier: number;
}

/** The DiceRoll contract (original design 003, adapted). */
export interface DiceRoll {
  notation: string;
  /** the dice group, normalised: "4d6", "1d20", "1d100" */
  dice: string;
  /** every die rolled, in order */
  rolls: number[];
  /** present with kh/kl/dh/dl: the dice counted, in roll order */
  kept?: number[];
  /** present with kh/kl/dh/dl: the dice set aside, in roll order */
  dropped?: number[];
  modifier: number;
  total: number;
  /** present (true) only for a natural 20 on a single d20 */
  is_critical?: true;
  /** present (true) only for a natural 1 on a single d20 */
  is_fumble?: true;
}

function bad(notation: string, why: string): never {
  throw new UsageError(`bad dice notation "${notation}": ${why}`, {
    hint: 'examples: d20, 3d6, 1d8+2, 4d6dl1, 2d20kh1, d%',
  });
}

/** Parse dice notation; malformed input → UsageError naming the character and its position (1-based). */
export function parseDice(input: string): DiceSpec {
  const notation = input.trim();
  if (notation === '') bad(input, 'empty');
  const s = notation.toLowerCase();
  let i = 0;
  const at = (pos: number) => `at position ${pos + 1}`;
  const skipSpaces = () => {
    while (i < s.length && s[i] === ' ') i++;
  };
  const readInt = (): number | undefined => {
    const start = i;
    while (i < s.length && s[i]! >= '0' && s[i]! <= '9') i++;
    if (i === start) return undefined;
    if (i - start > 9) bad(notation, `number too large ${at(start)}`);
    return Number(s.slice(start, i));
  };
  const unexpected = (): never =>
    i >= s.length
      ? bad(notation, 'unexpected end')
      : bad(notation, `unexpected "${notation[i]}" ${at(i)}`);

  let spec: Omit<DiceSpec, 'notation' | 'modifier'> | undefined;
  let modifier = 0;
  let first = true;
  while (true) {
    skipSpaces();
    if (i >= s.length) break;
    let sign = 1;
    if (!first) {
      if (s[i] === '+') sign = 1;
      else if (s[i] === '-') sign = -1;
      else unexpected();
      i++;
      skipSpaces();
    } else if (s[i] === '+' || s[i] === '-') {
      sign = s[i] === '-' ? -1 : 1;
      i++;
      skipSpaces();
    }
    first = false;
    const termStart = i;
    const n = readInt();
    if (s[i] === 'd') {
      if (spec !== undefined)
        bad(notation, `only one dice group is supported, second one ${at(termStart)}`);
      if (sign < 0) bad(notation, `a dice group cannot be subtracted ${at(termStart)}`);
      const count = n ?? 1;
      i++;
      let sides: number;
      if (s[i] === '%') {
        sides = 100;
        i++;
      } else {
        const sidesAt = i;
        const m = readInt();
        if (m === undefined) {
          if (i >= s.length) bad(notation, `expected the number of sides after "d" ${at(i)}`);
          unexpected();
        }
        sides = m!;
        if (sides < 1) bad(notation, `a die needs at least 1 side ${at(sidesAt)}`);
      }
      if (count < 1) bad(notation, `roll at least 1 die ${at(termStart)}`);
      if (count > MAX_DICE) bad(notation, `at most ${MAX_DICE} dice ${at(termStart)}`);
      if (sides > MAX_SIDES) bad(notation, `at most ${MAX_SIDES} sides ${at(termStart)}`);
      spec = { count, sides };
      const two = s.slice(i, i + 2);
      if (two === 'kh' || two === 'kl' || two === 'dh' || two === 'dl') {
        const modeAt = i;
        i += 2;
        const k = readInt() ?? 1;
        if (k < 1 || k > count) {
          bad(notation, `${two}${k} needs a count between 1 and ${count} ${at(modeAt)}`);
        }
        if ((two === 'dh' || two === 'dl') && k === count) {
          bad(notation, `${two}${k} would drop every die ${at(modeAt)}`);
        }
        spec.keep = { mode: two, n: k };
      }
    } else if (n !== undefined) {
      modifier += sign * n;
      if (Math.abs(modifier) > MAX_MODIFIER) bad(notation, `modifier too large ${at(termStart)}`);
    } else {
      unexpected();
    }
  }
  if (spec === undefined) bad(notation, 'no dice (expected something like 1d20)');
  return { notation, ...spec, modifier };
}

/** Indices of the dice kept under a keep/drop rule (ties: the earlier die counts as higher). */
function keptIndices(rolls: readonly number[], mode: KeepMode, n: number): Set<number> {
  const order = rolls.map((v, idx) => ({ v, idx }));
  order.sort((a, b) => b.v - a.v || a.idx - b.idx); // highest first
  const count = rolls.length;
  let keep: { idx: number }[];
  if (mode === 'kh') keep = order.slice(0, n);
  else if (mode === 'kl') keep = order.slice(count - n);
  else if (mode === 'dh') keep = order.slice(n);
  else keep = order.slice(0, count - n);
  return new Set(keep.map((k) => k.idx));
}

/** Roll a parsed spec or a notation string with `rng`. */
export function rollDice(specOrNotation: DiceSpec | string, rng: Rng): DiceRoll {
  const spec = typeof specOrNotation === 'string' ? parseDice(specOrNotation) : specOrNotation;
  const rolls: number[] = [];
  for (let k = 0; k < spec.count; k++) rolls.push(rng.die(spec.sides));
  const result = {
    notation: spec.notation,
    dice: `${spec.count}d${spec.sides}`,
    rolls,
  } as DiceRoll;
  let counted: readonly number[] = rolls;
  if (spec.keep !== undefined) {
    const keepSet = keptIndices(rolls, spec.keep.mode, spec.keep.n);
    result.kept = rolls.filter((_, idx) => keepSet.has(idx));
    result.dropped = rolls.filter((_, idx) => !keepSet.has(idx));
    counted = result.kept;
  }
  let sum = 0;
  for (const v of counted) sum += v;
  result.modifier = spec.modifier;
  result.total = sum + spec.modifier;
  if (spec.count === 1 && spec.sides === 20) {
    if (rolls[0] === 20) result.is_critical = true;
    if (rolls[0] === 1) result.is_fumble = true;
  }
  return result;
}

/** Minimum and maximum totals of a spec (for validation and display). */
export function diceRange(spec: DiceSpec): { min: number; max: number } {
  const counted =
    spec.keep === undefined
      ? spec.count
      : spec.keep.mode === 'kh' || spec.keep.mode === 'kl'
        ? spec.keep.n
        : spec.count - spec.keep.n;
  return { min: counted + spec.modifier, max: counted * spec.sides + spec.modifier };
}
