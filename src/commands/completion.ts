import { completions } from '../generated/completions.ts';
import type { CommandModule } from '../generated/types.ts';

export const run: CommandModule<'completion'>['run'] = (input) => ({
  shell: input.shell,
  script: completions[input.shell],
});

export const text: CommandModule<'completion'>['text'] = (r) => String(r['script']);
