import { DmaError } from '../core/errors.ts';
import type { CommandModule } from '../generated/types.ts';

export const run: CommandModule<'config.show'>['run'] = async (_input, ctx) => {
  if (ctx.config === undefined)
    throw new DmaError('UNEXPECTED', 'no configuration in this context');
  return ctx.config();
};

export const text: CommandModule<'config.show'>['text'] = (r) =>
  [
    `# ${r.file}${r.exists ? '' : ' (none)'}`,
    ...r.values.map(
      (v) =>
        `${v.key}: ${v.value ?? "(the adapter's own)"}  # ${v.source}${v.source === 'env' ? ` (${v.env})` : ''}`,
    ),
  ].join('\n');
