/**
 * A big saved NPC batch, generated a chunk at a time for the scribe to store: each chunk
 * holds its NPCs' store records (npcRecord), their summaries (npcSummary, for the output's
 * views) and, for the first NPCs of the batch, the NPCs whole (for the bus response).
 *
 * In the built CLI the chunks are generated on a worker thread (dist/fast/_npc-worker.cjs,
 * src/agents/npc-worker.ts) while this thread checks and stores the ones before: one
 * generator, in order, so the NPCs are the very ones generated here, and at most
 * CHUNKS_AHEAD chunks wait to be stored (the worker blocks on a shared counter until this
 * thread takes one). Generation was ~45% of a 10,000-NPC `npc create`'s CPU time; on two
 * cores it now overlaps with the checks and the inserts. Where there is no built worker
 * file (tests and tools running the TypeScript sources) the chunks are generated here.
 */
import { bundledFile } from '../core/bundled.ts';
import { parentPort, Worker, workerData } from 'node:worker_threads';
import { createRng } from '../core/rng.ts';
import { checkNpcBatch, npcRecord, npcStream } from '../generators/npc/index.ts';
import type { Npc, NpcOptions } from '../generators/npc/types.ts';
import { npcSummaryFields, type NpcSummary } from '../generators/npc/views.ts';
import type { PackedEntities, StreamChunk } from './scribe.ts';

export interface NpcChunk {
  /** the NPCs' store records (npcRecord); packed as JSON when made on the worker */
  records: StreamChunk;
  /** each NPC's summary, without the batch's options (the same for every one) */
  summaries: Omit<NpcSummary, 'options'>[];
  /** the NPCs of this chunk among the batch's first `whole`, as generated */
  first: Npc[];
}

interface Job {
  options: NpcOptions;
  count: number;
  seed: number;
  size: number;
  whole: number;
}

/** Chunks a worker may have generated that this thread has not taken yet. */
const CHUNKS_AHEAD = 2;

/** Below this many NPCs a worker (its own V8 isolate and bundle to start) is not started. */
const WORKER_FROM = 2000;

/**
 * Generate the chunks of a job in this thread; `json`: the records packed as JSON texts
 * (PackedEntities, to post to another thread: one buffer is handed over, where an object
 * graph is walked and rebuilt, and the receiver holds one NPC's data at a time).
 */
export function* npcChunks(job: Job, json = false): Generator<NpcChunk> {
  let summaries: NpcChunk['summaries'] = [];
  let first: Npc[] = [];
  let records: { type: 'npc'; name: string; data: Record<string, unknown> }[] = [];
  let names: string[] = [];
  let packer: Packer | undefined;
  const done = (): NpcChunk => {
    const c = { records: packer?.done(names) ?? records, summaries, first };
    [summaries, first, records, names, packer] = [[], [], [], [], undefined];
    return c;
  };
  let i = 0;
  for (const n of npcStream(job.options, job.count, createRng(job.seed))) {
    if (i < job.whole) first.push(n);
    summaries.push(npcSummaryFields(n));
    const { name, data } = npcRecord(n);
    if (json) {
      names.push(name);
      (packer ??= new Packer()).add(JSON.stringify(data));
    } else records.push({ type: 'npc', name, data });
    i++;
    if (summaries.length === job.size) yield done();
  }
  if (summaries.length > 0) yield done();
}

/**
 * NPC records' data texts written as UTF-8 into one buffer as they are made (PackedEntities):
 * each text is garbage at once, where a chunk's texts kept until the chunk was done were
 * copied by every young-generation collection of the worker and then promoted.
 */
class Packer {
  private bytes = new Uint8Array(1 << 21);
  private end = 0;
  private readonly ends: number[] = [];
  private static readonly encoder = new TextEncoder();

  add(text: string): void {
    // at most three bytes per UTF-16 unit
    if (this.end + 3 * text.length > this.bytes.length) {
      const bigger = new Uint8Array(Math.max(2 * this.bytes.length, this.end + 3 * text.length));
      bigger.set(this.bytes.subarray(0, this.end));
      this.bytes = bigger;
    }
    this.end += Packer.encoder.encodeInto(text, this.bytes.subarray(this.end)).written;
    this.ends.push(this.end);
  }

  done(names: string[]): StreamChunk {
    return { type: 'npc', names, json: this.bytes.subarray(0, this.end), ends: this.ends };
  }
}

/**
 * The chunks of `count` NPCs from `options` and `seed`, `size` at a time (the first `whole`
 * NPCs also whole): from a worker thread when the build has one and the batch is big.
 */
export async function* npcChunksAhead(job: Job): AsyncGenerator<NpcChunk> {
  const file = job.count >= WORKER_FROM ? bundledFile('_npc-worker.cjs') : undefined;
  if (file === undefined) {
    yield* npcChunks(job);
    return;
  }
  // a bad count or option is the usual UsageError, thrown here before a thread starts
  checkNpcBatch(job.options, job.count);
  const taken = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(file, {
    workerData: { job, taken },
    // the worker holds the chunk it makes and CHUNKS_AHEAD made ones (~2 MB each): with
    // V8's defaults its heap grew to ~80 MB, with these ~30 MB
    resourceLimits: { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 64 },
    stdout: false,
    stderr: false,
  });
  const queue: PostedChunk[] = [];
  let failure: Error | undefined;
  let exited = false;
  let wake: (() => void) | undefined;
  const signal = () => {
    wake?.();
    wake = undefined;
  };
  worker.on('message', (c: PostedChunk) => {
    queue.push(c);
    signal();
  });
  worker.on('error', (err: Error) => {
    failure = err;
    signal();
  });
  worker.on('exit', () => {
    exited = true;
    signal();
  });
  try {
    const chunks = Math.ceil(job.count / job.size);
    for (let got = 0; got < chunks; got++) {
      while (queue.length === 0) {
        if (failure !== undefined) throw failure;
        if (exited) throw new Error('the NPC generator thread stopped before the batch was made');
        await new Promise<void>((resolve) => (wake = resolve));
      }
      const c = unpackChunk(queue.shift()!);
      Atomics.add(taken, 0, 1);
      Atomics.notify(taken, 0);
      yield c;
    }
  } finally {
    void worker.terminate();
  }
}

/** The worker thread's side (src/agents/npc-worker.ts): make the job's chunks and post them. */
export function serveNpcChunks(): void {
  const { job, taken } = workerData as { job: Job; taken: Int32Array };
  let posted = 0;
  for (const c of npcChunks(job, true)) {
    for (;;) {
      const t = Atomics.load(taken, 0);
      if (posted - t < CHUNKS_AHEAD) break;
      Atomics.wait(taken, 0, t);
    }
    const p = packChunk(c);
    parentPort!.postMessage(p, [
      p.records.json.buffer as ArrayBuffer,
      p.summaries.numbers.buffer as ArrayBuffer,
    ]);
    posted++;
  }
}

/**
 * A chunk as the worker posts it: the summaries' numbers in one transferred array and their
 * texts (race, class) once each, the names those of the records. Posted as objects, the
 * deserialised summaries and second copies of the names outlived a scavenge: ~120 KB a
 * chunk, 2.4 MB of a 10,000-NPC run (survivor-sampled heap profile of this thread).
 */
interface PostedChunk {
  records: PackedEntities;
  summaries: { texts: string[]; numbers: Float64Array };
  first: Npc[];
}

/** The numbers of a summary in PostedChunk: race and class (indices of texts), then these. */
const SUMMARY_NUMBERS = 8;

function packChunk(c: NpcChunk): PostedChunk {
  const texts: string[] = [];
  const index = new Map<string, number>();
  const textIndex = (t: string) => {
    let i = index.get(t);
    if (i === undefined) index.set(t, (i = texts.push(t) - 1));
    return i;
  };
  const numbers = new Float64Array(SUMMARY_NUMBERS * c.summaries.length);
  c.summaries.forEach((s, i) => {
    const at = SUMMARY_NUMBERS * i;
    numbers[at] = textIndex(s.race);
    numbers[at + 1] = textIndex(s.class);
    numbers[at + 2] = s.level;
    numbers[at + 3] = s.armor_class;
    numbers[at + 4] = s.hit_points;
    numbers[at + 5] = s.seed;
    numbers[at + 6] = s.deck === undefined ? NaN : s.deck.seed;
    numbers[at + 7] = s.deck === undefined ? NaN : s.deck.slot;
  });
  return { records: c.records as PackedEntities, summaries: { texts, numbers }, first: c.first };
}

function unpackChunk(p: PostedChunk): NpcChunk {
  const { texts, numbers } = p.summaries;
  const names = p.records.names;
  const summaries: NpcChunk['summaries'] = new Array(names.length);
  for (let i = 0; i < names.length; i++) {
    const at = SUMMARY_NUMBERS * i;
    const deckSeed = numbers[at + 6]!;
    summaries[i] = {
      name: names[i]!,
      race: texts[numbers[at]!]! as NpcSummary['race'],
      class: texts[numbers[at + 1]!]!,
      level: numbers[at + 2]!,
      armor_class: numbers[at + 3]!,
      hit_points: numbers[at + 4]!,
      seed: numbers[at + 5]!,
      deck: Number.isNaN(deckSeed) ? undefined : { seed: deckSeed, slot: numbers[at + 7]! },
    };
  }
  return { records: p.records, summaries, first: p.first };
}
