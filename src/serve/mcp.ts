/**
 * `dma mcp`: the Model Context Protocol server (official TypeScript SDK). Tools come from
 * the generated table (src/generated/tools.ts: one per contract command), resources are
 * the campaign's entities and dungeons and the rules tables, prompts prepare a session and
 * resolve a player's action. Every call goes through `invoke`, the same path as
 * `dma serve`, so a tool answers exactly as `dma <command> --format json` does.
 */
import { McpServer, ResourceTemplate } from '@modelcontextprotocol/sdk/server/mcp.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListToolsRequestSchema,
  McpError,
  type CallToolResult,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import { didYouMean } from '../core/suggest.ts';
import { VERSION } from '../generated/commands.ts';
import { tools, type ToolEntry } from '../generated/tools.ts';
import { invoke, type Outcome, type ServeOptions } from './invoke.ts';

/** The tools this server offers: LLM commands only with an adapter. */
export function offeredTools(options: ServeOptions): ToolEntry[] {
  return tools.filter((t) => !t.llm || options.adapter !== undefined);
}

function withoutOmitted(schema: Record<string, unknown>, omit: readonly string[]) {
  if (omit.length === 0) return schema;
  const props = { ...(schema['properties'] as Record<string, unknown>) };
  for (const name of omit) delete props[name];
  const out: Record<string, unknown> = { ...schema, properties: props };
  const required = (schema['required'] as string[] | undefined)?.filter((r) => !omit.includes(r));
  if (required && required.length > 0) out['required'] = required;
  else delete out['required'];
  return out;
}

export function toolDefinition(t: ToolEntry, options: ServeOptions): Tool {
  let description = t.description;
  if (t.writes && !options.allowWrites) {
    const safe = t.safe_switches.map((s) => `${s.name}: ${String(s.value)}`);
    description +=
      '\n\nWrites are off on this server' +
      (safe.length > 0 ? `: call it with ${safe.join(' or ')} to write nothing.` : '.');
  }
  const tool: Tool = {
    name: t.name,
    title: t.title,
    description,
    inputSchema: withoutOmitted(t.input_schema, t.mcp_omit) as Tool['inputSchema'],
    annotations: t.annotations,
  };
  if (t.output_schema) tool.outputSchema = t.output_schema as Tool['outputSchema'];
  return tool;
}

/** An outcome as an MCP tool result: structured JSON plus a short text; errors as tool errors. */
export function toolResult(outcome: Outcome, tool: ToolEntry | undefined): CallToolResult {
  if (!outcome.ok) {
    const e = outcome.error;
    return {
      isError: true,
      content: [
        {
          type: 'text',
          text: `${e.code} (exit ${e.exit_code}): ${e.message}${e.hint ? `\nhint: ${e.hint}` : ''}`,
        },
      ],
      // no structuredContent: a client checks it against the tool's output schema
      _meta: { 'dma/error': e },
    };
  }
  const result: CallToolResult = {
    content: [{ type: 'text', text: outcome.text() || JSON.stringify(outcome.document) }],
  };
  const doc = outcome.document;
  if (tool?.output_schema && doc && typeof doc === 'object' && !Array.isArray(doc))
    result.structuredContent = doc as Record<string, unknown>;
  // a non-zero exit that is a result (audit findings, a replay that differs) is still an answer
  if (outcome.exitCode !== 0) result._meta = { 'dma/exit_code': outcome.exitCode };
  return result;
}

async function readJson(
  options: ServeOptions,
  id: string,
  params: Record<string, unknown>,
  signal: AbortSignal,
): Promise<unknown> {
  const tool = tools.find((t) => t.id === id);
  if (!tool) throw new McpError(ErrorCode.InternalError, `no tool for ${id}`);
  const outcome = await invoke(tool, params, options, { signal });
  if (!outcome.ok)
    throw new McpError(
      outcome.error.exit_code === 4 ? ErrorCode.InvalidParams : ErrorCode.InternalError,
      `${outcome.error.message}${outcome.error.hint ? ` (${outcome.error.hint})` : ''}`,
      { error: outcome.error },
    );
  return outcome.document;
}

const asJson = (uri: string, value: unknown) => ({
  contents: [{ uri, mimeType: 'application/json', text: JSON.stringify(value, null, 2) }],
});

function registerResources(server: McpServer, options: ServeOptions): void {
  const signal = new AbortController().signal;
  /** a resource read by one command, its parameter taken from the URI's variable */
  const readBy =
    (id: string, param: string, variable: string) =>
    async (uri: URL, vars: Record<string, string | string[]>) =>
      asJson(
        uri.href,
        await readJson(
          options,
          id,
          { [param]: decodeURIComponent(String(vars[variable])) },
          signal,
        ),
      );
  server.registerResource(
    'entity',
    new ResourceTemplate('dma://entity/{id}', {
      list: async () => {
        const doc = (await readJson(options, 'entity.list', { limit: 1000 }, signal)) as {
          entities: { id: string; name: string; type: string }[];
        };
        return {
          resources: doc.entities.map((e) => ({
            uri: `dma://entity/${e.id}`,
            name: e.name,
            title: `${e.name} (${e.type})`,
            mimeType: 'application/json',
          })),
        };
      },
      complete: {
        id: async (value) => {
          const doc = (await readJson(options, 'entity.list', { limit: 1000 }, signal)) as {
            entities: { id: string }[];
          };
          return doc.entities
            .map((e) => e.id)
            .filter((id) => id.startsWith(value))
            .slice(0, 100);
        },
      },
    }),
    {
      title: 'Campaign entity',
      description: 'An NPC, PC, location, dungeon or other entity of the campaign, with its links.',
      mimeType: 'application/json',
    },
    readBy('entity.show', 'ref', 'id'),
  );
  server.registerResource(
    'search',
    new ResourceTemplate('dma://search/{query}', { list: undefined }),
    {
      title: 'Campaign search',
      description: 'Full-text search of the campaign, ranked (dma entity search).',
      mimeType: 'application/json',
    },
    readBy('entity.search', 'query', 'query'),
  );
  server.registerResource(
    'rules',
    new ResourceTemplate('dma://rules/{table}', {
      list: async () => {
        const doc = (await readJson(options, 'rules.list', {}, signal)) as {
          tables: { name: string; title: string; source: string }[];
        };
        return {
          resources: doc.tables.map((t) => ({
            uri: `dma://rules/${t.name}`,
            name: t.name,
            title: t.title,
            description: t.source,
            mimeType: 'application/json',
          })),
        };
      },
    }),
    {
      title: 'Rules table',
      description: 'A 2e rules table with its book source.',
      mimeType: 'application/json',
    },
    readBy('rules.show', 'table', 'table'),
  );
  /** the stored dungeons as resources: their JSON (`suffix` '') or their SVG map */
  const dungeonResources = (suffix: string, mimeType: string, label: string) => async () => {
    const doc = (await readJson(options, 'dungeon.list', { limit: 1000 }, signal)) as {
      entities: { id: string; name: string }[];
    };
    return {
      resources: doc.entities.map((d) => ({
        uri: `dma://dungeon/${d.id}${suffix}`,
        name: `${d.name}${label}`,
        mimeType,
      })),
    };
  };
  server.registerResource(
    'dungeon',
    new ResourceTemplate('dma://dungeon/{id}', {
      list: dungeonResources('', 'application/json', ''),
    }),
    {
      title: 'Stored dungeon',
      description: 'A stored dungeon: map geometry and room key.',
      mimeType: 'application/json',
    },
    readBy('dungeon.show', 'ref', 'id'),
  );
  server.registerResource(
    'dungeon-map',
    new ResourceTemplate('dma://dungeon/{id}/map.svg', {
      list: dungeonResources('/map.svg', 'image/svg+xml', ' (map)'),
    }),
    {
      title: 'Dungeon map',
      description: "A stored dungeon's map as SVG.",
      mimeType: 'image/svg+xml',
    },
    async (uri, vars) => {
      const tool = tools.find((t) => t.id === 'dungeon.show')!;
      const outcome = await invoke(tool, { ref: String(vars['id']), map: 'svg' }, options, {
        signal,
      });
      if (!outcome.ok || !outcome.raw)
        throw new McpError(
          ErrorCode.InvalidParams,
          outcome.ok
            ? 'no map'
            : `${outcome.error.message}${outcome.error.hint ? ` (${outcome.error.hint})` : ''}`,
        );
      return { contents: [{ uri: uri.href, mimeType: 'image/svg+xml', text: outcome.raw }] };
    },
  );
}

/** A prompt's answer: one user message of non-empty lines. */
const userMessage = (lines: string[]) => ({
  messages: [
    {
      role: 'user' as const,
      content: { type: 'text' as const, text: lines.filter(Boolean).join('\n') },
    },
  ],
});

interface PromptDef {
  name: string;
  title: string;
  description: string;
  arguments: { name: string; description: string; required: boolean }[];
  render(args: Record<string, string | undefined>): ReturnType<typeof userMessage>;
}

const PROMPTS: PromptDef[] = [
  {
    name: 'prep-session',
    title: 'Prepare a session',
    description:
      'Stock a dungeon and the NPCs of a session for a party, with dma doing every number.',
    arguments: [
      {
        name: 'party_level',
        description: 'The party\'s average level, e.g. "3".',
        required: true,
      },
      { name: 'party_size', description: 'Number of characters (default 4).', required: false },
      {
        name: 'theme',
        description: 'Dungeon theme: crypt, cavern, warren, ruins, …',
        required: false,
      },
      { name: 'notes', description: 'What the session is about.', required: false },
    ],
    render: (args) =>
      userMessage([
        `Prepare an AD&D 2nd Edition session for ${args['party_size'] ?? '4'} characters of level ${args['party_level']}.`,
        args['theme'] ? `Theme: ${args['theme']}.` : '',
        args['notes'] ? `Notes: ${args['notes']}` : '',
        'Use the dma tools for every game number — never invent one:',
        `1. dungeon_gen with party_level ${args['party_level']}${args['theme'] ? ` and theme "${args['theme']}"` : ''} (save: false to preview).`,
        '2. npc_create for the two or three NPCs the party will meet (save: false to preview).',
        '3. monster, thac0, save and rules_show for any number you quote.',
        "Then write the DM a one-page brief: hook, the dungeon's key rooms, the NPCs and what they want.",
      ]),
  },
  {
    name: 'resolve-action',
    title: "Resolve a player's action",
    description:
      "Resolve what a player character does with dma's rules engine, then narrate only what was rolled.",
    arguments: [
      {
        name: 'action',
        description: 'What the player says, e.g. "I pick the lock on the chest".',
        required: true,
      },
      {
        name: 'character',
        description: 'The stored PC (name or id) or a character sheet file.',
        required: true,
      },
      { name: 'seed', description: 'Seed, for a reproducible roll.', required: false },
    ],
    render: (args) =>
      userMessage([
        `A player says: "${args['action']}" (character: ${args['character']}).`,
        `Call the action tool with text "${args['action']}" and character "${args['character']}"${args['seed'] ? ` and seed ${args['seed']}` : ''}.`,
        'Report the rolls, the numbers needed and the outcome exactly as the tool returns them, cite the PHB table it names, and narrate only what was rolled.',
        "If the tool refuses the action or calls it a DM's call, say so and why.",
      ]),
  },
];

/**
 * The prompts, by the SDK's low-level handlers: their arguments are plain strings, so they
 * are declared as the protocol lists them rather than as Zod shapes for `registerPrompt`.
 */
function registerPrompts(server: McpServer): void {
  server.server.setRequestHandler(ListPromptsRequestSchema, () => ({
    prompts: PROMPTS.map(({ name, title, description, arguments: args }) => ({
      name,
      title,
      description,
      arguments: args,
    })),
  }));
  server.server.setRequestHandler(GetPromptRequestSchema, (request) => {
    const { name } = request.params;
    const prompt = PROMPTS.find((p) => p.name === name);
    if (!prompt) throw new McpError(ErrorCode.InvalidParams, `Prompt ${name} not found`);
    const args: Record<string, string | undefined> = { ...request.params.arguments };
    const missing = prompt.arguments.filter((a) => a.required && args[a.name] === undefined);
    if (missing.length > 0)
      throw new McpError(
        ErrorCode.InvalidParams,
        `Invalid arguments for prompt ${name}: missing required argument${missing.length > 1 ? 's' : ''} ${missing.map((a) => `"${a.name}"`).join(', ')}`,
      );
    return prompt.render(args);
  });
}

/** A new MCP server over the given options (one per stdio session or per HTTP request). */
export function createMcpServer(options: ServeOptions): McpServer {
  const server = new McpServer(
    { name: 'dma', title: "dma — AD&D 2e Dungeon Master's assistant", version: VERSION },
    {
      capabilities: { tools: {}, resources: {}, prompts: {} },
      instructions:
        'AD&D 2nd Edition rules lookups (thac0, save, to_hit, monster, spells, …), rules-legal NPC and ' +
        'dungeon generation and the campaign store. Every number comes from the books: prefer these ' +
        'tools to your memory.' +
        (options.allowWrites
          ? ''
          : ' Writes are off: creations need save: false or dry_run: true.'),
    },
  );
  const offered = offeredTools(options);
  const byName = new Map(offered.map((t) => [t.name, t]));
  server.server.setRequestHandler(ListToolsRequestSchema, () => ({
    tools: offered.map((t) => toolDefinition(t, options)),
  }));
  server.server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool)
      throw new McpError(
        ErrorCode.InvalidParams,
        `unknown tool "${request.params.name}"${didYouMean(request.params.name, [...byName.keys()])}`,
      );
    const outcome = await invoke(tool, request.params.arguments ?? {}, options, {
      signal: extra.signal,
      omit: tool.mcp_omit,
    });
    return toolResult(outcome, tool);
  });
  registerResources(server, options);
  registerPrompts(server);
  return server;
}

/** Serve over stdin/stdout until the client closes stdin or the signal aborts. */
export async function serveStdio(options: ServeOptions, signal: AbortSignal): Promise<void> {
  const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
  const server = createMcpServer(options);
  const transport = new StdioServerTransport();
  let done: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (done = resolve));
  await server.connect(transport);
  server.server.onclose = () => done();
  signal.addEventListener('abort', () => void server.close().then(done, done), { once: true });
  process.stdin.once('end', () => void server.close().then(done, done));
  options.log(
    `dma mcp: ${offeredTools(options).length} tools on stdio${options.allowWrites ? ', writes allowed' : ', read-only'}`,
  );
  await closed;
}
