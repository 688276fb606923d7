import { createRng, randomSeed } from '../core/rng.ts';
import type { CommandModule } from '../generated/types.ts';
import { parseDice, rollDice, type DiceRoll } from '../rules/dice.ts';

export const run: CommandModule<'roll'>['run'] = (input) => {
  const spec = parseDice(input.notation);
  const seed = input.seed ?? randomSeed();
  const rng = createRng(seed);
  const times = input.times ?? 1;
  const results: DiceRoll[] = [];
  for (let i = 0; i < times; i++) results.push(rollDice(spec, rng));
  const first = results[0]!;
  return { seed, ...first, ...(times > 1 ? { times, results } : {}) };
};

function describe(r: DiceRoll): string {
  const dice = r.kept
    ? `[${r.kept.join(', ')}] dropped [${r.dropped?.join(', ') ?? ''}]`
    : `[${r.rolls.join(', ')}]`;
  const mod = r.modifier === 0 ? '' : r.modifier > 0 ? ` + ${r.modifier}` : ` − ${-r.modifier}`;
  const flag = r.is_critical ? '  natural 20' : r.is_fumble ? '  natural 1' : '';
  return `${r.total}  (${r.dice} ${dice}${mod})${flag}`;
}

export const text: CommandModule<'roll'>['text'] = (r) => {
  const all = (r.results as DiceRoll[] | undefined) ?? [r as DiceRoll];
  return all.map(describe).join('\n');
};
