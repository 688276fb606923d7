import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withExplain } from '../rules/derivation.ts';
import { monsterThac0, thac0 } from '../rules/thac0.ts';

export const run: CommandModule<'thac0'>['run'] = (input) => {
  if (input.hd !== undefined) {
    if (input.class !== undefined)
      throw new UsageError('give either a class and level or --hd, not both');
    const r = monsterThac0(input.hd);
    return {
      hit_dice: r.hit_dice,
      counted_as: r.counted_as,
      thac0: r.thac0,
      source: r.derivation.uses[0]?.source ?? '',
      ...(input.explain ? { explain: r.derivation } : {}),
    };
  }
  if (input.class === undefined || input.level === undefined) {
    throw new UsageError('give a class and a level, or --hd', {
      hint: 'e.g. `dma thac0 fighter 5` or `dma thac0 --hd 4+4`',
    });
  }
  const r = thac0(input.class, input.level);
  return {
    ...(r.class === undefined ? {} : { class: r.class }),
    group: r.group,
    level: r.level,
    thac0: r.thac0,
    ...(r.classes === undefined ? {} : { classes: r.classes }),
    source: r.derivation.uses[0]?.source ?? '',
    ...(input.explain ? { explain: r.derivation } : {}),
  };
};

export const text: CommandModule<'thac0'>['text'] = (r) => withExplain(String(r.thac0), r.explain);
