import type { CommandModule } from '../generated/types.ts';
import { formatDerivation } from '../rules/derivation.ts';
import { spellSlots } from '../rules/spells.ts';

export const run: CommandModule<'spells'>['run'] = (input) => {
  const r = spellSlots(input.class, input.level, input.wis === undefined ? {} : { wis: input.wis });
  return {
    class: r.class,
    level: r.level,
    ...(r.wis === undefined ? {} : { wis: r.wis }),
    spells: r.spells,
    ...(r.casting_level === undefined ? {} : { casting_level: r.casting_level }),
    ...(r.spheres === undefined ? {} : { spheres: r.spheres }),
    ...(input.explain ? { explain: r.derivation } : {}),
  };
};

/** One line: slots per spell level, bonus spells in brackets, e.g. `4 2 1` or `3+1 3 2+1`. */
export const text: CommandModule<'spells'>['text'] = (r) => {
  const line = r.spells
    .filter((s) => s.total > 0)
    .map((s) => (s.bonus > 0 ? `${s.base}+${s.bonus}` : String(s.total)))
    .join(' ');
  const out = line || 'none';
  return r.explain ? `${out}\n${formatDerivation(r.explain)}` : out;
};
