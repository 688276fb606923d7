/**
 * Files the build writes beside the fast-lane bundles (scripts/build.mjs): the worker
 * threads' entries, dist/fast/_<name>.cjs.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The built file `name` next to the module that runs this (dist/fast/) or one folder over
 * (dist/full/); undefined when running from the sources (tests), which then do the work
 * on this thread.
 */
export function bundledFile(name: string): string | undefined {
  let here: string;
  try {
    here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
  } catch {
    return undefined;
  }
  const dir = dirname(here);
  for (const candidate of [join(dir, name), join(dir, '..', 'fast', name)])
    if (existsSync(candidate)) return candidate;
  return undefined;
}
