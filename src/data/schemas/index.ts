/**
 * Registry of rules-data files: `rules-data/<name>.yaml` is validated by `schema` at
 * generate time and compiled to `src/generated/data/<name>.ts` (no YAML at run time).
 * Adding a table is one YAML file, one schema file and one line here.
 */
import type { z } from 'zod';
import { thac0Schema } from './thac0.ts';

export interface RulesDataEntry {
  /** file name under rules-data/ without `.yaml` */
  name: string;
  schema: z.ZodType;
  /** the exported type name in the schema module, used by the generated module */
  typeName: string;
  /** schema module path relative to src/data/schemas/ */
  module: string;
}

export const rulesDataRegistry: RulesDataEntry[] = [
  { name: 'thac0', schema: thac0Schema, typeName: 'Thac0Data', module: 'thac0.ts' },
];
