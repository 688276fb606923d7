/**
 * The one table of the heavy paths commands load lazily (`ctx.load`, src/commands/_lazy.ts).
 * The key is the module's file name under src/commands/: scripts/build.mjs reads the keys and
 * builds each as its own fast-lane file (dist/fast/<name>.cjs); the full program's bundle
 * splits it into its own chunk. The type keeps this table and LazyModules the same. This file
 * imports nothing else, so the build can read it alone.
 */
import type { LazyModules } from '../commands/_lazy.ts';

export const lazyModules: { [K in keyof LazyModules]: () => Promise<LazyModules[K]> } = {
  _saved: () => import('../commands/_saved.ts'),
  '_dry-run': () => import('../commands/_dry-run.ts'),
  _store: () => import('../commands/_store.ts'),
  '_llm-run': () => import('../commands/_llm-run.ts'),
  '_llm-index': () => import('../commands/_llm-index.ts'),
  _guardrails: () => import('../commands/_guardrails.ts'),
  _monsters: () => import('../commands/_monsters.ts'),
  '_entity-text': () => import('../commands/_entity-text.ts'),
  '_npc-create-saving': () => import('../commands/_npc-create-saving.ts'),
  '_dungeon-gen-saving': () => import('../commands/_dungeon-gen-saving.ts'),
};

/** A run saves (or checks a save) unless --no-save. */
const saves = (input: Record<string, unknown>): boolean => input['save'] !== false;

/**
 * Commands whose runs take a heavy path that only some runs take, by command id: such a run
 * loads the route's module (the command with that path, one file) instead of the command's.
 */
export const routes: Record<
  string,
  { when: (input: Record<string, unknown>) => boolean; module: keyof LazyModules }
> = {
  'npc.create': { when: saves, module: '_npc-create-saving' },
  'dungeon.gen': { when: saves, module: '_dungeon-gen-saving' },
};
