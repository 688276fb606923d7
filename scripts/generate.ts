/**
 * `npm run generate` writes everything derived from cli-contract.yaml and rules-data/;
 * `npm run generate:check` writes nothing and fails when any of it is stale.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAndValidateContract } from '../src/contracts/cli-contract.ts';
import { compileDsl, compileDslValidators, DSL_REGISTRY_PATH } from '../src/llm/dsl/loader.ts';
import { generateCli } from './lib/cli-codegen.ts';
import { generateServe } from './lib/serve-codegen.ts';
import { syncAdapterEnums } from './lib/adapter-enums.ts';
import { compileContractValidators, CONTRACT_VALIDATORS_PATH } from './lib/contract-validators.ts';
import { generateSchemaFiles } from './lib/export-schemas.ts';
import { compileRulesData, orphanRulesDataFiles, type GeneratedFile } from './lib/rules-data.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

async function main(): Promise<number> {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  // the adapter enums of the contract come from the adapter registry
  const contractText = syncAdapterEnums(readFileSync(join(root, 'cli-contract.yaml'), 'utf8'));
  const { contract, findings } = await parseAndValidateContract(contractText, pkg.version);
  if (!contract || findings.length > 0) {
    for (const f of findings)
      console.error(`cli-contract.yaml${f.path ? `#${f.path}` : ''}: [${f.rule}] ${f.message}`);
    return 3;
  }
  const files: GeneratedFile[] = [
    { path: 'cli-contract.yaml', content: contractText },
    ...(await compileRulesData(root)),
    ...generateCli(contract),
    ...generateServe(contract),
    { path: DSL_REGISTRY_PATH, content: compileDsl(root) },
    { path: 'src/generated/dsl/validators.ts', content: compileDslValidators(root) },
    ...generateSchemaFiles(),
    { path: CONTRACT_VALIDATORS_PATH, content: compileContractValidators() },
  ];
  const stale: string[] = [];
  for (const orphan of orphanRulesDataFiles(root, files)) {
    stale.push(`${orphan} (no rules-data/ table: removed)`);
    if (!check) rmSync(join(root, orphan));
  }
  for (const f of files) {
    const abs = join(root, f.path);
    const current = existsSync(abs) ? readFileSync(abs, 'utf8') : undefined;
    if (current === f.content) continue;
    stale.push(f.path);
    if (!check) {
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, f.content);
    }
  }
  if (check && stale.length > 0) {
    console.error(`generated files are stale — run \`npm run generate\`:\n  ${stale.join('\n  ')}`);
    return 1;
  }
  console.error(
    check
      ? `generated files are up to date (${files.length})`
      : `generated ${files.length} files, ${stale.length} changed`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
