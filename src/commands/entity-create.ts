import type { CommandModule } from '../generated/types.ts';
import { readDocument, withCampaign } from '../store/open.ts';
import { entityText } from '../store/render.ts';

export const run: CommandModule<'entity.create'>['run'] = async (input, ctx) => {
  const data =
    input.data === undefined ? {} : await readDocument(input.data, ctx, { inline: true });
  return withCampaign(input, ctx, input.dryRun ? 'dry-run' : 'write', async (store) => ({
    dry_run: input.dryRun === true,
    entity: await store.create(
      { type: input.type, name: input.name, data },
      { dryRun: input.dryRun === true },
    ),
  }));
};

export const text: CommandModule<'entity.create'>['text'] = (r) =>
  `${r.dry_run ? '(dry run — nothing written)\n' : ''}${entityText(r.entity as never)}`;
