/**
 * Ability scores for an NPC: roll a set by the chosen method, then find the classes and
 * races the set allows (PHB Table 7 racial ranges after the Table 8 adjustments, PHB
 * Table 13/22 class minimums). In-order methods take the set as it falls and re-roll a
 * set that fits nothing allowed; arranged methods place the scores where the class
 * needs them.
 */
import { UsageError } from '../../core/errors.ts';
import type { Rng } from '../../core/rng.ts';
import { racesTable } from '../../data/races.ts';
import { ABILITIES, type Ability } from '../../rules/abilities.ts';
import { type ClassKey, classRecord } from '../../rules/classes.ts';
import type { RaceKey } from '../../data/schemas/common.ts';
import type { AbilityMethod, RollStep } from './types.ts';
import { ABILITY_TITLES } from '../../rules/abilities.ts';

/** A class (or multi-class combination) and race that the options allow, with the raw-score bounds they impose. */
export interface Candidate {
  /** the class, or the combination's name ("fighter/mage") */
  klass: string;
  /** the classes: one, or two or three for a multi-class character */
  classes: ClassKey[];
  race: RaceKey;
  weight: number;
  /** per ability (ABILITIES order): lowest and highest raw roll that stays legal */
  lo: number[];
  hi: number[];
  /** abilities in the order an arranged method fills them */
  preference: Ability[];
}

const boundsCache = new Map<string, Pick<Candidate, 'lo' | 'hi' | 'preference'>>();

export function candidate(
  classes: readonly ClassKey[],
  race: RaceKey,
  weight: number,
  /** dual-class: the old class's prime requisites need this, the new one's `dual.next` */
  dual?: { old: number; next: number },
): Candidate {
  const klass = classes.join('/');
  const key = `${klass}|${race}|${dual === undefined ? '' : 'dual'}`;
  let b = boundsCache.get(key);
  if (b === undefined) {
    const recs = classes.map((c) => classRecord(c));
    const r = racesTable.races[race];
    // the highest of the classes' minimums (PHB Table 13: a multi-class character meets each)
    const mins: Partial<Record<Ability, number>> = {};
    for (const rec of recs)
      for (const [a, v] of Object.entries(rec.minimums) as [Ability, number][])
        mins[a] = Math.max(mins[a] ?? 3, v);
    if (dual !== undefined) {
      recs.forEach((rec, i) => {
        const need = i === 0 ? dual.old : dual.next;
        for (const a of rec.prime_requisites as Ability[]) mins[a] = Math.max(mins[a] ?? 3, need);
      });
    }
    const adj = r.adjustments as Partial<Record<Ability, number>>;
    const lo = ABILITIES.map((a) =>
      Math.max(3, Math.max(r.minimums[a], mins[a] ?? 3) - (adj[a] ?? 0)),
    );
    const hi = ABILITIES.map((a) => Math.min(18, r.maximums[a] - (adj[a] ?? 0)));
    const preference = [
      ...new Set<Ability>([
        ...recs.flatMap((rec) => rec.prime_requisites as Ability[]),
        ...(Object.keys(mins) as Ability[]),
        'con',
        'dex',
        'str',
        'wis',
        'int',
        'cha',
      ]),
    ];
    b = { lo, hi, preference };
    boundsCache.set(key, b);
  }
  return { klass, classes: [...classes], race, weight, ...b };
}

function fitsInOrder(raw: readonly number[], c: Candidate): boolean {
  for (let i = 0; i < 6; i++) if (raw[i]! < c.lo[i]! || raw[i]! > c.hi[i]!) return false;
  return true;
}

/**
 * Can the scores (sorted ascending) be arranged within the bounds of the abilities in the
 * `open` bit mask? Greedy matching of points to intervals: each score, lowest first, takes
 * the open ability whose upper bound is lowest among those it fits (optimal for intervals).
 */
function matchable(sortedAsc: readonly number[], open: number, c: Candidate): boolean {
  let free = open;
  for (const s of sortedAsc) {
    let best = -1;
    for (let i = 0; i < 6; i++) {
      if ((free & (1 << i)) === 0 || s < c.lo[i]! || s > c.hi[i]!) continue;
      if (best < 0 || c.hi[i]! < c.hi[best]!) best = i;
    }
    if (best < 0) return false;
    free &= ~(1 << best);
  }
  return true;
}

/** Place scores by the class's preference: each ability takes the best score that keeps the rest legal. */
function arrange(scores: readonly number[], c: Candidate): number[] {
  const out = new Array<number>(6).fill(0);
  let left = [...scores].sort((a, b) => b - a);
  let open = 0b111111;
  for (const ability of c.preference) {
    const i = ABILITIES.indexOf(ability);
    open &= ~(1 << i);
    for (let k = 0; k < left.length; k++) {
      const s = left[k]!;
      if (s < c.lo[i]! || s > c.hi[i]!) continue;
      const rest = left.filter((_, j) => j !== k);
      if (matchable([...rest].reverse(), open, c)) {
        out[i] = s;
        left = rest;
        break;
      }
    }
  }
  return out;
}

interface RolledScore {
  total: number;
  step: RollStep;
}

function rollScore(method: AbilityMethod, rng: Rng, label: string): RolledScore {
  if (method === '3d6') {
    const rolls = [rng.die(6), rng.die(6), rng.die(6)];
    const total = rolls[0]! + rolls[1]! + rolls[2]!;
    return {
      total,
      step: { step: label, source: 'PHB Chapter 1, Method I', dice: '3d6', rolls, result: total },
    };
  }
  const discarded: number[] = [];
  for (;;) {
    const rolls = [rng.die(6), rng.die(6), rng.die(6), rng.die(6)];
    const total = rolls[0]! + rolls[1]! + rolls[2]! + rolls[3]! - Math.min(...rolls);
    if (method === 'heroic' && total < 8) {
      discarded.push(total);
      continue;
    }
    const step: RollStep = {
      step: label,
      source: 'PHB Chapter 1, Method V',
      dice: '4d6dl1',
      rolls,
      result: total,
      note:
        discarded.length === 0
          ? 'the lowest die dropped'
          : `the lowest die dropped; re-rolled ${discarded.join(', ')} (below 8)`,
    };
    return { total, step };
  }
}

export interface RolledAbilities {
  chosen: Candidate;
  /** raw scores in ABILITIES order, before racial adjustments */
  raw: number[];
  steps: RollStep[];
}

const MAX_SETS = 100_000;

const METHOD_NAMES: Record<AbilityMethod, string> = {
  '3d6': '3d6 in order',
  '4d6': '4d6 drop lowest, in order',
  heroic: '4d6 drop lowest, arranged, totals below 8 re-rolled',
};
const METHOD_SOURCES: Record<AbilityMethod, string> = {
  '3d6': 'PHB Chapter 1, Method I',
  '4d6': "PHB Chapter 1, Method V's dice, in order (dma's variant)",
  heroic: "PHB Chapter 1, Method V; re-rolling below 8 is dma's addition",
};

/**
 * Roll sets until one fits a candidate, then pick among the fitting candidates by
 * weight. Throws UsageError if no set fits within MAX_SETS (practically impossible for
 * any class and race the rules allow).
 */
export function rollAbilities(
  method: AbilityMethod,
  candidates: readonly Candidate[],
  rng: Rng,
): RolledAbilities {
  const arranged = method === 'heroic';
  let lastReason = '';
  for (let attempt = 0; attempt < MAX_SETS; attempt++) {
    const rolled = ABILITIES.map((a, i) =>
      rollScore(method, rng, arranged ? `ability roll ${i + 1}` : ABILITY_TITLES[a].toLowerCase()),
    );
    const raw = rolled.map((r) => r.total);
    const sorted = arranged ? [...raw].sort((a, b) => a - b) : raw;
    const fitting = candidates.filter((c) =>
      arranged ? matchable(sorted, 0b111111, c) : fitsInOrder(raw, c),
    );
    if (fitting.length === 0) {
      lastReason = `${raw.join(', ')} (PHB Tables 7, 8 and 13)`;
      continue;
    }
    const steps: RollStep[] = [
      {
        step: 'ability method',
        source: METHOD_SOURCES[method],
        rolls: [],
        result: METHOD_NAMES[method],
        note:
          (arranged
            ? 'the set is arranged to meet the class and racial minimums'
            : 'a set that meets no allowed class and race is re-rolled whole') +
          (attempt === 0
            ? '; the first set was kept'
            : `; ${attempt} earlier set${attempt === 1 ? '' : 's'} discarded, the last: ${lastReason}`),
      },
    ];
    steps.push(...rolled.map((r) => r.step));
    let chosen = fitting[0]!;
    if (fitting.length > 1) {
      const total = fitting.reduce((s, c) => s + c.weight, 0);
      const roll = rng.int(1, total);
      let acc = 0;
      for (const c of fitting) {
        acc += c.weight;
        if (roll <= acc) {
          chosen = c;
          break;
        }
      }
      steps.push({
        step: 'class and race',
        table: 'npc-flavour weights',
        source: "dma's own weights",
        dice: `d${total}`,
        rolls: [roll],
        result: `${chosen.race} ${chosen.klass}`,
        note: `weighted among the ${fitting.length} classes and races the scores and options allow`,
      });
    }
    const final = arranged ? arrange(raw, chosen) : raw;
    if (arranged) {
      steps.push({
        step: 'arrange abilities',
        source: 'PHB Chapter 1, Method V',
        rolls: [...raw],
        result: ABILITIES.map((a, i) => `${a} ${final[i]}`).join(', '),
        note: `filled in the order ${chosen.preference.join(', ')} (prime requisites first), each taking the best score that keeps every class and racial minimum reachable`,
      });
    }
    return { chosen, raw: final, steps };
  }
  const c = candidates[0]!;
  throw new UsageError(
    `could not roll ability scores for a ${c.race} ${c.klass} by ${method} in ${MAX_SETS} sets (${lastReason}); try --method heroic`,
  );
}
