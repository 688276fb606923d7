/**
 * JSON Schema validation of handoffs. The DSL's schemas are compiled ahead of time by
 * `npm run generate` (ajv standalone code in src/generated/dsl/validators.ts), so a
 * workflow run never compiles a schema — that took ~30 ms of every LLM command's start-up.
 * A schema that is not precompiled (a DSL loaded from files, in tests or tools) is compiled
 * by ajv through the compiler the DSL loader registers.
 */
import { precompiledValidators } from '../generated/dsl/validators.ts';
import { canonicalJson, sha256 } from './dsl/common.ts';

export interface SchemaError {
  instancePath: string;
  keyword: string;
  message?: string;
  params: Record<string, unknown>;
}
export interface SchemaValidator {
  (value: unknown): boolean;
  errors?: SchemaError[] | null;
}
type Compiler = (schema: Record<string, unknown>) => SchemaValidator;

let compiler: Compiler | undefined;

/** Called by the DSL loader (which loads ajv) so schemas outside the generated set compile. */
export function registerSchemaCompiler(compile: Compiler): void {
  compiler = compile;
}

/** The key of a schema in the precompiled set: the hash of its canonical JSON. */
export const schemaKey = (schema: Record<string, unknown>): string => sha256(canonicalJson(schema));

const resolved = new WeakMap<object, SchemaValidator>();

function validatorFor(schema: Record<string, unknown>): SchemaValidator {
  const hit = resolved.get(schema);
  if (hit) return hit;
  const fn =
    (precompiledValidators as Record<string, SchemaValidator | undefined>)[schemaKey(schema)] ??
    compiler?.(schema);
  if (!fn) throw new Error('a handoff schema is not precompiled; run `npm run generate`');
  resolved.set(schema, fn);
  return fn;
}

function describe(e: SchemaError): string {
  const at = e.instancePath === '' ? '(root)' : e.instancePath;
  if (e.keyword === 'additionalProperties') {
    return `${at}: unexpected property "${String(e.params['additionalProperty'])}"`;
  }
  if (e.keyword === 'enum') {
    return `${at}: must be one of ${(e.params['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${at}: ${e.message ?? e.keyword}`;
}

/** Validate `value`; returns human-readable errors (empty when valid). */
export function validateAgainst(schema: Record<string, unknown>, value: unknown): string[] {
  const fn = validatorFor(schema);
  return fn(value) ? [] : (fn.errors ?? []).map(describe);
}
