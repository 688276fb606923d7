import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'entity.link'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, input.dryRun ? 'dry-run' : 'write', async (store) => {
    const a = await store.resolve(input.source);
    const b = await store.resolve(input.target);
    const relationship = await store.link(a.id, b.id, {
      type: input.type,
      ...(input.strength === undefined ? {} : { strength: input.strength }),
      dryRun: input.dryRun === true,
    });
    return { dry_run: input.dryRun === true, relationship };
  });

export const text: CommandModule<'entity.link'>['text'] = (r) => {
  const l = r.relationship;
  return `${r.dry_run ? '(dry run) ' : ''}${l.source} → ${l.type} → ${l.target}${l.strength === null ? '' : ` (${l.strength})`}`;
};
