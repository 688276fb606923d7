/**
 * Run `bin/dma.cjs` in a child process and read its peak RSS: a --require hook writes
 * `process.resourceUsage().maxRSS` to a file at exit (the child's own number, whatever
 * the shell or the harness around it uses). Used by the bulk cases whose goal is memory.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dmaBin = join(root, 'bin', 'dma.cjs');

export interface RssChild {
  /** a scratch folder for the hook and its output */
  dir: string;
  runs: number;
}

/** Write the hook into `dir` (once). */
export function rssChild(dir: string): RssChild {
  writeFileSync(
    join(dir, 'rss-hook.cjs'),
    `process.on('exit', () => require('node:fs').writeFileSync(process.env.DMA_RSS_FILE, String(process.resourceUsage().maxRSS)));\n`,
  );
  return { dir, runs: 0 };
}

/** Run dma with `args` against campaign `db`; returns its peak RSS in MB. Throws on a non-zero exit. */
export function runDma(c: RssChild, args: string[], db: string): number {
  const rssFile = join(c.dir, `rss-${c.runs++}`);
  const r = spawnSync(
    process.execPath,
    ['--require', join(c.dir, 'rss-hook.cjs'), dmaBin, ...args],
    {
      env: { ...process.env, DMA_DB: db, DMA_RSS_FILE: rssFile, NO_COLOR: '1' },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  if (r.status !== 0)
    throw new Error(`dma ${args.join(' ')} exited ${r.status}: ${String(r.stderr).trim()}`);
  return Number(readFileSync(rssFile, 'utf8')) / 1024;
}
