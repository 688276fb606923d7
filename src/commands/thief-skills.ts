import type { CommandModule } from '../generated/types.ts';
import { formatDerivation } from '../rules/derivation.ts';
import { thiefSkills } from '../rules/thief-skills.ts';

export const run: CommandModule<'thief-skills'>['run'] = (input) => {
  const r = thiefSkills(input.level, {
    ...(input.race === undefined ? {} : { race: input.race }),
    ...(input.dex === undefined ? {} : { dex: input.dex }),
    ...(input.armor === undefined ? {} : { armour: input.armor }),
    ...(input.class === undefined ? {} : { class: input.class }),
  });
  return {
    level: r.level,
    race: r.race,
    ...(r.dex === undefined ? {} : { dex: r.dex }),
    class: r.class,
    armour: r.armour,
    allocation: r.allocation,
    skills: r.skills,
    ...(input.explain ? { explain: r.derivation } : {}),
  };
};

export const text: CommandModule<'thief-skills'>['text'] = (r) => {
  const width = Math.max(...r.skills.map((s) => s.label.length));
  const sign = (n: number) => (n > 0 ? `+${n}` : n < 0 ? String(n) : ' 0');
  const lines = [
    `${'skill'.padEnd(width)}  total  base  race   dex  armour  points`,
    ...r.skills.map(
      (s) =>
        `${s.label.padEnd(width)}  ${`${s.total}%`.padStart(5)}  ${String(s.base).padStart(4)}  ${sign(s.racial).padStart(4)}  ${sign(s.dex).padStart(4)}  ${sign(s.armour ?? 0).padStart(6)}  ${String(s.allocated).padStart(6)}`,
    ),
    `(${r.class ?? 'thief'} in ${r.armour ?? 'leather'}, PHB Table 29; points: dma's ${r.allocation} allocation of the discretionary points; adjust to the character)`,
  ];
  return r.explain ? `${lines.join('\n')}\n${formatDerivation(r.explain)}` : lines.join('\n');
};
