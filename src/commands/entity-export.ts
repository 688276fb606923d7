import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'entity.export'>['run'] = async (input, ctx) => {
  const doc = await withCampaign(input, ctx, 'read', (store) =>
    store.export(input.type === undefined ? {} : { type: input.type }),
  );
  if (input.output !== undefined && input.output !== '-') {
    const file = resolve(ctx.cwd, input.output);
    await writeFile(file, JSON.stringify(doc, null, 2) + '\n');
    ctx.info(
      `exported ${doc.entities.length} entities and ${doc.relationships.length} relationships to ${file}`,
    );
    return { ...doc, entities: [], relationships: [], file } as Record<string, unknown>;
  }
  return { ...doc } as Record<string, unknown>;
};

/** The export document is JSON whatever the format; with -o the file is the output (stderr says where). */
export const text: CommandModule<'entity.export'>['text'] = (r) =>
  typeof r['file'] === 'string' ? '' : JSON.stringify(r, null, 2);
