/**
 * The TypeScript type of a value a JSON Schema of the contract accepts (the subset
 * `zodFor` in ./zod-codegen.ts reads), written as `z.infer` of that Zod schema would give
 * it: an optional property is `key?: T | undefined`, an object without properties a
 * `Record<string, …>`, `{}` is `unknown`. Components are referenced by name (`S_<name>`).
 */
import type { JsonSchema } from '../../src/contracts/cli-contract.ts';
import { refName } from './zod-codegen.ts';

const lit = (v: unknown) => JSON.stringify(v);

export function tsTypeFor(schema: JsonSchema): string {
  if (typeof schema['$ref'] === 'string') return refName(schema['$ref']);
  const alts = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (alts) return alts.map((a) => wrap(tsTypeFor(a))).join(' | ');
  if (Array.isArray(schema['type']))
    return (schema['type'] as string[])
      .map((t) => wrap(tsTypeFor({ ...schema, type: t })))
      .join(' | ');
  if (schema['const'] !== undefined) return lit(schema['const']);
  const en = schema['enum'];
  if (Array.isArray(en)) return en.map(lit).join(' | ');
  switch (schema['type']) {
    case 'string':
      return 'string';
    case 'integer':
    case 'number':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'null':
      return 'null';
    case 'array':
      return `${wrap(tsTypeFor((schema['items'] as JsonSchema | undefined) ?? {}))}[]`;
    case 'object': {
      const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema['required'] ?? []) as string[]);
      const extra = schema['additionalProperties'];
      const fields = Object.entries(props).map(([k, v]) =>
        required.has(k) ? `${lit(k)}: ${tsTypeFor(v)}` : `${lit(k)}?: ${tsTypeFor(v)} | undefined`,
      );
      if (fields.length === 0 && extra !== false) {
        const values =
          extra && typeof extra === 'object' ? tsTypeFor(extra as JsonSchema) : 'unknown';
        return `Record<string, ${values}>`;
      }
      return `{ ${fields.join('; ')} }`;
    }
    case undefined:
      return 'unknown';
    default:
      throw new Error(`unsupported schema type ${String(schema['type'])}`);
  }
}

/** Parenthesise a type that may hold a union, inside an array or another union (harmless elsewhere). */
const wrap = (t: string) => (t.includes(' | ') ? `(${t})` : t);
