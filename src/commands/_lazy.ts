/**
 * The heavy paths a command loads only when it takes them, by name. Each is a module of its
 * own under src/commands/; src/cli/lazy.ts loads it (the one place a command's code is loaded
 * lazily, docs/development.md "Start-up"), and the build makes each its own file. A command
 * file itself never calls `import()` (eslint.config.js).
 */
import type { CommandContext } from '../core/context.ts';
import type * as DryRun from './_dry-run.ts';
import type * as Saved from './_saved.ts';

/** name (the module's file name) → the module */
export interface LazyModules {
  _saved: typeof Saved;
  '_dry-run': typeof DryRun;
}

export const lazy = <K extends keyof LazyModules>(
  ctx: Pick<CommandContext, 'load'>,
  name: K,
): Promise<LazyModules[K]> => ctx.load(name) as Promise<LazyModules[K]>;
