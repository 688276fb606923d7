/**
 * Compiles the JSON Schema subset used in cli-contract.yaml into Zod source code.
 * Supported: type (string, integer, number, boolean, array, object, null), enum, const,
 * minimum/maximum, minLength/maxLength, pattern, minItems/maxItems, items, properties,
 * required, additionalProperties (false → strict, else extra keys are allowed and stripped), anyOf/oneOf, $ref to
 * #/components/schemas/*, and {} (anything).
 *
 * Nothing dma runs is written with it any more (the commands' validators are compiled by
 * ./command-validators.ts): test/unit/command-validators.test.ts builds the Zod validators
 * dma used before with it, to hold the compiled ones to the same answers and words.
 */
import type { JsonSchema } from '../../src/contracts/cli-contract.ts';

export function refName(ref: string): string {
  const m = /^#\/components\/schemas\/([^/]+)$/.exec(ref);
  if (!m) throw new Error(`unsupported $ref ${ref}`);
  return `S_${m[1]!.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

const lit = (v: unknown) => JSON.stringify(v);

export function zodFor(schema: JsonSchema): string {
  if (typeof schema['$ref'] === 'string') return refName(schema['$ref']);
  const alts = (schema['anyOf'] ?? schema['oneOf']) as JsonSchema[] | undefined;
  if (alts) return `z.union([${alts.map(zodFor).join(', ')}])`;
  if (Array.isArray(schema['type'])) {
    const variants = (schema['type'] as string[]).map((t) => zodFor({ ...schema, type: t }));
    return `z.union([${variants.join(', ')}])`;
  }
  if (schema['const'] !== undefined) return `z.literal(${lit(schema['const'])})`;
  const en = schema['enum'];
  if (Array.isArray(en)) {
    return en.every((v) => typeof v === 'string')
      ? `z.enum(${lit(en)})`
      : `z.union([${en.map((v) => `z.literal(${lit(v)})`).join(', ')}])`;
  }
  switch (schema['type']) {
    case 'string': {
      let s = 'z.string()';
      if (typeof schema['minLength'] === 'number') s += `.min(${schema['minLength']})`;
      if (typeof schema['maxLength'] === 'number') s += `.max(${schema['maxLength']})`;
      if (typeof schema['pattern'] === 'string')
        s += `.regex(new RegExp(${lit(schema['pattern'])}))`;
      return s;
    }
    case 'integer':
    case 'number': {
      let s = schema['type'] === 'integer' ? 'z.number().int()' : 'z.number()';
      if (typeof schema['minimum'] === 'number') s += `.min(${schema['minimum']})`;
      if (typeof schema['maximum'] === 'number') s += `.max(${schema['maximum']})`;
      return s;
    }
    case 'boolean':
      return 'z.boolean()';
    case 'null':
      return 'z.null()';
    case 'array': {
      let s = `z.array(${zodFor((schema['items'] as JsonSchema | undefined) ?? {})})`;
      if (typeof schema['minItems'] === 'number') s += `.min(${schema['minItems']})`;
      if (typeof schema['maxItems'] === 'number') s += `.max(${schema['maxItems']})`;
      return s;
    }
    case 'object': {
      const props = (schema['properties'] ?? {}) as Record<string, JsonSchema>;
      const required = new Set((schema['required'] ?? []) as string[]);
      const fields = Object.entries(props).map(
        ([k, v]) => `${lit(k)}: ${zodFor(v)}${required.has(k) ? '' : '.optional()'}`,
      );
      const ctor = schema['additionalProperties'] === false ? 'z.strictObject' : 'z.object';
      const extra = schema['additionalProperties'];
      if (fields.length === 0 && extra !== false) {
        const values =
          extra && typeof extra === 'object' ? zodFor(extra as JsonSchema) : 'z.unknown()';
        return `z.record(z.string(), ${values})`;
      }
      return `${ctor}({ ${fields.join(', ')} })`;
    }
    case undefined:
      return 'z.unknown()';
    default:
      throw new Error(`unsupported schema type ${String(schema['type'])}`);
  }
}

/** Component schema names in dependency order (a component is emitted after those it references). */
export function componentOrder(schemas: Record<string, JsonSchema>): string[] {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const refsOf = (v: unknown, out: string[]) => {
    if (Array.isArray(v)) v.forEach((x) => refsOf(x, out));
    else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (k === '$ref' && typeof x === 'string') out.push(x.split('/').pop()!);
        else refsOf(x, out);
      }
    }
  };
  const visit = (name: string) => {
    if (state.get(name) === 'done') return;
    if (state.get(name) === 'visiting')
      throw new Error(`components.schemas.${name}: recursive $ref is not supported`);
    state.set(name, 'visiting');
    const refs: string[] = [];
    refsOf(schemas[name], refs);
    refs.filter((r) => r in schemas).forEach(visit);
    state.set(name, 'done');
    order.push(name);
  };
  Object.keys(schemas).forEach(visit);
  return order;
}
