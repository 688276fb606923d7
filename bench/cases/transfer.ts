/**
 * Export and import of a large campaign (issue 12), each as a real process: `dma entity
 * export` (NDJSON and JSON) and `dma entity import` into an empty campaign. Two campaigns:
 * 100,000 NPCs from the NPC generator (3 KB of JSON each, 305 MB in all), and the store
 * bench's 100,000-entity corpus (bench/cases/store.ts: invented NPC records of ~450 bytes,
 * 45 MB). Goals: each process stays under 300 MB of peak RSS (the NPCs), and a 100k-entity
 * export + import of NDJSON together take under 3 s (reported for both campaigns).
 *
 * The peak RSS of each child is read from inside it (`process.resourceUsage().maxRSS` at
 * exit, through a --require hook) and printed after the table. BENCH_TRANSFER_N changes
 * the campaign size (default 100000).
 */
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng } from '../../src/core/rng.ts';
import { generateNpc, npcRecord } from '../../src/generators/npc/index.ts';
import { corpus } from './store.ts';
import { rssChild, runDma, type RssChild } from '../child.ts';
import type { BenchCase, InProcessCase } from '../types.ts';
const N = Number(process.env['BENCH_TRANSFER_N'] ?? 100_000);
const RSS_LIMIT_MB = 300;

interface State {
  dir: string;
  /** the source campaign (N NPCs) */
  db: string;
  child: RssChild;
  peaks: Record<string, number[]>;
}

/** A deterministic uuid-shaped id for NPC i (the generator's ids come from the store). */
const idOf = (i: number) =>
  `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`.slice(0, 36);

/** The generator's NPCs as export records (deterministic). */
function* generatedNpcs(n: number): Generator<Record<string, unknown>> {
  const now = '2026-01-01T00:00:00.000Z';
  const rng = createRng(12);
  for (let i = 0; i < n; i++) {
    const { name, data } = npcRecord(generateNpc({}, rng.fork()));
    yield { id: idOf(i), type: 'npc', name, data, version: 1, created_at: now, updated_at: now };
  }
}

async function writeNdjson(file: string, entities: Iterable<unknown>): Promise<void> {
  const out = createWriteStream(file);
  const now = '2026-01-01T00:00:00.000Z';
  const write = (s: string) =>
    new Promise<void>((done) => (out.write(s) ? done() : out.once('drain', () => done())));
  await write(`${JSON.stringify({ schema_version: '1.0', exported_at: now })}\n`);
  let n = 0;
  for (const entity of entities) {
    await write(`{"entity":${JSON.stringify(entity)}}\n`);
    n++;
  }
  await write(`${JSON.stringify({ end: { entities: n, relationships: 0 } })}\n`);
  await new Promise<void>((done) => out.end(done));
}

/** Run dma in a child; returns its peak RSS in MB. */
function dma(state: State, label: string, args: string[], db: string): number {
  const mb = runDma(state.child, args, db);
  (state.peaks[label] ??= []).push(mb);
  return mb;
}

async function setup(entities: () => Iterable<unknown>): Promise<State> {
  const dir = mkdtempSync(join(tmpdir(), 'dma-bench-transfer-'));
  const state: State = { dir, db: join(dir, 'source.db'), child: rssChild(dir), peaks: {} };
  const seedFile = join(dir, 'generated.ndjson');
  await writeNdjson(seedFile, entities());
  dma(state, 'setup import', ['entity', 'import', seedFile, '-q'], state.db);
  rmSync(seedFile);
  return state;
}

/** One source campaign per corpus, shared by its cases; removed when the bench process exits. */
const sources = new Map<string, Promise<State>>();
const sharedState = (which: 'npcs' | 'corpus') => () => {
  let s = sources.get(which);
  if (!s) {
    s = setup(which === 'npcs' ? () => generatedNpcs(N) : () => corpus(N).entities).then(
      (state) => {
        process.on('exit', () => rmSync(state.dir, { recursive: true, force: true }));
        return state;
      },
    );
    sources.set(which, s);
  }
  return s;
};

/** After each case: the peak RSS of the children it ran, against the goal. */
const report = (name: string) => (state: State) => {
  const lines = Object.entries(state.peaks).map(([label, mbs]) => {
    const peak = Math.max(...mbs);
    return `  ${label}: peak RSS ${peak.toFixed(0)} MB (${peak < RSS_LIMIT_MB ? 'ok' : 'OVER'}, goal < ${RSS_LIMIT_MB} MB)`;
  });
  console.log(`${name}:\n${lines.join('\n')}`);
  state.peaks = {};
};

function transferCase(
  name: string,
  which: 'npcs' | 'corpus',
  target: string | undefined,
  body: (state: State, sample: string) => void,
): InProcessCase<State> {
  let sample = 0;
  return {
    kind: 'in-process',
    name,
    // each sample is two processes over a large campaign: few samples (BENCH_TRANSFER_SAMPLES)
    samples: Number(process.env['BENCH_TRANSFER_SAMPLES'] ?? 2),
    ...(target === undefined ? {} : { target }),
    setup: sharedState(which),
    run: (state) => body(state, `${name.replace(/\W+/g, '-')}-${sample++}`),
    teardown: report(name),
  };
}

/** Export to a file and import it into an empty campaign, as two processes. */
const roundTrip =
  (format: 'ndjson' | 'json') =>
  (s: State, tag: string): void => {
    const file = join(s.dir, `${tag}.${format}`);
    const db = join(s.dir, `${tag}.db`);
    dma(s, `export ${format}`, ['entity', 'export', '--format', format, '-o', file], s.db);
    dma(s, `import ${format}`, ['entity', 'import', file, '-q'], db);
    for (const f of [file, db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  };

export const cases: BenchCase[] = [
  transferCase(
    `entity export + import (NDJSON), ${N} generated NPCs`,
    'npcs',
    '< 3000 ms',
    roundTrip('ndjson'),
  ),
  transferCase(
    `entity export + import (JSON), ${N} generated NPCs`,
    'npcs',
    undefined,
    roundTrip('json'),
  ),
  transferCase(
    `entity export + import (NDJSON), ${N} entities (store corpus)`,
    'corpus',
    '< 3000 ms',
    roundTrip('ndjson'),
  ),
];
