/**
 * `dma explain` never prints prose that disagrees with the derivation (issue 14): a fake
 * provider that answers "THAC0 16" for a level-6 fighter (derived: 15) gets a follow-up
 * naming the discrepancy, and when it insists the command exits 12 with nothing on stdout.
 * A provider that gets it right is printed; every lookup topic is explainable offline.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { dma, scratchEnv } from '../helpers/dma.ts';
import { openaiReply, startFakeServer, type FakeServer } from '../helpers/fake-llm-server.ts';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const json = (s: string) => JSON.parse(s) as Record<string, any>;
const FAKE_OPENAI_KEY = 'sk-test-FAKE-openai-0123456789';

let servers: FakeServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

const explanation = (text: string) =>
  openaiReply(JSON.stringify({ explanation: text, citations: ['PHB Table 53'] }));
const userMessages = (body: Record<string, unknown>) =>
  (body['messages'] as { role: string; content: string }[])
    .filter((m) => m.role === 'user')
    .map((m) => m.content);

describe('dma explain: the prose must agree with the derivation', () => {
  it('a provider insisting on "THAC0 16" for a level-6 fighter (derived 15): follow-up, then exit 12', async () => {
    const s = await startFakeServer(() =>
      explanation('A 6th-level fighter is a warrior, so his THAC0 is 16 (PHB Table 53).'),
    );
    servers.push(s);
    const env = scratchEnv({ OPENAI_API_KEY: FAKE_OPENAI_KEY });
    const r = await dma(
      ['explain', 'thac0', 'fighter', '6', '--adapter', 'openai', '--base-url', `${s.url}/v1`],
      { env },
    );
    expect(r.exitCode).toBe(12);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('16');
    expect(JSON.parse(r.stderr.trim().split('\n').pop()!).error.code).toBe('LLM_ERROR');
    // the first answer was followed up with the discrepancy, not accepted
    expect(s.requests.length).toBeGreaterThanOrEqual(2);
    const followUp = userMessages(s.requests[1]!.body).at(-1)!;
    expect(followUp).toContain('states 16');
    expect(followUp).toContain('not among the derivation');
    expect(followUp).toContain('15');
    // and nothing was cached: a rerun asks again
    const again = await dma(
      ['explain', 'thac0', 'fighter', '6', '--adapter', 'openai', '--base-url', `${s.url}/v1`],
      { env },
    );
    expect(again.exitCode).toBe(12);
  });

  it('a provider that corrects itself after the follow-up is printed', async () => {
    const s = await startFakeServer(() =>
      explanation('A 6th-level fighter uses the warrior row of PHB Table 53: THAC0 15.'),
    );
    servers.push(s);
    s.enqueue(explanation('THAC0 16 for a level 6 fighter.'));
    const env = scratchEnv({ OPENAI_API_KEY: FAKE_OPENAI_KEY });
    const r = await dma(
      ['explain', 'thac0', 'fighter', '6', '--adapter', 'openai', '--base-url', `${s.url}/v1`],
      { env },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc.result).toBe(15);
    expect(doc.explanation).toContain('THAC0 15');
    expect(doc.llm.calls).toBe(2);
    expect(s.requests).toHaveLength(2);
  });

  it('a provider that leaves the result out, or spells a wrong number in words, is followed up', async () => {
    const s = await startFakeServer(() => explanation('THAC0 fifteen, PHB Table 53, level 6.'));
    servers.push(s);
    s.enqueue(
      explanation('A level 6 warrior: see PHB Table 53.'),
      explanation('A sixth-level fighter has a THAC0 of sixteen (PHB Table 53), i.e. 15.'),
    );
    const env = scratchEnv({ OPENAI_API_KEY: FAKE_OPENAI_KEY });
    const r = await dma(
      ['explain', 'thac0', 'fighter', '6', '--adapter', 'openai', '--base-url', `${s.url}/v1`],
      { env },
    );
    // 1: no 15; 2: "sixteen"; 3: "fifteen" but not in digits
    expect(r.exitCode).toBe(12);
    const followUps = s.requests.slice(1).map((q) => userMessages(q.body).at(-1)!);
    expect(followUps[0]).toContain('does not state the derived result');
    expect(followUps[1]).toContain('states 16');
  });
});

describe('dma explain: every lookup topic (mock adapter)', () => {
  it.each([
    [['xp', 'mage', '--level', '7'], 60000, 'PHB Table 20'],
    [['xp', 'fighter', '20000'], 5, 'PHB Table 14'],
    [['turn', '5', 'ghoul'], 4, 'PHB Table 61'],
    [['spells', 'cleric', '7', '--wis', '17'], [5, 5, 3, 1], 'PHB Table 24'],
    [['thac0', 'fighter', '6'], 15, 'PHB Table 53'],
    [['save', 'cleric', '7', '--vs', 'spell'], 12, 'PHB Table 60'],
  ] as const)('dma explain %j → %j citing %s', async (args, result, source) => {
    const r = await dma(['explain', ...args]);
    expect(r.exitCode, r.stderr).toBe(0);
    const doc = json(r.stdout);
    expect(doc.result).toEqual(result);
    expect(doc.citations.join('; ')).toContain(source);
  });

  it('thief skills and monsters', async () => {
    const skills = json((await dma(['explain', 'thief-skills', '5', '--race', 'halfling'])).stdout);
    expect(skills.result['Pick Pockets']).toBe(50);
    expect(skills.citations.join('; ')).toMatch(/PHB Table 26.*PHB Table 27/);
    const bugbear = await dma(['explain', 'monster', 'bugbear', '--report-format', 'text']);
    expect(bugbear.exitCode, bugbear.stderr).toBe(0);
    expect(bugbear.stdout).toContain('why is its THAC0 17');
    expect(bugbear.stdout).toMatch(/DMG Table 39|Table 39/);
    const typo = await dma(['explain', 'monster', 'bugbaer', '--report-format', 'text']);
    expect(typo.exitCode).toBe(3);
    expect(typo.stderr).toContain('did you mean "bugbear"');
  });
});
