import type { CommandModule } from '../generated/types.ts';
import { serveStdio } from '../serve/mcp.ts';
import { serveOptions } from './_serve-options.ts';

export const run: CommandModule<'mcp'>['run'] = async (input, ctx) => {
  const options = serveOptions(input, ctx, (m) => ctx.info(m));
  ctx.trapSignals?.();
  await serveStdio(options, ctx.signal);
  return {};
};

/** stdout is the protocol: nothing is printed after it. */
export const raw: CommandModule<'mcp'>['raw'] = () => '';
