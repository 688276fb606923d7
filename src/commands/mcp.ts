import type { CommandModule, CommandId } from '../generated/types.ts';
import type { CommandContext } from '../core/context.ts';
import type { ServeOptions } from '../serve/invoke.ts';

/** Handlers load lazily, each its own chunk, as on the command line. */
export const loadCommand = async (handler: string) =>
  (await import(`../commands/${handler}.ts`)) as CommandModule<CommandId>;

/** The options both servers take from their command line. */
export function serveOptions(
  input: { allowWrites?: boolean; db?: string; adapter?: string; model?: string; baseUrl?: string },
  ctx: CommandContext,
  log: (message: string) => void,
): ServeOptions {
  return {
    loadCommand,
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
