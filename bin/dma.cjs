#!/usr/bin/env node
// The dma executable: the bundled build in dist/ (npm run build, run by npm ci/install).
require('../dist/dma.cjs');
