/**
 * The real SDKs (@anthropic-ai/sdk, openai) against fake servers on 127.0.0.1, through the
 * adapters, the gateway and runWorkflow. No internet, no real key.
 */
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DmaError } from '../../src/core/errors.ts';
import { adapterStatus, createAdapter, type Env } from '../../src/llm/adapters/index.ts';
import { createGateway, secretsFromEnv, type GatewayOptions } from '../../src/llm/gateway.ts';
import { runWorkflow } from '../../src/llm/runtime.ts';
import {
  LLM_TABLES_SQL,
  MemoryCallLog,
  MemoryResponseCache,
  SqliteCallLog,
  SqliteResponseCache,
} from '../../src/llm/storage.ts';
import {
  anthropicError,
  anthropicToolReply,
  openaiError,
  openaiReply,
  startFakeServer,
  type FakeReply,
  type FakeServer,
  type RecordedRequest,
} from '../helpers/fake-llm-server.ts';
import { audit, finding, registries } from '../helpers/llm-fixtures.ts';

const KEY = 'sk-test-SECRET-4f9c2a71e0';
const validAudit = {
  summary: 'Elara is over the level limit.',
  riskLevel: 'high',
  findings: [finding],
};

interface Kit {
  name: 'anthropic' | 'openai';
  keyVar: string;
  path: string;
  env(server: FakeServer): Env;
  ok(output: unknown): FakeReply;
  overloaded(): FakeReply;
  rateLimited(retryAfter: string): FakeReply;
  refusal(): FakeReply;
  truncated(): FakeReply;
  badRequestEchoingKey(req: RecordedRequest): FakeReply;
  maxTokensOf(req: RecordedRequest): unknown;
  keyOf(req: RecordedRequest): string | undefined;
  lastUserText(req: RecordedRequest): string;
}

const kits: Kit[] = [
  {
    name: 'anthropic',
    keyVar: 'ANTHROPIC_API_KEY',
    path: '/v1/messages',
    env: (s) => ({ ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: s.url }),
    ok: (o) => anthropicToolReply(o),
    overloaded: () => anthropicError(529, 'overloaded_error'),
    rateLimited: (ra) => anthropicError(429, 'rate_limit_error', { 'retry-after': ra }),
    refusal: () => ({
      body: {
        ...(anthropicToolReply({}).body as object),
        content: [{ type: 'text', text: 'I will not do that.' }],
        stop_reason: 'refusal',
      },
    }),
    truncated: () => anthropicToolReply({ summary: 'cut' }, { stop_reason: 'max_tokens' }),
    badRequestEchoingKey: (req) => ({
      status: 400,
      body: {
        type: 'error',
        error: {
          type: 'invalid_request_error',
          message: `bad key ${String(req.headers['x-api-key'] ?? req.headers.authorization)}`,
        },
      },
    }),
    maxTokensOf: (r) => r.body.max_tokens,
    // this SDK major sends the key as a bearer token; older ones used x-api-key
    keyOf: (r) =>
      (r.headers['x-api-key'] as string | undefined) ??
      (r.headers.authorization as string | undefined)?.replace(/^Bearer /, ''),
    lastUserText: (r) => {
      const msgs = r.body.messages as { content: string }[];
      return msgs[msgs.length - 1]!.content;
    },
  },
  {
    name: 'openai',
    keyVar: 'OPENAI_API_KEY',
    path: '/v1/chat/completions',
    env: (s) => ({ OPENAI_API_KEY: KEY, OPENAI_BASE_URL: `${s.url}/v1` }),
    ok: (o) => openaiReply(JSON.stringify(o)),
    overloaded: () => openaiError(500),
    rateLimited: (ra) => openaiError(429, { 'retry-after': ra }, 'rate limited'),
    refusal: () => openaiReply(null, { refusal: 'I will not do that.' }),
    truncated: () => openaiReply('{"summary": "cut', { finish_reason: 'length' }),
    badRequestEchoingKey: (req) =>
      openaiError(400, {}, `bad key ${String(req.headers.authorization)}`),
    // a custom base URL selects max_tokens (what compatible servers understand)
    maxTokensOf: (r) => r.body.max_tokens,
    keyOf: (r) => (r.headers.authorization as string | undefined)?.replace(/^Bearer /, ''),
    lastUserText: (r) => {
      const msgs = r.body.messages as { content: string }[];
      return msgs[msgs.length - 1]!.content;
    },
  },
];

for (const kit of kits) {
  describe(`${kit.name} adapter on the real SDK`, () => {
    let server: FakeServer;
    let env: Env;
    const gatewayFor = (over: GatewayOptions = {}) =>
      createGateway({
        secrets: secretsFromEnv(env),
        retry: { initialDelayMs: 1, maxDelayMs: 5 },
        ...over,
      });

    beforeEach(async () => {
      server = await startFakeServer(() => kit.ok(validAudit));
      env = kit.env(server);
    });
    afterEach(async () => {
      await server.close();
    });

    it('returns validated structured output and sends a well-formed request', async () => {
      const log = new MemoryCallLog();
      const adapter = await createAdapter(kit.name, { env, model: 'test-model' });
      const r = await runWorkflow(adapter, audit, registries, { gateway: gatewayFor({ log }) });
      expect(r.status).toBe('completed');
      expect(r.output).toEqual(validAudit);
      expect(server.requests).toHaveLength(1);
      const req = server.requests[0]!;
      expect(req.url).toBe(kit.path);
      expect(req.body.model).toBe('test-model');
      expect(kit.keyOf(req)).toBe(KEY);
      if (kit.name === 'anthropic') {
        expect(req.body.tool_choice).toEqual({ type: 'tool', name: 'audit-result' });
        const tool = (
          req.body.tools as { input_schema: { type: string; properties: object } }[]
        )[0]!;
        expect(tool.input_schema.type).toBe('object');
        expect(Object.keys(tool.input_schema.properties)).toContain('findings');
        expect((req.body.system as { cache_control: unknown }[])[0]!.cache_control).toEqual({
          type: 'ephemeral',
        });
      } else {
        const rf = req.body.response_format as {
          type: string;
          json_schema: { name: string; schema: { type: string } };
        };
        expect(rf.type).toBe('json_schema');
        expect(rf.json_schema.name).toBe('audit-result');
        expect(rf.json_schema.schema.type).toBe('object');
        expect((req.body.messages as { role: string }[])[0]!.role).toBe('system');
      }
      expect(log.records[0]).toMatchObject({
        status: 'ok',
        adapter: kit.name,
        tokensCached: kit.name === 'anthropic' ? 900 : 128,
      });
    });

    it('follows up on a schema-invalid answer and accepts the valid one', async () => {
      server.enqueue(kit.ok({ summary: 3, riskLevel: 'high', findings: [] }));
      const adapter = await createAdapter(kit.name, { env });
      const r = await runWorkflow(adapter, audit, registries, { gateway: gatewayFor() });
      expect(r.status).toBe('completed');
      expect(server.requests).toHaveLength(2);
      expect(kit.lastUserText(server.requests[1]!)).toContain('/summary: must be string');
    });

    it('honours Retry-After on a 429 (and the SDK itself never retries)', async () => {
      server.enqueue(kit.rateLimited('1'));
      const adapter = await createAdapter(kit.name, { env });
      const t0 = Date.now();
      const r = await runWorkflow(adapter, audit, registries, { gateway: gatewayFor() });
      expect(r.status).toBe('completed');
      expect(Date.now() - t0).toBeGreaterThanOrEqual(950);
      expect(server.requests).toHaveLength(2);
    });

    it('a burst of overloaded/5xx answers opens the circuit breaker', async () => {
      server.enqueue(...Array.from({ length: 6 }, () => kit.overloaded()));
      const adapter = await createAdapter(kit.name, { env });
      const gateway = gatewayFor({
        retry: { initialDelayMs: 1, maxDelayMs: 5, maxAttempts: 2 },
        breaker: { consecutiveFailures: 2 },
      });
      const first = await runWorkflow(adapter, audit, registries, { gateway });
      expect(first.status).toBe('error');
      expect(first.error?.exitCode).toBe(12);
      expect(server.requests).toHaveLength(2);
      const second = await runWorkflow(adapter, audit, registries, { gateway });
      expect(second.error_message).toMatch(/^circuit open for /);
      expect(server.requests).toHaveLength(2);
    });

    it('times out a slow server', async () => {
      server.enqueue({ ...kit.ok(validAudit), delayMs: 3000 });
      const adapter = await createAdapter(kit.name, { env });
      const t0 = Date.now();
      const r = await runWorkflow(adapter, audit, registries, {
        gateway: gatewayFor({ timeoutMs: 300, retry: { maxAttempts: 1 } }),
      });
      expect(r.status).toBe('error');
      expect(r.error_message).toContain('timed out after 300 ms');
      expect(Date.now() - t0).toBeLessThan(2000);
    });

    it('a refusal ends the run with a clear error and is not cached', async () => {
      server.enqueue(kit.refusal());
      const cache = new MemoryResponseCache();
      const adapter = await createAdapter(kit.name, { env });
      const r = await runWorkflow(adapter, audit, registries, { gateway: gatewayFor({ cache }) });
      expect(r.status).toBe('error');
      expect(r.error_message).toBe('the model refused the request: I will not do that.');
      expect(server.requests).toHaveLength(1);
      expect(cache.size()).toBe(0);
    });

    it('a truncated answer gets one retry with more output tokens', async () => {
      server.enqueue(kit.truncated());
      const adapter = await createAdapter(kit.name, { env });
      const r = await runWorkflow(adapter, audit, registries, { gateway: gatewayFor() });
      expect(r.status).toBe('completed');
      expect(server.requests).toHaveLength(2);
      expect(kit.maxTokensOf(server.requests[0]!)).toBe(4096);
      expect(kit.maxTokensOf(server.requests[1]!)).toBe(8192);
    });

    it('a missing API key is an exit-12 error naming the variable, before any request', async () => {
      const noKey: Env = { ...env, [kit.keyVar]: undefined };
      if (kit.name === 'openai') noKey.OPENAI_BASE_URL = 'https://llm.example.invalid/v1'; // not local: a key is needed
      const e = await createAdapter(kit.name, { env: noKey }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DmaError);
      expect((e as DmaError).exitCode).toBe(12);
      expect((e as DmaError).message).toContain(kit.keyVar);
      expect(server.requests).toHaveLength(0);
    });

    it('a missing SDK is an exit-11 error', async () => {
      const e = await createAdapter(kit.name, {
        env,
        importSdk: () => Promise.reject(new Error('Cannot find package')),
      }).catch((x: unknown) => x);
      expect((e as DmaError).code).toBe('SDK_MISSING');
      expect((e as DmaError).exitCode).toBe(11);
    });

    it('no API key string ever reaches the cache or the call log (memory and SQLite)', async () => {
      const db = new Database(':memory:');
      db.exec(LLM_TABLES_SQL);
      const memCache = new MemoryResponseCache();
      const memLog = new MemoryCallLog();
      const adapter = await createAdapter(kit.name, { env });
      for (const [cache, log] of [
        [memCache, memLog],
        [new SqliteResponseCache(db), new SqliteCallLog(db)],
      ] as const) {
        const gateway = gatewayFor({ cache, log, retry: { maxAttempts: 1 } });
        server.enqueue((req) => kit.badRequestEchoingKey(req));
        const failed = await runWorkflow(adapter, audit, registries, { gateway });
        expect(failed.status).toBe('error');
        expect(failed.error_message).not.toContain(KEY);
        expect(failed.error_message).toContain('[REDACTED]'); // the server did echo it
        await runWorkflow(adapter, audit, registries, { gateway }); // ok → cached
        const hit = await runWorkflow(adapter, audit, registries, { gateway }); // cache hit
        expect((hit.steps[2] as { cached: boolean }).cached).toBe(true);
      }
      expect(server.requests.every((r) => kit.keyOf(r) === KEY)).toBe(true); // the key was really in use
      const stored = [
        JSON.stringify(memLog.records),
        ...memCache.dump(),
        JSON.stringify(db.prepare('SELECT * FROM llm_calls').all()),
        JSON.stringify(db.prepare('SELECT * FROM llm_cache').all()),
      ].join('\n');
      expect(stored).toContain('audit-result'); // the scan looks at real content
      expect(stored).not.toContain(KEY);
      expect(stored).not.toContain(KEY.slice(0, 12));
      expect(stored.toLowerCase()).not.toContain('authorization');
      expect(stored.toLowerCase()).not.toContain('x-api-key');
      db.close();
    });
  });
}

describe('openai on a local server without a key', () => {
  it('works when the base URL is loopback and OPENAI_API_KEY is unset', async () => {
    const server = await startFakeServer(() => openaiReply(JSON.stringify(validAudit)));
    try {
      const adapter = await createAdapter('openai', {
        env: {},
        baseUrl: `${server.url}/v1`,
        model: 'local-model',
      });
      const r = await runWorkflow(adapter, audit, registries);
      expect(r.status).toBe('completed');
      expect(server.requests[0]!.body.model).toBe('local-model');
    } finally {
      await server.close();
    }
  });

  it('a bad base URL is an exit-12 configuration error', async () => {
    const e = await createAdapter('openai', { env: { OPENAI_BASE_URL: 'not a url' } }).catch(
      (x: unknown) => x,
    );
    expect((e as DmaError).exitCode).toBe(12);
    expect((e as DmaError).message).toBe('invalid base URL "not a url"');
  });
});

describe('adapter registry', () => {
  it('claude is an alias of anthropic; unknown names get a did-you-mean', async () => {
    const a = await createAdapter('claude', { env: { ANTHROPIC_API_KEY: KEY } });
    expect(a.name).toBe('anthropic');
    await expect(createAdapter('opneai', { env: {} })).rejects.toThrow(
      'unknown adapter "opneai" — did you mean "openai"?',
    );
  });

  it('adapterStatus reports SDK presence and whether keys are set, never their values', async () => {
    const status = await adapterStatus({ ANTHROPIC_API_KEY: KEY }, (pkg) =>
      pkg === 'openai' ? Promise.reject(new Error('missing')) : import(pkg),
    );
    expect(status.map((s) => [s.name, s.sdkInstalled, s.keySet, s.ready])).toEqual([
      ['mock', null, null, true],
      ['anthropic', true, true, true],
      ['openai', false, false, false],
    ]);
    expect(JSON.stringify(status)).not.toContain(KEY);
  });
});
