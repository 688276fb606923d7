/**
 * A character sheet for `dma action` and `dma combat start`: a file (JSON or YAML, the pc
 * entity schema) or a stored pc by id or name, checked by the compiled pc contract.
 */
import { lazy } from './_lazy.ts';
import { loadYaml } from '../core/yaml.ts';
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CharacterSheet } from '../contracts/action.ts';
import { entityDataIssue } from '../contracts/entity-rules.ts';
import type { CommandContext } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import { resolveClassOrGroup } from '../rules/classes.ts';

export interface LoadedCharacter {
  sheet: CharacterSheet;
  /** set when the character is a stored pc */
  entity?: { id: string; version: number };
  /** the sheet file's absolute path, when it is a file */
  file?: string;
}

async function parseSheetFile(file: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? err}`);
  }
  try {
    if (/^\s*[{[]/.test(text)) return JSON.parse(text);
    const { parse } = await loadYaml();
    return parse(text);
  } catch (err) {
    throw new UsageError(
      `${file} is neither valid JSON nor YAML: ${(err as Error).message.split('\n')[0]}`,
    );
  }
}

/** Validate a sheet against the CharacterSheet contract; the first problem names its field. */
async function checkSheet(data: unknown, source: string): Promise<CharacterSheet> {
  // the pc entity's contract (characterSheetSchema), compiled: no Zod to load
  const issue = entityDataIssue('pc', data);
  const hint = 'see the pc entity schema: docs/cli.md#action, golden/pc-fighter.yaml';
  if (issue) {
    const field = issue.segments.length === 0 ? '(sheet)' : issue.segments.join('.');
    throw new UsageError(`invalid character sheet ${source}: ${field}: ${issue.message}`, {
      hint,
    });
  }
  const sheet = data as CharacterSheet;
  try {
    resolveClassOrGroup(sheet.class);
  } catch (err) {
    throw new UsageError(`invalid character sheet ${source}: class: ${(err as Error).message}`, {
      hint,
    });
  }
  return sheet;
}

export async function loadCharacter(
  input: { character: string; db?: string | undefined },
  ctx: CommandContext,
): Promise<LoadedCharacter> {
  const file = resolve(ctx.cwd, input.character);
  if (existsSync(file) && statSync(file).isFile()) {
    return { sheet: await checkSheet(await parseSheetFile(file), input.character), file };
  }
  const { withCampaign } = await lazy(ctx, '_store');
  return withCampaign(input, ctx, 'read', async (store) => {
    const entity = await store.resolve(input.character, { type: 'pc' });
    return {
      sheet: await checkSheet(entity.data, `pc "${entity.name}"`),
      entity: { id: entity.id, version: entity.version },
    };
  });
}
