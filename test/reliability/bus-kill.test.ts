/**
 * Workers on many machines, in one: 4 `dma worker` processes share 1,000 queued
 * entity.store requests; one worker is SIGKILLed mid-task. Every request is answered
 * exactly once, no entity is created twice, and the killed worker's claims are redelivered
 * after their lease (LEASE_EXPIRED, a second attempt) — on the Redis bus (the real server,
 * a key prefix of its own) and on the SQLite bus in the campaign file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLERS } from '../../src/agents/handlers.ts';
import { AgentRuntime } from '../../src/agents/runtime.ts';
import { openBus } from '../../src/bus/open.ts';
import { RedisTransport } from '../../src/bus/redis/transport.ts';
import { openStore } from '../../src/store/index.ts';
import { dmaBin, scratchEnv } from '../helpers/dma.ts';
import { REDIS_URL, redisAvailable } from '../helpers/redis.ts';

const REQUESTS = 1000;
const WORKERS = 4;
const LEASE_MS = 1500;
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dma-kill-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const BUSES = [
  { name: 'redis', enabled: redisAvailable, env: () => ({ DMA_BUS: REDIS_URL }) },
  { name: 'sqlite', enabled: async () => true, env: () => ({}) },
];

for (const kind of BUSES) {
  describe.skipIf(!(await kind.enabled()))(
    `dma worker × ${WORKERS}, one killed (${kind.name} bus)`,
    () => {
      it(`answers each of ${REQUESTS} requests exactly once and redelivers the killed worker's tasks`, async () => {
        const env = scratchEnv({
          DMA_DB: join(dir, `${kind.name}.db`),
          DMA_BUS_PREFIX: `dma-test:${randomUUID()}`,
          ...kind.env(),
        });
        const store = await openStore({ path: env['DMA_DB']! });
        const bus = await openBus(store, env);
        try {
          const rt = await AgentRuntime.open(store, bus, { handlers: HANDLERS });
          const correlation = randomUUID();
          await bus.publishMany(
            Array.from({ length: REQUESTS }, (_, i) =>
              rt.makeRequest(
                'entity.store',
                { entity: { type: 'note', name: `Worker test ${i}`, data: { text: `note ${i}` } } },
                {
                  source: 'orchestrator',
                  correlation_id: correlation,
                  idempotency_key: `kill-test:${i}:${correlation}`,
                },
              ),
            ),
          );
          const workers: ChildProcess[] = Array.from({ length: WORKERS }, () =>
            spawn(
              process.execPath,
              [
                dmaBin,
                'worker',
                '--agent',
                'scribe',
                '--lease-ms',
                String(LEASE_MS),
                '--poll-ms',
                '50',
              ],
              { env, stdio: 'ignore' },
            ),
          );
          let killed = false;
          const exits = workers.map((w) => new Promise<number | null>((r) => w.on('exit', r)));
          try {
            // kill one worker once the work is well under way, while it holds a claim (so
            // there is something to redeliver): it is stopped (SIGSTOP) first, so the claims
            // read are the ones it holds when it dies, not ones it acks a moment later
            const victim = `worker-${workers[0]!.pid}-`;
            for (let i = 0; i < 2400 && !killed; i++) {
              if ((await bus.openTasks(correlation)) <= REQUESTS * 0.9) {
                workers[0]!.kill('SIGSTOP');
                const holds = (await bus.tasks(correlation)).some(
                  (t) => t.state === 'claimed' && t.claimed_by?.startsWith(victim) === true,
                );
                if (holds) {
                  workers[0]!.kill('SIGKILL');
                  killed = true;
                  break;
                }
                workers[0]!.kill('SIGCONT');
              }
              await sleep(10);
            }
            expect(killed).toBe(true);
            for (let i = 0; i < 1200; i++) {
              if ((await bus.openTasks(correlation)) === 0) break;
              await sleep(50);
            }
          } finally {
            if (!killed) workers[0]!.kill('SIGKILL');
            for (const w of workers.slice(1)) w.kill('SIGTERM');
            await Promise.all(exits);
          }
          const tasks = await bus.tasks(correlation);
          expect(tasks).toHaveLength(REQUESTS);
          expect(tasks.filter((t) => t.state !== 'done' || t.outcome !== 'ok')).toEqual([]);
          const responses = (await bus.messages(correlation)).filter((m) => m.kind === 'response');
          expect(responses).toHaveLength(REQUESTS);
          expect(new Set(responses.map((r) => r.causation_id)).size).toBe(REQUESTS);
          // the killed worker's claims: redelivered after their lease, on a second attempt
          const redelivered = tasks.filter((t) => t.last_error?.code === 'LEASE_EXPIRED');
          expect(redelivered.length).toBeGreaterThan(0);
          expect(redelivered.every((t) => t.attempts >= 2)).toBe(true);
          for (const t of redelivered)
            expect(Date.parse(t.finished_at!) - Date.parse(t.created_at)).toBeGreaterThanOrEqual(
              LEASE_MS,
            );
          // no entity twice
          expect(await store.count({ type: 'note' })).toBe(REQUESTS);
        } finally {
          if (bus.transport instanceof RedisTransport) await bus.transport.destroy();
          await bus.close();
          await store.close();
        }
      }, 120_000);
    },
  );
}
