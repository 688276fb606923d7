/**
 * The code cache of the bundles on Node 20 (built to dist/code-cache.cjs; bin/dma.cjs starts
 * through it only where Node lacks `module.enableCompileCache()`, i.e. before 22.1). Start-up
 * is explained in one place: docs/development.md, "Start-up", and scripts/build.mjs.
 *
 * The CommonJS files dist/dma.cjs loads from dist/ (a command's file, a heavy path, and what
 * those load: a vendored package) are compiled through node:vm's documented code cache:
 * `new Script(source, { cachedData })`, and, at the end of a run that had no usable cache for
 * a file, `script.createCachedData()`. Made after the run, the cache holds the bytecode of
 * every function the run compiled, so the next run neither pre-parses the file nor compiles
 * those functions again (instructions: a saved `dungeon gen` -16%, a saved `npc create` -21%,
 * `thac0` +0.3%). v8-compile-cache was measured first: it caches at compile time (only the
 * top level), hashes each file with SHA-1 and keeps one blob for every file, and netted -4%
 * on the saved `dungeon gen`.
 *
 * A cache is V8's own format, checked by V8 (its version, flags and the source's length); a
 * cache V8 refuses is made again. The source's content is checked here: caches live in a
 * folder named after the build (a hash of dist/, written into this file by the build) and
 * the Node version, and each file's is named after its size and mtime, so a rebuilt or
 * edited file never meets an old cache. The folder is $XDG_CACHE_HOME/dma/code-cache/
 * (else ~/.cache/...), made 0700, and a folder another user owns or may write is not used
 * (a cache is code V8 runs); a cache is written to a temporary file and renamed, so a
 * concurrent run reads a whole cache or none. Nothing is cached when
 * NODE_DISABLE_COMPILE_CACHE is set (the variable that turns Node's own cache off) or when no
 * cache folder can be named: the files are then required as usual. A cache that cannot be
 * read or written only costs that run time.
 */
import { createRequire } from 'node:module';
import {
  closeSync,
  fstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { Script } from 'node:vm';

/** The build's identity: a hash of dist/, put here by scripts/build.mjs. */
declare const DMA_BUILD_ID: string;

interface LoadedModule {
  exports: unknown;
  id: string;
  filename: string;
  loaded: boolean;
}

type Wrapper = (
  exports: unknown,
  require: NodeJS.Require,
  module: LoadedModule,
  filename: string,
  dirname: string,
) => void;

/** Where this build's caches live, or undefined when none can be named. */
export function cacheFolder(env: NodeJS.ProcessEnv, buildId: string): string | undefined {
  const base = env['XDG_CACHE_HOME'] || (env['HOME'] ? join(env['HOME'], '.cache') : '');
  if (!base) return undefined;
  return join(base, 'dma', 'code-cache', `${buildId}-${process.version}-${process.arch}`);
}

export interface Loader {
  /** Load a CommonJS file of `root` (its exports), through the code cache. */
  load(filename: string): unknown;
  /** Write the caches the run lacked (called once, at exit). */
  save(): void;
  /** The files loaded so far that had no cache V8 would take (the ones `save` writes). */
  misses(): string[];
}

/**
 * A loader of the CommonJS files under `root` (dist/; its bundles are ASCII, so read as
 * latin1), keeping their code caches in `folder`.
 */
export function codeCacheLoader(root: string, folder: string): Loader {
  // a cache is code V8 runs: only from a folder of this user's that no one else may write
  const state = folderState(folder);
  const usable = state !== 'other';
  const loaded = new Map<string, LoadedModule>();
  /** what this run compiles without a cache: the source file, its cache's file, the script */
  const pending: { filename: string; file: string; script: Script }[] = [];
  const ours = (file: string) => file.startsWith(root + sep) && file.endsWith('.cjs');

  function load(filename: string): unknown {
    const known = loaded.get(filename);
    if (known) return known.exports;
    // the size and mtime that name the cache are the read file's own (one descriptor)
    const fd = openSync(filename, 'r');
    let source: string, size: number, mtimeMs: number;
    try {
      ({ size, mtimeMs } = fstatSync(fd));
      source = readFileSync(fd, 'latin1');
    } finally {
      closeSync(fd);
    }
    const file = join(
      folder,
      `${relative(root, filename).split(sep).join('~')}.${size}-${Math.trunc(mtimeMs)}`,
    );
    let cachedData: Buffer | undefined;
    if (usable)
      try {
        cachedData = readFileSync(file);
      } catch {
        // no cache yet: this run makes it
      }
    // (the bundles under dist/fast/ never call import(): the build makes each a require)
    const script = new Script(
      `(function (exports, require, module, __filename, __dirname) {${source}\n})`,
      { filename, ...(cachedData ? { cachedData } : {}) },
    );
    if (cachedData === undefined || script.cachedDataRejected)
      pending.push({ filename, file, script });
    const module: LoadedModule = { exports: {}, id: filename, filename, loaded: false };
    loaded.set(filename, module);
    const dir = dirname(filename);
    const plain = createRequire(filename);
    const require = ((id: string) => {
      if (id.startsWith('./') || id.startsWith('../')) {
        const target = resolve(dir, id);
        if (ours(target)) return load(target);
      }
      return plain(id);
    }) as NodeJS.Require;
    require.resolve = plain.resolve;
    require.cache = plain.cache;
    require.main = plain.main;
    try {
      (script.runInThisContext() as Wrapper)(module.exports, require, module, filename, dir);
    } catch (error) {
      loaded.delete(filename);
      throw error;
    }
    module.loaded = true;
    return module.exports;
  }

  function save(): void {
    if (pending.length === 0 || !usable) return;
    let tmp: string | undefined;
    try {
      mkdirSync(folder, { recursive: true, mode: 0o700 });
      if (state === 'missing') dropOldBuilds(folder);
      for (const { file, script } of pending) {
        tmp = `${file}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData(), { mode: 0o600 });
        renameSync(tmp, file);
        tmp = undefined;
      }
    } catch {
      // a cache that cannot be written (a full disk) only costs the next run its compile
      if (tmp !== undefined) rmSync(tmp, { force: true });
    }
  }

  return { load, save, misses: () => pending.map((p) => p.filename) };
}

/**
 * 'missing' (this run makes the folder), 'own' (a folder of this user's that only it may
 * write) or 'other' (not used).
 */
function folderState(folder: string): 'missing' | 'own' | 'other' {
  let s;
  try {
    s = statSync(folder);
  } catch {
    return 'missing';
  }
  const uid = process.getuid?.();
  return s.isDirectory() && (uid === undefined || s.uid === uid) && (s.mode & 0o022) === 0
    ? 'own'
    : 'other';
}

/** The caches of other builds, unused for a day, are removed when a build makes its folder. */
function dropOldBuilds(folder: string): void {
  const parent = dirname(folder);
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of readdirSync(parent)) {
    const path = join(parent, name);
    if (path === folder) continue;
    try {
      if (statSync(path).mtimeMs < dayAgo) rmSync(path, { recursive: true, force: true });
    } catch {
      // another run removed it first
    }
  }
}

/** The loader of this run, when its bundles are cached. */
let active: Loader | undefined;

/**
 * Run dist/dma.cjs (`root` is dist/) where the bundles it loads are kept in the code cache,
 * if a cache can be kept. dist/dma.cjs itself is required as usual: it starts the ES module
 * program with `import()`, which node:vm gives a script only as an experimental feature (and,
 * on Node 20, not to a script compiled from a cache).
 */
export function start(root: string): void {
  const folder = process.env['NODE_DISABLE_COMPILE_CACHE']
    ? undefined
    : cacheFolder(process.env, DMA_BUILD_ID);
  if (folder !== undefined) {
    const loader = codeCacheLoader(root, folder);
    active = loader;
    process.once('exit', () => loader.save());
  }
  const entry = join(root, 'dma.cjs');
  createRequire(entry)(entry);
}

/**
 * A file of dist/ (absolute path), as dist/dma.cjs loads a command's file or a heavy path:
 * through the code cache when `start` keeps one, else with a plain require.
 */
export function load(filename: string): unknown {
  return active ? active.load(filename) : createRequire(filename)(filename);
}
