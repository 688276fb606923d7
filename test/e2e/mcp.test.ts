/**
 * `dma mcp` driven by the MCP SDK's own Client over stdio (the built binary, a scratch
 * campaign), and by the MCP Inspector's CLI mode.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execa } from 'execa';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../src/generated/commands.ts';
import { excludedCommands, tools } from '../../src/generated/tools.ts';
import { dmaBin, repoRoot, scratchEnv } from '../helpers/dma.ts';

async function connect(args: string[], env: Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'dma-test', version: '1.0.0' });
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [dmaBin, 'mcp', ...args],
    env,
    stderr: 'pipe',
  });
  await client.connect(transport);
  return client;
}

type ToolResult = Awaited<ReturnType<Client['callTool']>> & {
  structuredContent?: Record<string, unknown>;
  content: { type: string; text?: string }[];
};

describe('dma mcp over stdio', () => {
  const env = scratchEnv();
  let readOnly: Client;
  let writer: Client;

  beforeAll(async () => {
    readOnly = await connect([], env);
    writer = await connect(['--allow-writes', '--adapter', 'mock'], env);
  }, 30_000);
  afterAll(async () => {
    await readOnly?.close();
    await writer?.close();
  });

  it('lists a tool for every contract command but the excluded ones, with annotations', async () => {
    const { tools: listed } = await readOnly.listTools();
    const names = new Set(listed.map((t) => t.name));
    const expected = tools.filter((t) => !t.llm).map((t) => t.name);
    expect([...names].sort()).toEqual([...expected].sort());
    expect(names.has('audit')).toBe(false); // no adapter: no LLM commands
    const thac0 = listed.find((t) => t.name === 'thac0')!;
    expect(thac0.annotations).toMatchObject({ readOnlyHint: true, idempotentHint: true });
    expect(thac0.outputSchema?.type).toBe('object');
    expect(Object.keys(thac0.inputSchema.properties ?? {})).toEqual([
      'class',
      'level',
      'hd',
      'explain',
    ]);
    const del = listed.find((t) => t.name === 'entity_delete')!;
    expect(del.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true });
    // options that would replace the JSON document are not offered
    const gen = listed.find((t) => t.name === 'dungeon_gen')!;
    expect(Object.keys(gen.inputSchema.properties ?? {})).not.toContain('map');
    expect(gen.description).toMatch(/Writes are off on this server/);
  });

  it('offers the LLM commands when an adapter is configured', async () => {
    const { tools: listed } = await writer.listTools();
    expect(listed.map((t) => t.name)).toEqual(expect.arrayContaining(['audit', 'explain']));
  });

  it('calls thac0: structured content validated by the client against the output schema', async () => {
    const r = (await readOnly.callTool({
      name: 'thac0',
      arguments: { class: 'fighter', level: 5 },
    })) as ToolResult;
    expect(r.isError).toBeFalsy();
    expect(r.structuredContent).toMatchObject({
      schema_version: '1.0',
      thac0: 16,
      source: 'PHB Table 53',
    });
    expect(r.content[0]!.text).toBe('16');
  });

  it('answers bad input with a tool error carrying the CLI code and hint', async () => {
    const typo = (await readOnly.callTool({
      name: 'thac0',
      arguments: { class: 'fightr', level: 5 },
    })) as ToolResult;
    expect(typo.isError).toBe(true);
    expect(typo.content[0]!.text).toMatch(
      /^INVALID_INPUT \(exit 3\): .*fightr.*did you mean "fighter"/,
    );
    const badType = (await readOnly.callTool({
      name: 'thac0',
      arguments: { class: 'fighter', level: 'five' },
    })) as ToolResult;
    expect(badType.isError).toBe(true);
    expect(badType.content[0]!.text).toMatch(/INVALID_INPUT \(exit 3\): invalid level/);
    const unknown = (await readOnly.callTool({
      name: 'thac0',
      arguments: { klass: 'fighter' },
    })) as ToolResult;
    expect(unknown.content[0]!.text).toMatch(/unknown parameter "klass"/);
    const missing = (await readOnly.callTool({
      name: 'entity_show',
      arguments: { ref: 'Nobody' },
    })) as ToolResult;
    expect(missing.isError).toBe(true);
    expect(missing.content[0]!.text).toMatch(/^NOT_FOUND \(exit 4\)/);
    await expect(readOnly.callTool({ name: 'thaco', arguments: {} })).rejects.toThrow(
      /unknown tool "thaco" — did you mean "thac0"/,
    );
  });

  it('refuses npc create without --allow-writes, previews it with save: false, saves it with the flag', async () => {
    const refused = (await readOnly.callTool({
      name: 'npc_create',
      arguments: { class: 'mage', level: 7, name: 'Elara', seed: 7 },
    })) as ToolResult;
    expect(refused.isError).toBe(true);
    expect(refused.content[0]!.text).toMatch(/WRITES_DISABLED.*writes are off[\s\S]*save: false/);

    const preview = (await readOnly.callTool({
      name: 'npc_create',
      arguments: { class: 'mage', level: 7, name: 'Elara', seed: 7, save: false },
    })) as ToolResult;
    expect(preview.isError).toBeFalsy();
    const before = (await readOnly.callTool({ name: 'npc_list', arguments: {} })) as ToolResult;
    expect((before.structuredContent as { entities: unknown[] }).entities).toHaveLength(0);

    const saved = (await writer.callTool({
      name: 'npc_create',
      arguments: { class: 'mage', level: 7, name: 'Elara', seed: 7 },
    })) as ToolResult;
    expect(saved.isError).toBeFalsy();
    const after = (await readOnly.callTool({ name: 'npc_list', arguments: {} })) as ToolResult;
    const listed = (after.structuredContent as { entities: { name: string }[] }).entities;
    expect(listed.map((e) => e.name)).toEqual(['Elara']);
  });

  it('reads campaign entities, searches and rules tables as resources', async () => {
    const { resources } = await readOnly.listResources();
    const elara = resources.find((r) => r.name === 'Elara');
    expect(elara?.uri).toMatch(/^dma:\/\/entity\//);
    const read = await readOnly.readResource({ uri: elara!.uri });
    const doc = JSON.parse(String((read.contents[0] as { text: string }).text)) as {
      entity: { name: string; type: string };
    };
    expect(doc.entity).toMatchObject({ name: 'Elara', type: 'npc' });
    const rules = resources.find((r) => r.uri === 'dma://rules/thac0');
    expect(rules).toBeDefined();
    const table = await readOnly.readResource({ uri: 'dma://rules/thac0' });
    expect(String((table.contents[0] as { text: string }).text)).toMatch(/PHB Table 53/);
    const search = await readOnly.readResource({ uri: 'dma://search/Elara' });
    expect(String((search.contents[0] as { text: string }).text)).toMatch(/"Elara"/);
    const { resourceTemplates } = await readOnly.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(
      expect.arrayContaining([
        'dma://entity/{id}',
        'dma://rules/{table}',
        'dma://dungeon/{id}/map.svg',
      ]),
    );
    await expect(readOnly.readResource({ uri: 'dma://entity/nope' })).rejects.toThrow(/nope/);
  });

  it('serves a stored dungeon and its SVG map', async () => {
    const gen = (await writer.callTool({
      name: 'dungeon_gen',
      arguments: { rooms: 6, seed: 3 },
    })) as ToolResult;
    expect(gen.isError).toBeFalsy();
    const id = (gen.structuredContent as { entity_id: string }).entity_id;
    expect(id).toBeTruthy();
    const map = await readOnly.readResource({ uri: `dma://dungeon/${id}/map.svg` });
    expect(map.contents[0]!.mimeType).toBe('image/svg+xml');
    expect(String((map.contents[0] as { text: string }).text)).toMatch(/^<svg/);
    const { resources } = await readOnly.listResources();
    expect(resources.some((r) => r.uri === `dma://dungeon/${id}/map.svg`)).toBe(true);
  });

  it('offers the two prompts', async () => {
    const { prompts } = await readOnly.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(['prep-session', 'resolve-action']);
    const p = await readOnly.getPrompt({
      name: 'resolve-action',
      arguments: { action: 'I pick the lock', character: 'Borin' },
    });
    expect(JSON.stringify(p.messages)).toMatch(/action tool/);
    const prep = prompts.find((x) => x.name === 'prep-session')!;
    expect(prep.arguments?.map((a) => [a.name, a.required])).toEqual([
      ['party_level', true],
      ['party_size', false],
      ['theme', false],
      ['notes', false],
    ]);
    await expect(
      readOnly.getPrompt({ name: 'resolve-action', arguments: { action: 'I hide' } }),
    ).rejects.toThrow(
      /Invalid arguments for prompt resolve-action: missing required argument "character"/,
    );
  });

  it('runs an LLM command through the configured adapter', async () => {
    const r = (await writer.callTool({
      name: 'audit',
      arguments: { target: join(repoRoot, 'examples', 'npc-broken.json') },
    })) as ToolResult;
    expect(r.structuredContent).toMatchObject({ schema_version: '1.0', entityType: 'npc' });
  });
});

describe('the tool table covers the contract', () => {
  it('every contract command is a tool or excluded with a reason', () => {
    const covered = new Set([...tools.map((t) => t.id), ...excludedCommands.map((e) => e.id)]);
    for (const id of Object.keys(commands)) expect(covered.has(id), `${id} has no tool`).toBe(true);
    for (const e of excludedCommands) expect(e.reason.length).toBeGreaterThan(10);
  });
});

describe('the MCP Inspector (CLI mode)', () => {
  const inspector = join(repoRoot, 'node_modules', '.bin', 'mcp-inspector');
  it('lists the tools and calls thac0', async () => {
    const env = { ...scratchEnv(), PATH: process.env['PATH'] ?? '' };
    const list = await execa(
      inspector,
      ['--cli', process.execPath, dmaBin, 'mcp', '--method', 'tools/list'],
      {
        env,
        extendEnv: false,
        reject: false,
        timeout: 60_000,
      },
    );
    expect(list.exitCode, list.stderr).toBe(0);
    const names = (JSON.parse(list.stdout) as { tools: { name: string }[] }).tools.map(
      (t) => t.name,
    );
    expect(names).toEqual(expect.arrayContaining(['thac0', 'save', 'npc_create', 'dungeon_gen']));
    const call = await execa(
      inspector,
      [
        '--cli',
        process.execPath,
        dmaBin,
        'mcp',
        '--method',
        'tools/call',
        '--tool-name',
        'save',
        '--tool-arg',
        'class=cleric',
        '--tool-arg',
        'level=7',
        '--tool-arg',
        'vs=spell',
      ],
      { env, extendEnv: false, reject: false, timeout: 60_000 },
    );
    expect(call.exitCode, call.stderr).toBe(0);
    const result = JSON.parse(call.stdout) as { structuredContent: { value: number } };
    expect(result.structuredContent.value).toBe(12);
  }, 120_000);
});
