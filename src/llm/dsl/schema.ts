/**
 * Zod schemas of the agent DSL files (dsl/). Every object is strict: a misspelt key is an
 * error that names the closest known key, never a silently empty registry.
 */
import { z } from 'zod';
import { didYouMean } from '../../core/suggest.ts';

function strict<S extends z.ZodRawShape>(shape: S) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((k) => `unknown key "${k}"${didYouMean(k, known)}`).join('; ')
        : undefined,
  });
}

const id = z.string().regex(/^[a-z][a-z0-9-]*$/, 'ids are lower-case kebab-case');
const text = z.string().min(1);

export const AgentRuleSchema = strict({
  id: z.string().regex(/^R-[A-Z]+-\d{3}$/, 'rule ids look like R-AUD-001'),
  description: text,
  severity: z.enum(['mandatory', 'recommended']),
});

export const EscalationCriterionSchema = strict({
  condition: text,
  action: z.enum(['escalate', 'stop_and_report']),
});

export const AgentSchema = strict({
  role_name: text,
  purpose: text,
  mode: z.enum(['read-only', 'read-write']),
  can_read_artifacts: z.array(z.string()),
  can_write_artifacts: z.array(z.string()),
  can_invoke_agents: z.array(id).optional(),
  can_return_handoffs: z.array(id).min(1),
  responsibilities: z.array(text).min(1),
  constraints: z.array(text),
  rules: z.array(AgentRuleSchema),
  escalation_criteria: z.array(EscalationCriterionSchema),
});

export const TaskSchema = strict({
  description: text,
  target_agent: id,
  allowed_from_agents: z.array(id).min(1),
  workflow: id,
  invocation_handoff: id,
  result_handoff: id,
  guardrail_policy: id.optional(),
  max_output_tokens: z.number().int().positive().max(64_000).optional(),
  temperature: z.number().min(0).max(2).optional(),
  responsibilities: z.array(text),
  completion_criteria: z.array(text).min(1),
});

/** A JSON Schema as written in the DSL; compiled (and so checked) with ajv by the loader. */
export const JsonSchemaSchema = z.record(z.string(), z.unknown());

export const HandoffTypeSchema = strict({
  version: z.literal(1),
  description: text,
  extends: id.optional(),
  caller_fills: z.array(z.string()).optional(),
  schema: JsonSchemaSchema,
});

export const GateConditionSchema = strict({
  path: z.string().regex(/^[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)*$/, 'a dotted property path'),
  op: z.enum(['exists', 'non_empty', 'equals', 'one_of']),
  value: z.unknown().optional(),
});

export const GateStepSchema = strict({
  id,
  type: z.literal('gate'),
  description: text,
  when: z.array(GateConditionSchema).optional(),
  predicate: id.optional(),
});

export const DelegateStepSchema = strict({
  id,
  type: z.literal('delegate'),
  task: id,
  from_agent: id,
  description: text.optional(),
});

export const WorkflowStepSchema = z.discriminatedUnion('type', [GateStepSchema, DelegateStepSchema]);

export const WorkflowSchema = strict({
  description: text,
  trigger: text.optional(),
  entry_conditions: z.array(text).optional(),
  steps: z.array(WorkflowStepSchema).min(1),
});

export const GuardrailSchema = z.discriminatedUnion('kind', [
  strict({ kind: z.literal('output_schema'), description: text }),
  strict({
    kind: z.literal('forbid_pattern'),
    description: text,
    field: z.string(),
    pattern: z.string(),
    flags: z.string().regex(/^[imsu]*$/).optional(),
    message: text.optional(),
  }),
  strict({
    kind: z.literal('require_pattern'),
    description: text,
    field: z.string(),
    pattern: z.string(),
    flags: z.string().regex(/^[imsu]*$/).optional(),
    message: text.optional(),
  }),
  strict({
    kind: z.literal('forbid_terms'),
    description: text,
    field: z.string(),
    terms: z.array(text).min(1),
    message: text.optional(),
  }),
  strict({
    kind: z.literal('sentence_count'),
    description: text,
    field: z.string(),
    min: z.number().int().min(0),
    max: z.number().int().positive(),
    message: text.optional(),
  }),
  strict({
    kind: z.literal('max_length'),
    description: text,
    field: z.string(),
    max: z.number().int().positive(),
    message: text.optional(),
  }),
]);

export const GuardrailPolicyRuleSchema = strict({
  guardrail: id,
  severity: z.enum(['info', 'warning', 'error', 'critical']),
  action: z.enum(['block', 'warn']),
});

export const GuardrailPolicySchema = strict({
  description: text,
  rules: z.array(GuardrailPolicyRuleSchema).min(1),
});

export const DslDocumentSchema = strict({
  version: z.literal(1),
  system: strict({ id, name: text, description: text.optional() }),
  agents: z.record(id, AgentSchema),
  tasks: z.record(id, TaskSchema),
  handoff_types: z.record(id, HandoffTypeSchema),
  workflows: z.record(id, WorkflowSchema),
  guardrails: z.record(id, GuardrailSchema),
  guardrail_policies: z.record(id, GuardrailPolicySchema),
});

export type DslDocument = z.infer<typeof DslDocumentSchema>;
