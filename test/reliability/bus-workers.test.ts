/**
 * Two `dma worker` processes on one database never process the same message twice: 200
 * rules.thac0 requests are published, two workers drain them concurrently, and every
 * task is done after exactly one attempt with exactly one response. A worker stops
 * cleanly on SIGTERM, giving back nothing half-done.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLERS } from '../../src/agents/handlers.ts';
import { AgentRuntime } from '../../src/agents/runtime.ts';
import { openStore } from '../../src/store/index.ts';
import { dma, dmaBin, scratchEnv } from '../helpers/dma.ts';
import { busOf } from '../../src/bus/sqlite/bus.ts';

const REQUESTS = 200;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dma-workers-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function publishThac0s(path: string, n: number): Promise<string> {
  const store = await openStore({ path });
  const rt = new AgentRuntime(store, { handlers: HANDLERS });
  const correlation = randomUUID();
  busOf(store).publishMany(
    Array.from({ length: n }, (_, i) =>
      rt.makeRequest(
        'rules.thac0',
        { class: 'fighter', level: 1 + (i % 20) },
        {
          source: 'orchestrator',
          correlation_id: correlation,
          idempotency_key: `load:${i}:${correlation}`,
        },
      ),
    ),
  );
  store.close();
  return correlation;
}

describe('dma worker', () => {
  it('two workers on one database handle each of 200 messages exactly once', async () => {
    const path = join(dir, 'two.db');
    const correlation = await publishThac0s(path, REQUESTS);
    const env = scratchEnv({ DMA_DB: path });
    const [a, b] = await Promise.all([
      dma(['worker', '--once', '--json'], { env }),
      dma(['worker', '--once', '--json'], { env }),
    ]);
    expect(a.exitCode).toBe(0);
    expect(b.exitCode).toBe(0);
    const done = JSON.parse(a.stdout).processed + JSON.parse(b.stdout).processed;
    expect(done).toBe(REQUESTS);
    const store = await openStore({ path, mode: 'read' });
    const tasks = busOf(store).tasks(correlation);
    expect(tasks).toHaveLength(REQUESTS);
    expect(tasks.every((t) => t.state === 'done' && t.attempts === 1)).toBe(true);
    const responses = busOf(store)
      .messages(correlation)
      .filter((m) => m.kind === 'response');
    expect(responses).toHaveLength(REQUESTS);
    expect(new Set(responses.map((r) => r.causation_id)).size).toBe(REQUESTS);
    store.close();
  });

  it('stops cleanly on SIGTERM and reports what it did', async () => {
    const path = join(dir, 'term.db');
    await publishThac0s(path, 5);
    const child = spawn(process.execPath, [dmaBin, 'worker', '--poll-ms', '20', '--json'], {
      env: scratchEnv({ DMA_DB: path }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    // wait until the queue is empty, then ask it to stop
    for (let i = 0; i < 200; i++) {
      const s = await openStore({ path, mode: 'read' });
      const open = busOf(s).openTasks();
      s.close();
      if (open === 0) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGTERM');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({ processed: 5, stopped_by: 'signal' });
  });
});
