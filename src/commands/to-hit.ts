import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withExplain } from '../rules/derivation.ts';
import { toHit } from '../rules/to-hit.ts';

export const run: CommandModule<'to-hit'>['run'] = (input) => {
  let attacker: { class: string; level: number } | { thac0: number };
  if (input.thac0 !== undefined) {
    if (input.class !== undefined)
      throw new UsageError('give either a class and level or --thac0, not both');
    attacker = { thac0: input.thac0 };
  } else if (input.class !== undefined && input.level !== undefined) {
    attacker = { class: input.class, level: input.level };
  } else {
    throw new UsageError('give a class and a level, or --thac0', {
      hint: 'e.g. `dma to-hit fighter 5 --ac 4`',
    });
  }
  const r = toHit(attacker, input.ac, {
    ...(input.str === undefined ? {} : { str: input.str }),
    ...(input.dex === undefined ? {} : { dex: input.dex }),
    ...(input.weapon === undefined ? {} : { weapon: input.weapon }),
    ...(input.missile === undefined ? {} : { missile: input.missile }),
  });
  return {
    ...('class' in attacker ? { class: attacker.class.toLowerCase(), level: attacker.level } : {}),
    thac0: r.thac0,
    ac: r.ac,
    attack: r.attack,
    ...(r.weapon ? { weapon: r.weapon.name } : {}),
    roll_needed: r.roll_needed,
    adjustments: r.adjustments,
    ...(input.explain ? { explain: r.derivation } : {}),
  };
};

export const text: CommandModule<'to-hit'>['text'] = (r) =>
  withExplain(String(r.roll_needed), r.explain);
