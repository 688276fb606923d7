/**
 * Adapter names have one source, ADAPTERS: every `--adapter` enum of cli-contract.yaml is
 * written from it at `npm run generate` (scripts/lib/adapter-enums.ts).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { adapterNames, syncAdapterEnums } from '../../scripts/lib/adapter-enums.ts';
import { ADAPTERS } from '../../src/llm/adapters/index.ts';

const contractText = readFileSync(
  join(import.meta.dirname, '..', '..', 'cli-contract.yaml'),
  'utf8',
);

describe('adapter names in the contract', () => {
  it('every --adapter option accepts exactly the registry names and aliases', () => {
    const contract = parse(contractText) as {
      commands: Record<string, { options?: Record<string, { schema: { enum?: string[] } }> }>;
    };
    const withAdapter = Object.entries(contract.commands).filter(([, c]) => c.options?.adapter);
    expect(withAdapter.map(([id]) => id).sort()).toEqual(
      ['action', 'audit', 'explain', 'mcp', 'serve'].sort(),
    );
    for (const [id, c] of withAdapter) {
      expect(c.options!.adapter!.schema.enum, id).toEqual(
        ADAPTERS.flatMap((a) => [a.name, ...a.aliases]),
      );
    }
    expect(adapterNames()).toContain('claude');
  });

  it('generate rewrites a stale enum and nothing else', () => {
    const stale = [
      'commands:',
      '  action:',
      '    options:',
      '      adapter:',
      '        description: "LLM adapter: mock, anthropic."',
      '        schema: { type: string, enum: [mock, anthropic], default: mock }',
      '      by:',
      '        schema: { type: string, enum: [model, adapter] }',
      '',
    ].join('\n');
    const synced = syncAdapterEnums(stale, ['mock', 'anthropic', 'claude', 'openai']);
    expect(synced).toBe(
      stale.replace('enum: [mock, anthropic]', 'enum: [mock, anthropic, claude, openai]'),
    );
    expect(syncAdapterEnums(contractText)).toBe(contractText);
  });
});
