/**
 * A large import file is read and checked on a worker thread (src/store/import-worker.ts);
 * stdin is always read on the main thread. The same content through both must give the
 * same result, the same error (message, exit code) and the same database: nothing stored
 * when a record in the middle of the file is bad. On SQLite and on PostgreSQL.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WORKER_MIN_BYTES } from '../../src/store/import-worker.ts';
import { dma, repoRoot, scratchEnv } from '../helpers/dma.ts';
import { dropSchema, PG_URL, pgUnreachable, scratchSchema } from '../helpers/pg.ts';

const N = 6000;
const NOW = '2026-01-01T00:00:00.000Z';
const idOf = (i: number) => `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;
const words = ['ash', 'brook', 'cinder', 'dale', 'ember', 'fell', 'gorse', 'heath'];

function entity(i: number): Record<string, unknown> {
  const text = Array.from({ length: 120 }, (_, k) => words[(i * 7 + k) % words.length]).join(' ');
  return {
    id: idOf(i),
    type: 'note',
    name: `Note ${i}${i % 97 === 0 ? ' é' : ''}`,
    data: { text: `${text} marker${i}` },
    version: 1,
    created_at: NOW,
    updated_at: NOW,
  };
}

const entities = (): Record<string, unknown>[] => Array.from({ length: N }, (_, i) => entity(i));

function ndjson(list: unknown[], opts: { end?: boolean; lines?: (l: string[]) => void } = {}) {
  const lines = [JSON.stringify({ schema_version: '1.0', exported_at: NOW })];
  for (const e of list) lines.push(JSON.stringify({ entity: e }));
  opts.lines?.(lines);
  if (opts.end !== false)
    lines.push(JSON.stringify({ end: { entities: list.length, relationships: 0 } }));
  return `${lines.join('\n')}\n`;
}

const workerFile = join(repoRoot, 'dist', 'fast', '_import-worker.cjs');

interface Engine {
  name: string;
  env: () => Record<string, string>;
}

function suite(engine: Engine) {
  let dir: string;
  beforeAll(() => {
    dir = scratchEnv()['HOME']!;
  });

  /** `content` imported from a file (the worker) and from stdin (one thread), each into a fresh campaign. */
  async function both(
    content: string,
    name: string,
    prepare?: (env: Record<string, string>) => Promise<void>,
  ) {
    const file = join(dir, name);
    writeFileSync(file, content);
    expect(Buffer.byteLength(content)).toBeGreaterThanOrEqual(WORKER_MIN_BYTES);
    const envFile = engine.env();
    const envStdin = engine.env();
    await prepare?.(envFile);
    await prepare?.(envStdin);
    const viaFile = await dma(['entity', 'import', file, '--json'], { env: envFile });
    const viaStdin = await dma(['entity', 'import', '-', '--json'], {
      env: envStdin,
      input: content,
    });
    return { file, envFile, envStdin, viaFile, viaStdin };
  }

  /** The campaign's export without its time stamp. */
  async function exported(env: Record<string, string>): Promise<string> {
    const r = await dma(['entity', 'export', '--format', 'ndjson'], { env });
    expect(r.exitCode, r.stderr).toBe(0);
    return r.stdout.split('\n').slice(1).join('\n');
  }

  async function expectSameFailure(
    content: string,
    name: string,
    exitCode: number,
    pattern: RegExp,
  ) {
    const r = await both(content, name, async (env) => {
      // something stored before: the failed import must leave it as it was
      const made = await dma(
        ['entity', 'create', '--type', 'note', '--name', 'Before', '--data', '{"text":"kept"}'],
        { env },
      );
      expect(made.exitCode, made.stderr).toBe(0);
    });
    expect(r.viaFile.exitCode, r.viaFile.stderr).toBe(exitCode);
    expect(r.viaStdin.exitCode).toBe(exitCode);
    expect(r.viaFile.stderr).toMatch(pattern);
    expect(r.viaFile.stderr.replaceAll(r.file, 'stdin')).toBe(r.viaStdin.stderr);
    expect(r.viaFile.stdout).toBe(r.viaStdin.stdout);
    const list = await dma(['entity', 'list', '--json'], { env: r.envFile });
    expect(JSON.parse(list.stdout).entities.map((e: { name: string }) => e.name)).toEqual([
      'Before',
    ]);
  }

  it('the bundled worker exists (the file imports below take it)', () => {
    expect(existsSync(workerFile)).toBe(true);
  });

  it('imports a large file as stdin does: same result, same database, searchable', async () => {
    const r = await both(ndjson(entities()), 'good.ndjson');
    expect(r.viaFile.exitCode, r.viaFile.stderr).toBe(0);
    expect(JSON.parse(r.viaFile.stdout)).toMatchObject({ entities: { created: N } });
    expect(r.viaFile.stdout).toBe(r.viaStdin.stdout);
    expect(await exported(r.envFile)).toBe(await exported(r.envStdin));
    const hit = await dma(['entity', 'search', 'marker4321', '--json'], { env: r.envFile });
    expect(JSON.parse(hit.stdout).entities.map((e: { id: string }) => e.id)).toEqual([idOf(4321)]);
    // again: every entity unchanged
    const again = await dma(['entity', 'import', r.file, '--json'], { env: r.envFile });
    expect(JSON.parse(again.stdout).entities).toEqual({ created: 0, updated: 0, unchanged: N });
  });

  it('relationships (many batches of them after the entities): the same database', async () => {
    const rels = Array.from({ length: N - 1 }, (_, i) => ({
      id: idOf(100_000 + i),
      source: idOf(i),
      target: idOf(i + 1),
      type: 'knows',
      strength: null,
      created_at: NOW,
    }));
    const content = ndjson(entities(), {
      lines: (l) => l.push(...rels.map((r) => JSON.stringify({ relationship: r }))),
    }).replace('"relationships":0', `"relationships":${rels.length}`);
    const r = await both(content, 'rels.ndjson');
    expect(r.viaFile.exitCode, r.viaFile.stderr).toBe(0);
    expect(r.viaFile.stdout).toBe(r.viaStdin.stdout);
    expect(await exported(r.envFile)).toBe(await exported(r.envStdin));
    const related = await dma(['entity', 'related', idOf(2000), '--json'], { env: r.envFile });
    expect(related.exitCode, related.stderr).toBe(0);
    expect(related.stdout).toContain(idOf(2001));
  });

  it('a bad record in the middle: the same error, nothing stored', async () => {
    const list = entities();
    list[3000] = { ...list[3000], data: { text: 42 } };
    await expectSameFailure(ndjson(list), 'bad-record.ndjson', 3, /entities\[3000\]/);
  });

  it('a duplicate id, a line that is not JSON, a missing end record: the same errors', async () => {
    const dup = entities();
    dup[5000] = { ...dup[5000], id: idOf(10) };
    await expectSameFailure(ndjson(dup), 'dup.ndjson', 3, /entities\[5000\].*appears twice/);
    const broken = ndjson(entities(), { lines: (l) => (l[4000] = l[4000]!.slice(0, 50)) });
    await expectSameFailure(broken, 'broken.ndjson', 3, /line 4001/);
    await expectSameFailure(ndjson(entities(), { end: false }), 'cut.ndjson', 3, /no end record/);
  });

  it('two exports joined with cat: the same error at the second header, nothing stored', async () => {
    const one = ndjson(entities().slice(0, N / 2));
    await expectSameFailure(one + one, 'joined.ndjson', 3, /line 3003\): expected/);
  });

  it('a JSON document with a bad record: the same error', async () => {
    const list = entities();
    list[2500] = { ...list[2500], name: '' };
    const doc = JSON.stringify(
      { schema_version: '1.0', exported_at: NOW, entities: list, relationships: [] },
      null,
      1,
    );
    await expectSameFailure(doc, 'bad.json', 3, /entities\[2500\]/);
  });

  it('a stored entity that conflicts before a bad record: the conflict, as on one thread', async () => {
    const list = entities();
    list[4500] = { ...list[4500], data: { text: 42 } };
    const content = ndjson(list);
    const conflicting = ndjson([{ ...entity(1000), name: 'Changed' }]);
    const seed = join(dir, 'seed.ndjson');
    writeFileSync(seed, conflicting);
    const r = await both(content, 'conflict.ndjson', async (env) => {
      const s = await dma(['entity', 'import', seed], { env });
      expect(s.exitCode, s.stderr).toBe(0);
    });
    expect(r.viaFile.exitCode, r.viaFile.stderr).toBe(5);
    expect(r.viaFile.stderr).toBe(r.viaStdin.stderr);
    expect(readFileSync(seed, 'utf8')).toBe(conflicting);
    const left = await dma(['entity', 'list', '--json'], { env: r.envFile });
    expect(JSON.parse(left.stdout).entities.map((e: { name: string }) => e.name)).toEqual([
      'Changed',
    ]);
  });
}

describe('entity import on a worker thread (SQLite)', () => {
  suite({ name: 'sqlite', env: () => scratchEnv() });
});

const schemas: string[] = [];
const why = await pgUnreachable('import worker on postgres');
describe.skipIf(why !== undefined)('entity import on a worker thread (PostgreSQL)', () => {
  afterAll(async () => {
    for (const s of schemas) await dropSchema(s);
  });
  suite({
    name: 'postgresql',
    env: () => {
      const schema = scratchSchema();
      schemas.push(schema);
      return scratchEnv({ DMA_DB: PG_URL, DMA_CAMPAIGN: schema });
    },
  });
});
