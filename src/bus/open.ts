/**
 * Choosing the bus's transport: `DMA_BUS` unset (or `sqlite`) is the bus in the campaign
 * database; `redis://…` (or `rediss://…`) is Redis Streams, its client loaded only then.
 * The Redis keys of a campaign share one prefix: `$DMA_BUS_PREFIX`, else
 * `dma:<campaign>` (`--campaign`/`$DMA_CAMPAIGN`, else `default`).
 */
import type { CommandContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import type { Store } from '../store/types.ts';
import { openCampaign, openStore, withCampaign } from '../store/open.ts';
import { Bus } from './bus.ts';
import { SqliteTransport } from './sqlite/transport.ts';

export type BusTarget =
  { kind: 'sqlite' } | { kind: 'redis'; url: string; prefix: string; location: string };

/** A URL without its credentials (what may be printed). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return 'redis://…';
  }
}

/** Where the bus lives, from the environment (UsageError for a URL dma cannot use). */
export function busTarget(
  env: Readonly<Record<string, string | undefined>>,
  campaign?: string,
): BusTarget {
  const value = env['DMA_BUS']?.trim() ?? '';
  if (value === '' || value === 'sqlite') return { kind: 'sqlite' };
  if (/^rediss?:\/\//.test(value)) {
    const name = campaign ?? env['DMA_CAMPAIGN'] ?? 'default';
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(name))
      throw new UsageError(`campaign name "${name}" cannot name Redis keys`, {
        hint: 'use letters, digits, dot, dash and underscore',
      });
    const prefix = env['DMA_BUS_PREFIX']?.trim() || `dma:${name}`;
    return { kind: 'redis', url: value, prefix, location: `${redactUrl(value)} (${prefix})` };
  }
  throw new UsageError(`DMA_BUS must be "sqlite" or a redis:// URL, not "${redactUrl(value)}"`, {
    hint: 'unset DMA_BUS for the bus in the campaign database',
  });
}

/**
 * The bus of an open campaign. The SQLite store may carry either transport: with Redis,
 * workers on this host share the campaign file; workers on other hosts need a store they
 * can reach too (PostgreSQL, DMA_DB=postgres://…).
 */
export async function openBus(
  store: Store,
  env: Readonly<Record<string, string | undefined>>,
  campaign?: string,
  opts: { inProcess?: boolean } = {},
): Promise<Bus> {
  const target = busTarget(env, campaign);
  if (target.kind === 'sqlite') {
    if (store.engine === 'sqlite' || opts.inProcess !== true)
      return new Bus(new SqliteTransport(store));
    // A PostgreSQL campaign without DMA_BUS: a command that runs its agents in this process
    // talks to them over a scratch bus in memory. The entities land in the campaign as
    // usual (idempotently, through the store); the messages are not kept, so bus tail,
    // replay, --queue and workers need DMA_BUS=redis://… (docs/workers.md).
    const scratch = await openStore({ path: ':memory:' });
    return new Bus(new SqliteTransport(scratch, 'in-process scratch bus (not kept)', true));
  }
  const { RedisTransport } = await import('./redis/transport.ts');
  return new Bus(await RedisTransport.connect(target));
}

/** Run `fn` with an open campaign and its bus, and always close both. */
export async function withBus<T>(
  input: { db?: string | undefined; campaign?: string | undefined },
  ctx: Pick<CommandContext, 'env' | 'cwd' | 'now'>,
  mode: 'read' | 'write' | 'dry-run' | 'append',
  fn: (store: Awaited<ReturnType<typeof openCampaign>>, bus: Bus) => T | Promise<T>,
  opts: { inProcess?: boolean } = {},
): Promise<T> {
  return withCampaign(input, ctx, mode, async (store) => {
    const bus = await openBus(store, ctx.env, input.campaign, opts);
    try {
      return await fn(store, bus);
    } finally {
      await bus.close();
    }
  });
}
