/** JSON Schema validation of handoffs with ajv (strict mode, all errors). */
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';

const ajv = new Ajv({
  strict: true,
  allErrors: true,
  strictRequired: false,
  allowUnionTypes: true,
});
const compiled = new WeakMap<object, ValidateFunction>();

/** Compile (and cache) a JSON Schema; throws when the schema itself is invalid. */
export function compileSchema(schema: Record<string, unknown>): ValidateFunction {
  const hit = compiled.get(schema);
  if (hit !== undefined) return hit;
  const fn = ajv.compile(schema);
  compiled.set(schema, fn);
  return fn;
}

function describe(e: ErrorObject): string {
  const at = e.instancePath === '' ? '(root)' : e.instancePath;
  if (e.keyword === 'additionalProperties') {
    return `${at}: unexpected property "${String((e.params as { additionalProperty: string }).additionalProperty)}"`;
  }
  if (e.keyword === 'enum') {
    return `${at}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return `${at}: ${e.message ?? e.keyword}`;
}

/** Validate `value`; returns human-readable errors (empty when valid). */
export function validateAgainst(schema: Record<string, unknown>, value: unknown): string[] {
  const fn = compileSchema(schema);
  return fn(value) ? [] : (fn.errors ?? []).map(describe);
}
