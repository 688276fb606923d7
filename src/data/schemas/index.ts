/**
 * Registry of rules-data files: `rules-data/<name>.yaml` is validated by `schema` at
 * generate time and compiled to `src/generated/data/<name>.ts` (no YAML at run time).
 * Adding a table is one YAML file, one schema file and one line here.
 */
import type { z } from 'zod';
import { dungeonSchema } from './dungeon.ts';
import { monstersSchema } from './monsters.ts';
import { thac0Schema } from './thac0.ts';
import { treasureSchema } from './treasure.ts';

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
  { name: 'monsters', schema: monstersSchema, typeName: 'MonstersData', module: 'monsters.ts' },
  { name: 'treasure', schema: treasureSchema, typeName: 'TreasureData', module: 'treasure.ts' },
  { name: 'dungeon', schema: dungeonSchema, typeName: 'DungeonData', module: 'dungeon.ts' },
];
