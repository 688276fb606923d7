// Bundles src/bin.ts into dist/ with esbuild: one small entry chunk for the fast lane,
// each command and heavy dependency in its own lazily loaded chunk.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/bin.ts'],
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outdir: 'dist',
  packages: 'external',
  minify: false,
  sourcemap: false,
  logLevel: 'warning',
  legalComments: 'none',
});
