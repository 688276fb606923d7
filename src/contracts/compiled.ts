/**
 * Running the contract validators compiled by `npm run generate`
 * (src/generated/contract-validators.ts, scripts/lib/contract-validators.ts): look one
 * up, turn its first error into a path and a message. Zod-free, like everything the
 * bus and the store import to check what they are given.
 */
import { contractValidators, patternMessages } from '../generated/contract-validators.ts';

export interface ValidationIssue {
  /** dotted path into the value checked, "" for the root */
  path: string;
  message: string;
}

/** An ajv error, as the compiled validators leave it in `.errors`. */
interface CompiledError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}
export type Compiled = ((data: unknown) => boolean) & { errors?: CompiledError[] | null };
const V = contractValidators as unknown as Record<string, Compiled>;

/** The compiled validator called `name` (see contractJsonSchemas in the generator). */
export function compiledValidator(name: string): Compiled {
  const v = V[name];
  if (v === undefined) throw new Error(`no compiled contract validator "${name}"`);
  return v;
}

/** The path segments of a compiled validator's first error, and its message. */
export function firstError(v: Compiled): { segments: (string | number)[]; message: string } {
  const e = v.errors?.[0];
  const segments: (string | number)[] = (e?.instancePath ?? '')
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  let message = e?.message ?? 'invalid';
  if (e?.keyword === 'additionalProperties')
    message = `unrecognized key "${String(e.params['additionalProperty'])}"`;
  else if (e?.keyword === 'required') {
    segments.push(String(e.params['missingProperty']));
    message = 'required';
  } else if (e?.keyword === 'enum')
    message = `must be one of: ${(e.params['allowedValues'] as unknown[]).map((x) => JSON.stringify(x)).join(', ')}`;
  else if (e?.keyword === 'const') message = `must be ${JSON.stringify(e.params['allowedValue'])}`;
  else if (e?.keyword === 'pattern')
    message = (patternMessages as Record<string, string>)[String(e.params['pattern'])] ?? message;
  return { segments, message };
}

/** A compiled validator's first error as a dotted path (under `prefix`) and a message. */
export function issueOf(v: Compiled, prefix = ''): ValidationIssue {
  const { segments, message } = firstError(v);
  return { path: [prefix, ...segments].filter((p) => p !== '').join('.'), message };
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
