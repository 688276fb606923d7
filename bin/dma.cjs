#!/usr/bin/env node
// The dma executable: the bundled build in dist/ (npm run build; how start-up works is
// explained in one place, docs/development.md "Start-up", and scripts/build.mjs).
//
// Node 22.1+ keeps V8's compiled code of the bundles on disk through its supported API,
// module.enableCompileCache() (in $NODE_COMPILE_CACHE or the OS temp folder; a cache that
// does not match the file or the Node build is ignored). Node 20 has no such API: the
// per-command bundles alone keep start-up short there.
'use strict';
const { enableCompileCache } = require('node:module');

if (typeof enableCompileCache === 'function') enableCompileCache();
require('../dist/dma.cjs');
