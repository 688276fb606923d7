/**
 * Where a command's code is loaded lazily, by name: a heavy path of a command (`ctx.load`,
 * the table in src/cli/lazy-modules.ts) or a command's module by id (`ctx.loadCommand`).
 */
import { lazyModules } from './lazy-modules.ts';
import { fastHandlers } from '../generated/fast-handlers.ts';
import type { CommandId } from '../generated/types.ts';

export function loadLazy(name: string): Promise<unknown> {
  const load = (lazyModules as Record<string, (() => Promise<unknown>) | undefined>)[name];
  if (load === undefined) throw new Error(`no lazy module "${name}"`);
  return load();
}

const commandModules = new Map<string, Promise<unknown>>();

/**
 * A command's module by id (`ctx.loadCommand`: `explain thac0` renders with thac0's module,
 * the servers run every command): a fast-lane command's own file, else through the full
 * program's handler table. Once per command: a server calls the same handlers again and
 * again, and an `import()` of a module already loaded still goes through the ES module loader.
 */
export function loadCommand(id: string): Promise<unknown> {
  let mod = commandModules.get(id);
  if (mod === undefined) {
    const fast = fastHandlers[id as CommandId];
    mod = fast ? fast() : import('./full.ts').then((full) => full.loadCommandById(id));
    commandModules.set(id, mod);
    mod.catch(() => commandModules.delete(id));
  }
  return mod;
}
