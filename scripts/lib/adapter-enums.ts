/**
 * The adapter registry (`ADAPTERS`, src/llm/adapters/index.ts) is the only list of adapter
 * names: at `npm run generate` the enum of every option called `adapter` in cli-contract.yaml
 * is rewritten to its names and aliases, in registry order — so the Commander choices, the
 * validators, the servers' schemas, completions and docs/cli.md all follow it, and
 * `npm run generate:check` fails when the contract lags behind. Only the enum's brackets are
 * rewritten (a text edit of that one line), so the contract keeps its hand-written layout.
 */
import { ADAPTERS } from '../../src/llm/adapters/index.ts';

/** Every name `--adapter` accepts: each adapter's name, then its aliases. */
export function adapterNames(): string[] {
  return ADAPTERS.flatMap((a) => [a.name, ...a.aliases]);
}

const OPTION = /^(\s*)adapter:\s*$/;
const ENUM = /^(\s*schema: \{.*\benum: \[)([^\]]*)(\].*)$/;

/** The contract text with the enum of each `adapter:` option set to `names`. */
export function syncAdapterEnums(contract: string, names: string[] = adapterNames()): string {
  const lines = contract.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const option = OPTION.exec(lines[i]!);
    if (option === null) continue;
    const indent = option[1]!.length;
    for (let j = i + 1; j < lines.length; j++) {
      const line = lines[j]!;
      if (line.trim() !== '' && line.length - line.trimStart().length <= indent) break;
      const m = ENUM.exec(line);
      if (m !== null) {
        lines[j] = `${m[1]}${names.join(', ')}${m[3]}`;
        break;
      }
    }
  }
  return lines.join('\n');
}
