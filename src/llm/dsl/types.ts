/** The validated, resolved DSL registries that runWorkflow() works from. */
import type { z } from 'zod';
import type {
  AgentSchema,
  GateConditionSchema,
  GuardrailPolicySchema,
  GuardrailSchema,
  TaskSchema,
  WorkflowSchema,
} from './schema.ts';

export type JsonSchema = Record<string, unknown>;
export type AgentDef = z.infer<typeof AgentSchema> & { id: string };
export type TaskDef = z.infer<typeof TaskSchema> & { id: string };
export type WorkflowDef = z.infer<typeof WorkflowSchema> & { id: string };
export type WorkflowStepDef = WorkflowDef['steps'][number];
export type GateCondition = z.infer<typeof GateConditionSchema>;
export type GuardrailDef = z.infer<typeof GuardrailSchema> & { id: string };
export type GuardrailPolicyDef = z.infer<typeof GuardrailPolicySchema> & { id: string };

/** A handoff type after `$ref` and `extends` resolution. */
export interface HandoffTypeDef {
  id: string;
  version: 1;
  description: string;
  /** `extends` chain, nearest first (e.g. ["agent-audit-result"]). */
  extends: string[];
  /** Properties the caller fills after the model answers (removed from `modelSchema`). */
  caller_fills: string[];
  /** The full schema: what a finished result (with caller-filled fields) validates against. */
  schema: JsonSchema;
  /** The schema the model is given and its output is validated against. */
  modelSchema: JsonSchema;
}

export interface DslRegistries {
  version: 1;
  system: { id: string; name: string; description?: string | undefined };
  /** Hash of the registries: part of every cache key, so a DSL change invalidates the cache. */
  templateVersion: string;
  agentRegistry: Record<string, AgentDef>;
  taskRegistry: Record<string, TaskDef>;
  workflowRegistry: Record<string, WorkflowDef>;
  handoffSchemas: Record<string, HandoffTypeDef>;
  guardrailRegistry: Record<string, GuardrailDef>;
  guardrailPolicies: Record<string, GuardrailPolicyDef>;
}
