#!/usr/bin/env node
// The dma executable: the bundled build in dist/ (npm run build, run by npm ci/install).
//
// Start-up is a feature (STYLE.md): parsing and compiling the bundles is a large part of
// a command's cost, so the build leaves V8 code caches of them in dist/cache/ (made by
// running a few typical commands, scripts/code-cache.mjs), and the files the manifest
// lists (the command bundles and vendored packages: no native import() in them, which
// code compiled this way cannot run on Node 20) are compiled from those here. A cache V8
// rejects (another Node, other flags), one whose file has changed size, or none at all:
// the file compiles as usual.
'use strict';
const Module = require('node:module');
const { readFileSync, writeFileSync } = require('node:fs');
const { dirname, join, relative, sep } = require('node:path');
const vm = require('node:vm');

const dist = join(__dirname, '..', 'dist');
const cacheDir = join(dist, 'cache');
/** set by the build: write the caches of every file compiled here when the process exits */
const training = process.env.DMA_CODE_CACHE_TRAIN === '1';
let manifest = null;
try {
  manifest = JSON.parse(readFileSync(join(cacheDir, 'manifest.json'), 'utf8'));
} catch {
  // no caches (a build without them): plain require
}

if (manifest !== null) {
  const compiled = new Map();
  const original = Module.prototype._compile;
  Module.prototype._compile = function compileCached(content, filename, ...rest) {
    const rel = filename.startsWith(dist + sep) ? relative(dist, filename) : null;
    const entry = rel === null ? undefined : manifest.files[rel];
    if (entry === undefined) return original.call(this, content, filename, ...rest);
    let cachedData;
    if (entry.size === content.length) {
      try {
        cachedData = readFileSync(join(cacheDir, entry.cache));
      } catch {
        cachedData = undefined;
      }
    }
    // `#!` → `//`: same length and lines; a hashbang is only valid at the very start
    const source = content.startsWith('#!') ? `//${content.slice(2)}` : content;
    const script = new vm.Script(Module.wrap(source), { filename, cachedData });
    if (training) compiled.set(rel, { script, size: content.length });
    // the module's own require, as Node's loader gives it
    const req = (id) => this.require(id);
    req.resolve = (request, options) => Module._resolveFilename(request, this, false, options);
    req.cache = Module._cache;
    req.main = require.main;
    return script
      .runInThisContext({ displayErrors: true })
      .call(this.exports, this.exports, req, this, filename, dirname(filename));
  };
  if (training) {
    process.on('exit', () => {
      const files = manifest.files;
      for (const [rel, { script, size }] of compiled) {
        const cache = `${rel.replace(/[\\/]/g, '_')}.v8`;
        writeFileSync(join(cacheDir, cache), script.createCachedData());
        files[rel] = { size, cache };
      }
      writeFileSync(join(cacheDir, 'manifest.json'), JSON.stringify({ files }, null, 2) + '\n');
    });
  }
}

require('../dist/dma.cjs');
