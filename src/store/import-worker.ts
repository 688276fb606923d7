/**
 * A large import file is read on a second thread (node:worker_threads): the worker reads,
 * splits and parses the file and checks each entity (importRecords and importedEntityRow,
 * the same code and the same errors as on one thread), and makes its search text; the main
 * thread only writes the checked rows (ImportRecord 'checked-entities'), inside the one
 * transaction of Store.importStream. Reading and writing overlap: on 2 cores the main
 * thread's CPU halves (100,000 generated NPCs, 305 MB: 9.4 -> 4.8 s; the store corpus:
 * 2.2 -> 1.45 s) and the import's wall time drops by a quarter (9.8 -> 7.5 s, 2.37 ->
 * 1.75 s), for ~5% more CPU in all (a second heap, the rows copied between threads).
 *
 * Order and errors are those of one thread: the worker sends its records in the file's
 * order, batch by batch, and an error after the batch of the records read before it, so
 * the store meets a bad record (or a conflict of its own) where it met it before and
 * rolls everything back. Memory stays bounded: the worker sends a batch only with a
 * credit, QUEUED_BATCHES at first and one more for each batch the main thread takes (a
 * counter in shared memory).
 */
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from 'node:worker_threads';
import {
  ConflictError,
  DmaError,
  isDmaError,
  NotFoundError,
  UsageError,
  type ExitCodeName,
} from '../core/errors.ts';
import { importedEntityRow, searchText } from './records.ts';
import { importRecords, openImportSource } from './transfer.ts';
import { bundledFile } from '../core/bundled.ts';
import type { CheckedEntityRow, ImportRecord } from './types.ts';

/**
 * Smaller files are read on the main thread: the worker is ready ~50 ms after it is
 * started (a thread, and the reader and the checks loaded again there; the main thread
 * opens the campaign meanwhile), about what parsing and checking 2 MB costs (the store
 * corpus: 1 MB 0.20 -> 0.17 s of main-thread CPU, 4 MB 0.35 -> 0.24 s, 8 MB 0.54 -> 0.39 s).
 */
export const WORKER_MIN_BYTES = 2 << 20;
/** Batches sent and not yet taken by the main thread, at most. */
const QUEUED_BATCHES = 4;
/**
 * A batch is sent when its entities' data reach this many characters. Smaller batches
 * survive fewer scavenges (1M -> 256K halved both threads' GC time), and the buffers of
 * their messages stay small: with 256K the 100,000 NPCs peaked at 236-276 MB of RSS, with
 * 64K at 227-251 MB.
 */
const BATCH_CHARS = 1 << 16;
/** What a record other than an entity counts towards BATCH_CHARS (a relationship's JSON is ~150). */
const OTHER_RECORD_CHARS = 128;
/** The fields of a checked entity in a batch's flat array. */
const FIELDS = 8;

interface WorkerInput {
  file: string;
  /** the counters below, in shared memory */
  shared: Int32Array;
  /** where the worker sends its messages; the main thread takes them when it needs them */
  port: MessagePort;
}
/** shared[TAKEN]: the batches the main thread has taken (the worker waits on it) */
const TAKEN = 0;
/** shared[SENT]: the messages the worker has sent (the main thread waits on it) */
const SENT = 1;

/** What the worker sends: a batch of records in order, the end, or the error that stopped it. */
type WireRecord =
  | Exclude<ImportRecord, { kind: 'checked-entities' }>
  | {
      kind: 'checked-entities';
      /** FIELDS values per entity (an array of strings is cheaper to copy than objects) */
      flat: (string | number)[];
    };
type Message =
  | { kind: 'batch'; records: WireRecord[]; bytes: number }
  | { kind: 'done' }
  | { kind: 'error'; error: WireError };
/** Atomics.waitAsync (Node 16+; not in this TypeScript lib) */
interface AtomicsWaitAsync {
  waitAsync(a: Int32Array, i: number, v: number): { value: Promise<unknown> | unknown };
}
interface WireError {
  dma: boolean;
  code?: ExitCodeName;
  name: string;
  message: string;
  hint?: string | undefined;
  details?: unknown;
  stack?: string | undefined;
}

/** The bundled worker (dist/fast/_import-worker.cjs), or undefined (from the sources). */
export const importWorkerFile = (): string | undefined => bundledFile('_import-worker.cjs');

/**
 * The records of import file `file` (an absolute path), read and checked by a worker
 * started from `workerFile`. `onBytes` reports the bytes read as their records are taken.
 * `close()` stops the worker (call it when the import ends, whichever way).
 */
export function importRecordsInWorker(
  workerFile: string,
  file: string,
  onBytes?: (n: number) => void,
): { records: AsyncGenerator<ImportRecord>; close: () => Promise<void> } {
  // Counters in shared memory instead of messages both ways: a message to the worker cost
  // more. The batches are taken from the port one at a time, when the store wants the next
  // one (receiveMessageOnPort): a 'message' listener would copy each into this heap as it
  // arrives, where the queued ones outlived a scavenge and grew the old generation.
  const shared = new Int32Array(new SharedArrayBuffer(8));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(workerFile, {
    workerData: { file, shared, port: port2 } satisfies WorkerInput,
    transferList: [port2],
    // a young generation of 4 MB, not V8's default: reading the 100,000 NPCs as one JSON
    // document, the worker's heap peaked at 115 MB (the process at 286 MB), with 8 MB at 75
    // MB (249 MB), with 4 MB the process at 233-246 MB; the same CPU within the noise
    resourceLimits: { maxYoungGenerationSizeMb: 4 },
  });
  let finished = false;
  let failure: Message | undefined;
  const fail = (err: Error) => {
    failure ??= { kind: 'error', error: wireError(err) };
    Atomics.notify(shared, SENT);
  };
  worker.on('error', fail);
  worker.on('exit', (code) => {
    if (!finished)
      fail(new DmaError('UNEXPECTED', `the import worker stopped (exit code ${code})`));
  });
  const next = async (): Promise<Message> => {
    for (;;) {
      const seen = Atomics.load(shared, SENT);
      const got = receiveMessageOnPort(port1);
      if (got) return got.message as Message;
      if (failure) return failure;
      await (Atomics as unknown as AtomicsWaitAsync).waitAsync(shared, SENT, seen).value;
    }
  };
  async function* records(): AsyncGenerator<ImportRecord> {
    try {
      for (;;) {
        const m = await next();
        if (m.kind === 'batch') {
          Atomics.add(shared, TAKEN, 1);
          Atomics.notify(shared, TAKEN);
          if (m.bytes) onBytes?.(m.bytes);
          for (const r of m.records) yield fromWire(r);
        } else if (m.kind === 'done') {
          finished = true;
          return;
        } else {
          finished = true;
          throw fromWireError(m.error);
        }
      }
    } finally {
      finished = true;
      await worker.terminate();
      port1.close();
    }
  }
  return {
    records: records(),
    close: async () => {
      finished = true;
      await worker.terminate();
      port1.close();
    },
  };
}

function fromWire(r: WireRecord): ImportRecord {
  if (r.kind !== 'checked-entities') return r;
  const f = r.flat;
  const rows: CheckedEntityRow[] = new Array(f.length / FIELDS);
  for (let i = 0, j = 0; i < f.length; i += FIELDS, j++)
    rows[j] = {
      id: f[i] as string,
      type: f[i + 1] as CheckedEntityRow['type'],
      name: f[i + 2] as string,
      data: f[i + 3] as string,
      version: f[i + 4] as number,
      created_at: f[i + 5] as string,
      updated_at: f[i + 6] as string,
      search: f[i + 7] as string,
    };
  return { kind: 'checked-entities', rows };
}

function wireError(err: unknown): WireError {
  if (isDmaError(err))
    return {
      dma: true,
      code: err.code,
      name: err.name,
      message: err.message,
      hint: err.hint,
      details: err.details,
      stack: err.stack,
    };
  const e = err instanceof Error ? err : new Error(String(err));
  return { dma: false, name: e.name, message: e.message, stack: e.stack };
}

/** The worker's error as the same kind of error on this thread (class, code, hint, details). */
function fromWireError(w: WireError): Error {
  const options = {
    ...(w.hint === undefined ? {} : { hint: w.hint }),
    ...(w.details === undefined ? {} : { details: w.details }),
  };
  let err: Error;
  if (!w.dma) {
    err = new Error(w.message);
    err.name = w.name;
  } else if (w.code === 'INVALID_INPUT') err = new UsageError(w.message, options);
  else if (w.code === 'NOT_FOUND') err = new NotFoundError(w.message, options);
  else if (w.code === 'CONFLICT') err = new ConflictError(w.message, options);
  else err = new DmaError(w.code ?? 'UNEXPECTED', w.message, options);
  if (w.stack !== undefined) err.stack = w.stack;
  return err;
}

/** The worker's side (src/store/import-worker-thread.ts runs it): read, check, send. */
export async function runImportWorker(input: WorkerInput): Promise<void> {
  const { shared, port } = input;
  let sent = 0;
  const send = (m: Message) => {
    port.postMessage(m);
    Atomics.add(shared, SENT, 1);
    Atomics.notify(shared, SENT);
  };
  // a waitAsync alone does not keep the thread alive: the port (with a listener) does
  const keepAlive = () => {};
  port.on('message', keepAlive);
  let batch: WireRecord[] = [];
  let flat: (string | number)[] | undefined;
  let chars = 0;
  let bytes = 0;
  const flush = async () => {
    if (batch.length === 0 && bytes === 0) return;
    for (
      let t = Atomics.load(shared, TAKEN);
      sent - t >= QUEUED_BATCHES;
      t = Atomics.load(shared, TAKEN)
    )
      await (Atomics as unknown as AtomicsWaitAsync).waitAsync(shared, TAKEN, t).value;
    sent++;
    send({ kind: 'batch', records: batch, bytes });
    batch = [];
    flat = undefined;
    chars = 0;
    bytes = 0;
  };
  try {
    const { source, chunks } = await openImportSource(input.file, {
      cwd: '/',
      stdin: () => {
        throw new DmaError('UNEXPECTED', 'the import worker reads files only');
      },
    });
    const ids = new Set<string>();
    let index = 0;
    let ended = false;
    for await (const rec of importRecords(chunks, source, (n) => (bytes += n))) {
      // after the end record the store refuses whatever comes: sent as read
      if (rec.kind === 'entity' && !ended) {
        const row = importedEntityRow(rec.value, index++, ids);
        if (!flat) batch.push({ kind: 'checked-entities', flat: (flat = []) });
        flat.push(
          row.id,
          row.type,
          row.name,
          row.data,
          row.version,
          row.created_at,
          row.updated_at,
          searchText(row.parsed),
        );
        chars += row.data.length;
        if (chars >= BATCH_CHARS) await flush();
      } else {
        if (rec.kind === 'end') ended = true;
        // (importRecords reads records from text: never checked ones)
        batch.push(rec as WireRecord);
        flat = undefined;
        // relationships (an export's come after its entities) and whatever follows the end
        // record go in bounded batches too, and the end record goes at once: two exports
        // joined with cat are refused at the first record after it, never held whole
        chars += OTHER_RECORD_CHARS;
        if (chars >= BATCH_CHARS || rec.kind === 'end') await flush();
      }
    }
    await flush();
    send({ kind: 'done' });
  } catch (err) {
    // the records read before the error first: the store meets them as on one thread
    await flush();
    send({ kind: 'error', error: wireError(err) });
  } finally {
    port.off('message', keepAlive);
  }
}
