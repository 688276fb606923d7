/**
 * A bus process SIGKILLed while its log is checkpointed on a thread of its own
 * (src/store/sqlite/checkpoint.ts) loses nothing it committed: every round it reported
 * acked is in the database, answered once, and the file passes check().
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busOf } from '../../src/bus/sqlite/bus.ts';
import { CHECKPOINT_EVERY_ROWS } from '../../src/store/sqlite/checkpoint.ts';
import { openStore } from '../../src/store/index.ts';

const fixture = new URL('../fixtures/bus-writer.ts', import.meta.url).pathname;
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dma-ckpt-kill-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the writer; SIGKILL it as soon as it reports round `killAt`. */
function writeAndKill(dbPath: string, killAt: number) {
  return new Promise<{ rounds: string[]; signal: NodeJS.Signals | null }>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dbPath], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const rounds: string[] = [];
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += String(d)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const { round, correlation } = JSON.parse(line) as { round: number; correlation: string };
      rounds.push(correlation);
      if (round === killAt) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited ${code}: ${stderr}`));
      else resolve({ rounds, signal });
    });
  });
}

describe('SIGKILL while the bus log is checkpointed on its own thread', () => {
  // a round logs 2,000 messages: by round 10 the thread was handed four checkpoints, the
  // last one by round 10's ack, right before the kill; round 13's kill lands mid-round
  for (const killAt of [10, 13]) {
    it(`killed after round ${killAt}: every acked round is there, answered once`, async () => {
      expect((killAt * 2000) / CHECKPOINT_EVERY_ROWS).toBeGreaterThan(3);
      const dbPath = join(dir, `kill-${killAt}.db`);
      const { rounds } = await writeAndKill(dbPath, killAt);
      expect(rounds.length).toBeGreaterThanOrEqual(killAt);
      const store = await openStore({ path: dbPath });
      try {
        expect(await store.check()).toMatchObject({ ok: true, integrity: ['ok'] });
        const bus = busOf(store);
        for (const correlation of rounds) {
          const tasks = bus.tasks(correlation);
          expect(tasks).toHaveLength(1000);
          expect(tasks.every((t) => t.state === 'done' && t.outcome === 'ok')).toBe(true);
          expect(bus.messages(correlation)).toHaveLength(2000);
        }
        // a round cut short is all or nothing per step: its requests are queued, claimed or
        // answered together, and each answered task has exactly one response
        const { messages, tasks, open } = bus.counts();
        expect(tasks).toBeGreaterThanOrEqual(1000 * rounds.length);
        expect(tasks - 1000 * rounds.length).toBeLessThanOrEqual(1000);
        expect(messages).toBe(2 * tasks - open);
      } finally {
        store.close();
      }
    }, 120_000);
  }
});
