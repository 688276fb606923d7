import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { mergeDerivations, withExplain } from '../rules/derivation.ts';
import { monsterThac0 } from '../rules/thac0.ts';
import { toHit } from '../rules/to-hit.ts';

export const run: CommandModule<'to-hit'>['run'] = (input) => {
  let attacker: { class: string; level: number } | { thac0: number };
  let monster: ReturnType<typeof monsterThac0> | undefined;
  if (input.hd !== undefined) {
    if (input.class !== undefined || input.thac0 !== undefined)
      throw new UsageError('give one attacker: a class and level, --thac0 or --hd');
    // a monster attacking: DMG Table 39 by Hit Dice
    monster = monsterThac0(input.hd);
    attacker = { thac0: monster.thac0 };
  } else if (input.thac0 !== undefined) {
    if (input.class !== undefined)
      throw new UsageError('give either a class and level or --thac0, not both');
    attacker = { thac0: input.thac0 };
  } else if (input.class !== undefined && input.level !== undefined) {
    attacker = { class: input.class, level: input.level };
  } else {
    throw new UsageError("give a class and a level, --thac0, or a monster's --hd", {
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
    ...(monster === undefined
      ? {}
      : { hit_dice: monster.hit_dice, counted_as: monster.counted_as }),
    roll_needed: r.roll_needed,
    adjustments: r.adjustments,
    ...(input.explain
      ? {
          explain:
            monster === undefined
              ? r.derivation
              : mergeDerivations(monster.derivation, r.derivation),
        }
      : {}),
  };
};

export const text: CommandModule<'to-hit'>['text'] = (r) =>
  withExplain(String(r.roll_needed), r.explain);
