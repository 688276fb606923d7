import { accessSync, constants, existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { CommandContext } from '../core/context.ts';
import type { CommandModule } from '../generated/types.ts';

export interface Check {
  name: string;
  status: 'ok' | 'warn' | 'fail';
  detail: string;
}

/** The nearest existing ancestor of a path is writable (so the path can be created). */
function writableDir(path: string): boolean {
  let dir = path;
  while (!existsSync(dir)) {
    const up = dirname(dir);
    if (up === dir) return false;
    dir = up;
  }
  try {
    accessSync(dir, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function nodeCheck(): Check {
  const major = Number(process.versions.node.split('.')[0]);
  return major >= 20
    ? { name: 'node', status: 'ok', detail: `Node.js ${process.versions.node}` }
    : {
        name: 'node',
        status: 'fail',
        detail: `Node.js ${process.versions.node}; dma needs 20 or newer`,
      };
}

function dataDirCheck(ctx: CommandContext): Check {
  const home = ctx.env['HOME'] ?? '';
  const base = ctx.env['XDG_DATA_HOME'] || `${home}/.local/share`;
  const dir = `${base}/dma`;
  return writableDir(dir)
    ? { name: 'data directory', status: 'ok', detail: `${dir} is writable` }
    : { name: 'data directory', status: 'fail', detail: `${dir} cannot be created or written` };
}

/** Checks in order; later issues add theirs to this list. */
export const checks: ((ctx: CommandContext) => Check | Promise<Check>)[] = [
  nodeCheck,
  dataDirCheck,
];

export const run: CommandModule<'doctor'>['run'] = async (_input, ctx) => {
  const results: Check[] = [];
  for (const check of checks) results.push(await check(ctx));
  return { ok: results.every((c) => c.status !== 'fail'), checks: results };
};

export const text: CommandModule<'doctor'>['text'] = (r) =>
  r.checks
    .map(
      (c) => `${c.status === 'ok' ? '✓' : c.status === 'warn' ? '!' : '✗'} ${c.name}: ${c.detail}`,
    )
    .join('\n');

export const exitCode: CommandModule<'doctor'>['exitCode'] = (r) => (r.ok ? 0 : 1);
