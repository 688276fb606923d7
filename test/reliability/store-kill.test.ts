/**
 * A process killed with SIGKILL in the middle of a large import leaves a database that
 * passes check() and holds either all of the import or none of it.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { openStore } from '../../src/store/index.ts';
import { WORKER_MIN_BYTES } from '../../src/store/import-worker.ts';
import { dmaBin, scratchEnv } from '../helpers/dma.ts';

const ENTITIES = 60_000;
const fixture = new URL('../fixtures/store-importer.ts', import.meta.url).pathname;
let dir: string;
let docPath: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dma-kill-'));
  const now = new Date().toISOString();
  const entities = Array.from({ length: ENTITIES }, (_, i) => ({
    id: randomUUID(),
    type: 'npc',
    name: `Imported ${i}`,
    data: { class: 'thief', level: 1 + (i % 20), description: `imported record number ${i}` },
    version: 1,
    created_at: now,
    updated_at: now,
  }));
  const relationships = Array.from({ length: 1000 }, (_, i) => ({
    id: randomUUID(),
    source: entities[i]!.id,
    target: entities[i + 1]!.id,
    type: 'knows',
    strength: 0.5,
    created_at: now,
  }));
  docPath = join(dir, 'doc.json');
  writeFileSync(
    docPath,
    JSON.stringify({ schema_version: '1.0', exported_at: now, entities, relationships }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Run the importer and SIGKILL it once it reports `killAt` records written. */
function importAndKill(
  dbPath: string,
  killAt: number,
  how = 'document',
): Promise<{ signal: NodeJS.Signals | null; sawDone: boolean; lastWrite: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', fixture, dbPath, docPath, how], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let sawDone = false;
    let lastWrite = 0;
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line === 'done') sawDone = true;
      const m = /^write (\d+)$/.exec(line);
      if (m) {
        lastWrite = Number(m[1]);
        if (lastWrite >= killAt) child.kill('SIGKILL');
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === null && code !== 0) reject(new Error(`importer failed (${code}): ${stderr}`));
      else resolve({ signal, sawDone, lastWrite });
    });
  });
}

/** The reopened campaign passes every check: integrity, foreign keys and the FTS index. */
async function expectClean(store: { check(): Promise<unknown> }): Promise<void> {
  expect(await store.check()).toEqual({ ok: true, integrity: ['ok'], foreign_keys: [], fts: 'ok' });
}

describe('SIGKILL during a large import', () => {
  for (const killAt of [5_000, 40_000]) {
    it(`killed after ${killAt} writes: check() passes and the import is all or nothing`, async () => {
      const dbPath = join(dir, `kill-${killAt}.db`);
      const before = await openStore({ path: dbPath });
      await before.create({
        type: 'note',
        name: 'existing',
        data: { text: 'was here before the import' },
      });
      before.close();

      const run = await importAndKill(dbPath, killAt);
      expect(run.signal).toBe('SIGKILL');
      expect(run.sawDone).toBe(false);
      expect(run.lastWrite).toBeGreaterThanOrEqual(killAt);

      const after = await openStore({ path: dbPath });
      await expectClean(after);
      const info = await after.info();
      expect([1, ENTITIES + 1]).toContain(info.entities);
      expect(info.entities === 1 ? 0 : 1000).toBe(info.relationships);
      // 55,000 records were still to write at 5,000: the transaction was surely open, so "none"
      if (killAt === 5_000) expect(info.entities).toBe(1);
      expect((await after.resolve('existing')).data).toEqual({
        text: 'was here before the import',
      });
      // and the database is still writable
      await after.create({ type: 'note', name: 'after', data: { text: 'x' } });
      after.close();
    }, 60_000);
  }

  // a stream import into an empty campaign drops the name indexes inside its transaction
  for (const killAt of [5_000, 40_000]) {
    it(`a stream import into an empty campaign killed after ${killAt} records: nothing imported, indexes kept`, async () => {
      const dbPath = join(dir, `kill-stream-${killAt}.db`);
      (await openStore({ path: dbPath })).close();
      const indexes = () => {
        const db = new Database(dbPath, { readonly: true });
        try {
          return db
            .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'index' ORDER BY name")
            .all();
        } finally {
          db.close();
        }
      };
      const before = indexes();
      expect(before.map((r) => (r as { name: string }).name)).toContain('entities_type_name');

      const run = await importAndKill(dbPath, killAt, 'stream');
      expect(run.signal).toBe('SIGKILL');
      expect(run.sawDone).toBe(false);

      const after = await openStore({ path: dbPath });
      await expectClean(after);
      // all or nothing; 55,000 records were still to read at 5,000: surely nothing
      const { entities } = await after.info();
      expect([0, ENTITIES]).toContain(entities);
      if (killAt === 5_000) expect(entities).toBe(0);
      after.close();
      expect(indexes()).toEqual(before);
    }, 60_000);
  }

  // the CLI reads a file this large on a worker thread (src/store/import-worker.ts): the
  // process killed while it writes leaves all of the import or nothing
  it('`dma entity import` of a large file killed mid-write: check() passes, all or nothing', async () => {
    expect(statSync(docPath).size).toBeGreaterThanOrEqual(WORKER_MIN_BYTES);
    const dbPath = join(dir, 'kill-cli.db');
    const before = await openStore({ path: dbPath });
    await before.create({ type: 'note', name: 'existing', data: { text: 'kept' } });
    before.close();
    const child = spawn(process.execPath, [dmaBin, 'entity', 'import', docPath, '-q'], {
      stdio: 'ignore',
      env: { ...scratchEnv(), DMA_DB: dbPath },
    });
    const closed = new Promise<NodeJS.Signals | null>((done) =>
      child.on('close', (_code, signal) => done(signal)),
    );
    // the transaction's pages spill into the WAL as it writes: kill once 8 MB are there
    const wal = `${dbPath}-wal`;
    while (child.exitCode === null && !(existsSync(wal) && statSync(wal).size > 8 << 20))
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    expect(await closed).toBe('SIGKILL');
    const after = await openStore({ path: dbPath });
    await expectClean(after);
    expect([1, ENTITIES + 1]).toContain((await after.info()).entities);
    expect((await after.resolve('existing')).data).toEqual({ text: 'kept' });
    after.close();
  }, 60_000);
});
