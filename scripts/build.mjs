// Two esbuild bundles (start-up time is a feature, STYLE.md):
// - dist/dma.cjs: CommonJS, the fast lane only (version, rules lookups, dice): no
//   Commander, no Zod, no ES module loader on the hot path;
// - dist/full/: ES modules with code splitting, the Commander program and every
//   command, each in its own lazily loaded chunk. dma.cjs imports it on demand.
import { build } from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  packages: 'external',
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

await build({
  ...common,
  entryPoints: ['src/bin.ts'],
  format: 'cjs',
  outfile: 'dist/dma.cjs',
  plugins: [fullExternal],
});

await build({
  ...common,
  entryPoints: { full: 'src/cli/full.ts' },
  format: 'esm',
  splitting: true,
  outdir: 'dist/full',
});
