/**
 * The heavy paths a command loads only when it takes them, by name. Each is a module of its
 * own under src/commands/; src/cli/lazy.ts loads it (the one place a command's code is loaded
 * lazily, docs/development.md "Start-up"), and the build makes each its own file. A command
 * file itself never calls `import()` (eslint.config.js).
 */
import type { CommandContext } from '../core/context.ts';
import type * as DryRun from './_dry-run.ts';
import type * as Guardrails from './_guardrails.ts';
import type * as LlmIndex from './_llm-index.ts';
import type * as LlmRun from './_llm-run.ts';
import type * as Monsters from './_monsters.ts';
import type * as EntityText from './_entity-text.ts';
import type * as Saved from './_saved.ts';
import type * as Store from './_store.ts';
import type * as NpcCreateSaving from './_npc-create-saving.ts';
import type * as DungeonGenSaving from './_dungeon-gen-saving.ts';

/** name (the module's file name) → the module */
export interface LazyModules {
  _saved: typeof Saved;
  '_dry-run': typeof DryRun;
  _store: typeof Store;
  '_llm-run': typeof LlmRun;
  '_llm-index': typeof LlmIndex;
  _guardrails: typeof Guardrails;
  _monsters: typeof Monsters;
  '_entity-text': typeof EntityText;
  '_npc-create-saving': typeof NpcCreateSaving;
  '_dungeon-gen-saving': typeof DungeonGenSaving;
}

export const lazy = <K extends keyof LazyModules>(
  ctx: Pick<CommandContext, 'load'>,
  name: K,
): Promise<LazyModules[K]> => ctx.load(name) as Promise<LazyModules[K]>;

/**
 * `ctx` with `load` answering `modules` from the calling bundle: a route module (src/cli/
 * lazy-modules.ts, `routes`) carries a command and the paths its run takes in one file.
 */
export function withModules(ctx: CommandContext, modules: Partial<LazyModules>): CommandContext {
  const load = (name: string): Promise<unknown> =>
    name in modules ? Promise.resolve(modules[name as keyof LazyModules]) : ctx.load(name);
  // a view of ctx, not a copy: a getter of ctx (a server's lazy signal) stays a getter
  return Object.assign(Object.create(ctx) as CommandContext, { load });
}
