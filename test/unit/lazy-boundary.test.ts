/**
 * Lazy loading has one home (docs/development.md, "Start-up"): src/cli/ and the named
 * boundaries of optional dependencies. The lint enforces it; these tests keep the lint rule
 * itself honest, and the lazy table in step with the files the build makes of it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { lazyModules } from '../../src/cli/lazy-modules.ts';

const root = join(import.meta.dirname, '..', '..');
const code = "export const load = () => import('../store/open.ts');\n";

async function importRuleHits(filePath: string): Promise<number> {
  const eslint = new ESLint({ cwd: root });
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').length;
}

describe('import() outside src/cli/', () => {
  it('is a lint error in a command file', async () => {
    expect(await importRuleHits('src/commands/npc-create.ts')).toBe(1);
    expect(await importRuleHits('src/commands/_new-helper.ts')).toBe(1);
  });

  it('is a lint error in the other layers, but for their named boundaries', async () => {
    expect(await importRuleHits('src/agents/orchestrator.ts')).toBe(1);
    expect(await importRuleHits('src/store/sqlite/index.ts')).toBe(1);
    expect(await importRuleHits('src/store/postgres/connection.ts')).toBe(0);
  });

  it('is allowed in src/cli/', async () => {
    expect(await importRuleHits('src/cli/lazy.ts')).toBe(0);
  });
}, 60_000);

describe('the lazy table (src/cli/lazy-modules.ts)', () => {
  it('names modules of src/commands/, each of which the build makes its own file', () => {
    const names = Object.keys(lazyModules);
    expect(names.length).toBeGreaterThan(0);
    for (const name of names)
      expect(existsSync(join(root, 'src', 'commands', `${name}.ts`))).toBe(true);
  });
});
