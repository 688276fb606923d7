import type { CommandModule, CommandId } from '../generated/types.ts';
import type { CommandContext } from '../core/context.ts';
import type { ServeOptions } from '../serve/invoke.ts';

const loaded = new Map<string, CommandModule<CommandId>>();

/**
 * Handlers load lazily, each its own chunk, as on the command line, and once: a server
 * calls them again and again, and an `import()` of a module already loaded still goes
 * through the ES module loader (a tenth of a fast-lane call's allocations).
 */
export const loadCommand = async (handler: string): Promise<CommandModule<CommandId>> => {
  let mod = loaded.get(handler);
  if (mod === undefined) {
    mod = (await import(`../commands/${handler}.ts`)) as CommandModule<CommandId>;
    loaded.set(handler, mod);
  }
  return mod;
};

/** The options both servers take from their command line. */
export function serveOptions(
  input: { allowWrites?: boolean; db?: string; adapter?: string; model?: string; baseUrl?: string },
  ctx: CommandContext,
  log: (message: string) => void,
): ServeOptions {
  return {
    loadCommand,
    load: ctx.load,
    env: ctx.env,
    cwd: ctx.cwd,
    allowWrites: input.allowWrites === true,
    log,
    ...(input.db !== undefined ? { db: input.db } : {}),
    ...(input.adapter !== undefined ? { adapter: input.adapter } : {}),
    ...(input.model !== undefined ? { model: input.model } : {}),
    ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
  };
}

export const run: CommandModule<'mcp'>['run'] = async (input, ctx) => {
  const { serveStdio } = await import('../serve/mcp.ts');
  const options = serveOptions(input, ctx, (m) => ctx.info(m));
  ctx.trapSignals?.();
  await serveStdio(options, ctx.signal);
  return {};
};

/** stdout is the protocol: nothing is printed after it. */
export const raw: CommandModule<'mcp'>['raw'] = () => '';
