/**
 * What an LLM call needs, for the LLM commands' paths that make one (not `--show-prompt`
 * alone, not `--adapter` checks): the adapters, the workflow runtime, the gateway, the call
 * log and cache, the DSL registries and guardrails (`lazy(ctx, '_llm-run')`). Not
 * src/llm/index.ts: that one also loads the DSL loader (YAML, Zod).
 */
export * as adapters from '../llm/adapters/index.ts';
export * as runtime from '../llm/runtime.ts';
export * as gateway from '../llm/gateway.ts';
export * as storage from '../llm/storage.ts';
export * as proseCheck from '../llm/prose-check.ts';
export { dslRegistries } from '../generated/dsl/registry.ts';
