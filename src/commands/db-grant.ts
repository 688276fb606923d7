import { PgStore } from '../store/postgres/index.ts';
import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { isPostgresUrl, withCampaign } from '../store/open.ts';
import { resolveDbPath } from '../store/paths.ts';
import { checkRoleName, grantReadOnly } from '../store/postgres/grant.ts';

export const run: CommandModule<'db.grant'>['run'] = async (input, ctx) => {
  if (!input.readOnly)
    throw new UsageError('db grant needs --read-only: reading the campaign is the only grant');
  // checked before opening: a write-mode open would create an SQLite file
  const { path } = resolveDbPath({
    ...(input.db === undefined ? {} : { explicit: input.db }),
    env: ctx.env,
    cwd: ctx.cwd,
  });
  if (!isPostgresUrl(path))
    throw new UsageError(
      `db grant needs a PostgreSQL campaign; ${path} is an SQLite file (its file permissions decide who may read it)`,
    );
  checkRoleName(input.role);
  const dryRun = input.dryRun === true;
  return withCampaign(input, ctx, dryRun ? 'read' : 'write', async (store) => {
    if (!(store instanceof PgStore)) throw new UsageError(`db grant needs a PostgreSQL campaign`);
    return grantReadOnly(store, input.role, { dryRun });
  });
};

export const text: CommandModule<'db.grant'>['text'] = (r) =>
  r.dry_run
    ? `(dry run — nothing run)\n${r.statements.map((s) => `${s};`).join('\n')}`
    : `${r.role} may read campaign ${r.schema}${r.created ? ' (role created, NOLOGIN)' : ''}`;
