/**
 * V8 code caches of the CommonJS bundles (dist/cache/, read by bin/dma.cjs): every file of
 * dist/fast and dist/vendor and dist/dma.cjs is compiled once here, then a few typical
 * commands run with DMA_CODE_CACHE_TRAIN=1, which adds the functions they compiled, so a
 * user's run neither parses the bundles nor compiles those functions again. The commands
 * run offline on a scratch campaign in a temp folder, never on the user's data.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import vm from 'node:vm';

/** The benchmarked fast-lane commands and a few more (bench/cases/*.ts). */
const TRAINING = [
  ['npc', 'create', '--seed', '1'],
  ['npc', 'create', '--seed', '2', '--no-save'],
  ['dungeon', 'gen', '--rooms', '30', '--seed', '1'],
  ['dungeon', 'gen', '--rooms', '30', '--seed', '1', '--no-save'],
  ['ask', 'Create a level 7 wizard NPC named Elara', '--seed', '7'],
  ['ask', 'what is the thac0 of a level 5 fighter'],
  ['entity', 'show', 'Elara'],
  ['npc', 'list'],
  [
    'action',
    'I attack the goblin with my sword',
    '--character',
    'golden/pc-fighter.yaml',
    '--target-ac',
    '6',
    '--seed',
    '7',
    '--adapter',
    'mock',
  ],
  ['thac0', 'fighter', '5'],
  ['save', 'cleric', '7', '--vs', 'spell'],
  ['roll', '4d6dl1', '--seed', '1'],
  ['monster', 'carrion', 'crawler'],
  ['monster', 'trol'],
  ['audit', 'examples/npc-broken.json', '--adapter', 'mock'],
];

/** As bin/dma.cjs compiles it: `#!` → `//` (same length and lines). */
const withoutHashbang = (s) => (s.startsWith('#!') ? `//${s.slice(2)}` : s);

export function buildCodeCaches(root) {
  const dist = join(root, 'dist');
  const cacheDir = join(dist, 'cache');
  rmSync(cacheDir, { recursive: true, force: true });
  mkdirSync(cacheDir, { recursive: true });
  const files = {};
  // not dist/dma.cjs: it import()s the ES module bundle, which code compiled from a cache
  // cannot do on Node 20 (the fast bundles are built without native import())
  const bundles = [
    ...['fast', 'vendor'].flatMap((d) =>
      readdirSync(join(dist, d))
        .filter((f) => f.endsWith('.cjs'))
        .map((f) => join(dist, d, f)),
    ),
  ];
  for (const file of bundles) {
    const content = readFileSync(file, 'utf8');
    const rel = relative(dist, file);
    const cache = `${rel.replace(/[\\/]/g, '_')}.v8`;
    // a call, not a comment or the store's `import(doc, opts)` method
    if (/(?<![\w$.])import\((?!doc, opts)/.test(content.replace(/\/\/.*$/gm, '')))
      throw new Error(`${rel} has a native import(): it cannot run from a code cache`);
    const script = new vm.Script(Module.wrap(withoutHashbang(content)), { filename: file });
    writeFileSync(join(cacheDir, cache), script.createCachedData());
    files[rel] = { size: content.length, cache };
  }
  writeFileSync(join(cacheDir, 'manifest.json'), JSON.stringify({ files }, null, 2) + '\n');

  const home = mkdtempSync(join(tmpdir(), 'dma-code-cache-'));
  try {
    const env = {
      PATH: process.env.PATH ?? '',
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      DMA_DB: join(home, 'campaign.db'),
      NO_COLOR: '1',
      DMA_CODE_CACHE_TRAIN: '1',
    };
    for (const args of TRAINING) {
      // a command that fails still trained what it loaded; the build does not depend on it
      spawnSync(process.execPath, [join(root, 'bin', 'dma.cjs'), ...args], {
        cwd: root,
        env,
        stdio: 'ignore',
        timeout: 60_000,
      });
    }
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}
