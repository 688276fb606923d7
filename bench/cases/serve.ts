/**
 * `dma serve`: `POST /v1/thac0` answered in process (the Hono app, no socket) and by the
 * real server under a steady 1,000 requests a second from a second process (autocannon).
 * Goal (issue 18): p99 < 5 ms for the fast lane.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCommand } from '../../src/commands/mcp.ts';
import { createHttpApp } from '../../src/serve/http.ts';
import type { BenchCase } from '../types.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const body = JSON.stringify({ class: 'fighter', level: 5 });

function inProcessApp() {
  const home = mkdtempSync(join(tmpdir(), 'dma-bench-serve-'));
  return createHttpApp(
    {
      loadCommand,
      env: { DMA_DB: join(home, 'campaign.db') },
      cwd: home,
      allowWrites: false,
      log: () => undefined,
    },
    {
      bodyLimit: 1_048_576,
      rateLimit: 0,
      clientAddress: () => 'bench',
      shutdown: new AbortController().signal,
    },
  );
}

interface Server {
  child: ChildProcess;
  url: string;
}

async function startServer(): Promise<Server> {
  const home = mkdtempSync(join(tmpdir(), 'dma-bench-serve-'));
  const child = spawn(
    process.execPath,
    [join(root, 'bin', 'dma.cjs'), 'serve', '--port', '0', '--rate-limit', '0'],
    {
      env: { ...process.env, DMA_DB: join(home, 'campaign.db') },
      stdio: ['ignore', 'ignore', 'pipe'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      const m = /listening on (http:\/\/\S+) /.exec(err);
      if (m) resolve(m[1]!);
    });
    child.once('exit', (code) => reject(new Error(`dma serve exited ${code}: ${err}`)));
  });
  // untimed first, like the in-process cases: the first calls load the command's code
  spawnSync(
    process.execPath,
    [
      join(root, 'node_modules', 'autocannon', 'autocannon.js'),
      '-c',
      '10',
      '-R',
      '1000',
      '-d',
      '2',
      '-m',
      'POST',
      '-H',
      'content-type=application/json',
      '-b',
      body,
      `${url}/v1/thac0`,
    ],
    { stdio: 'ignore' },
  );
  return { child, url };
}

export const cases: BenchCase[] = [
  {
    kind: 'in-process',
    name: 'serve: POST /v1/thac0 in process (Hono app.request)',
    samples: 2000,
    target: 'p99 < 5 ms',
    setup: inProcessApp,
    run: async (app: ReturnType<typeof inProcessApp>) => {
      const res = await app.request('/v1/thac0', { method: 'POST', body });
      if (res.status !== 200) throw new Error(`status ${res.status}`);
      await res.text();
    },
  },
  {
    kind: 'in-process',
    name: 'serve: POST /v1/thac0, 1,000 req/s for 10 s, autocannon in a second process (p95 column: p97.5)',
    samples: 0,
    target: 'p99 < 5 ms',
    setup: startServer,
    run: () => undefined,
    measure: async (server: Server) => {
      const r = spawnSync(
        process.execPath,
        [
          join(root, 'node_modules', 'autocannon', 'autocannon.js'),
          '--json',
          '-c',
          '10',
          '-R',
          '1000',
          '-d',
          '10',
          '-m',
          'POST',
          '-H',
          'content-type=application/json',
          '-b',
          body,
          `${server.url}/v1/thac0`,
        ],
        { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
      );
      if (r.status !== 0) throw new Error(`autocannon exited ${r.status}: ${r.stderr}`);
      const out = JSON.parse(r.stdout) as {
        latency: { p50: number; p97_5: number; p99: number };
        requests: { average: number };
        non2xx: number;
        errors: number;
      };
      if (out.non2xx > 0 || out.errors > 0)
        throw new Error(`autocannon: ${out.non2xx} non-2xx answers, ${out.errors} errors`);
      return {
        median_ms: out.latency.p50,
        p95_ms: out.latency.p97_5,
        p99_ms: out.latency.p99,
        rate: out.requests.average,
      };
    },
    teardown: (server: Server) => {
      server.child.kill('SIGTERM');
    },
  },
];
