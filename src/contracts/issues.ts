/**
 * The errors of validators compiled at `npm run generate` (ajv standalone code, run with all
 * errors and no messages), worded and ordered as the Zod schemas they replace reported them:
 * what a user reads of a bad command input (./command-input.ts) or a bad contract file
 * (./cli-contract.ts) stays what it was. test/unit/command-validators.test.ts compares both
 * ways on thousands of values.
 */
import type { JsonSchema } from './cli-contract.ts';

export interface CompiledError {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  /** set on the errors of a `propertyNames` schema: the key that failed */
  propertyName?: string;
}
export interface CompiledValidator {
  (value: unknown): boolean;
  errors?: CompiledError[] | null;
}

export const quote = (v: unknown) => (typeof v === 'string' ? `"${v}"` : String(v));

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

const SAFE = Number.MAX_SAFE_INTEGER;

/** Zod checked a value in this order: its type (or value), lower bounds, upper bounds, pattern. */
const RANK: Record<string, number> = {
  enum: -1,
  const: -1,
  type: 0,
  minimum: 1,
  exclusiveMinimum: 1,
  minLength: 1,
  minItems: 1,
  maximum: 2,
  exclusiveMaximum: 2,
  maxLength: 2,
  maxItems: 2,
  pattern: 3,
};

/** The safe-integer bounds stand for Zod's `.int()`, checked before the other bounds. */
export const rankOf = (e: CompiledError) =>
  Math.abs(Number(e.params['limit'])) === SAFE ? 0.5 : (RANK[e.keyword] ?? 9);

/** An object schema that is a Zod record (keys checked, or values of one schema, no properties). */
const isRecord = (s: JsonSchema | undefined) =>
  s?.['type'] === 'object' &&
  s['properties'] === undefined &&
  (s['propertyNames'] !== undefined || typeof s['additionalProperties'] === 'object');

/** Zod's name of the type a schema wants ("expected …"). */
function expected(type: string, node?: JsonSchema): string {
  if (type === 'integer') return 'number';
  if (type === 'object' && isRecord(node)) return 'record';
  return type;
}

const values = (vs: readonly unknown[]) =>
  vs.length === 1
    ? `Invalid input: expected ${quote(vs[0])}`
    : `Invalid option: expected one of ${vs.map(quote).join('|')}`;

/** What Zod said of a missing required value of this schema ("received undefined"). */
export function missingMessage(schema: JsonSchema | undefined): string {
  if (schema === undefined) return 'Invalid input';
  if (Array.isArray(schema['enum'])) return values(schema['enum'] as unknown[]);
  if (schema['const'] !== undefined) return values([schema['const']]);
  const type = schema['type'];
  if (typeof type !== 'string') return 'Invalid input';
  return `Invalid input: expected ${expected(type, schema)}, received undefined`;
}

/**
 * One error in Zod's words. `node` is the schema the keyword belongs to (for a record's
 * name); `patterns` the messages a pattern was given in the Zod source.
 */
export function describeError(
  e: CompiledError,
  value: unknown,
  node?: JsonSchema,
  patterns: Readonly<Record<string, string>> = {},
): string {
  const p = e.params;
  const limit = Number(p['limit']);
  switch (e.keyword) {
    case 'enum':
      return values(p['allowedValues'] as unknown[]);
    case 'const':
      return values([p['allowedValue']]);
    case 'type': {
      const type = String(p['type']);
      if (type === 'integer' && typeof value === 'number' && Number.isFinite(value))
        return 'Invalid input: expected int, received number';
      return `Invalid input: expected ${expected(type, node)}, received ${received(value)}`;
    }
    case 'minimum':
    case 'maximum':
      if (Math.abs(limit) === SAFE)
        return limit < 0
          ? `Too small: expected int to be >=${limit}`
          : `Too big: expected int to be <=${limit}`;
      return e.keyword === 'minimum'
        ? `Too small: expected number to be >=${limit}`
        : `Too big: expected number to be <=${limit}`;
    case 'exclusiveMinimum':
      return `Too small: expected number to be >${limit}`;
    case 'exclusiveMaximum':
      return `Too big: expected number to be <${limit}`;
    case 'minLength':
      return `Too small: expected string to have >=${limit} characters`;
    case 'maxLength':
      return `Too big: expected string to have <=${limit} characters`;
    case 'minItems':
      return `Too small: expected array to have >=${limit} items`;
    case 'maxItems':
      return `Too big: expected array to have <=${limit} items`;
    case 'pattern': {
      const pattern = String(p['pattern']);
      return (
        patterns[pattern] ?? `Invalid string: must match pattern ${String(new RegExp(pattern))}`
      );
    }
    case 'propertyNames':
      return 'Invalid key in record';
    default:
      return 'Invalid input';
  }
}

const unescape = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');
const segments = (pointer: string) =>
  pointer === '' ? [] : pointer.split('/').slice(1).map(unescape);

/** The value at a JSON pointer below `root`. */
export function valueAt(root: unknown, pointer: string): unknown {
  let v = root;
  for (const part of segments(pointer)) v = (v as Record<string, unknown> | undefined)?.[part];
  return v;
}

/** The schema an error's keyword belongs to (its schemaPath without the keyword). */
function nodeOf(root: JsonSchema, schemaPath: string): JsonSchema | undefined {
  let node: unknown = root;
  for (const part of segments(schemaPath.replace(/^#/, '')).slice(0, -1))
    node = (node as Record<string, unknown> | undefined)?.[part];
  return node as JsonSchema | undefined;
}

/** A problem of a document: where, what; an unknown key with the keys its object has. */
export interface Issue {
  path: (string | number)[];
  message: string;
  unknownKey?: string;
  knownKeys?: string[];
}

/**
 * Every error of a document as Zod listed its issues: depth first, an object's properties in
 * the schema's order with its unknown keys after them, a record's and an array's entries in
 * order; at one place, by the order of Zod's checks.
 */
export function issuesOf(
  errors: readonly CompiledError[],
  doc: unknown,
  root: JsonSchema,
  patterns: Readonly<Record<string, string>> = {},
): Issue[] {
  /** The position of a path in Zod's traversal: a number per segment. */
  const order = (path: readonly string[], unknownLast: boolean): number[] => {
    const out: number[] = [];
    let node: JsonSchema | undefined = root;
    let data: unknown = doc;
    path.forEach((seg, i) => {
      const props = node?.['properties'] as Record<string, JsonSchema> | undefined;
      const keys = props ? Object.keys(props) : [];
      const dataKeys = data && typeof data === 'object' ? Object.keys(data) : [];
      if (Array.isArray(data)) out.push(Number(seg));
      else if (props && seg in props && !(unknownLast && i === path.length - 1))
        out.push(keys.indexOf(seg));
      else out.push(keys.length + dataKeys.indexOf(seg));
      node =
        props?.[seg] ??
        (node?.['items'] as JsonSchema | undefined) ??
        (typeof node?.['additionalProperties'] === 'object'
          ? (node['additionalProperties'] as JsonSchema)
          : undefined);
      data = (data as Record<string, unknown> | undefined)?.[seg];
    });
    return out;
  };
  const found: { issue: Issue; at: number[]; rank: number; path: string; keyword: string }[] = [];
  // a record's entry with a bad key is that one issue: its value is not looked at
  const badKeys = errors
    .filter((e) => e.keyword === 'propertyNames')
    .map((e) => pointerOf([...segments(e.instancePath), String(e.params['propertyName'])]));
  const underBadKey = (p: string) => badKeys.some((k) => p === k || p.startsWith(`${k}/`));
  for (const e of errors) {
    if (e.propertyName !== undefined) continue; // the key's own check: reported as its record's
    if (underBadKey(e.instancePath)) continue;
    const base = segments(e.instancePath);
    const node = nodeOf(root, e.schemaPath);
    let path = base;
    let issue: Issue;
    let unknownLast = false;
    if (e.keyword === 'additionalProperties') {
      const key = String(e.params['additionalProperty']);
      path = [...base, key];
      unknownLast = true;
      const known = Object.keys((node?.['properties'] as object | undefined) ?? {});
      issue = { path, message: `Unrecognized key: "${key}"`, unknownKey: key, knownKeys: known };
    } else if (e.keyword === 'required') {
      const key = String(e.params['missingProperty']);
      path = [...base, key];
      const props = node?.['properties'] as Record<string, JsonSchema> | undefined;
      issue = { path, message: missingMessage(props?.[key]) };
    } else if (e.keyword === 'propertyNames') {
      path = [...base, String(e.params['propertyName'])];
      issue = { path, message: describeError(e, undefined, node, patterns) };
    } else {
      issue = { path, message: describeError(e, valueAt(doc, e.instancePath), node, patterns) };
    }
    const at = order(path, unknownLast);
    issue.path = path.map((seg, i) =>
      Array.isArray(valueAt(doc, pointerOf(path.slice(0, i)))) ? Number(seg) : seg,
    );
    found.push({ issue, at, rank: rankOf(e), path: path.join('\u0000'), keyword: e.keyword });
  }
  // a value of the wrong type for an enum is one issue, the enum's
  const valued = new Set(
    found.filter((f) => f.keyword === 'enum' || f.keyword === 'const').map((f) => f.path),
  );
  const kept = found.filter((f) => !(f.keyword === 'type' && valued.has(f.path)));
  kept.sort((a, b) => {
    for (let i = 0; i < Math.min(a.at.length, b.at.length); i++)
      if (a.at[i] !== b.at[i]) return a.at[i]! - b.at[i]!;
    if (a.at.length !== b.at.length) return a.at.length - b.at.length;
    return a.rank - b.rank;
  });
  return kept.map((f) => f.issue);
}

const pointerOf = (path: readonly string[]) =>
  path.length === 0
    ? ''
    : '/' + path.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');
