/**
 * Bus benchmarks (issue #6): publish + claim + ack in process, batched (target ≥ 30,000
 * messages/s, issue #16, counting the request envelopes' signing and validation), 10,000
 * saved NPCs through the orchestrator, and whole-process `dma ask` / saved `npc create` and
 * `dungeon gen` against `node -e 0`.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HANDLERS } from '../../src/agents/handlers.ts';
import { orchestrate } from '../../src/agents/orchestrator.ts';
import { AgentRuntime, newEventId } from '../../src/agents/runtime.ts';
import { createResponse } from '../../src/contracts/bus/validate.ts';
import { openStore, type SqliteStore as CampaignStore } from '../../src/store/index.ts';
import type { BenchCase } from '../types.ts';
import { busOf } from '../../src/bus/sqlite/bus.ts';
import { Bus } from '../../src/bus/bus.ts';
import { RedisTransport } from '../../src/bus/redis/transport.ts';
import { SqliteTransport } from '../../src/bus/sqlite/transport.ts';
import type { ClaimedTask } from '../../src/bus/types.ts';
import type { BusMessage } from '../../src/contracts/bus/envelope.ts';

const BATCH = 10_000;
let n = 0;
const tempDir = () => mkdtempSync(join(tmpdir(), 'dma-bench-bus-'));

interface BusState {
  dir: string;
  store: CampaignStore;
  rt: AgentRuntime;
}

const CONSUMERS = 4;

/** BATCH signed rules.thac0 requests under one new correlation. */
function thac0Requests(rt: AgentRuntime, tag: string) {
  const correlation = randomUUID();
  return Array.from({ length: BATCH }, (_, i) =>
    rt.makeRequest(
      'rules.thac0',
      { class: 'fighter', level: 1 + (i % 20) },
      {
        source: 'orchestrator',
        correlation_id: correlation,
        idempotency_key: `${tag}:${n++}:${correlation}`,
      },
    ),
  );
}

/** An ok answer to each claimed rules.thac0 task. */
function thac0Answers(claimed: readonly ClaimedTask[], auth: BusMessage['auth']) {
  return claimed.map((t) => ({
    taskId: t.task_id,
    response: createResponse(
      t.message as ReturnType<typeof thac0Requests>[number],
      { status: 'ok', result: { class: 'fighter', group: 'warrior', level: 1, thac0: 20 } },
      // time-ordered ids, as the runtime's responses have (random ones scatter the index)
      { event_id: newEventId(), timestamp: new Date(), auth },
    ),
  }));
}

interface ConsumersState {
  /** the publisher's bus, then one per consumer (its own connection) */
  buses: Bus[];
  rt: AgentRuntime;
  close: () => Promise<void>;
}

/**
 * publish + claim + ack of BATCH messages with CONSUMERS consumers, each on its own
 * connection: the requests are published in batches of 1,000, then the consumers claim
 * 500 at a time and ack each batch until every message is answered.
 */
async function publishClaimAck({ buses, rt }: ConsumersState): Promise<void> {
  const [publisher, ...consumers] = buses;
  const requests = thac0Requests(rt, 'bench4');
  for (let i = 0; i < BATCH; i += 1000) await publisher!.publishMany(requests.slice(i, i + 1000));
  const auth = requests[0]!.auth;
  let acked = 0;
  await Promise.all(
    consumers.map(async (bus, c) => {
      while (acked < BATCH) {
        const claimed = await bus.claim('sma', 500, { consumer: `bench-${c}` });
        if (claimed.length === 0) {
          await new Promise((r) => setTimeout(r, 1));
          continue;
        }
        await bus.ackMany(thac0Answers(claimed, auth));
        acked += claimed.length;
      }
    }),
  );
}

export const cases: BenchCase[] = [
  {
    kind: 'in-process',
    name: `bus publish + claim + ack, 10,000 messages, ${CONSUMERS} consumers (SQLite file)`,
    setup: async (): Promise<ConsumersState> => {
      const dir = tempDir();
      const stores = await Promise.all(
        Array.from({ length: CONSUMERS + 1 }, () => openStore({ path: join(dir, 'bus4.db') })),
      );
      const buses = stores.map((s) => new Bus(new SqliteTransport(s)));
      return {
        buses,
        rt: await AgentRuntime.open(stores[0]!, buses[0]!, { handlers: HANDLERS }),
        close: async () => {
          for (const s of stores) await s.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    run: publishClaimAck,
    teardown: (s: ConsumersState) => s.close(),
    samples: 5,
    opsPerSample: BATCH,
    target: '>= 30000 ops/s',
  },
  {
    kind: 'in-process',
    name: `bus publish + claim + ack, 10,000 messages, ${CONSUMERS} consumers (Redis Streams, 127.0.0.1)`,
    setup: async (): Promise<ConsumersState> => {
      const dir = tempDir();
      const store = await openStore({ path: join(dir, 'redis.db') });
      const prefix = `dma-bench:${randomUUID()}`;
      const url = process.env['DMA_TEST_REDIS_URL'] || 'redis://127.0.0.1:6379';
      const transports = await Promise.all(
        Array.from({ length: CONSUMERS + 1 }, () =>
          RedisTransport.connect({ url, prefix, location: prefix }),
        ),
      );
      const buses = transports.map((t) => new Bus(t));
      return {
        buses,
        rt: await AgentRuntime.open(store, buses[0]!, { handlers: HANDLERS }),
        close: async () => {
          await transports[0]!.destroy();
          for (const t of transports) await t.close();
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        },
      };
    },
    run: publishClaimAck,
    teardown: (s: ConsumersState) => s.close(),
    samples: 5,
    opsPerSample: BATCH,
    target: '>= 10000 ops/s',
  },
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
      const requests = thac0Requests(rt, 'bench');
      bus.publishMany(requests);
      const claimed = bus.claim('sma', BATCH);
      bus.ackMany(thac0Answers(claimed, requests[0]!.auth));
    },
    teardown: ({ dir, store }: BusState) => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
    samples: 5,
    opsPerSample: BATCH,
    target: '>= 30000 ops/s',
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
