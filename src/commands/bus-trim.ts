import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';
import { busOf } from '../store/bus.ts';

export const run: CommandModule<'bus.trim'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, input.dryRun === true ? 'dry-run' : 'write', (store) => ({
    dry_run: input.dryRun === true,
    deleted: busOf(store).trim({ keep: input.keep, dryRun: input.dryRun === true }),
  }));

export const text: CommandModule<'bus.trim'>['text'] = (r) =>
  `${r.dry_run ? 'would delete' : 'deleted'} ${r.deleted.messages ?? 0} messages, ${r.deleted.tasks ?? 0} tasks, ${r.deleted.blobs ?? 0} blobs`;
