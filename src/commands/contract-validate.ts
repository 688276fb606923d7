import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAndValidateContract } from '../contracts/cli-contract.ts';
import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';

/** dma's own contract sits at the package root, above src/commands/ or dist/full/. */
function ownContract(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'cli-contract.yaml');
    if (existsSync(candidate)) return candidate;
    const up = dirname(dir);
    if (up === dir) return candidate;
    dir = up;
  }
}

export const run: CommandModule<'contract.validate'>['run'] = async (input, ctx) => {
  const file = input.file === undefined ? ownContract() : resolve(ctx.cwd, input.file);
  let text: string;
  try {
    text = input.file === '-' ? await ctx.readStdin() : await readFile(file, 'utf8');
  } catch (err) {
    throw new UsageError(
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
    );
  }
  const { contract, findings } = await parseAndValidateContract(text);
  return {
    file: input.file ?? 'cli-contract.yaml',
    valid: findings.length === 0,
    commands: contract ? Object.keys(contract.commands).length : 0,
    findings,
  };
};

export const text: CommandModule<'contract.validate'>['text'] = (r) =>
  r.valid
    ? `${r.file}: valid (${r.commands} commands)`
    : r.findings
        .map((f) => `${r.file}${f.path ? `#${f.path}` : ''}: [${f.rule}] ${f.message}`)
        .join('\n');

export const exitCode: CommandModule<'contract.validate'>['exitCode'] = (r) => (r.valid ? 0 : 3);
