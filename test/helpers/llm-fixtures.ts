/** The DSL registries and an audit invocation shared by the LLM runtime and SDK tests. */
import { loadDsl } from '../../src/llm/dsl/loader.ts';
import type { WorkflowInvocation } from '../../src/llm/index.ts';

export const registries = loadDsl(new URL('../..', import.meta.url).pathname);

export const finding = {
  id: 'R-NPC-001',
  severity: 'error',
  category: 'rules-legality',
  target: 'level',
  message: 'a mage cannot be level 21',
};

export const audit: WorkflowInvocation = {
  workflow: 'audit-entity',
  input: {
    entityType: 'npc',
    entity: { name: 'Elara', class: 'mage', level: 21 },
    rulesFindings: [finding],
  },
};
