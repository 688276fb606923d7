import type { CommandModule } from '../generated/types.ts';
import { formatDerivation, withExplain } from '../rules/derivation.ts';
import { SAVE_CATEGORIES, SAVE_LABELS, saveFor, saves } from '../rules/saves.ts';

export const run: CommandModule<'save'>['run'] = (input) => {
  const opts = {
    ...(input.race === undefined ? {} : { race: input.race }),
    ...(input.con === undefined ? {} : { con: input.con }),
  };
  const one =
    input.vs === undefined ? undefined : saveFor(input.class, input.level, input.vs, opts);
  const r = one?.result ?? saves(input.class, input.level, opts);
  return {
    ...(r.class === undefined ? {} : { class: r.class }),
    group: r.group,
    level: r.level,
    ...(r.race === undefined ? {} : { race: r.race }),
    ...(input.con === undefined ? {} : { con: input.con }),
    saves: r.saves,
    base: r.base,
    adjustments: r.adjustments,
    ...(r.best_of === undefined ? {} : { best_of: r.best_of }),
    ...(one ? { vs: one.category, value: one.value } : {}),
    ...(input.explain ? { explain: r.derivation } : {}),
  };
};

export const text: CommandModule<'save'>['text'] = (r) => {
  if (r.value !== undefined) return withExplain(String(r.value), r.explain);
  const width = Math.max(...SAVE_CATEGORIES.map((c) => SAVE_LABELS[c].length));
  const best = r.best_of as Record<string, string> | undefined;
  const lines = SAVE_CATEGORIES.map(
    (c) =>
      `${SAVE_LABELS[c].padEnd(width)}  ${r.saves[c]}${best === undefined ? '' : ` (${best[c]})`}`,
  );
  for (const a of r.adjustments) {
    if (a.applies_to)
      lines.push(`(${a.value > 0 ? '+' : ''}${a.value} ${a.label}: ${a.applies_to})`);
  }
  return r.explain ? `${lines.join('\n')}\n${formatDerivation(r.explain)}` : lines.join('\n');
};
