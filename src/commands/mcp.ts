import type { CommandModule, CommandId } from '../generated/types.ts';
import type { ServeOptions } from '../serve/invoke.ts';

/** Handlers load lazily, each its own chunk, as on the command line. */
export const loadCommand = async (handler: string) =>
  (await import(`./${handler}.ts`)) as CommandModule<CommandId>;

export const run: CommandModule<'mcp'>['run'] = async (input, ctx) => {
  const { serveStdio } = await import('../serve/mcp.ts');
  const options: ServeOptions = {
    loadCommand,
    env: ctx.env,
    cwd: ctx.cwd,
    allowWrites: input.allowWrites === true,
    log: (m) => ctx.info(m),
    ...(input.db !== undefined ? { db: input.db } : {}),
    ...(input.adapter !== undefined ? { adapter: input.adapter } : {}),
    ...(input.model !== undefined ? { model: input.model } : {}),
    ...(input.baseUrl !== undefined ? { baseUrl: input.baseUrl } : {}),
  };
  ctx.trapSignals?.();
  await serveStdio(options, ctx.signal);
  return {};
};

/** stdout is the protocol: nothing is printed after it. */
export const raw: CommandModule<'mcp'>['raw'] = () => '';
