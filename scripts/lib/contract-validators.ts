/**
 * src/generated/contract-validators.ts: the bus contracts (envelope, every message type's
 * request and result, the task error) and the entity data schemas, compiled by ajv's
 * standalone code generator from the JSON Schema of each Zod schema. The runtime
 * (src/contracts/bus/validate.ts, src/contracts/entity-rules.ts) validates with these,
 * so a command never loads Zod to check a message or an entity.
 *
 * Exactness: a compiled validator must accept what the Zod schema accepts and give the
 * same value back. JSON Schema cannot say everything Zod can, so this refuses what it
 * cannot carry over — a transform, a strip-mode object, a string overwrite other than
 * `.trim()` — and counts the refinements (`.refine`, `z.custom`) it leaves to hand-written
 * post-checks (COMPILED_ELSEWHERE): a new refinement fails the build until its check is
 * written. `.trim()` becomes the `x-trim` keyword (trims in place before the length and
 * pattern checks); defaults are filled in place (ajv useDefaults). String lengths count
 * code points, as Zod's do. test/unit/contract-validators.test.ts compares both on
 * fixtures and their mutations.
 */
import { Ajv, _, type KeywordCxt } from 'ajv';
import { z } from 'zod';
import { standaloneModule } from '../../src/contracts/standalone.ts';
import { taskErrorSchema } from '../../src/contracts/bus/common.ts';
import { envelopeSchema } from '../../src/contracts/bus/envelope.ts';
import { MESSAGE_TYPES, MESSAGE_TYPE_NAMES } from '../../src/contracts/bus/registry.ts';
import {
  ENTITY_TYPES,
  entityDataSchemas,
  exportDocumentHeaderSchema,
  exportedEntitySchema,
  exportedRelationshipSchema,
} from '../../src/contracts/entities.ts';

export const CONTRACT_VALIDATORS_PATH = 'src/generated/contract-validators.ts';

/**
 * Refinements whose checks run by hand after the compiled schema check, by validator:
 * envelope → checks.ts envelopeProblem; the others → entity-rules.ts.
 */
export const COMPILED_ELSEWHERE: Record<string, number> = {
  envelope: 1,
  'entity:npc': 3,
  'entity:pc': 3,
  'export:entity': 2,
  'export:relationship': 1,
  'export:header': 1,
};

interface ZodInternals {
  _zod: {
    def: {
      type: string;
      format?: string;
      checks?: {
        _zod: {
          def: { check: string; tx?: unknown; format?: string; error?: unknown; pattern?: unknown };
        };
      }[];
      catchall?: unknown;
      keyType?: { _zod: { def: { type: string; entries?: Record<string, string> } } };
      partial?: boolean;
      mode?: string;
    };
  };
}

/** What a failed `pattern` means, by pattern: Zod's own message for the regex or format. */
const patternMessages: Record<string, string> = {};
const FORMAT_MESSAGES: Record<string, string> = {
  uuid: 'must be a UUID',
  datetime: 'must be an ISO 8601 date-time',
};

export function jsonSchemaOf(schema: z.ZodType, name: string): Record<string, unknown> {
  // distinct refinements (a refined schema's parent is visited too: count each once)
  const refinements = new Set<unknown>();
  const json = z.toJSONSchema(schema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const def = (ctx.zodSchema as unknown as ZodInternals)._zod.def;
      if (def.type === 'transform' || def.type === 'pipe')
        throw new Error(`${name}: a transform cannot be compiled; validate, then convert`);
      if (def.type === 'custom') refinements.add(ctx.zodSchema);
      // a record keyed by an enum needs every key (JSON Schema's propertyNames alone does not)
      const keys = def.type === 'record' && !def.partial ? def.keyType?._zod.def : undefined;
      if (keys?.type === 'enum') ctx.jsonSchema['required'] = Object.values(keys.entries ?? {});
      if (def.type === 'record' && def.mode === 'loose')
        throw new Error(`${name}: a loose record cannot be compiled`);
      if (def.type === 'object' && def.catchall === undefined)
        throw new Error(`${name}: a strip-mode z.object drops unknown keys; use z.strictObject`);
      const pattern = ctx.jsonSchema['pattern'];
      if (typeof pattern === 'string') {
        const regex = (def.checks ?? []).find((c) => c._zod.def.format === 'regex')?._zod.def;
        if (regex?.pattern instanceof RegExp && regex.pattern.flags !== '')
          throw new Error(
            `${name}: JSON Schema patterns have no flags: write /${regex.pattern.source}/ without /${regex.pattern.flags}`,
          );
        const message =
          (def.format && FORMAT_MESSAGES[def.format]) ??
          (typeof regex?.error === 'function' ? (regex.error as () => unknown)() : undefined);
        if (typeof message === 'string') patternMessages[pattern] = message;
      }
      for (const check of def.checks ?? []) {
        const c = check._zod.def;
        if (c.check === 'custom') refinements.add(check);
        else if (c.check === 'overwrite') {
          if (String(c.tx) !== '(input) => input.trim()')
            throw new Error(`${name}: only .trim() rewrites a string in a compiled contract`);
          ctx.jsonSchema['x-trim'] = true;
        }
      }
    },
  }) as Record<string, unknown>;
  const expected = COMPILED_ELSEWHERE[name] ?? 0;
  if (refinements.size !== expected)
    throw new Error(
      `${name} has ${refinements.size} refinement(s), ${expected} of them checked by hand after the ` +
        'compiled schema: write the check of the new one and update COMPILED_ELSEWHERE',
    );
  delete json['$schema'];
  return json;
}

/** Every compiled schema by validator name. */
export function contractJsonSchemas(): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {
    envelope: jsonSchemaOf(envelopeSchema, 'envelope'),
    task_error: jsonSchemaOf(taskErrorSchema, 'task_error'),
  };
  for (const type of MESSAGE_TYPE_NAMES) {
    out[`request:${type}`] = jsonSchemaOf(MESSAGE_TYPES[type].request, `request:${type}`);
    out[`result:${type}`] = jsonSchemaOf(MESSAGE_TYPES[type].result, `result:${type}`);
  }
  for (const type of ENTITY_TYPES)
    out[`entity:${type}`] = jsonSchemaOf(entityDataSchemas[type], `entity:${type}`);
  out['export:entity'] = jsonSchemaOf(exportedEntitySchema, 'export:entity');
  out['export:relationship'] = jsonSchemaOf(exportedRelationshipSchema, 'export:relationship');
  out['export:header'] = jsonSchemaOf(exportDocumentHeaderSchema, 'export:header');
  return out;
}

/** `x-trim`: a string is trimmed in place, before its length and pattern are checked. */
const trimKeyword = {
  keyword: 'x-trim',
  type: 'string' as const,
  schemaType: 'boolean' as const,
  modifying: true,
  before: 'maxLength',
  code(cxt: KeywordCxt) {
    const { gen, data, it } = cxt;
    const { parentData, parentDataProperty } = it;
    if (cxt.schema !== true) return;
    gen.assign(data, _`${data}.trim()`);
    gen.if(_`${parentData} !== undefined`, () =>
      gen.assign(_`${parentData}[${parentDataProperty}]`, data),
    );
  },
};

export function ajvOptions() {
  return {
    strict: true,
    // an enum-keyed record lists its keys as required without properties for them
    strictRequired: false,
    allErrors: false,
    useDefaults: true,
    validateFormats: false,
    unicodeRegExp: false,
    allowUnionTypes: true,
  } as const;
}

/** A compiler with the contracts' keyword, for tests that compile a schema at run time. */
export function contractAjv(opts: Record<string, unknown> = {}): Ajv {
  const ajv = new Ajv({ ...ajvOptions(), ...opts });
  ajv.addKeyword(trimKeyword);
  return ajv;
}

export function compileContractValidators(): string {
  const schemas = contractJsonSchemas();
  const gen = contractAjv({ code: { source: true, esm: true } });
  for (const [key, schema] of Object.entries(schemas)) gen.addSchema(schema, key);
  return [
    standaloneModule(gen, Object.keys(schemas), {
      header: [
        'Generated by `npm run generate` from the Zod contracts in src/contracts (ajv standalone',
        'code, scripts/lib/contract-validators.ts) — do not edit by hand.',
      ],
      exportName: 'contractValidators',
    }),
    "/** The message of a failed `pattern`, by pattern (Zod's message for that regex). */",
    `export const patternMessages = ${JSON.stringify(
      Object.fromEntries(Object.entries(patternMessages).sort(([a], [b]) => (a < b ? -1 : 1))),
      null,
      2,
    )};`,
    '',
  ].join('\n');
}
