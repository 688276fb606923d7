import type { CommandModule } from '../generated/types.ts';
import { listen } from '../serve/http.ts';
import { serveOptions } from './_serve-options.ts';

export const run: CommandModule<'serve'>['run'] = async (input, ctx) => {
  const token = input.token ?? ctx.env['DMA_SERVE_TOKEN'];
  const options = serveOptions(input, ctx, (m) => ctx.warn(m));
  const server = await listen(
    options,
    {
      ...(token ? { token } : {}),
      bodyLimit: input.bodyLimit ?? 1_048_576,
      rateLimit: input.rateLimit ?? 200,
    },
    input.host ?? '127.0.0.1',
    input.port ?? 8787,
  );
  ctx.trapSignals?.();
  ctx.info(
    `dma serve: listening on ${server.url} (${options.allowWrites ? 'writes allowed' : 'read-only'}` +
      `${token ? ', bearer token required' : ''}); OpenAPI at ${server.url}/openapi.json, MCP at ${server.url}/mcp`,
  );
  await new Promise<void>((resolve) => {
    if (ctx.signal.aborted) resolve();
    else ctx.signal.addEventListener('abort', () => resolve(), { once: true });
  });
  ctx.info('dma serve: stopping after the requests in flight');
  await server.close();
  return {};
};

export const raw: CommandModule<'serve'>['raw'] = () => '';
