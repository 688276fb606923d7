/**
 * Generate-time only: the validators of every command's input and output, compiled from the
 * contract's JSON Schemas by ajv's standalone code generator (the same way as the bus and
 * entity contracts, src/contracts/standalone.ts), so no run of dma loads Zod or ajv.
 *
 * - src/generated/validators.ts: the commands' input (arguments and options, camelCased,
 *   as Commander or a server request gives them): a validator per distinct field schema,
 *   with every error (`allErrors`) so `checkInput` (src/contracts/command-input.ts) can name
 *   the one the old Zod validators reported first, in their words; each command's fields in
 *   order; the message of a missing required one.
 * - src/generated/output-validators.ts: the schema of stdout per command and exit code
 *   (the conformance test).
 * - src/generated/cli-contract-validator.ts: the contract's meta-schema
 *   (src/contracts/cli-contract-schema.ts), for `dma contract validate` and the generator.
 *
 * test/unit/command-validators.test.ts compares the input validators with the Zod ones
 * `zodFor` (./zod-codegen.ts) writes, on every contract example and its mutations, and the
 * meta-schema with its Zod source on mutated contracts.
 */
import { Ajv } from 'ajv';
import type {
  CliContract,
  ContractCommand,
  ContractOption,
  JsonSchema,
} from '../../src/contracts/cli-contract.ts';
import { z } from 'zod';
import { contractSchema } from '../../src/contracts/cli-contract-schema.ts';
import { missingMessage } from '../../src/contracts/issues.ts';
import { standaloneModule } from '../../src/contracts/standalone.ts';

export const INPUT_VALIDATORS_PATH = 'src/generated/validators.ts';
export const OUTPUT_VALIDATORS_PATH = 'src/generated/output-validators.ts';
export const CONTRACT_VALIDATOR_PATH = 'src/generated/cli-contract-validator.ts';

export const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
/** `--no-save` is stored as `save`. */
export const optionKey = (name: string) => camel(name.startsWith('no-') ? name.slice(3) : name);

/** Keywords that say nothing about validity. */
const ANNOTATIONS = new Set(['default', 'description', 'title', 'examples']);

/** A schema with its `$ref` to the contract's components followed. */
export function resolve(contract: CliContract, schema: JsonSchema): JsonSchema {
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const name = ref.split('/').pop()!;
    return resolve(contract, contract.components.schemas?.[name] ?? {});
  }
  return schema;
}

/**
 * A field's schema as the input validator checks it: references inlined, annotations
 * dropped, and an integer kept to the safe range (Zod's `.int()` refuses 1e20; JSON
 * Schema's `integer` does not).
 */
function fieldSchema(contract: CliContract, schema: JsonSchema): JsonSchema {
  const s = resolve(contract, schema);
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(s)) {
    if (ANNOTATIONS.has(k)) continue;
    out[k] = k === 'items' ? fieldSchema(contract, v as JsonSchema) : v;
  }
  if (out['type'] === 'integer' && out['enum'] === undefined && out['const'] === undefined) {
    const safe = { minimum: Number.MIN_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER };
    // unbounded: the safe range is the bounds; bounded: a check of its own, reported first
    if (out['minimum'] === undefined && out['maximum'] === undefined) Object.assign(out, safe);
    else out['allOf'] = [safe];
  }
  return out;
}

function allOptions(contract: CliContract, cmd: ContractCommand): [string, ContractOption][] {
  return [...Object.entries(cmd.options ?? {}), ...Object.entries(contract.global_options)];
}

/** A command's input fields in order (arguments, then options): key, schema, required. */
export function inputFields(
  contract: CliContract,
  cmd: ContractCommand,
): { key: string; schema: JsonSchema; required: boolean }[] {
  const fields: { key: string; schema: JsonSchema; required: boolean }[] = [];
  for (const a of cmd.arguments ?? []) {
    const s = fieldSchema(contract, a.schema);
    fields.push({
      key: camel(a.name),
      schema: a.variadic ? { type: 'array', items: s } : s,
      required: !(a.required === false || a.variadic),
    });
  }
  for (const [name, o] of allOptions(contract, cmd)) {
    const s = fieldSchema(contract, o.schema);
    fields.push({
      key: optionKey(name),
      schema: o.repeatable ? { type: 'array', items: s } : s,
      required: o.required === true,
    });
  }
  return fields;
}

/** The JSON Schema of a command's input object. */
export function inputSchema(contract: CliContract, cmd: ContractCommand): JsonSchema {
  const fields = inputFields(contract, cmd);
  const schema: JsonSchema = {
    type: 'object',
    properties: Object.fromEntries(fields.map((f) => [f.key, f.schema])),
    additionalProperties: false,
  };
  const required = fields.filter((f) => f.required).map((f) => f.key);
  if (required.length > 0) schema['required'] = required;
  return schema;
}

/**
 * ajv's messages are not used (checkInput words the errors), and every error of a value is
 * kept so checkInput can report the one Zod did.
 */
const fieldOptions = {
  strict: true,
  allErrors: true,
  allowUnionTypes: true,
  messages: false,
} as const;

/**
 * The content of src/generated/validators.ts: one compiled validator per distinct field
 * schema (`f0`, `f1`, …; the six global options are fields of every command), and per
 * command its fields in order — `[key, validator, required]` — which is the rest of its
 * input schema (`additionalProperties: false`, `required`). A validator per command would
 * repeat the fields' code a hundred times: 270 KB minified, loaded by every run of the full
 * program, against 30 KB.
 */
export function compileInputValidators(contract: CliContract): string {
  const gen = new Ajv({ ...fieldOptions, code: { source: true, esm: true } });
  const names = new Map<string, string>();
  const missing: Record<string, string> = {};
  const commandFields: Record<string, [string, string, 0 | 1][]> = {};
  for (const [id, cmd] of Object.entries(contract.commands)) {
    commandFields[id] = inputFields(contract, cmd).map((f) => {
      const json = JSON.stringify(f.schema);
      let name = names.get(json);
      if (name === undefined) {
        name = `f${names.size}`;
        names.set(json, name);
        gen.addSchema(f.schema, name);
      }
      if (f.required) missing[name] = missingMessage(f.schema);
      return [f.key, name, f.required ? 1 : 0];
    });
  }
  return [
    standaloneModule(gen, [...names.values()], {
      header: [
        'Generated by `npm run generate` from cli-contract.yaml (ajv standalone code,',
        'scripts/lib/command-validators.ts) — do not edit by hand.',
        "Commands' input: a validator per distinct field schema, each command's fields.",
      ],
      exportName: 'fieldValidators',
    }),
    "/** Each command's input fields in order (arguments, then options): key, validator, required. */",
    `export const commandFields = ${JSON.stringify(commandFields)};`,
    '/** What is said of a missing required field, by its validator. */',
    `export const missingMessages = ${JSON.stringify(missing)};`,
    '',
  ].join('\n');
}

/** `#/components/schemas/X` → `dma:components#/$defs/X` (one shared document). */
function toSharedRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(toSharedRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (ANNOTATIONS.has(k) && typeof v !== 'object') continue;
    out[k] =
      k === '$ref' && typeof v === 'string'
        ? v.replace('#/components/schemas/', 'dma:components#/$defs/')
        : toSharedRefs(v);
  }
  return out;
}

/** The content of src/generated/output-validators.ts: keys `<command id>:<exit code>`. */
export function compileOutputValidators(contract: CliContract): string {
  const gen = new Ajv({
    strict: true,
    strictRequired: false,
    allowUnionTypes: true,
    code: { source: true, esm: true },
  });
  gen.addSchema({ $id: 'dma:components', $defs: toSharedRefs(contract.components.schemas ?? {}) });
  const keys: string[] = [];
  for (const [id, cmd] of Object.entries(contract.commands)) {
    for (const [code, exit] of Object.entries(cmd.exits)) {
      const schema = exit.stdout?.schema;
      if (!schema) continue;
      const key = `${id}:${code}`;
      gen.addSchema(toSharedRefs(schema) as JsonSchema, key);
      keys.push(key);
    }
  }
  return `${standaloneModule(gen, keys, {
    header: [
      'Generated by `npm run generate` from cli-contract.yaml (ajv standalone code,',
      'scripts/lib/command-validators.ts) — do not edit by hand.',
      'The schema of stdout per command and exit code, keyed `<command id>:<exit code>`.',
    ],
    exportName: 'outputValidators',
  })}\n`;
}

interface ZodDef {
  checks?: { _zod: { def: { format?: string; pattern?: RegExp; error?: unknown } } }[];
}

/** The meta-schema of cli-contract.yaml as JSON Schema, and the messages its patterns had. */
export function contractMetaSchema(): {
  schema: JsonSchema;
  patternMessages: Record<string, string>;
} {
  const patternMessages: Record<string, string> = {};
  const schema = z.toJSONSchema(contractSchema, {
    target: 'draft-7',
    io: 'input',
    unrepresentable: 'any',
    override: (ctx) => {
      const pattern = ctx.jsonSchema['pattern'];
      if (typeof pattern !== 'string') return;
      const def = (ctx.zodSchema as unknown as { _zod: { def: ZodDef } })._zod.def;
      const regex = (def.checks ?? []).find((c) => c._zod.def.format === 'regex')?._zod.def;
      const message =
        typeof regex?.error === 'function' ? (regex.error as () => unknown)() : undefined;
      if (typeof message === 'string') patternMessages[pattern] = message;
    },
  }) as JsonSchema;
  delete schema['$schema'];
  return { schema, patternMessages };
}

/**
 * The content of src/generated/cli-contract-validator.ts: the meta-schema compiled with all
 * its errors (`dma contract validate` lists every problem), the schema itself (to word an
 * error and to name the keys of an object), and the patterns' messages.
 */
export function compileContractMetaValidator(): string {
  const { schema, patternMessages } = contractMetaSchema();
  const gen = new Ajv({
    strict: true,
    allErrors: true,
    messages: false,
    allowUnionTypes: true,
    code: { source: true, esm: true },
  });
  gen.addSchema(schema, 'contract');
  return [
    standaloneModule(gen, ['contract'], {
      header: [
        'Generated by `npm run generate` from src/contracts/cli-contract-schema.ts (ajv standalone',
        'code, scripts/lib/command-validators.ts) — do not edit by hand.',
        'The meta-schema of cli-contract.yaml, with all its errors.',
      ],
      exportName: 'compiled',
    }),
    'export const contractValidator = compiled.contract;',
    '/** The meta-schema, as JSON Schema. */',
    `export const contractJsonSchema = ${JSON.stringify(schema)};`,
    "/** The message of a failed `pattern`, by pattern (the Zod source's). */",
    `export const patternMessages = ${JSON.stringify(patternMessages)};`,
    '',
  ].join('\n');
}
