import { UsageError } from '../core/errors.ts';
import { createRng, randomSeed } from '../core/rng.ts';
import type { CommandModule } from '../generated/types.ts';
import {
  lookupMagicItem,
  rollMagicItem,
  rollTreasureMagic,
  type MagicCategory,
  type MagicPool,
} from '../rules/magic-items.ts';

export const run: CommandModule<'item'>['run'] = (input) => {
  const name = (input.name ?? []).join(' ').trim();
  const rolling = input.random === true || input.treasure !== undefined;
  if (rolling && name !== '')
    throw new UsageError('give an item name or --random/--treasure, not both', {
      hint: 'dma item ring of invisibility   or   dma item --random --category ring',
    });
  if (!rolling) {
    if (input.category !== undefined)
      throw new UsageError('--category goes with --random', {
        hint: 'dma item --random --category ring --count 3',
      });
    return { items: [lookupMagicItem(name)] };
  }
  const seed = input.seed ?? randomSeed();
  const rng = createRng(seed);
  if (input.treasure !== undefined) {
    const letters = input.treasure
      .toUpperCase()
      .split(/[\s,]+/)
      .filter(Boolean);
    if (letters.length === 0 || letters.some((l) => !/^[A-Z]$/.test(l)))
      throw new UsageError(`bad treasure types "${input.treasure}"`, {
        hint: 'letters A to Z, e.g. --treasure A or --treasure "H,S"',
      });
    return { seed, items: rollTreasureMagic(rng, letters) };
  }
  const category = input.category as MagicCategory | MagicPool | undefined;
  const items = [];
  for (let i = 0; i < (input.count ?? 1); i++)
    items.push(rollMagicItem(rng, category === undefined ? {} : { category }));
  return { seed, items };
};

/** 12500 → "12,500" (fixed, locale-independent). */
function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

type Item = Parameters<NonNullable<CommandModule<'item'>['text']>>[0]['items'][number];

function describe(i: Item): string {
  const head = i.cursed ? `${i.name}  [CURSED — players are told: ${i.appears_as}]` : i.name;
  const where = i.table ? `${i.table} (${i.source}), ${i.roll ?? ''}`.replace(/, $/, '') : i.source;
  const value = [
    `XP ${i.xp === null ? '—' : grouped(i.xp)}`,
    `${grouped(i.gp)} gp${i.gp_estimated ? ' (estimate)' : ''}`,
    `usable by: ${i.usable_by.join(', ')}`,
  ].join(' · ');
  const lines = [head, `  ${where}`, `  ${value}`];
  if (i.quantity !== undefined) lines.push(`  quantity: ${i.quantity}`);
  if (i.charges !== undefined) lines.push(`  charges: ${i.charges}`);
  if (i.variants) lines.push(`  kinds (d100): ${i.variants.join('; ')}`);
  lines.push(`  ${i.summary}`);
  if (i.rolls && i.rolls.length > 0)
    lines.push(
      `  rolls: ${(i.rolls as { die: number; roll: number; result: string }[])
        .map((r) => `d${r.die} ${r.roll}${r.result ? ` (${r.result})` : ''}`)
        .join(' · ')}`,
    );
  return lines.join('\n');
}

export const text: CommandModule<'item'>['text'] = (r) => {
  if (r.items.length === 0) return 'no magic items';
  return r.items.map(describe).join('\n\n');
};
