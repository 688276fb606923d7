import { usageSummary } from '../llm/storage.ts';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'llm.usage'>['run'] = async (input, ctx) => {
  const by = input.by ?? 'model';
  const { rows, total } = await withCampaign(input, ctx, 'read', (store) =>
    usageSummary(store.llmStorage().log, {
      groupBy: by,
      ...(input.since === undefined ? {} : { since: input.since }),
    }),
  );
  return { by, rows, total };
};

export const text: CommandModule<'llm.usage'>['text'] = (r) => {
  if (r.rows.length === 0) return 'no LLM calls logged';
  const line = (key: string, u: (typeof r)['total']) =>
    `${key.padEnd(24)} ${String(u.calls).padStart(6)} ${String(u.cachedCalls).padStart(7)} ${String(u.errors).padStart(7)} ${String(u.tokensIn).padStart(10)} ${String(u.tokensOut).padStart(10)} ${('$' + u.costUsd.toFixed(4)).padStart(10)}`;
  return [
    `${r.by.padEnd(24)} ${'calls'.padStart(6)} ${'cached'.padStart(7)} ${'errors'.padStart(7)} ${'tokens in'.padStart(10)} ${'tokens out'.padStart(10)} ${'cost'.padStart(10)}`,
    ...r.rows.map((row) => line(row.key ?? '', row)),
    line('total', r.total),
  ].join('\n');
};
