/**
 * Opening a campaign: `openStore` picks the engine, and `openCampaign` is what a CLI
 * command calls (the path from --db, $DMA_DB or XDG; read or write mode). Read commands
 * never create a database.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CommandContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import { resolveDbPath, type DbPathSource } from './paths.ts';
import { parseImportText } from './records.ts';
import { openSqliteStore, type OpenSqliteOptions, type SqliteStore } from './sqlite/index.ts';

export type OpenStoreOptions = OpenSqliteOptions;

/**
 * Open (and create or migrate) the campaign database. Async: engines on a server connect
 * asynchronously, and a read-mode SQLite store never loads Zod, so `dma entity show`
 * starts fast.
 */
export async function openStore(opts: OpenStoreOptions): Promise<SqliteStore> {
  return openSqliteStore(opts);
}

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
  // A dry run writes nothing, not even a new file: with no database yet it runs on an
  // empty in-memory one; otherwise the store rolls its transaction back.
  const store =
    mode === 'dry-run' && path !== ':memory:' && !existsSync(path)
      ? await openStore({ path: ':memory:', mode: 'write', clock: ctx.now })
      : await openStore({
          path,
          mode: mode === 'dry-run' ? 'write' : mode,
          clock: ctx.now,
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
  const { parse } = await import('yaml');
  try {
    return parse(text);
  } catch (err) {
    throw new UsageError(
      `${source} is neither valid JSON nor YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}
