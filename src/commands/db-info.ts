import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'db.info'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', async (store) => {
    const { schema_version, path, ...info } = await store.info();
    const schema = (store as { schema?: string }).schema;
    return {
      engine: store.engine === 'postgres' ? ('postgresql' as const) : ('sqlite' as const),
      path,
      ...(store.engine === 'postgres' && schema !== undefined ? { schema } : {}),
      ...info,
      source: store.pathSource,
      database_schema_version: schema_version,
    };
  });

export const text: CommandModule<'db.info'>['text'] = (r) =>
  [
    `engine: ${r.engine}`,
    `${r.engine === 'sqlite' ? 'path' : 'url'}: ${r.path}${r.source ? ` (from ${r.source === 'flag' ? '--db' : r.source === 'env' ? '$DMA_DB' : 'XDG default'})` : ''}`,
    ...(r.schema === undefined ? [] : [`schema: ${r.schema}`]),
    `exists: ${r.exists ? 'yes' : 'no (created on the first write)'}`,
    ...(r.engine === 'sqlite'
      ? [
          `size: ${r.size_bytes} bytes${r.wal_bytes ? ` (+${r.wal_bytes} in the write-ahead log)` : ''}`,
        ]
      : []),
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
