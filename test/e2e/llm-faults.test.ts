/**
 * Every provider failure ends in exit 12 (issue 12): a 200 with a truncated JSON body, an HTML
 * page, an answer that breaches the handoff schema after the follow-ups, a provider that never
 * answers (the --timeout deadline), and a circuit breaker that stays open across processes.
 * The real Anthropic and OpenAI SDKs talk to the fake servers of test/helpers/fake-llm-server.ts
 * with fake keys; nothing reaches the internet.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';
import {
  anthropicToolReply,
  htmlReply,
  openaiError,
  openaiReply,
  startFakeServer,
  truncatedJsonReply,
  type FakeReply,
  type FakeServer,
} from '../helpers/fake-llm-server.ts';

const LEGAL = 'examples/npc-legal.yaml';
const validAudit = { summary: 'Fine.', riskLevel: 'low', findings: [] };
const breach = { summary: 'No risk level, no findings.' };

interface Kit {
  name: 'anthropic' | 'openai';
  env(s: FakeServer): Record<string, string>;
  ok(output: unknown): FakeReply;
}
const kits: Kit[] = [
  {
    name: 'anthropic',
    env: (s) => ({ ANTHROPIC_API_KEY: 'sk-ant-test-FAKE-1', ANTHROPIC_BASE_URL: s.url }),
    ok: (o) => anthropicToolReply(o),
  },
  {
    name: 'openai',
    env: (s) => ({ OPENAI_API_KEY: 'sk-test-FAKE-1', OPENAI_BASE_URL: `${s.url}/v1` }),
    ok: (o) => openaiReply(JSON.stringify(o)),
  },
];

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function server(fallback: (n: number) => FakeReply): Promise<FakeServer> {
  let n = 0;
  const s = await startFakeServer(() => fallback(n++));
  servers.push(s);
  return s;
}
const errorOf = (stderr: string) =>
  (
    JSON.parse(stderr.trim().split('\n').pop()!) as {
      error: { code: string; message: string; hint?: string };
    }
  ).error;

for (const kit of kits) {
  describe(`${kit.name}: a provider failure is exit 12, retried like any transient failure`, () => {
    it('HTTP 200 with a truncated JSON body: retried, then exit 12 (not 1)', async () => {
      const s = await server(() => truncatedJsonReply(kit.ok(validAudit)));
      const r = await dma(['audit', LEGAL, '--adapter', kit.name], { env: scratchEnv(kit.env(s)) });
      expect(r.exitCode, r.stderr).toBe(12);
      expect(errorOf(r.stderr)).toMatchObject({ code: 'LLM_ERROR' });
      expect(errorOf(r.stderr).message).toMatch(
        /bad_response after 3 attempt\(s\).*not valid JSON/,
      );
      expect(r.stderr).not.toMatch(/this is a bug|\n\s+at /);
      expect(s.requests).toHaveLength(3);
    });

    it('an HTML page (wrong content type): exit 12 naming the content type; a later good answer wins', async () => {
      const s = await server(() => htmlReply());
      const r = await dma(['audit', LEGAL, '--adapter', kit.name], { env: scratchEnv(kit.env(s)) });
      expect(r.exitCode, r.stderr).toBe(12);
      expect(errorOf(r.stderr).message).toMatch(/text\/html/);
      expect(s.requests).toHaveLength(3);
      // transient: one HTML page, then the real answer → success on the retry
      const t = await server((n) => (n === 0 ? htmlReply() : kit.ok(validAudit)));
      const ok = await dma(['audit', LEGAL, '--adapter', kit.name], {
        env: scratchEnv(kit.env(t)),
      });
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(t.requests).toHaveLength(2);
    });

    it('an answer that breaches the handoff schema after every follow-up: exit 12', async () => {
      const s = await server(() => kit.ok(breach));
      const r = await dma(['audit', LEGAL, '--adapter', kit.name], { env: scratchEnv(kit.env(s)) });
      expect(r.exitCode, r.stderr).toBe(12);
      expect(errorOf(r.stderr).message).toMatch(/still invalid after 2 follow-up\(s\) and 1 retr/);
      // (first answer + 2 follow-ups) × (first try + 1 retry)
      expect(s.requests).toHaveLength(6);
    });

    it('a hung provider ends at the --timeout deadline with exit 12', async () => {
      const s = await server(() => ({ body: null, hang: true }));
      const t0 = Date.now();
      const r = await dma(['audit', LEGAL, '--adapter', kit.name, '--timeout', '1.5'], {
        env: scratchEnv(kit.env(s)),
      });
      const elapsed = Date.now() - t0;
      expect(r.exitCode, r.stderr).toBe(12);
      expect(errorOf(r.stderr).message).toMatch(
        /no answer from .+ within the 1\.5 s deadline \(1 attempt\(s\)\)/,
      );
      expect(errorOf(r.stderr).hint).toMatch(/--timeout/);
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(6000);
      expect(s.requests).toHaveLength(1);
    });
  });
}

describe('the deadline covers retries and their waits', () => {
  it('a Retry-After longer than what is left of --timeout is not waited for', async () => {
    const s = await server(() => openaiError(503, { 'retry-after': '30' }));
    const env = scratchEnv({ OPENAI_API_KEY: 'sk-test-FAKE-2', OPENAI_BASE_URL: `${s.url}/v1` });
    const t0 = Date.now();
    const r = await dma(
      ['explain', 'thac0', 'fighter', '5', '--adapter', 'openai', '--timeout', '2'],
      {
        env,
      },
    );
    expect(r.exitCode, r.stderr).toBe(12);
    expect(Date.now() - t0).toBeLessThan(6000);
    expect(s.requests).toHaveLength(1);
  });

  it('dma action: a hung narrator ends at --timeout with the mechanics and exit 12', async () => {
    const s = await server(() => ({ body: null, hang: true }));
    const env = scratchEnv({ OPENAI_API_KEY: 'sk-test-FAKE-7', OPENAI_BASE_URL: `${s.url}/v1` });
    const t0 = Date.now();
    const r = await dma(
      [
        'action',
        'I attack the goblin',
        '--character',
        'golden/pc-fighter.yaml',
        '--seed',
        '7',
      ].concat(['--adapter', 'openai', '--timeout', '1']),
      { env },
    );
    expect(r.exitCode, r.stderr).toBe(12);
    expect(r.stdout).toMatch(/Attack/);
    expect(r.stderr).toMatch(/within the 1 s deadline/);
    expect(Date.now() - t0).toBeLessThan(6000);
  });

  it('--timeout is checked: 0 and words are exit 3', async () => {
    expect((await dma(['audit', LEGAL, '--timeout', '0'])).exitCode).toBe(3);
    expect((await dma(['audit', LEGAL, '--timeout', 'soon'])).exitCode).toBe(3);
    expect((await dma(['audit', LEGAL, '--timeout', '5'])).exitCode).toBe(0); // mock
  });
});

describe('the circuit breaker lives in the campaign database', () => {
  it('ten scripts in a row against a dead provider: the breaker opens, later runs fail fast', async () => {
    const s = await server(() => openaiError(500));
    const env = scratchEnv({ OPENAI_API_KEY: 'sk-test-FAKE-3', OPENAI_BASE_URL: `${s.url}/v1` });
    const seen: number[] = [];
    const hints: string[] = [];
    for (let i = 0; i < 10; i++) {
      const r = await dma(['audit', LEGAL, '--adapter', 'openai', '--no-cache'], { env });
      expect(r.exitCode, r.stderr).toBe(12);
      seen.push(s.requests.length);
      hints.push(errorOf(r.stderr).hint ?? '');
    }
    // 5 consecutive failures open it: 3 attempts in the first run, 2 in the second
    expect(seen).toEqual([3, 5, 5, 5, 5, 5, 5, 5, 5, 5]);
    expect(hints[9]).toMatch(/dma will try the provider again in \d+ s at \d{4}-\d\d-\d\dT/);
    // the call log of the fast failures is empty: nothing was sent
    const logs = await dma(['llm', 'logs', '--json', '--limit', '100'], { env });
    expect(JSON.parse(logs.stdout).calls).toHaveLength(5);
  });

  it('a healthy provider on another endpoint is not blocked by the open one', async () => {
    const dead = await server(() => openaiError(500));
    const live = await server(() => openaiReply(JSON.stringify(validAudit)));
    const env = scratchEnv({ OPENAI_API_KEY: 'sk-test-FAKE-4' });
    const at = (s: FakeServer) => [
      'audit',
      LEGAL,
      '--adapter',
      'openai',
      '--base-url',
      `${s.url}/v1`,
      '--no-cache',
    ];
    for (let i = 0; i < 3; i++) await dma(at(dead), { env });
    expect(dead.requests).toHaveLength(5);
    const r = await dma(at(live), { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(live.requests).toHaveLength(1);
  });
});

describe('SDK notices go to --verbose only', () => {
  it("anthropic's deprecation notice for an old model: silent by default, one stderr line with --verbose", async () => {
    const s = await server(() => anthropicToolReply(validAudit));
    const env = scratchEnv({ ANTHROPIC_API_KEY: 'sk-ant-test-FAKE-5', ANTHROPIC_BASE_URL: s.url });
    const args = [
      'audit',
      LEGAL,
      '--adapter',
      'anthropic',
      '--model',
      'claude-sonnet-4-5',
      '--no-cache',
    ];
    const quiet = await dma(args, { env });
    expect(quiet.exitCode, quiet.stderr).toBe(0);
    expect(quiet.stderr).not.toMatch(/deprecated/);
    const loud = await dma([...args, '--verbose'], { env });
    expect(loud.exitCode, loud.stderr).toBe(0);
    expect(loud.stderr).toMatch(/anthropic: The model 'claude-sonnet-4-5' is deprecated/);
    expect(loud.stdout).not.toMatch(/deprecated/);
  });

  it('the default models are current ids of the installed SDKs', async () => {
    const s = await server(() => anthropicToolReply(validAudit));
    const o = await server(() => openaiReply(JSON.stringify(validAudit)));
    const env = scratchEnv({
      ANTHROPIC_API_KEY: 'sk-ant-test-FAKE-6',
      ANTHROPIC_BASE_URL: s.url,
      OPENAI_API_KEY: 'sk-test-FAKE-6',
      OPENAI_BASE_URL: `${o.url}/v1`,
    });
    const a = await dma(['audit', LEGAL, '--adapter', 'anthropic', '--verbose'], { env });
    expect(a.stderr).not.toMatch(/deprecated/);
    expect(s.requests[0]!.body.model).toBe('claude-sonnet-5-5');
    await dma(['audit', LEGAL, '--adapter', 'openai'], { env });
    expect(o.requests[0]!.body.model).toBe('gpt-5.4-mini');
  });
});
