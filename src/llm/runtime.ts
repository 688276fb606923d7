/**
 * The workflow runtime: runs a DSL workflow (gates, then delegate steps) on an adapter through
 * the gateway, validating every output against its handoff schema and guardrail policy.
 */
import { DmaError, UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import type { LlmAdapter, LlmMessage, LlmUsage } from './adapters/types.ts';
import { CONTEXT_CAP_BYTES, capJson } from './context.ts';
import { ESCALATION_PROPERTY } from './dsl/common.ts';
import type {
  AgentDef,
  DslRegistries,
  GateCondition,
  JsonSchema,
  TaskDef,
  WorkflowDef,
} from './dsl/types.ts';
import { createGateway, type Gateway, type GatewayResponse } from './gateway.ts';
import { checkGuardrailPolicy, type GuardrailViolation } from './guardrails.ts';
import { validateAgainst } from './validate.ts';

export interface WorkflowInvocation {
  /** Workflow id from dsl/workflows.yaml. */
  workflow: string;
  /** The invocation handoff: validated against the first delegate task's invocation schema. */
  input: unknown;
  /** Optional free-text request from the user, shown in the prompt. */
  userRequest?: string;
}

export interface WorkflowHooks {
  beforeWorkflow?(workflowId: string, input: unknown): void | Promise<void>;
  afterWorkflow?(workflowId: string, result: WorkflowResult): void | Promise<void>;
  beforeTask?(taskId: string, prompt: PromptBundle): void | Promise<void>;
  afterTask?(taskId: string, step: DelegateStepResult): void | Promise<void>;
}

/** A deterministic gate predicate registered by the caller (a gate's `predicate: <name>`). */
export type GatePredicate = (input: unknown) => boolean | { ok: boolean; reason?: string };

export interface RunOptions {
  gateway?: Gateway;
  /** Model override; default the adapter's model. */
  model?: string;
  /** Follow-ups with the validation errors per attempt; default 2. */
  maxFollowUps?: number;
  /** Fresh attempts after follow-ups are used up; default 1. */
  maxRetries?: number;
  hooks?: WorkflowHooks;
  predicates?: Record<string, GatePredicate>;
  /**
   * Deterministic checks of a task's output against the workflow input, by task id, run
   * after the schema and the guardrails: each problem blocks like a guardrail (a follow-up
   * to the model with the problem, then an error). `dma explain` checks that the prose
   * agrees with the derivation this way.
   */
  outputChecks?: Record<string, OutputCheck>;
}

/** Problems of `output` measured against the workflow's `input` (empty when it agrees). */
export type OutputCheck = (output: unknown, input: unknown) => string[];

export interface GateStepResult {
  id: string;
  type: 'gate';
  status: 'passed' | 'rejected';
  reason?: string;
}

export interface DelegateStepResult {
  id: string;
  type: 'delegate';
  task: string;
  agent: string;
  status: 'completed' | 'escalated' | 'error';
  output?: unknown;
  /** Model calls made (including follow-ups and retries; cache hits count). */
  calls: number;
  followUps: number;
  retries: number;
  cached: boolean;
  warnings: GuardrailViolation[];
  usage: LlmUsage;
  elapsed_ms: number;
  escalation_reason?: string;
  error_message?: string;
}

export type StepResult = GateStepResult | DelegateStepResult;

export interface WorkflowResult<T = unknown> {
  workflow_id: string;
  status: 'completed' | 'escalated' | 'gate_rejected' | 'error';
  steps: StepResult[];
  /** The last delegate step's validated output (without the escalation field). */
  output: T | undefined;
  total_elapsed_ms: number;
  adapter: string;
  model: string;
  /** Guardrail warnings (action: warn) of every step. */
  warnings: GuardrailViolation[];
  usage: LlmUsage;
  escalation_reason?: string;
  error_message?: string;
  /** For status error: the error to throw (DmaError LLM_ERROR → exit 12). */
  error?: DmaError;
}

export interface PromptBundle {
  workflowId: string;
  taskId: string;
  agentId: string;
  /** Static: agent and task rubric and output schema. Identical for every input. */
  system: string;
  /** Variable: the request with the capped input. At most CONTEXT_CAP_BYTES bytes. */
  user: string;
  schemaName: string;
  schema: JsonSchema;
  maxOutputTokens: number;
  temperature: number | undefined;
  templateVersion: string;
  contextBytes: number;
  truncated: boolean;
}

// ---------------------------------------------------------------------------------------------
// lookups

function workflowOf(registries: DslRegistries, id: string): WorkflowDef {
  const wf = registries.workflowRegistry[id];
  if (wf === undefined) {
    throw new UsageError(
      `unknown workflow "${id}"${didYouMean(id, Object.keys(registries.workflowRegistry))}`,
    );
  }
  return wf;
}

function taskOf(registries: DslRegistries, id: string): { task: TaskDef; agent: AgentDef } {
  const task = registries.taskRegistry[id];
  const agent = task === undefined ? undefined : registries.agentRegistry[task.target_agent];
  if (task === undefined || agent === undefined) throw new UsageError(`unknown task "${id}"`);
  return { task, agent };
}

function firstTaskId(wf: WorkflowDef): string {
  const step = wf.steps.find((s) => s.type === 'delegate');
  if (step === undefined || step.type !== 'delegate')
    throw new UsageError(`workflow "${wf.id}" has no delegate step`);
  return step.task;
}

// ---------------------------------------------------------------------------------------------
// prompts

const bullets = (items: readonly string[]): string => items.map((i) => `- ${i}`).join('\n');

function systemPrompt(
  registries: DslRegistries,
  task: TaskDef,
  agent: AgentDef,
): { text: string; schemaName: string; schema: JsonSchema } {
  const handoff = registries.handoffSchemas[task.result_handoff]!;
  const policy =
    task.guardrail_policy === undefined
      ? undefined
      : registries.guardrailPolicies[task.guardrail_policy];
  const checks = (policy?.rules ?? [])
    .map((r) => registries.guardrailRegistry[r.guardrail])
    .filter((g) => g !== undefined && g.kind !== 'output_schema')
    .map((g) => g!.description);
  const sections = [
    `You are the ${agent.role_name} of ${registries.system.name} (${registries.system.id}), working in ${agent.mode} mode.`,
    agent.purpose.trim(),
    `## Responsibilities\n${bullets(agent.responsibilities)}`,
    agent.constraints.length > 0 ? `## Constraints\n${bullets(agent.constraints)}` : '',
    agent.rules.length > 0
      ? `## Rules\n${bullets(agent.rules.map((r) => `${r.id} (${r.severity}): ${r.description}`))}`
      : '',
    agent.escalation_criteria.length > 0
      ? `## Escalation\nIf one of these holds, answer with "${ESCALATION_PROPERTY}": {"reason": "<which and why>"} and the required fields filled as best you can:\n${bullets(agent.escalation_criteria.map((e) => e.condition))}`
      : '',
    `## Task: ${task.id}\n${task.description}${task.responsibilities.length > 0 ? `\n${bullets(task.responsibilities)}` : ''}`,
    `## Completion criteria\n${bullets(task.completion_criteria)}`,
    checks.length > 0
      ? `## Output checks\nYour answer is checked automatically:\n${bullets(checks)}`
      : '',
    `## Output\nAnswer with exactly one JSON object of type "${handoff.id}" (${handoff.description}) that validates against this JSON Schema:\n${JSON.stringify(handoff.modelSchema)}`,
  ];
  return {
    text: sections.filter((s) => s !== '').join('\n\n'),
    schemaName: handoff.id,
    schema: handoff.modelSchema,
  };
}

/**
 * The exact prompt a delegate task would send: static rubric in `system`, the variable input
 * last in `user`, capped at 16 KB. Used by runWorkflow and by `--show-prompt` (no call made).
 * `taskId` defaults to the workflow's first delegate step.
 */
export function buildPrompt(
  registries: DslRegistries,
  invocation: WorkflowInvocation,
  taskId?: string,
): PromptBundle {
  const wf = workflowOf(registries, invocation.workflow);
  const { task, agent } = taskOf(registries, taskId ?? firstTaskId(wf));
  const sys = systemPrompt(registries, task, agent);
  const head = [
    '# Request',
    `Workflow: ${wf.id} · task: ${task.id} · input type: ${task.invocation_handoff}`,
    ...(invocation.userRequest !== undefined && invocation.userRequest.trim() !== ''
      ? ['', '## User request', invocation.userRequest.trim().slice(0, 2000)]
      : []),
    '',
    '## Target',
    '```json',
  ].join('\n');
  const tail = [
    '',
    '```',
    '',
    '## Instructions',
    `Return the ${task.result_handoff} JSON object for this input now.`,
  ].join('\n');
  const budget = CONTEXT_CAP_BYTES - Buffer.byteLength(`${head}\n${tail}`, 'utf8');
  const ctx = capJson(invocation.input, budget);
  const user = `${head}\n${ctx.text}${tail}`;
  return {
    workflowId: wf.id,
    taskId: task.id,
    agentId: agent.id,
    system: sys.text,
    user,
    schemaName: sys.schemaName,
    schema: sys.schema,
    maxOutputTokens: task.max_output_tokens ?? 2048,
    temperature: task.temperature,
    templateVersion: registries.templateVersion,
    contextBytes: Buffer.byteLength(user, 'utf8'),
    truncated: ctx.truncated,
  };
}

/** The prompt as one printable text, for `--show-prompt`. */
export function renderPrompt(prompt: PromptBundle): string {
  return `=== system ===\n${prompt.system}\n\n=== user ===\n${prompt.user}\n`;
}

// ---------------------------------------------------------------------------------------------
// gates

function getPath(value: unknown, path: string): unknown {
  let node = value;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return node;
}

function conditionHolds(c: GateCondition, input: unknown): boolean {
  const v = getPath(input, c.path);
  switch (c.op) {
    case 'exists':
      return v !== undefined && v !== null;
    case 'non_empty':
      if (v === undefined || v === null) return false;
      if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
      if (typeof v === 'object') return Object.keys(v).length > 0;
      return true;
    case 'equals':
      return JSON.stringify(v) === JSON.stringify(c.value);
    case 'one_of':
      return Array.isArray(c.value) && c.value.some((x) => JSON.stringify(x) === JSON.stringify(v));
  }
}

function evaluateGate(
  step: Extract<WorkflowDef['steps'][number], { type: 'gate' }>,
  input: unknown,
  predicates: Record<string, GatePredicate>,
): GateStepResult {
  for (const c of step.when ?? []) {
    if (!conditionHolds(c, input)) {
      return {
        id: step.id,
        type: 'gate',
        status: 'rejected',
        reason: `${step.description} (failed: ${c.path} ${c.op}${c.value === undefined ? '' : ` ${JSON.stringify(c.value)}`})`,
      };
    }
  }
  if (step.predicate !== undefined) {
    const fn = predicates[step.predicate];
    if (fn === undefined) {
      throw new UsageError(
        `gate "${step.id}" needs the predicate "${step.predicate}", which the caller did not register`,
      );
    }
    const r = fn(input);
    const ok = typeof r === 'boolean' ? r : r.ok;
    if (!ok) {
      const reason = typeof r === 'boolean' ? undefined : r.reason;
      return { id: step.id, type: 'gate', status: 'rejected', reason: reason ?? step.description };
    }
  }
  return { id: step.id, type: 'gate', status: 'passed' };
}

// ---------------------------------------------------------------------------------------------
// delegate steps

function parseOutput(response: GatewayResponse): { value?: unknown; error?: string } {
  if (response.output !== undefined) return { value: response.output };
  const text = response.text
    .trim()
    .replace(/^```(?:json)?\s*/i, '')
    .replace(/```\s*$/, '');
  try {
    return { value: JSON.parse(text) };
  } catch (e) {
    return {
      error: `the answer is not JSON (${e instanceof Error ? e.message.split('\n')[0] : 'parse error'})`,
    };
  }
}

interface Checked {
  value?: unknown;
  problems: string[];
  warnings: GuardrailViolation[];
}

function checkOutput(
  registries: DslRegistries,
  task: TaskDef,
  schema: JsonSchema,
  response: GatewayResponse,
  extra?: { check: OutputCheck; input: unknown },
): Checked {
  const parsed = parseOutput(response);
  if (parsed.error !== undefined) return { problems: [parsed.error], warnings: [] };
  const schemaErrors = validateAgainst(schema, parsed.value);
  if (schemaErrors.length > 0)
    return { problems: schemaErrors.map((e) => `schema: ${e}`), warnings: [] };
  const violations = checkGuardrailPolicy(registries, task.guardrail_policy, parsed.value);
  const problems = violations
    .filter((v) => v.action === 'block')
    .map((v) => `guardrail ${v.guardrail}: ${v.message}`);
  if (extra !== undefined && problems.length === 0)
    problems.push(...extra.check(parsed.value, extra.input));
  return {
    value: parsed.value,
    problems,
    warnings: violations.filter((v) => v.action === 'warn'),
  };
}

function followUpMessage(problems: string[]): string {
  return [
    'Your answer was rejected:',
    ...problems.slice(0, 20).map((p) => `- ${p}`),
    '',
    'Answer again with one corrected JSON object that fixes every problem above.',
  ].join('\n');
}

const addUsage = (a: LlmUsage, b: LlmUsage): LlmUsage => ({
  inputTokens: a.inputTokens + b.inputTokens,
  outputTokens: a.outputTokens + b.outputTokens,
  cachedTokens: a.cachedTokens + b.cachedTokens,
});
const ZERO: LlmUsage = { inputTokens: 0, outputTokens: 0, cachedTokens: 0 };

async function runDelegate(
  adapter: LlmAdapter,
  gateway: Gateway,
  registries: DslRegistries,
  invocation: WorkflowInvocation,
  step: { id: string; task: string },
  model: string,
  options: RunOptions,
): Promise<{ step: DelegateStepResult; error?: DmaError }> {
  const started = Date.now();
  const { task, agent } = taskOf(registries, step.task);
  const prompt = buildPrompt(registries, invocation, task.id);
  await options.hooks?.beforeTask?.(task.id, prompt);
  const maxFollowUps = options.maxFollowUps ?? 2;
  const maxRetries = options.maxRetries ?? 1;
  const outputCheck = options.outputChecks?.[task.id];
  const extra =
    outputCheck === undefined ? undefined : { check: outputCheck, input: invocation.input };
  const result: DelegateStepResult = {
    id: step.id,
    type: 'delegate',
    task: task.id,
    agent: agent.id,
    status: 'error',
    calls: 0,
    followUps: 0,
    retries: 0,
    cached: false,
    warnings: [],
    usage: ZERO,
    elapsed_ms: 0,
  };
  let lastProblems: string[] = [];
  let error: DmaError | undefined;
  try {
    attempts: for (let attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) result.retries += 1;
      const messages: LlmMessage[] = [{ role: 'user', content: prompt.user }];
      for (let followUp = 0; followUp <= maxFollowUps; followUp++) {
        if (followUp > 0) result.followUps += 1;
        const request = {
          model,
          system: prompt.system,
          messages: [...messages],
          schemaName: prompt.schemaName,
          schema: prompt.schema,
          maxOutputTokens: prompt.maxOutputTokens,
          temperature: prompt.temperature,
          input: invocation.input,
        };
        const response = await gateway.complete(adapter, request, {
          templateVersion: prompt.templateVersion,
          workflowId: invocation.workflow,
          taskId: task.id,
          accept: (r) =>
            checkOutput(
              registries,
              task,
              prompt.schema,
              {
                ...r,
                cached: false,
                cacheKey: '',
                attempts: 0,
                latencyMs: 0,
              },
              extra,
            ).problems.length === 0,
        });
        result.calls += 1;
        result.cached = response.cached;
        result.usage = addUsage(result.usage, response.usage);
        const checked = checkOutput(registries, task, prompt.schema, response, extra);
        if (checked.problems.length === 0) {
          const value = checked.value as Record<string, unknown>;
          const escalation = value[ESCALATION_PROPERTY] as { reason?: string } | undefined;
          const { [ESCALATION_PROPERTY]: _dropped, ...output } = value;
          result.output = output;
          result.warnings = checked.warnings;
          if (escalation !== undefined) {
            result.status = 'escalated';
            result.escalation_reason = escalation.reason ?? 'the agent escalated';
          } else {
            result.status = 'completed';
          }
          break attempts;
        }
        lastProblems = checked.problems;
        messages.push(
          { role: 'assistant', content: response.text },
          { role: 'user', content: followUpMessage(checked.problems) },
        );
      }
    }
    if (result.status === 'error') {
      result.error_message = `the ${task.result_handoff} answer was still invalid after ${maxFollowUps} follow-up(s) and ${maxRetries} retry(ies): ${lastProblems[0] ?? 'unknown problem'}`;
    }
  } catch (e) {
    if (!(e instanceof DmaError)) throw e;
    result.error_message = e.message;
    error = e;
  }
  result.elapsed_ms = Date.now() - started;
  await options.hooks?.afterTask?.(task.id, result);
  return error === undefined ? { step: result } : { step: result, error };
}

/**
 * Run a workflow: validate the input, decide gates with deterministic predicates (no model is
 * asked when a gate rejects), then run each delegate step through the gateway with schema and
 * guardrail validation, follow-ups and retries.
 *
 * Throws UsageError (exit 3) for an unknown workflow or an input that fails its invocation
 * schema. Model failures (refusal, exhausted retries, open circuit, invalid output) return
 * status "error" with `error` set to a DmaError('LLM_ERROR') for the caller to throw (exit 12).
 */
export async function runWorkflow<T = unknown>(
  adapter: LlmAdapter,
  invocation: WorkflowInvocation,
  registries: DslRegistries,
  options: RunOptions = {},
): Promise<WorkflowResult<T>> {
  const started = Date.now();
  const wf = workflowOf(registries, invocation.workflow);
  const gateway = options.gateway ?? createGateway();
  const model = options.model ?? adapter.model;
  const { task: first } = taskOf(registries, firstTaskId(wf));
  const inputSchema = registries.handoffSchemas[first.invocation_handoff]!.schema;
  const inputErrors = validateAgainst(inputSchema, invocation.input);
  if (inputErrors.length > 0) {
    throw new UsageError(
      `the input of workflow "${wf.id}" is not a valid ${first.invocation_handoff}: ${inputErrors[0]}`,
      {
        details: { errors: inputErrors },
      },
    );
  }
  await options.hooks?.beforeWorkflow?.(wf.id, invocation.input);

  const result: WorkflowResult<T> = {
    workflow_id: wf.id,
    status: 'completed',
    steps: [],
    output: undefined,
    total_elapsed_ms: 0,
    adapter: adapter.name,
    model,
    warnings: [],
    usage: ZERO,
  };
  for (const step of wf.steps) {
    if (step.type === 'gate') {
      const gate = evaluateGate(step, invocation.input, options.predicates ?? {});
      result.steps.push(gate);
      if (gate.status === 'rejected') {
        result.status = 'gate_rejected';
        result.error_message = `gate "${gate.id}" rejected the input: ${gate.reason ?? ''}`.trim();
        break;
      }
      continue;
    }
    const { step: done, error } = await runDelegate(
      adapter,
      gateway,
      registries,
      invocation,
      step,
      model,
      options,
    );
    result.steps.push(done);
    result.usage = addUsage(result.usage, done.usage);
    result.warnings.push(...done.warnings);
    if (done.status === 'error') {
      result.status = 'error';
      result.error_message = done.error_message;
      result.error =
        error ??
        new DmaError('LLM_ERROR', done.error_message ?? 'the workflow failed', {
          hint: 'run again, or try another model',
        });
      break;
    }
    result.output = done.output as T;
    if (done.status === 'escalated') {
      result.status = 'escalated';
      result.escalation_reason = done.escalation_reason;
      break;
    }
  }
  result.total_elapsed_ms = Date.now() - started;
  await options.hooks?.afterWorkflow?.(wf.id, result as WorkflowResult);
  return result;
}
