import type { CommandModule } from '../generated/types.ts';
import { abilityRow } from '../rules/abilities.ts';
import { formatDerivation } from '../rules/derivation.ts';

export const run: CommandModule<'ability'>['run'] = (input) => {
  const r = abilityRow(
    input.ability,
    input.score,
    input.class === undefined ? {} : { class: input.class },
  );
  return {
    ability: r.ability,
    score: r.score,
    row_key: r.row_key,
    row: r.row as Record<string, unknown>,
    ...(input.explain ? { explain: r.derivation } : {}),
  };
};

const show = (v: unknown): string =>
  v === null || v === undefined
    ? '—'
    : Array.isArray(v)
      ? v.map(show).join(', ') || '—'
      : String(v);

export const text: CommandModule<'ability'>['text'] = (r) => {
  const row = r.row as Record<string, unknown>;
  const keys = Object.keys(row).filter((k) => k !== 'score' && k !== 'key');
  const width = Math.max(...keys.map((k) => k.length));
  const lines = [
    `${r.ability} ${r.score} (row ${r.row_key})`,
    ...keys.map((k) => `  ${k.padEnd(width)}  ${show(row[k])}`),
  ];
  return r.explain ? `${lines.join('\n')}\n${formatDerivation(r.explain)}` : lines.join('\n');
};
