import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { CommandContext } from '../core/context.ts';
import type { CommandModule } from '../generated/types.ts';
import { adapterStatus } from '../llm/adapters/index.ts';
import { withCampaign } from '../store/open.ts';
import { resolveDbPath } from '../store/paths.ts';
import { hiddenSdks } from './_llm.ts';

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

/** The Node majors CI tests dma on (package.json `engines`). */
export const TESTED_NODE_MAJORS = [20, 22, 24];

export function nodeCheck(version = process.versions.node): Check {
  const major = Number(version.split('.')[0]);
  const tested = TESTED_NODE_MAJORS.join(', ');
  if (major < TESTED_NODE_MAJORS[0]!)
    return { name: 'node', status: 'fail', detail: `Node.js ${version}; dma needs ${tested}` };
  if (!TESTED_NODE_MAJORS.includes(major))
    return {
      name: 'node',
      status: 'warn',
      detail: `Node.js ${version} is not one dma is tested on (${tested}); it may work`,
    };
  return { name: 'node', status: 'ok', detail: `Node.js ${version}` };
}

function dataDirCheck(ctx: CommandContext): Check {
  const home = ctx.env['HOME'] ?? '';
  const base = ctx.env['XDG_DATA_HOME'] || `${home}/.local/share`;
  const dir = `${base}/dma`;
  return writableDir(dir)
    ? { name: 'data directory', status: 'ok', detail: `${dir} is writable` }
    : { name: 'data directory', status: 'fail', detail: `${dir} cannot be created or written` };
}

/**
 * Quick by default: opening the campaign checks its header, application id and schema
 * version, and counting the entities reads the index — milliseconds on any size. `--full`
 * runs `dma db check` (integrity, foreign keys, the search index), which reads every page:
 * seconds on a large campaign.
 */
async function databaseCheck(
  ctx: CommandContext,
  db: string | undefined,
  full: boolean,
): Promise<Check> {
  try {
    return await withCampaign({ db }, ctx, 'read', async (store): Promise<Check> => {
      const info = await store.info();
      if (!info.exists) {
        return {
          name: 'database',
          status: 'ok',
          detail: `${info.path} (created on the first write)`,
        };
      }
      const summary = `${info.path}: schema ${info.schema_version}, ${info.entities} entities`;
      if (!full)
        return {
          name: 'database',
          status: 'ok',
          detail: `${summary} (dma doctor --full checks integrity)`,
        };
      return (await store.check()).ok
        ? { name: 'database', status: 'ok', detail: `${summary}, integrity ok` }
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
  input: { db?: string | undefined; full?: boolean | undefined },
) => Check | Promise<Check> | Promise<Check[]>;

/**
 * Whether a package is installed where dma would load it from: its package.json is found on
 * the module search path. Resolving, not importing: the SDKs take ~100 ms each to load.
 */
function sdkResolver(env: CommandContext['env']): (pkg: string) => Promise<unknown> {
  const hidden = hiddenSdks(env);
  // from the bundle's own file; as an ES module (tsx, vitest) from the running script
  const req = createRequire(
    typeof __filename === 'string' ? __filename : (process.argv[1] ?? `${process.cwd()}/`),
  );
  return (pkg) =>
    !hidden.includes(pkg) &&
    (req.resolve.paths(pkg) ?? []).some((dir) => existsSync(join(dir, pkg, 'package.json')))
      ? Promise.resolve(true)
      : Promise.reject(new Error(`${pkg} is not installed`));
}

/**
 * One line per LLM adapter: SDK installed, API key variable set (never its value). A missing
 * key is a warning, and so is a missing SDK: both adapters are optional, mock always works.
 */
async function adapterChecks(ctx: CommandContext): Promise<Check[]> {
  return (await adapterStatus(ctx.env, sdkResolver(ctx.env))).map((a): Check => {
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
  () => nodeCheck(),
  dataDirCheck,
  (ctx, input) => databaseCheck(ctx, input.db, input.full === true),
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
