#!/usr/bin/env node
// The dma executable: the bundled build in dist/ (npm run build; how start-up works is
// explained in one place, docs/development.md "Start-up", and scripts/build.mjs).
//
// V8's compiled code of the bundles is kept on disk between runs through supported APIs:
// Node 22.1+ has module.enableCompileCache() (in $NODE_COMPILE_CACHE or the OS temp folder;
// a cache that does not match the file or the Node build is ignored); on Node 20,
// dist/code-cache.cjs loads the bundles through node:vm's code cache (src/cli/code-cache.ts).
'use strict';
const { enableCompileCache } = require('node:module');

if (typeof enableCompileCache === 'function') {
  enableCompileCache();
  require('../dist/dma.cjs');
} else {
  require('../dist/code-cache.cjs').start(require('node:path').join(__dirname, '..', 'dist'));
}
