/**
 * Export and import of a large campaign (issue 12): 100,000 NPCs from the NPC generator,
 * exported with `dma entity export` (NDJSON and JSON) and imported into an empty campaign
 * with `dma entity import`, each as a real process. Goals: each stays under 300 MB of peak
 * RSS, and export + import of NDJSON together take under 3 s.
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

async function writeNdjson(file: string, n: number): Promise<void> {
  const out = createWriteStream(file);
  const now = '2026-01-01T00:00:00.000Z';
  const write = (s: string) =>
    new Promise<void>((done) => (out.write(s) ? done() : out.once('drain', () => done())));
  await write(`${JSON.stringify({ schema_version: '1.0', exported_at: now })}\n`);
  const rng = createRng(12);
  for (let i = 0; i < n; i++) {
    const { name, data } = npcRecord(generateNpc({}, rng.fork()));
    const entity = {
      id: idOf(i),
      type: 'npc',
      name,
      data,
      version: 1,
      created_at: now,
      updated_at: now,
    };
    await write(`{"entity":${JSON.stringify(entity)}}\n`);
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

async function setup(): Promise<State> {
  const dir = mkdtempSync(join(tmpdir(), 'dma-bench-transfer-'));
  const state: State = { dir, db: join(dir, 'source.db'), child: rssChild(dir), peaks: {} };
  const seedFile = join(dir, 'generated.ndjson');
  await writeNdjson(seedFile, N);
  dma(state, 'setup import', ['entity', 'import', seedFile, '-q'], state.db);
  return state;
}

let shared: Promise<State> | undefined;
/** One source campaign for every case; removed when the bench process exits. */
const sharedState = () =>
  (shared ??= setup().then((state) => {
    process.on('exit', () => rmSync(state.dir, { recursive: true, force: true }));
    return state;
  }));

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
    setup: sharedState,
    run: (state) => body(state, `${name.replace(/\W+/g, '-')}-${sample++}`),
    teardown: report(name),
  };
}

export const cases: BenchCase[] = [
  transferCase(`entity export + import (NDJSON), ${N} NPCs`, '< 3000 ms', (s, tag) => {
    const file = join(s.dir, `${tag}.ndjson`);
    const db = join(s.dir, `${tag}.db`);
    dma(s, 'export ndjson', ['entity', 'export', '--format', 'ndjson', '-o', file], s.db);
    dma(s, 'import ndjson', ['entity', 'import', file, '-q'], db);
    for (const f of [file, db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  }),
  transferCase(`entity export + import (JSON), ${N} NPCs`, undefined, (s, tag) => {
    const file = join(s.dir, `${tag}.json`);
    const db = join(s.dir, `${tag}.db`);
    dma(s, 'export json', ['entity', 'export', '-o', file], s.db);
    dma(s, 'import json', ['entity', 'import', file, '-q'], db);
    for (const f of [file, db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  }),
];
