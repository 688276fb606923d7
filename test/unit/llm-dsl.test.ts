import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DmaError } from '../../src/core/errors.ts';
import { compileDsl, loadDsl } from '../../src/llm/dsl/loader.ts';
import { dslRegistries } from '../../src/generated/dsl/registry.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const tmpDirs: string[] = [];

/** A copy of dsl/ in a temp folder, with `edit` applied to one file's text. */
function dslCopy(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'dma-dsl-'));
  tmpDirs.push(dir);
  cpSync(join(ROOT, 'dsl'), join(dir, 'dsl'), { recursive: true });
  const path = join(dir, 'dsl', file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before); // the edit must apply, or the test proves nothing
  writeFileSync(path, after);
  return dir;
}

function loadError(dir: string): DmaError {
  try {
    loadDsl(dir);
  } catch (e) {
    expect(e).toBeInstanceOf(DmaError);
    return e as DmaError;
  }
  throw new Error('loadDsl did not throw');
}

afterEach(() => {
  for (const d of tmpDirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('loadDsl on the real dsl/', () => {
  const r = loadDsl(ROOT);

  it('has the three agents and workflows with their $refs resolved', () => {
    expect(Object.keys(r.agentRegistry).sort()).toEqual(['auditor', 'explainer', 'narrator']);
    expect(Object.keys(r.workflowRegistry).sort()).toEqual([
      'audit-entity',
      'explain-rule',
      'narrate-action',
    ]);
    expect(r.agentRegistry.auditor?.rules[0]?.id).toBe('R-AUD-001');
    expect(r.taskRegistry['narrate-action']?.target_agent).toBe('narrator');
  });

  it('inlines JSON Schema $refs and merges extends into audit-result', () => {
    const audit = r.handoffSchemas['audit-result']!;
    expect(audit.extends).toEqual(['agent-audit-result']);
    expect(JSON.stringify(audit.schema)).not.toContain('$ref');
    const props = audit.schema.properties as Record<string, unknown>;
    expect(Object.keys(props)).toEqual(
      expect.arrayContaining([
        'summary',
        'riskLevel',
        'findings',
        'recommendedActions',
        'metadata',
        'entityType',
      ]),
    );
    // metadata is filled by the CLI: not in what the model sees; escalation is added for it
    const modelProps = audit.modelSchema.properties as Record<string, unknown>;
    expect(modelProps.metadata).toBeUndefined();
    expect(modelProps.escalation).toBeDefined();
    expect(audit.schema.required).toEqual(['summary', 'riskLevel', 'findings']);
  });

  it('the committed generated registry is up to date', () => {
    const onDisk = readFileSync(join(ROOT, 'src/generated/dsl/registry.ts'), 'utf8');
    expect(compileDsl(ROOT)).toBe(onDisk);
    expect(dslRegistries.templateVersion).toBe(r.templateVersion);
  });
});

describe('loadDsl errors', () => {
  it('a misspelt key is an error with a did-you-mean, naming the file', () => {
    const dir = dslCopy('agents/auditor.yaml', (t) => t.replace('role_name:', 'role_nmae:'));
    const e = loadError(dir);
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.exitCode).toBe(3);
    expect(e.message).toContain('agents/auditor.yaml');
    expect(e.message).toContain('unknown key "role_nmae" — did you mean "role_name"?');
  });

  it('a misspelt key in a task is reported, not silently dropped', () => {
    const dir = dslCopy('tasks.yaml', (t) =>
      t.replace(
        '  completion_criteria:\n    - The result validates against explanation.',
        '  completion_critera:\n    - The result validates against explanation.',
      ),
    );
    const e = loadError(dir);
    expect(e.message).toContain('did you mean "completion_criteria"');
  });

  it('a task naming an unknown agent is an error', () => {
    const dir = dslCopy('tasks.yaml', (t) =>
      t.replace('target_agent: narrator', 'target_agent: narator'),
    );
    const e = loadError(dir);
    expect(e.message).toContain(
      'tasks.narrate-action.target_agent: unknown agent "narator" — did you mean "narrator"?',
    );
  });

  it('a task naming an unknown handoff type is an error', () => {
    const dir = dslCopy('tasks.yaml', (t) =>
      t.replace('result_handoff: explanation', 'result_handoff: explanations'),
    );
    expect(loadError(dir).message).toContain('unknown handoff type "explanations"');
  });

  it('a workflow step naming an unknown task is an error', () => {
    const dir = dslCopy('workflows.yaml', (t) =>
      t.replace('task: explain-rule', 'task: explain-rules'),
    );
    expect(loadError(dir).message).toContain('unknown task "explain-rules"');
  });

  it('a $ref to a missing file is an error', () => {
    const dir = dslCopy('dma-dsl.yaml', (t) =>
      t.replace('./agents/narrator.yaml', './agents/narrater.yaml'),
    );
    expect(loadError(dir).message).toContain('cannot read agents/narrater.yaml');
  });

  it('a circular $ref is an error, not a stack overflow', () => {
    const dir = dslCopy('tasks.yaml', (t) => `${t}\nloop:\n  $ref: '#/loop'\n`);
    expect(loadError(dir).message).toContain('circular $ref "#/loop"');
  });

  it('a guardrail field that the result type lacks is an error', () => {
    const dir = dslCopy('guardrails.yaml', (t) =>
      t.replace('field: narrative\n    pattern: "[0-9]"', 'field: narative\n    pattern: "[0-9]"'),
    );
    expect(loadError(dir).message).toContain('"narative" is not a property of "narration"');
  });

  it('an invalid JSON Schema in a handoff type is an error', () => {
    const dir = dslCopy('handoff-types.yaml', (t) =>
      t.replace('explanation: { type: string, minLength: 1 }', 'explanation: { type: text }'),
    );
    expect(loadError(dir).message).toContain('not a valid JSON Schema');
  });
});
