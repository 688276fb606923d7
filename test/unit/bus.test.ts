/**
 * The bus on SQLite and the agent runtime: idempotency, leases and redelivery, retries
 * and dead letters, crash recovery, work tokens, trim and stats — on :memory: databases
 * with a fake clock.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HANDLERS } from '../../src/agents/handlers.ts';
import { AgentRuntime, type HandlerTable } from '../../src/agents/runtime.ts';
import { STREAM_CHUNK } from '../../src/agents/wed-npc.ts';
import { issueToken } from '../../src/agents/tokens.ts';
import { createResponse } from '../../src/contracts/bus/validate.ts';
import { transition } from '../../src/contracts/bus/task-state.ts';
import { openStore, type SqliteStore } from '../../src/store/index.ts';
import { busOf, SqliteBus } from '../../src/bus/sqlite/bus.ts';
import { createRng } from '../../src/core/rng.ts';
import { generateNpcs, npcRecord, withEntityId } from '../../src/generators/npc/index.ts';

let store: SqliteStore;
let t: number;
const clock = () => new Date(t);
/** a sleep that only moves the fake clock */
const sleep = async (ms: number) => {
  t += ms;
};

beforeEach(async () => {
  t = Date.parse('2026-01-01T12:00:00Z');
  store = await openStore({ path: ':memory:', clock });
});
afterEach(() => store.close());

function runtime(handlers: HandlerTable = HANDLERS, extra = {}) {
  return new AgentRuntime(store, { handlers, clock, sleep, ...extra });
}

describe('bus: publish and idempotency', () => {
  it('answers a repeated idempotency key from the log; the handler runs once', async () => {
    let runs = 0;
    const rt = runtime({
      'rules.thac0': (m) => {
        runs++;
        return HANDLERS['rules.thac0']!(m, {} as never);
      },
    });
    const corr = randomUUID();
    const msg = () =>
      rt.makeRequest(
        'rules.thac0',
        { class: 'fighter', level: 5 },
        { source: 'orchestrator', correlation_id: corr, idempotency_key: 'ask:thac0-fighter-5' },
      );
    const first = busOf(store).publish(msg());
    expect(first.status).toBe('queued');
    // a key logged before (another batch): pending on its request's task
    expect(busOf(store).publish(msg())).toEqual({
      status: 'pending',
      event_id: first.event_id,
      task_id: first.status === 'queued' ? first.task_id : -1,
    });
    await rt.drain(corr);
    const again = busOf(store).publish(msg());
    expect(again.status).toBe('answered');
    expect(again.status === 'answered' && again.response.payload).toMatchObject({
      status: 'ok',
      result: { thac0: 16 },
    });
    await rt.drain(corr);
    expect(runs).toBe(1);
    expect(busOf(store).messages(corr)).toHaveLength(2);
  });

  it('reads a logged message back as the same bytes it was published as', async () => {
    const rt = runtime();
    const r = await rt.request('world.npc.generate', { class: 'mage', seed: 3, save: true });
    const bus = busOf(store);
    const logged = bus.messages(r.correlation_id);
    expect(logged).toHaveLength(4);
    expect(logged.some((m) => m.causation_id === undefined)).toBe(true);
    for (const m of logged) {
      expect(Object.keys(m)).toEqual(
        Object.keys({
          event_id: 0,
          correlation_id: 0,
          ...(m.causation_id === undefined ? {} : { causation_id: 0 }),
          idempotency_key: 0,
          timestamp: 0,
          source: 0,
          target: 0,
          kind: 0,
          type: 0,
          payload: 0,
          auth: 0,
          api_version: 0,
        }),
      );
      if (m.kind === 'request') expect(bus.request(m.event_id)).toEqual(m);
    }
    const msg = rt.makeRequest(
      'rules.roll',
      { notation: '1d6', seed: 1 },
      { source: 'orchestrator', correlation_id: randomUUID(), idempotency_key: 'roll:bytes-1' },
    );
    bus.publish(msg);
    expect(JSON.stringify(bus.request(msg.event_id))).toBe(JSON.stringify(msg));
  });

  it('refuses an invalid message and a response published as a request', () => {
    expect(() => busOf(store).publish({ type: 'rules.thac0' })).toThrow(/invalid bus message/);
  });

  it('creates the work-token secret with the database, 64 hex characters', () => {
    expect(busOf(store).secret()).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('agents over the bus', () => {
  it('"Create Elara": wed asks the scribe; four messages under one correlation id', async () => {
    const r = await runtime().request('world.npc.generate', {
      class: 'mage',
      level: 7,
      name: 'Elara',
      seed: 7,
      save: true,
    });
    const msgs = busOf(store).messages(r.correlation_id);
    expect(msgs.map((m) => `${m.kind} ${m.type}`)).toEqual([
      'request world.npc.generate',
      'request entity.store',
      'response entity.store',
      'response world.npc.generate',
    ]);
    expect(new Set(msgs.map((m) => m.correlation_id)).size).toBe(1);
    const npc = await store.resolve('Elara');
    expect(npc).toMatchObject({ type: 'npc', data: { class: 'mage', level: 7 } });
  });

  it('maps the contract v1 method names to the generator and refuses the others', async () => {
    const rt = runtime();
    const ok = await rt.request('world.npc.generate', { method: '4d6-drop-lowest', seed: 1 });
    expect(ok.payload.status).toBe('ok');
    const no = await rt.request('world.npc.generate', { method: 'point-pool', seed: 1 });
    expect(no.payload).toMatchObject({ status: 'error', error: { code: 'INVALID_INPUT' } });
  });

  it('stores a batch of 120 NPCs with one entity.store_batch (a claim-check blob)', async () => {
    const r = await runtime().request('world.npc.generate', { count: 120, seed: 3, save: true });
    const types = busOf(store)
      .messages(r.correlation_id)
      .map((m) => m.type);
    expect(types).toEqual([
      'world.npc.generate',
      'entity.store_batch',
      'entity.store_batch',
      'world.npc.generate',
    ]);
    expect(await store.count({ type: 'npc' })).toBe(120);
    expect(r.payload.status === 'ok' && r.payload.result.entity_ids).toHaveLength(120);
    expect(r.payload.status === 'ok' && r.payload.result.npcs).toHaveLength(50);
    expect(busOf(store).blobs(r.correlation_id)).toEqual({}); // deleted once stored
  });

  it('a batch stored in chunks as it is generated holds the NPCs a whole batch would', async () => {
    const count = STREAM_CHUNK + 20;
    const r = await runtime().request('world.npc.generate', { count, seed: 8, save: true });
    const npcs = generateNpcs({ method: '3d6' }, count, createRng(8));
    const ids = r.payload.status === 'ok' ? r.payload.result.entity_ids! : [];
    expect(ids).toHaveLength(count);
    expect(await store.count({ type: 'npc' })).toBe(count);
    for (const i of [0, STREAM_CHUNK - 1, STREAM_CHUNK, count - 1]) {
      const e = await store.get(ids[i]!);
      expect({ name: e.name, data: e.data }).toEqual(npcRecord(npcs[i]!));
    }
    // the in-process output: views of the same NPCs, with their ids
    const local = r.local as { views: unknown[] };
    expect(JSON.stringify(local.views)).toBe(
      JSON.stringify(npcs.map((n, i) => withEntityId(n, ids[i]!))),
    );
  });
});

describe('crashes, leases and retries', () => {
  it('a streamed batch whose store failed after taking a chunk is stored whole on the retry', async () => {
    let fail = true;
    const rt = runtime({
      ...HANDLERS,
      'entity.store_batch': async (m, ctx) => {
        if (fail) {
          fail = false;
          const blob = (await ctx.bus.getBlob(m.payload.blob)) as {
            chunks(): AsyncIterable<unknown>;
          };
          for await (const _ of blob.chunks()) break; // one chunk generated, then a crash
          throw new Error('flaky');
        }
        return HANDLERS['entity.store_batch']!(m, ctx);
      },
    });
    const count = STREAM_CHUNK + 20;
    const r = await rt.request('world.npc.generate', { count, seed: 9, save: true });
    expect(r.payload.status).toBe('ok');
    expect(await store.count({ type: 'npc' })).toBe(count);
    const ids = r.payload.status === 'ok' ? r.payload.result.entity_ids! : [];
    const npcs = generateNpcs({ method: '3d6' }, count, createRng(9));
    expect(JSON.stringify((r.local as { views: unknown[] }).views)).toBe(
      JSON.stringify(npcs.map((n, i) => withEntityId(n, ids[i]!))),
    );
  });

  it('a handler that crashes mid-task (after its write, before the ack) is redelivered after the lease; the entity exists once', async () => {
    let crash = true;
    const crashing = runtime(HANDLERS, {
      leaseMs: 1000,
      afterHandle: (task: { message: { type: string } }) => {
        if (crash && task.message.type === 'entity.store') throw new Error('process died');
      },
    });
    const corr = randomUUID();
    await expect(
      crashing.request(
        'world.npc.generate',
        { name: 'Elara', class: 'mage', level: 7, seed: 7, save: true },
        { correlation_id: corr },
      ),
    ).rejects.toThrow(/process died/);
    expect(await store.count({ type: 'npc' })).toBe(1);
    const claimed = busOf(store)
      .tasks(corr)
      .filter((x) => x.state === 'claimed');
    expect(claimed.length).toBe(2); // the wed task and the scribe task, both mid-flight
    // nobody may take them before the lease runs out
    expect(busOf(store).claim('scribe', 10)).toEqual([]);
    crash = false;
    t += 1001;
    const recovered = runtime();
    await recovered.drain(corr);
    expect(await store.count({ type: 'npc' })).toBe(1);
    const tasks = busOf(store).tasks(corr);
    expect(tasks.every((x) => x.state === 'done')).toBe(true);
    expect(tasks.every((x) => x.attempts === 2)).toBe(true);
    expect(
      busOf(store)
        .stats()
        .find((s) => s.agent === 'scribe')?.failures,
    ).toBe(1);
  });

  it('a crash after the scribe stored an in-process batch, before its ack, is redelivered; the NPCs exist once', async () => {
    let crash = true;
    const crashing = runtime(HANDLERS, {
      leaseMs: 1000,
      afterHandle: (task: { message: { type: string } }) => {
        if (crash && task.message.type === 'entity.store_batch') throw new Error('process died');
      },
    });
    const corr = randomUUID();
    const payload = { count: 120, seed: 5, save: true };
    await expect(
      crashing.request('world.npc.generate', payload, { correlation_id: corr }),
    ).rejects.toThrow(/process died/);
    expect(await store.count({ type: 'npc' })).toBe(120);
    expect(busOf(store).blobs(corr)).toEqual({}); // taken in process: never written
    crash = false;
    t += 1001;
    await runtime().drain(corr);
    expect(await store.count({ type: 'npc' })).toBe(120);
    const tasks = busOf(store).tasks(corr);
    expect(tasks.map((x) => [x.type, x.state])).toEqual([
      ['world.npc.generate', 'done'],
      ['entity.store_batch', 'done'],
    ]);
  });

  it('a batch the in-process scribe has not taken when the step ends is written as a blob, for any consumer', async () => {
    const { RuntimeCrash } = await import('../../src/agents/runtime.ts');
    let crash = true;
    const crashing = runtime(
      {
        ...HANDLERS,
        'entity.store_batch': (m, ctx) => {
          if (crash) throw new RuntimeCrash('process died before storing');
          return HANDLERS['entity.store_batch']!(m, ctx);
        },
      },
      { leaseMs: 1000 },
    );
    const corr = randomUUID();
    await expect(
      crashing.request(
        'world.npc.generate',
        { count: 120, seed: 6, save: true },
        { correlation_id: corr },
      ),
    ).rejects.toThrow(/before storing/);
    expect(await store.count({ type: 'npc' })).toBe(0);
    const blobs = Object.values(busOf(store).blobs(corr)) as { entities: unknown[] }[];
    expect(blobs.map((b) => b.entities.length)).toEqual([120]);
    crash = false;
    t += 1001;
    await runtime().drain(corr);
    expect(await store.count({ type: 'npc' })).toBe(120);
    expect(busOf(store).blobs(corr)).toEqual({});
    expect(
      busOf(store)
        .tasks(corr)
        .every((x) => x.state === 'done'),
    ).toBe(true);
  });

  it('a transient failure is retried after an exponential backoff', async () => {
    let calls = 0;
    const rt = runtime({
      'rules.thac0': (m) => {
        if (++calls < 3) throw new Error('flaky');
        return HANDLERS['rules.thac0']!(m, {} as never);
      },
    });
    const start = t;
    const r = await rt.request('rules.thac0', { class: 'mage', level: 5 });
    expect(r.payload).toMatchObject({ status: 'ok', result: { thac0: 19 } });
    expect(calls).toBe(3);
    expect(t - start).toBeGreaterThanOrEqual(100 + 200);
    const [task] = busOf(store).tasks(r.correlation_id);
    expect(task).toMatchObject({ state: 'done', attempts: 3, failures: 2 });
  });

  it('a poison message ends as a dead letter after N attempts, with its error; retry sends it again', async () => {
    let poison = true;
    const rt = runtime(
      {
        'rules.thac0': (m) => {
          if (poison) throw new Error('cannot digest this');
          return HANDLERS['rules.thac0']!(m, {} as never);
        },
      },
      { maxAttempts: 3 },
    );
    await expect(rt.request('rules.thac0', { class: 'thief', level: 3 })).rejects.toThrow(
      /cannot digest this/,
    );
    const [dead] = busOf(store).dead();
    expect(dead).toMatchObject({
      agent: 'sma',
      type: 'rules.thac0',
      attempts: 3,
      error: { code: 'HANDLER_CRASHED', message: 'cannot digest this' },
    });
    poison = false;
    const again = busOf(store).retry(
      dead!.task_id,
      rt.reissueToken(busOf(store).request(dead!.event_id)),
    );
    await rt.drain(dead!.correlation_id);
    expect(busOf(store).task(again).state).toBe('done');
    expect(() => busOf(store).retry(dead!.task_id, 'x')).toThrow(/already retried/);
    expect(() => busOf(store).retry(again, 'x')).toThrow(/not a dead letter/);
  });

  it('every state change follows the task state machine', () => {
    expect(() => transition('done', 'claimed')).toThrow(/illegal task transition/);
    // the response is checked first; a valid one for a missing task: see test/conformance/bus
    expect(() => busOf(store).ack(999, {})).toThrow(/invalid bus message/);
  });

  it('ackMany refuses a done task, a repeated task and a request, all or nothing', () => {
    const rt = runtime();
    const corr = randomUUID();
    const bus = busOf(store);
    bus.publishMany(
      [1, 2, 3].map((level) =>
        rt.makeRequest(
          'rules.thac0',
          { class: 'fighter', level },
          { source: 'orchestrator', correlation_id: corr, idempotency_key: `ackmany:${level}` },
        ),
      ),
    );
    const [a, b, c] = bus.claim('sma', 3);
    const answer = (task: typeof a, n: number) =>
      createResponse(
        task!.message as never,
        { status: 'ok', result: { class: 'fighter', group: 'warrior', level: n, thac0: 20 } },
        { event_id: randomUUID(), timestamp: clock(), auth: task!.message.auth },
      );
    bus.ack(a!.task_id, answer(a, 1));
    const logged = bus.messages(corr).length;
    // a task already done: the state machine's error, and the batch's good ack is undone
    expect(() =>
      bus.ackMany([
        { taskId: b!.task_id, response: answer(b, 2) },
        { taskId: a!.task_id, response: answer(a, 1) },
      ]),
    ).toThrow(/illegal task transition done → done/);
    // the same task twice in one batch
    expect(() =>
      bus.ackMany([
        { taskId: b!.task_id, response: answer(b, 2) },
        { taskId: b!.task_id, response: answer(b, 2) },
      ]),
    ).toThrow(/illegal task transition done → done/);
    // a request where a response belongs
    expect(() => bus.ackMany([{ taskId: c!.task_id, response: c!.message }])).toThrow(
      /must be caused by/,
    );
    expect(bus.messages(corr)).toHaveLength(logged);
    expect([a, b, c].map((t) => bus.task(t!.task_id).state)).toEqual([
      'done',
      'claimed',
      'claimed',
    ]);
    expect(bus.task(a!.task_id)).toMatchObject({
      outcome: 'ok',
      finished_at: clock().toISOString(),
    });
    expect(bus.task(a!.task_id).response_event).toBe(bus.messages(corr).at(-1)!.event_id);
    expect(bus.ackMany([{ taskId: c!.task_id, response: answer(c, 3) }])).toHaveLength(1);
    expect(bus.task(c!.task_id)).toMatchObject({ state: 'done', lease_until: null });
  });

  it('ackMany of a batch marks each task done with its own response and outcome', () => {
    const rt = runtime();
    const corr = randomUUID();
    const bus = busOf(store);
    const published = bus.publishMany(
      [1, 2, 3, 4].map((level) =>
        rt.makeRequest(
          'rules.thac0',
          { class: 'fighter', level },
          { source: 'orchestrator', correlation_id: corr, idempotency_key: `ackbatch:${level}` },
        ),
      ),
    );
    const claimed = bus.claim('sma', 4, { correlation: corr });
    expect(claimed.map((t) => t.task_id)).toEqual(
      published.map((p) => (p as { task_id: number }).task_id),
    );
    const [a, b, c, d] = claimed;
    const ok = (task: typeof a) =>
      createResponse(
        task!.message as never,
        { status: 'ok', result: { class: 'fighter', group: 'warrior', level: 1, thac0: 20 } },
        { event_id: randomUUID(), timestamp: clock(), auth: task!.message.auth },
      );
    const failed = (task: typeof a) =>
      createResponse(
        task!.message as never,
        { status: 'error', error: { code: 'NOPE', message: 'no' } },
        { event_id: randomUUID(), timestamp: clock(), auth: task!.message.auth },
      );
    const logged = bus.messages(corr).length;
    // another task's response, after a good one: refused, nothing kept
    expect(() =>
      bus.ackMany([
        { taskId: a!.task_id, response: ok(a) },
        { taskId: c!.task_id, response: ok(d) },
      ]),
    ).toThrow(/must be caused by/);
    // a task that does not exist
    expect(() =>
      bus.ackMany([
        { taskId: a!.task_id, response: ok(a) },
        { taskId: 999_999, response: ok(b) },
      ]),
    ).toThrow(/no bus task 999999/);
    expect(bus.messages(corr)).toHaveLength(logged);
    expect(claimed.map((t) => bus.task(t!.task_id).state)).toEqual(Array(4).fill('claimed'));
    const answers = [ok(a), failed(b), ok(c), failed(d)];
    expect(
      bus.ackMany(claimed.map((t, i) => ({ taskId: t.task_id, response: answers[i]! }))),
    ).toEqual(answers);
    expect(claimed.map((t) => bus.task(t.task_id))).toMatchObject(
      answers.map((r, i) => ({
        state: 'done',
        outcome: i % 2 === 0 ? 'ok' : 'error',
        response_event: r.event_id,
        lease_until: null,
        finished_at: clock().toISOString(),
      })),
    );
    expect(bus.messages(corr).slice(logged)).toEqual(answers);
  });

  it('release gives a claim back without counting an attempt', async () => {
    const rt = runtime();
    const corr = randomUUID();
    busOf(store).publish(
      rt.makeRequest(
        'rules.thac0',
        { class: 'fighter', level: 1 },
        { source: 'orchestrator', correlation_id: corr, idempotency_key: `k:${corr}` },
      ),
    );
    const [c] = busOf(store).claim('sma', 1);
    busOf(store).release(c!.task_id);
    expect(busOf(store).task(c!.task_id)).toMatchObject({ state: 'queued', attempts: 0 });
  });
});

describe('work tokens', () => {
  async function deliverWith(token: (eventId: string, secret: string) => string) {
    const rt = runtime();
    const corr = randomUUID();
    const msg = rt.makeRequest(
      'rules.thac0',
      { class: 'fighter', level: 5 },
      { source: 'orchestrator', correlation_id: corr, idempotency_key: `k:${corr}` },
    );
    const forged = {
      ...msg,
      auth: { ...msg.auth, work_token: token(msg.event_id, busOf(store).secret()) },
    };
    busOf(store).publish(forged);
    await rt.drain(corr);
    return busOf(store).dead()[0];
  }

  it.each([
    [
      'forged',
      (id: string) =>
        issueToken('x'.repeat(32), { agent: 'sma', task_id: id, now: clock() }).work_token,
      'WORK_TOKEN_FORGED',
    ],
    [
      'expired',
      (id: string, s: string) =>
        issueToken(s, { agent: 'sma', task_id: id, ttlMs: 1, now: new Date(t - 10) }).work_token,
      'WORK_TOKEN_EXPIRED',
    ],
    [
      'for another agent',
      (id: string, s: string) =>
        issueToken(s, { agent: 'scribe', task_id: id, now: clock() }).work_token,
      'WORK_TOKEN_WRONG_AGENT',
    ],
    [
      'for another task',
      (_id: string, s: string) =>
        issueToken(s, { agent: 'sma', task_id: randomUUID(), now: clock() }).work_token,
      'WORK_TOKEN_WRONG_TASK',
    ],
    [
      'for another type',
      (id: string, s: string) =>
        issueToken(s, { agent: 'sma', task_id: id, type: 'rules.save', now: clock() }).work_token,
      'WORK_TOKEN_WRONG_TYPE',
    ],
    ['malformed', () => 'not-a-token', 'WORK_TOKEN_MALFORMED'],
  ] as const)(
    'refuses a token %s: the task is a dead letter with the token error',
    async (_what, token, code) => {
      const dead = await deliverWith(token);
      expect(dead?.error?.code).toBe(code);
      expect(dead?.attempts).toBe(1);
    },
  );
});

describe('trim and stats', () => {
  it('keeps the newest N messages and the work still open', async () => {
    const rt = runtime();
    for (let level = 1; level <= 5; level++)
      await rt.request('rules.thac0', { class: 'fighter', level });
    expect(busOf(store).counts().messages).toBe(10);
    expect(busOf(store).trim({ keep: 4, dryRun: true })).toMatchObject({ messages: 6 });
    expect(busOf(store).counts().messages).toBe(10);
    expect(busOf(store).trim({ keep: 4 })).toMatchObject({ messages: 6, tasks: 3 });
    expect(busOf(store).counts()).toMatchObject({ messages: 4, tasks: 2 });
    const [sma] = busOf(store).stats();
    expect(sma).toMatchObject({ agent: 'sma', done: 2, dead: 0, error_rate: 0 });
    expect(sma!.p50_ms).not.toBeNull();
  });
});

describe('migration 5: task work tokens', () => {
  it("drops a task's copy of its request's token and keeps a retried dead letter's own", async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { migrations } = await import('../../src/store/index.ts');
    const path = join(mkdtempSync(join(tmpdir(), 'dma-bus-m5-')), 'c.db');
    // a version-4 database with a first delivery and a retried dead letter of one request
    const v4 = await openStore({ path, clock, migrations: migrations.slice(0, 4) });
    const rt = new AgentRuntime(v4, { handlers: HANDLERS, clock, sleep });
    const req = rt.makeRequest(
      'rules.thac0',
      { class: 'fighter', level: 5 },
      {
        source: 'orchestrator',
        correlation_id: randomUUID(),
        idempotency_key: 'migration-5',
      },
    );
    const { db } = v4.connection();
    db.prepare(
      `INSERT INTO bus_messages (event_id, correlation_id, idempotency_key, kind, type, source,
         target, timestamp, envelope) VALUES (?, ?, 'migration-5', 'request', 'rules.thac0',
         'orchestrator', 'sma', ?, ?)`,
    ).run(
      req.event_id,
      req.correlation_id,
      req.timestamp,
      JSON.stringify({ payload: req.payload, auth: req.auth, api_version: req.api_version }),
    );
    const task = db.prepare(
      `INSERT INTO bus_tasks (event_id, correlation_id, agent, type, state, max_attempts,
         available_at, work_token, created_at) VALUES (?, ?, 'sma', 'rules.thac0', ?, 5, ?, ?, ?)`,
    );
    task.run(req.event_id, req.correlation_id, 'dead', t, req.auth.work_token, t);
    task.run(req.event_id, req.correlation_id, 'queued', t, 'v1.fresh.token', t);
    v4.close();

    const v5 = await openStore({ path, clock });
    const rows = v5
      .connection()
      .db.prepare('SELECT state, work_token FROM bus_tasks ORDER BY id')
      .all();
    expect(rows).toEqual([
      { state: 'dead', work_token: null },
      { state: 'queued', work_token: 'v1.fresh.token' },
    ]);
    const [claimed] = busOf(v5).claim('sma', 5);
    expect(claimed?.work_token).toBe('v1.fresh.token');
    v5.close();
  });

  it("a worker's claim reads each request back as it was published, whatever build logged it", () => {
    const rt = runtime();
    const corr = randomUUID();
    const requests = [1, 2, 3].map((level) =>
      rt.makeRequest(
        'rules.thac0',
        { class: 'fighter', level },
        {
          source: 'orchestrator',
          correlation_id: corr,
          ...(level === 2 ? { causation_id: randomUUID() } : {}),
          idempotency_key: `worker-read:${level}`,
        },
      ),
    );
    busOf(store).publishMany(requests);
    // an earlier build kept the whole envelope in the column
    const { db } = store.connection();
    db.prepare('UPDATE bus_messages SET envelope = ? WHERE event_id = ?').run(
      JSON.stringify(requests[2]),
      requests[2]!.event_id,
    );
    // a bus that published nothing (a worker's) reads the requests from the log
    const worker = new SqliteBus(db, { clock });
    const claimed = worker.claim('sma', 5, { correlation: corr });
    expect(claimed.map((c) => c.message)).toEqual(requests);
    expect(claimed.map((c) => JSON.stringify(c.message))).toEqual(
      requests.map((r) => JSON.stringify(r)),
    );
    expect(claimed[1]!.message.causation_id).toBe(requests[1]!.causation_id);
    expect('causation_id' in claimed[0]!.message).toBe(false);
  });

  it("a first delivery is claimed with its request's token", async () => {
    const rt = runtime();
    const req = rt.makeRequest(
      'rules.thac0',
      { class: 'fighter', level: 5 },
      {
        source: 'orchestrator',
        correlation_id: randomUUID(),
        idempotency_key: 'first-delivery',
      },
    );
    busOf(store).publish(req);
    const [claimed] = busOf(store).claim('sma', 1);
    expect(claimed?.work_token).toBe(req.auth.work_token);
  });
});

describe('orchestrate: one transaction per request', () => {
  it('commits the messages and entities of a request together', async () => {
    const { orchestrate } = await import('../../src/agents/orchestrator.ts');
    const { db } = store.connection();
    const r = await orchestrate(
      store,
      'world.npc.generate',
      { class: 'fighter', level: 3, seed: 7, save: true },
      { clock, sleep },
    );
    expect(r.payload.status).toBe('ok');
    expect(db.inTransaction).toBe(false);
    expect(busOf(store).messages(r.correlation_id).length).toBeGreaterThanOrEqual(4);
    expect(await store.list({ type: 'npc' })).toHaveLength(1);
  });

  it('a request that dies still leaves its dead letter and error on record', async () => {
    const { orchestrate } = await import('../../src/agents/orchestrator.ts');
    await expect(
      orchestrate(
        store,
        'rules.thac0',
        { class: 'fighter', level: 5 },
        {
          clock,
          sleep,
          maxAttempts: 2,
          handlers: {
            'rules.thac0': () => {
              throw new Error('boom');
            },
          },
        },
      ),
    ).rejects.toThrow(/boom/);
    expect(store.connection().db.inTransaction).toBe(false);
    const [dead] = busOf(store).dead();
    expect(dead).toMatchObject({ type: 'rules.thac0', attempts: 2, error: { message: 'boom' } });
  });
});

describe('claim-check blob keys', () => {
  it('name the hand-over, not the content: same batch in two requests, two blobs', async () => {
    const bus = busOf(store);
    const batch = { entities: [{ key: 'a' }], links: [] };
    const k1 = bus.putBlob('corr-1', batch, 'world.npc.generate:one:batch');
    const k2 = bus.putBlob('corr-2', batch, 'world.npc.generate:two:batch');
    expect(k1).toMatch(/^[a-f0-9]{64}$/);
    expect(k2).not.toBe(k1);
    bus.deleteBlob(k1);
    expect(bus.getBlob(k2)).toEqual(batch);
    // a redelivered task hands over under the same key
    const seen: string[] = [];
    for (let i = 0; i < 2; i++)
      await bus.withBlob('world.npc.generate:one:batch', 'corr-1', batch, true, async (key) => {
        seen.push(key);
      });
    expect(seen).toEqual([k1, k1]);
  });
});

describe('claims read requests from memory or from the log alike', () => {
  it('a request claimed here and one claimed by another connection are the logged message', async () => {
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const path = join(mkdtempSync(join(tmpdir(), 'dma-bus-claim-')), 'c.db');
    const a = await openStore({ path, clock });
    const b = await openStore({ path, clock });
    try {
      const rt = new AgentRuntime(a, { handlers: HANDLERS, clock, sleep });
      const corr = randomUUID();
      const reqs = [5, 6].map((level) =>
        rt.makeRequest(
          'rules.thac0',
          { class: 'fighter', level },
          {
            source: 'orchestrator',
            correlation_id: corr,
            idempotency_key: `claim-test-${level}`,
          },
        ),
      );
      busOf(a).publishMany(reqs);
      const logged = busOf(a).messages(corr);
      const [here] = busOf(a).claim('sma', 1); // from memory
      const [there] = busOf(b).claim('sma', 1); // another connection: from the log
      expect(here!.message).toEqual(logged[0]);
      expect(there!.message).toEqual(logged[1]);
      expect(JSON.stringify(here!.message)).toBe(JSON.stringify(logged[0]));
      // redelivery after the lease ran out reads the log again
      t += 60_000;
      const again = busOf(a).claim('sma', 2);
      expect(again.map((c) => c.message)).toEqual(logged);
    } finally {
      a.close();
      b.close();
    }
  });
});
