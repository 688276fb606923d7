/**
 * `dma serve`: the Hono app in process (every route, the status table, auth, limits, SSE)
 * and the real binary (binding rules, a token off loopback, graceful shutdown, MCP over
 * Streamable HTTP).
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openapi } from '../../src/generated/openapi.ts';
import { EXIT_HTTP_STATUS, tools } from '../../src/generated/tools.ts';
import { createHttpApp, rateLimiter, tokenMatches } from '../../src/serve/http.ts';
import { LazyAbort, type LoadCommand, type ServeOptions } from '../../src/serve/invoke.ts';
import { loadCommand, loadLazy } from '../../src/cli/lazy.ts';
import { dma, dmaBin, scratchEnv } from '../helpers/dma.ts';

function options(env: Record<string, string>, extra: Partial<ServeOptions> = {}): ServeOptions {
  return {
    loadCommand: loadCommand as LoadCommand,
    load: loadLazy,
    env,
    cwd: process.cwd(),
    db: env['DMA_DB']!,
    allowWrites: false,
    log: () => undefined,
    ...extra,
  };
}

function app(
  env: Record<string, string>,
  extra: Partial<ServeOptions> = {},
  http: { token?: string; bodyLimit?: number; rateLimit?: number } = {},
) {
  return createHttpApp(options(env, extra), {
    bodyLimit: http.bodyLimit ?? 1_048_576,
    rateLimit: http.rateLimit ?? 0,
    clientAddress: () => 'test',
    shutdown: new AbortController().signal,
    ...(http.token ? { token: http.token } : {}),
  });
}

const post = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

async function readEvents(
  res: Response,
  until: (e: EventSourceMessage) => boolean,
): Promise<EventSourceMessage[]> {
  const events: EventSourceMessage[] = [];
  let done = false;
  const parser = createParser({
    onEvent: (e) => {
      events.push(e);
      if (until(e)) done = true;
    },
  });
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  while (!done) {
    const { value, done: end } = await reader.read();
    if (end) break;
    parser.feed(decoder.decode(value, { stream: true }));
  }
  await reader.cancel().catch(() => undefined);
  return events;
}

describe('dma serve (in process)', () => {
  const env = scratchEnv();

  it("answers POST /v1/thac0 with the CLI's JSON document", async () => {
    const res = await app(env).request('/v1/thac0', post({ class: 'fighter', level: 5 }));
    expect(res.status).toBe(200);
    expect(res.headers.get('x-dma-exit-code')).toBe('0');
    const cli = await dma(['thac0', 'fighter', '5', '--json'], { env });
    expect(await res.text()).toBe(cli.stdout + '\n');
  });

  it('reaches every command, answering with a status from the exit table', async () => {
    const a = app(env, { adapter: 'mock' });
    for (const t of tools) {
      if (t.sse) continue;
      const res = await a.request(t.route, post({}));
      const allowed = new Set([...t.exits.map((e) => EXIT_HTTP_STATUS[e]), 403]);
      expect(
        allowed.has(res.status),
        `${t.route} → ${res.status}: ${await res.clone().text()}`,
      ).toBe(true);
      expect(res.headers.get('content-type')).toMatch(/json|text|svg/);
      const exit = Number(res.headers.get('x-dma-exit-code'));
      expect(t.exits, t.route).toContain(exit);
    }
  }, 60_000);

  it("maps exit codes to statuses and errors to the CLI's error document", async () => {
    const a = app(env);
    const bad = await a.request('/v1/thac0', post({ class: 'fightr', level: 5 }));
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      error: {
        code: 'INVALID_INPUT',
        exit_code: 3,
        message: expect.stringMatching(/did you mean "fighter"/),
      },
    });
    const missing = await a.request('/v1/entity/show', post({ ref: 'Nobody' }));
    expect(missing.status).toBe(404);
    const notJson = await a.request('/v1/thac0', post('{class:'));
    expect(notJson.status).toBe(400);
    expect(await notJson.json()).toMatchObject({
      error: { message: 'the request body is not JSON' },
    });
    const unknownRoute = await a.request('/v1/thaco', post({}));
    expect(unknownRoute.status).toBe(404);
    expect(await unknownRoute.json()).toMatchObject({
      error: { message: expect.stringMatching(/did you mean "\/v1\/thac0"/) },
    });
    const get = await a.request('/v1/thac0');
    expect(get.status).toBe(405);
    const llm = await a.request('/v1/audit', post({ target: 'x' }));
    expect(llm.status).toBe(501);
  });

  it('refuses writes unless allowed, and lets save: false through', async () => {
    const ro = await app(env).request(
      '/v1/npc/create',
      post({ class: 'fighter', level: 2, seed: 2 }),
    );
    expect(ro.status).toBe(403);
    expect(await ro.json()).toMatchObject({ error: { code: 'WRITES_DISABLED' } });
    const preview = await app(env).request(
      '/v1/npc/create',
      post({ class: 'fighter', level: 2, seed: 2, save: false }),
    );
    expect(preview.status).toBe(200);
    const rw = await app(env, { allowWrites: true }).request(
      '/v1/npc/create',
      post({ class: 'fighter', level: 2, seed: 2, name: 'Borin' }),
    );
    expect(rw.status).toBe(200);
    const shown = await app(env).request('/v1/npc/show', post({ ref: 'Borin' }));
    expect(shown.status).toBe(200);
  });

  it('needs the bearer token when one is set, compared in constant time', async () => {
    const a = app(env, {}, { token: 's3cret' });
    expect((await a.request('/v1/thac0', post({ class: 'fighter', level: 1 }))).status).toBe(401);
    expect(
      (
        await a.request(
          '/v1/thac0',
          post({ class: 'fighter', level: 1 }, { authorization: 'Bearer nope' }),
        )
      ).status,
    ).toBe(401);
    expect((await a.request('/openapi.json')).status).toBe(401);
    const ok = await a.request(
      '/v1/thac0',
      post({ class: 'fighter', level: 1 }, { authorization: 'Bearer s3cret' }),
    );
    expect(ok.status).toBe(200);
    expect(tokenMatches('s3cret', 's3cret')).toBe(true);
    expect(tokenMatches('s3cre', 's3cret')).toBe(false);
    expect(tokenMatches(undefined, 's3cret')).toBe(false);
  });

  it('answers 413 for a body over the limit and 429 past the rate limit', async () => {
    const big = await app(env, {}, { bodyLimit: 2048 }).request(
      '/v1/roll',
      post({ notation: 'x'.repeat(10_000) }),
    );
    expect(big.status).toBe(413);
    expect(await big.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    const limited = app(env, {}, { rateLimit: 1 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++)
      statuses.push(
        (await limited.request('/v1/thac0', post({ class: 'fighter', level: 1 }))).status,
      );
    expect(statuses).toEqual([200, 200, 429, 429]);
    let t = 0;
    const bucket = rateLimiter(10, () => t);
    for (let i = 0; i < 20; i++) expect(bucket('a').ok).toBe(true);
    expect(bucket('a').ok).toBe(false);
    expect(bucket('b').ok).toBe(true);
    t += 100; // a tenth of a second: one more token
    expect(bucket('a').ok).toBe(true);
    expect(bucket('a').ok).toBe(false);
  });

  it('serves a valid OpenAPI 3.1 document listing every route', async () => {
    const res = await app(env).request('/openapi.json');
    const doc = (await res.json()) as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    const validator = new Validator();
    const result = await validator.validate(openapi);
    expect(result.valid, JSON.stringify(result.errors)).toBe(true);
    for (const t of tools) expect(doc.paths[t.route], t.route).toBeDefined();
  });

  it('streams dungeon gen as server-sent events', async () => {
    const res = await app(env).request(
      '/v1/dungeon/gen',
      post({ rooms: 5, seed: 4, stream: true, save: false }),
    );
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const events = await readEvents(res, (e) => e.event === 'end');
    expect(events.at(-1)).toMatchObject({ event: 'end', data: '{"exit_code":0}' });
    const body = events.slice(0, -1);
    expect(body.length).toBeGreaterThan(5);
    for (const e of body) expect(() => JSON.parse(e.data)).not.toThrow();
    const cli = await dma(
      ['dungeon', 'gen', '--rooms', '5', '--seed', '4', '--stream', '--no-save'],
      { env },
    );
    expect(body.map((e) => e.data)).toEqual(cli.stdout.trim().split('\n'));
  });

  it('follows the bus as server-sent events', async () => {
    const a = app(env, { allowWrites: true });
    const res = await a.request('/v1/bus/tail', post({ follow: true, json: undefined }));
    expect(res.status).toBe(200);
    const reading = readEvents(res, (e) => /npc/.test(e.data));
    await new Promise((r) => setTimeout(r, 300));
    const created = await a.request(
      '/v1/npc/create',
      post({ class: 'thief', level: 3, seed: 9, name: 'Quill' }),
    );
    expect(created.status).toBe(200);
    const events = await reading;
    expect(events.some((e) => /npc/.test(e.data))).toBe(true);
  }, 30_000);
});

describe('dma serve (the binary)', () => {
  const env = scratchEnv();
  let server: ResultPromise | undefined;
  let url = '';

  beforeAll(async () => {
    server = execa(
      process.execPath,
      [dmaBin, 'serve', '--host', '0.0.0.0', '--port', '0', '--token', 's3cret', '--allow-writes'],
      {
        env,
        extendEnv: false,
        reject: false,
        // kill('SIGTERM') must not become SIGKILL 5 s later: a loaded machine takes longer
        // than that to finish the request in flight
        forceKillAfterDelay: false,
      },
    );
    url = await new Promise<string>((resolve, reject) => {
      let err = '';
      server!.stderr!.on('data', (d: Buffer) => {
        err += d.toString();
        const m = /listening on (http:\/\/\S+) /.exec(err);
        if (m) resolve(m[1]!.replace('0.0.0.0', '127.0.0.1'));
      });
      void server!.then((r) => reject(new Error(`serve exited ${r.exitCode}: ${err}`)));
    });
  }, 30_000);
  afterAll(() => {
    server?.kill('SIGKILL');
  });

  it('refuses a non-loopback address without a token (exit 3)', async () => {
    const r = await dma(['serve', '--host', '0.0.0.0', '--port', '0']);
    expect(r.exitCode).toBe(3);
    expect(r.stderr).toMatch(/needs a bearer token/);
  });

  it('answers 401 without the token off loopback, 200 with it', async () => {
    const body = JSON.stringify({ class: 'mage', level: 9 });
    expect((await fetch(`${url}/v1/thac0`, { method: 'POST', body })).status).toBe(401);
    const ok = await fetch(`${url}/v1/thac0`, {
      method: 'POST',
      body,
      headers: { authorization: 'Bearer s3cret' },
    });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ thac0: 18 });
  });

  it('answers 413 over the socket for a declared or a chunked body past the limit', async () => {
    const big = JSON.stringify({ notation: 'x'.repeat(2_000_000) });
    const headers = { authorization: 'Bearer s3cret' };
    // the client is still uploading when the server refuses: it must get the 413, not a
    // broken pipe (the server reads the rest and drops it before closing); ten times each
    for (let i = 0; i < 10; i++) {
      const declared = await fetch(`${url}/v1/roll`, { method: 'POST', body: big, headers });
      expect(declared.status).toBe(413);
      expect(await declared.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
      const chunks = [big.slice(0, 1_000_000), big.slice(1_000_000)];
      const chunked = await fetch(`${url}/v1/roll`, {
        method: 'POST',
        headers,
        body: new ReadableStream<Uint8Array>({
          pull(controller) {
            const next = chunks.shift();
            if (next === undefined) controller.close();
            else controller.enqueue(new TextEncoder().encode(next));
          },
        }),
        duplex: 'half',
      } as RequestInit);
      expect(chunked.status).toBe(413);
      expect(await chunked.json()).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
    }
    // the server still answers after closing those connections
    const ok = await fetch(`${url}/v1/thac0`, {
      method: 'POST',
      body: JSON.stringify({ class: 'fighter', level: 5 }),
      headers,
    });
    expect(await ok.json()).toMatchObject({ thac0: 16 });
  });

  it('offers the MCP server over Streamable HTTP at /mcp', async () => {
    const client = new Client({ name: 'dma-test', version: '1.0.0' });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { authorization: 'Bearer s3cret' } },
      }),
    );
    const { tools: listed } = await client.listTools();
    expect(listed.some((t) => t.name === 'thac0')).toBe(true);
    const r = (await client.callTool({
      name: 'thac0',
      arguments: { class: 'thief', level: 4 },
    })) as unknown as { structuredContent: { thac0: number } };
    expect(r.structuredContent.thac0).toBe(19);
    await client.close();
  });

  it('finishes the requests in flight on SIGTERM, then exits 0', async () => {
    const pending = fetch(`${url}/v1/npc/create`, {
      method: 'POST',
      body: JSON.stringify({ count: 3000, seed: 1, save: false }),
      headers: { authorization: 'Bearer s3cret' },
    });
    await new Promise((r) => setTimeout(r, 150));
    server!.kill('SIGTERM');
    const res = await pending;
    expect(res.status).toBe(200);
    const doc = (await res.json()) as { npcs: unknown[] };
    expect(doc.npcs).toHaveLength(3000);
    const done = await server!;
    expect(done.exitCode).toBe(0);
    expect(String(done.stderr)).toMatch(/stopping after the requests in flight/);
  }, 60_000);
});

describe('LazyAbort', () => {
  it('makes its signal on first use, aborted if the call was cancelled before', () => {
    const early = new LazyAbort();
    early.abort();
    expect(early.signal.aborted).toBe(true);
    const late = new LazyAbort();
    const signal = late.signal;
    expect(signal.aborted).toBe(false);
    expect(late.signal).toBe(signal);
    late.abort();
    expect(signal.aborted).toBe(true);
  });
});

describe('one status table', () => {
  it('maps every declared exit code', () => {
    const exits = new Set(tools.flatMap((t) => t.exits));
    for (const e of exits) expect(EXIT_HTTP_STATUS[e], `exit ${e}`).toBeDefined();
  });
});
