/**
 * The config file: `$XDG_CONFIG_HOME/dma/config.yaml` (`~/.config/dma/config.yaml`), or the
 * file `$DMA_CONFIG` names. Precedence for each key: flag > environment > config file >
 * default (CLI-CONVENTIONS.md). `CONFIG_KEYS` is the only list of keys.
 *
 * Read lazily: only when the running command declares an option a key sets and the user did
 * not type it, and only when the file exists — so `dma thac0` never loads YAML.
 */
import { loadYaml } from '../core/yaml.ts';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { ConfigValue, EffectiveConfig } from '../core/context.ts';
import { UsageError } from '../core/errors.ts';
import { didYouMean } from '../core/suggest.ts';
import type { CommandMeta, OptMeta } from '../generated/commands.ts';
import { resolveDbPath } from '../store/paths.ts';

type Env = Readonly<Record<string, string | undefined>>;

interface ConfigKey {
  /** the option it defaults (its key in a command's input) */
  option: string;
  /** the environment variable between the flag and the file */
  env: string;
  type: 'string' | 'integer';
  /** what applies when nothing sets it (null: the command's own default) */
  fallback: string | number | null;
  /** a campaign path in the file is relative to the file */
  path?: true;
}

export const CONFIG_KEYS: Readonly<Record<string, ConfigKey>> = {
  adapter: { option: 'adapter', env: 'DMA_ADAPTER', type: 'string', fallback: 'mock' },
  model: { option: 'model', env: 'DMA_MODEL', type: 'string', fallback: null },
  campaign: { option: 'db', env: 'DMA_DB', type: 'string', fallback: null, path: true },
  language: { option: 'lang', env: 'DMA_LANG', type: 'string', fallback: 'en' },
  party_size: { option: 'partySize', env: 'DMA_PARTY_SIZE', type: 'integer', fallback: 4 },
};

/** Where the config file is: $DMA_CONFIG, else $XDG_CONFIG_HOME/dma/config.yaml. */
export function configPath(env: Env, cwd: string): string {
  if (env['DMA_CONFIG']) return resolve(cwd, env['DMA_CONFIG']);
  const base = env['XDG_CONFIG_HOME'] || join(env['HOME'] ?? '', '.config');
  return join(base, 'dma', 'config.yaml');
}

type FileValues = Partial<Record<string, string | number>>;

/** Parse and validate the file's text: a mapping of known keys; exit 3 with one line if not. */
export async function parseConfig(text: string, file: string, home = ''): Promise<FileValues> {
  const { parse } = await loadYaml();
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0];
    throw new UsageError(`${file}: not valid YAML: ${first}`);
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc))
    throw new UsageError(`${file}: expected a mapping of settings (key: value)`);
  const out: FileValues = {};
  const known = Object.keys(CONFIG_KEYS);
  for (const [key, value] of Object.entries(doc as Record<string, unknown>)) {
    const def = CONFIG_KEYS[key];
    if (def === undefined)
      throw new UsageError(`${file}: unknown key "${key}"${didYouMean(key, known)}`, {
        hint: `keys: ${known.join(', ')}`,
      });
    const ok =
      def.type === 'integer'
        ? typeof value === 'number' && Number.isInteger(value)
        : typeof value === 'string' && value !== '';
    if (!ok)
      throw new UsageError(
        `${file}: ${key}: expected ${def.type === 'integer' ? 'an integer' : 'a string'}`,
      );
    out[key] = def.path
      ? resolve(dirname(file), (value as string).replace(/^~(?=\/|$)/, home))
      : (value as string | number);
  }
  return out;
}

/**
 * The validated values of a config file are kept as JSON in $XDG_CACHE_HOME/dma/ beside the
 * file's path, size and mtime: loading the YAML parser costs a command ~50 ms of CPU, reading
 * the JSON well under one. A stale or unreadable cache is ignored and rewritten.
 */
function cacheFile(env: Env): string {
  const base = env['XDG_CACHE_HOME'] || join(env['HOME'] ?? '', '.cache');
  return join(base, 'dma', 'config.json');
}

interface Compiled {
  file: string;
  size: number;
  mtimeMs: number;
  values: FileValues;
}

function readCompiled(
  env: Env,
  file: string,
  size: number,
  mtimeMs: number,
): FileValues | undefined {
  try {
    const c = JSON.parse(readFileSync(cacheFile(env), 'utf8')) as Compiled;
    return c.file === file && c.size === size && c.mtimeMs === mtimeMs ? c.values : undefined;
  } catch {
    return undefined;
  }
}

function writeCompiled(env: Env, compiled: Compiled): void {
  try {
    const path = cacheFile(env);
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    writeFileSync(`${path}.${process.pid}`, JSON.stringify(compiled), { mode: 0o600 });
    renameSync(`${path}.${process.pid}`, path);
  } catch {
    // a cache that cannot be written only costs the next run the YAML parse
  }
}

/** The config file's values, read once per process; {} when there is no file. */
export function loadConfig(
  env: Env,
  cwd: string,
): Promise<{ file: string; exists: boolean; values: FileValues }> {
  const file = configPath(env, cwd);
  return (cache ??= (async () => {
    const st = statSync(file, { throwIfNoEntry: false });
    if (st === undefined) {
      if (env['DMA_CONFIG'])
        throw new UsageError(`config file ${file} (DMA_CONFIG) does not exist`);
      return { file, exists: false, values: {} };
    }
    const compiled = readCompiled(env, file, st.size, st.mtimeMs);
    if (compiled !== undefined) return { file, exists: true, values: compiled };
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (err) {
      throw new UsageError(
        `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`,
      );
    }
    const values = await parseConfig(text, file, env['HOME'] ?? '');
    writeCompiled(env, { file, size: st.size, mtimeMs: st.mtimeMs, values });
    return { file, exists: true, values };
  })());
}
let cache: ReturnType<typeof loadConfig> | undefined;

/** An environment value of a key, checked like the file's; undefined when unset. */
function fromEnv(key: string, def: ConfigKey, env: Env, cwd: string): string | number | undefined {
  const raw = env[def.env];
  if (raw === undefined || raw === '') return undefined;
  if (def.type === 'string') return def.path ? resolve(cwd, raw) : raw;
  if (!/^-?\d+$/.test(raw))
    throw new UsageError(`${def.env}: expected an integer for ${key}, got "${raw}"`);
  return Number(raw);
}

/** A value from the environment or the file against the option it defaults (enum, range). */
function checkAgainst(o: OptMeta, value: string | number, where: string): void {
  if (o.enum && !o.enum.includes(String(value)))
    throw new UsageError(
      `${where}: "${value}" is not one of ${o.enum.join(', ')}${didYouMean(String(value), o.enum)}`,
    );
  if (typeof value === 'number') {
    if (
      (o.minimum !== undefined && value < o.minimum) ||
      (o.maximum !== undefined && value > o.maximum)
    )
      throw new UsageError(
        `${where}: ${value} is out of range (${o.minimum ?? ''}–${o.maximum ?? ''})`,
      );
  }
}

/**
 * Fill the options the user did not type from the environment, then the config file. The
 * store reads $DMA_DB itself, so `campaign` only comes from the file here; the file is read
 * only when some key is still open.
 */
export async function applyConfig(
  meta: CommandMeta,
  input: Record<string, unknown>,
  typed: ReadonlySet<string>,
  env: Env,
  cwd: string,
): Promise<void> {
  const open: [string, ConfigKey, OptMeta | undefined][] = [];
  for (const [key, def] of Object.entries(CONFIG_KEYS)) {
    if (typed.has(def.option)) continue;
    const o = meta.options.find((x) => x.key === def.option);
    if (def.option === 'db') {
      if (!meta.database || env['DMA_DB']) continue;
    } else if (o === undefined) continue;
    const v = fromEnv(key, def, env, cwd);
    if (v !== undefined) {
      if (o) checkAgainst(o, v, def.env);
      input[def.option] = v;
    } else open.push([key, def, o]);
  }
  if (open.length === 0 || !existsSync(configPath(env, cwd))) return;
  const { file, values } = await loadConfig(env, cwd);
  for (const [key, def, o] of open) {
    const v = values[key];
    if (v === undefined) continue;
    if (o) checkAgainst(o, v, `${file}: ${key}`);
    input[def.option] = v;
  }
}

/** `dma config show`: every key's effective value and where it came from. */
export async function effectiveConfig(env: Env, cwd: string): Promise<EffectiveConfig> {
  const { file, exists, values } = await loadConfig(env, cwd);
  const out: ConfigValue[] = Object.entries(CONFIG_KEYS).map(([key, def]) => {
    const e = fromEnv(key, def, env, cwd);
    if (e !== undefined) return { key, value: e, source: 'env', env: def.env };
    const f = values[key];
    if (f !== undefined) return { key, value: f, source: 'config', env: def.env };
    if (key === 'campaign') {
      const { DMA_DB: _unset, ...rest } = env;
      return {
        key,
        value: resolveDbPath({ env: rest, cwd }).path,
        source: 'default',
        env: def.env,
      };
    }
    return { key, value: def.fallback, source: 'default', env: def.env };
  });
  return { file, exists, values: out };
}

/** For tests: forget the file read in this process. */
export function resetConfigCache(): void {
  cache = undefined;
}
