import { describe, expect, it } from 'vitest';
import { DmaError, UsageError } from '../../src/core/errors.ts';
import { MockAdapter } from '../../src/llm/adapters/mock.ts';
import { CONTEXT_CAP_BYTES } from '../../src/llm/context.ts';
import { createGateway } from '../../src/llm/gateway.ts';
import {
  buildPrompt,
  renderPrompt,
  runWorkflow,
  type WorkflowInvocation,
} from '../../src/llm/runtime.ts';
import type { DslRegistries } from '../../src/llm/dsl/types.ts';
import { audit, finding, registries } from '../helpers/llm-fixtures.ts';

const fast = () => createGateway({ retry: { initialDelayMs: 1, maxDelayMs: 2 } });

const narrate: WorkflowInvocation = {
  workflow: 'narrate-action',
  input: {
    action: 'I swing my sword at the orc',
    outcome: { hit: true, damage: 7, orcDead: true },
  },
};
const NO_CHANGE = { in_combat: false, enemies: [], combat_ended: false, enemy_attacks: [] };
const validNarration = {
  narrative:
    'Your blade bites deep and the orc staggers back. It crumples to the floor and does not rise.',
  game_state_updates: { in_combat: false, enemies: [], combat_ended: true, enemy_attacks: [] },
};

describe('runWorkflow with the mock adapter', () => {
  it('with nothing scripted, returns a deterministic schema-valid audit built from the input', async () => {
    const mock = new MockAdapter();
    const r = await runWorkflow(mock, audit, registries, { gateway: fast() });
    expect(r.status).toBe('completed');
    expect(r.output).toMatchObject({ riskLevel: 'high', findings: [finding], entityType: 'npc' });
    expect(r.steps.map((s) => `${s.type}:${s.status}`)).toEqual([
      'gate:passed',
      'gate:passed',
      'delegate:completed',
    ]);
    const again = await runWorkflow(new MockAdapter(), audit, registries, { gateway: fast() });
    expect(again.output).toEqual(r.output);
  });

  it('default explain and narrate answers pass their schemas and guardrails', async () => {
    const explain = await runWorkflow(
      new MockAdapter(),
      {
        workflow: 'explain-rule',
        input: {
          question: 'What is the THAC0 of a level 5 fighter',
          derivation: {
            result: 16,
            steps: [
              { description: 'Warriors improve by 1 per level', value: 16, source: 'PHB Table 53' },
            ],
          },
        },
      },
      registries,
    );
    expect(explain.status).toBe('completed');
    expect(explain.output).toMatchObject({ citations: ['PHB Table 53'] });
    const nar = await runWorkflow(new MockAdapter(), narrate, registries);
    expect(nar.status).toBe('completed');
    expect(nar.warnings).toEqual([]);
  });

  it('follows up with the validation errors when the output is invalid, then accepts the valid one', async () => {
    const mock = new MockAdapter().enqueue(
      { output: { summary: 'x', riskLevel: 'severe', findings: [] } },
      { output: { summary: 'ok', riskLevel: 'high', findings: [finding] } },
    );
    const r = await runWorkflow(mock, audit, registries, { gateway: fast() });
    expect(r.status).toBe('completed');
    const step = r.steps[2]!;
    expect(step).toMatchObject({ type: 'delegate', followUps: 1, retries: 0, calls: 2 });
    const followUp = mock.calls[1]!.messages;
    expect(followUp).toHaveLength(3);
    expect(followUp[1]!.role).toBe('assistant');
    expect(followUp[2]!.content).toContain(
      '/riskLevel: must be one of "low", "medium", "high", "critical"',
    );
  });

  it('non-JSON text gets a follow-up too', async () => {
    const mock = new MockAdapter().enqueue({ text: 'Sure! Here is the audit.' });
    const r = await runWorkflow(mock, audit, registries, { gateway: fast() });
    expect(r.status).toBe('completed');
    expect(mock.calls[1]!.messages[2]!.content).toContain('not JSON');
  });

  it('gives up after maxFollowUps and maxRetries with an LLM_ERROR', async () => {
    const bad = { output: { summary: 1 } };
    const mock = new MockAdapter().enqueue(...Array.from({ length: 10 }, () => bad));
    const r = await runWorkflow(mock, audit, registries, {
      gateway: fast(),
      maxFollowUps: 1,
      maxRetries: 1,
    });
    expect(r.status).toBe('error');
    expect(mock.calls).toHaveLength(4); // (1 + 1 follow-up) × (1 + 1 retry)
    expect(r.error).toBeInstanceOf(DmaError);
    expect(r.error?.exitCode).toBe(12);
    expect(r.error_message).toContain('still invalid after 1 follow-up(s) and 1 retry(ies)');
    // a retry starts a fresh conversation
    expect(mock.calls[2]!.messages).toHaveLength(1);
  });

  it('a gate that rejects stops the workflow before any model is asked', async () => {
    const mock = new MockAdapter();
    const r = await runWorkflow(
      mock,
      { workflow: 'audit-entity', input: { entityType: 'npc', entity: {}, rulesFindings: [] } },
      registries,
    );
    expect(r.status).toBe('gate_rejected');
    expect(r.steps).toEqual([
      expect.objectContaining({ id: 'entity-present', status: 'rejected' }),
    ]);
    expect(mock.calls).toHaveLength(0);
  });

  it('an input that fails its invocation schema is a UsageError, and an unknown workflow gets a did-you-mean', async () => {
    await expect(
      runWorkflow(
        new MockAdapter(),
        { workflow: 'narrate-action', input: { action: '' } },
        registries,
      ),
    ).rejects.toThrow(UsageError);
    await expect(
      runWorkflow(new MockAdapter(), { workflow: 'audit-entiy', input: {} }, registries),
    ).rejects.toThrow('did you mean "audit-entity"');
  });

  it('a blocking guardrail (digits in the narrative) triggers a follow-up naming the violation', async () => {
    const mock = new MockAdapter().enqueue(
      {
        output: {
          narrative: 'You hit the orc for 7 damage. It dies.',
          game_state_updates: NO_CHANGE,
        },
      },
      { output: validNarration },
    );
    const r = await runWorkflow(mock, narrate, registries, { gateway: fast() });
    expect(r.status).toBe('completed');
    const msg = mock.calls[1]!.messages[2]!.content;
    expect(msg).toContain('guardrail narrative-no-digits');
    expect(msg).toContain('found "7"');
  });

  it('rules terms are blocked; a warn guardrail keeps the output and reports a warning', async () => {
    const mock = new MockAdapter().enqueue(
      {
        output: {
          narrative: 'You beat its armor class and it loses hit points. It falls.',
          game_state_updates: NO_CHANGE,
        },
      },
      { output: { narrative: 'You strike true.', game_state_updates: NO_CHANGE } },
    );
    const r = await runWorkflow(mock, narrate, registries, { gateway: fast() });
    expect(mock.calls[1]!.messages[2]!.content).toContain('"hit points", "armor class"');
    expect(r.status).toBe('completed');
    expect(r.warnings.map((w) => w.guardrail)).toEqual(['narrative-two-to-four-sentences']);
  });

  it('an agent escalation ends the workflow as escalated', async () => {
    const mock = new MockAdapter().enqueue({
      output: { ...validNarration, escalation: { reason: 'a player character died' } },
    });
    const r = await runWorkflow(mock, narrate, registries);
    expect(r.status).toBe('escalated');
    expect(r.escalation_reason).toBe('a player character died');
    expect(r.output).toEqual(validNarration);
  });

  it('a refusal ends the run with a clear error', async () => {
    const mock = new MockAdapter().enqueue({ refusal: 'I cannot help with that.' });
    const r = await runWorkflow(mock, audit, registries);
    expect(r.status).toBe('error');
    expect(r.error?.code).toBe('LLM_ERROR');
    expect(r.error_message).toBe('the model refused the request: I cannot help with that.');
    expect(mock.calls).toHaveLength(1);
  });

  it('calls the hooks in order', async () => {
    const seen: string[] = [];
    await runWorkflow(new MockAdapter(), audit, registries, {
      hooks: {
        beforeWorkflow: (id) => void seen.push(`beforeWorkflow:${id}`),
        beforeTask: (id) => void seen.push(`beforeTask:${id}`),
        afterTask: (id, s) => void seen.push(`afterTask:${id}:${s.status}`),
        afterWorkflow: (id, r) => void seen.push(`afterWorkflow:${id}:${r.status}`),
      },
    });
    expect(seen).toEqual([
      'beforeWorkflow:audit-entity',
      'beforeTask:audit-entity',
      'afterTask:audit-entity:completed',
      'afterWorkflow:audit-entity:completed',
    ]);
  });
});

describe('caller predicates in gates', () => {
  // the DSL's workflows use declarative conditions; a gate may instead name a predicate
  const withPredicate: DslRegistries = structuredClone(registries);
  withPredicate.workflowRegistry['narrate-action']!.steps.unshift({
    id: 'not-in-combat-log-replay',
    type: 'gate',
    description: 'narration is off while replaying',
    predicate: 'live-session',
  });

  it('runs the registered predicate before any model call', async () => {
    const mock = new MockAdapter();
    const rejected = await runWorkflow(mock, narrate, withPredicate, {
      predicates: { 'live-session': () => ({ ok: false, reason: 'replaying the log' }) },
    });
    expect(rejected.status).toBe('gate_rejected');
    expect(rejected.error_message).toContain('replaying the log');
    expect(mock.calls).toHaveLength(0);
    const passed = await runWorkflow(mock, narrate, withPredicate, {
      predicates: { 'live-session': () => true },
    });
    expect(passed.status).toBe('completed');
    expect(mock.calls).toHaveLength(1);
  });

  it('an unregistered predicate is a usage error, not a silent pass', async () => {
    await expect(runWorkflow(new MockAdapter(), narrate, withPredicate)).rejects.toThrow(
      'needs the predicate "live-session"',
    );
  });
});

describe('buildPrompt', () => {
  it('renderPrompt prints system then user, for --show-prompt', () => {
    const p = buildPrompt(registries, narrate);
    const text = renderPrompt(p);
    expect(text.indexOf('=== system ===')).toBe(0);
    expect(text.indexOf('=== user ===')).toBeGreaterThan(text.indexOf('You are the Narrator'));
    expect(text).toContain('I swing my sword at the orc');
  });

  it('puts the static rubric in system and the input last in user', () => {
    const p = buildPrompt(registries, audit);
    expect(p.system).toContain('You are the Rules Auditor');
    expect(p.system).toContain('R-AUD-001 (mandatory)');
    expect(p.system).not.toContain('Elara');
    expect(p.user.startsWith('# Request')).toBe(true);
    expect(p.user).toContain('"name": "Elara"');
    expect(
      p.user.trimEnd().endsWith('Return the audit-result JSON object for this input now.'),
    ).toBe(true);
    const other = buildPrompt(registries, {
      ...audit,
      input: { entityType: 'pc', entity: { name: 'Bob' }, rulesFindings: [] },
    });
    expect(other.system).toBe(p.system); // identical prefix → provider prompt caching works
  });

  it('caps the context at 16 KB and marks the truncation', () => {
    const big = {
      entityType: 'dungeon',
      entity: {
        rooms: Array.from({ length: 2000 }, (_, i) => ({
          id: i,
          text: 'a damp room with ünïcödé moss '.repeat(2),
        })),
      },
      rulesFindings: [],
    };
    const p = buildPrompt(registries, { workflow: 'audit-entity', input: big });
    expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(3 * CONTEXT_CAP_BYTES);
    expect(p.truncated).toBe(true);
    expect(p.contextBytes).toBeLessThanOrEqual(CONTEXT_CAP_BYTES);
    expect(p.contextBytes).toBeGreaterThan(CONTEXT_CAP_BYTES - 200); // uses the budget, not a tiny slice
    expect(p.user).toMatch(/\[truncated: the input was cut to \d+ of \d+ bytes/);
    expect(p.user).not.toContain('\uFFFD'); // no character split in half
    const small = buildPrompt(registries, audit);
    expect(small.truncated).toBe(false);
    expect(small.user).not.toContain('[truncated');
  });

  it('makes no model call', () => {
    const mock = new MockAdapter();
    buildPrompt(registries, narrate);
    expect(mock.calls).toHaveLength(0);
  });
});
