/**
 * The LLM commands end to end (issue #7): dma audit, dma explain, dma llm logs|usage|cache
 * clear and doctor's adapter lines, spawning the built binary. Providers are the fake servers
 * of test/helpers/fake-llm-server.ts on 127.0.0.1 with fake keys: no internet, no real key.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dma, repoRoot, scratchEnv } from '../helpers/dma.ts';
import {
  anthropicToolReply,
  openaiError,
  openaiReply,
  startFakeServer,
  type FakeServer,
} from '../helpers/fake-llm-server.ts';

const BROKEN = 'examples/npc-broken.json';
const LEGAL = 'examples/npc-legal.yaml';
const FAKE_OPENAI_KEY = 'sk-test-FAKE-openai-0123456789';
const FAKE_ANTHROPIC_KEY = 'sk-ant-test-FAKE-0123456789';

/** A model answer for the audit of the legal NPC: one semantic finding of its own. */
const modelAudit = {
  summary: 'A plausible dwarf veteran; the rules check found nothing.',
  riskLevel: 'low',
  findings: [
    {
      id: 'M-001',
      severity: 'info',
      category: 'plausibility',
      target: 'abilities.cha',
      message: 'Charisma 8 fits a gruff veteran; play him curt.',
    },
  ],
};

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function server(fallback: Parameters<typeof startFakeServer>[0]): Promise<FakeServer> {
  const s = await startFakeServer(fallback);
  servers.push(s);
  return s;
}

const json = (stdout: string) => JSON.parse(stdout) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('dma audit (mock adapter: offline, deterministic)', () => {
  it('finds the errors of a deliberately broken NPC and exits 10', async () => {
    const r = await dma(['audit', BROKEN]);
    expect(r.exitCode, r.stderr).toBe(10);
    const doc = json(r.stdout); // json is the default report format of LLM commands
    expect(doc.schema_version).toBe('1.0');
    expect(doc.passed).toBe(false);
    expect(doc.riskLevel).toBe('high');
    const targets = doc.findings.map((f: { target: string }) => f.target);
    for (const field of ['race', 'alignment', 'abilities.str', 'hit_points', 'thac0'])
      expect(targets).toContain(field);
    expect(doc.findings.every((f: { origin: string }) => f.origin === 'rules')).toBe(true);
    expect(doc.metadata).toMatchObject({ tool: 'dma', command: 'audit', adapter: 'mock' });
  });

  it('passes a legal NPC (exit 0); --fail-on decides exit 10 for warnings', async () => {
    const ok = await dma(['audit', LEGAL, '--report-format', 'text']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/no findings/);
    const dungeon = 'examples/dungeon-level3.json';
    expect((await dma(['audit', dungeon, '--fail-on', 'critical'])).exitCode).toBe(0);
    const strict = await dma(['audit', dungeon, '--fail-on', 'warning', '--report-format', 'text']);
    expect(strict.exitCode).toBe(10);
    // two rooms above the XP budget of a level-1 party: 6 bombardier beetles and 8 stirges
    expect(strict.stdout).toMatch(/ERROR \(2\)[\s\S]*R1 \[balance\][\s\S]*R4 \[balance\]/);
  });

  it('exit 3 for an unreadable file, 4 for an unknown entity', async () => {
    expect((await dma(['audit', 'examples/no-such-file.json'])).exitCode).toBe(3);
    const r = await dma(['audit', 'Nobody Here']);
    expect(r.exitCode).toBe(4);
    expect(JSON.parse(r.stderr.trim()).error.code).toBe('NOT_FOUND');
  });

  it('logs the call, caches the answer; llm logs/usage/cache clear read and empty them', async () => {
    const env = scratchEnv();
    const first = json((await dma(['audit', LEGAL], { env })).stdout);
    const second = json((await dma(['audit', LEGAL], { env })).stdout);
    expect([first.llm.cached, second.llm.cached]).toEqual([false, true]);
    const logs = json((await dma(['llm', 'logs', '--json'], { env })).stdout);
    expect(logs.calls.map((c: { status: string }) => c.status)).toEqual(['cached', 'ok']);
    expect(logs.calls[1].workflowId).toBe('audit-entity');
    const usage = json((await dma(['llm', 'usage', '--by', 'adapter', '--json'], { env })).stdout);
    expect(usage.rows).toEqual([
      expect.objectContaining({ key: 'mock', calls: 2, cachedCalls: 1 }),
    ]);
    expect((await dma(['llm', 'cache', 'clear'], { env })).exitCode).toBe(3); // no --yes, no TTY
    const cleared = json((await dma(['llm', 'cache', 'clear', '--yes', '--json'], { env })).stdout);
    expect(cleared).toMatchObject({ removed: 1, dry_run: false });
    // --no-log and --dry-run write nothing
    await dma(['audit', LEGAL, '--no-log'], { env });
    await dma(['audit', LEGAL, '--dry-run'], { env });
    expect(json((await dma(['llm', 'logs', '--json'], { env })).stdout).calls).toHaveLength(2);
  });

  it('--show-prompt prints the prompt and writes nothing, not even the database file', async () => {
    const env = scratchEnv();
    const r = await dma(['audit', BROKEN, '--show-prompt'], { env });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toMatch(/^=== system ===\n/);
    expect(r.stdout).toContain('"rulesFindings"');
    expect(existsSync(env.DMA_DB!)).toBe(false);
    const doc = json((await dma(['audit', BROKEN, '--show-prompt', '--json'], { env })).stdout);
    expect(doc.prompt).toMatchObject({ workflow: 'audit-entity', task: 'audit-entity' });
    expect(doc.prompt.text).toBeUndefined();
  });

  it('-o writes the report to a file and keeps the exit code', async () => {
    const env = scratchEnv();
    const file = join(env.HOME!, 'report.txt');
    const r = await dma(['audit', BROKEN, '-o', file, '--report-format', 'text'], { env });
    expect(r.exitCode).toBe(10);
    expect(r.stdout).toBe('');
    expect(readFileSync(file, 'utf8')).toMatch(/^Audit of npc "Velra the Impossible"/);
  });

  it('audits a stored npc by name, from stdin, and refuses other entity types', async () => {
    const env = scratchEnv();
    const data = readFileSync(join(repoRoot, BROKEN), 'utf8');
    const { name: _n, ...npc } = JSON.parse(data) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    delete npc.abilities.str_exceptional; // the store's schema refuses that one at the door
    const made = await dma(
      ['entity', 'create', '--type', 'npc', '--name', 'Velra', '--data', JSON.stringify(npc)],
      {
        env,
      },
    );
    expect(made.exitCode, made.stderr).toBe(0);
    const stored = await dma(['audit', 'Velra'], { env });
    expect(stored.exitCode).toBe(10);
    expect(json(stored.stdout).target).toMatchObject({ source: 'database', name: 'Velra' });
    const piped = await dma(['audit', '-'], { env, input: data });
    expect(piped.exitCode).toBe(10);
    await dma(
      ['entity', 'create', '--type', 'note', '--name', 'A note', '--data', '{"text":"x"}'],
      { env },
    );
    expect((await dma(['audit', 'A note'], { env })).exitCode).toBe(3);
  });
});

describe('dma audit with real SDKs against fake providers', () => {
  it('openai --base-url: merges the model finding, logs the call, never stores the key', async () => {
    const s = await server(() => openaiReply(JSON.stringify(modelAudit)));
    const env = scratchEnv({ OPENAI_API_KEY: FAKE_OPENAI_KEY });
    const r = await dma(['audit', LEGAL, '--adapter', 'openai', '--base-url', `${s.url}/v1`], {
      env,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/asking openai\/.+ \(audit-entity\)/); // announced on stderr
    const doc = json(r.stdout);
    expect(doc.findings).toEqual([expect.objectContaining({ id: 'M-001', origin: 'model' })]);
    expect(doc.metadata).toMatchObject({ adapter: 'openai' });
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.url).toBe('/v1/chat/completions');
    expect(s.requests[0]!.headers.authorization).toBe(`Bearer ${FAKE_OPENAI_KEY}`);
    const logs = json((await dma(['llm', 'logs', '--json'], { env })).stdout);
    expect(logs.calls[0]).toMatchObject({ adapter: 'openai', status: 'ok', tokensIn: 150 });
    // the key reached the server, but not the database (nor its WAL)
    for (const f of [env.DMA_DB!, `${env.DMA_DB!}-wal`]) {
      if (existsSync(f)) expect(readFileSync(f).includes(FAKE_OPENAI_KEY)).toBe(false);
    }
    // -q silences the announcement, never the data
    const quiet = await dma(
      ['audit', LEGAL, '-q', '--no-cache', '--adapter', 'openai', '--base-url', `${s.url}/v1`],
      { env },
    );
    expect(quiet.stderr).toBe('');
    expect(json(quiet.stdout).findings).toHaveLength(1);
  });

  it('anthropic with ANTHROPIC_BASE_URL: a forced tool call answers the audit', async () => {
    const s = await server(() => anthropicToolReply(modelAudit));
    const env = scratchEnv({ ANTHROPIC_API_KEY: FAKE_ANTHROPIC_KEY, ANTHROPIC_BASE_URL: s.url });
    const r = await dma(['audit', LEGAL, '--adapter', 'claude'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(json(r.stdout).metadata.adapter).toBe('anthropic');
    expect(s.requests).toHaveLength(1);
    expect(s.requests[0]!.url).toBe('/v1/messages');
    expect(JSON.stringify(s.requests[0]!.headers)).toContain(FAKE_ANTHROPIC_KEY);
    const db = readFileSync(env.DMA_DB!);
    expect(db.includes(FAKE_ANTHROPIC_KEY)).toBe(false);
  });

  it('--show-prompt makes no call: the server sees zero requests', async () => {
    const s = await server(() => openaiReply(JSON.stringify(modelAudit)));
    const env = scratchEnv({ OPENAI_API_KEY: FAKE_OPENAI_KEY });
    const args = ['--adapter', 'openai', '--base-url', `${s.url}/v1`, '--show-prompt'];
    expect((await dma(['audit', BROKEN, ...args], { env })).exitCode).toBe(0);
    expect((await dma(['explain', 'thac0', 'fighter', '5', ...args], { env })).exitCode).toBe(0);
    expect(s.requests).toHaveLength(0);
    expect(existsSync(env.DMA_DB!)).toBe(false);
  });

  it('exit 12: a provider failing after retries (the gateway retries, then gives up)', async () => {
    const s = await server(() => openaiError(500));
    const env = scratchEnv();
    const r = await dma(['audit', LEGAL, '--adapter', 'openai', '--base-url', `${s.url}/v1`], {
      env,
    });
    expect(r.exitCode).toBe(12);
    expect(JSON.parse(r.stderr.trim().split('\n').pop()!).error.code).toBe('LLM_ERROR');
    expect(s.requests).toHaveLength(3);
    const logs = json((await dma(['llm', 'logs', '--json'], { env })).stdout);
    expect(logs.calls.map((c: { status: string }) => c.status)).toEqual([
      'error',
      'error',
      'error',
    ]);
  });

  it('exit 12: a missing API key, checked before any call', async () => {
    const r = await dma(['audit', LEGAL, '--adapter', 'anthropic', '--report-format', 'text']);
    expect(r.exitCode).toBe(12);
    expect(r.stderr).toMatch(/ANTHROPIC_API_KEY is not set/);
  });

  it('exit 11: the SDK is not installed (DMA_TEST_HIDE_SDK hides it)', async () => {
    const env = scratchEnv({ DMA_TEST_HIDE_SDK: 'openai', OPENAI_API_KEY: FAKE_OPENAI_KEY });
    const r = await dma(['audit', LEGAL, '--adapter', 'openai'], { env });
    expect(r.exitCode).toBe(11);
    expect(JSON.parse(r.stderr.trim()).error.code).toBe('SDK_MISSING');
    const e = await dma(['explain', 'thac0', 'fighter', '5', '--adapter', 'openai'], { env });
    expect(e.exitCode).toBe(11);
  });
});

describe('dma explain', () => {
  it('explains a rules answer with its table citation (mock prose)', async () => {
    const r = await dma(['explain', 'thac0', 'fighter', '5', '--report-format', 'text']);
    expect(r.exitCode, r.stderr).toBe(0);
    // text: the question, then the derivation's numbered steps with their sources
    expect(r.stdout).toMatch(
      /give 16\?\n\n 1\. Looked up the thac0 table at warrior, level 5 \[PHB Table 53\]/,
    );
    // the (mock) prose is in the JSON document
    const doc = json((await dma(['explain', 'thac0', 'fighter', '5'])).stdout);
    expect(doc.explanation).toMatch(/give 16\?.*PHB Table 53.*Result: 16\./);
    const save = json((await dma(['explain', 'save', 'cleric', '7', '--vs', 'spell'])).stdout);
    expect(save.result).toBe(12);
    expect(save.citations.join(' ')).toMatch(/PHB Table 60/);
    const hit = json(
      (await dma(['explain', 'to-hit', 'fighter', '5', '--ac', '4', '--str', '18/76'])).stdout,
    );
    expect(hit.result).toBe(10);
  });

  it('exit 3 for bad rules input, 4 for an unknown entity', async () => {
    expect((await dma(['explain', 'thac0', 'fightr', '5'])).exitCode).toBe(3);
    expect((await dma(['explain', 'to-hit', 'fighter', '5'])).exitCode).toBe(3); // --ac missing
    expect((await dma(['explain', 'Nobody'])).exitCode).toBe(4);
  });

  it('explains a stored NPC from its roll log and the tables behind its numbers', async () => {
    const env = scratchEnv();
    const npc = {
      class: 'fighter',
      level: 3,
      race: 'human',
      hit_points: 22,
      abilities: { str: 16, dex: 12, con: 14, int: 10, wis: 9, cha: 11 },
      roll_log: [
        { step: 'hit points', dice: '3d10', rolls: [8, 7, 7], result: 22, source: 'PHB Table 14' },
      ],
    };
    await dma(
      ['entity', 'create', '--type', 'npc', '--name', 'Aldric', '--data', JSON.stringify(npc)],
      { env },
    );
    const r = await dma(['explain', 'Aldric'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc.subject).toMatchObject({ kind: 'entity', name: 'Aldric' });
    const steps = doc.derivation.steps.map((s: { description: string }) => s.description);
    expect(steps[0]).toMatch(/^rolled hit points \(3d10: 8, 7, 7\)/);
    expect(steps.join('\n')).toMatch(/THAC0 18/);
    expect(doc.citations).toContain('PHB Table 53');
  });
});

describe('dma doctor: one line per adapter', () => {
  it('reports SDKs and whether key variables are set, never their values', async () => {
    const env = scratchEnv({
      OPENAI_API_KEY: FAKE_OPENAI_KEY,
      DMA_TEST_HIDE_SDK: '@anthropic-ai/sdk',
    });
    const r = await dma(['doctor', '--json'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).not.toContain(FAKE_OPENAI_KEY);
    const checks = Object.fromEntries(
      json(r.stdout).checks.map((c: { name: string }) => [c.name, c]),
    );
    expect(checks['adapter mock']).toMatchObject({ status: 'ok' });
    expect(checks['adapter openai']).toMatchObject({ status: 'ok' });
    expect(checks['adapter openai'].detail).toMatch(/OPENAI_API_KEY set/);
    expect(checks['adapter anthropic']).toMatchObject({ status: 'warn' });
    expect(checks['adapter anthropic'].detail).toMatch(/not installed.*ANTHROPIC_API_KEY not set/);
  });
});

describe('non-LLM commands never load an LLM SDK', () => {
  it('records SDK resolution with a loader hook: thac0, entity list and doctor load none', async () => {
    const env = scratchEnv();
    const log = join(env.HOME!, 'sdk.log');
    const preload = join(env.HOME!, 'record-sdk.mjs');
    const hook = `
      import { appendFileSync } from 'node:fs';
      const SDK = /^(openai|@anthropic-ai\\/sdk)(\\/|$)/;
      export async function resolve(specifier, context, next) {
        if (SDK.test(specifier)) appendFileSync(process.env.SDK_LOG, specifier + '\\n');
        return next(specifier, context);
      }`;
    writeFileSync(
      preload,
      `import { register } from 'node:module';
       import Module from 'node:module';
       import { appendFileSync } from 'node:fs';
       register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(hook)}));
       const load = Module._load;
       Module._load = function (request, ...rest) {
         if (/^(openai|@anthropic-ai\\/sdk)(\\/|$)/.test(request)) appendFileSync(process.env.SDK_LOG, request + '\\n');
         return load.call(this, request, ...rest);
       };`,
    );
    const withHook = { ...env, SDK_LOG: log, NODE_OPTIONS: `--import ${preload}` };
    const sdkLoads = () => (existsSync(log) ? readFileSync(log, 'utf8').trim() : '');
    expect((await dma(['thac0', 'fighter', '5'], { env: withHook })).stdout.trim()).toBe('16');
    expect((await dma(['entity', 'list'], { env: withHook })).exitCode).toBe(0);
    expect((await dma(['audit', LEGAL], { env: withHook })).exitCode).toBe(0); // mock: no SDK
    // doctor resolves the SDKs' package.json to report them installed, never imports them
    expect((await dma(['doctor'], { env: withHook })).exitCode).toBe(0);
    expect(sdkLoads()).toBe('');
    // the hook works: an adapter that needs its SDK imports it
    await dma(['audit', LEGAL, '--adapter', 'openai'], { env: withHook });
    expect(sdkLoads()).toMatch(/openai/);
  });

  it('no bundle imports an SDK statically (adapters import them by name, at call time)', () => {
    const sdk = /(require\(|import\(|from )\s*["'](openai|@anthropic-ai\/sdk)["']/;
    expect(readFileSync(join(repoRoot, 'dist', 'dma.cjs'), 'utf8')).not.toMatch(sdk);
    for (const f of readdirSync(join(repoRoot, 'dist', 'full')))
      expect(readFileSync(join(repoRoot, 'dist', 'full', f), 'utf8'), f).not.toMatch(sdk);
  });
});
