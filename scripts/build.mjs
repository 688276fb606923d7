// How dma starts fast — the one place that explains it (with docs/development.md, "Start-up").
//
// One esbuild configuration, these outputs (start-up time is a feature, STYLE.md):
// - dist/dma.cjs: CommonJS, the entry: `--version`, the fast-lane parser, rendering and
//   errors; no Commander, no ES module loader on the hot path;
// - dist/fast/<handler>.cjs: one CommonJS file per fast-lane command, the list read from
//   the generated command table (src/generated/commands.ts), so a run parses the entry and
//   the one command it runs — never the code of the others;
// - dist/fast/_<path>.cjs: one CommonJS file per heavy path of a command (src/cli/
//   lazy-modules.ts: the saved path of `npc create`, the store, an LLM call …), loaded by
//   `ctx.load` only when a run takes that path, or instead of the command's own file when
//   its input says it will (`routes` there: a saving `npc create`);
// - dist/full/: ES modules with code splitting, the Commander program and every command,
//   each in its own lazily loaded chunk; dma.cjs imports it for everything else (help, a
//   command off the fast lane, an argv the fast lane is unsure about);
// - dist/fast/_npc-worker.cjs: the NPC generator thread of a big saved `npc create`
//   (src/agents/npc-chunks.ts);
// - dist/fast/_import-worker.cjs: the worker thread that reads and checks a large
//   `entity import` file (src/store/import-worker.ts), built with the fast-lane files;
// - dist/vendor/{yaml,cockatiel}.cjs: those packages prebundled for the fast lane.
// Lazy loading happens only at the src/cli/ boundary: the generated handler tables load a
// command, src/cli/lazy-modules.ts a command's heavy path; outside src/cli/, ESLint allows
// `import()` only at the one named file of each optional dependency (eslint.config.js,
// lazyBoundaries). No command file calls `import()`.
// esbuild is the only bundler. Its builds: the vendored packages (one build, an entry
// each), the entry, the fast-lane files (CommonJS, better-sqlite3's JavaScript bundled, the
// vendored files one folder up), the full program (ES modules: esbuild splits code only
// there, one format per build) — plus two in-memory builds that read the tables (which
// files to make) and the help models. The one text rewrite: `import("./fast|vendor/x.cjs")`
// in the outputs becomes `require()` (esbuild keeps an external import() as written).
// Pure-JS dependencies are bundled (one file instead of dozens); native addons and the
// LLM SDKs stay external, resolved from node_modules when first used.
// Code cache: bin/dma.cjs calls module.enableCompileCache() where Node has it (22.1+); on
// Node 20 it loads dist/dma.cjs through dist/code-cache.cjs (src/cli/code-cache.ts), which
// compiles the entry and every CommonJS file it loads from dist/ with node:vm's code cache,
// kept per build in $XDG_CACHE_HOME/dma/code-cache/. That file is built last: it carries the
// build's identity, a hash of everything else in dist/. Nothing in the build writes caches.
import { build } from 'esbuild';
import { createRequire } from 'node:module';
import { Buffer } from 'node:buffer';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
// A build starts from an empty dist/: a chunk or vendor file an earlier build wrote and this
// one does not (renamed, dropped) would otherwise stay, and be loaded or shipped by mistake.
rmSync('dist', { recursive: true, force: true });
/**
 * The compiled contract validators (src/generated/contract-validators.ts, ~340 KB of
 * generated code, a tenth of it ever run by one command) and the commands' input validators
 * (src/generated/validators.ts) go into the bundles minified: less to read on every start.
 * (The fast bundles once required each contract validator from a file of its own, to spare
 * V8 pre-parsing all of them; with the code cache nothing is pre-parsed, and one bundle is
 * cheaper than a dozen files: a saved `dungeon gen` -28 M instructions of 492 M.)
 */
const minifiedValidators = {
  name: 'minified-validators',
  setup(b) {
    b.onLoad({ filter: /[\\/]generated[\\/](contract-)?validators\.ts$/ }, async (args) => {
      const { readFile } = await import('node:fs/promises');
      const { transform } = await import('esbuild');
      const out = await transform(await readFile(args.path, 'utf8'), {
        loader: 'ts',
        format: 'esm',
        minifyWhitespace: true,
        minifySyntax: true,
        legalComments: 'none',
      });
      return { contents: out.code, loader: 'js' };
    });
  },
};

/**
 * Entry points made of generated source: `<prefix>:<name>` resolves to a module whose text
 * is `contents(name)` (one output file per name, without a file on disk).
 */
const virtualEntries = (prefix, contents) => ({
  name: prefix,
  setup(b) {
    b.onResolve({ filter: new RegExp(`^${prefix}:`) }, (args) => ({
      path: args.path.slice(prefix.length + 1),
      namespace: prefix,
    }));
    b.onLoad({ filter: /.*/, namespace: prefix }, (args) => ({
      contents: contents(args.path),
      resolveDir: process.cwd(),
    }));
  },
});

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  external: [
    'better-sqlite3',
    '@resvg/resvg-js',
    'openai',
    '@anthropic-ai/sdk',
    // the servers' packages load from node_modules, only when `dma mcp` or `dma serve` runs
    '@modelcontextprotocol/sdk',
    'hono',
    '@hono/node-server',
  ],
  logLevel: 'warning',
  legalComments: 'none',
};

/** In the fast bundle, `import('./full.ts')` stays a runtime import of the ESM bundle. */
const fullExternal = {
  name: 'full-external',
  setup(b) {
    b.onResolve({ filter: /\/full\.ts$/ }, () => ({ path: './full/full.js', external: true }));
  },
};

// yaml and cockatiel for the fast bundle: prebundled once into dist/vendor/ and required
// only when a command first needs them, so dist/dma.cjs itself stays small. (No Zod and no
// ajv: every validator a run uses is compiled at `npm run generate`.)
const vendored = ['yaml', 'cockatiel'];
/** Each vendored package's entry: its names re-exported, read from the package itself. */
const vendorEntry = (name) =>
  // named re-exports (not `export *`) so esbuild annotates them for Node's CommonJS
  // export detection: `await import()` of the file then sees every name
  `export { ${Object.keys(require(name))
    .filter((k) => /^[A-Za-z_$][\w$]*$/.test(k) && k !== 'default')
    .join(', ')} } from '${name}';`;
// one build, one entry per package (each output stands alone: no splitting in CommonJS)
await build({
  ...common,
  entryPoints: Object.fromEntries(vendored.map((name) => [name, `dma-vendor:${name}`])),
  format: 'cjs',
  outdir: 'dist/vendor',
  outExtension: { '.js': '.cjs' },
  plugins: [virtualEntries('dma-vendor', vendorEntry)],
});
/** `import 'yaml'` → the prebundled file, relative to the output (dist/ or dist/full/). */
const vendorFrom = (prefix, names) => ({
  name: 'vendor',
  setup(b) {
    b.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
      path: `${prefix}vendor/${args.path}.cjs`,
      external: true,
    }));
  },
});
const vendor = vendorFrom('./', vendored);

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
// the LLM SDKs are optional dependencies: external like the rest, loaded only when used
const dependencies = Object.keys({ ...pkg.dependencies, ...pkg.optionalDependencies });
const fastExternal = dependencies.filter((d) => d !== 'pure-rand' && !vendored.includes(d));

/**
 * Each fast-lane command is its own CommonJS file (dist/fast/<handler>.cjs), so start-up
 * parses the small entry and the one command it runs — never the code of the others; so is
 * each heavy path a command loads through `ctx.load` (src/cli/lazy-modules.ts). Both lists come from
 * the tables themselves (the generated command table, src/generated/commands.ts, and
 * src/cli/lazy-modules.ts, compiled in memory with the commands left out), the same tables the fast
 * lane dispatches on.
 */
async function fastLaneFiles() {
  const { outputFiles } = await build({
    stdin: {
      contents: `export { commands } from './src/generated/commands.ts';
        export { lazyModules } from './src/cli/lazy-modules.ts';`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    write: false,
    logLevel: 'warning',
    plugins: [
      {
        name: 'tables-only',
        setup(b) {
          b.onResolve({ filter: /^\.\.\/commands\// }, (args) => ({
            path: args.path,
            external: true,
          }));
        },
      },
    ],
  });
  const url = `data:text/javascript;base64,${Buffer.from(outputFiles[0].text).toString('base64')}`;
  const { commands, lazyModules } = await import(url);
  return [
    ...Object.values(commands)
      .filter((c) => c.fastLane)
      .map((c) => c.handler),
    ...Object.keys(lazyModules),
  ];
}
const fastCommands = await fastLaneFiles();
const commandsExternal = {
  name: 'fast-commands',
  setup(b) {
    b.onResolve({ filter: /^\.\.\/commands\/[\w.-]+\.ts$/ }, (args) =>
      /[\\/](generated[\\/]fast-handlers|cli[\\/]lazy-modules)\.ts$/.test(args.importer)
        ? { path: `./fast/${args.path.slice(12, -3)}.cjs`, external: true }
        : undefined,
    );
  },
};

/**
 * esbuild leaves `import()` of an external file as a native dynamic import, which starts
 * Node's ES module loader for a CommonJS file; a plain require is cheaper and sees every
 * export. (`import('./full/full.js')`, a real ES module, is left alone.)
 */
function requireLocalCjs(file, requireFn = 'require') {
  const code = readFileSync(file, 'utf8').replace(
    /\bimport\(("\.{1,2}\/(?:fast|vendor)\/[\w.-]+\.cjs")\)/g,
    `Promise.resolve(${requireFn}($1))`,
  );
  writeFileSync(file, code);
}
/**
 * dist/dma.cjs loads the files of dist/ through dist/code-cache.cjs (Node 20's code cache,
 * src/cli/code-cache.ts: a plain require where no cache is kept); those files' own requires
 * of dist/ files go through it too, by the `require` it hands them.
 */
const loadBundled = {
  js: '"use strict";var __dmaLoad=(id)=>require("./code-cache.cjs").load(require("node:path").join(__dirname,id));',
};

/**
 * The fast-lane files are read by V8 on every run, and pre-parsed on a run without a code
 * cache of them: without whitespace and with shorter syntax a saved `dungeon gen` reads
 * 862 KB instead of 1,005 KB (its CPU time -4 ms of ~150). Names stay, so a bug's stack
 * trace still names its functions.
 */
const fastMinify = { minifyWhitespace: true, minifySyntax: true };

await build({
  ...common,
  // every dependency but the tiny RNG is loaded at run time, and only when first used
  external: fastExternal,
  entryPoints: ['src/bin.ts'],
  format: 'cjs',
  outfile: 'dist/dma.cjs',
  ...fastMinify,
  banner: loadBundled,
  plugins: [vendor, fullExternal, commandsExternal],
});
requireLocalCjs('dist/dma.cjs', '__dmaLoad');

/** The worker threads' entries, built with the fast-lane files (each module finds its file beside the bundle that starts it). */
const workerThreads = {
  // the NPC generator thread of a big saved batch (src/agents/npc-chunks.ts)
  '_npc-worker': 'src/agents/npc-worker.ts',
  // the reading thread of a large `entity import` (src/store/import-worker.ts)
  '_import-worker': 'src/store/import-worker-thread.ts',
};

await build({
  ...common,
  // better-sqlite3's JavaScript is bundled with the commands; its
  // addon is loaded from the path src/store/connection.ts resolves (nativeBinding)
  external: fastExternal.filter((d) => d !== 'better-sqlite3'),
  entryPoints: {
    ...Object.fromEntries(fastCommands.map((c) => [c, `src/commands/${c}.ts`])),
    ...workerThreads,
  },
  format: 'cjs',
  outdir: 'dist/fast',
  outExtension: { '.js': '.cjs' },
  ...fastMinify,
  plugins: [vendorFrom('../', vendored), minifiedValidators],
  // `import(x)` → `require(x)` (the optional packages a command loads — resvg, the LLM
  // SDKs — all have CommonJS builds): a plain require does not start the ES module loader
  supported: { 'dynamic-import': false },
});
for (const c of [...fastCommands, ...Object.keys(workerThreads)])
  requireLocalCjs(`dist/fast/${c}.cjs`);

await build({
  ...common,
  entryPoints: { full: 'src/cli/full.ts' },
  format: 'esm',
  splitting: true,
  outdir: 'dist/full',
  // yaml's Node build is CommonJS, which a dynamic import() of a bundled copy cannot
  // see the names of; the prebundled vendor file declares them
  plugins: [vendorFrom('../', ['yaml']), minifiedValidators],
  // bundled CommonJS dependencies (commander) call require(): give ES modules one
  banner: {
    js: "import { createRequire as __dmaCreateRequire } from 'node:module'; const require = __dmaCreateRequire(import.meta.url);",
  },
});

/**
 * dist/help.json: the help model of every command (src/cli/help.ts), read from the
 * Commander program with Commander's own help methods, so `--help` prints without
 * loading Commander; the text is wrapped to the terminal when printed.
 */
async function writeHelpModels() {
  const { outputFiles } = await build({
    ...common,
    stdin: {
      contents: `
        import { buildProgram } from './src/generated/program.ts';
        import { commandPath, helpModel } from './src/cli/help.ts';
        export function models() {
          const parse = () => (v) => v;
          const program = buildProgram({
            configure() {},
            parseNumber: parse,
            parseChoice: parse,
            collect: () => (v, previous) => [...(previous ?? []), v],
            examples: () => '',
            run: async () => undefined,
          });
          const out = {};
          const walk = (cmd) => {
            out[commandPath(cmd)] = helpModel(cmd, cmd.createHelp());
            cmd.commands.forEach(walk);
          };
          walk(program);
          return out;
        }`,
      resolveDir: process.cwd(),
      loader: 'ts',
    },
    format: 'cjs',
    write: false,
  });
  const dir = mkdtempSync(join(tmpdir(), 'dma-build-'));
  try {
    writeFileSync(join(dir, 'help.cjs'), outputFiles[0].text);
    const { models } = require(join(dir, 'help.cjs'));
    writeFileSync('dist/help.json', JSON.stringify(models()));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
await writeHelpModels();

// Every output file ASCII: a file holding one non-ASCII character is read by Node as a
// two-byte string (twice the bytes to hash and scan; 1.5-3 ms for a 1.5 MB bundle).
// esbuild already escapes strings, templates, regular expressions and identifiers
// (charset "ascii"); what it leaves are comments it keeps, where an escape is harmless.
// Each UTF-16 unit is written \uXXXX, which also means the same inside a string or a
// regular expression, should one ever reach this pass.
function asciiOnly(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) asciiOnly(path);
    else if (/\.(c|m)?js$/.test(entry.name)) {
      const text = readFileSync(path, 'utf8');
      if (/[\u0080-\uffff]/.test(text))
        writeFileSync(
          path,
          text.replace(
            /[\u0080-\uffff]/g,
            (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
          ),
        );
    }
  }
}
asciiOnly('dist');

/** The build's identity: a hash of every file in dist/ (path and content). */
function buildId(dir) {
  const hash = createHash('sha256');
  const walk = (d) => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    )) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else hash.update(`${path}\0`).update(readFileSync(path)).update('\0');
    }
  };
  walk(dir);
  return hash.digest('hex').slice(0, 16);
}
// dist/code-cache.cjs, last: Node 20's code cache of the bundles (bin/dma.cjs)
await build({
  ...common,
  entryPoints: { 'code-cache': 'src/cli/code-cache.ts' },
  format: 'cjs',
  outdir: 'dist',
  outExtension: { '.js': '.cjs' },
  define: { DMA_BUILD_ID: JSON.stringify(buildId('dist')) },
  ...fastMinify,
});
