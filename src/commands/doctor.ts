import { accessSync, constants, existsSync, statSync } from 'node:fs';
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

async function databaseCheck(ctx: CommandContext, db: string | undefined): Promise<Check> {
  try {
    const { withCampaign } = await import('../store/open.ts');
    return await withCampaign({ db }, ctx, 'read', async (store): Promise<Check> => {
      const info = await store.info();
      if (!info.exists) {
        return {
          name: 'database',
          status: 'ok',
          detail: `${info.path} (created on the first write)`,
        };
      }
      return (await store.check()).ok
        ? {
            name: 'database',
            status: 'ok',
            detail: `${info.path}: schema ${info.schema_version}, ${info.entities} entities, integrity ok`,
          }
        : {
            name: 'database',
            status: 'fail',
            detail: `${info.path} fails its integrity check (dma db check)`,
          };
    });
  } catch (err) {
    return {
      name: 'database',
      status: 'fail',
      detail: err instanceof Error ? err.message : String(err),
    };
  }
}

/**
 * The campaign database holds every LLM prompt and answer: readable by group or others
 * (0644, the default of older dma versions) is a warning with the command that fixes it.
 */
async function databasePermissionsCheck(
  ctx: CommandContext,
  db: string | undefined,
): Promise<Check[]> {
  const { resolveDbPath } = await import('../store/paths.ts');
  const { path } = resolveDbPath({ explicit: db, env: ctx.env, cwd: ctx.cwd });
  if (path === ':memory:' || !existsSync(path)) return [];
  const mode = statSync(path).mode & 0o777;
  const octal = mode.toString(8).padStart(3, '0');
  return mode & 0o044
    ? [
        {
          name: 'database permissions',
          status: 'warn',
          detail: `${path} is readable by ${mode & 0o004 ? 'others' : 'group'} (mode ${octal}) and holds every LLM prompt and answer: chmod 600 ${path}`,
        },
      ]
    : [{ name: 'database permissions', status: 'ok', detail: `mode ${octal}` }];
}

type DoctorCheck = (
  ctx: CommandContext,
  input: { db?: string | undefined },
) => Check | Promise<Check> | Promise<Check[]>;

/**
 * One line per LLM adapter: SDK importable, API key variable set (never its value). A missing
 * key is a warning, and so is a missing SDK: both adapters are optional, mock always works.
 */
async function adapterChecks(ctx: CommandContext): Promise<Check[]> {
  const { adapterStatus } = await import('../llm/adapters/index.ts');
  const { sdkImporter } = await import('./_llm.ts');
  return (await adapterStatus(ctx.env, sdkImporter(ctx.env))).map((a): Check => {
    const name = `adapter ${a.name}`;
    if (a.sdkPackage === null) return { name, status: 'ok', detail: 'offline, always available' };
    const parts = [
      a.sdkInstalled
        ? `${a.sdkPackage} installed`
        : `${a.sdkPackage} not installed (npm install ${a.sdkPackage})`,
      a.keySet
        ? `${a.keyVariable} set`
        : a.ready
          ? `${a.keyVariable} not set (not needed: ${a.baseUrlVariable} is a local server)`
          : `${a.keyVariable} not set`,
    ];
    if (a.baseUrlSet) parts.push(`${a.baseUrlVariable} set`);
    return { name, status: a.ready ? 'ok' : 'warn', detail: parts.join(', ') };
  });
}

/** Checks in order; later issues add theirs to this list. */
export const checks: DoctorCheck[] = [
  nodeCheck,
  dataDirCheck,
  (ctx, input) => databaseCheck(ctx, input.db),
  (ctx, input) => databasePermissionsCheck(ctx, input.db),
  adapterChecks,
];

export const run: CommandModule<'doctor'>['run'] = async (input, ctx) => {
  const results: Check[] = [];
  for (const check of checks) results.push(...[await check(ctx, input)].flat());
  return { ok: results.every((c) => c.status !== 'fail'), checks: results };
};

export const text: CommandModule<'doctor'>['text'] = (r) =>
  r.checks
    .map(
      (c) => `${c.status === 'ok' ? '✓' : c.status === 'warn' ? '!' : '✗'} ${c.name}: ${c.detail}`,
    )
    .join('\n');

export const exitCode: CommandModule<'doctor'>['exitCode'] = (r) => (r.ok ? 0 : 1);
