import type { CommandModule } from '../generated/types.ts';
import { readDocument, withCampaign } from '../store/open.ts';

export const run: CommandModule<'entity.import'>['run'] = async (input, ctx) => {
  const doc = await readDocument(input.file, ctx, { inline: false });
  const dryRun = input.dryRun === true;
  return withCampaign(input, ctx, dryRun ? 'dry-run' : 'write', (store) =>
    store.import(doc, {
      dryRun,
      onProgress: (p) =>
        ctx.progress(p.phase === 'validate' ? 'validating' : 'writing', p.done, p.total),
    }),
  );
};

export const text: CommandModule<'entity.import'>['text'] = (r) => {
  const e = r.entities;
  const l = r.relationships;
  return `${r.dry_run ? '(dry run — nothing written) ' : ''}entities: ${e.created} created, ${e.updated} updated, ${e.unchanged} unchanged; relationships: ${l.created} created, ${l.unchanged} unchanged`;
};
