import { existsSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { NotFoundError, UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { copyCampaign } from '../store/copy.ts';
import { isPostgresUrl, openStoreAt } from '../store/open.ts';
import type { Store } from '../store/types.ts';

const engineName = (s: Store) => (s.engine === 'postgres' ? 'postgresql' : 'sqlite');

export const run: CommandModule<'db.copy'>['run'] = async (input, ctx) => {
  // --from-campaign / --to-campaign, else --campaign or $DMA_CAMPAIGN: only for a server side
  const side = (value: string, own: string | undefined) => {
    if (!isPostgresUrl(value))
      return { at: value === ':memory:' ? value : resolve(ctx.cwd, value), campaign: own };
    return { at: value, campaign: own ?? input.campaign ?? (ctx.env['DMA_CAMPAIGN'] || undefined) };
  };
  const src = side(input.from, input.fromCampaign);
  const dst = side(input.to, input.toCampaign);
  if (!isPostgresUrl(src.at) && src.at !== ':memory:' && !existsSync(src.at))
    throw new NotFoundError(`no campaign at ${src.at}`);
  const from = await openStoreAt(src.at, {
    mode: 'read',
    clock: ctx.now,
    campaign: src.campaign,
    env: ctx.env,
  });
  try {
    if (!from.exists) throw new NotFoundError(`no campaign at ${from.path}`);
    if (!isPostgresUrl(dst.at) && !isPostgresUrl(src.at) && src.at === dst.at)
      throw new UsageError(`FROM and TO are the same campaign (${from.path})`);
    // an SQLite TO that does not exist yet: a dry run reads into memory, and a failed copy
    // removes the file it created
    const newFile = !isPostgresUrl(dst.at) && dst.at !== ':memory:' && !existsSync(dst.at);
    const dryRun = input.dryRun === true;
    const to = await openStoreAt(newFile && dryRun ? ':memory:' : dst.at, {
      mode: 'write',
      clock: ctx.now,
      campaign: dst.campaign,
      env: ctx.env,
    });
    try {
      if (to.path === from.path)
        throw new UsageError(`FROM and TO are the same campaign (${from.path})`);
      let r;
      try {
        r = await copyCampaign(from, to, { dryRun });
      } catch (err) {
        if (newFile && !dryRun) {
          await to.close();
          for (const f of [dst.at, `${dst.at}-wal`, `${dst.at}-shm`]) rmSync(f, { force: true });
        }
        throw err;
      }
      return {
        from: from.path,
        to: newFile && dryRun ? dst.at : to.path,
        engines: `${engineName(from)}->${engineName(to)}`,
        ...r,
      };
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
};

export const text: CommandModule<'db.copy'>['text'] = (r, input) =>
  `${r.written ? 'copied' : input.dryRun ? '(dry run — nothing written) would copy' : 'already there, nothing written:'} ${r.entities} entities and ${r.relationships} relationships from ${r.from} to ${r.to} (${r.engines})`;
