/**
 * Opening a campaign: `openStore` picks the engine, and `openCampaign` is what a CLI
 * command calls (the path from --db, $DMA_DB or XDG; read or write mode). Read commands
 * never create a database.
 */
import { loadYaml } from '../core/yaml.ts';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import { resolveDbPath, type DbPathSource } from './paths.ts';
import { parseImportText } from './records.ts';
import { openSqliteStore, SqliteStore, type OpenSqliteOptions } from './sqlite/index.ts';
import type { Store } from './types.ts';

export type OpenStoreOptions = OpenSqliteOptions;

/** The SQLite engine of a campaign, or a UsageError (exit 3) naming what needs it. */
export function sqliteOf(store: Store, what: string): SqliteStore {
  if (store instanceof SqliteStore) return store;
  throw new UsageError(`${what} needs an SQLite campaign; ${store.path} is on ${store.engine}`, {
    hint: 'not available on PostgreSQL yet',
  });
}

/**
 * Open (and create or migrate) the campaign database. Async: engines on a server connect
 * asynchronously, and a read-mode SQLite store never loads Zod, so `dma entity show`
 * starts fast.
 */
export async function openStore(opts: OpenStoreOptions): Promise<SqliteStore> {
  return openSqliteStore(opts);
}

/**
 * Open the campaign at `path`: an SQLite file (or ":memory:"), or a postgres:// URL (the
 * PostgreSQL engine, and pg, are loaded only then), one schema per `campaign` there.
 * A campaign given for an SQLite file is refused (exit 3): a file holds one campaign.
 */
export async function openStoreAt(
  path: string,
  opts: Omit<OpenStoreOptions, 'path' | 'migrations'> & {
    campaign?: string | undefined;
    env?: Readonly<Record<string, string | undefined>>;
  } = {},
): Promise<Store> {
  const { campaign, env, ...rest } = opts;
  if (isPostgresUrl(path)) {
    const { openPgStore } = await import('./postgres/index.ts');
    return openPgStore({ url: path, campaign, ...(env ? { env } : {}), ...rest });
  }
  if (campaign !== undefined)
    throw new UsageError(
      `--campaign ${campaign}: campaigns are schemas of a PostgreSQL database; an SQLite file is one campaign`,
      { hint: 'point --db at a postgres:// URL, or at another file for another campaign' },
    );
  return openSqliteStore({ path, ...rest });
}

export const isPostgresUrl = (s: string): boolean => /^postgres(ql)?:\/\//i.test(s);

export async function openCampaign(
  input: { db?: string | undefined },
  ctx: Pick<CommandContext, 'env' | 'cwd' | 'now'>,
  mode: 'read' | 'write' | 'dry-run' | 'append',
) {
  const { path, source } = resolveDbPath({
    ...(input.db === undefined ? {} : { explicit: input.db }),
    env: ctx.env,
    cwd: ctx.cwd,
  });
  // --campaign (a global option) or $DMA_CAMPAIGN; the variable is ignored for a file
  const flag = (input as { campaign?: string }).campaign;
  const campaign =
    flag ?? (/^postgres(ql)?:\/\//i.test(path) ? ctx.env['DMA_CAMPAIGN'] : undefined);
  // A dry run writes nothing, not even a new file: with no database yet it runs on an
  // empty in-memory one; otherwise the store rolls its transaction back.
  const store =
    mode === 'dry-run' && path !== ':memory:' && !isPostgresUrl(path) && !existsSync(path)
      ? await openStoreAt(':memory:', { mode: 'write', clock: ctx.now, campaign })
      : await openStoreAt(path, {
          mode: mode === 'dry-run' ? 'write' : mode,
          clock: ctx.now,
          campaign: campaign || undefined,
          env: ctx.env,
        });
  return Object.assign(store, { pathSource: source as DbPathSource });
}

/** Run `fn` with an open campaign and always close it. */
export async function withCampaign<T>(
  input: { db?: string | undefined },
  ctx: Pick<CommandContext, 'env' | 'cwd' | 'now'>,
  mode: 'read' | 'write' | 'dry-run' | 'append',
  fn: (store: Awaited<ReturnType<typeof openCampaign>>) => T | Promise<T>,
): Promise<T> {
  const store = await openCampaign(input, ctx, mode);
  try {
    return await fn(store);
  } finally {
    await store.close();
  }
}

/**
 * The value of a `--data` option or an import file argument: inline JSON, `@file`
 * (JSON or YAML by content), or `-` for stdin. Bad input is a UsageError naming the source.
 */
export async function readDocument(
  value: string,
  ctx: Pick<CommandContext, 'cwd' | 'readStdin'>,
  { inline }: { inline: boolean },
): Promise<unknown> {
  let text: string;
  let source: string;
  if (value === '-') {
    text = await ctx.readStdin();
    source = 'stdin';
  } else if (!inline || value.startsWith('@')) {
    const file = resolve(ctx.cwd, inline ? value.slice(1) : value);
    source = file;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      throw new UsageError(
        `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
  } else {
    text = value;
    source = '--data';
  }
  const trimmed = text.trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[') || source === '--data')
    return parseImportText(text, source);
  const { parse } = await loadYaml();
  try {
    return parse(text);
  } catch (err) {
    throw new UsageError(
      `${source} is neither valid JSON nor YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}
