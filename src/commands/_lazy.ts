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
}

export const lazy = <K extends keyof LazyModules>(
  ctx: Pick<CommandContext, 'load'>,
  name: K,
): Promise<LazyModules[K]> => ctx.load(name) as Promise<LazyModules[K]>;
