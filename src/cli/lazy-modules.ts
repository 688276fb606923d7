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
};
