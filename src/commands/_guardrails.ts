/** The DSL's guardrail policies, for `action`'s offline narration (`lazy(ctx, '_guardrails')`). */
export { checkGuardrailPolicy } from '../llm/guardrails.ts';
export { dslRegistries } from '../generated/dsl/registry.ts';
