import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withExplain } from '../rules/derivation.ts';
import { levelForXp, xpForLevel } from '../rules/experience.ts';

export const run: CommandModule<'xp'>['run'] = (input) => {
  if (input.level !== undefined) {
    if (input.xp !== undefined)
      throw new UsageError('give either an XP total or --level, not both');
    const r = xpForLevel(input.class, input.level);
    return {
      class: r.class,
      level: r.level,
      xp: r.xp,
      ...(input.explain ? { explain: r.derivation } : {}),
    };
  }
  if (input.xp === undefined) {
    throw new UsageError('give an XP total or --level', {
      hint: 'e.g. `dma xp fighter 20000` or `dma xp mage --level 7`',
    });
  }
  const r = levelForXp(input.class, input.xp);
  return {
    class: r.class,
    level: r.level,
    xp: r.xp,
    xp_to_next: r.xp_to_next,
    next_level_xp: r.next_level_xp,
    ...(input.explain ? { explain: r.derivation } : {}),
  };
};

export const text: CommandModule<'xp'>['text'] = (r, input) => {
  if (input.level !== undefined) return withExplain(String(r.xp), r.explain);
  const next =
    r.xp_to_next === null || r.xp_to_next === undefined
      ? ''
      : ` (${r.xp_to_next} XP to level ${r.level + 1})`;
  return withExplain(`${r.level}${next}`, r.explain);
};
