/**
 * The bus contracts' JSON Schemas as generated files (`docs/schemas/<name>.v1.json`).
 * Pure: `npm run generate` writes what this returns and `--check` compares it.
 */
import { exportJsonSchemas } from '../../src/contracts/bus/json-schema.ts';
import type { GeneratedFile } from './rules-data.ts';

export const SCHEMA_DIR = 'docs/schemas';

export function generateSchemaFiles(): GeneratedFile[] {
  return Object.entries(exportJsonSchemas()).map(([file, schema]) => ({
    path: `${SCHEMA_DIR}/${file}`,
    content: `${JSON.stringify(schema, null, 2)}\n`,
  }));
}
