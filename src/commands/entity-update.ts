import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { readDocument, withCampaign } from '../store/open.ts';
import { entityText } from '../store/render.ts';

export const run: CommandModule<'entity.update'>['run'] = async (input, ctx) => {
  if (input.data === undefined && input.name === undefined) {
    throw new UsageError('nothing to change: give --data and/or --name');
  }
  const data =
    input.data === undefined ? undefined : await readDocument(input.data, ctx, { inline: true });
  return withCampaign(input, ctx, input.dryRun ? 'dry-run' : 'write', async (store) => {
    const current = await store.resolve(input.ref);
    const entity = await store.update(
      current.id,
      {
        ...(data === undefined ? {} : { data }),
        ...(input.name === undefined ? {} : { name: input.name }),
      },
      {
        ...(input.expectVersion === undefined ? {} : { expectVersion: input.expectVersion }),
        dryRun: input.dryRun === true,
      },
    );
    return { dry_run: input.dryRun === true, entity };
  });
};

export const text: CommandModule<'entity.update'>['text'] = (r) =>
  `${r.dry_run ? '(dry run — nothing written)\n' : ''}${entityText(r.entity as never)}`;
