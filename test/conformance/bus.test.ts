/**
 * One conformance suite for the bus, run against every transport: SQLite (in the campaign
 * file) and Redis Streams (the real server on 127.0.0.1, its own key prefix per run,
 * deleted afterwards). Real time and short leases, since Redis measures a claim's idle time
 * itself.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HANDLERS } from '../../src/agents/handlers.ts';
import { orchestrate } from '../../src/agents/orchestrator.ts';
import { AgentRuntime } from '../../src/agents/runtime.ts';
import { Bus } from '../../src/bus/bus.ts';
import { RedisTransport } from '../../src/bus/redis/transport.ts';
import { SqliteTransport } from '../../src/bus/sqlite/transport.ts';
import type { ClaimedTask } from '../../src/bus/types.ts';
import type { BusMessage } from '../../src/contracts/bus/envelope.ts';
import { createResponse } from '../../src/contracts/bus/validate.ts';
import { openStore, type CampaignStore } from '../../src/store/index.ts';
import { REDIS_URL, redisAvailable } from '../helpers/redis.ts';

interface Rig {
  store: CampaignStore;
  bus: Bus;
  /** a second client of the same bus (another process, as far as the bus can tell) */
  other: Bus;
  close: () => Promise<void>;
}

const TRANSPORTS: { name: string; enabled: () => Promise<boolean>; rig: () => Promise<Rig> }[] = [
  {
    name: 'sqlite',
    enabled: async () => true,
    rig: async () => {
      const store = await openStore({ path: ':memory:' });
      const bus = new Bus(new SqliteTransport(store));
      return { store, bus, other: bus, close: async () => store.close() };
    },
  },
  {
    name: 'redis',
    enabled: redisAvailable,
    rig: async () => {
      const store = await openStore({ path: ':memory:' });
      const prefix = `dma-test:${randomUUID()}`;
      const target = { url: REDIS_URL, prefix, location: prefix };
      const a = await RedisTransport.connect(target);
      const b = await RedisTransport.connect(target);
      return {
        store,
        bus: new Bus(a),
        other: new Bus(b),
        close: async () => {
          await a.destroy();
          await a.close();
          await b.close();
          await store.close();
        },
      };
    },
  },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

for (const transport of TRANSPORTS) {
  describe.skipIf(!(await transport.enabled()))(`bus conformance: ${transport.name}`, () => {
    let rig: Rig;
    let rt: AgentRuntime;
    beforeEach(async () => {
      rig = await transport.rig();
      rt = await AgentRuntime.open(rig.store, rig.bus, { handlers: HANDLERS });
    });
    afterEach(() => rig.close());

    const request = (correlation: string, key: string, level = 5) =>
      rt.makeRequest(
        'rules.thac0',
        { class: 'fighter', level },
        {
          source: 'orchestrator',
          correlation_id: correlation,
          idempotency_key: `conformance:${key}`,
        },
      );
    const answer = (task: ClaimedTask) =>
      createResponse(
        task.message as ReturnType<typeof request>,
        { status: 'ok', result: { class: 'fighter', group: 'warrior', level: 5, thac0: 16 } },
        { event_id: randomUUID(), timestamp: new Date(), auth: task.message.auth },
      );

    it('a work-token secret is created once and shared', async () => {
      const s = await rig.bus.secret();
      expect(s).toMatch(/^[0-9a-f]{64}$/);
      expect(await rig.other.secret()).toBe(s);
    });

    it('publish: queued, then pending, then answered from the log (one request per key)', async () => {
      const corr = randomUUID();
      const first = await rig.bus.publish(request(corr, 'k1'));
      expect(first.status).toBe('queued');
      expect((await rig.bus.publish(request(corr, 'k1'))).status).toBe('pending');
      const [task] = await rig.bus.claim('sma', 10, { consumer: 'a' });
      expect(task).toMatchObject({ task_id: (first as { task_id: number }).task_id, attempt: 1 });
      const response = await rig.bus.ack(task!.task_id, answer(task!));
      const again = await rig.bus.publish(request(corr, 'k1'));
      expect(again).toMatchObject({ status: 'answered', event_id: first.event_id });
      expect((again as { response: BusMessage }).response).toEqual(response);
      expect(await rig.bus.responseFor('conformance:k1')).toEqual(response);
      expect((await rig.bus.messages(corr)).map((m) => m.kind)).toEqual(['request', 'response']);
      expect(await rig.bus.task(task!.task_id)).toMatchObject({
        state: 'done',
        outcome: 'ok',
        response_event: response.event_id,
      });
      expect(await rig.bus.openTasks()).toBe(0);
    });

    it('a repeated key inside one batch is pending on its first request', async () => {
      const corr = randomUUID();
      const r = await rig.bus.publishMany([request(corr, 'same'), request(corr, 'same')]);
      expect(r.map((x) => x.status)).toEqual(['queued', 'pending']);
      expect(r[1]!.event_id).toBe(r[0]!.event_id);
    });

    it('two consumers never share a task', async () => {
      const corr = randomUUID();
      await rig.bus.publishMany(Array.from({ length: 50 }, (_, i) => request(corr, `n${i}`)));
      const [a, b] = await Promise.all([
        rig.bus.claim('sma', 30, { consumer: 'a' }),
        rig.other.claim('sma', 30, { consumer: 'b' }),
      ]);
      const ids = [...a, ...b].map((t) => t.task_id);
      expect(ids).toHaveLength(50);
      expect(new Set(ids).size).toBe(50);
      await rig.bus.ackMany(a.map((t) => ({ taskId: t.task_id, response: answer(t) })));
      await rig.other.ackMany(b.map((t) => ({ taskId: t.task_id, response: answer(t) })));
      expect(await rig.bus.openTasks(corr)).toBe(0);
      expect((await rig.bus.stats()).find((s) => s.agent === 'sma')).toMatchObject({ done: 50 });
    });

    it('an expired lease is redelivered; a late second answer logs nothing new', async () => {
      const corr = randomUUID();
      await rig.bus.publish(request(corr, 'lease'));
      const [first] = await rig.bus.claim('sma', 1, { consumer: 'a', leaseMs: 100 });
      expect(await rig.other.claim('sma', 1, { consumer: 'b', leaseMs: 100 })).toEqual([]);
      await sleep(250);
      const [again] = await rig.other.claim('sma', 1, { consumer: 'b', leaseMs: 5000 });
      expect(again).toMatchObject({ task_id: first!.task_id, attempt: 2 });
      const t = await rig.bus.task(first!.task_id);
      expect(t).toMatchObject({ state: 'claimed', failures: 1 });
      expect(t.last_error?.code).toBe('LEASE_EXPIRED');
      const answered = await rig.other.ack(again!.task_id, answer(again!));
      // the first consumer wakes up and answers too: refused, or given the logged answer
      const late = await rig.bus.ack(first!.task_id, answer(first!)).catch((e: Error) => e);
      if (!(late instanceof Error)) expect(late).toEqual(answered);
      const responses = (await rig.bus.messages(corr)).filter((m) => m.kind === 'response');
      expect(responses).toHaveLength(1);
    });

    it('a claim that expires with its attempts used up is a dead letter', async () => {
      const corr = randomUUID();
      await rig.bus.publish(request(corr, 'crash'), { maxAttempts: 1 });
      const [task] = await rig.bus.claim('sma', 1, { leaseMs: 50 });
      await sleep(150);
      expect(await rig.bus.claim('sma', 1, { leaseMs: 50 })).toEqual([]);
      expect(await rig.bus.task(task!.task_id)).toMatchObject({ state: 'dead' });
      expect((await rig.bus.dead()).map((d) => d.task_id)).toEqual([task!.task_id]);
    });

    it('fail: retry after a backoff, then a dead letter; retry() sends it round again once', async () => {
      const corr = randomUUID();
      await rig.bus.publish(request(corr, 'flaky'), { maxAttempts: 2 });
      const [t1] = await rig.bus.claim('sma', 1);
      const r1 = await rig.bus.fail(
        t1!.task_id,
        { code: 'BOOM', message: 'boom' },
        { backoffBaseMs: 80 },
      );
      expect(r1.state).toBe('retry');
      expect(await rig.bus.claim('sma', 1)).toEqual([]); // not due yet
      await sleep(150);
      const [t2] = await rig.bus.claim('sma', 1);
      expect(t2).toMatchObject({ task_id: t1!.task_id, attempt: 2 });
      expect((await rig.bus.fail(t2!.task_id, { code: 'BOOM', message: 'again' })).state).toBe(
        'dead',
      );
      const [dead] = await rig.bus.dead();
      expect(dead).toMatchObject({ task_id: t1!.task_id, attempts: 2, error: { code: 'BOOM' } });
      const fresh = await rig.bus.retry(
        dead!.task_id,
        rt.reissueToken(await rig.bus.request(dead!.event_id)),
      );
      expect(await rig.bus.task(fresh)).toMatchObject({ state: 'queued', attempts: 0 });
      await expect(rig.bus.retry(dead!.task_id, 'x')).rejects.toThrow(/already retried/);
      await expect(rig.bus.retry(fresh, 'x')).rejects.toThrow(/not a dead letter/);
      const [t3] = await rig.bus.claim('sma', 1);
      expect(t3!.task_id).toBe(fresh);
      expect(t3!.work_token).not.toBe(t1!.work_token);
    });

    it('release gives a task back unprocessed; heartbeat keeps a claim', async () => {
      const corr = randomUUID();
      await rig.bus.publish(request(corr, 'rel'));
      const [t] = await rig.bus.claim('sma', 1, { consumer: 'a' });
      await rig.bus.release(t!.task_id);
      expect(await rig.bus.task(t!.task_id)).toMatchObject({ state: 'queued', attempts: 0 });
      const [again] = await rig.bus.claim('sma', 1, { consumer: 'a', leaseMs: 150 });
      expect(again!.task_id).toBe(t!.task_id);
      await sleep(100);
      await rig.bus.heartbeat(again!.task_id, 5000);
      await sleep(100);
      expect(await rig.other.claim('sma', 1, { consumer: 'b', leaseMs: 150 })).toEqual([]);
    });

    it('refuses an ack for a missing task and an answer to another request', async () => {
      const corr = randomUUID();
      await rig.bus.publishMany([request(corr, 'x1'), request(corr, 'x2')]);
      const [a, b] = await rig.bus.claim('sma', 2);
      await expect(rig.bus.ack(999_999, answer(a!))).rejects.toThrow(/no bus task 999999/);
      await expect(rig.bus.ack(a!.task_id, answer(b!))).rejects.toThrow(/must be caused by/);
      await expect(rig.bus.publish({ type: 'rules.thac0' })).rejects.toThrow(/invalid bus message/);
    });

    it('tail pages the log by seq; trim keeps the newest and all unfinished work', async () => {
      const corr = randomUUID();
      await rig.bus.publishMany(Array.from({ length: 4 }, (_, i) => request(corr, `t${i}`)));
      const claimed = await rig.bus.claim('sma', 3);
      await rig.bus.ackMany(claimed.map((t) => ({ taskId: t.task_id, response: answer(t) })));
      const all = await rig.bus.tail();
      expect(all).toHaveLength(7);
      expect(await rig.bus.lastSeq()).toBe(all[6]!.seq);
      expect((await rig.bus.tail({ since: all[4]!.seq })).map((m) => m.seq)).toEqual([
        all[5]!.seq,
        all[6]!.seq,
      ]);
      const would = await rig.bus.trim({ keep: 0, dryRun: true });
      expect(would).toEqual({ messages: 6, tasks: 3, blobs: 0 });
      expect(await rig.bus.tail()).toHaveLength(7);
      expect(await rig.bus.trim({ keep: 0 })).toEqual(would);
      const left = await rig.bus.tail();
      expect(left.map((m) => m.message.kind)).toEqual(['request']);
      expect(await rig.bus.openTasks()).toBe(1);
    });

    it('claim-check blobs: put, get, list by correlation, delete', async () => {
      const corr = randomUUID();
      const key = await rig.bus.putBlob(corr, { entities: [1, 2] }, 'name');
      expect(key).toMatch(/^[0-9a-f]{64}$/);
      expect(await rig.other.getBlob(key)).toEqual({ entities: [1, 2] });
      expect(await rig.bus.blobs(corr)).toEqual({ [key]: { entities: [1, 2] } });
      await rig.bus.deleteBlob(key);
      expect(await rig.bus.blobs(corr)).toEqual({});
    });

    it('the agents run over it: an orchestrated request and a saved dungeon', async () => {
      const r = await orchestrate(
        rig.store,
        'rules.thac0',
        { class: 'fighter', level: 5 },
        { bus: rig.bus },
      );
      expect(r.payload).toMatchObject({ status: 'ok', result: { thac0: 16 } });
      const d = await orchestrate(
        rig.store,
        'world.dungeon.generate',
        { level: 1, rooms: 4, seed: 7, save: true },
        { bus: rig.bus },
      );
      expect(d.payload.status).toBe('ok');
      const id = (d.payload as { result: { id: string } }).result.id;
      expect((await rig.store.get(id)).type).toBe('dungeon');
      expect(await rig.bus.openTasks()).toBe(0);
    });
  });
}
