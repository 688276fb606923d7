import type { CommandModule } from '../generated/types.ts';
import { withCampaign } from '../store/open.ts';

export const run: CommandModule<'db.check'>['run'] = (input, ctx) =>
  withCampaign(input, ctx, 'read', (store) => store.check());

export const text: CommandModule<'db.check'>['text'] = (r) =>
  r.ok
    ? 'ok'
    : [
        ...r.integrity.filter((l) => l !== 'ok').map((l) => `integrity: ${l}`),
        ...r.foreign_keys.map((f) => `foreign key: ${JSON.stringify(f)}`),
        ...(r.fts === 'ok' ? [] : [`search index: ${r.fts}`]),
      ].join('\n');

export const exitCode: CommandModule<'db.check'>['exitCode'] = (r) => (r.ok ? 0 : 1);
