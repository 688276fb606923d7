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
      ...(r.classes === undefined ? {} : { classes: r.classes }),
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
    ...(r.classes === undefined ? {} : { classes: r.classes }),
    ...(input.explain ? { explain: r.derivation } : {}),
  };
};

export const text: CommandModule<'xp'>['text'] = (r, input) => {
  const per = r.classes as { class: string; level: number; xp: number }[] | undefined;
  if (per !== undefined) {
    // multi-class: each class on its own, e.g. "5/5 (fighter 5, mage 5; 20000 XP each)"
    if (input.level !== undefined) {
      return withExplain(
        `${r.xp} (${per.map((p) => `${p.class} ${p.level} at ${p.xp}`).join(', ')})`,
        r.explain,
      );
    }
    const next =
      r.xp_to_next === null || r.xp_to_next === undefined
        ? ''
        : `; ${r.xp_to_next} XP to the next level`;
    return withExplain(
      `${per.map((p) => p.level).join('/')} (${per.map((p) => `${p.class} ${p.level}`).join(', ')}; ${per[0]!.xp} XP each${next})`,
      r.explain,
    );
  }
  if (input.level !== undefined) return withExplain(String(r.xp), r.explain);
  const next =
    r.xp_to_next === null || r.xp_to_next === undefined
      ? ''
      : ` (${r.xp_to_next} XP to level ${r.level + 1})`;
  return withExplain(`${r.level}${next}`, r.explain);
};
