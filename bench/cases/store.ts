/**
 * Scribe store benchmarks (issue #4): bulk import, bulk create, search, point reads,
 * and whole-process `dma entity show`. Every database is a temp file, removed in teardown.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRng, type Rng } from '../../src/core/rng.ts';
import type { ExportDocument } from '../../src/contracts/entity-types.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/types.ts';
import { dropSchema, PG_URL, pgProbe } from '../../test/helpers/pg.ts';
import type { BenchCase, InProcessCase } from '../types.ts';

const SYLLABLES = [
  'el',
  'ar',
  'thor',
  'in',
  'mar',
  'ra',
  'dun',
  'gal',
  'bri',
  'ok',
  'ves',
  'ly',
  'tha',
  'dor',
  'um',
  'is',
  'ka',
  'rek',
  'sil',
  'wen',
];
const CLASSES = ['fighter', 'paladin', 'ranger', 'mage', 'cleric', 'druid', 'thief', 'bard'];
const RACES = ['human', 'elf', 'dwarf', 'halfling', 'gnome', 'half-elf'];

function word(rng: Rng, parts: number): string {
  let w = '';
  for (let i = 0; i < parts; i++) w += rng.pick(SYLLABLES);
  return w;
}

/** A campaign-like corpus: invented names, descriptions over a ~5,000-word vocabulary. */
export function corpus(n: number, seed = 7): ExportDocument {
  const rng = createRng(seed);
  const vocabulary = Array.from({ length: 5000 }, () => word(rng, rng.int(2, 3)));
  const sentence = (len: number) =>
    Array.from({ length: len }, () => rng.pick(vocabulary)).join(' ');
  const now = '2024-05-01T12:00:00.000Z';
  const entities = Array.from({ length: n }, (_, i) => ({
    id: randomUUID(),
    type: 'npc' as const,
    name: `${word(rng, 2)} ${word(rng, 3)}`.replace(/^./, (c) => c.toUpperCase()),
    data: {
      class: rng.pick(CLASSES),
      level: rng.int(0, 20),
      race: rng.pick(RACES),
      hit_points: rng.int(1, 80),
      armor_class: rng.int(-2, 10),
      thac0: rng.int(1, 20),
      description: sentence(12),
      personality: sentence(5),
      seed: i,
    },
    version: 1,
    created_at: now,
    updated_at: now,
  }));
  return { schema_version: '1.0', exported_at: now, entities, relationships: [] };
}

interface TempDb {
  dir: string;
  n: number;
}
const tempDir = (): TempDb => ({ dir: mkdtempSync(join(tmpdir(), 'dma-bench-')), n: 0 });

const createManyCase: InProcessCase<
  TempDb & { inputs: { type: string; name: string; data: unknown }[] }
> = {
  kind: 'in-process',
  name: 'store: createMany 10,000 NPCs (one transaction)',
  setup: () => ({
    ...tempDir(),
    inputs: corpus(10_000).entities.map((e) => ({ type: e.type, name: e.name, data: e.data })),
  }),
  run: async (s) => {
    const store = await openStore({ path: join(s.dir, `create-${s.n++}.db`) });
    await store.createMany(s.inputs);
    store.close();
  },
  samples: 5,
  opsPerSample: 10_000,
  target: '< 2000 ms',
  teardown: (s) => rmSync(s.dir, { recursive: true, force: true }),
};

/**
 * An engine the store cases run on (issue 17 reports PostgreSQL beside SQLite): a fresh
 * campaign to open, and its removal. PostgreSQL (DMA_TEST_PG_URL, else the local server)
 * gets a scratch schema, dropped in teardown; its cases are left out when it is unreachable.
 */
interface Engine {
  label: string;
  open: (t: TempDb) => Promise<Store>;
  drop: (t: TempDb) => Promise<void>;
}
const SQLITE: Engine = {
  label: 'SQLite',
  open: (t) => openStore({ path: join(t.dir, `store-${t.n++}.db`) }),
  drop: async (t) => rmSync(t.dir, { recursive: true, force: true }),
};
/** Each scratch folder's schemas, by its path (a loaded state is a copy of its TempDb). */
const pgSchemas = new Map<string, string[]>();
const POSTGRES: Engine = {
  label: 'PostgreSQL',
  open: async (t) => {
    const { openPgStore } = await import('../../src/store/postgres/index.ts');
    const campaign = `dma_bench_${randomUUID().slice(0, 8)}`;
    pgSchemas.set(t.dir, [...(pgSchemas.get(t.dir) ?? []), campaign]);
    return openPgStore({ url: PG_URL, campaign });
  },
  drop: async (t) => {
    for (const schema of pgSchemas.get(t.dir) ?? []) await dropSchema(schema);
    pgSchemas.delete(t.dir);
    rmSync(t.dir, { recursive: true, force: true });
  },
};
/** Whether the PostgreSQL cases can run (the conformance suites' check; the bench says why not). */
async function pgUsable(): Promise<boolean> {
  const why = await pgProbe();
  if (why !== undefined)
    console.log(`PostgreSQL store cases left out: ${PG_URL} unreachable (${why})`);
  return why === undefined;
}

const importOn = (engine: Engine): InProcessCase<TempDb & { doc: ExportDocument }> => ({
  kind: 'in-process',
  name: `store: import 100,000 entities (fresh ${engine === SQLITE ? 'database' : 'schema'}, ${engine.label})`,
  setup: () => ({ ...tempDir(), doc: corpus(100_000) }),
  run: async (s) => {
    const store = await engine.open(s);
    await store.import(s.doc);
    await store.close();
  },
  samples: 3,
  opsPerSample: 100_000,
  target: '< 3000 ms',
  teardown: (s) => engine.drop(s),
});

interface Loaded extends TempDb {
  store: Store;
  queries: string[];
  ids: string[];
  i: number;
}

/** 100,000 entities imported on the engine, and the queries a DM types. */
async function loaded(engine: Engine): Promise<Loaded> {
  const t = tempDir();
  const doc = corpus(100_000);
  const store = await engine.open(t);
  await store.import(doc);
  const rng = createRng(99);
  // What a DM types: a word of a name, a word of a description, two words, a name prefix.
  const queries = Array.from({ length: 64 }, (_, i) => {
    const e = rng.pick(doc.entities);
    const desc = String(e.data['description']).split(' ');
    if (i % 4 === 0) return e.name.split(' ')[1]!;
    if (i % 4 === 1) return rng.pick(desc);
    if (i % 4 === 2) return `${rng.pick(desc)} ${rng.pick(desc)}`;
    return e.name.slice(0, 4);
  });
  return { ...t, store, queries, ids: doc.entities.map((e) => e.id), i: 0 };
}
const unload = (engine: Engine) => async (s: Loaded) => {
  await s.store.close();
  await engine.drop(s);
};

const searchOn = (engine: Engine, target: string): InProcessCase<Loaded> => ({
  kind: 'in-process',
  name: `store: search over 100,000 entities (ranked, top 20, ${engine.label})`,
  setup: () => loaded(engine),
  run: (s) => s.store.search(s.queries[s.i++ % s.queries.length]!),
  samples: 400,
  opsPerSample: 1,
  target,
  teardown: unload(engine),
});

/**
 * A common word (issue 16): the corpus's descriptions draw from 5,000 words, so each of
 * them matches a few hundred entities; a class or race name is in the text of 12-17k of
 * the 100,000. The ranking must not score every match before the LIMIT.
 */
const COMMON_WORDS = [...CLASSES, ...RACES.filter((r) => !r.includes('-'))];
const commonSearchOn = (engine: Engine, target: string): InProcessCase<Loaded> => ({
  kind: 'in-process',
  name: `store: search one common word over 100,000 entities (12-17k matches, top 20, ${engine.label})`,
  setup: () => loaded(engine),
  run: (s) => s.store.search(COMMON_WORDS[s.i++ % COMMON_WORDS.length]!),
  samples: 200,
  opsPerSample: 1,
  target,
  teardown: unload(engine),
});

const getCase: InProcessCase<Loaded> = {
  kind: 'in-process',
  name: 'store: get by id over 100,000 entities (x1000)',
  setup: () => loaded(SQLITE),
  run: async (s) => {
    for (let k = 0; k < 1000; k++) await s.store.get(s.ids[(s.i++ * 7919) % s.ids.length]!);
  },
  samples: 20,
  opsPerSample: 1000,
  teardown: unload(SQLITE),
};

/** Whole process: `dma entity show <name>` on a 1,000-entity database, against `node -e 0`. */
const showCase: BenchCase = {
  kind: 'process',
  name: 'dma entity show (1,000-entity database)',
  args: ['entity', 'show', 'Elara'],
  setup: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dma-bench-show-'));
    const path = join(dir, 'campaign.db');
    const store = await openStore({ path });
    await store.import(corpus(1000));
    await store.create({ type: 'npc', name: 'Elara', data: { class: 'mage', level: 7 } });
    store.close();
    return { DMA_DB: path };
  },
  maxRatio: 2,
};

export const cases: BenchCase[] = [
  importOn(SQLITE),
  createManyCase,
  searchOn(SQLITE, '< 5 ms median'),
  commonSearchOn(SQLITE, 'p95 < 5 ms'),
  getCase,
  showCase,
  // issue 17: the same corpus on PostgreSQL (goal: search p95 < 10 ms at 100k)
  ...((await pgUsable())
    ? [
        importOn(POSTGRES),
        searchOn(POSTGRES, 'p95 < 10 ms'),
        commonSearchOn(POSTGRES, 'p95 < 10 ms'),
      ]
    : []),
];
