/**
 * The SQLite bus's log is checkpointed on a thread of its own (src/store/sqlite/checkpoint.ts)
 * once a file has had CHECKPOINT_EVERY_ROWS messages logged: the writer does not wait for
 * the checkpoint, the log starts again from its beginning after it, and nothing is lost.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HANDLERS } from '../../src/agents/handlers.ts';
import { AgentRuntime } from '../../src/agents/runtime.ts';
import { busOf } from '../../src/bus/sqlite/bus.ts';
import { thac0Acks } from '../helpers/thac0-answers.ts';
import { CHECKPOINT_EVERY_ROWS, checkpointsDone } from '../../src/store/sqlite/checkpoint.ts';
import { openStore, type SqliteStore } from '../../src/store/index.ts';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dma-checkpoint-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** publish, claim and ack `n` rules.thac0 requests on the store's bus, in one batch each */
function roundTrip(store: SqliteStore, n: number): void {
  const rt = new AgentRuntime(store, { handlers: HANDLERS });
  const bus = busOf(store);
  const correlation = randomUUID();
  const requests = Array.from({ length: n }, (_, i) =>
    rt.makeRequest(
      'rules.thac0',
      { class: 'fighter', level: 1 + (i % 20) },
      { source: 'orchestrator', correlation_id: correlation, idempotency_key: randomUUID() },
    ),
  );
  bus.publishMany(requests);
  const claimed = bus.claim('sma', n);
  bus.ackMany(thac0Acks(claimed));
}

/** frames in the log now (a PASSIVE checkpoint with nothing left to copy changes nothing) */
const logFrames = (store: SqliteStore) =>
  (store.connection().db.pragma('wal_checkpoint(PASSIVE)') as { log: number }[])[0]!.log;

describe('bus: WAL checkpoints on a thread of their own', () => {
  it('checkpoints the whole log after enough messages; the next write starts it again', async () => {
    const path = join(dir, 'bus.db');
    const store = await openStore({ path });
    try {
      await checkpointsDone();
      roundTrip(store, 10);
      expect(await checkpointsDone()).toEqual([]); // 20 messages: not yet
      roundTrip(store, CHECKPOINT_EVERY_ROWS);
      const reports = await checkpointsDone();
      expect(reports.length).toBeGreaterThan(0);
      for (const r of reports) {
        expect(r).toMatchObject({ path, busy: 0 });
        expect(r.error).toBeUndefined();
      }
      // everything up to the last checkpoint is in the database: the next write restarts
      // the log, which then holds that write's frames only (without the thread's checkpoint,
      // thousands: the connection's own autocheckpoint is at 5,000 pages)
      const last = reports[reports.length - 1]!;
      expect(last.checkpointed).toBe(last.log);
      roundTrip(store, 10);
      expect(logFrames(store)).toBeLessThan(50);
      // and a second connection reads every message
      const other = await openStore({ path });
      expect((await busOf(other).counts()).messages).toBe(2 * (20 + CHECKPOINT_EVERY_ROWS));
      other.close();
    } finally {
      store.close();
    }
  });

  it('a database in memory has no log: no checkpoint is started', async () => {
    const store = await openStore({ path: ':memory:' });
    await checkpointsDone();
    roundTrip(store, CHECKPOINT_EVERY_ROWS);
    expect(await checkpointsDone()).toEqual([]);
    store.close();
  });
});
