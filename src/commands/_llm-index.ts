/** src/llm/ as a whole (the DSL loader too), for `action`'s model narration (`lazy(ctx, '_llm-index')`). */
export * from '../llm/index.ts';
