import type { CommandModule } from '../generated/types.ts';
import { formatDerivation, withExplain } from '../rules/derivation.ts';
import { turnUndead } from '../rules/turn-undead.ts';

export const run: CommandModule<'turn'>['run'] = (input) => {
  const r = turnUndead(
    input.level,
    input.undead,
    input.class === undefined ? {} : { class: input.class },
  );
  return {
    priest_level: r.priest_level,
    column: r.column,
    entries: r.entries,
    ...(input.explain ? { explain: r.derivation } : {}),
  };
};

const cell = (v: unknown) => (v === null ? 'cannot' : String(v));

export const text: CommandModule<'turn'>['text'] = (r, input) => {
  if (input.undead !== undefined && r.entries.length === 1)
    return withExplain(cell(r.entries[0]!.result), r.explain);
  const lines = [
    `priest level ${r.priest_level} (column ${r.column})`,
    ...r.entries.map((e) => `  ${cell(e.result).padEnd(6)}  ${e.label}`),
    '  (a number: roll that or more on d20; T turned; D destroyed; D* destroyed, 2d4 more)',
  ];
  return r.explain ? `${lines.join('\n')}\n${formatDerivation(r.explain)}` : lines.join('\n');
};
