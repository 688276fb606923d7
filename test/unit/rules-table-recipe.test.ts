/**
 * The recipe "Adding a rules table" of docs/development.md: in a temp copy of rules-data/ and
 * src/data/schemas/, a scratch table is one YAML file plus one schema export, and
 * `npm run generate` (compileRulesData) then writes exactly its data module, its src/data/
 * module and the index — no other file changes, and `rules show` can show it as stored.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { compileRulesData, findRulesTables } from '../../scripts/lib/rules-data.ts';
import { storedView } from '../../src/rules/tables.ts';

const repo = join(import.meta.dirname, '..', '..');
let root: string;

const SCRATCH_YAML = `source: DMG Table 999 (a scratch table)
title: Scratch table
rows:
  - { roll: 1, result: a lantern, tags: [light, fire] }
  - { roll: 2, result: ten feet of rope }
`;

const SCRATCH_SCHEMA = `import { z } from 'zod';
import { source } from './common.ts';

export const scratchTableSchema = z.strictObject({
  source,
  title: z.string(),
  rows: z.array(
    z.strictObject({ roll: z.number().int(), result: z.string(), tags: z.array(z.string()).optional() }),
  ),
});
`;

const asMap = (files: { path: string; content: string }[]) =>
  new Map(files.map((f) => [f.path, f.content]));

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'dma-recipe-'));
  cpSync(join(repo, 'rules-data'), join(root, 'rules-data'), { recursive: true });
  // the schema modules and what they import (src/core vocabularies)
  for (const dir of ['src/data/schemas', 'src/core'])
    cpSync(join(repo, dir), join(root, dir), { recursive: true });
  // the schema modules import zod
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'), 'dir');
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('adding a rules table (docs/development.md recipe)', () => {
  it('is one YAML file plus one schema export; generate writes exactly three files', async () => {
    const before = asMap(await compileRulesData(root));

    writeFileSync(join(root, 'rules-data', 'scratch-table.yaml'), SCRATCH_YAML);
    writeFileSync(join(root, 'src', 'data', 'schemas', 'scratch-table.ts'), SCRATCH_SCHEMA);
    const after = asMap(await compileRulesData(root));

    const added = [...after.keys()].filter((p) => !before.has(p)).sort();
    const changed = [...before.keys()].filter((p) => after.get(p) !== before.get(p));
    expect(added).toEqual(['src/data/scratch-table.ts', 'src/generated/data/scratch-table.ts']);
    expect(changed).toEqual(['src/data/index.ts']);
    expect(after.get('src/data/scratch-table.ts')).toContain(
      "export { default as scratchTableTable } from '../generated/data/scratch-table.ts';",
    );
    expect(after.get('src/data/index.ts')).toContain("'scratch-table': scratchTable,");
    // the data module carries no YAML and no Zod at run time
    expect(after.get('src/generated/data/scratch-table.ts')).toMatch(/import type \{ z \}/);
    expect(after.get('src/generated/data/scratch-table.ts')).not.toMatch(/from 'yaml'/);
  });

  it('shows a table without a view of its own as it is stored', () => {
    const [name, build, info] = storedView('scratch-table', parse(SCRATCH_YAML));
    expect(name).toBe('scratch-table');
    expect(info).toEqual({
      name: 'scratch-table',
      title: 'Scratch table',
      source: 'DMG Table 999 (a scratch table)',
    });
    expect(build()).toMatchObject({
      columns: ['roll', 'result', 'tags'],
      rows: [
        [1, 'a lantern', 'light, fire'],
        [2, 'ten feet of rope', null],
      ],
    });
  });

  it('names the missing schema export, and refuses a name that is not kebab-case', async () => {
    writeFileSync(join(root, 'rules-data', 'no-schema.yaml'), 'source: x\n');
    await expect(findRulesTables(root)).rejects.toThrow(
      'rules-data/no-schema.yaml has no schema: export noSchemaSchema from a module of src/data/schemas/',
    );
    rmSync(join(root, 'rules-data', 'no-schema.yaml'));
    writeFileSync(join(root, 'rules-data', 'snake_case.yaml'), 'source: x\n');
    await expect(findRulesTables(root)).rejects.toThrow('table names are kebab-case (snake-case)');
    rmSync(join(root, 'rules-data', 'snake_case.yaml'));
  });
});
