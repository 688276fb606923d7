/**
 * Bus benchmarks (issue #6): publish + claim + ack in process, batched (target ≥ 20,000
 * messages/s, counting the request envelopes' signing and validation), 10,000 saved NPCs
 * through the orchestrator, and whole-process `dma ask` / saved `npc create` and
 * `dungeon gen` against `node -e 0`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS } from '../../src/agents/handlers.ts';
import { orchestrate } from '../../src/agents/orchestrator.ts';
import { AgentRuntime } from '../../src/agents/runtime.ts';
import { createResponse } from '../../src/contracts/bus/validate.ts';
import { openStore, type CampaignStore } from '../../src/store/index.ts';
import type { BenchCase } from '../types.ts';
import { busOf } from '../../src/bus/sqlite/bus.ts';

const BATCH = 10_000;
let n = 0;
const tempDir = () => mkdtempSync(join(tmpdir(), 'dma-bench-bus-'));

interface BusState {
  dir: string;
  store: CampaignStore;
  rt: AgentRuntime;
}

export const cases: BenchCase[] = [
  {
    kind: 'in-process',
    name: 'bus publish + claim + ack, 10,000 messages (batched, file database)',
    setup: async (): Promise<BusState> => {
      const dir = tempDir();
      const store = await openStore({ path: join(dir, 'bus.db') });
      return { dir, store, rt: new AgentRuntime(store, { handlers: HANDLERS }) };
    },
    run: ({ store, rt }: BusState) => {
      const bus = busOf(store);
      const correlation = randomUUID();
      const requests = Array.from({ length: BATCH }, (_, i) =>
        rt.makeRequest(
          'rules.thac0',
          { class: 'fighter', level: 1 + (i % 20) },
          {
            source: 'orchestrator',
            correlation_id: correlation,
            idempotency_key: `bench:${n++}:${correlation}`,
          },
        ),
      );
      bus.publishMany(requests);
      const claimed = bus.claim('sma', BATCH);
      const auth = requests[0]!.auth;
      bus.ackMany(
        claimed.map((c) => ({
          taskId: c.task_id,
          response: createResponse(
            c.message as (typeof requests)[number],
            {
              status: 'ok',
              result: { class: 'fighter', group: 'warrior', level: 1, thac0: 20 },
            },
            { event_id: randomUUID(), timestamp: new Date(), auth },
          ),
        })),
      );
    },
    teardown: ({ dir, store }: BusState) => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
    samples: 5,
    opsPerSample: BATCH,
    target: '>= 20000 ops/s',
  },
  {
    kind: 'in-process',
    name: 'orchestrated npc create: 10,000 NPCs generated and stored (fresh database)',
    setup: tempDir,
    run: async (dir: string) => {
      const store = await openStore({ path: join(dir, `c${n++}.db`) });
      await orchestrate(store, 'world.npc.generate', { count: 10_000, seed: n, save: true });
      store.close();
    },
    teardown: (dir: string) => rmSync(dir, { recursive: true, force: true }),
    samples: 3,
    opsPerSample: 10_000,
    target: '< 2000 ms',
  },
  {
    kind: 'process',
    name: 'ask "Create a level 7 wizard NPC named Elara"',
    setup: () => ({ DMA_DB: join(tempDir(), 'ask.db') }),
    args: ['ask', 'Create a level 7 wizard NPC named Elara', '--seed', '7'],
    maxRatio: 2.5,
  },
  {
    kind: 'process',
    name: 'npc create (saved, through the bus)',
    setup: () => ({ DMA_DB: join(tempDir(), 'npc.db') }),
    args: ['npc', 'create', '--seed', '1'],
    maxRatio: 2,
  },
  {
    kind: 'process',
    name: 'dungeon gen (saved, through the bus)',
    setup: () => ({ DMA_DB: join(tempDir(), 'dungeon.db') }),
    args: ['dungeon', 'gen', '--rooms', '30', '--seed', '1'],
    maxRatio: 2,
  },
];
