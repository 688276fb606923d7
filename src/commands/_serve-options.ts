import type { CommandContext } from '../core/context.ts';
import type { LoadCommand, ServeOptions } from '../serve/invoke.ts';

/** The options both servers (`dma mcp`, `dma serve`) take from their command line. */
export function serveOptions(
  input: { allowWrites?: boolean; db?: string; adapter?: string; model?: string; baseUrl?: string },
  ctx: CommandContext,
  log: (message: string) => void,
): ServeOptions {
  return {
    // handlers load as on the command line (src/cli/lazy.ts), each once
    loadCommand: ctx.loadCommand as LoadCommand,
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
