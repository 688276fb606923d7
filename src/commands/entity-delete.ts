import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'entity.delete'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, input.dryRun ? 'dry-run' : 'write', async (store) => {
    const entity = await store.resolve(input.ref);
    const dryRun = input.dryRun === true;
    if (!dryRun && !input.yes) {
      if (!ctx.stdinIsTTY) {
        throw new UsageError(
          `refusing to delete ${entity.type} "${entity.name}" without --yes (stdin is not a terminal)`,
        );
      }
      const links = (await store.relationships(entity.id)).length;
      const ok = await ctx.confirm(
        `Delete ${entity.type} "${entity.name}" (${entity.id}) and its ${links} relationship(s)?`,
      );
      if (!ok) throw new UsageError('not deleted');
    }
    const r = await store.delete(entity.id, { dryRun });
    return {
      dry_run: dryRun,
      deleted: {
        id: r.entity.id,
        type: r.entity.type,
        name: r.entity.name,
        version: r.entity.version,
        updated_at: r.entity.updated_at,
      },
      relationships_removed: r.relationships_removed,
    };
  });

export const text: CommandModule<'entity.delete'>['text'] = (r) =>
  `${r.dry_run ? '(dry run) would delete' : 'deleted'} ${r.deleted.type} "${r.deleted.name}" and ${r.relationships_removed} relationship(s)`;
