/**
 * `npc create` for a run that saves (or checks a save: --dry-run): the command with the
 * paths that run takes, in one module. src/cli loads it instead of npc-create.ts for such a
 * run (src/cli/lazy-modules.ts, `routes`), so the run loads one file, not the command's and
 * then its path's (each with its own copy of the NPC generator).
 */
import type { CommandModule } from '../generated/types.ts';
import * as dryRun from './_dry-run.ts';
import { withModules } from './_lazy.ts';
import * as saved from './_saved.ts';
import * as command from './npc-create.ts';

export * from './npc-create.ts';

export const run: CommandModule<'npc.create'>['run'] = (input, ctx) =>
  command.run(input, withModules(ctx, { _saved: saved, '_dry-run': dryRun }));
