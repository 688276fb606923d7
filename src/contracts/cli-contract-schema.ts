/**
 * The meta-schema of cli-contract.yaml in Zod (a strict subset in the spirit of the
 * `cli-contracts` tool). Generate-time only: `npm run generate` compiles it to
 * src/generated/cli-contract-validator.ts, which `dma contract validate` and the generator
 * run (src/contracts/cli-contract.ts); the types of the contract are inferred from it.
 */
import { z } from 'zod';
import type { JsonSchema } from './cli-contract.ts';

const jsonSchema = z.record(z.string(), z.unknown()) as z.ZodType<JsonSchema>;

const flag = z.string().regex(/^(-[a-zA-Z]|--[a-z][a-z0-9-]*)$/, 'a flag like -o or --out');
const kebab = z.string().regex(/^[a-z][a-z0-9-]*$/, 'kebab-case');

export const optionSchema = z.strictObject({
  description: z.string().min(1),
  schema: jsonSchema,
  aliases: z.array(flag).optional(),
  required: z.boolean().optional(),
  repeatable: z.boolean().optional(),
  value_name: z.string().optional(),
  hidden: z.boolean().optional(),
});

export const argumentSchema = z.strictObject({
  name: kebab,
  description: z.string().min(1),
  schema: jsonSchema,
  required: z.boolean().optional(),
  variadic: z.boolean().optional(),
});

const streamSchema = z.strictObject({
  format: z.enum(['text', 'json', 'yaml', 'ndjson', 'markdown', 'svg', 'png', 'none', 'any']),
  schema: jsonSchema.optional(),
  description: z.string().optional(),
});

export const exitSchema = z.strictObject({
  description: z.string().optional(),
  stdout: streamSchema.optional(),
  stderr: streamSchema.optional(),
});

export const effectsSchema = z.strictObject({
  reads: z.array(z.enum(['rules-data', 'database', 'files', 'stdin', 'environment'])).optional(),
  writes: z.array(z.enum(['database', 'files', 'stdout-only'])).optional(),
  network: z.boolean().optional(),
  risk: z.enum(['none', 'low', 'medium', 'high']),
  idempotent: z.boolean().optional(),
});

export const xAgentSchema = z.strictObject({
  risk_level: z.enum(['low', 'medium', 'high']),
  safe_dry_run_option: z.string().optional(),
  expected_duration_ms: z.number().int().positive(),
  retryable_exit_codes: z.array(z.number().int()),
});

export const exampleSchema = z.strictObject({
  command: z.string().regex(/^dma( |$)/, 'starts with "dma"'),
  description: z.string(),
  exit: z.number().int().optional(),
  /** what stdout holds when it is not the JSON document (a map, NDJSON events, an export) */
  stdout_format: z.enum(['json', 'ndjson', 'svg', 'text']).optional(),
  /** when true the conformance test does not run this example (it needs state or the network) */
  skip_conformance: z.boolean().optional(),
});

/** How `dma mcp` and `dma serve` offer a command (scripts/lib/serve-codegen.ts). */
export const xServeSchema = z.strictObject({
  /** offered by neither server, for this reason */
  exclude: z.string().min(1).optional(),
  /** options the MCP tool leaves out (they replace the JSON document with a map or a stream) */
  mcp_omit: z.array(kebab).optional(),
  /** the option that streams events: HTTP answers with server-sent events */
  sse: kebab.optional(),
});

export const commandSchema = z.strictObject({
  summary: z.string().min(1).max(100),
  description: z.string().optional(),
  /** the source file under src/commands/ (default: the id with dots as dashes) */
  handler: z.string().optional(),
  /** served by the fast lane: no Commander, no Zod, no database at start-up */
  fast_lane: z.boolean().optional(),
  /** the command is an LLM command (then x-agent is required) */
  llm: z.boolean().optional(),
  hidden: z.boolean().optional(),
  arguments: z.array(argumentSchema).optional(),
  options: z.record(kebab, optionSchema).optional(),
  exits: z.record(z.string().regex(/^\d+$/), exitSchema),
  effects: effectsSchema,
  'x-agent': xAgentSchema.optional(),
  'x-serve': xServeSchema.optional(),
  examples: z.array(exampleSchema).optional(),
});

export const contractSchema = z.strictObject({
  cli_contract: z.literal('1.0'),
  info: z.strictObject({
    title: z.string(),
    version: z.string().regex(/^\d+\.\d+\.\d+/),
    description: z.string().optional(),
  }),
  global_options: z.record(kebab, optionSchema),
  commands: z.record(z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)*$/), commandSchema),
  components: z.strictObject({
    schemas: z.record(z.string(), jsonSchema).optional(),
    exits: z.record(
      z.string().regex(/^\d+$/),
      z.strictObject({ name: z.string().regex(/^[A-Z_]+$/), description: z.string() }),
    ),
  }),
});
