/** The agent bus contracts: envelope, registry, payloads, task states, JSON Schema export. */
export * from './common.ts';
export * from './scribe.ts';
export * from './sma.ts';
export * from './wed.ts';
export * from './registry.ts';
export * from './envelope.ts';
export * from './validate.ts';
export * from './checks.ts';
export * from './task-state.ts';
export * from './json-schema.ts';
