import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withBus } from '../bus/open.ts';

/** Deleting history cannot be undone: on a terminal it asks first, in a script it needs --yes. */
export const run: CommandModule<'bus.trim'>['run'] = (input, ctx) =>
  withBus(input, ctx, input.dryRun === true ? 'dry-run' : 'write', async (_store, bus) => {
    const dryRun = input.dryRun === true;
    if (!dryRun && !input.yes) {
      if (!ctx.stdinIsTTY)
        throw new UsageError(
          `refusing to trim the bus log to ${input.keep} messages without --yes (stdin is not a terminal)`,
          { hint: `count first with --dry-run, then run again with --yes` },
        );
      const would = await bus.trim({ keep: input.keep, dryRun: true });
      if (would.messages + would.tasks + would.blobs === 0)
        return { dry_run: false, deleted: would };
      const ok = await ctx.confirm(
        `Delete ${would.messages} bus messages, ${would.tasks} tasks and ${would.blobs} blobs, keeping the newest ${input.keep}?`,
      );
      if (!ok) throw new UsageError('nothing deleted');
    }
    return { dry_run: dryRun, deleted: await bus.trim({ keep: input.keep, dryRun }) };
  });

export const text: CommandModule<'bus.trim'>['text'] = (r) =>
  `${r.dry_run ? 'would delete' : 'deleted'} ${r.deleted.messages ?? 0} messages, ${r.deleted.tasks ?? 0} tasks, ${r.deleted.blobs ?? 0} blobs`;
