import type { CommandModule } from '../generated/types.ts';
import { rulesTables } from '../rules/tables.ts';

export const run: CommandModule<'rules.list'>['run'] = () => ({ tables: rulesTables() });

export const text: CommandModule<'rules.list'>['text'] = (r) => {
  const w = Math.max(...r.tables.map((t) => t.name.length));
  return r.tables.map((t) => `${t.name.padEnd(w)}  ${t.title} (${t.source})`).join('\n');
};
