import { listCalls } from '../llm/storage.ts';
import type { CommandModule, CommandOutputs } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'llm.logs'>['run'] = async (input, ctx) => {
  const calls = await withCampaign(input, ctx, 'read', (store) =>
    listCalls(store.llmStorage().log, {
      limit: input.limit ?? 20,
      ...(input.since === undefined ? {} : { since: input.since }),
      ...(input.status === undefined ? {} : { status: input.status }),
    }),
  );
  return { calls } as CommandOutputs['llm.logs'];
};

export const text: CommandModule<'llm.logs'>['text'] = (r) => {
  if (r.calls.length === 0) return 'no LLM calls logged';
  return r.calls
    .map((c) => {
      const cost = c.costUsd === null || c.costUsd === undefined ? '' : ` $${c.costUsd.toFixed(4)}`;
      const err = c.errorKind ? ` ${c.errorKind}${c.httpStatus ? ` ${c.httpStatus}` : ''}` : '';
      return `${c.createdAt}  ${c.workflowId ?? '-'}  ${c.adapter}/${c.model}  ${c.status}${err}  #${c.attempt}  ${c.tokensIn}→${c.tokensOut} tokens  ${c.latencyMs} ms${cost}`;
    })
    .join('\n');
};
