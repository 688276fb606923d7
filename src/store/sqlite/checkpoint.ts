/**
 * WAL checkpoints on a thread of their own, for a connection that logs thousands of rows
 * (the bus: a batch of 10,000 requests and their 10,000 responses is ~22 MB of log).
 *
 * A connection checkpoints by itself once the log reaches wal_autocheckpoint pages
 * (connection.ts): the commit that crosses it copies the log into the database and waits
 * for two fsyncs. For the bus that was a fifth of the wall time of publish + claim + ack
 * (10,000 messages: ~570 → ~410 ms on the test machine, the CPU unchanged). So once a
 * file has had CHECKPOINT_EVERY_ROWS rows written through checkpointSoon(), a PASSIVE
 * checkpoint of it is handed to one thread per process, on a connection it opens for that
 * checkpoint only. The writer carries on meanwhile; the next write after a full checkpoint
 * starts the log again from its beginning, so it stays small. A process that logs fewer
 * rows (a CLI command's few messages) never starts the thread; one that does waits at its
 * exit for a checkpoint in progress (waitAtExit).
 *
 * Nothing about durability changes: a commit is durable when its log frames are written
 * (WAL + synchronous NORMAL, as before), the checkpoint is SQLite's own, with its fsyncs,
 * on whichever connection runs it, and the writer's autocheckpoint stays as it was — the
 * bound on the log when the thread falls behind, cannot start, or fails (its errors are
 * dropped: a missed checkpoint is made up by the next one or by the autocheckpoint).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from './connection.ts';

/** Rows (bus messages logged) of a file between two checkpoints handed to the thread. */
export const CHECKPOINT_EVERY_ROWS = 5000;

/**
 * The thread: CommonJS run by `eval`, so it needs no file of its own in the build. It gets
 * better-sqlite3 from the path the main thread resolved, and a file path per checkpoint.
 * It answers each with the checkpoint's counts (or the error's message), for the tests.
 * `state[0]` is shared with the main thread: IDLE, BUSY while a checkpoint runs, EXITING
 * once the process is exiting (see waitAtExit), after which the thread starts none.
 */
const IDLE = 0;
const BUSY = 1;
const EXITING = 2;
const THREAD_CODE = `
const { parentPort, workerData } = require('node:worker_threads');
const { existsSync } = require('node:fs');
const Database = require(workerData.lib);
const state = workerData.state;
const options = { fileMustExist: true };
if (workerData.addon) options.nativeBinding = workerData.addon;
parentPort.on('message', (path) => {
  if (Atomics.compareExchange(state, 0, ${IDLE}, ${BUSY}) !== ${IDLE}) return;
  let report;
  let db;
  try {
    if (!existsSync(path)) throw new Error('no such file');
    db = new Database(path, options);
    report = { path, ...db.pragma('wal_checkpoint(PASSIVE)')[0] };
  } catch (err) {
    report = { path, error: String(err && err.message) };
  } finally {
    try { if (db) db.close(); } catch {}
    Atomics.store(state, 0, ${IDLE});
    Atomics.notify(state, 0);
  }
  parentPort.postMessage(report);
});
`;

/** The longest the process's exit waits for a checkpoint in progress. */
const EXIT_WAIT_MS = 10_000;

/**
 * At the process's exit, a checkpoint in progress is waited for and no other starts: Node
 * stops a worker thread at exit, and an SQLite error met by one stopped in the middle of a
 * call aborts the process (better-sqlite3 builds its error in JavaScript, which a stopping
 * thread no longer runs: "FATAL ERROR: v8::ToLocalChecked Empty MaybeLocal"; seen when a
 * bench deleted its database while its last checkpoint ran).
 */
function waitAtExit(state: Int32Array): void {
  const deadline = Date.now() + EXIT_WAIT_MS;
  while (Atomics.compareExchange(state, 0, IDLE, EXITING) === BUSY) {
    const left = deadline - Date.now();
    if (left <= 0 || Atomics.wait(state, 0, BUSY, left) === 'timed-out') return;
  }
}

export interface CheckpointReport {
  path: string;
  /** frames in the log, and how many of them are in the database now (PRAGMA wal_checkpoint) */
  log?: number;
  checkpointed?: number;
  busy?: number;
  error?: string;
}

/** undefined: not started yet; null: could not start (the autocheckpoint does the work). */
let thread: Worker | null | undefined;
/** checkpoints posted and not answered yet */
let inFlight = 0;
let idleWaiters: (() => void)[] = [];
let lastReports: CheckpointReport[] = [];
/** rows written per file since its last checkpoint was posted */
const rowsSince = new Map<string, number>();

function startThread(): Worker | null {
  try {
    const here = typeof __filename === 'string' ? __filename : fileURLToPath(import.meta.url);
    const resolve = createRequire(here).resolve;
    const lib = resolve('better-sqlite3');
    const addon = join(
      dirname(resolve('better-sqlite3/package.json')),
      'build',
      'Release',
      'better_sqlite3.node',
    );
    const state = new Int32Array(new SharedArrayBuffer(4));
    const worker = new Worker(THREAD_CODE, {
      eval: true,
      workerData: { lib, addon: existsSync(addon) ? addon : undefined, state },
    });
    process.once('exit', () => waitAtExit(state));
    worker.on('message', (report: CheckpointReport) => {
      lastReports.push(report);
      if (lastReports.length > 16) lastReports = lastReports.slice(-16);
      settle(1);
    });
    // a thread that fails is not started again: the autocheckpoint goes on as before
    worker.on('error', () => {
      thread = null;
      settle(inFlight);
    });
    worker.on('exit', () => {
      if (thread === worker) thread = null;
      settle(inFlight);
    });
    // after the listeners: a 'message' listener refs the worker's port again
    worker.unref();
    return worker;
  } catch {
    return null;
  }
}

function settle(n: number): void {
  inFlight = Math.max(0, inFlight - n);
  if (inFlight > 0) return;
  const waiters = idleWaiters;
  idleWaiters = [];
  for (const w of waiters) w();
}

/**
 * `rows` rows were committed on `db`: once its file has had CHECKPOINT_EVERY_ROWS since
 * the last one, a checkpoint of it goes to the thread (started on first use). A database
 * in memory has no log.
 */
export function checkpointSoon(db: Db, rows: number): void {
  if (db.memory || rows <= 0) return;
  const path = db.name;
  const since = (rowsSince.get(path) ?? 0) + rows;
  if (since < CHECKPOINT_EVERY_ROWS) {
    rowsSince.set(path, since);
    return;
  }
  rowsSince.set(path, 0);
  if (thread === undefined) thread = startThread();
  if (thread === null) return;
  inFlight++;
  thread.postMessage(path);
}

/** @internal tests: resolves when the thread has answered every checkpoint posted so far. */
export function checkpointsDone(): Promise<CheckpointReport[]> {
  const reports = () => {
    const r = lastReports;
    lastReports = [];
    return r;
  };
  if (inFlight === 0 || !thread) return Promise.resolve(reports());
  // the waiting keeps the process alive until the answers come
  const waiting = thread;
  waiting.ref();
  return new Promise((resolve) =>
    idleWaiters.push(() => {
      waiting.unref();
      resolve(reports());
    }),
  );
}
