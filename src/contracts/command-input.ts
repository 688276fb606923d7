/**
 * A command's input (arguments and options, camelCased) checked by the validator compiled
 * from the contract at `npm run generate` (src/generated/validators.ts: ajv standalone code
 * for each field's schema and the list of each command's fields; no Zod and no ajv at run
 * time). The problem reported is the one the Zod validators reported before them, in their
 * words (test/unit/command-validators.test.ts holds the two to the same answers).
 */
import { commandFields, fieldValidators, missingMessages } from '../generated/validators.ts';
import {
  describeError,
  quote,
  rankOf,
  valueAt,
  type CompiledError,
  type CompiledValidator,
} from './issues.ts';

/** The first problem of an input: the field (`''` for unknown keys) and what is wrong. */
export interface InputIssue {
  key: string;
  message: string;
}

const validators = fieldValidators as unknown as Record<string, CompiledValidator>;
const missing = missingMessages as Record<string, string | undefined>;

type Field = readonly [key: string, validator: string, required: 0 | 1];
const fieldsOf = commandFields as unknown as Record<string, readonly Field[] | undefined>;
const knownKeys = new Map<string, Set<string>>();

/**
 * Check a command's input; undefined when it is valid, else its first problem: the first
 * field's (in the contract's order), then any key the command does not have. An unknown
 * command id is a bug of the caller.
 */
export function checkInput(id: string, input: Record<string, unknown>): InputIssue | undefined {
  const fields = fieldsOf[id];
  if (fields === undefined) throw new Error(`no input validator for command "${id}"`);
  for (const [key, name, required] of fields) {
    const value = input[key];
    if (value === undefined) {
      if (required === 1) return { key, message: missing[name] ?? 'Invalid input' };
      continue;
    }
    const validate = validators[name]!;
    if (!validate(value)) return { key, message: firstError(validate.errors ?? [], value) };
  }
  let known = knownKeys.get(id);
  if (known === undefined) knownKeys.set(id, (known = new Set(fields.map(([key]) => key))));
  const unknown = Object.keys(input).filter((k) => !known.has(k));
  if (unknown.length === 0) return undefined;
  return {
    key: '',
    message: `Unrecognized key${unknown.length > 1 ? 's' : ''}: ${unknown.map(quote).join(', ')}`,
  };
}

/** The error Zod reported first, in its words. */
function firstError(errors: readonly CompiledError[], value: unknown): string {
  let best: CompiledError | undefined;
  for (const e of errors) if (best === undefined || better(e, best)) best = e;
  return best === undefined
    ? 'Invalid input'
    : describeError(best, valueAt(value, best.instancePath));
}

/** Of two errors of one value, the one Zod reported first: the value's own, elements by index, then by check. */
function better(a: CompiledError, b: CompiledError): boolean {
  if (a.instancePath !== b.instancePath) {
    const depthA = a.instancePath.split('/').length;
    const depthB = b.instancePath.split('/').length;
    if (depthA !== depthB) return depthA < depthB;
    return Number(a.instancePath.split('/').pop()) < Number(b.instancePath.split('/').pop());
  }
  return rankOf(a) < rankOf(b);
}
