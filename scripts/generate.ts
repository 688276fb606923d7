/** `npm run generate` (write) and `npm run generate:check` (fail when stale). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileRulesData, type GeneratedFile } from './lib/rules-data.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');

const files: GeneratedFile[] = [...compileRulesData(root)];

const stale: string[] = [];
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
  console.error(`generated files are stale (run npm run generate):\n  ${stale.join('\n  ')}`);
  process.exit(1);
}
console.error(check ? 'generated files are up to date' : `generated ${files.length} files (${stale.length} changed)`);
