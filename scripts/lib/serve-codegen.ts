/**
 * The servers' tables, generated from cli-contract.yaml (ARCHITECTURE.md, "Servers
 * generated from the contract"): src/generated/tools.ts — one entry per command with its
 * JSON Schema input, its success document's JSON Schema, MCP tool annotations from its
 * declared effects and its HTTP route — and src/generated/openapi.ts, the OpenAPI 3.1
 * document of `dma serve`. Pure string building: same contract, same bytes.
 */
import type {
  CliContract,
  ContractCommand,
  ContractOption,
  JsonSchema,
} from '../../src/contracts/cli-contract.ts';
import { camel, optionKey } from './command-validators.ts';
import { HEADER, type GeneratedFile } from './rules-data.ts';

/**
 * Options that shape the CLI's presentation or its files, never a server's: the server
 * answers with the JSON document and chooses its own campaign.
 */
export const SERVER_OMITTED_OPTIONS = [
  'format',
  'json',
  'quiet',
  'no-color',
  'db',
  'report-format',
  'output',
  'mode',
];

/** The JSON property of an argument or option: snake_case of its kebab name (`--no-save` → `save`). */
export const paramName = (name: string) =>
  (name.startsWith('no-') ? name.slice(3) : name).replace(/-/g, '_');

export interface ToolParam {
  /** the JSON property name (snake_case) */
  name: string;
  /** the handler input key (camelCase, as the CLI's validators take it) */
  key: string;
  kind: 'argument' | 'option';
}

export interface ToolEntry {
  id: string;
  /** MCP tool name: the command path joined by underscores (`npc_create`) */
  name: string;
  /** HTTP route under /v1 (`/v1/npc/create`) */
  route: string;
  title: string;
  description: string;
  llm: boolean;
  /** writes the campaign database unless `save: false` / `dry_run: true` says otherwise */
  writes: boolean;
  /** the input properties that make a call write nothing (`save: false`, `dry_run: true`) */
  safe_switches: { name: string; value: boolean }[];
  /** option (property) that turns on streaming: HTTP answers with server-sent events */
  sse?: string;
  /** options left out of the MCP tool (they replace the JSON document with a map or a stream) */
  mcp_omit: string[];
  exits: number[];
  params: ToolParam[];
  input_schema: JsonSchema;
  /** the success document's schema (self-contained, `$defs`), when it is one object */
  output_schema?: JsonSchema;
  annotations: {
    title: string;
    readOnlyHint: boolean;
    destructiveHint: boolean;
    idempotentHint: boolean;
    openWorldHint: boolean;
  };
}

const lit = (v: unknown) => JSON.stringify(v, null, 2);

/** Rewrites `#/components/schemas/X` to `#/$defs/X` and collects every component it reaches. */
function selfContained(contract: CliContract, schema: JsonSchema): JsonSchema {
  const components = contract.components.schemas ?? {};
  const defs: Record<string, unknown> = {};
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/components/schemas/')) {
        const name = v.slice('#/components/schemas/'.length);
        if (!(name in defs)) {
          defs[name] = {};
          defs[name] = walk(components[name] ?? {});
        }
        out[k] = `#/$defs/${name}`;
      } else out[k] = walk(v);
    }
    return out;
  };
  const root = walk(schema) as JsonSchema;
  if (Object.keys(defs).length === 0) return root;
  const sorted = Object.fromEntries(
    Object.keys(defs)
      .sort()
      .map((k) => [k, defs[k]]),
  );
  return { ...root, $defs: sorted };
}

function resolveTop(contract: CliContract, schema: JsonSchema): JsonSchema {
  const ref = schema['$ref'];
  if (typeof ref === 'string' && ref.startsWith('#/components/schemas/'))
    return resolveTop(contract, contract.components.schemas?.[ref.split('/').pop()!] ?? {});
  return schema;
}

function optionSchema(o: ContractOption): JsonSchema {
  const s: JsonSchema = { ...o.schema, description: o.description.trim() };
  if (o.repeatable && s['type'] !== 'array')
    return { type: 'array', items: o.schema, description: s['description'] };
  return s;
}

export function toolEntries(contract: CliContract): ToolEntry[] {
  const entries: ToolEntry[] = [];
  for (const [id, cmd] of Object.entries(contract.commands)) {
    const xs = cmd['x-serve'];
    if (xs?.exclude) continue;
    entries.push(toolEntry(contract, id, cmd));
  }
  return entries;
}

function toolEntry(contract: CliContract, id: string, cmd: ContractCommand): ToolEntry {
  const xs = cmd['x-serve'] ?? {};
  const properties: Record<string, JsonSchema> = {};
  const required: string[] = [];
  const params: ToolParam[] = [];
  for (const a of cmd.arguments ?? []) {
    const name = paramName(a.name);
    properties[name] = a.variadic
      ? { type: 'array', items: a.schema, description: a.description.trim() }
      : { ...a.schema, description: a.description.trim() };
    params.push({ name, key: camel(a.name), kind: 'argument' });
    if (a.required !== false && !a.variadic) required.push(name);
  }
  for (const [optName, o] of Object.entries(cmd.options ?? {})) {
    if (SERVER_OMITTED_OPTIONS.includes(optName) || o.hidden) continue;
    const name = paramName(optName);
    properties[name] = optionSchema(o);
    if (optName.startsWith('no-')) {
      properties[name] = {
        type: 'boolean',
        default: true,
        description: o.description.trim(),
      };
    }
    params.push({ name, key: optionKey(optName), kind: 'option' });
    if (o.required) required.push(name);
  }
  const input: JsonSchema = { type: 'object', properties, additionalProperties: false };
  if (required.length > 0) input['required'] = required;

  const success = cmd.exits['0']?.stdout?.schema;
  let output: JsonSchema | undefined;
  if (success) {
    let top = resolveTop(contract, success);
    const alts = (top['anyOf'] ?? top['oneOf']) as JsonSchema[] | undefined;
    // with its prompt-only switch left out, an LLM command answers with its first document
    if (alts && (xs.mcp_omit ?? []).includes('show-prompt') && alts[0])
      top = resolveTop(contract, alts[0]);
    if (top['type'] === 'object') output = selfContained(contract, top);
  }
  const writes = (cmd.effects.writes ?? []).includes('database');
  const safe: { name: string; value: boolean }[] = [];
  if (cmd.options?.['no-save']) safe.push({ name: 'save', value: false });
  if (cmd.options?.['dry-run']) safe.push({ name: 'dry_run', value: true });
  if (cmd.options?.['show-prompt']) safe.push({ name: 'show_prompt', value: true });
  const title = cmd.summary.replace(/\.$/, '');
  const entry: ToolEntry = {
    id,
    name: id.replace(/[.-]/g, '_'),
    route: `/v1/${id.split('.').join('/')}`,
    title,
    description: [cmd.summary, cmd.description?.trim()].filter(Boolean).join('\n\n'),
    llm: cmd.llm === true,
    writes,
    safe_switches: writes ? safe : [],
    mcp_omit: (xs.mcp_omit ?? []).map(paramName),
    exits: Object.keys(cmd.exits).map(Number),
    params,
    input_schema: input,
    annotations: {
      title,
      readOnlyHint: !writes,
      destructiveHint: writes && (cmd.effects.risk === 'medium' || cmd.effects.risk === 'high'),
      idempotentHint: cmd.effects.idempotent === true,
      openWorldHint: cmd.effects.network === true,
    },
  };
  if (xs.sse) entry.sse = paramName(xs.sse);
  if (output) entry.output_schema = output;
  return entry;
}

/** The CLI's exit codes as HTTP statuses: the one table both servers use. */
export const EXIT_HTTP_STATUS: Record<number, number> = {
  0: 200,
  1: 500,
  3: 400,
  4: 404,
  5: 409,
  6: 200,
  10: 200,
  11: 501,
  12: 502,
  130: 503,
};

function openapi(contract: CliContract, tools: ToolEntry[]): JsonSchema {
  const paths: Record<string, unknown> = {};
  const errorRef = { $ref: '#/components/schemas/Error' };
  for (const t of tools) {
    const responses: Record<string, unknown> = {};
    const exits = [...new Set(t.exits.map((e) => EXIT_HTTP_STATUS[e] ?? 500))].sort();
    for (const status of exits) {
      if (status === 200) {
        const content: Record<string, unknown> = {
          'application/json': { schema: t.output_schema ? rewriteDefs(t.output_schema) : {} },
        };
        if (t.sse) content['text/event-stream'] = { schema: { type: 'string' } };
        responses['200'] = {
          description: "The command's JSON document (`--format json`).",
          content,
        };
      } else {
        const code = t.exits.filter((e) => (EXIT_HTTP_STATUS[e] ?? 500) === status);
        responses[String(status)] = {
          description: code
            .map((c) => `exit ${c}: ${contract.components.exits[String(c)]?.description ?? ''}`)
            .join(' '),
          content: { 'application/json': { schema: errorRef } },
        };
      }
    }
    responses['401'] = {
      description: 'Missing or wrong bearer token.',
      content: { 'application/json': { schema: errorRef } },
    };
    responses['413'] = {
      description: 'Request body too large.',
      content: { 'application/json': { schema: errorRef } },
    };
    responses['429'] = {
      description: 'Too many requests from this client.',
      content: { 'application/json': { schema: errorRef } },
    };
    paths[t.route] = {
      post: {
        operationId: t.name,
        summary: t.title,
        description: t.description,
        tags: [t.id.split('.')[0]],
        requestBody: {
          required: (t.input_schema['required'] as unknown[] | undefined)?.length ? true : false,
          content: { 'application/json': { schema: rewriteDefs(t.input_schema) } },
        },
        responses,
        'x-dma-exit-codes': t.exits,
        'x-dma-writes': t.writes,
      },
    };
  }
  const schemas: Record<string, unknown> = {
    Error: {
      type: 'object',
      required: ['error'],
      properties: {
        error: {
          type: 'object',
          required: ['code', 'message'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            hint: { type: 'string' },
            exit_code: { type: 'integer' },
          },
        },
      },
    },
  };
  for (const [name, s] of Object.entries(contract.components.schemas ?? {}))
    schemas[name] = rewriteDefs(selfContained(contract, s as JsonSchema), true);
  return {
    openapi: '3.1.0',
    info: {
      title: `${contract.info.title} HTTP API`,
      version: contract.info.version,
      description:
        "Every dma command as `POST /v1/<command path>`: the body is the command's arguments and " +
        'options as JSON (snake_case), the answer the same JSON document as `--format json`. ' +
        'Generated from cli-contract.yaml.',
    },
    servers: [{ url: 'http://127.0.0.1:8787' }],
    paths,
    components: {
      schemas,
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
    },
    security: [{}, { bearer: [] }],
  };
}

/** In the OpenAPI document every component lives under components/schemas: point `$defs` refs there. */
function rewriteDefs(schema: JsonSchema, dropDefs = true): JsonSchema {
  const walk = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(walk);
    if (node === null || typeof node !== 'object') return node;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
      if (k === '$defs' && dropDefs) continue;
      if (k === '$ref' && typeof v === 'string' && v.startsWith('#/$defs/'))
        out[k] = `#/components/schemas/${v.slice('#/$defs/'.length)}`;
      else out[k] = walk(v);
    }
    return out;
  };
  return walk(schema) as JsonSchema;
}

export function generateServe(contract: CliContract): GeneratedFile[] {
  const tools = toolEntries(contract);
  const excluded = Object.entries(contract.commands)
    .filter(([, c]) => c['x-serve']?.exclude)
    .map(([id, c]) => ({ id, reason: c['x-serve']!.exclude! }));
  return [
    {
      path: 'src/generated/tools.ts',
      content: [
        HEADER,
        '/** One entry per contract command served by `dma mcp` and `dma serve` (scripts/lib/serve-codegen.ts). */',
        'export interface ToolParam { name: string; key: string; kind: "argument" | "option" }',
        'export interface ToolEntry { id: string; name: string; route: string; title: string; description: string; llm: boolean; writes: boolean; safe_switches: { name: string; value: boolean }[]; sse?: string; mcp_omit: string[]; exits: number[]; params: ToolParam[]; input_schema: Record<string, unknown>; output_schema?: Record<string, unknown>; annotations: { title: string; readOnlyHint: boolean; destructiveHint: boolean; idempotentHint: boolean; openWorldHint: boolean } }',
        '',
        `export const tools: ToolEntry[] = ${lit(tools)};`,
        '',
        "/** Commands no server offers, each with the contract's reason. */",
        `export const excludedCommands: { id: string; reason: string }[] = ${lit(excluded)};`,
        '',
        "/** The CLI's exit codes as HTTP statuses (one table for `dma serve` and its OpenAPI document). */",
        `export const EXIT_HTTP_STATUS: Record<number, number> = ${lit(EXIT_HTTP_STATUS)};`,
        '',
      ].join('\n'),
    },
    {
      path: 'src/generated/openapi.ts',
      content: [
        HEADER,
        '/** The OpenAPI 3.1 document of `dma serve`, generated from cli-contract.yaml. */',
        `export const openapi: Record<string, unknown> = ${lit(openapi(contract, tools))};`,
        '',
      ].join('\n'),
    },
  ];
}
