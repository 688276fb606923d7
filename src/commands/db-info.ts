import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'db.info'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) => {
    const { schema_version, ...info } = await store.info();
    return { ...info, source: store.pathSource, database_schema_version: schema_version };
  });

export const text: CommandModule<'db.info'>['text'] = (r) =>
  [
    `path: ${r.path}${r.source ? ` (from ${r.source === 'flag' ? '--db' : r.source === 'env' ? '$DMA_DB' : 'XDG default'})` : ''}`,
    `exists: ${r.exists ? 'yes' : 'no (created on the first write)'}`,
    `size: ${r.size_bytes} bytes${r.wal_bytes ? ` (+${r.wal_bytes} in the write-ahead log)` : ''}`,
    `schema version: ${r.database_schema_version}`,
    `entities: ${r.entities}${
      Object.keys(r.counts).length
        ? ` (${Object.entries(r.counts)
            .map(([t, n]) => `${t} ${n}`)
            .join(', ')})`
        : ''
    }`,
    `relationships: ${r.relationships}`,
  ].join('\n');
