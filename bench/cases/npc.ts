/** In-process NPC generation benchmarks (issue #5: 10,000 NPCs, generation well under 1 s). */
import { createRng } from '../../src/core/rng.ts';
import { generateNpcs } from '../../src/generators/npc/index.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { npcRecord } from '../../src/generators/npc/index.ts';
import { openStore } from '../../src/store/index.ts';
import { rssChild, runDma, type RssChild } from '../child.ts';
import type { BenchCase, InProcessCase } from '../types.ts';

let seed = 0;

/**
 * The whole command (issue 16): `dma npc create --count 10000` saved into a fresh campaign,
 * through the bus as a user runs it, with the child's peak RSS (goal < 150 MiB).
 */
const RSS_GOAL_MB = 150;
const savedCreateCase: InProcessCase<RssChild & { peaks: number[] }> = {
  kind: 'in-process',
  name: 'dma npc create --count 10000 (saved, fresh campaign, whole process)',
  setup: () => ({ ...rssChild(mkdtempSync(join(tmpdir(), 'dma-bench-npc-create-'))), peaks: [] }),
  run: (s) => {
    const db = join(s.dir, `c${s.runs}.db`);
    s.peaks.push(runDma(s, ['npc', 'create', '--count', '10000', '--seed', '3', '-q'], db));
    for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  },
  samples: 3,
  opsPerSample: 10_000,
  target: '< 1500 ms',
  teardown: (s) => {
    const peak = Math.max(...s.peaks);
    console.log(
      `dma npc create --count 10000 (saved): peak RSS ${peak.toFixed(0)} MB (${peak < RSS_GOAL_MB ? 'ok' : 'OVER'}, goal < ${RSS_GOAL_MB} MB)`,
    );
    rmSync(s.dir, { recursive: true, force: true });
  },
};

export const cases: BenchCase[] = [
  savedCreateCase,
  {
    kind: 'in-process',
    name: 'npc gen, 10,000 random NPCs',
    run: () => generateNpcs({}, 10_000, createRng(seed++)),
    samples: 10,
    opsPerSample: 10_000,
    target: '< 1000 ms',
  },
  {
    kind: 'in-process',
    name: 'npc gen, 10,000 level 10 clerics (spells)',
    run: () => generateNpcs({ class: 'cleric', level: 10 }, 10_000, createRng(seed++)),
    samples: 10,
    opsPerSample: 10_000,
    target: '< 1000 ms',
  },
  {
    kind: 'in-process',
    name: 'npc gen + store, 10,000 NPCs in one transaction (fresh database)',
    setup: () => mkdtempSync(join(tmpdir(), 'dma-bench-npc-')),
    run: async (dir: string) => {
      const store = await openStore({ path: join(dir, `c${seed}.db`), mode: 'write' });
      const npcs = generateNpcs({}, 10_000, createRng(seed++));
      await store.createMany(npcs.map((n) => ({ type: 'npc', ...npcRecord(n) })));
      store.close();
    },
    teardown: (dir: string) => rmSync(dir, { recursive: true, force: true }),
    samples: 5,
    opsPerSample: 10_000,
    target: '< 2000 ms',
  },
  {
    kind: 'in-process',
    name: 'npc gen, 1 level 7 mage',
    run: () => generateNpcs({ class: 'mage', level: 7 }, 1, createRng(seed++)),
    samples: 500,
  },
];
