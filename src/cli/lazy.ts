/**
 * The one table of the heavy paths commands load lazily (`ctx.load`, src/commands/_lazy.ts).
 * The key is the module's file name under src/commands/: scripts/build.mjs reads the keys and
 * builds each as its own fast-lane file (dist/fast/<name>.cjs); the full program's bundle
 * splits it into its own chunk. The type keeps this table and LazyModules the same.
 */
import type { LazyModules } from '../commands/_lazy.ts';

export const lazyModules: { [K in keyof LazyModules]: () => Promise<LazyModules[K]> } = {
  _saved: () => import('../commands/_saved.ts'),
  '_dry-run': () => import('../commands/_dry-run.ts'),
};

export function loadLazy(name: string): Promise<unknown> {
  const load = (lazyModules as Record<string, (() => Promise<unknown>) | undefined>)[name];
  if (load === undefined) throw new Error(`no lazy module "${name}"`);
  return load();
}
