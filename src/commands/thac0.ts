import { UsageError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';
import { thac0For } from '../rules/thac0.ts';

export const run: CommandModule<'thac0'>['run'] = (input) => {
  if (input.class === undefined || input.level === undefined) {
    throw new UsageError('give a class and a level, e.g. `dma thac0 fighter 5`');
  }
  const { group, thac0 } = thac0For(input.class, input.level);
  return {
    class: input.class.toLowerCase(),
    group,
    level: input.level,
    thac0,
    source: 'PHB Table 53',
  };
};

export const text: CommandModule<'thac0'>['text'] = (r) => String(r.thac0);
