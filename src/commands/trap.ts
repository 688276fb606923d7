import { UsageError } from '../core/errors.ts';
import { createRng, randomSeed } from '../core/rng.ts';
import type { CommandModule } from '../generated/types.ts';
import { didYouMean } from '../core/suggest.ts';
import {
  findTrap,
  resolveTrap,
  rollTrap,
  trapNames,
  type RolledTrap,
  type TrapPlacement,
} from '../rules/traps.ts';

export const run: CommandModule<'trap'>['run'] = (input) => {
  const name = (input.name ?? []).join(' ').trim();
  if (input.random) {
    if (name !== '')
      throw new UsageError('give a trap name or --random, not both', {
        hint: 'dma trap spiked pit   or   dma trap --random --placement door --level 3',
      });
    const seed = input.seed ?? randomSeed();
    const trap = rollTrap(createRng(seed), {
      placement: (input.placement ?? 'room') as TrapPlacement,
      level: input.level ?? 1,
    });
    const def = findTrap(trap.name)!;
    return { seed, trap: { ...trap, placements: [...def.placements] } };
  }
  if (name === '')
    throw new UsageError('give a trap name, or --random', { hint: 'dma trap spiked pit' });
  const def = findTrap(name);
  if (!def)
    throw new UsageError(`unknown trap "${name}"${didYouMean(name.toLowerCase(), trapNames())}`, {
      hint: `traps: ${trapNames().join(', ')}`,
    });
  const placement = (
    input.placement !== undefined && def.placements.includes(input.placement as TrapPlacement)
      ? input.placement
      : def.placements[0]!
  ) as TrapPlacement;
  return { trap: { ...resolveTrap(def, placement), placements: [...def.placements] } };
};

type Trap = Parameters<NonNullable<CommandModule<'trap'>['text']>>[0]['trap'];

export const text: CommandModule<'trap'>['text'] = (r) => {
  const t = r.trap as Trap & RolledTrap;
  const pct = (n: number) => (n === 0 ? '' : ` ${n > 0 ? '+' : '−'}${Math.abs(n)}%`);
  const lines = [
    `${t.name} (${t.kind}; ${t.placements.join(', ')}; dungeon levels ${t.levels[0]}-${t.levels[1]})`,
    `  trigger: ${t.trigger}`,
    `  effect: ${t.effect}`,
  ];
  const hit = t.attack ? `; ${t.attack.count} attack(s) at THAC0 ${t.attack.thac0}` : '';
  lines.push(`  damage: ${t.damage ?? 'none'}${hit}; ${t.save.text}`);
  const thief = t.detection.thief_halved
    ? `thief Find/Remove Traps at half chance${pct(t.detection.thief_adjust)}`
    : `thief Find/Remove Traps${pct(t.detection.thief_adjust)}`;
  lines.push(`  find: ${thief}; ${t.detection.spells.join(', ')}`);
  for (const r of t.detection.racial)
    lines.push(`        ${r.race}: ${r.ability}, ${r.chance} (${r.source})`);
  lines.push(`  signs: ${t.detection.signs}`);
  lines.push(
    `  remove: ${
      t.removal.thief
        ? `thief Find/Remove Traps${pct(t.removal.thief_adjust)} (a failed roll of ${t.removal.springs_on}+ springs it); `
        : ''
    }${t.removal.how}`,
  );
  lines.push(`  bypass: ${t.removal.bypass}`);
  lines.push(`  resets: ${t.reset}; ${t.source}`);
  return lines.join('\n');
};
