/**
 * Node 20's code cache of the bundles (src/cli/code-cache.ts): files load as CommonJS with
 * their own `require`, a run writes the caches it lacked, the next run's V8 takes them, and
 * a changed file or a broken cache never meets stale code.
 */
import { execa } from 'execa';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import * as nodeModule from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cacheFolder, codeCacheLoader } from '../../src/cli/code-cache.ts';
import { dmaBin, repoRoot, scratchEnv } from '../helpers/dma.ts';

/** A dist/-like tree: fast/cmd.cjs requires ./cv/v.cjs, ../vendor/lib.cjs and a builtin. */
function tree() {
  const root = mkdtempSync(join(tmpdir(), 'dma-cc-'));
  mkdirSync(join(root, 'fast', 'cv'), { recursive: true });
  mkdirSync(join(root, 'vendor'));
  writeFileSync(
    join(root, 'fast', 'cmd.cjs'),
    `"use strict";
const v = require("./cv/v.cjs");
const lib = require("../vendor/lib.cjs");
const { basename } = require("node:path");
let calls = 0;
function twice(n) { calls++; return lib.double(n) + v.one(); }
module.exports = { twice, calls: () => calls, file: basename(__filename), dir: basename(__dirname),
  same: () => require("./cv/v.cjs") === v, strict: (function () { return this === undefined; })() };`,
  );
  writeFileSync(join(root, 'fast', 'cv', 'v.cjs'), `exports.one = () => 1;`);
  writeFileSync(join(root, 'vendor', 'lib.cjs'), `exports.double = (n) => n * 2;`);
  return { root, folder: join(root, 'cache', 'build-1') };
}

interface Cmd {
  twice(n: number): number;
  calls(): number;
  file: string;
  dir: string;
  same(): boolean;
  strict: boolean;
}

const builtLoader = join(repoRoot, 'dist', 'code-cache.cjs');

/** Load fast/cmd.cjs with the built loader in a new process, save, report twice(20) and the misses. */
async function child(root: string, folder: string) {
  const script = `const l = require(${JSON.stringify(builtLoader)}).codeCacheLoader(process.argv[1], process.argv[2]);
    const twice = l.load(require('node:path').join(process.argv[1], 'fast', 'cmd.cjs')).twice(20);
    console.log(JSON.stringify({ twice, misses: l.misses().map((f) => f.slice(process.argv[1].length)) }));
    l.save();`;
  const r = await execa(process.execPath, ['-e', script, root, folder]);
  return JSON.parse(r.stdout) as { twice: number; misses: string[] };
}

describe('code cache loader', () => {
  it('loads CommonJS with __filename, __dirname, relative and builtin requires, once per file', () => {
    const { root, folder } = tree();
    const loader = codeCacheLoader(root, folder);
    const cmd = loader.load(join(root, 'fast', 'cmd.cjs')) as Cmd;
    expect(cmd.twice(20)).toBe(41);
    expect([cmd.file, cmd.dir, cmd.same(), cmd.strict]).toEqual(['cmd.cjs', 'fast', true, true]);
    expect(loader.load(join(root, 'fast', 'cmd.cjs'))).toBe(cmd);
    cmd.twice(1);
    expect(cmd.calls()).toBe(2);
    expect(loader.misses().map((f) => f.slice(root.length))).toEqual([
      '/fast/cmd.cjs',
      '/fast/cv/v.cjs',
      '/vendor/lib.cjs',
    ]);
  });

  // V8 keeps what one process compiled in memory and would not look at a cache for the same
  // source again: whether a cache is taken or refused shows only in a new process, so these
  // run the built loader (dist/code-cache.cjs) in one each.
  it('writes the caches a run lacked, and the next run takes them', async () => {
    const { root, folder } = tree();
    const first = await child(root, folder);
    expect(first).toEqual({
      twice: 41,
      misses: ['/fast/cmd.cjs', '/fast/cv/v.cjs', '/vendor/lib.cjs'],
    });
    expect(statSync(folder).mode & 0o777).toBe(0o700);
    const files = readdirSync(folder).sort();
    expect(files).toHaveLength(3);
    expect(files[0]).toMatch(/^fast~cmd\.cjs\.\d+-\d+$/);
    expect(await child(root, folder)).toEqual({ twice: 41, misses: [] });
  });

  it('a changed file gets a cache of its own; a broken cache is refused and made again', async () => {
    const { root, folder } = tree();
    await child(root, folder);
    // same length, other content, other mtime: never the old code
    const lib = join(root, 'vendor', 'lib.cjs');
    writeFileSync(lib, readFileSync(lib, 'utf8').replace('n * 2', 'n * 3'));
    utimesSync(lib, new Date(), new Date(Date.now() + 5000));
    // and a cache of garbage for the validator
    const v = readdirSync(folder).find((f) => f.startsWith('fast~cv~v.cjs'))!;
    writeFileSync(join(folder, v), Buffer.alloc(64, 7));
    expect(await child(root, folder)).toEqual({
      twice: 61,
      misses: ['/fast/cv/v.cjs', '/vendor/lib.cjs'],
    });
    expect(await child(root, folder)).toEqual({ twice: 61, misses: [] });
  });

  it('takes no cache from, and writes none to, a folder others may write', async () => {
    const { root, folder } = tree();
    await child(root, folder);
    chmodSync(folder, 0o777);
    // as if another user had left a cache there: not taken, and nothing written
    expect(await child(root, folder)).toEqual({
      twice: 41,
      misses: ['/fast/cmd.cjs', '/fast/cv/v.cjs', '/vendor/lib.cjs'],
    });
    chmodSync(folder, 0o700);
    expect(await child(root, folder)).toEqual({ twice: 41, misses: [] });
  });

  it('a file that throws is loaded again next time', () => {
    const { root, folder } = tree();
    const bad = join(root, 'fast', 'bad.cjs');
    writeFileSync(
      bad,
      'globalThis.__dmaCcRuns = (globalThis.__dmaCcRuns ?? 0) + 1; throw new Error("boom");',
    );
    const loader = codeCacheLoader(root, folder);
    expect(() => loader.load(bad)).toThrow('boom');
    expect(() => loader.load(bad)).toThrow('boom');
    expect((globalThis as { __dmaCcRuns?: number }).__dmaCcRuns).toBe(2);
  });

  it('drops the caches of other builds unused for a day when a build makes its folder', () => {
    const { root } = tree();
    const parent = join(root, 'cache');
    mkdirSync(join(parent, 'old'), { recursive: true });
    mkdirSync(join(parent, 'recent'));
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 3600 * 1000);
    utimesSync(join(parent, 'old'), twoDaysAgo, twoDaysAgo);
    const loader = codeCacheLoader(root, join(parent, 'build-2'));
    loader.load(join(root, 'fast', 'cv', 'v.cjs'));
    loader.save();
    expect(readdirSync(parent).sort()).toEqual(['build-2', 'recent']);
  });

  it('names its folder after the build, Node and arch, under XDG_CACHE_HOME or ~/.cache', () => {
    const tail = `b1-${process.version}-${process.arch}`;
    expect(cacheFolder({ XDG_CACHE_HOME: '/x', HOME: '/h' }, 'b1')).toBe(
      `/x/dma/code-cache/${tail}`,
    );
    expect(cacheFolder({ HOME: '/h' }, 'b1')).toBe(`/h/.cache/dma/code-cache/${tail}`);
    expect(cacheFolder({}, 'b1')).toBeUndefined();
  });
});

describe('dma through the code cache', () => {
  // Node 22.1+ keeps its own cache (bin/dma.cjs calls module.enableCompileCache there)
  const nodeCache =
    typeof (nodeModule as { enableCompileCache?: unknown }).enableCompileCache === 'function';
  const folderOf = (env: Record<string, string>) =>
    join(env['XDG_CACHE_HOME']!, 'dma', 'code-cache');
  const run = (args: string[], env: Record<string, string>) =>
    execa(process.execPath, [dmaBin, ...args], { env, extendEnv: false, reject: false });

  it('prints the same with a cache being made, a cache taken and none', async () => {
    const env = scratchEnv();
    const args = ['dungeon', 'gen', '--rooms', '12', '--seed', '5', '--no-save', '--json'];
    const made = await run(args, env);
    const taken = await run(args, env);
    const none = await run(args, { ...env, NODE_DISABLE_COMPILE_CACHE: '1' });
    expect(made.exitCode).toBe(0);
    expect(taken.stdout).toBe(made.stdout);
    expect(none.stdout).toBe(made.stdout);
    expect(taken.stderr + none.stderr).toBe('');
    if (nodeCache) {
      // Node 22.1+ keeps its own cache (module.enableCompileCache), not in dma's folder
      expect(existsSync(folderOf(env))).toBe(false);
    } else {
      const [build] = readdirSync(folderOf(env));
      expect(
        readdirSync(join(folderOf(env), build!)).some((f) => f.startsWith('fast~dungeon-gen.cjs.')),
      ).toBe(true);
    }
  });

  it('keeps no cache when NODE_DISABLE_COMPILE_CACHE is set', async () => {
    const env = { ...scratchEnv(), NODE_DISABLE_COMPILE_CACHE: '1' };
    const r = await run(['thac0', 'fighter', '5'], env);
    expect(r.stdout).toBe('16');
    expect(existsSync(folderOf(env))).toBe(false);
  });

  it('a usage error keeps its one line and exit code with a cache', async () => {
    const env = scratchEnv();
    await run(['thac0', 'fighter', '5'], env);
    const r = await run(['thac0', 'fighter', 'x'], env);
    expect(r.exitCode).toBe(3);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
