/**
 * A command's input (arguments and options, camelCased) checked by the validator compiled
 * from the contract at `npm run generate` (src/generated/validators.ts: ajv standalone code
 * for each field's schema and the list of each command's fields; no Zod and no ajv at run
 * time). The problem reported is the one the Zod validators reported before them, in their
 * words (test/unit/command-validators.test.ts holds the two to the same answers).
 */
import { commandFields, fieldValidators, missingMessages } from '../generated/validators.ts';

interface CompiledError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
}
interface Compiled {
  (value: unknown): boolean;
  errors?: CompiledError[] | null;
}

/** The first problem of an input: the field (`''` for unknown keys) and what is wrong. */
export interface InputIssue {
  key: string;
  message: string;
}

const validators = fieldValidators as unknown as Record<string, Compiled>;
const missing = missingMessages as Record<string, string | undefined>;

const quote = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

/** Zod's name of a value's type ("received …"). */
function received(value: unknown): string {
  if (typeof value === 'number') return Number.isFinite(value) ? 'number' : String(value);
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null;
    if (proto !== Object.prototype && proto?.constructor?.name) return proto.constructor.name;
  }
  return typeof value;
}

/** Zod's checks ran in this order: the type (or the value), lower bounds, upper bounds, pattern. */
const RANK: Record<string, number> = {
  enum: -1,
  const: -1,
  type: 0,
  minimum: 1,
  minLength: 1,
  minItems: 1,
  maximum: 2,
  maxLength: 2,
  maxItems: 2,
  pattern: 3,
};

const SAFE = Number.MAX_SAFE_INTEGER;

function describe(e: CompiledError, value: unknown): string {
  const p = e.params;
  switch (e.keyword) {
    case 'enum': {
      const values = p['allowedValues'] as unknown[];
      return values.length === 1
        ? `Invalid input: expected ${quote(values[0])}`
        : `Invalid option: expected one of ${values.map(quote).join('|')}`;
    }
    case 'const':
      return `Invalid input: expected ${quote(p['allowedValue'])}`;
    case 'type': {
      const type = String(p['type']);
      if (type === 'integer' && typeof value === 'number' && Number.isFinite(value))
        return 'Invalid input: expected int, received number';
      return `Invalid input: expected ${type === 'integer' ? 'number' : type}, received ${received(value)}`;
    }
    case 'minimum':
    case 'maximum': {
      const limit = Number(p['limit']);
      // the safe-integer bound was Zod's `.int()`, checked before any other
      if (Math.abs(limit) === SAFE)
        return limit < 0
          ? `Too small: expected int to be >=${limit}`
          : `Too big: expected int to be <=${limit}`;
      return e.keyword === 'minimum'
        ? `Too small: expected number to be >=${limit}`
        : `Too big: expected number to be <=${limit}`;
    }
    case 'minLength':
      return `Too small: expected string to have >=${String(p['limit'])} characters`;
    case 'maxLength':
      return `Too big: expected string to have <=${String(p['limit'])} characters`;
    case 'minItems':
      return `Too small: expected array to have >=${String(p['limit'])} items`;
    case 'maxItems':
      return `Too big: expected array to have <=${String(p['limit'])} items`;
    case 'pattern':
      return `Invalid string: must match pattern ${String(new RegExp(String(p['pattern'])))}`;
    default:
      return 'Invalid input';
  }
}

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
  if (best === undefined) return 'Invalid input';
  let at: unknown = value;
  for (const part of best.instancePath.split('/').slice(1))
    at = (at as Record<string, unknown> | undefined)?.[
      part.replace(/~1/g, '/').replace(/~0/g, '~')
    ];
  return describe(best, at);
}

/** Of two errors of one value, the one Zod reported first: the value's own, elements by index, then by check. */
function better(a: CompiledError, b: CompiledError): boolean {
  if (a.instancePath !== b.instancePath) {
    const depthA = a.instancePath.split('/').length;
    const depthB = b.instancePath.split('/').length;
    if (depthA !== depthB) return depthA < depthB;
    return Number(a.instancePath.split('/').pop()) < Number(b.instancePath.split('/').pop());
  }
  return rank(a) < rank(b);
}

/** The safe-integer bounds stand for Zod's `.int()`, which came before the other bounds. */
const rank = (e: CompiledError) =>
  Math.abs(Number(e.params['limit'])) === SAFE ? 0.5 : (RANK[e.keyword] ?? 9);
