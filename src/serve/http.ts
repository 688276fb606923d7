/**
 * `dma serve`: the HTTP API on Hono. Every contract command is `POST /v1/<path>` (routes
 * from the generated tool table), answering with the same JSON document as
 * `--format json`; the exit code becomes the status by the one generated table
 * (EXIT_HTTP_STATUS) and the `X-Dma-Exit-Code` header. Streaming commands answer with
 * server-sent events; `/mcp` is the MCP server over Streamable HTTP; `/openapi.json` is
 * the generated OpenAPI 3.1 document.
 *
 * Hono: small, fast, built on Web-standard Request/Response (so the MCP SDK's Web-standard
 * transport plugs in directly), testable in process with `app.request()`, and already a
 * dependency of the MCP SDK.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { streamSSE } from 'hono/streaming';
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import { openapi } from '../generated/openapi.ts';
import { EXIT_HTTP_STATUS, tools, type ToolEntry } from '../generated/tools.ts';
import {
  errorOutcome,
  invoke,
  LazyAbort,
  type Outcome,
  type ServeError,
  type ServeOptions,
} from './invoke.ts';

export interface HttpOptions {
  /** bearer token clients must send; undefined = no authentication (loopback only) */
  token?: string;
  /** largest request body in bytes */
  bodyLimit: number;
  /** requests per second per client address (bursts of twice that); 0 = no limit */
  rateLimit: number;
  /** the client's address, for the rate limit (the socket's remote address under Node) */
  clientAddress: (c: Context) => string;
  /** aborted when the server shuts down: open event streams end */
  shutdown: AbortSignal;
}

const isLoopback = (host: string) =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);

/** A non-loopback address needs a token: anyone on the network could otherwise call dma. */
export function checkBind(host: string, token: string | undefined): void {
  if (!isLoopback(host) && !token)
    throw new UsageError(`binding ${host} (not loopback) needs a bearer token`, {
      hint: 'pass --token <secret> or set DMA_SERVE_TOKEN; clients send Authorization: Bearer <secret>',
    });
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/** Constant-time comparison of the presented bearer token with the server's. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (presented === undefined) return false;
  return timingSafeEqual(digest(presented), digest(expected));
}

/** A token bucket per client: `rate` tokens a second, `2 × rate` at most. */
export function rateLimiter(rate: number, now: () => number = () => Date.now()) {
  const buckets = new Map<string, { tokens: number; at: number }>();
  const capacity = rate * 2;
  return (client: string): { ok: true } | { ok: false; retryAfter: number } => {
    if (rate <= 0) return { ok: true };
    const t = now();
    let b = buckets.get(client);
    if (!b) {
      if (buckets.size > 10_000)
        for (const [k, v] of buckets) if (t - v.at > 60_000) buckets.delete(k);
      b = { tokens: capacity, at: t };
      buckets.set(client, b);
    }
    b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfter: Math.max(1, Math.ceil((1 - b.tokens) / rate)) };
  };
}

const errorBody = (error: Omit<ServeError, 'exit_code'> & { exit_code?: number }) =>
  JSON.stringify({ error }) + '\n';

function jsonResponse(body: string, status: number, headers: Record<string, string> = {}) {
  return new Response(body, {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** What the CLI would print, as an HTTP response. */
export function outcomeResponse(outcome: Outcome): Response {
  const exit = String(outcome.exitCode);
  if (!outcome.ok) {
    const status = outcome.status ?? EXIT_HTTP_STATUS[outcome.exitCode] ?? 500;
    return jsonResponse(errorBody(outcome.error), status, { 'x-dma-exit-code': exit });
  }
  const status = EXIT_HTTP_STATUS[outcome.exitCode] ?? 200;
  if (outcome.raw !== undefined) {
    const head = outcome.raw.trimStart();
    const type =
      head.startsWith('<svg') || head.startsWith('<?xml')
        ? 'image/svg+xml'
        : head.startsWith('{') || head.startsWith('[')
          ? 'application/json; charset=utf-8'
          : 'text/plain; charset=utf-8';
    return new Response(outcome.raw, {
      status,
      headers: { 'content-type': type, 'x-dma-exit-code': exit },
    });
  }
  return jsonResponse(JSON.stringify(outcome.document, null, 2) + '\n', status, {
    'x-dma-exit-code': exit,
  });
}

const TOO_LARGE = Symbol('too large');

/** Node's own request and response under @hono/node-server (absent in `app.request()`). */
type NodeBindings = { incoming?: IncomingMessage; outgoing?: ServerResponse };

/**
 * The body of a Node request as text, or undefined past `limit` bytes (the rest is left
 * unread: the 413 closes the connection). Read with listeners rather than `for await`:
 * the async iterator was a tenth of what a fast-lane call allocated.
 */
function readIncoming(incoming: IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const stop = () => {
      incoming.off('data', onData).off('end', onEnd).off('error', reject).off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      stop();
      incoming.pause();
      resolve(undefined);
    };
    const onEnd = () => {
      stop();
      resolve((chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8'));
    };
    const onClose = () => {
      stop();
      reject(new Error('the client closed the connection before the body ended'));
    };
    incoming.on('data', onData).on('end', onEnd).on('error', reject).on('close', onClose);
  });
}

/** A refused body is read and dropped up to this many bytes (or 4 body limits), then cut. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Read the rest of a refused body and drop it, so the client's upload ends before the
 * connection closes; past `cap` bytes the connection is cut (the client gets a reset).
 */
function drain(incoming: IncomingMessage, cap: number): Promise<void> {
  return new Promise((resolve) => {
    if (incoming.readableEnded || incoming.destroyed) return resolve();
    let size = 0;
    const done = () => {
      incoming.off('data', onData).off('end', done).off('close', done).off('error', done);
      resolve();
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > cap) {
        incoming.socket?.destroy();
        done();
      }
    };
    incoming.on('data', onData).on('end', done).on('close', done).on('error', done);
    incoming.resume();
  });
}

/**
 * The body as text. Under Node it is read from the IncomingMessage itself: building the
 * Web Request (its AbortSignal, its stream) cost a fast-lane call a third of its CPU.
 */
function bodyText(c: Context, limit: number): Promise<string | undefined> {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (!incoming) return c.req.text(); // the bodyLimit middleware has counted it
  return readIncoming(incoming, limit);
}

async function readParams(c: Context, limit: number): Promise<unknown> {
  const text = await bodyText(c, limit);
  if (text === undefined) return TOO_LARGE;
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new UsageError('the request body is not JSON', {
      hint: "send the command's arguments and options as a JSON object (see /openapi.json)",
    });
  }
}

/** Server-sent events: one event per NDJSON line the command emits, then `end` with its exit code. */
function sseResponse(
  c: Context,
  tool: ToolEntry,
  params: unknown,
  options: ServeOptions,
  shutdown: AbortSignal,
): Response {
  return streamSSE(c, async (stream) => {
    const ac = new AbortController();
    const stop = () => ac.abort();
    stream.onAbort(stop);
    shutdown.addEventListener('abort', stop, { once: true });
    let id = 0;
    let chain: Promise<unknown> = Promise.resolve();
    const send = (line: string) => {
      let event = 'message';
      try {
        const parsed = JSON.parse(line) as { type?: unknown; kind?: unknown };
        if (typeof parsed.type === 'string' && /^[\w.-]+$/.test(parsed.type)) event = parsed.type;
      } catch {
        /* a text line is sent as it is */
      }
      const eventId = String(id++);
      chain = chain.then(() => stream.writeSSE({ data: line, event, id: eventId }));
    };
    const emit = (chunk: string) => {
      for (const line of chunk.split('\n')) if (line.trim() !== '') send(line);
    };
    const outcome = await invoke(tool, params, options, { signal: ac.signal, emit });
    if (outcome.ok && outcome.raw) emit(outcome.raw);
    await chain;
    if (!outcome.ok)
      await stream.writeSSE({ event: 'error', data: JSON.stringify({ error: outcome.error }) });
    await stream.writeSSE({ event: 'end', data: JSON.stringify({ exit_code: outcome.exitCode }) });
    shutdown.removeEventListener('abort', stop);
  });
}

export function createHttpApp(options: ServeOptions, http: HttpOptions): Hono {
  const app = new Hono();
  const limit = rateLimiter(http.rateLimit);
  const offered = tools.filter((t) => !t.llm || options.adapter !== undefined);
  const byRoute = new Map(tools.map((t) => [t.route, t]));

  app.onError((err) => {
    const o = errorOutcome(err);
    return outcomeResponse(o);
  });
  app.notFound((c) => {
    const path = c.req.path;
    const hint = didYouMean(path, [...byRoute.keys(), '/openapi.json', '/mcp']);
    return jsonResponse(
      errorBody({
        code: 'NOT_FOUND',
        message: `no route ${c.req.method} ${path}${hint}`,
        hint: 'GET /openapi.json lists every route',
      }),
      404,
    );
  });

  app.use('*', async (c, next) => {
    if (http.shutdown.aborted)
      return jsonResponse(
        errorBody({
          code: 'SHUTTING_DOWN',
          message: 'the server is stopping',
          hint: 'retry against a running server',
        }),
        503,
        { connection: 'close' },
      );
    if (http.token !== undefined) {
      const auth = c.req.header('authorization');
      const m = auth ? /^Bearer\s+(.+)$/i.exec(auth) : null;
      if (!tokenMatches(m?.[1], http.token))
        return jsonResponse(
          errorBody({
            code: 'UNAUTHORIZED',
            message: 'missing or wrong bearer token',
            hint: 'send Authorization: Bearer <token>',
          }),
          401,
          { 'www-authenticate': 'Bearer realm="dma"' },
        );
    }
    const verdict = limit(http.clientAddress(c));
    if (!verdict.ok)
      return jsonResponse(
        errorBody({
          code: 'RATE_LIMITED',
          message: 'too many requests from this client',
          hint: `retry after ${verdict.retryAfter} s`,
        }),
        429,
        { 'retry-after': String(verdict.retryAfter) },
      );
    await next();
  });
  /**
   * 413; `unread`: the rest of the body was not read, so the connection closes after it —
   * once the body has been read to its end and dropped (up to DRAIN_LIMIT bytes): a
   * client still uploading when the connection closed got EPIPE instead of the 413.
   */
  const tooLargeUnread = async (c: Context) => {
    const incoming = (c.env as NodeBindings | undefined)?.incoming;
    if (incoming) await drain(incoming, Math.max(DRAIN_LIMIT, 4 * http.bodyLimit));
    return tooLarge(true);
  };
  const tooLarge = (unread = false) =>
    jsonResponse(
      errorBody({
        code: 'PAYLOAD_TOO_LARGE',
        message: `the request body is larger than ${http.bodyLimit} bytes`,
        hint: 'start the server with a larger --body-limit',
      }),
      413,
      unread ? { connection: 'close' } : {},
    );
  const limitBody = bodyLimit({ maxSize: http.bodyLimit, onError: () => tooLarge() });
  /**
   * Under Node the declared length is read from the IncomingMessage and a chunked body is
   * counted as it is read (bodyText): Hono's bodyLimit reads `c.req.raw`, which builds the
   * Web Request (headers, AbortSignal, body stream) a fast-lane call otherwise never needs —
   * half of what a call allocated, and the scavenges it caused were the latency tail.
   */
  const limitV1Body: MiddlewareHandler = (c, next) => {
    const incoming = (c.env as NodeBindings | undefined)?.incoming;
    if (!incoming) return limitBody(c, next);
    const declared = incoming.headers['content-length'];
    if (declared !== undefined && Number(declared) > http.bodyLimit) return tooLargeUnread(c);
    return next();
  };

  app.get('/openapi.json', (c) => c.json(openapi));
  app.get('/v1', (c) =>
    c.json({
      routes: offered.map((t) => ({
        method: 'POST',
        path: t.route,
        command: t.id,
        writes: t.writes,
        summary: t.title,
      })),
    }),
  );

  app.all('/mcp', limitBody, async (c) => {
    const [{ WebStandardStreamableHTTPServerTransport }, { createMcpServer }] = await Promise.all([
      import('@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js'),
      import('./mcp.ts'),
    ]);
    // stateless: a server and a transport per request (no session to keep between requests)
    const server = createMcpServer(options);
    const transport = new WebStandardStreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    await server.connect(transport);
    try {
      return await transport.handleRequest(c.req.raw);
    } finally {
      void server.close();
    }
  });

  app.post('/v1/*', limitV1Body, async (c) => {
    const tool = byRoute.get(c.req.path.replace(/\/+$/, ''));
    if (!tool) return c.notFound();
    let params: unknown;
    try {
      params = await readParams(c, http.bodyLimit);
    } catch (err) {
      return outcomeResponse(errorOutcome(err));
    }
    if (params === TOO_LARGE) return tooLargeUnread(c);
    if (
      tool.sse &&
      params &&
      typeof params === 'object' &&
      (params as Record<string, unknown>)[tool.sse] === true
    )
      return sseResponse(c, tool, params, options, http.shutdown);
    // a client that goes away cancels the call (a long generation stops early)
    const ac = new LazyAbort();
    const outgoing = (c.env as NodeBindings | undefined)?.outgoing;
    if (outgoing)
      outgoing.once('close', () => {
        if (!outgoing.writableFinished) ac.abort();
      });
    else c.req.raw.signal?.addEventListener('abort', () => ac.abort(), { once: true });
    return outcomeResponse(await invoke(tool, params, options, { signal: ac }));
  });
  app.on(['GET', 'PUT', 'DELETE', 'PATCH'], '/v1/*', (c) =>
    byRoute.has(c.req.path)
      ? jsonResponse(
          errorBody({
            code: 'METHOD_NOT_ALLOWED',
            message: `${c.req.path} takes POST`,
            hint: 'send the parameters as a JSON body',
          }),
          405,
          { allow: 'POST' },
        )
      : c.notFound(),
  );
  return app;
}

export interface RunningServer {
  url: string;
  /** stop accepting, let requests in flight finish (SSE streams end), then resolve */
  close: (graceMs?: number) => Promise<void>;
}

/** Listen on host:port; a port in use or a bad address is a usage error (exit 3). */
export async function listen(
  options: ServeOptions,
  http: Omit<HttpOptions, 'clientAddress' | 'shutdown'>,
  host: string,
  port: number,
): Promise<RunningServer> {
  checkBind(host, http.token);
  const { serve } = await import('@hono/node-server');
  const shutdown = new AbortController();
  const app = createHttpApp(options, {
    ...http,
    shutdown: shutdown.signal,
    clientAddress: (c) => {
      const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
      return env?.incoming?.socket?.remoteAddress ?? 'unknown';
    },
  });
  const server = await new Promise<import('node:http').Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, hostname: host, port }) as import('node:http').Server;
    s.once('listening', () => resolve(s));
    s.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new UsageError(`port ${port} on ${host} is in use`, {
              hint: 'choose another --port (0 picks a free one)',
            })
          : err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EACCES'
            ? new UsageError(`cannot listen on ${host}:${port}: ${err.code}`)
            : err,
      ),
    );
  });
  // in flight: requests whose response has not closed, and bytes not yet handed to the OS
  // (Node's own close() destroys a connection whose response has ended but is still
  // flushing, which cuts a large answer short)
  let active = 0;
  const sockets = new Set<import('node:net').Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('request', (_req, res) => {
    active++;
    res.once('close', () => active--);
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${shown}:${address.port}`,
    close: async (graceMs = 10_000) => {
      shutdown.abort(); // new requests get 503, event streams end
      const deadline = Date.now() + graceMs;
      const busy = () => active > 0 || [...sockets].some((s) => s.writableLength > 0);
      while (busy() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
