import { clearCache } from '../llm/storage.ts';
import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'llm.cache.clear'>['run'] = async (input, ctx) => {
  if (input.dryRun) {
    const size = await withCampaign(input, ctx, 'read', async (store) =>
      store.llmStorage().cache.size(),
    );
    return { removed: size, dry_run: true };
  }
  if (!input.yes && !(await ctx.confirm('Remove every cached LLM answer?'))) {
    throw new UsageError('not confirmed; nothing removed', {
      hint: 'pass --yes to clear the cache without asking',
    });
  }
  const { removed } = await withCampaign(input, ctx, 'append', (store) =>
    clearCache(store.llmStorage().cache),
  );
  return { removed, dry_run: false };
};

export const text: CommandModule<'llm.cache.clear'>['text'] = (r) =>
  r.dry_run
    ? `${r.removed} cached answer${r.removed === 1 ? '' : 's'} (dry run: nothing removed)`
    : `removed ${r.removed} cached answer${r.removed === 1 ? '' : 's'}`;
