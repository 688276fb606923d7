/**
 * The LLM layer's public API: the workflow runtime, adapters and the gateway, over the DSL
 * registries and handoff validators compiled by `npm run generate`. Import from here (lazily,
 * with `await import()`, so the fast lane never loads it).
 *
 * The DSL loader (`./dsl/loader.ts`: YAML, the Zod meta-schema, ajv's compiler) is a
 * generate- and test-time tool and is deliberately not exported here: at run time handoffs
 * are checked by the ajv standalone validators of src/generated/dsl/validators.ts only.
 */
import type { DslRegistries } from './dsl/types.ts';

export type * from './dsl/types.ts';
export {
  runWorkflow,
  buildPrompt,
  renderPrompt,
  type WorkflowInvocation,
  type WorkflowResult,
  type WorkflowHooks,
  type RunOptions,
  type StepResult,
  type GateStepResult,
  type DelegateStepResult,
  type GatePredicate,
  type PromptBundle,
} from './runtime.ts';
export { CONTEXT_CAP_BYTES } from './context.ts';
export { checkGuardrail, checkGuardrailPolicy, type GuardrailViolation } from './guardrails.ts';
export { validateAgainst } from './validate.ts';
export {
  ADAPTERS,
  createAdapter,
  findAdapter,
  adapterStatus,
  isLocalUrl,
  type AdapterDefinition,
  type AdapterStatus,
  type CreateAdapterOptions,
  type Env,
} from './adapters/index.ts';
export {
  MockAdapter,
  defaultMockOutput,
  type MockStep,
  type MockAdapterOptions,
} from './adapters/mock.ts';
export {
  LlmCallError,
  type LlmAdapter,
  type LlmRequest,
  type LlmResponse,
  type LlmUsage,
  type LlmMessage,
} from './adapters/types.ts';
export {
  Gateway,
  createGateway,
  cacheKey,
  secretsFromEnv,
  TokenMeter,
  DEFAULT_PRICING,
  SECRET_ENV_VARS,
  type GatewayOptions,
  type GatewayEvent,
  type GatewayResponse,
  type CallMeta,
} from './gateway.ts';
export {
  LLM_TABLES_SQL,
  MemoryCallLog,
  MemoryResponseCache,
  SqliteCallLog,
  SqliteResponseCache,
  listCalls,
  usageSummary,
  clearCache,
  type SqlDatabase,
  type CallLog,
  type CallRecord,
  type CallStatus,
  type CallQuery,
  type UsageQuery,
  type UsageRow,
  type ResponseCache,
  type CachedResponse,
} from './storage.ts';

/** The registries compiled into src/generated/dsl/registry.ts (no YAML parsing at run time). */
export async function loadCompiledRegistries(): Promise<DslRegistries> {
  return (await import('../generated/dsl/registry.ts')).dslRegistries;
}
